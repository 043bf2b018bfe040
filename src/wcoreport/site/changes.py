"""What changed since each review round, on the site: a panel at the top of each changed page,
a table on the status page.

A review round is a git tag named `review-N` (revisions.py). For each of the last rounds, the
sources as they were are built into the shared document (markdown/document.py) and each page's
blocks are compared with today's (markdown/redline.py, the diff the redline DOCX and PDF use).
A changed page gets, under its title, one closed `<details>` per round: its summary line counts
the changes, and opening it shows the page with insertions (`<ins>`) and deletions (`<del>`)
marked. The reviewer chooses a round by opening its panel: plain HTML, no script, no server;
the site works offline as before. Not a git work tree, or no review tag: nothing is added.

Computed once per load of the sources (the plugin keeps the analysis), not per page.
"""

from __future__ import annotations

import dataclasses
import html
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from mkdocs.plugins import get_plugin_logger

from ..markdown.document import document
from ..markdown.gate import CASESTUDY_PAGES, ProjectAnalysis, check_project
from ..pipeline.cache import results
from ..markdown.pandoc_ast import Node, copy_tree, from_json, map_inlines, to_json
from ..markdown.redline import DELETION, INSERTION, Counts, Mark, redline
from ..pipeline.pandoc import ToolError
from ..sources.project import load_project
from ..pipeline.revisions import RevisionError, project_folder, resolve, review_tags, sources_at
from ..text.strings import text
from ..text.typography import apply_to_html
from .render import render_pages

if TYPE_CHECKING:
    from ..sources.project import Project

log = get_plugin_logger(__name__)
# Not warnings: the site is built with --strict, and an old round that no longer builds must
# not stop today's site.
# The review rounds shown: the latest ones (each costs a build of its sources' document).
MAX_ROUNDS = 3
STATUS_PAGE = "status.md"


@dataclass
class PageChange:
    rev: str
    counts: Counts
    html: str  # the page with its changes marked; "" for a page new since the round
    new: bool = False


@dataclass
class SiteChanges:
    rounds: list[str]  # oldest first
    pages: dict[str, dict[str, list[PageChange]]]  # lang -> page -> one per changed round


_last: tuple[object, bool, SiteChanges] | None = None


def site_changes(project: "Project", analysis: ProjectAnalysis, directory_urls: bool) -> SiteChanges:
    """The changes since the last review rounds, per language and page (cached per analysis)."""
    global _last
    if _last is not None and _last[0] is analysis and _last[1] == directory_urls:
        return _last[2]
    result = _compute(project, analysis, directory_urls)
    _last = (analysis, directory_urls, result)
    return result


def _marked(blocks: list[Node]) -> list[Node]:
    """Insertion and deletion spans as HTML's own <ins> and <del> (the words stay pandoc's text)."""
    tags = {INSERTION: "ins", DELETION: "del"}

    def change(node: Node):
        if node.get("t") != "Span":
            return None
        kind = next((c for c in node["c"][0][1] if c in tags), None)
        if kind is None:
            return None
        return [{"t": "RawInline", "c": ["html", f'<{tags[kind]} class="wco-{tags[kind]}">']}, *node["c"][1],
                {"t": "RawInline", "c": ["html", f"</{tags[kind]}>"]}]

    return map_inlines(blocks, change, {"Span"})


def _for_panel(blocks: list[Node]) -> list[Node]:
    """The blocks shown in a panel: the page's title is above it already (not again, unless it
    changed); the other headings as bold paragraphs, so that neither the page's outline nor
    the search index lists the panel's copy of them."""
    if blocks and blocks[0]["t"] == "Header" and blocks[0]["c"][0] == 1 and "Span" not in str(blocks[0]):
        blocks = blocks[1:]
    return [{"t": "Div", "c": [["", ["wco-changes-heading"], []], [{"t": "Para", "c": [{"t": "Strong", "c": b["c"][2]}]}]]}
            if b["t"] == "Header" else b for b in blocks]


