"""Bidirectional control characters on a line of Markdown, named by where they are.

In a name a machine compares (a heading's `{#id}`, a citation's `@key`, the file or address of
a link, image or directive), such a character makes what the editor sees differ from what is
there, and pandoc quietly reads something else (the id becomes text of the heading; the key ends
before it): an error; in a fenced code block too. In running text it only reorders what readers
see: a warning (a French or English report has no right-to-left script that would need it).
"""

from __future__ import annotations

import re

from ..sources.bidi_controls import BIDI, HINT, describe

_B = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
# Where names are typed, each with what to call it.
_NAMES = [
    (re.compile(r"\{%.*?%\}"), "the directive's name or file"),
    (re.compile(r"\{[^{}]*\}"), "the attribute (id or class)"),
    (re.compile(rf"@[\w:.#$%&\-+?<>~/{_B}]+"), "the citation key"),
    (re.compile(r"\]\([^()\s]*"), "the link's file or address"),
    (re.compile(r"\]:\s*\S+"), "the link's file or address"),
    (re.compile(rf"\[\^[^\]\s]*\]"), "the footnote label"),
]


def check(line: str, in_code: bool = False) -> list[tuple[bool, str]]:
    """(is an error, message) for each bidirectional control character of `line`; in a code
    block, every one is an error (what the reader copies is not what they see: Trojan Source
    itself)."""
    if not BIDI.search(line):
        return []
    if in_code:
        return [(True, f"the code block holds {describe(m.group())} at column {m.start() + 1}: {HINT}")
                for m in BIDI.finditer(line)]
    spans = [(m.start(), m.end(), what) for pattern, what in _NAMES for m in pattern.finditer(line)]
    found = []
    for m in BIDI.finditer(line):
        column = m.start() + 1
        what = next((w for start, end, w in spans if start <= m.start() < end), None)
        if what:
            if what.startswith("the attribute") and line.lstrip().startswith("#"):
                what = "the heading's id"
            found.append((True, f"{what} holds {describe(m.group())} at column {column}: {HINT}"))
        else:
            found.append((False, f"the text holds {describe(m.group())} at column {column}: {HINT}"))
    return found
