"""`@comment{...}` blocks of a `.bib` file, taken out before the file is parsed.

bibtexparser ends a block at any line that starts with '@', so an entry commented out by
wrapping it in `@comment{...}` on lines of its own (what JabRef and editors do) came back as
an entry. biber (whose reader, btparse, biblatex users run) takes a comment's body to its
balanced closing brace or parenthesis and ignores all of it; we do the same: each comment is
replaced by blanks of the same length, newlines kept, so that every other line keeps its number.

(Classic BibTeX 0.99 ignores only the word `@comment` and reads on; nobody comments out an entry
in a way that relies on that, and a reference manager's `@comment{jabref-meta: ...}` reads the
same both ways.)

A comment whose brace is never closed is taken to end with its own line (what bibtexparser
did before, and the only place that does not swallow the rest of the file); it is reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_ENTRY = re.compile(r"@[ \t]*[A-Za-z]+[ \t]*[{(][ \t\n]*([^,\s{}()]+)[ \t\n]*,")
_AT = re.compile(r"@[ \t]*([A-Za-z][\w-]*)[ \t\r\n]*([{(]?)")


@dataclass(frozen=True)
class Comment:
    line: int  # where '@comment' is
    end_line: int  # where its body closes
    closed: bool
    hidden: tuple[tuple[str, int], ...]  # (key, line) of each entry written inside it


def _close(text: str, start: int, opening: str) -> int | None:
    """Index just after the delimiter that closes the one at `start` (braces nest inside)."""
    closing = "}" if opening == "{" else ")"
    depth = 0
    for i in range(start + 1, len(text)):
        ch = text[i]
        if ch == "{":
            depth += 1
        elif ch == "}":
            if depth == 0:
                return i + 1 if closing == "}" else None
            depth -= 1
        elif ch == closing and depth == 0:
            return i + 1
    return None


def _blank(text: str) -> str:
    return re.sub(r"[^\n]", " ", text)


def strip_comments(text: str) -> tuple[str, list[Comment]]:
    """The text with each `@comment` block blanked out, and the comments found.

    Only blocks at the top level count: an '@' inside an entry is part of a value."""
    out: list[str] = []
    comments: list[Comment] = []
    pos = 0
    i = 0
    while True:
        m = _AT.search(text, i)
        if not m:
            break
        kind, opening = m.group(1).lower(), m.group(2)
        body_start = m.end() - 1
        end = _close(text, body_start, opening) if opening else None
        if kind != "comment":
            # Another block: skip its body (an '@' in a value starts nothing), or, unclosed,
            # read on from its opening (bibtexparser reports it).
            i = end if end is not None else m.end()
            continue
        line = text.count("\n", 0, m.start()) + 1
        closed = end is not None
        if not closed:
            if not opening:
                i = m.end()
                continue  # '@comment' alone: a word between entries, ignored
            newline = text.find("\n", m.start())
            end = len(text) if newline < 0 else newline
        block = text[m.start():end]
        hidden = tuple((found.group(1), line + block.count("\n", 0, found.start()))
                       for found in _ENTRY.finditer(block, 1))
        comments.append(Comment(line, line + block.count("\n"), closed, hidden))
        out.append(text[pos:m.start()])
        out.append(_blank(block))
        pos = i = end
    out.append(text[pos:])
    return "".join(out), comments
