"""The BibTeX bibliography (`references.bib`), parsed and checked with bibtexparser 2.

pandoc's citeproc formats the citations; this module only makes sure that what it will be
given is sound, and names the line of every problem.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import bibtexparser
from bibtexparser.model import DuplicateBlockKeyBlock, ParsingFailedBlock

from .diagnostics import Problems
from .yamlfile import read_text


@dataclass(frozen=True)
class Bibliography:
    path: Path
    lines: dict[str, int]  # citation key -> line of its entry

    def __contains__(self, key: str) -> bool:
        return key in self.lines


def load_bibliography(path: Path, problems: Problems) -> Bibliography:
    if not path.is_file():
        problems.error(path, 0, "the bibliography file is missing")
        return Bibliography(path, {})
    text = read_text(path, problems)
    if text is None:
        return Bibliography(path, {})
    library = bibtexparser.parse_string(text)
    for block in library.failed_blocks:
        line = block.start_line + 1
        if isinstance(block, DuplicateBlockKeyBlock):
            problems.error(path, line, f"duplicate citation key '{block.key}'")
        elif isinstance(block, ParsingFailedBlock):
            reason = str(block.error).split("\n")[-1].strip() if block.error else "syntax error"
            problems.error(path, line, f"BibTeX entry cannot be parsed: {reason}")
        else:
            problems.error(path, line, "BibTeX block cannot be parsed")
    lines: dict[str, int] = {}
    for entry in library.entries:
        line = entry.start_line + 1
        fields = {k.lower() for k in entry.fields_dict}
        if "title" not in fields:
            problems.error(path, line, f"entry '{entry.key}' has no title")
        if not fields & {"year", "date"}:
            problems.warning(path, line, f"entry '{entry.key}' has no year or date")
        lines[entry.key] = line
    return Bibliography(path, lines)
