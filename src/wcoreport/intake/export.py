"""`intake export --format xlsx|csv|json`: every case study (metadata, status, the text of each
language as its Markdown source) for the Secretariat and for loading into the Portal.

The JSON follows a published JSON Schema (`casestudies.schema.json`, written beside it and made
from the `Record` model below, so the two cannot differ). The XLSX and CSV have one row per case
study with the same values flattened (`title_en`, `text_fr`, `technologies` as `a; b`), which
the import reads back as the same case studies (importer.py).

Spreadsheets we write are safe to open: a cell is never a formula. In the XLSX every value is a
typed string or number (openpyxl would otherwise take a text starting with `=` for a formula);
in the CSV, a text starting with `=`, `+`, `-`, `@`, tab or CR gets a leading apostrophe
(OWASP's advice against CSV injection), which the import takes off again.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pydantic
import yaml

from ..sources.casestudies import CaseStudyMeta
from ..pipeline.outputs import atomic_write
from ..sources.vocabulary import REGIONS
from .sheets import FORMULA_START, text_cell

SCHEMA_NAME = "casestudies.schema.json"
SCHEMA_ID = "https://wcoomd.org/schemas/smart-customs/casestudies-1.json"
EXPORT_COLUMNS = ("id", "status", "member", "region", "technologies", "year", "source", "source_lang", "untranslated")
PER_LANGUAGE = ("title", "administration", "text", "member_name", "region_name")
XLSX_CELL_LIMIT = 32767  # Excel's longest cell


class Record(pydantic.BaseModel):
    """One case study of the repository, as exported."""

    model_config = pydantic.ConfigDict(extra="forbid", title="Case study")
    id: str = pydantic.Field(pattern=r"^[a-z0-9][a-z0-9-]*$", description="folder name under casestudies/")
    status: str = pydantic.Field(pattern=r"^(submitted|draft|review|approved)$")
    member: str = pydantic.Field(pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2 code of the WCO Member")
    member_name: dict[str, str] = pydantic.Field(description="the Member's name, per language (CLDR)")
    administration: dict[str, str] | None = None
    region: str = pydantic.Field(pattern="^(" + "|".join(REGIONS) + ")$", description="WCO region")
    region_name: dict[str, str]
    technologies: list[str] = pydantic.Field(min_length=1, description="ids of technologies.yml")
    year: int
    source: str
    source_lang: str | None = None
    untranslated: list[str] = []
    title: dict[str, str]
    text: dict[str, str] = pydantic.Field(description="the case study's Markdown text, per language")


class Export(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid", title="WCO Smart Customs case studies",
                                       populate_by_name=True)
    schema_: str = pydantic.Field(alias="$schema")
    languages: list[str]
    casestudies: list[Record]


def json_schema() -> dict:
    schema = Export.model_json_schema(by_alias=True)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID, **schema}


def records(project) -> list[Record]:
    out = []
    for cid, study in sorted(project.casestudies.items()):
        meta = study.meta
        out.append(Record(
            id=cid, status=meta.status, member=meta.member,
            member_name={lang: study.member_name(lang) for lang in project.languages},
            administration=dict(meta.administration) if meta.administration else None,
            region=meta.region, region_name={lang: REGIONS[meta.region][lang] for lang in project.languages},
            technologies=list(meta.technologies), year=meta.year, source=meta.source,
            source_lang=meta.source_lang, untranslated=list(meta.untranslated),
            title=dict(meta.title), text=dict(study.texts)))
    return out


def flat(record: Record, languages: tuple[str, ...]) -> dict[str, object]:
    """A record as one spreadsheet row."""
    row: dict[str, object] = {}
    data = record.model_dump()
    for key in EXPORT_COLUMNS:
        value = data[key]
        row[key] = "; ".join(value) if isinstance(value, list) else ("" if value is None else value)
    for key in PER_LANGUAGE:
        for lang in languages:
            row[f"{key}_{lang}"] = (data[key] or {}).get(lang, "")
    return row


def columns(languages: tuple[str, ...]) -> list[str]:
    return [*EXPORT_COLUMNS, *(f"{key}_{lang}" for key in PER_LANGUAGE for lang in languages)]


def record_files(row: dict[str, str], languages: tuple[str, ...]) -> dict[str, str]:
    """An exported row back as a case study's files (casestudy.yml, <lang>.md); ValueError
    with a sentence when the row cannot be one."""
    def split(text: str) -> list[str]:
        return [part.strip() for part in text.split(";") if part.strip()]

    meta: dict = {}
    try:
        for key in ("status", "member", "region"):
            meta[key] = row.get(key, "").strip()
        meta["technologies"] = split(row.get("technologies", ""))
        meta["year"] = int(float(row.get("year", "").strip() or "0"))
        meta["source"] = row.get("source", "").strip()
        if row.get("source_lang", "").strip():
            meta["source_lang"] = row["source_lang"].strip()
        if split(row.get("untranslated", "")):
            meta["untranslated"] = split(row["untranslated"])
        administration = {lang: row.get(f"administration_{lang}", "").strip() for lang in languages}
        if any(administration.values()):
            meta["administration"] = administration
        meta["title"] = {lang: row.get(f"title_{lang}", "").strip() for lang in languages}
        CaseStudyMeta(**meta)
    except (ValueError, pydantic.ValidationError) as exc:
        first = exc.errors()[0] if isinstance(exc, pydantic.ValidationError) else None
        what = f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}" if first else str(exc)
        raise ValueError(f"not a case study of an export: {what}") from None
    files = {"casestudy.yml": yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=100)}
    for lang in languages:
        files[f"{lang}.md"] = row.get(f"text_{lang}", "")
    return files


def safe_csv(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def export(project, fmt: str, target: Path) -> list[Path]:
    """Write the export to `target` (replaced atomically); the files written."""
    found = records(project)
    languages = tuple(project.languages)
    if fmt == "json":
        data = Export(**{"$schema": SCHEMA_NAME}, languages=list(languages), casestudies=found)
        schema_path = target.with_name(SCHEMA_NAME)
        with atomic_write(target) as tmp:
            tmp.write_text(json.dumps(data.model_dump(by_alias=True), ensure_ascii=False, indent=2) + "\n", "utf-8")
        with atomic_write(schema_path) as tmp:
            tmp.write_text(json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n", "utf-8")
        return [target, schema_path]
    names = columns(languages)
    rows = [flat(r, languages) for r in found]
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(names)
        for row in rows:
            writer.writerow([safe_csv(row[n]) for n in names])
        with atomic_write(target) as tmp:
            tmp.write_bytes(("\ufeff" + buffer.getvalue()).encode("utf-8"))  # the BOM: Excel reads it as UTF-8
        return [target]
    if fmt == "xlsx":
        with atomic_write(target) as tmp:
            write_xlsx(tmp, names, rows)
        return [target]
    raise ValueError(fmt)


def write_xlsx(path: Path, names: list[str], rows: list[dict[str, object]]) -> None:
    import openpyxl
    from openpyxl.styles import Alignment, Font

    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "casestudies"
    for column, name in enumerate(names, start=1):
        text_cell(ws.cell(1, column), name).font = Font(bold=True)
    for r, row in enumerate(rows, start=2):
        for column, name in enumerate(names, start=1):
            value = row[name]
            if isinstance(value, str) and len(value) > XLSX_CELL_LIMIT:
                raise ValueError(f"casestudies/{row['id']}/: {name} is longer than a spreadsheet cell "
                                 f"({XLSX_CELL_LIMIT} characters); export as JSON")
            cell = ws.cell(r, column)
            if isinstance(value, int):
                cell.value = value
            else:
                text_cell(cell, str(value))
            if name.startswith("text_"):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "B2"
    book.save(path)
