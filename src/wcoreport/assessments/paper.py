"""A tool's paper questionnaire, for workshops: pandoc's document tree, which the report's
writers make into DOCX and PDF in the WCO layout (report/assessment_paper.py).

Every author text enters the tree as text nodes (pandoc_ast.inlines): the writers escape it.
An answer box is a Span of class `answer-box`, which each writer draws its own way. The scoring
key states the rule of scoring.py in words and gives each answer's points from the same levels.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..markdown.analysis import API_VERSION
from ..markdown.pandoc_ast import Node, div, inlines, para, table
from ..markdown.typeset import typeset_blocks
from ..report.layout import masthead_lines
from ..text.strings import section
from .model import Assessment, paper_name  # noqa: F401 (the report's writer names its files by it)
from .scoring import DECIMALS

if TYPE_CHECKING:
    from ..sources.project import Project

TEXT = section("assessment")
BOX = "answer-box"


def _number(value: float, lang: str) -> str:
    text = str(int(value)) if float(value).is_integer() else f"{value:.{DECIMALS}f}"
    return text.replace(".", ",") if lang == "fr" else text


def _roman(n: int) -> str:
    out = ""
    for value, letters in ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out, n = out + letters, n - value
    return out


def _header(level: int, text: str, ident: str = "") -> Node:
    return {"t": "Header", "c": [level, [ident, ["unnumbered"], []], inlines(text)]}


def _strong_para(strong: str, rest: str = "") -> Node:
    content = [{"t": "Strong", "c": inlines(strong)}]
    if rest:
        content += [{"t": "Space"}, *inlines(rest)]
    return {"t": "Para", "c": content}


def _styled(cls: str, text: str) -> Node:
    return div([cls], [para(text)])


def paper_document(project: "Project", tool: Assessment, lang: str) -> dict:
    """The questionnaire of `tool` in `lang`, with its answer boxes and its scoring key."""
    text = TEXT[lang]
    titles = {c.name: c.texts[lang].title for c in project.chapters if lang in c.texts}
    blocks: list[Node] = []
    title_block = [_styled("tb-masthead", line) for line in masthead_lines()]
    title_block += [_styled("tb-title", tool.title[lang]), _styled("tb-subtitle", text["questionnaire"])]
    if tool.draft:
        title_block.append(_styled("tb-draft", text["draft"]))
    blocks.append(div(["titleblock"], title_block))
    blocks.append(para(tool.intro[lang]))
    blocks.append(div(["admonition", "note"], [para(text["benchmark"])]))
    blocks.append(para(text["answer_sheet"]))
    number = 0
    for a, area in enumerate(tool.areas, start=1):
        blocks.append(_header(1, f"{_roman(a)}. {area.title[lang]}", f"area-{area.id}"))
        for question in area.questions:
            number += 1
            blocks.append(_strong_para(f"{number}. {question.text[lang]}"))
            if question.guidance:
                blocks.append({"t": "Para", "c": [{"t": "Emph", "c": inlines(question.guidance[lang])}]})
            for level in question.levels:
                box = {"t": "Span", "c": [["", [BOX], []], [{"t": "Str", "c": "\u2610"}]]}
                blocks.append({"t": "Para", "c": [box, {"t": "Space"}, *inlines(level.text[lang])]})
    blocks += _scoring_key(project, tool, lang, titles)
    blocks = typeset_blocks(blocks, lang)
    return {"pandoc-api-version": API_VERSION, "meta": {}, "blocks": blocks}


def _scoring_key(project: "Project", tool: Assessment, lang: str, titles: dict[str, str]) -> list[Node]:
    text = TEXT[lang]
    out: list[Node] = [_header(1, text["key"], "scoring-key"),
                       para(text["key_levels"].format(max=_number(tool.max_score, lang)))]
    # One table of points for the levels most questions share, one row a level; the questions
    # with levels of their own get their rows after, named by their number.
    scales: dict[int, list[int]] = {}  # id of a tuple of levels -> the numbers of its questions
    levels_of: dict[int, tuple] = {}
    number = 0
    for area in tool.areas:
        for question in area.questions:
            number += 1
            scales.setdefault(id(question.levels), []).append(number)
            levels_of[id(question.levels)] = question.levels
    shared = max(scales, key=lambda key: len(scales[key]))
    rows = [[level.text[lang], _number(level.score, lang)] for level in levels_of[shared]]
    for key, numbers in scales.items():
        levels = levels_of[key]
        if key != shared:
            rows += [[f"{', '.join(map(str, numbers))}: {level.text[lang]}", _number(level.score, lang)]
                     for level in levels]
    out.append(table([text["key_level"], text["key_points"]], rows, right={1}))
    out.append(_header(2, text["key_bands"]))
    out.append(table([text["key_band"], text["key_from"]],
                     [[band.name[lang], _number(band.start, lang)] for band in tool.bands], right={1}))
    out.append(_header(2, text["key_sheet"]))
    out.append(table([text["key_area"], text["key_sum"], text["key_answered"], text["key_result"]],
                     [[area.title[lang], "", "", ""] for area in tool.areas], right={1, 2, 3}))
    out.append(para(text["key_next"]))
    out.append(_header(2, text["next"]))
    for area in tool.areas:
        out.append(_header(3, area.title[lang]))
        for band in tool.bands:
            out.append(_strong_para(f"{band.name[lang]} ({text['key_from'].lower()} {_number(band.start, lang)}) –",
                                    area.next[band.id][lang]))
        reads = []
        for link in area.links:
            if link.kind == "chapter":
                name = link.target.partition("#")[0]
                reads.append(f"{text['chapter']} « {titles.get(name, name)} »" if lang == "fr"
                             else f"{text['chapter']} ‘{titles.get(name, name)}’")
            else:
                title = project.casestudies[link.target].title(lang)
                reads.append(f"{text['casestudy']} « {title} »" if lang == "fr" else f"{text['casestudy']} ‘{title}’")
        if reads:
            out.append(para(f"{text['read']} {'; '.join(reads)}."))
    return out
