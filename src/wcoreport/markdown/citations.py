"""Citations in pandoc syntax (`[@key]`, `[@key, p. 12]`, `[see @a; @b]`, `@key`).

The report leaves them to pandoc's citeproc. The site cannot read them, so it gets the very text
citeproc produces: every distinct citation of a language is formatted in one pandoc run, with
the same style and the language's locale as the report. When the build command builds the
site with the report, that run is the report's own (build.py): it hands the result to the MkDocs
build in a file named by `CITATIONS_ENV`, and the site runs no citeproc of its own.
"""

from __future__ import annotations

import bisect
import html
import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path

from ..pandoc import run_pandoc

# File (JSON) of the site's citations already formatted by the report's citeproc run, per
# language; set by the build command for the MkDocs build it runs (site/plugin.py).
CITATIONS_ENV = "WCOREPORT_CITATIONS"

_KEY = r"[\w][\w:.#$%&+?<>~/-]*(?<![:.#$%&+?<>~/-])"
# A bracketed citation: brackets holding at least one @key, not a link or an image. A colon
# after it ends a sentence ("objectives [@key]:"); only at the start of a line does it make a
# link reference definition, which `find_citations` skips.
BRACKETED = re.compile(r"(?<![!\]\w])\[(?P<body>[^\[\]]*?-?@" + _KEY + r"[^\[\]]*)\](?!\(|\[(?!\^))")
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


def citations_of(project, lang: str) -> set[str]:
    """Every citation of a language as the site writes it: in the chapters (expanded for pandoc)
    and the case studies."""
    from .preprocess import Context, Target, expand  # preprocess imports this module

    found: set[str] = set()
    scratch = type(project.problems)(project.root)  # problems were reported by the checks
    for chapter in project.chapters:
        text = chapter.texts.get(lang)
        if text:
            ctx = Context(project, lang, Target.PANDOC, scratch)
            found.update(c.text for c in find_citations(expand(text.body, text.path, text.body_line, ctx)))
    for study in project.casestudies.values():
        found.update(c.text for c in find_citations(study.texts.get(lang, "")))
    return found


def citation_blocks(ordered: list[str]) -> str:
    """The citations as pandoc Markdown, one Div each (`#wco-cite-N`, N its place in `ordered`)."""
    return "\n".join(f"::: {{#wco-cite-{i}}}\n{text}\n:::\n" for i, text in enumerate(ordered))


_CITE_DIV = re.compile(r'<div id="wco-cite-(\d+)">')
_CITE_CONTENT = re.compile(r'<div id="wco-cite-\d+">\s*<p>(.*?)</p>\s*</div>', re.S)


def parse_rendered(html_text: str, ordered: list[str]) -> RenderedCitations:
    """Read pandoc's HTML of the `citation_blocks` followed by the `#refs` Div."""
    # Each Div's place, then its content read there (one pattern, not one per citation).
    starts = {m.group(1): m.start() for m in _CITE_DIV.finditer(html_text)}
    rendered: dict[str, str] = {}
    for i, text in enumerate(ordered):
        at = starts.get(str(i))
        m = _CITE_CONTENT.match(html_text, at) if at is not None else None
        rendered[text] = m.group(1) if m else html.escape(text)
    m = re.search(r'(<div id="refs".*)', html_text, re.S)
    return RenderedCitations(rendered, m.group(1).strip() if m else "")


def render_citations(citations: set[str], lang: str, bibliography: Path, locale: str) -> RenderedCitations:
    """Format citations with citeproc in one pandoc run (see module docstring)."""
    ordered = sorted(citations)
    # Every entry in the list, as in the report. Given with -M, "@*" would be a plain string,
    # which citeproc ignores: nocite must be read as Markdown, in a YAML block.
    source = "---\nnocite: '@*'\n---\n\n" + citation_blocks(ordered) + "\n::: {#refs}\n:::\n"
    out = run_pandoc(
        ["-f", "markdown", "-t", "html5", "--citeproc", f"--bibliography={bibliography}",
         "-M", f"lang={locale}", "--wrap=none"],
        source,
    ).decode("utf-8")
    return parse_rendered(out, ordered)


def save_rendered(path: Path, rendered: dict[str, RenderedCitations]) -> None:
    """Write the rendered citations of some languages for the site (`CITATIONS_ENV`)."""
    path.write_text(json.dumps({lang: asdict(r) for lang, r in rendered.items()}), "utf-8")


def load_rendered(path: Path) -> dict[str, RenderedCitations]:
    data = json.loads(path.read_text("utf-8"))
    return {lang: RenderedCitations(r["citations"], r["bibliography"]) for lang, r in data.items()}
