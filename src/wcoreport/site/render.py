"""The site's pages, written by pandoc's HTML writer from the shared document (the same tree
the DOCX and the PDF are written from: markdown/document.py).

MkDocs still makes the site (navigation, theme, search); it gets each page's HTML and table of
contents from here instead of reading the Markdown itself (plugin.py). What only the site has
is done here: links and images as URLs of the site, a case study's box linking to its page,
the catalogue as a table a script can filter.
"""

from __future__ import annotations

import html
import json
import posixpath
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from ..pipeline.cache import Cache, digest, results
from ..data import render_chart
from ..markdown.analysis import API_VERSION, CHART_SCHEME, PageAnalysis
from ..text.strings import text as label
from ..markdown.document import (Page, analysed_pages, citations_in_text, document_key, page_order,
                                 pages_alone)
from ..markdown.gate import CASESTUDY_PAGES, ProjectAnalysis, resolve_link
from ..markdown.pandoc_ast import Node, attribute, copy_tree, div, from_json, map_inlines, to_json, walk_blocks, words_joined
from ..text.typography import apply_to_html
from .catalogue import catalogue_html

if TYPE_CHECKING:
    from ..sources.project import Project



@dataclass
class RenderedPage:
    html: str
    toc: list[dict]  # MkDocs' toc tokens: level, id, name, children
    title: str


def page_url(name: str, directory_urls: bool = True) -> str:
    """The URL of a page inside its language's part of the site, from its path in the folder."""
    stem = name[:-3] if name.endswith(".md") else name
    if not directory_urls:  # (a page opened from the file system: a folder is no page)
        return stem + ".html"
    if stem == "index" or stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def relative_url(from_url: str, to_url: str) -> str:
    """The link from a page (its URL in the site) to another URL of the site."""
    base = from_url if from_url.endswith("/") or not from_url else posixpath.dirname(from_url) + "/"
    rel = posixpath.relpath("/" + to_url, "/" + base)
    if rel == ".":
        return "./"
    return rel + "/" if to_url.endswith("/") and not rel.endswith("/") else rel


class _SitePage:
    def __init__(self, project: "Project", lang: str, name: str, analysis: PageAnalysis | None,
                 directory_urls: bool):
        self.project, self.lang, self.name = project, lang, name
        self.url = page_url(name, directory_urls)
        self.directory_urls = directory_urls
        self.docs = (project.docs_dir / lang).resolve()
        self.source = analysis.path if analysis and not name.startswith(CASESTUDY_PAGES) else self.docs / name

    def link(self, name: str) -> str:
        return relative_url(self.url, page_url(name, self.directory_urls))

    def href(self, url: str) -> str:
        if re.match(r"^[A-Za-z][A-Za-z0-9+.-]+:", url):
            return url  # a web or mail address (the analysis allowed only those schemes)
        target, anchor = resolve_link(self.docs, self.source, url)
        fragment = f"#{anchor}" if anchor else ""
        if target is None:
            return fragment or "./"
        return self.link(target) + fragment

    def image(self, src: str) -> str:
        folder = posixpath.dirname(self.source.relative_to(self.docs).as_posix()) if \
            self.source.is_relative_to(self.docs) else ""
        return relative_url(self.url, posixpath.normpath(posixpath.join(folder, src)))

    def blocks(self, blocks: list[Node]) -> list[Node]:
        def change(node: Node):
            kind = node["t"]
            if kind == "Link":
                node["c"][2][0] = self.href(node["c"][2][0])
            elif kind == "Image" and node["c"][2][0].startswith(CHART_SCHEME):
                name = node["c"][2][0][len(CHART_SCHEME):]
                # (a chart of an earlier version, in the changes since a review round: its description)
                return [self.chart(name)] if name in self.project.charts else node["c"][1]
            elif kind == "Image":
                node["c"][2][0] = self.image(node["c"][2][0])
            elif kind == "OrderedList":
                return _lettered(node)
            return None

        blocks = map_inlines(blocks, change, {"Link", "Image", "OrderedList"})
        walk_blocks(blocks, self.div)
        return blocks

    def chart(self, name: str) -> Node:
        """A chart, drawn in the page's language, as SVG in the page (its text stays text, its
        text alternative is inside it: see data/charts.py)."""
        project = self.project
        drawn = render_chart(project.charts[name], project.tables, self.lang, project.cache_dir / "charts")
        svg = drawn.svg_path.read_text("utf-8")
        return {"t": "RawInline", "c": ["html", svg[svg.index("<svg"):]]}

    def div(self, node: Node) -> None:
        if node["t"] != "Div":
            return
        classes = node["c"][0][1]
        if "wco-chart-data" in classes:  # the chart's data, a click away
            summary = html.escape(label("chart_data", self.lang))
            node["c"][1] = [{"t": "RawBlock", "c": ["html", f'<details class="wco-chart-data"><summary>{summary}</summary>']},
                            *node["c"][1], {"t": "RawBlock", "c": ["html", "</details>"]}]
        if "wco-casestudies" in classes:
            catalogue = catalogue_html(self.project, self.lang, self.link)
            catalogue = apply_to_html(catalogue, self.lang)  # typeset like the page (on its tree)
            node["c"][1] = [{"t": "RawBlock", "c": ["html", catalogue]}]
        cid = attribute(node["c"][0], "data-casestudy")
        if cid is not None and self.name != f"{CASESTUDY_PAGES}/{cid}.md":
            for child in node["c"][1]:
                if child["t"] == "Div" and "casestudy-title" in child["c"][0][1]:
                    plain = child["c"][1][0]
                    plain["c"] = [{"t": "Link", "c": [["", [], []], plain["c"],
                                                      [self.link(f"{CASESTUDY_PAGES}/{cid}.md"), ""]]}]


