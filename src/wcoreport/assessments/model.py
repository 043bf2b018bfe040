"""The readiness self-assessment tools: `assessments/<id>.yml`, one file per tool.

A tool has areas, each with questions; each question has answer levels (text in every language
and a score), taken from the tool's `scale` unless the question gives its own. Per area, what to
consider next for each result band, with links to chapters and case studies of the report. The
scoring rule is declared in the same file (`scoring`) and applied by scoring.py (Python: the
paper's scoring key) and by the site's script, from the same rule given as JSON.

Every problem names its file and line (yamlfile.py); this module never imports MkDocs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pydantic

from ..sources.diagnostics import Problems
from ..sources.yamlfile import Schema, YamlData, load_declared

ID = r"^[a-z0-9][a-z0-9-]*$"
FOLDER = "assessments"  # at the repository's root; its pages on the site: <lang>/assessments/<id>/
MAX_SIZE = 512 * 1024  # bytes of one tool's file: a questionnaire, not a data set
MAX_AREAS, MAX_QUESTIONS, MAX_LEVELS = 20, 20, 10  # per tool, per area, per question

Texts = dict[str, str]


class LevelSpec(Schema):
    id: str = pydantic.Field(pattern=ID)
    score: float
    text: Texts


class BandSpec(Schema):
    id: str = pydantic.Field(pattern=ID)
    # The lowest area score (0-100) of the band; the first band starts at 0.
    from_: float = pydantic.Field(alias="from", ge=0, le=100)
    name: Texts


class ScoringSpec(Schema):
    max: float = pydantic.Field(gt=0, le=1000)  # the highest score of a level (the lowest is 0)
    bands: list[BandSpec] = pydantic.Field(min_length=1, max_length=10)


class LinkSpec(Schema):
    chapter: str | None = None  # a chapter's file name, optionally with #heading-id: ai-ml.md#governance
    casestudy: str | None = None  # a case study's id (its folder in casestudies/)


class QuestionSpec(Schema):
    id: str = pydantic.Field(pattern=ID)
    text: Texts
    guidance: Texts | None = None
    levels: list[LevelSpec] | None = pydantic.Field(default=None, min_length=2, max_length=MAX_LEVELS)


class AreaSpec(Schema):
    id: str = pydantic.Field(pattern=ID)
    title: Texts
    questions: list[QuestionSpec] = pydantic.Field(min_length=1, max_length=MAX_QUESTIONS)
    next: dict[str, Texts]  # band id -> what to consider next
    links: list[LinkSpec] = []


class ToolSpec(Schema):
    status: Literal["draft", "final"]
    title: Texts
    intro: Texts
    scale: list[LevelSpec] = pydantic.Field(min_length=2, max_length=MAX_LEVELS)
    scoring: ScoringSpec
    areas: list[AreaSpec] = pydantic.Field(min_length=1, max_length=MAX_AREAS)


@dataclass(frozen=True)
class Level:
    id: str
    score: float
    text: Texts


@dataclass(frozen=True)
class Question:
    id: str
    text: Texts
    guidance: Texts | None
    levels: tuple[Level, ...]


@dataclass(frozen=True)
class Link:
    kind: Literal["chapter", "casestudy"]
    target: str  # 'ai-ml.md' or 'ai-ml.md#id' for a chapter; the id of a case study


@dataclass(frozen=True)
class Area:
    id: str
    title: Texts
    questions: tuple[Question, ...]
    next: dict[str, Texts]
    links: tuple[Link, ...]


@dataclass(frozen=True)
class Band:
    id: str
    start: float
    name: Texts


@dataclass(frozen=True)
class Assessment:
    id: str  # the file's name: ai-ml for assessments/ai-ml.yml
    path: Path
    draft: bool
    title: Texts
    intro: Texts
    max_score: float
    bands: tuple[Band, ...]
    areas: tuple[Area, ...]

    def question(self, qid: str) -> Question | None:
        return next((q for a in self.areas for q in a.questions if q.id == qid), None)


def paper_name(output_name: str, tool_id: str, lang: str, fmt: str) -> str:
    """The paper file's name, for the report build and the site's link. It does not end in
    `-<lang>.<fmt>` as the report's own files do, so that a pattern for those finds only them."""
    return f"{output_name}-self-assessment-{tool_id}-{lang}-questionnaire.{fmt}"


def load_assessments(root: Path, languages: tuple[str, ...], chapters: set[str],
                     casestudies: set[str], problems: Problems) -> dict[str, Assessment]:
    """Every tool of `assessments/`, checked; a tool with errors is left out (its problems are
    reported). `chapters`: the chapters' file names; `casestudies`: the case studies' ids."""
    folder = root / FOLDER
    tools: dict[str, Assessment] = {}
    if not folder.is_dir():
        return tools
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or path.is_dir():
            continue
        if path.suffix not in (".yml", ".yaml"):
            problems.error(path, 0, "only questionnaires (.yml) belong in assessments/")
            continue
        if not re.match(ID, path.stem):
            problems.error(path, 0, f"tool id '{path.stem}' (the file name) must be lower-case ASCII letters, "
                                    "digits and '-': it becomes a web address and a file name")
            continue
        if path.stem in tools:
            problems.error(path, 0, f"a second file for the tool '{path.stem}'")
            continue
        try:
            size = path.stat().st_size
        except OSError:
            size = 0
        if size > MAX_SIZE:
            problems.error(path, 0, f"the file is {size} bytes: a questionnaire holds at most {MAX_SIZE}")
            continue
        declared = load_declared(ToolSpec, path, problems)
        if declared is None:
            continue
        spec, yd = declared
        tool = _checked(path, spec, yd, languages, chapters, casestudies, problems)
        if tool is not None:
            tools[tool.id] = tool
    return tools


