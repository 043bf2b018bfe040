"""Chapters: `docs/<lang>/<name>.md`, in the order of the site's navigation.

The chapter order lives in one place, the `nav` of `mkdocs.yml`; the site and the report both
follow it. This module reads that file as plain YAML (it does not import MkDocs).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import pydantic

from . import bidi_controls
from .diagnostics import Problems
from .yamlfile import MarkdownSource, Schema, YamlData, load_yaml_file, read_text, split_front_matter, validate


# Folders of a language whose pages the site generates from other sources: a nav entry there
# (`assessments/ai-ml.md`, a self-assessment tool) places a generated page, not a chapter.
GENERATED_FOLDERS = ("assessments/",)


class ChapterMeta(Schema):
    status: Literal["draft", "review", "approved"]
    annex: bool = False  # annexes: own heading style, no paragraph numbers
    report: bool = True  # false for site-only pages (the home page)
    title: str | None = None
    description: str | None = None
    hide: list[str] = []
    # Translation tracking (see translations.py): the hash of the source-language page this one
    # translates; `source_lang` marks a chapter written first in a language other than the default.
    translation_of: str | None = pydantic.Field(default=None, pattern=r"^[0-9a-f]{12}$")
    source_lang: str | None = None


@dataclass
class SiteLayout:
    """What the core needs from `mkdocs.yml`: the docs folder, the languages and the nav."""

    path: Path
    docs_dir: Path
    languages: tuple[str, ...]  # the default language first
    nav: list[tuple[str, int]]  # (file name relative to a language folder, line in mkdocs.yml)
    # Nav entries of pages the site generates (the self-assessment tools, `assessments/<id>.md`):
    # on the site, not chapters of the report.
    generated: list[tuple[str, int]] = field(default_factory=list)


@dataclass
class ChapterText:
    lang: str
    path: Path
    meta: ChapterMeta
    body: str
    body_line: int
    title: str


@dataclass
class Chapter:
    name: str  # file name, the same in every language
    texts: dict[str, ChapterText] = field(default_factory=dict)

    @property
    def in_report(self) -> bool:
        return all(t.meta.report for t in self.texts.values())

    @property
    def annex(self) -> bool:
        return any(t.meta.annex for t in self.texts.values())


def _nav_files(items, yd: YamlData, loc: tuple, out: list[tuple[str, int]]) -> None:
    if isinstance(items, str):
        if not re.match(r"^[a-z]+://", items):
            out.append((items, yd.line(loc)))
    elif isinstance(items, list):
        for i, item in enumerate(items):
            _nav_files(item, yd, loc + (i,), out)
    elif isinstance(items, dict):
        for key, value in items.items():
            _nav_files(value, yd, loc + (key,), out)


def load_site_layout(root: Path, problems: Problems) -> SiteLayout | None:
    path = root / "mkdocs.yml"
    if not path.is_file():
        problems.error(path, 0, "mkdocs.yml is missing")
        return None
    yd = load_yaml_file(path, problems)
    if yd is None:
        return None
    if not isinstance(yd.data, dict):
        problems.error(path, 1, "mkdocs.yml must be a mapping")
        return None
    languages: list[str] = []
    for i, plugin in enumerate(yd.data.get("plugins") or []):
        if isinstance(plugin, dict) and "i18n" in plugin:
            for lang in (plugin["i18n"] or {}).get("languages") or []:
                if isinstance(lang, dict) and lang.get("locale"):
                    if lang.get("default"):
                        languages.insert(0, str(lang["locale"]))
                    else:
                        languages.append(str(lang["locale"]))
    if not languages:
        problems.error(path, yd.line(("plugins",)), "no languages: configure the i18n plugin's 'languages'")
        return None
    nav: list[tuple[str, int]] = []
    _nav_files(yd.data.get("nav") or [], yd, ("nav",), nav)
    generated = [(name, line) for name, line in nav if name.startswith(GENERATED_FOLDERS)]
    nav = [(name, line) for name, line in nav if not name.startswith(GENERATED_FOLDERS)]
    if not nav:
        problems.error(path, yd.line(("nav",)), "the nav is empty: it gives the order of the chapters")
    docs_dir = _docs_dir(root, yd, problems)
    if docs_dir is None:
        return None
    return SiteLayout(path, docs_dir, tuple(languages), nav, generated)


def _docs_dir(root: Path, yd: YamlData, problems: Problems) -> Path | None:
    """The folder of the chapters (`docs_dir`): a folder inside the project, below mkdocs.yml.
    One elsewhere would make the build read (and publish) files that are not the project's."""
    path, value = root / "mkdocs.yml", yd.data.get("docs_dir", "docs")
    line = yd.line(("docs_dir",))
    if not isinstance(value, str) or not value.strip():
        problems.error(path, line, "docs_dir: give the folder of the chapters, e.g. 'docs'")
        return None
    folder = root / value
    if Path(value).is_absolute() or not folder.resolve().is_relative_to(root.resolve()):
        problems.error(path, line, f"docs_dir '{value}' is outside the project: the chapters must be in a "
                                   "folder of the project, below mkdocs.yml, e.g. 'docs'")
        return None
    if folder.resolve() == root.resolve():
        problems.error(path, line, f"docs_dir '{value}' is the project folder itself: give the folder of "
                                   "the chapters, below mkdocs.yml, e.g. 'docs'")
        return None
    if bidi := bidi_controls.find(value):
        problems.error(path, line, f"docs_dir holds {bidi}: {bidi_controls.HINT}")
        return None
    return folder


