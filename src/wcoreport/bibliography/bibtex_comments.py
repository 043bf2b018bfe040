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


def _closings(text: str) -> tuple[dict[int, int], dict[int, int]]:
    """Where each '{' and each '(' closes: index just after its closing delimiter (absent: never).

    One pass with a stack, so that a file of thousands of unclosed blocks costs no more than
    one: a '{' closes at its matching '}'; a '(' at the next ')' at its own brace depth, unless
    a '}' closes the brace it is in first."""
    braces: dict[int, int] = {}
    parens: dict[int, int] = {}
    stack: list[int] = []
    pending: dict[int, list[int]] = {}  # brace depth -> '(' opened there, not closed yet
    for m in _DELIMITER.finditer(text):
        ch, i = m.group(), m.start()
        if ch == "{":
            stack.append(i)
        elif ch == "}":
            if stack:
                pending.pop(len(stack), None)
                braces[stack.pop()] = i + 1
        elif ch == "(":
            pending.setdefault(len(stack), []).append(i)
        else:
            for opened in pending.pop(len(stack), ()):
                parens[opened] = i + 1
    return braces, parens


_DELIMITER = re.compile(r"[{}()]")


def _blank(text: str) -> str:
    return re.sub(r"[^\n]", " ", text)


def strip_comments(text: str, unclosed: list[int] | None = None) -> tuple[str, list[Comment]]:
    """The text with each `@comment` block blanked out, and the comments found; the line of
    each other block that never closes is added to `unclosed`.

    Only blocks at the top level count: an '@' inside an entry is part of a value."""
    out: list[str] = []
    comments: list[Comment] = []
    braces, parens = _closings(text) if "@" in text else ({}, {})
    pos = 0
    i = 0
    counted, line_at = 0, 1  # line numbers, counted forward only
    while True:
        m = _AT.search(text, i)
        if not m:
            break
        kind, opening = m.group(1).lower(), m.group(2)
        body_start = m.end() - 1
        end = (braces if opening == "{" else parens).get(body_start) if opening else None
        line_at += text.count("\n", counted, m.start())
        counted, line = m.start(), line_at
        if kind != "comment":
            # Another block: skip its body (an '@' in a value starts nothing), or, unclosed,
            # read on from its opening (bibtexparser reports it).
            if end is None and opening and unclosed is not None:
                unclosed.append(line)
            i = end if end is not None else m.end()
            continue
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