def _compute(project: "Project", analysis: ProjectAnalysis, directory_urls: bool) -> SiteChanges:
    root = project.root
    rounds = review_tags(root)[-MAX_ROUNDS:]
    pages: dict[str, dict[str, list[PageChange]]] = {lang: {} for lang in project.languages}
    if not rounds:
        return SiteChanges([], pages)
    current = {lang: document(project, analysis, lang) for lang in project.languages}
    shown: list[str] = []
    for tag in rounds:
        try:
            before = _round_blocks(project, tag)
        except (RevisionError, ToolError) as exc:
            log.info(f"changes since {tag} not shown: {exc}")
            continue
        if before is None:
            log.info(f"changes since {tag}: its sources do not build; not shown")
            continue
        shown.append(tag)
        prefix = f"since-{re.sub(r'[^A-Za-z0-9_-]', '-', tag)}-"
        for lang in project.languages:
            marked, counted = [], {}
            for page in current[lang]:
                previous = before.get(lang, {}).get(page.name)
                if previous is None:
                    pages[lang].setdefault(page.name, []).append(PageChange(tag, Counts(), "", new=True))
                    continue
                counts = Counts()
                blocks = redline(previous, page.blocks, Mark(tag), counts)
                if counts.any:
                    marked.append(dataclasses.replace(page, blocks=_marked(_for_panel(blocks))))
                    counted[page.name] = counts
            for name, rendered in _rendered(project, analysis, lang, marked, directory_urls, prefix, tag).items():
                pages[lang].setdefault(name, []).append(PageChange(tag, counted[name], rendered))
    return SiteChanges(shown, pages)


def _rendered(project: "Project", analysis: ProjectAnalysis, lang: str, marked: list, directory_urls: bool,
              prefix: str, tag: str) -> dict[str, str]:
    """The HTML of a round's changed pages of a language, in one pandoc run; a page that cannot
    be rendered (e.g. a chart deleted since: its data is gone) is left out, alone."""
    def fresh(page):  # rendering changes the trees of the site's own pages: each try gets its copy
        return dataclasses.replace(page, blocks=copy_tree(page.blocks))

    try:
        return {name: page.html for name, page in
                render_pages(project, analysis, lang, [fresh(p) for p in marked], directory_urls, prefix).items()}
    except (ToolError, KeyError):
        pass
    shown = {}
    for page in marked:
        try:
            shown[page.name] = render_pages(project, analysis, lang, [fresh(page)], directory_urls,
                                            prefix)[page.name].html
        except (ToolError, KeyError) as exc:
            log.info(f"changes of {lang}/{page.name} since {tag} not shown: {exc}")
    return shown


# A round's pages, by its commit: read from the results kept between builds, else made once
# (the sources at the tag loaded, checked and made into their documents: the cost of a round).
# Kept in memory too, for `mkdocs serve`, which asks again at every save.
_rounds: dict[str, dict[str, dict[str, list[Node]]] | None] = {}


def _round_blocks(project: "Project", tag: str) -> dict[str, dict[str, list[Node]]] | None:
    """The blocks of each page of each language as they were at review round `tag`, or None
    if its sources did not build. A commit's sources never change: the result is kept by the
    commit (and the toolchain, as every kept result), so only the first build after a new tag
    or a new toolchain pays for it."""
    revision = resolve(project.root, tag)
    cache = results(project)
    key = cache.key("review-round", [revision.commit, project_folder(project.root)])
    if key in _rounds:
        return _rounds[key]
    kept = cache.get("review-round", key)
    if kept is not None:
        before = from_json(kept)
    else:
        with sources_at(project.root, revision) as old_root:
            old = load_project(old_root)
            old_analysis = check_project(old, parity=None)
            if old.problems.errors or old.metadata is None:
                before = None
            else:
                before = {lang: {p.name: p.blocks for p in document(old, old_analysis, lang)}
                          for lang in old.languages}
        cache.put("review-round", key, to_json(before).encode("utf-8"))
    _rounds[key] = before
    return before


