"""The document's metadata (`report.yml`): title, codes, committee, sessions, place and date."""

from __future__ import annotations

import datetime
from pathlib import Path

import pydantic

from ..bibliography.citation_style import check_style
from .diagnostics import Problems
from .yamlfile import Schema, load_declared

Localized = dict[str, str]


class Meeting(Schema):
    """The dates of the sessions the document is for (shown under the sessions)."""

    start: datetime.date
    end: datetime.date

    @pydantic.model_validator(mode="after")
    def _ordered(self) -> "Meeting":
        if self.end < self.start:
            raise ValueError("the meeting ends before it starts")
        return self


class Summary(Schema):
    purpose: Localized
    action: Localized


class Metadata(Schema):
    title: Localized
    subtitle: Localized | None = None
    code: Localized  # one document code per language (E and F variants)
    committee: Localized
    sessions: list[pydantic.PositiveInt] = pydantic.Field(min_length=1, max_length=2)
    meeting: Meeting | None = None
    place: Localized
    date: datetime.date
    agenda_item: str
    summary: Summary
    final: bool = False  # until true, every output carries a draft notice
    toc: bool = True  # a table of contents after the summary (short papers go without)
    output_name: str = pydantic.Field(default="report", pattern=r"^[A-Za-z0-9._-]+$")
    # Citation style: a shipped style's name (e.g. ieee) or a .csl file's path in the repository.
    csl: str | None = None
    # The document's author in its properties (DOCX, PDF), one name per language.
    author: Localized | None = None
    # Organizations' names in each language: a name of references.bib (an author, editor,
    # publisher or institution) that is one of them is cited in the document's language.
    organizations: list[Localized] = pydantic.Field(default_factory=list)

    def author_in(self, lang: str) -> str:
        return (self.author or {}).get(lang, "")

    def organization_names(self, lang: str) -> dict[str, str]:
        """Every declared name of an organization -> its name in `lang`."""
        return {name: names[lang] for names in self.organizations if lang in names
                for name in names.values() if name != names[lang]}

    def localized_fields(self) -> dict[str, Localized]:
        fields = {
            "title": self.title, "code": self.code, "committee": self.committee,
            "place": self.place, "summary.purpose": self.summary.purpose,
            "summary.action": self.summary.action,
        }
        if self.subtitle is not None:
            fields["subtitle"] = self.subtitle
        if self.author is not None:
            fields["author"] = self.author
        for i, names in enumerate(self.organizations):
            fields[f"organizations.{i}"] = names
        return fields


def load_metadata(path: Path, languages: tuple[str, ...], problems: Problems) -> Metadata | None:
    if not path.is_file():
        problems.error(path, 0, "the document metadata file is missing")
        return None
    declared = load_declared(Metadata, path, problems)
    if declared is None:
        return None
    meta, yd = declared
    for name, values in meta.localized_fields().items():
        loc = tuple(int(part) if part.isdigit() else part for part in name.split("."))
        for lang in languages:
            if not (values.get(lang) or "").strip():
                # (an item of a list has no line of its own: its first key's)
                line = yd.line(loc + (next(iter(values)),)) if isinstance(loc[-1], int) and values else yd.line(loc)
                problems.error(path, line, f"{name}: the text in language '{lang}' is missing")
        for lang in values:
            if lang not in languages:
                problems.error(path, yd.line(loc + (lang,)), f"{name}: '{lang}' is not a language of the site")
    check_style(meta.csl, path.parent, path, yd.line(("csl",)), problems)
    return meta
