"""Markdown text as a CAT tool sees it: translatable units, and inside them the markup a
translator must keep, as protected inline codes.

`unit_spans` cuts the Markdown of one block into the parts a translator translates (a
paragraph, a heading's title, a list item, a table cell, a caption, a footnote's text, an
admonition's title) and the layout around them (`#`, list markers, `|`, `{#id}` after a
heading, directive lines, code blocks), which is not shown. `inline_codes` then cuts a unit's
text into text and codes: citations `[@key, para. 2]`, cross-references `@fig:x`, footnote
references `[^1]`, directives, attributes `{#id}`, code spans, a link's or image's address
(its text stays translatable), emphasis markers. Joining the parts again gives back the same
characters, always: nothing is normalized, so an export and an import change no byte.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
DIRECTIVE = re.compile(r"^\s*\{%.*%\}\s*$")
HEADING = re.compile(r"^(#{1,6}[ \t]+)(.*?)([ \t]+\{[^{}]*\})?([ \t]*#*[ \t]*)$")
TABLE_ROW = re.compile(r"^\s*\|")
TABLE_RULE = re.compile(r"^\s*\|?[\s:|-]+\|?\s*$")
CAPTION = re.compile(r"^(\s*(?:Table)?:[ \t]+)(\S.*?)([ \t]*)$")
ADMONITION = re.compile(r'^(\s*(?:!!!|\?\?\?\+?)[ \t]+[\w-]+(?:[ \t]+inline(?:[ \t]+end)?)?[ \t]+")([^"]*)("[ \t]*)$')
TAB = re.compile(r'^(\s*===\+?[ \t]+")([^"]*)("[ \t]*)$')
LIST_ITEM = re.compile(r"^(\s*(?:[-*+]|\d{1,9}[.)]|[a-zA-Z][.)]|#\.|:)[ \t]+)(\S.*)$")
QUOTE = re.compile(r"^(\s*(?:>[ \t]?)+)(\S.*)$")
FOOTNOTE = re.compile(r"^(\[\^[^\]\s]+\]:[ \t]*)(\S.*)$")
ABBREVIATION = re.compile(r"^(\*\[)([^\]]+)(\]:[ \t]*)(.*?)([ \t]*)$")
RULE = re.compile(r"^\s*(?:[-*_][ \t]*){3,}$")


@dataclass(frozen=True)
class Span:
    start: int  # offsets in the block's text
    end: int
    kind: str  # paragraph, heading, item, cell, caption, footnote, abbreviation, title


def _special(line: str) -> bool:
    """A line that starts something other than the paragraph above it."""
    return bool(not line.strip() or FENCE.match(line) or DIRECTIVE.match(line) or HEADING.match(line)
                or TABLE_ROW.match(line) or CAPTION.match(line) or ADMONITION.match(line) or TAB.match(line)
                or LIST_ITEM.match(line) or FOOTNOTE.match(line) or ABBREVIATION.match(line)
                or QUOTE.match(line) or RULE.match(line))


def unit_spans(text: str) -> list[Span]:
    """The translatable parts of a block's Markdown, in order."""
    lines = text.split("\n")
    starts = []
    pos = 0
    for line in lines:
        starts.append(pos)
        pos += len(line) + 1
    spans: list[Span] = []

    def span(i: int, a: int, b: int, kind: str) -> None:
        if b > a:
            spans.append(Span(starts[i] + a, starts[i] + b, kind))

    def run_on(i: int, kind: str, a: int, indent: int) -> int:
        """A unit from line i (at column a) over its continuation lines; the next line index."""
        j = i + 1
        while j < len(lines) and not _special(lines[j]) and (indent == 0 or lines[j].startswith(" " * indent)
                                                              or not lines[j].startswith(" ")):
            j += 1
        end_line = j - 1
        spans.append(Span(starts[i] + a, starts[end_line] + len(lines[end_line].rstrip()), kind))
        return j

    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.strip() or DIRECTIVE.match(line) or RULE.match(line):
            i += 1
            continue
        if m := FENCE.match(line):  # code: not translated
            mark = m.group(1)
            i += 1
            while i < len(lines) and not lines[i].strip().startswith(mark):
                i += 1
            i += 1
            continue
        if m := HEADING.match(line):
            span(i, m.end(1), m.end(2), "heading")
            i += 1
            continue
        if TABLE_ROW.match(line):
            if not TABLE_RULE.match(line):
                for a, b in _cells(line):
                    span(i, a, b, "cell")
            i += 1
            continue
        for pattern, kind in ((ADMONITION, "title"), (TAB, "title"), (CAPTION, "caption")):
            if m := pattern.match(line):
                span(i, m.start(2), m.end(2), kind)
                i += 1
                break
        else:
            if m := ABBREVIATION.match(line):
                span(i, m.start(2), m.end(2), "abbreviation")
                span(i, m.start(4), m.end(4), "abbreviation")
                i += 1
            elif m := FOOTNOTE.match(line):
                i = run_on(i, "footnote", m.start(2), 4)
            elif m := LIST_ITEM.match(line):
                i = run_on(i, "item", m.start(2), len(m.group(1)))
            elif m := QUOTE.match(line):
                span(i, m.start(2), len(line.rstrip()), "paragraph")
                i += 1
            else:
                indent = len(line) - len(line.lstrip())
                i = run_on(i, "paragraph", indent, indent)
    return spans