_H1 = re.compile(r"^#\s+(.+?)(?:\s+\{[^}]*\})?\s*#*\s*$", re.M)


def load_chapter_text(path: Path, lang: str, problems: Problems) -> ChapterText | None:
    text = read_text(path, problems)
    if text is None:
        return None
    if not text.strip():
        problems.error(path, 1, "the chapter is empty")
        return None
    source: MarkdownSource | None = split_front_matter(text, path, problems)
    if source is None:
        return None
    meta = validate(ChapterMeta, source.meta, path, problems)
    if meta is None:
        return None
    match = _H1.search(source.body)
    if meta.title:
        title = meta.title
    elif match:
        title = match.group(1).strip()
    else:
        problems.error(path, source.body_line, "the chapter has no title: start it with a '# Title' line")
        return None
    return ChapterText(lang, path, meta, source.body, source.body_line, title)


def load_chapters(layout: SiteLayout, problems: Problems) -> list[Chapter]:
    chapters: list[Chapter] = []
    seen: set[str] = set()
    for name, line in layout.nav:
        if name in seen:
            problems.error(layout.path, line, f"'{name}' is listed twice in the nav")
            continue
        if bidi := bidi_controls.find(name):
            problems.error(layout.path, line, f"nav entry '{bidi_controls.shown(name)}': the file name holds "
                                              f"{bidi}: {bidi_controls.HINT}")
            continue
        seen.add(name)
        chapter = Chapter(name)
        for lang in layout.languages:
            path = layout.docs_dir / lang / name
            if not path.is_file():
                problems.error(layout.path, line, f"nav entry '{name}': the file docs/{lang}/{name} is missing")
                continue
            text = load_chapter_text(path, lang, problems)
            if text is not None:
                chapter.texts[lang] = text
        chapters.append(chapter)
    # Pages in one language only, or not in the nav at all.
    for lang in layout.languages:
        folder = layout.docs_dir / lang
        if not folder.is_dir():
            problems.error(folder, 0, f"the folder for language '{lang}' is missing")
            continue
        for path in sorted(folder.rglob("*.md")):
            rel = path.relative_to(folder).as_posix()
            if bidi := bidi_controls.find(rel):
                problems.error(path, 0, f"the file name holds {bidi}: {bidi_controls.HINT}")
                continue
            if rel in seen or rel.startswith("_") or "/_" in rel:
                continue  # '_'-prefixed files are for includes only
            others = [o for o in layout.languages if o != lang and not (layout.docs_dir / o / rel).exists()]
            if others:
                problems.error(path, 0, f"page exists in '{lang}' only (missing in: {', '.join(others)})")
            else:
                problems.warning(path, 0, "page is not in the nav: it is left out of the report")
    return chapters
