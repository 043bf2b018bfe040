"""What is translated, as one shape: a chapter (`docs/<lang>/<name>`), a case study
(`casestudies/<id>/<lang>.md`) or a file the pages include (`docs/<lang>/_file.md`), for the
XLIFF exchange (xliff.py, xliff_check.py). (An included file's state is its record's, as a case
study's: it has no front matter.)

Both have a text per language (its file, its body after any front matter, the line the body
starts at) and a translation state per language (translations.py for a chapter, from its
`translation_of`; drift.py for a case study, from its record). A case study's name is
`casestudies/<id>.md`, as its page on the site.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..sources.diagnostics import Problems
from .translations import Translation, chapter_translations

if TYPE_CHECKING:
    from ..markdown.analysis import PageAnalysis, ProjectAnalysis
    from ..sources.project import Project

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

    included: bool = False  # a file the pages include (`{% include %}`), not a page

    @property
    def casestudy(self) -> str | None:
        return self.name[len(CASESTUDY_PREFIX):-3] if self.name.startswith(CASESTUDY_PREFIX) else None


def every(project: "Project") -> list[Translatable]:
    """The chapters in nav order, then the case studies."""
    items = [Translatable(c.name, dict(c.texts), chapter_translations(c, project.languages)) for c in project.chapters]
    return items + [_casestudy(project, cid) for cid in project.casestudies]


def included(project: "Project", analysis: "ProjectAnalysis") -> list[Translatable]:
    """The files the source language's pages include (`{% include _file.md %}`), each once:
    their blocks are typed there, and translated there."""
    source_lang = project.languages[0]
    docs = (project.docs_dir / source_lang).resolve()
    names: list[str] = []
    for page in analysis.languages[source_lang].pages.values() if source_lang in analysis.languages else []:
        for path in page.includes:
            name = path.resolve().relative_to(docs).as_posix()
            if name not in names:
                names.append(name)
    return [item for name in names if (item := _included(project, name)) is not None]


def _included(project: "Project", name: str) -> Translatable | None:
    from .drift import recorded_translations

    texts = {}
    for lang in project.languages:
        path = project.docs_dir / lang / name
        if path.is_file():
            try:
                texts[lang] = Text(path, path.read_text("utf-8"))
            except (OSError, UnicodeDecodeError):
                continue
    if project.languages[0] not in texts:
        return None
    return Translatable(name, texts, recorded_translations(project, name, {k: v.body for k, v in texts.items()}),
                        included=True)


def find(project: "Project", name: str) -> Translatable | None:
    if name.startswith(CASESTUDY_PREFIX):
        cid = name[len(CASESTUDY_PREFIX):-3]
        return _casestudy(project, cid) if cid in project.casestudies else None
    chapter = next((c for c in project.chapters if c.name == name), None)
    if chapter is None:  # a file the pages include, if the source language has it
        return _included(project, name) if ".." not in name.split("/") else None
    return Translatable(chapter.name, dict(chapter.texts), chapter_translations(chapter, project.languages))


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
    from ..markdown.analysis import analyse_chapter

    if lang not in item.texts:
        return None
    if item.casestudy is not None:
        return casestudy_page(project, item.casestudy, lang)
    if item.included:
        from ..markdown.analysis import analyse_text

        text = item.texts[lang]
        return analyse_text(project, lang, item.name, text.path, text.body, 1, Problems(project.root))
    if analysis is not None:
        return analysis.page(lang, item.name)
    return analyse_chapter(project, lang, item.name, Problems(project.root))
