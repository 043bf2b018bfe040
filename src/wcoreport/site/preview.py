"""The site's pages across the reloads of `mkdocs serve`: only what an edit reaches is made again.

A language's pages are made from one document (markdown/document.py): numbered through the
report and with citations formatted by one citeproc run. A reload whose edit changes neither
(no figure or table renumbered, the same citations in the same order: the language's `key`)
keeps every other page's HTML, and makes each changed page alone: its tree from its analysis,
numbered, its citations as citeproc formatted them last time (citeproc's result for a page
depends only on the sequence of all citations, which is unchanged), typeset, written by
pandoc. Anything else — a citation added, a figure moved, a note style, the page holding the
bibliography — makes the whole language again, as a build does. `tests/test_preview.py`
checks that a page made alone is the page a whole build makes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..markdown.document import analysed_pages, citations_in_text, document, page_alone, page_order
from ..markdown.gate import ProjectAnalysis
from ..markdown.pandoc_ast import Node, cites, copy_tree
from .render import RenderedPage, language_key, site_pages

if TYPE_CHECKING:
    from ..sources.project import Project


@dataclass
class _Made:
    source: str  # the page's analysis digest (what its own sources were)
    rendered: RenderedPage
    cites: list[Node]  # its citations, as citeproc formatted them, in document order


class SitePages:
    """The last pages made, per language, and what they were made from."""

    def __init__(self) -> None:
        self._last: dict[str, tuple[str, dict[str, _Made]]] = {}
        self.remade: dict[str, int] = {}  # lang -> pages made by the last call (for the log)

    def pages(self, project: "Project", analysis: ProjectAnalysis, lang: str,
              directory_urls: bool) -> dict[str, RenderedPage]:
        order = page_order(project, analysis, lang)
        analysed = analysed_pages(analysis, lang)
        key = language_key(project, analysis, lang, directory_urls)
        last_key, last = self._last.get(lang, ("", {}))
        # (the catalogue of case studies is made from all of them: its page is always made again)
        changed = [(name, in_report) for name, in_report in order
                   if name not in last or last[name].source != analysed[name].digest
                   or "casestudies" in analysed[name].directives]
        if key == last_key and citations_in_text(project) and \
                all("bibliography" not in analysed[name].directives for name, _ in changed):
            pages = [page_alone(analysis, lang, name, in_report, copy_tree(last[name].cites))
                     for name, in_report in changed]
            made = dict(last)
        else:
            pages = document(project, analysis, lang)
            made = {}
        formatted = {page.name: copy_tree(cites(page.blocks)) for page in pages}  # before rendering changes them
        by_name = {page.name: page for page in pages}
        rendered = site_pages(project, analysis, lang, key, [(page.name, page.in_report) for page in pages],
                              lambda missing: [by_name[name] for name, _ in missing], directory_urls)
        for page in pages:
            made[page.name] = _Made(analysed[page.name].digest, rendered[page.name], formatted[page.name])
        made = {name: made[name] for name, _ in order}
        self._last[lang] = (key, made)
        self.remade[lang] = len(pages)
        return {name: m.rendered for name, m in made.items()}
