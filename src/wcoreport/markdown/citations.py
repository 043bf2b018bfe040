"""Citations in pandoc syntax (`[@key]`, `[@key, p. 12]`, `[see @a; @b]`, `@key`).

The report leaves them to pandoc's citeproc. The site cannot read them, so it gets the very text
citeproc produces: every distinct citation of a language is formatted in one pandoc run, with
the same style and the language's locale as the report.
"""

from __future__ import annotations

import bisect
import html
import re
from dataclasses import dataclass
from pathlib import Path

from ..pandoc import run_pandoc

_KEY = r"[\w][\w:.#$%&+?<>~/-]*(?<![:.#$%&+?<>~/-])"
# A bracketed citation: brackets holding at least one @key, not a link or an image. A colon
# after it ends a sentence ("objectives [@key]:"); only at the start of a line does it make a
# link reference definition, which `find_citations` skips.
BRACKETED = re.compile(r"(?<![!\]\w])\[(?P<body>[^\[\]]*?-?@" + _KEY + r"[^\[\]]*)\](?![(\[])")
# An in-text citation: @key preceded by neither a word character nor another key's character.
IN_TEXT = re.compile(r"(?<![\w@.\-/:`])@(?P<key>" + _KEY + r")(?:\s\[(?P<loc>[^\[\]]*)\])?")
KEY_IN_BRACKETS = re.compile(r"(?<![\w.])-?@(" + _KEY + r")")


@dataclass(frozen=True)
class Citation:
    text: str  # exactly as written, e.g. "[@wco2019, p. 12]" or "@wco2019"
    keys: tuple[str, ...]
    start: int
    end: int


def find_citations(text: str) -> list[Citation]:
    """Citations in a text whose code spans have been masked."""
    found: list[Citation] = []
    taken: list[tuple[int, int]] = []
    for m in BRACKETED.finditer(text):
        line_start = text.rfind("\n", 0, m.start()) + 1
        if text.startswith(":", m.end()) and not text[line_start:m.start()].strip():
            continue  # "[label]: url", a link reference definition
        keys = tuple(KEY_IN_BRACKETS.findall(m.group("body")))
        if keys:
            found.append(Citation(m.group(0), keys, m.start(), m.end()))
            taken.append((m.start(), m.end()))
    starts = [a for a, _ in taken]  # in order: a binary search keeps long pages linear
    for m in IN_TEXT.finditer(text):
        i = bisect.bisect_right(starts, m.start()) - 1
        if i >= 0 and taken[i][0] <= m.start() < taken[i][1]:
            continue
        found.append(Citation(m.group(0), (m.group("key"),), m.start(), m.end()))
    return sorted(found, key=lambda c: c.start)


@dataclass
class RenderedCitations:
    """What citeproc made of a language's citations, as HTML for the site."""

    citations: dict[str, str]  # citation as written -> HTML
    bibliography: str  # the reference list, HTML


def render_citations(citations: set[str], lang: str, bibliography: Path, locale: str) -> RenderedCitations:
    """Format citations with citeproc in one pandoc run (see module docstring)."""
    ordered = sorted(citations)
    parts = [f"::: {{#wco-cite-{i}}}\n{text}\n:::\n" for i, text in enumerate(ordered)]
    # Every entry in the list, as in the report. Given with -M, "@*" would be a plain string,
    # which citeproc ignores: nocite must be read as Markdown, in a YAML block.
    source = "---\nnocite: '@*'\n---\n\n" + "\n".join(parts) + "\n::: {#refs}\n:::\n"
    out = run_pandoc(
        ["-f", "markdown", "-t", "html5", "--citeproc", f"--bibliography={bibliography}",
         "-M", f"lang={locale}", "--wrap=none"],
        source,
    ).decode("utf-8")
    rendered: dict[str, str] = {}
    for i, text in enumerate(ordered):
        m = re.search(rf'<div id="wco-cite-{i}">\s*<p>(.*?)</p>\s*</div>', out, re.S)
        rendered[text] = m.group(1) if m else html.escape(text)
    m = re.search(r'(<div id="refs".*)', out, re.S)
    return RenderedCitations(rendered, m.group(1).strip() if m else "")
