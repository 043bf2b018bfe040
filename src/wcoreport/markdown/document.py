"""A language's pages as one pandoc document, citations formatted by citeproc once.

The report and the site are both written from this document: the report takes the chapters
in nav order, the site takes every page. Pages travel as `Div(.wco-page, page=NAME)`. What
only the site shows (pages left out of the report, the case studies' own pages) comes after
the report's chapters, so that it cannot change the report's citation numbers or notes.

Shared here, so that the outputs cannot disagree: the numbers of figures and tables, in their
captions and in the references to them (`@fig:id` becomes a link "Figure 3" to its page), and
the one citeproc run.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..bibliography.bibtex import write_csl_json
from ..pipeline.cache import digest, file_digest, results
from ..bibliography.citation_style import style_args, style_path
from ..pipeline.pandoc import ToolError, run_pandoc
from .analysis import API_VERSION, PageAnalysis
from .citeproc_input import CitationsOnly, in_text_style, repeats_alike
from .gate import CASESTUDY_PAGES, Numbered, ProjectAnalysis
from .typeset import typeset_blocks
from .pandoc_ast import Node, attribute, cites, copy_tree, div, from_json, inlines, map_inlines, to_json, walk, walk_blocks

if TYPE_CHECKING:
    from ..sources.project import Project

PAGE = "wco-page"
REFS = "refs"  # the Div citeproc fills with the reference list


@dataclass
class Page:
    name: str  # path in the language folder; case studies: "casestudies/ID.md"
    blocks: list[Node]
    in_report: bool


def _cite_all() -> dict:
    """`nocite: @*` as pandoc's tree: every entry of the bibliography is listed."""
    cite = {"citationId": "*", "citationPrefix": [], "citationSuffix": [], "citationMode": {"t": "NormalCitation"},
            "citationNoteNum": 0, "citationHash": 0}
    return {"t": "MetaInlines", "c": [{"t": "Cite", "c": [[cite], [{"t": "Str", "c": "@*"}]]}]}


def _number(blocks: list[Node], numbers: dict[str, Numbered], lang: str, page: str) -> list[Node]:
    """Captions of numbered figures and tables get their number; @fig:/@tbl: become links."""
    separator = " : " if lang == "fr" else ": "

    def caption(node: Node) -> None:
        if node["t"] not in ("Figure", "Table"):
            return
        item = numbers.get(node["c"][0][0])
        if item is None:
            return
        long = node["c"][1][1]
        prefix = inlines(item.label(lang) + separator.rstrip()) + [{"t": "Space"}]
        if long and long[0]["t"] in ("Plain", "Para"):
            long[0]["c"][:0] = prefix
        else:
            long[:0] = [{"t": "Plain", "c": prefix[:-1]}]

    walk_blocks(blocks, caption)

    def xref(node: Node):
        if node.get("t") != "Cite":
            return None
        citations = node["c"][0]
        ids = [c["citationId"] for c in citations]
        if not all(i in numbers for i in ids):
            return None  # a citation (or an unknown reference, which the check reported)
        out: list[Node] = []
        for n, ident in enumerate(ids):
            if n:
                out += [{"t": "Str", "c": ","}, {"t": "Space"}]
            item = numbers[ident]
            target = ("" if item.page == page else item.page) + "#" + ident
            out.append({"t": "Link", "c": [["", [], []], inlines(item.label(lang)), [target, ""]]})
        return out

    return map_inlines(blocks, xref, {"Cite"})


def _bibliography_div(pages: list[Page]) -> None:
    """citeproc fills the Div with the id `refs`: the `{% bibliography %}` of the report."""
    found = False

    def visit(node: Node) -> None:
        nonlocal found
        if node["t"] == "Div" and "wco-bibliography" in node["c"][0][1] and not found:
            node["c"][0][0] = REFS
            found = True

    for page in pages:
        if page.in_report:
            walk_blocks(page.blocks, visit)
    for page in pages:
        if not page.in_report:
            walk_blocks(page.blocks, visit)


def page_order(project: "Project", analysis: ProjectAnalysis, lang: str) -> list[tuple[str, bool]]:
    """The pages of a language in the document's order, the report's first: (name, in report)."""
    found = analysis.languages[lang]
    report = [(c.name, True) for c in project.chapters if c.in_report and c.name in found.pages]
    site_only = [(c.name, False) for c in project.chapters if not c.in_report and c.name in found.pages]
    return report + site_only + [(f"{CASESTUDY_PAGES}/{cid}.md", False) for cid in found.casestudies]


