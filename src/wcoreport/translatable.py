"""What is translated, as one shape: a chapter (`docs/<lang>/<name>`) or a case study
(`casestudies/<id>/<lang>.md`), for the XLIFF exchange (xliff.py, xliff_check.py).

Both have a text per language (its file, its body after any front matter, the line the body
starts at) and a translation state per language (translations.py for a chapter, from its
`translation_of`; drift.py for a case study, from its record). A case study's name is
`casestudies/<id>.md`, as its page on the site.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .diagnostics import Problems
from .translations import Translation, chapter_translations

if TYPE_CHECKING:
    from .markdown.analysis import PageAnalysis, ProjectAnalysis
    from .project import Project

CASESTUDY_PREFIX = "casestudies/"


@dataclass(frozen=True)
class Text:
    path: Path
    body: str
    body_line: int = 1


@dataclass(frozen=True)
class Translatable:
    name: str  # "introduction.md", or "casestudies/hk-validap.md"
    texts: dict  # language -> its text (path, body, body_line)
    states: dict[str, Translation]  # language -> its translation state

    @property
    def casestudy(self) -> str | None:
        return self.name[len(CASESTUDY_PREFIX):-3] if self.name.startswith(CASESTUDY_PREFIX) else None


def every(project: "Project") -> list[Translatable]:
    """The chapters in nav order, then the case studies."""
    items = [Translatable(c.name, dict(c.texts), chapter_translations(c, project.languages)) for c in project.chapters]
    return items + [_casestudy(project, cid) for cid in project.casestudies]


def find(project: "Project", name: str) -> Translatable | None:
    if name.startswith(CASESTUDY_PREFIX):
        cid = name[len(CASESTUDY_PREFIX):-3]
        return _casestudy(project, cid) if cid in project.casestudies else None
    chapter = next((c for c in project.chapters if c.name == name), None)
    return None if chapter is None else Translatable(chapter.name, dict(chapter.texts),
                                                     chapter_translations(chapter, project.languages))


def _casestudy(project: "Project", cid: str) -> Translatable:
    from .drift import casestudy_translations

    study = project.casestudies[cid]
    texts = {lang: Text(study.text_path(lang), body) for lang, body in study.texts.items()}
    return Translatable(f"{CASESTUDY_PREFIX}{cid}.md", texts, casestudy_translations(project, cid))


def analysed(project: "Project", analysis: "ProjectAnalysis | None", item: Translatable,
             lang: str) -> "PageAnalysis | None":
    """Its page in `lang`, with its top-level blocks: a chapter's from the project's analysis
    (or alone, without one), a case study's text read as a page of its own."""
    from .drift import casestudy_page
    from .markdown.analysis import analyse_chapter

    if lang not in item.texts:
        return None
    if item.casestudy is not None:
        return casestudy_page(project, item.casestudy, lang)
    if analysis is not None:
        return analysis.page(lang, item.name)
    return analyse_chapter(project, lang, item.name, Problems(project.root))
