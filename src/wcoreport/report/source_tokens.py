"""Words of a piece of Markdown and of the text a reader sees, so that the two can be aligned.

A change a reviewer made to the text of the DOCX is found word by word (roundtrip.py); to put it
back into the Markdown, the words of the rendered text are matched with the words typed in the
source. What the source has that is not typed text is a token of its own that is never matched:
- "gen": source that the toolchain turns into other text (a citation `[@key, p. 3]`, `@key`, a
  cross-reference `@fig:id`, a value from data `{{ table.row.column }}`); an edit may delete it
  whole, never change it;
- "zero": markup that shows no text (`*`, `**`, `` ` ``, `[`, `](url)`, `{#id}`, a footnote
  reference `[^1]`, list and heading markers, table pipes, directive lines, abbreviation and
  footnote definitions): kept as typed.
A paragraph break is a word token "¶" on both sides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PARAGRAPH = "¶"
# Characters the outputs show differently from how they are typed (typography.py, smart quotes).
_CHARS = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2011": "-",
                        "\u00a0": " ", "\u202f": " ", "\u2009": " "})


@dataclass(frozen=True)
class Token:
    norm: str  # what is compared
    start: int
    end: int
    kind: str = "word"  # word | gen | zero
    role: str = ""  # for zero tokens: markup | keep | structure


def normalize(text: str) -> str:
    return text.translate(_CHARS)


_RENDERED = re.compile(r"\n\s*\n|\.\.\.|…|[^\W_]+|[^\w\s]|_")


def rendered_tokens(text: str) -> list[Token]:
    """The words and punctuation of text as a reader sees it (a DOCX's text)."""
    out = []
    for m in _RENDERED.finditer(text):
        s = m.group(0)
        if s.startswith("\n"):
            norm = PARAGRAPH
        elif s in ("...", "…"):
            norm = "..."
        else:
            norm = normalize(s)
        out.append(Token(norm, m.start(), m.end()))
    return out


_INLINE = re.compile(r"""
  (?P<value>\{\{[^{}\n]*\}\})
| (?P<cite>\[[^\[\]\n]*(?<![\w\\])@[^\W_][^\[\]\n]*\](?![(\[]))
| (?P<fnref>\[\^[^\]\s]+\])
| (?P<attr>\{[#.][^{}\n]*\}|\{(?:width|height)=[^{}\n]*\})
| (?P<linkend>\]\((?:[^()\s]|\([^()\s]*\))*(?:\s+"[^"\n]*")?\)(?:\{[^{}\n]*\})?)
| (?P<bare>(?<![\w\\@])@[^\W_](?:[\w:.#$%&+?<>~/-]*\w)?)
| (?P<open>!?\[)
| (?P<close>\])
| (?P<escape>\\[^\w\s])
| (?P<markup>\*{1,3}|_{1,3}|`+|\^|~)
| (?P<pipe>\|)
| (?P<dash>---|--)
| (?P<ellipsis>\.\.\.|…)
| (?P<word>[^\W_]+)
| (?P<punct>[^\w\s])
""", re.X)

_DIRECTIVE = re.compile(r"^ {0,3}\{%.*%\}\s*$")
_ABBREVIATION = re.compile(r"^\*\[[^\]]+\]:")
_FOOTNOTE_DEF = re.compile(r"^\[\^[^\]\s]+\]:")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
_PREFIXES = [
    re.compile(r"^\s*(?:!!!|\?\?\?\+?)[ \t]+[\w-]+(?:[ \t]+inline(?:[ \t]+end)?)?[ \t]*\"?"),  # admonition
    re.compile(r"^\s*===\+?[ \t]+\""),  # content tab
    re.compile(r"^\s{0,3}#{1,6}[ \t]+"),  # heading
    re.compile(r"^\s*>[ \t]?"),  # quote
    re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)]|[a-zA-Z][.)])[ \t]+"),  # list item
    re.compile(r"^\s{0,3}(?:Table)?:[ \t]+"),  # table caption, definition
]


def source_tokens(text: str) -> list[Token]:
    """The tokens of a slice of a Markdown source (see the module's docstring)."""
    out: list[Token] = []
    pos = 0
    fence: str | None = None
    in_footnote = False
    blank_run = False
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        if not line.strip():
            if not blank_run and out:
                out.append(Token(PARAGRAPH, start, start))
            blank_run = True
            continue
        blank_run = False
        if fence is not None:
            if line.strip().startswith(fence):
                fence = None
                out.append(Token(line, start, end, "zero", "structure"))
            else:
                out.extend(Token(t.norm, start + t.start, start + t.end) for t in rendered_tokens(line))
            continue
        if m := _FENCE.match(line):
            fence = m.group(1)
            out.append(Token(line, start, end, "zero", "structure"))
            continue
        if in_footnote and line.startswith("    "):
            out.append(Token(line, start, end, "zero", "keep"))
            continue
        in_footnote = False
        if _FOOTNOTE_DEF.match(line):
            in_footnote = True
            out.append(Token(line, start, end, "zero", "keep"))
            continue
        if _DIRECTIVE.match(line) or _ABBREVIATION.match(line) or _TABLE_RULE.match(line):
            out.append(Token(line, start, end, "zero", "keep"))
            continue
        offset = 0
        for prefix in _PREFIXES:
            if m := prefix.match(line, offset):
                out.append(Token(m.group(0), start + m.start(), start + m.end(), "zero", "structure"))
                offset = m.end()
        out.extend(_inline(line, start, offset))
    return out


def _inline(line: str, base: int, offset: int) -> list[Token]:
    out = []
    for m in _INLINE.finditer(line, offset):
        kind, s = m.lastgroup, m.group(0)
        a, b = base + m.start(), base + m.end()
        if kind in ("cite", "bare", "value"):
            out.append(Token(s, a, b, "gen"))
        elif kind in ("fnref", "attr"):
            out.append(Token(s, a, b, "zero", "keep"))
        elif kind in ("linkend", "open", "close", "markup"):
            out.append(Token(s, a, b, "zero", "markup"))
        elif kind == "pipe":
            out.append(Token(s, a, b, "zero", "structure"))
        elif kind == "escape":
            out.append(Token(normalize(s[1]), a, b))
        elif kind == "dash":
            out.append(Token("\u2014" if s == "---" else "\u2013", a, b))
        elif kind == "ellipsis":
            out.append(Token("...", a, b))
        else:
            out.append(Token(normalize(s), a, b))
    if out and line[offset:].rstrip().endswith('"') and out[-1].norm == '"':
        # the closing quote of an admonition's or tab's title
        last = out[-1]
        out[-1] = Token(last.norm, last.start, last.end, "zero", "structure")
    return out


_ESCAPE = re.compile(r"([\\`*_\[\]<>{}#|^~$])")


def markdown_text(text: str) -> str:
    """Text a reviewer typed, as Markdown that shows exactly that text."""
    text = normalize(text)
    text = _ESCAPE.sub(r"\\\1", text)
    return re.sub(r"(?<![\w\\])@", r"\\@", text)