def _lettered(node: Node) -> list[Node] | None:
    """A lettered list "a) b)" in a Div(.wco-lettered): the site's style shows "a)", not "a."."""
    if node["c"][0][1]["t"] == "LowerAlpha" and node["c"][0][2]["t"] == "OneParen":
        return [div(["wco-lettered"], [node])]
    return None


def _toc(analysis: PageAnalysis | None) -> list[dict]:
    """MkDocs' toc tokens of a page, from its headings (nested by level)."""
    tokens: list[dict] = []
    stack: list[dict] = []
    for heading in analysis.headings if analysis else []:
        token = {"level": heading.level, "id": heading.ident, "name": html.escape(heading.title), "children": []}
        while stack and stack[-1]["level"] >= heading.level:
            stack.pop()
        (stack[-1]["children"] if stack else tokens).append(token)
        stack.append(token)
    return tokens


# pandoc's HTML writer as the site wants it: the same options as a batch request (pandoc
# server's names) and as pandoc's command line (the cache key).
_HTML_OPTIONS = {"from": "json", "to": "html5", "wrap": "none", "syntax-highlighting": "none",
                 "section-divs": False, "email-obfuscation": "none"}
_HTML_ARGS = ["-f", "json", "-t", "html5", "--wrap=none", "--syntax-highlighting=none",
              "--section-divs=false", "--email-obfuscation=none"]


def _html(pages: list[list[Node]], id_prefix: str = "", cache: Cache | None = None) -> list[str]:
    """Each page's blocks (typeset: document.py) as HTML, written by one pandoc process."""
    sources = [to_json({"pandoc-api-version": API_VERSION, "meta": {}, "blocks": words_joined(blocks)})
               for blocks in pages]
    options = {**_HTML_OPTIONS, **({"identifier-prefix": id_prefix} if id_prefix else {})}
    args = _HTML_ARGS + ([f"--id-prefix={id_prefix}"] if id_prefix else [])
    made = (cache or Cache(None)).memo_pandoc("html", args, [{**options, "text": source} for source in sources])
    for result in made:
        if isinstance(result, Exception):
            raise result  # the tree is ours and checked: pandoc's complaint is a bug of ours
    return [result.decode("utf-8") for result in made]


