"""Case studies contributed by WCO Members: `casestudies/<id>/casestudy.yml` plus `<lang>.md`.

The metadata is language-neutral and written once; the text exists in each language.
Member names come from the CLDR (via Babel) in the page's language, not from a list of ours.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import babel
import pydantic

from .diagnostics import Problems
from .vocabulary import CASESTUDY_STATUSES, REGIONS, SOURCES, Technology
from .yamlfile import Schema, load_declared, read_text

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")


class CaseStudyMeta(Schema):
    member: str = pydantic.Field(pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2 code")
    administration: dict[str, str] | None = None
    region: Literal[tuple(REGIONS)]  # type: ignore[valid-type]
    technologies: list[str] = pydantic.Field(min_length=1)
    year: int = pydantic.Field(ge=1952, le=2100)
    source: Literal[tuple(SOURCES)]  # type: ignore[valid-type]
    title: dict[str, str]
    # Review status (vocabulary.CASESTUDY_STATUSES); a case study written by hand is a draft.
    status: Literal[tuple(CASESTUDY_STATUSES)] = "draft"  # type: ignore[valid-type]
    # The language the Member wrote in (an imported submission), and the languages whose text
    # is still the Member's, untranslated (intake/drafts.py writes both).
    source_lang: str | None = pydantic.Field(default=None, pattern=r"^[a-z]{2,3}$")
    untranslated: list[str] = []


@dataclass(frozen=True)
class CaseStudy:
    id: str
    meta: CaseStudyMeta
    texts: dict[str, str]  # language -> Markdown body
    folder: Path
    line_of: dict[str, int]  # metadata key -> line in casestudy.yml

    def title(self, lang: str) -> str:
        return self.meta.title[lang]

    def member_name(self, lang: str) -> str:
        return member_name(self.meta.member, lang)

    def text_path(self, lang: str) -> Path:
        return self.folder / f"{lang}.md"


def member_name(code: str, lang: str) -> str:
    return babel.Locale.parse(lang).territories.get(code, code)


def load_casestudies(root: Path, languages: tuple[str, ...], technologies: dict[str, Technology],
                     problems: Problems) -> dict[str, CaseStudy]:
    folder = root / "casestudies"
    studies: dict[str, CaseStudy] = {}
    if not folder.is_dir():
        return studies
    known_members = babel.Locale.parse("en").territories
    for sub in sorted(folder.iterdir()):
        if not sub.is_dir() or sub.name.startswith("."):
            continue
        meta_path = sub / "casestudy.yml"
        if not ID_PATTERN.match(sub.name):
            problems.error(sub, 0, f"case-study id '{sub.name}' (the folder name) must be lower-case ASCII "
                                   "letters a-z, digits and '-', starting with a letter or digit: "
                                   "it becomes a web address and an id in every output")
            continue
        if not meta_path.is_file():
            problems.error(meta_path, 0, "case-study metadata file is missing")
            continue
        declared = load_declared(CaseStudyMeta, meta_path, problems)
        if declared is None:
            continue
        meta, yd = declared
        if meta.member not in known_members:
            problems.error(meta_path, yd.line(("member",)), f"unknown Member code '{meta.member}'")
        for i, tech in enumerate(meta.technologies):
            if tech not in technologies:
                problems.error(meta_path, yd.line(("technologies", i)),
                               f"unknown technology '{tech}' (see technologies.yml)")
        for lang in meta.untranslated:
            if lang not in languages:
                problems.error(meta_path, yd.line(("untranslated",)), f"untranslated: '{lang}' is not a language of the site")
        complete = True
        for key, values in (("title", meta.title), ("administration", meta.administration)):
            if values is None:
                continue
            for lang in languages:
                if not (values.get(lang) or "").strip():
                    problems.error(meta_path, yd.line((key,)), f"{key}: the text in '{lang}' is missing")
                    complete = False
            for lang in values:
                if lang not in languages:
                    problems.error(meta_path, yd.line((key, lang)), f"{key}: '{lang}' is not a language of the site")
        if not complete:
            continue  # it could not be shown in every language
        texts: dict[str, str] = {}
        for lang in languages:
            path = sub / f"{lang}.md"
            if not path.is_file():
                problems.error(path, 0, f"case study '{sub.name}' has no text in '{lang}'")
                continue
            text = read_text(path, problems)
            if text is not None:
                if not text.strip():
                    problems.error(path, 1, "the case-study text is empty")
                texts[lang] = text
        studies[sub.name] = CaseStudy(sub.name, meta, texts, sub,
                                      {k[0]: v for k, v in yd.lines.items() if len(k) == 1})
    return studies
