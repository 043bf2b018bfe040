"""The self-assessment tools on the site: one page per tool and language, `<lang>/assessments/<id>/`.

The page is a plain HTML form made here (every author text escaped): fieldsets per area and per
question, labelled radio buttons, readable and printable without JavaScript. The script
(`assets/assessment.js`) adds the progress, the result per area (its chart drawn in the page),
keeping the answers in the browser on request, export and import; it reads the scoring rule
given here as JSON (assessments/scoring.py: the rule is written once) and the texts it shows,
already in the page's language. The tool makes no request of any kind.
"""

from __future__ import annotations

import html
import json
from typing import TYPE_CHECKING, Callable

from ..assessments import FOLDER, Assessment, paper_name, rule
from ..text.strings import section
from ..text.typography import apply_to_html, typography

if TYPE_CHECKING:
    from ..sources.project import Project

TEXT = section("assessment")  # its texts, per language: strings.py


def page_name(tool_id: str) -> str:
    """The page's path in a language folder (its nav entry in mkdocs.yml)."""
    return f"{FOLDER}/{tool_id}.md"


def paper_names(output_name: str, tool_id: str, lang: str) -> dict[str, str]:
    """The paper questionnaire's file names, per format (built with the report: assessments/paper.py)."""
    return {fmt: paper_name(output_name, tool_id, lang, fmt) for fmt in ("pdf", "docx")}


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _json(data) -> str:
    """JSON safe inside a <script> element: no '<', '>' or '&' as such."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def tool_page(project: "Project", tool: Assessment, lang: str, link: Callable[[str], str],
              downloads: dict[str, str | None]) -> str:
    """The page's HTML. `link` gives the URL, from this page, of a page of the language folder
    (`ai-ml.md`, `casestudies/x.md`); `downloads`: format -> URL of the paper file, or None
    when the report was not built."""
    text = TEXT[lang]
    parts: list[str] = [f"<h1>{_esc(tool.title[lang])}</h1>"]
    if tool.draft:
        parts.append(f'<p class="wco-banner wco-draft wco-assessment-draft" role="note">{_esc(text["draft"])}</p>')
    parts.append(f"<p>{_esc(tool.intro[lang])}</p>")
    parts.append(f'<div class="admonition note wco-not-benchmark"><p>{_esc(text["benchmark"])}</p></div>')
    parts.append(f'<p class="wco-assessment-private">{_esc(text["private"])}</p>')
    files = [f'<a href="{_esc(url)}" download>{fmt.upper()}</a>' for fmt, url in downloads.items() if url]
    if files:
        parts.append(f'<p class="wco-assessment-paper">{_esc(text["paper"])} {" · ".join(files)}</p>')
    total = sum(len(area.questions) for area in tool.areas)
    parts.append(f'<form class="wco-assessment" data-tool="{_esc(tool.id)}" data-lang="{_esc(lang)}">')
    parts.append(f'<div class="wco-assessment-progress"><label for="wco-progress">{_esc(text["progress_label"])}</label> '
                 f'<progress id="wco-progress" max="{total}" value="0"></progress> '
                 f'<output class="wco-progress-text" aria-live="polite">'
                 f'{_esc(text["progress"].format(n=0, total=total))}</output></div>')
    number = 0
    for a, area in enumerate(tool.areas, start=1):
        parts.append(f'<fieldset class="wco-area" data-area="{_esc(area.id)}">'
                     f'<legend><span class="wco-area-number">{_roman(a)}.</span> {_esc(area.title[lang])}</legend>')
        for question in area.questions:
            number += 1
            qid = f"q-{question.id}"
            described = ""
            guidance = ""
            if question.guidance:
                described = f' aria-describedby="{qid}-guidance"'
                guidance = (f'<p class="wco-guidance" id="{qid}-guidance">'
                            f'<span class="wco-guidance-label">{_esc(text["guidance"])} :</span> '
                            f"{_esc(question.guidance[lang])}</p>") if lang == "fr" else (
                            f'<p class="wco-guidance" id="{qid}-guidance">'
                            f'<span class="wco-guidance-label">{_esc(text["guidance"])}:</span> '
                            f"{_esc(question.guidance[lang])}</p>")
            parts.append(f'<fieldset class="wco-question" data-question="{_esc(question.id)}"{described}>'
                         f"<legend>{number}. {_esc(question.text[lang])}</legend>{guidance}"
                         '<div class="wco-levels">')
            for level in question.levels:
                lid = f"{qid}-{level.id}"
                parts.append(f'<div class="wco-level"><input type="radio" id="{_esc(lid)}" name="{_esc(question.id)}" '
                             f'value="{_esc(level.id)}"><label for="{_esc(lid)}">{_esc(level.text[lang])}</label></div>')
            parts.append("</div></fieldset>")
        parts.append("</fieldset>")
    parts.append('<div class="wco-assessment-actions" hidden>'
                 f'<label class="wco-keep"><input type="checkbox" name="wco-keep" data-keep> {_esc(text["keep"])}</label>'
                 f'<button type="button" class="md-button" data-action="export">{_esc(text["export"])}</button>'
                 f'<label class="md-button wco-import-label">{_esc(text["import"])}'
                 '<input type="file" accept=".json,application/json" data-import class="wco-visually-hidden"></label>'
                 f'<button type="button" class="md-button" data-action="print">{_esc(text["print"])}</button>'
                 f'<button type="button" class="md-button" data-action="clear">{_esc(text["clear"])}</button>'
                 '<p class="wco-assessment-message" role="status"></p></div>')
    parts.append("</form>")
    parts.append(_result_section(project, tool, lang, link))
    shown = {key: typography(value, lang) for key, value in text.items()}
    shown["bands"] = {band.id: typography(band.name[lang], lang) for band in tool.bands}
    shown["areas"] = {area.id: typography(area.title[lang], lang) for area in tool.areas}
    parts.append(f'<script type="application/json" class="wco-assessment-rule">{_json(rule(tool))}</script>')
    parts.append(f'<script type="application/json" class="wco-assessment-text">{_json(shown)}</script>')
    return apply_to_html("\n".join(parts), lang)


def _result_section(project: "Project", tool: Assessment, lang: str, link: Callable[[str], str]) -> str:
    """The result's frame; the script fills it. What to consider next, for every area and band,
    is here already (escaped), hidden until the script shows the one that applies."""
    text = TEXT[lang]
    titles = {c.name: c.texts[lang].title for c in project.chapters if lang in c.texts}
    areas = []
    for area in tool.areas:
        links = []
        for item in area.links:
            if item.kind == "chapter":
                name, _, anchor = item.target.partition("#")
                href = link(name) + (f"#{anchor}" if anchor else "")
                label = f'{text["chapter"]} : ' if lang == "fr" else f'{text["chapter"]}: '
                links.append(f'<li><a href="{_esc(href)}">{_esc(label + titles.get(name, name))}</a></li>')
            else:
                study = project.casestudies[item.target]
                label = f'{text["casestudy"]} : ' if lang == "fr" else f'{text["casestudy"]}: '
                links.append(f'<li><a href="{_esc(link(f"casestudies/{item.target}.md"))}">'
                             f"{_esc(label + study.title(lang))}</a></li>")
        nexts = "".join(f'<p class="wco-next" data-band="{_esc(band)}" hidden>{_esc(value[lang])}</p>'
                        for band, value in area.next.items())
        read = (f'<p class="wco-read">{_esc(text["read"])}</p><ul class="wco-links">{"".join(links)}</ul>'
                if links else "")
        areas.append(f'<li class="wco-result-area" data-area="{_esc(area.id)}">'
                     f'<h3>{_esc(area.title[lang])}</h3><p class="wco-result-score"></p>'
                     f'<div class="wco-result-next" hidden><h4>{_esc(text["next"])}</h4>{nexts}{read}</div></li>')
    return (f'<section class="wco-assessment-result" aria-labelledby="wco-result-title">'
            f'<h2 id="wco-result-title">{_esc(text["result"])}</h2>'
            f'<p>{_esc(text["result_intro"])}</p>'
            f'<p class="wco-result-empty">{_esc(text["no_answer"])}</p>'
            f'<figure class="wco-result-chart" hidden><figcaption>{_esc(text["chart"])}</figcaption></figure>'
            f'<ol class="wco-result-areas">{"".join(areas)}</ol></section>')


def _roman(n: int) -> str:
    values = [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    out = ""
    for value, letters in values:
        while n >= value:
            out += letters
            n -= value
    return out