def render_pages(project: "Project", analysis: ProjectAnalysis, lang: str, pages: list[Page],
                 directory_urls: bool = True, id_prefix: str = "") -> dict[str, RenderedPage]:
    """Every page of a language (chapters and case studies) as HTML, by page name. `id_prefix`:
    before every id of the HTML (a second rendering of a page inside it, site/changes.py).
    The trees of the pages only the site shows are changed in place (links, charts, catalogue);
    those of the report's pages are copied first, the report is assembled from them too."""
    analysed = analysed_pages(analysis, lang)
    bodies, tocs, titles = [], [], []
    for page in pages:
        page_analysis = analysed.get(page.name)
        site_page = _SitePage(project, lang, page.name, page_analysis, directory_urls)
        bodies.append(site_page.blocks(copy_tree(page.blocks) if page.in_report else page.blocks))
        tocs.append(_toc(page_analysis))
        titles.append(page_analysis.title if page_analysis else page.name)
    html_pages = _html(bodies, id_prefix, results(project))
    return {page.name: RenderedPage(body, toc, title)
            for page, body, toc, title in zip(pages, html_pages, tocs, titles)}


def language_key(project: "Project", analysis: ProjectAnalysis, lang: str, directory_urls: bool) -> str:
    """What every site page of a language depends on besides its own sources: its document's
    (document_key) and the form of the site's addresses."""
    return digest([str(directory_urls), document_key(project, analysis, lang)])


def _as_bytes(page: RenderedPage) -> bytes:
    return json.dumps([page.html, page.toc, page.title], ensure_ascii=False).encode("utf-8")


def _from_bytes(data: bytes) -> RenderedPage:
    body, toc, title = from_json(data)
    return RenderedPage(body, toc, title)


Wanted = list[tuple[str, bool]]  # pages by name, and whether each is in the report


def site_pages(project: "Project", analysis: ProjectAnalysis, lang: str, key: str, wanted: Wanted,
               make: Callable[[Wanted], list[Page]], directory_urls: bool = True) -> dict[str, RenderedPage]:
    """The site's HTML of the pages `wanted`, each kept between builds by what it is made from
    (`key`: the language's, language_key; its analysis's digest): `make` is asked for the
    trees of the others only (as the shared document makes them), and render_pages writes
    them. Not kept: the pages that show all case studies (their metadata is not in the key),
    and every page if the style numbers citations in notes."""
    analysed = analysed_pages(analysis, lang)
    cache = results(project)
    in_text = citations_in_text(project)
    keys = {name: cache.key("site-page", [key, name, str(in_report), analysed[name].digest])
            for name, in_report in wanted if in_text and "casestudies" not in analysed[name].directives}
    made: dict[str, RenderedPage] = {}
    for name, entry in keys.items():
        if (data := cache.get("site-page", entry)) is not None:
            made[name] = _from_bytes(data)
    missing = [(name, in_report) for name, in_report in wanted if name not in made]
    if missing:
        rendered = render_pages(project, analysis, lang, make(missing), directory_urls)
        for name, page in rendered.items():
            if name in keys:
                cache.put("site-page", keys[name], _as_bytes(page))
        made.update(rendered)
    return {name: made[name] for name, _ in wanted}


def language_site(project: "Project", analysis: ProjectAnalysis, lang: str,
                  document_of: Callable[[], list[Page]]) -> dict[str, RenderedPage]:
    """Every page of a language for the build command's site. A page whose HTML is not kept is
    made alone from its citations as citeproc formatted them in the last build over the same
    citations (document.pages_alone; the preview keeps them in memory: preview.py); only if
    one cannot be (no such build, the bibliography's page) is the language's document made
    (`document_of()`)."""
    key = document_key(project, analysis, lang)

    def make(missing: Wanted) -> list[Page]:
        pages = pages_alone(project, analysis, lang, key, missing)
        if pages is not None:
            return pages
        by_name = {page.name: page for page in document_of()}
        return [by_name[name] for name, _ in missing]

    return site_pages(project, analysis, lang, language_key(project, analysis, lang, True),
                      page_order(project, analysis, lang), make)