def _cells(row: str) -> list[tuple[int, int]]:
    """The text of each cell of a pipe-table row (pipes in code spans or escaped do not count)."""
    bounds = []
    in_code = False
    i = 0
    while i < len(row):
        ch = row[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "`":
            in_code = not in_code
        elif ch == "|" and not in_code:
            bounds.append(i)
        i += 1
    cells = []
    for a, b in zip(bounds, bounds[1:] + ([len(row)] if row.rstrip()[-1:] != "|" else [])):
        text = row[a + 1:b]
        left = len(text) - len(text.lstrip())
        right = len(text.rstrip())
        if right > left:
            cells.append((a + 1 + left, a + 1 + right))
    return cells


# --- inline codes -------------------------------------------------------------------------
# Protected whole: what a translator must leave as it is.
_PROTECTED = re.compile(
    r"(?P<code>(`+).+?(?<!`)\2(?!`))"
    r"|(?P<cite>\[[^\[\]]*(?<![\w.])@[\w][^\[\]]*\])"  # [@key], [see @key, para. 2; @other]
    r"|(?P<note>\[\^[^\]\s]+\])"
    r"|(?P<directive>\{%.*?%\})"
    r"|(?P<attr>\{[#.][^{}]*\}|\{[\w-]+=[^{}]*\})"
    r"|(?P<auto><(?:https?|mailto):[^<>\s]+>)"
    r"|(?P<ref>(?<![\w@])-?@[\w][\w:.#$%&\-+?<>~/]*\w)"  # @fig:x, @key says
    r"|(?P<escape>\\.)",
    re.S)
_CTYPE = {"code": "x-code", "cite": "x-citation", "note": "x-footnote-reference", "directive": "x-directive",
          "attr": "x-attributes", "auto": "link", "ref": "x-reference"}
_EMPHASIS = [(re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1", re.S), "bold"),
             (re.compile(r"(\*)(?=[^\s*])(.+?)(?<=[^\s*])\*(?!\*)", re.S), "italic"),
             (re.compile(r"(?<!\w)(_)(?=\S)(.+?)(?<=\S)_(?!\w)", re.S), "italic")]


@dataclass(frozen=True)
class Code:
    """A protected piece of markup: whole (`ph`), or the opening / closing half of a pair."""

    kind: str  # "ph", "bpt", "ept"
    native: str
    pair: int  # bpt and ept of one pair share it; ph: its own number
    ctype: str


def inline_codes(text: str) -> list[str | Code]:
    """A unit's text as text and codes, in order; joining the natives and the texts gives it back."""
    counter = [0]

    def new_id() -> int:
        counter[0] += 1
        return counter[0]

    def scan(s: str) -> list[str | Code]:
        out: list[str | Code] = []
        buf = []
        i = 0

        def flush():
            if buf:
                out.append("".join(buf))
                buf.clear()

        while i < len(s):
            if m := _PROTECTED.match(s, i):
                kind = m.lastgroup
                if kind == "escape":
                    buf.append(m.group(0))
                else:
                    flush()
                    out.append(Code("ph", m.group(0), new_id(), _CTYPE[kind]))
                i = m.end()
                continue
            if s[i] == "[" or s.startswith("![", i):
                link = _link(s, i)
                if link is not None:
                    open_, inner, close, end = link
                    flush()
                    pair = new_id()
                    out.append(Code("bpt", open_, pair, "image" if open_ == "![" else "link"))
                    out.extend(scan(inner))
                    out.append(Code("ept", close, pair, "image" if open_ == "![" else "link"))
                    i = end
                    continue
            if s[i] in "*_":
                for pattern, ctype in _EMPHASIS:
                    if m := pattern.match(s, i):
                        flush()
                        pair = new_id()
                        out.append(Code("bpt", m.group(1), pair, ctype))
                        out.extend(scan(m.group(2)))
                        out.append(Code("ept", m.group(1), pair, ctype))
                        i = m.end()
                        break
                else:
                    buf.append(s[i])
                    i += 1
                continue
            buf.append(s[i])
            i += 1
        flush()
        return out

    return scan(text)


def _link(s: str, i: int) -> tuple[str, str, str, int] | None:
    """`[text](url "title"){attrs}` or `![...](...)` at i: (opening, text, closing, end)."""
    start = i + (2 if s.startswith("![", i) else 1)
    depth, j = 1, start
    while j < len(s) and depth:
        if s[j] == "\\":
            j += 2
            continue
        if s[j] == "[":
            depth += 1
        elif s[j] == "]":
            depth -= 1
        j += 1
    if depth or j >= len(s) or s[j] != "(":
        return None
    k, parens = j + 1, 1
    while k < len(s) and parens:
        if s[k] == "(":
            parens += 1
        elif s[k] == ")":
            parens -= 1
        k += 1
    if parens:
        return None
    if m := re.compile(r"\{[^{}]*\}").match(s, k):
        k = m.end()
    return s[i:start], s[start:j - 1], s[j - 1:k], k


def joined(parts: list[str | Code]) -> str:
    return "".join(p if isinstance(p, str) else p.native for p in parts)
