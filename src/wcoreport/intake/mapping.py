"""Which column of a survey tool's export holds which field (`--mapping MAPPING.yml`), and the
built-in mapping of our own template (its headers in either language).

    # mappings/eusurvey.yml
    sheet: Content              # the sheet of the answers (default: the first)
    header_row: 4               # the row of the column names (default: found)
    language: en                # the language of the answers when no column says
    source: survey              # where the case studies come from (vocabulary.SOURCES)
    columns:                    # field -> the column's name in the export, or several names
      member: "Country / customs territory"
      technologies: ["Main technology", "Other technologies"]
      ...
    values:                     # optional: this tool's words for values, e.g. languages
      language: {EN: en, FR: fr}
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import pydantic

from ..sources.diagnostics import ContentError, Problems
from ..sources.vocabulary import SOURCES
from ..sources.yamlfile import Schema, load_yaml_file, validate
from .fields import FIELDS, REQUIRED, folded

FieldKey = Literal[tuple(f.key for f in FIELDS)]  # type: ignore[valid-type]


class Mapping(Schema):
    sheet: str | None = None
    header_row: int | None = pydantic.Field(default=None, ge=1, le=100)
    language: str | None = pydantic.Field(default=None, pattern=r"^[a-z]{2,3}$")
    source: Literal[tuple(SOURCES)] = "survey"  # type: ignore[valid-type]
    columns: dict[FieldKey, str | list[str]]  # type: ignore[valid-type]
    values: dict[Literal["member", "region", "technologies", "language"], dict[str, str]] = {}

    @pydantic.field_validator("columns")
    @classmethod
    def _required(cls, columns: dict) -> dict:
        missing = [key for key in REQUIRED if key not in columns]
        if missing:
            raise ValueError(f"the columns of the required fields are not named: {', '.join(missing)}")
        return columns

    def names(self, key: str) -> list[str]:
        names = self.columns.get(key, [])
        return [names] if isinstance(names, str) else list(names)


def template_mapping() -> Mapping:
    """Our own template (template.py): each field's header, in any language of the template."""
    return Mapping(columns={f.key: list(dict.fromkeys(f.label.values())) for f in FIELDS})


def template_language(headers: list[str]) -> str | None:
    """The language of our template whose headers these are (the answers' default language)."""
    seen = {folded(h) for h in headers}
    scores = {lang: sum(folded(f.label[lang]) in seen for f in FIELDS) for lang in FIELDS[0].label}
    best = max(scores, key=scores.get)  # type: ignore[arg-type]
    return best if scores[best] else None


def load_mapping(path: Path, root: Path) -> Mapping:
    """The mapping file, checked against its schema (errors at their line). It may be anywhere
    (it belongs to the survey, not to the report): named relative to the project when inside it."""
    problems = Problems(root if path.resolve().is_relative_to(root.resolve()) else path.parent)
    yd = load_yaml_file(path, problems)
    mapping = validate(Mapping, yd, path, problems) if yd is not None else None
    if mapping is None:
        if not problems.errors:
            problems.error(path, 0, "the mapping file is empty")
        raise ContentError(problems.errors)
    return mapping