def _checked(path: Path, spec: ToolSpec, yd: YamlData, languages: tuple[str, ...], chapters: set[str],
             casestudies: set[str], problems: Problems) -> Assessment | None:
    before = len(problems.errors)

    def error(loc: tuple, message: str) -> None:
        problems.error(path, yd.line(loc), message)

    def texts(loc: tuple, values: Texts | None, what: str) -> None:
        if values is None:
            return
        for lang in languages:
            if not (values.get(lang) or "").strip():
                error(loc, f"{what}: the text in '{lang}' is missing")
        for lang in values:
            if lang not in languages:
                error(loc + (lang,), f"{what}: '{lang}' is not a language of the site")

    texts(("title",), spec.title, "title")
    texts(("intro",), spec.intro, "intro")
    top = spec.scoring.max

    def levels(loc: tuple, given: list[LevelSpec]) -> None:
        seen: set[str] = set()
        for i, level in enumerate(given):
            here = loc + (i,)
            if level.id in seen:
                error(here + ("id",), f"duplicate level id '{level.id}'")
            seen.add(level.id)
            if not 0 <= level.score <= top:
                error(here + ("score",), f"score {_number(level.score)} is out of range: a level scores "
                                         f"from 0 to scoring.max ({_number(top)})")
            texts(here + ("text",), level.text, f"level '{level.id}'")

    levels(("scale",), spec.scale)
    band_ids: list[str] = []
    for i, band in enumerate(spec.scoring.bands):
        here = ("scoring", "bands", i)
        if band.id in band_ids:
            error(here + ("id",), f"duplicate band id '{band.id}'")
        if i == 0 and band.from_ != 0:
            error(here + ("from",), "the first band starts at 0 (from: 0): every score must fall in a band")
        if i > 0 and band.from_ <= spec.scoring.bands[i - 1].from_:
            error(here + ("from",), "bands go from the lowest score to the highest: each 'from' must be "
                                    "greater than the one before")
        band_ids.append(band.id)
        texts(here + ("name",), band.name, f"band '{band.id}'")
    area_ids: set[str] = set()
    question_ids: dict[str, int] = {}
    for a, area in enumerate(spec.areas):
        here = ("areas", a)
        if area.id in area_ids:
            error(here + ("id",), f"duplicate area id '{area.id}'")
        area_ids.add(area.id)
        texts(here + ("title",), area.title, f"area '{area.id}'")
        for q, question in enumerate(area.questions):
            qhere = here + ("questions", q)
            if question.id in question_ids:
                error(qhere + ("id",), f"duplicate question id '{question.id}' (first at line "
                                       f"{question_ids[question.id]}): ids are unique in a tool")
            else:
                question_ids[question.id] = yd.line(qhere + ("id",))
            texts(qhere + ("text",), question.text, f"question '{question.id}'")
            texts(qhere + ("guidance",), question.guidance, f"guidance of '{question.id}'")
            if question.levels is not None:
                levels(qhere + ("levels",), question.levels)
        for band in band_ids:
            if band not in area.next:
                error(here + ("next",), f"area '{area.id}': what to consider next for the band '{band}' is missing")
        for band, values in area.next.items():
            if band not in band_ids:
                error(here + ("next", band), f"'{band}' is not a band of scoring.bands ({', '.join(band_ids)})")
            else:
                texts(here + ("next", band), values, f"next step for '{band}'")
        for i, link in enumerate(area.links):
            lhere = here + ("links", i)
            if (link.chapter is None) == (link.casestudy is None):
                error(lhere, "a link names either a chapter or a case study")
            elif link.chapter is not None:
                name = link.chapter.partition("#")[0]
                if name not in chapters:
                    error(lhere + ("chapter",), f"link to the chapter '{name}', which is not in the report "
                                                "(the nav of mkdocs.yml)")
            elif link.casestudy not in casestudies:
                error(lhere + ("casestudy",), f"link to the case study '{link.casestudy}', which does not "
                                              "exist (casestudies/<id>/)")
    if len(problems.errors) > before:
        return None
    scale = tuple(Level(x.id, x.score, dict(x.text)) for x in spec.scale)
    return Assessment(
        path.stem, path, spec.status == "draft", dict(spec.title), dict(spec.intro), top,
        tuple(Band(b.id, b.from_, dict(b.name)) for b in spec.scoring.bands),
        tuple(Area(area.id, dict(area.title),
                   tuple(Question(q.id, dict(q.text), dict(q.guidance) if q.guidance else None,
                                  tuple(Level(x.id, x.score, dict(x.text)) for x in q.levels) if q.levels else scale)
                         for q in area.questions),
                   {k: dict(v) for k, v in area.next.items()},
                   tuple(Link("chapter", x.chapter) if x.chapter else Link("casestudy", x.casestudy)  # type: ignore[arg-type]
                         for x in area.links))
              for area in spec.areas))


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)
