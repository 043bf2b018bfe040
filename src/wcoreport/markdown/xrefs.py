"""Numbered figures and tables, and cross-references to them, for the site and the report alike.

Editors write (see AUTHORING.md):

    ![Members' participation by region](images/participation.png){#fig:participation}

    Table: Adoption by region {#tbl:adoption}

and refer to them with `@fig:participation` / `@tbl:adoption` in the text. Only figures and
tables with such an id are numbered: 1, 2, 3 ... through the whole report, figures and tables
each on their own count, in the order of the nav. The number is written into the caption and
the references as text by the shared Markdown layer, so the site, the DOCX and the PDF show the
same "Figure 3" / « Tableau 2 » (the DOCX and Typst writers add no numbers of their own).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..project import Project

LABELS = {"fig": {"en": "Figure", "fr": "Figure"}, "tbl": {"en": "Table", "fr": "Tableau"}}
_ID = r"(?:fig|tbl):[A-Za-z0-9](?:[\w-]*[A-Za-z0-9])?"
# A figure: an image alone on its line, with an id `fig:...` (and maybe other attributes).
FIGURE = re.compile(r"^(?P<indent>[ \t]*)!\[(?P<caption>[^\]]*)\]\((?P<src>[^)\s]+)(?P<title>\s+\"[^\"]*\")?\)"
                    r"\{(?P<before>[^}#]*)#(?P<id>fig:[A-Za-z0-9](?:[\w-]*[A-Za-z0-9])?)(?P<after>[^}]*)\}\s*$")
# A table's caption: its own paragraph, "Table: caption {#tbl:...}", just above or below it.
TABLE_CAPTION = re.compile(r"^Table:\s+(?P<caption>.*?)(?:\s*\{#(?P<id>tbl:[A-Za-z0-9](?:[\w-]*[A-Za-z0-9])?)\})?\s*$")
# A reference: @fig:id or @tbl:id, not part of a word or an e-mail address.
REFERENCE = re.compile(r"(?<![\w@.\-/:`\[])@(?P<id>" + _ID + r")")
INCLUDE = re.compile(r"^\s*\{%\s*include\s+(?P<name>\S+)\s*%\}\s*$")


@dataclass(frozen=True)
class Numbered:
    kind: str  # "fig" or "tbl"
    number: int
    page: str  # the chapter file, e.g. "ai-ml.md"
    path: Path
    line: int

    def label(self, lang: str) -> str:
        return f"{LABELS[self.kind][lang]} {self.number}"


@dataclass
class XrefIndex:
    items: dict[str, Numbered]
    duplicates: list[tuple[str, Path, int, Numbered]]  # (id, where, line, first definition)


def _definitions(text: str, path: Path, first_line: int, root: Path, seen: set[Path]):
    """(id, path, line) of each numbered figure or table of a page, its includes followed."""
    fence = None
    for i, line in enumerate(text.split("\n")):
        if fence:
            fence = None if line.strip().startswith(fence) else fence
            continue
        if m := re.match(r"^\s*(`{3,}|~{3,})", line):
            fence = m.group(1)
        elif m := FIGURE.match(line):
            yield m.group("id"), path, first_line + i
        elif (m := TABLE_CAPTION.match(line)) and m.group("id"):
            yield m.group("id"), path, first_line + i
        elif m := INCLUDE.match(line):
            target = (path.parent / m.group("name")).resolve()
            if target.is_file() and target.is_relative_to(root) and target not in seen:
                yield from _definitions(target.read_text("utf-8"), target, 1, root, seen | {target})


def xref_index(project: "Project", lang: str) -> XrefIndex:
    """The numbers of the figures and tables of the report in one language (cached)."""
    cache: dict[str, XrefIndex] = project.__dict__.setdefault("_xref_index", {})
    if lang in cache:
        return cache[lang]
    items: dict[str, Numbered] = {}
    duplicates = []
    counts = {"fig": 0, "tbl": 0}
    root = (project.docs_dir / lang).resolve()
    for chapter in project.report_chapters():
        text = chapter.texts.get(lang)
        if text is None:
            continue
        for ident, path, line in _definitions(text.body, text.path, text.body_line, root, {text.path.resolve()}):
            if ident in items:
                duplicates.append((ident, path, line, items[ident]))
                continue
            kind = ident.split(":")[0]
            counts[kind] += 1
            items[ident] = Numbered(kind, counts[kind], chapter.name, path, line)
    cache[lang] = XrefIndex(items, duplicates)
    return cache[lang]
