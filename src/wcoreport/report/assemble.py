"""Assemble one language's report as pandoc Markdown: title block, summary, chapters in nav order."""

from __future__ import annotations

import re

from ..markdown.preprocess import Context, Target, expand
from ..metadata import Metadata
from ..project import Project
from .layout import agenda_line, date_line, masthead_lines, meeting_line, sessions_line, summary_labels

FOOTNOTE = re.compile(r"\[\^([^\]\s]+)\]")
TOC_TITLE = {"en": "Contents", "fr": "Table des matières"}
DRAFT = {"en": "DRAFT — not for citation",
         "fr": "PROJET — ne pas citer"}


def _div(cls: str, text: str) -> str:
    return f"::: {{.{cls}}}\n{text}\n:::\n"


def _paragraphs(text: str) -> str:
    """A metadata text as Markdown paragraphs: a blank line in the YAML value starts a new one."""
    return "\n\n".join(p.strip() for p in text.strip().split("\n\n") if p.strip()) + "\n"


def title_block(meta: Metadata, lang: str) -> str:
    """The WCO title block as styled Divs (see styled_blocks.py): masthead; then one row with
    the committee, sessions and meeting dates at left and the code and date at right; then the
    title, subtitle and agenda item."""
    left = [_div("tb-committee", meta.committee[lang]), _div("tb-sessions", sessions_line(meta.sessions, lang))]
    if meta.meeting:
        left.append(_div("tb-meeting", meeting_line(meta.meeting.start, meta.meeting.end, lang)))
    right = [_div("tb-code", meta.code[lang]), _div("tb-date", date_line(meta.place[lang], meta.date, lang))]
    parts = ["::::::: {.titleblock}"]
    parts += [_div("tb-masthead", line) for line in masthead_lines()]
    parts += ["::::: {.tb-row}", ":::: {.tb-left}", *left, "::::", ":::: {.tb-right}", *right, "::::",
              ":::::\n"]
    parts.append(_div("tb-title", meta.title[lang]))
    if meta.subtitle:
        parts.append(_div("tb-subtitle", meta.subtitle[lang]))
    parts.append(_div("tb-agenda", agenda_line(meta.agenda_item, lang)))
    if not meta.final:
        parts.append(_div("tb-draft", DRAFT[lang]))
    parts.append(":::::::\n")
    return "\n".join(parts)


def summary_block(meta: Metadata, lang: str) -> str:
    """SUMMARY / SYNTHÈSE: the purpose of the document and the action required, set apart."""
    heading, purpose, action = summary_labels(meta.committee[lang], lang)
    return "\n".join([
        "::::: {.summary}", _div("summary-heading", heading),
        _div("summary-label", purpose), _paragraphs(meta.summary.purpose[lang]),
        _div("summary-label", action), _paragraphs(meta.summary.action[lang]),
        ":::::\n",
        _div("summary-end", "\\*\u2003\\*\u2003\\*"),
    ])


def front_matter(meta: Metadata, lang: str) -> str:
    """Title block, summary and (unless `toc: false`) the table of contents."""
    parts = [title_block(meta, lang), summary_block(meta, lang)]
    if meta.toc:
        parts.append(f'::: {{.toc title="{TOC_TITLE[lang]}"}}\n:::\n')
    return "\n".join(parts)


def assemble(project: Project, lang: str) -> str:
    """The whole report in one language, in pandoc's Markdown. Problems go to project.problems."""
    parts = [front_matter(project.metadata, lang)]
    for number, chapter in enumerate(project.report_chapters(), start=1):
        text = chapter.texts.get(lang)
        if text is None:
            continue
        ctx = Context(project, lang, Target.PANDOC, project.problems)
        body = expand(text.body, text.path, text.body_line, ctx)
        # Footnote labels are per file for editors, but one namespace in the assembled report.
        body = FOOTNOTE.sub(lambda m: f"[^c{number}-{m.group(1)}]", body)
        if text.meta.annex:
            parts.append(f":::::::: {{.annex}}\n{body}\n::::::::\n")
        else:
            parts.append(body + "\n")
    return "\n".join(parts)