def analysed_pages(analysis: ProjectAnalysis, lang: str) -> dict[str, "PageAnalysis"]:
    """Every page's analysis by its name in the document (case studies: casestudies/ID.md)."""
    found = analysis.languages[lang]
    return {**found.pages, **{f"{CASESTUDY_PAGES}/{cid}.md": p for cid, p in found.casestudies.items()}}


def _page(analysis: ProjectAnalysis, lang: str, analysed: PageAnalysis, name: str, in_report: bool) -> Page:
    """A page's tree from its analysis `analysed` (a copy: the analysis stays as it was), numbered."""
    blocks = copy_tree(analysed.blocks)
    if analysed.xrefs or analysed.numbered:  # (most pages have neither)
        blocks = _number(blocks, analysis.numbers[lang], lang, name)
    return Page(name, blocks, in_report)


def language_pages(project: "Project", analysis: ProjectAnalysis, lang: str) -> list[Page]:
    """The pages of a language, the report's first, numbered, before citeproc."""
    analysed = analysed_pages(analysis, lang)
    pages = [_page(analysis, lang, analysed[name], name, in_report)
             for name, in_report in page_order(project, analysis, lang)]
    _bibliography_div([page for page in pages if "bibliography" in analysed[page.name].directives])
    return pages


def page_alone(analysis: ProjectAnalysis, lang: str, name: str, in_report: bool, formatted: list[Node]) -> Page:
    """One page as `document` makes it, given its citations as citeproc formatted them (in
    document order) in a run over the same citations (site/preview.py)."""
    page = _page(analysis, lang, analysed_pages(analysis, lang)[name], name, in_report)
    found = cites(page.blocks)
    if len(found) != len(formatted):
        raise ValueError(f"{name}: {len(found)} citations, {len(formatted)} formatted")
    for node, done in zip(found, formatted):
        node["c"] = done["c"]
    typeset_blocks(page.blocks, lang)
    return page


def format_citations(project: "Project", lang: str, pages: list[Page]) -> list[Page]:
    """One citeproc run over all the pages of a language; the pages as they come out of it."""
    doc = {
        "pandoc-api-version": API_VERSION,
        "meta": {"nocite": _cite_all(), "link-citations": {"t": "MetaBool", "c": False}},
        "blocks": [div([PAGE], page.blocks, pairs={"page": page.name}) for page in pages],
    }
    with tempfile.TemporaryDirectory(prefix="wcoreport-") as work:
        # citeproc reads the bibliography as we parsed and checked it (bibliography.py), not
        # the .bib itself: macros, crossrefs and TeX are resolved, nothing raw comes out.
        references = write_csl_json(project.bibliography, Path(work) / f"references-{lang}.json", lang,
                                    project.metadata.organization_names(lang))
        args = ["-f", "json", "-t", "json", "--citeproc", f"--bibliography={references}",
                "-M", f"lang={project.locale(lang)}", *style_args(project.metadata.csl, project.root)]
        csl = style_path(project.metadata.csl, project.root)
        # Kept by content: the document (its citations only, if the style allows: citeproc_input.py),
        # the references and the style as citeproc reads them.
        only = CitationsOnly(doc, REFS, alike=repeats_alike(csl)) if in_text_style(csl) else None
        out = None
        for given in ([only.doc, doc] if only is not None and only.usable else [doc]):
            source = to_json(given)
            inputs = [source, file_digest(references), project.locale(lang), file_digest(csl)]
            made = results(project).memo("citeproc", inputs, lambda: run_pandoc(args, source))
            out = from_json(made)
            if b'"RawBlock"' in made or b'"RawInline"' in made:  # (seldom: then look closer)
                _no_raw(out["blocks"])
            if given is doc:
                break
            if only.put_back(out):
                out = doc
                break
    by_name = {p.name: p for p in pages}
    result = []
    for block in out["blocks"]:
        if block["t"] == "Div" and PAGE in block["c"][0][1]:
            name = attribute(block["c"][0], "page")
            result.append(Page(name, block["c"][1], by_name[name].in_report))
    return result


def _no_raw(blocks: list[Node]) -> None:
    """Nothing raw reaches a writer unless the project made it: the analysis refused every raw
    node of the sources; this makes sure citeproc (a bibliography's text) brought none in."""
    def visit(node: Node, _depth: int) -> None:
        if node["t"] in ("RawBlock", "RawInline"):
            fmt, content = node["c"]
            raise ToolError(f"raw {fmt} came out of citeproc ({content[:60]!r}): refused")

    walk(blocks, visit)


