"""One language's report as pandoc's document tree: title block, summary, chapters in nav order.

Everything that comes from `report.yml` enters the tree as text nodes (pandoc_ast.inlines), so
that the DOCX and Typst writers escape it: a title or a document code can never become markup.
The chapters are the shared document's pages (markdown/document.py); here they get what only
the report has: links between chapters become links inside the document, the case-study
catalogue a table, the abbreviations a list, and each chapter a mark of where it came from.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from ..markdown.analysis import API_VERSION
from ..markdown.document import Page
from ..markdown.gate import CASESTUDY_PAGES, ProjectAnalysis, resolve_link
from ..markdown.pandoc_ast import Node, copy_tree, div, inlines, map_inlines, para, plain, table, walk_blocks
from ..markdown.typeset import typeset_blocks
from ..sources.metadata import Metadata
from ..text.strings import text
from ..sources.vocabulary import REGIONS, SOURCES
from .layout import agenda_line, date_line, masthead_lines, meeting_line, sessions_line, summary_labels

if TYPE_CHECKING:
    from ..sources.project import Project

SOURCE_LINE = "source-line"  # attribute of a chapter's top-level blocks: where they were typed


def _marked(line: str) -> list[Node]:
    """A line of the title block whose `^text^` parts are superscripts (249^th^ Session)."""
    out: list[Node] = []
    for i, part in enumerate(re.split(r"\^([^^]*)\^", line)):
        if i % 2:
            out.append({"t": "Superscript", "c": inlines(part)})
        elif part:
            words = inlines(part)
            if part.startswith(" "):
                words.insert(0, {"t": "Space"})
            if part.endswith(" "):
                words.append({"t": "Space"})
            out.extend(words)
    return out


def _line(cls: str, line: str) -> Node:
    return div([cls], [{"t": "Plain", "c": _marked(line)}])


def _text(cls: str, value: str) -> Node:
    return div([cls], [plain(value)])


def _paragraphs(value: str) -> list[Node]:
    """A metadata text as paragraphs: a blank line in the YAML value starts a new one."""
    return [para(p) for p in value.strip().split("\n\n") if p.strip()]


def title_block(meta: Metadata, lang: str) -> Node:
    """The WCO title block: masthead; committee, sessions and meeting dates at left, code and
    date at right; then title, subtitle, agenda item and (until final) the draft notice."""
    left = [_text("tb-committee", meta.committee[lang]), _line("tb-sessions", sessions_line(meta.sessions, lang))]
    if meta.meeting:
        left.append(_line("tb-meeting", meeting_line(meta.meeting.start, meta.meeting.end, lang)))
    right = [_text("tb-code", meta.code[lang]), _line("tb-date", date_line(meta.place[lang], meta.date, lang))]
    blocks = [_text("tb-masthead", line) for line in masthead_lines()]
    blocks.append(div(["tb-row"], [div(["tb-left"], left), div(["tb-right"], right)]))
    blocks.append(_text("tb-title", meta.title[lang]))
    if meta.subtitle:
        blocks.append(_text("tb-subtitle", meta.subtitle[lang]))
    blocks.append(_text("tb-agenda", agenda_line(meta.agenda_item, lang)))
    if not meta.final:
        blocks.append(_text("tb-draft", text("draft_notice", lang)))
    return div(["titleblock"], blocks)


def summary_block(meta: Metadata, lang: str) -> list[Node]:
    """SUMMARY / SYNTHÈSE: the purpose of the document and the action required, set apart."""
    heading, purpose, action = summary_labels(meta.committee[lang], lang)
    summary = div(["summary"], [
        _text("summary-heading", heading),
        _text("summary-label", purpose), *_paragraphs(meta.summary.purpose[lang]),
        _text("summary-label", action), *_paragraphs(meta.summary.action[lang]),
    ])
    return [summary, _text("summary-end", "*\u2003*\u2003*")]


def front_matter(meta: Metadata, lang: str) -> list[Node]:
    blocks = [title_block(meta, lang), *summary_block(meta, lang)]
    if meta.toc:
        blocks.append(div(["toc"], [], pairs={"title": text("toc_title", lang)}))
    return blocks


def catalogue_table(project: "Project", lang: str) -> Node:
    """`{% casestudies %}` in the report: every case study, one row each."""
    headers = [text(k, lang) for k in ("casestudy", "member", "region", "technologies", "year", "source")]
    rows = []
    for cid, study in sorted(project.casestudies.items(), key=lambda kv: (kv[1].meta.year, kv[0])):
        if study.meta.status == "submitted":  # a Member's submission not yet edited: reviewers' site only
            continue
        techs = ", ".join(project.technologies[t].names[lang] for t in study.meta.technologies
                          if t in project.technologies)
        rows.append([study.title(lang), study.member_name(lang), REGIONS[study.meta.region][lang], techs,
                     str(study.meta.year), SOURCES[study.meta.source][lang]])
    return table(headers, rows)


def abbreviations_list(pages: list[Page], abbreviations: dict[str, str]) -> Node:
    """`{% abbreviations %}` in the report: every abbreviation of its chapters, sorted."""
    items = [[inlines(abbr), [[plain(full)]]] for abbr, full in sorted(abbreviations.items(), key=lambda kv: kv[0].casefold())]
    return {"t": "DefinitionList", "c": items} if items else {"t": "Null"}


class _Links:
    """Links between chapters, as links inside the one document of the report."""

    def __init__(self, project: "Project", analysis: ProjectAnalysis, lang: str, report_pages: set[str]):
        self.docs = (project.docs_dir / lang).resolve()
        self.found = analysis.languages[lang]
        self.report_pages = report_pages
        self.shown = set(analysis.casestudy_users.get(lang, {}))

    def target(self, page: str, url: str) -> str | None:
        """The report's target of a local link on `page`, or None: not in the report (text only)."""
        if re.match(r"^[A-Za-z][A-Za-z0-9+.-]+:", url):
            return url
        source = self.found.pages[page].path if page in self.found.pages else self.docs / page
        name, anchor = resolve_link(self.docs, source, url)
        name = name or page
        if name.startswith(CASESTUDY_PAGES + "/"):
            cid = name[len(CASESTUDY_PAGES) + 1:-3]
            return f"#casestudy-{cid}" if cid in self.shown else None
        if name not in self.report_pages:
            return None
        if anchor:
            return "#" + anchor
        headings = self.found.pages[name].headings
        return "#" + headings[0].ident if headings else None

    def rewrite(self, page: str, blocks: list[Node]) -> tuple[list[Node], bool]:
        """The blocks with their links rewritten; and whether a link became its text alone
        (its words now run on with the words around them: typography must see them again)."""
        unwrapped = False

        def change(node: Node):
            nonlocal unwrapped
            if node.get("t") != "Link":
                return None
            target = self.target(page, node["c"][2][0])
            if target is None:
                unwrapped = True
                return node["c"][1]  # the link's text, without the link
            node["c"][2][0] = target
            return None

        return map_inlines(blocks, change, {"Link"}), unwrapped


