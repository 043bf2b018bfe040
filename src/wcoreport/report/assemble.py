"""Assemble one language's report as pandoc Markdown: title block, summary, chapters in nav order."""

from __future__ import annotations

import re

from ..markdown.preprocess import Context, Target, expand
from ..metadata import Metadata
from ..project import Project
from .layout import agenda_line, date_line, masthead_lines, sessions_line

FOOTNOTE = re.compile(r"\[\^([^\]\s]+)\]")
SUMMARY = {"en": ("SUMMARY", "Purpose of the document", "Action required"),
           "fr": ("SYNTHÈSE", "Objet du document", "Mesure requise")}
TOC_TITLE = {"en": "Contents", "fr": "Table des matières"}
DRAFT = {"en": "DRAFT — not for citation",
         "fr": "PROJET — ne pas citer"}


def _div(cls: str, text: str) -> str:
    return f"::: {{.{cls}}}\n{text}\n:::\n"


def front_matter(meta: Metadata, lang: str) -> str:
    """The WCO title block and the summary, as styled Divs (see styled_blocks.lua)."""
    title = meta.title[lang]
    parts = ["::::: {.titleblock}"]
    parts += [_div("tb-masthead", line) for line in masthead_lines()]
    parts.append(_div("tb-committee", f"{meta.committee[lang]}\\\n{sessions_line(meta.sessions, lang)}"))
    parts.append(_div("tb-code", meta.code[lang]))
    parts.append(_div("tb-date", date_line(meta.place[lang], meta.date, lang)))
    parts.append(_div("tb-title", title))
    if meta.subtitle:
        parts.append(_div("tb-subtitle", meta.subtitle[lang]))
    parts.append(_div("tb-agenda", agenda_line(meta.agenda_item, lang)))
    if not meta.final:
        parts.append(_div("tb-draft", DRAFT[lang]))
    parts.append(":::::\n")
    heading, purpose, action = SUMMARY[lang]
    parts += ["::::: {.summary}", _div("summary-heading", heading), f"**{purpose}**\n",
              meta.summary.purpose[lang] + "\n", f"**{action}**\n", meta.summary.action[lang] + "\n",
              ":::::\n"]
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