def _summary(change: PageChange, lang: str) -> str:
    if change.new:
        return text("changes_new_page", lang).format(rev=change.rev)
    c = change.counts
    return text("changes_summary", lang).format(rev=change.rev, changed=c.changed_blocks, inserted=c.inserted_blocks,
                                                deleted=c.deleted_blocks, words_in=c.inserted_words,
                                                words_out=c.deleted_words)


def page_panel(changes: SiteChanges, lang: str, page: str) -> str:
    """The panels of a page's changes (newest round first), or ""."""
    out = []
    for change in reversed(changes.pages.get(lang, {}).get(page, [])):
        summary = html.escape(_summary(change, lang))
        body = f'<div class="wco-changes-body">{change.html}</div>' if change.html else ""
        # Out of the search index (Material's data-search-exclude): the page is indexed once.
        out.append(f'<details class="wco-changes" data-since="{html.escape(change.rev)}" data-search-exclude>'
                   f"<summary>{summary}</summary>{body}</details>")
    return apply_to_html("".join(out), lang) if out else ""


def status_section(changes: SiteChanges, lang: str, titles: dict[str, str], link: Callable[[str], str]) -> str:
    """The status page's table of the pages changed since each review round."""
    if not changes.rounds:
        return ""
    head = html.escape(text("changes_status", lang))
    parts = [f'<h2 id="changes">{head}</h2><p>{html.escape(text("changes_status_intro", lang))}</p>']
    labels = [text(k, lang) for k in ("changes_page", "changes_added", "changes_changed", "changes_deleted",
                                      "changes_words_added", "changes_words_deleted")]
    for tag in reversed(changes.rounds):
        rows = []
        for page, items in changes.pages.get(lang, {}).items():
            change = next((c for c in items if c.rev == tag), None)
            if change is None or page.startswith(CASESTUDY_PAGES + "/"):
                continue
            c = change.counts
            cells = ([c.inserted_blocks, c.changed_blocks, c.deleted_blocks, c.inserted_words, c.deleted_words]
                     if not change.new else [text("changes_new_page", lang).format(rev=tag), "", "", "", ""])
            rows.append(f'<tr><td><a href="{html.escape(link(page))}">{html.escape(titles.get(page, page))}</a></td>'
                        + "".join(f'<td class="wco-num">{html.escape(str(v))}</td>' for v in cells) + "</tr>")
        caption = html.escape(text("changes_title", lang).format(rev=tag))
        if rows:
            header = "".join(f"<th>{html.escape(label)}</th>" for label in labels)
            parts.append(f'<table class="wco-changes-status" data-since="{html.escape(tag)}"><caption>{caption}'
                         f"</caption><thead><tr>{header}</tr></thead><tbody>{''.join(rows)}</tbody></table>")
        else:
            parts.append(f'<p data-since="{html.escape(tag)}">{html.escape(text("changes_none", lang).format(rev=tag))}</p>')
    return apply_to_html("".join(parts), lang)


def on_page_content(project: "Project", analysis: ProjectAnalysis, lang: str, rel: str, body: str,
                    link: Callable[[str], str], directory_urls: bool) -> str:
    """The plugin's one hook: a changed page gets its panels under its title; the status page
    its table of changed pages."""
    changes = site_changes(project, analysis, directory_urls)
    if rel == STATUS_PAGE:
        titles = {c.name: c.texts[lang].title for c in project.chapters if lang in c.texts}
        return body + status_section(changes, lang, titles, link)
    panel = page_panel(changes, lang, rel)
    if not panel:
        return body
    if "</h1>" in body:
        return body.replace("</h1>", "</h1>" + panel, 1)
    return panel + body