def assemble(project: "Project", analysis: ProjectAnalysis, lang: str, pages: list[Page], own: bool = False) -> dict:
    """The whole report in one language, as pandoc's tree (pages: the shared document's,
    typeset; copied unless `own`: the caller gives them up). What it adds or joins is typeset
    here; the pages' text is left as it came."""
    report = [p for p in pages if p.in_report]
    links = _Links(project, analysis, lang, {p.name for p in report})
    abbreviations = {abbr: full for p in report for abbr, (full, _path, _line)
                     in analysis.languages[lang].pages[p.name].abbreviations.items()}
    blocks = typeset_blocks(front_matter(project.metadata, lang), lang)
    for page in report:
        body, unwrapped = links.rewrite(page.name, page.blocks if own else copy_tree(page.blocks))
        if unwrapped:
            typeset_blocks(body, lang)
        _fill_directives(project, lang, body, report, abbreviations)
        lines = analysis.languages[lang].pages[page.name].block_lines
        body = _mark_sources(project, body, lines)
        chapter = next(c for c in project.chapters if c.name == page.name)
        blocks.append(div(["annex"], body) if chapter.annex else div(["chapter"], body))
    return {"pandoc-api-version": API_VERSION, "meta": {}, "blocks": _unwrap(blocks)}


def _unwrap(blocks: list[Node]) -> list[Node]:
    """Chapters' blocks at the top level of the document (the numbering counts top-level
    paragraphs); annexes keep their Div (their own headings, no paragraph numbers)."""
    out: list[Node] = []
    for block in blocks:
        if block["t"] == "Div" and block["c"][0][1] == ["chapter"]:
            out.extend(block["c"][1])
        else:
            out.append(block)
    return out


def _fill_directives(project: "Project", lang: str, blocks: list[Node], pages: list[Page],
                     abbreviations: dict[str, str]) -> None:
    def visit(node: Node) -> None:
        if node["t"] != "Div":
            return
        classes = node["c"][0][1]
        if "wco-casestudies" in classes:
            node["c"][1] = typeset_blocks([catalogue_table(project, lang)], lang)
        elif "wco-abbreviations" in classes:
            node["c"][1] = typeset_blocks([abbreviations_list(pages, abbreviations)], lang)

    walk_blocks(blocks, visit)


def _mark_sources(project: "Project", blocks: list[Node], lines: list[tuple[Path, int]]) -> list[Node]:
    """Each top-level block of a chapter knows the file and line it was typed at, so that an
    error of a writer names them (report/build.py reads the marks back)."""
    if len(lines) != len(blocks):
        return blocks
    out = []
    for block, (path, line) in zip(blocks, lines):
        where = f"{project.problems.relative(path)}:{line}"
        out.append({"t": "RawBlock", "c": ["typst", f"// {SOURCE_LINE} {where}"]})
        out.append(block)
    return out
