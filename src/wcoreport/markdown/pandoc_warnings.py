"""pandoc's warnings on a page, as problems at the file and line the editor typed.

pandoc's reader warns of what it read but did not like (a footnote defined twice, one defined
but never referred to) with a line of the text it was given: the page expanded by the dialect.
The expanded text's map gives the file and line; the message is said in our words where we know
the warning, and passed on otherwise. A page pandoc warned about has no tree: these are errors.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..sources.diagnostics import Problems
from .dialect import Expanded

_AT = re.compile(r"\s*at line (\d+) column \d+")
_DUPLICATE_NOTE = re.compile(r"^Duplicate note reference '(?P<label>[^']*)'")
_UNUSED_NOTE = re.compile(r"^Note with key '(?P<label>[^']*)' defined(?: at line \d+ column \d+)? but not used")
_NOTE_DEFINITION = r"^[\s>]*\[\^{label}\]:"


def report(warnings: list[str], expanded: Expanded, path: Path, problems: Problems) -> None:
    """Each of pandoc's `warnings` on `expanded` (the page of `path`) as an error at its line."""
    for warning in warnings:
        found = _AT.search(warning)
        if not found or not 0 < int(found.group(1)) <= len(expanded.origin):
            problems.error(path, 0, f"pandoc could not read the page: {warning}")
            continue
        index = int(found.group(1)) - 1
        where, line = expanded.origin[index]
        if m := _DUPLICATE_NOTE.match(warning):
            label = m.group("label")
            first = _first_definition(label, expanded, index)
            problems.error(where, line, f"the footnote [^{label}] is defined twice" + (
                f" (first at {_place(first, where, problems)})" if first else "")
                + ": a note is one text; give this one its own label (e.g. [^" + label + "b]) and refer to it")
        elif m := _UNUSED_NOTE.match(warning):
            label = m.group("label")
            problems.error(where, line, f"the footnote [^{label}] is defined but the text never refers to it: "
                                        f"add [^{label}] where it belongs, or delete the note")
        else:
            problems.error(where, line, "pandoc: " + _AT.sub("", warning, count=1).strip())


def _first_definition(label: str, expanded: Expanded, before: int) -> tuple[Path, int] | None:
    pattern = re.compile(_NOTE_DEFINITION.format(label=re.escape(label)))
    for i in range(before):
        if pattern.match(expanded.lines[i]):
            return expanded.origin[i]
    return None


def _place(origin: tuple[Path, int], current: Path, problems: Problems) -> str:
    path, line = origin
    return f"line {line}" if Path(path) == Path(current) else f"{problems.relative(path)}:{line}"