def document(project: "Project", analysis: ProjectAnalysis, lang: str) -> list[Page]:
    """The pages of a language, numbered, with citations formatted and typeset (typeset.py):
    what both outputs write."""
    pages = format_citations(project, lang, language_pages(project, analysis, lang))
    for page in pages:
        typeset_blocks(page.blocks, lang)
    return pages


def citations_in_text(project: "Project") -> bool:
    """Whether the project's style puts citations in the text (not in notes numbered through
    the document): only then is a page made from its own citations alone."""
    return in_text_style(style_path(project.metadata.csl, project.root))


def document_key(project: "Project", analysis: ProjectAnalysis, lang: str) -> str:
    """What every page of a language's document depends on besides its own sources: the
    project around the pages, the numbers of figures and tables, and the citations of all
    pages in order with what formats them (citeproc's result for a page depends only on that
    sequence, with a style that puts citations in the text)."""
    analysed = analysed_pages(analysis, lang)
    csl = style_path(project.metadata.csl, project.root)
    bibliography = file_digest(project.bibliography.path) if project.bibliography else "-"
    return digest([analysis.context, project.locale(lang), file_digest(csl), bibliography,
                   repr(sorted(analysis.numbers[lang].items())),
                   *(f"{name} {in_report} {analysed[name].citation_key}"
                     for name, in_report in page_order(project, analysis, lang))])


# Kept between builds (cache.py), by the document's key: each page's citations as citeproc
# formatted them ("page-cites", by page name: whatever its text, if the key is the same) and
# each page as document() makes it ("page", by page name and analysis digest).
def pages_alone(project: "Project", analysis: ProjectAnalysis, lang: str, key: str,
                wanted: list[tuple[str, bool]]) -> list[Page] | None:
    """The pages `wanted` (name, in report), each made alone from its citations as formatted by
    the last document made with the same `key` (document_key); None if one cannot be (no such
    document, the page with the bibliography, a note style): the whole document must be made."""
    if not citations_in_text(project):
        return None
    analysed = analysed_pages(analysis, lang)
    cache = results(project)
    pages = []
    for name, in_report in wanted:
        found = cache.get("page-cites", cache.key("page-cites", [key, name])) \
            if "bibliography" not in analysed[name].directives else None
        if found is None:
            return None
        pages.append(page_alone(analysis, lang, name, in_report, from_json(found)))
    return pages


def keep_pages(project: "Project", analysis: ProjectAnalysis, lang: str, key: str, pages: list[Page],
               whole: bool) -> None:
    """Keep the pages just made (before anything changes their trees), and, from a `whole`
    document, their citations (see pages_alone)."""
    if not citations_in_text(project):
        return
    analysed = analysed_pages(analysis, lang)
    cache = results(project)
    for page in pages:
        entry = [key, page.name, str(page.in_report), analysed[page.name].digest]
        cache.put("page", cache.key("page", entry), to_json(page.blocks).encode("utf-8"))
        if whole:
            cache.put("page-cites", cache.key("page-cites", [key, page.name]), to_json(cites(page.blocks)).encode("utf-8"))


def kept_document(project: "Project", analysis: ProjectAnalysis, lang: str) -> list[Page]:
    """`document`, its pages kept between builds: a rebuild after an edit makes again only the
    pages edited, each alone (pages_alone). The same pages as document()'s, tree for tree
    (tests/test_incremental.py); a note style always gets the whole document."""
    if not citations_in_text(project):
        return document(project, analysis, lang)
    key = document_key(project, analysis, lang)
    analysed = analysed_pages(analysis, lang)
    cache = results(project)
    order = page_order(project, analysis, lang)
    kept: dict[str, list[Node]] = {}
    for name, in_report in order:
        if "casestudies" in analysed[name].directives:
            continue  # (the page that lists all case studies is made again, as on the site: render.py)
        data = cache.get("page", cache.key("page", [key, name, str(in_report), analysed[name].digest]))
        if data is not None:
            kept[name] = from_json(data)
    missing = [(name, in_report) for name, in_report in order if name not in kept]
    made = pages_alone(project, analysis, lang, key, missing) if missing else []
    if made is None:
        made = document(project, analysis, lang)
        keep_pages(project, analysis, lang, key, made, whole=True)
        return made
    keep_pages(project, analysis, lang, key, made, whole=False)
    by_name = {page.name: page for page in made}
    return [by_name[name] if name in by_name else Page(name, kept[name], in_report) for name, in_report in order]

