"""Data tables in `data/`: a YAML file, or a CSV file with its schema beside it.

    data/<name>.yml                 columns and rows in one file
    data/<name>.csv                 rows only, first line the column ids ...
    data/<name>.schema.yml          ... and its columns declared here (a YAML table without rows)

The table's name is the file name without its extension; prose, tables and charts refer to it.
Every cell is checked against its column's declared type, and each problem names the line an
editor has to fix: the value's line in YAML, the row's line in CSV. See AUTHORING.md for the
format; `tests/test_data.py` for the errors.
"""

from __future__ import annotations

import csv
import datetime
import io
import math
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Literal

import pydantic

from ..sources.diagnostics import Problems
from ..sources.vocabulary import REGIONS, Technology
from ..sources.yamlfile import Schema, YamlData, load_declared, load_yaml_file, read_text, validate

# Ids of tables, columns and row keys: they are written in prose references
# (`{{ table.row.column }}`), where a dot separates them.
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")

ColumnType = Literal["integer", "decimal", "percent", "text", "date", "region", "technology", "id"]
NUMERIC_TYPES = ("integer", "decimal", "percent")
# A row key is written in references: it must be an id, whatever the column's type.
KEY_TYPES = ("id", "region", "technology", "integer")
# Tables computed from the case studies (see `counts.py`): no file may take their names.
COMPUTED_TABLES = ("casestudies-by-technology", "casestudies-by-region")


class ColumnSchema(Schema):
    id: str = pydantic.Field(pattern=ID_PATTERN.pattern)
    type: ColumnType
    label: dict[str, str]
    # May a cell be empty? (YAML: the key left out or `~`; CSV: an empty field.)
    optional: bool = False
    # Digits after the decimal point (decimal, percent); by default each value keeps those written.
    decimals: int | None = pydantic.Field(default=None, ge=0, le=6)
    # text: one text per language (YAML: a mapping; CSV: columns `<id>.<lang>`).
    translate: bool = False
    # region: the WCO abbreviation (AOA, MENA…) or the region's full name.
    display: Literal["abbr", "name"] = "abbr"


class TableSchema(Schema):
    title: dict[str, str]
    source: dict[str, str] | None = None
    key: str | None = None  # the column whose values name the rows; by default the first
    columns: list[ColumnSchema] = pydantic.Field(min_length=1)
    # Keys of any type here, so that a stray key is reported as an unknown column below.
    rows: list[dict[Any, Any]] = pydantic.Field(default_factory=list)


class CsvSchema(TableSchema):
    """The sidecar of a CSV file: the same keys, but the rows are in the CSV."""

    rows: None = None  # type: ignore[assignment]


@dataclass(frozen=True)
class Column:
    id: str
    type: str
    label: dict[str, str]
    optional: bool = False
    decimals: int | None = None
    translate: bool = False
    display: str = "abbr"

    @property
    def numeric(self) -> bool:
        return self.type in NUMERIC_TYPES


@dataclass
class DataTable:
    """One table: typed values, ready to format in either language (see `values.py`).

    Values are Python objects: int (integer), Decimal (decimal and percent, in percent units:
    38.8 means 38.8 %), datetime.date, str (id, region id, technology id, text), a dict
    language -> str (translated text), or None (an empty optional cell)."""

    name: str
    title: dict[str, str]
    columns: dict[str, Column]  # in the declared order
    key: str
    rows: dict[str, dict[str, Any]]  # row key -> column id -> value, in the file's order
    source: dict[str, str] | None = None
    path: Path | None = None  # None for a table computed from other sources
    row_lines: dict[str, int] = field(default_factory=dict)
    technology_names: dict[str, dict[str, str]] = field(default_factory=dict)

    def value(self, row_key: str, column: str) -> Any:
        return self.rows[row_key][column]


def load_data(root: Path, languages: tuple[str, ...], technologies: dict[str, Technology],
              problems: Problems) -> dict[str, DataTable]:
    """Every data table of `root/data/`, by name; problems reported, bad tables left out."""
    folder = root / "data"
    tables: dict[str, DataTable] = {}
    if not folder.is_dir():
        return tables
    seen: dict[str, Path] = {}
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or path.is_dir() or path.suffix not in (".yml", ".yaml", ".csv"):
            continue
        if path.name.endswith((".schema.yml", ".schema.yaml")):
            name = path.name.rsplit(".schema.", 1)[0]
            if not (folder / f"{name}.csv").is_file():
                problems.error(path, 0, f"schema of a CSV file, but there is no '{name}.csv' beside it")
            continue
        name = path.stem
        if name in seen:
            problems.error(path, 0, f"two data tables are named '{name}' (the other is {seen[name].name}): "
                                    "rename one")
            continue
        seen[name] = path
        if not ID_PATTERN.match(name):
            problems.error(path, 0, f"data table name '{name}' (the file name) must be lower-case ASCII "
                                    "letters a-z, digits and '-': prose and charts refer to it")
            continue
        if name in COMPUTED_TABLES:
            problems.error(path, 0, f"'{name}' is the name of a table computed from the case studies: "
                                    "rename the file")
            continue
        reader = _read_csv_table if path.suffix == ".csv" else _read_yaml_table
        table = reader(path, name, languages, technologies, problems)
        if table is not None:
            tables[name] = table
    return tables


# --- YAML ----------------------------------------------------------------------------------

def _read_yaml_table(path: Path, name: str, languages, technologies, problems) -> DataTable | None:
    declared = load_declared(TableSchema, path, problems)
    if declared is None:
        return None
    schema, yd = declared
    table, ok = _table_from_schema(schema, yd, path, name, languages, technologies, problems)
    if table is None:
        return None
    cells = _CellReader(table, languages, technologies, problems, path)
    for i, raw in enumerate(schema.rows):
        row_line = yd.line(("rows", i))
        row: dict[str, Any] = {}
        for col_id in raw:
            if col_id not in table.columns:
                hint = ""
                if isinstance(col_id, int) and not isinstance(col_id, bool):
                    # `{share: 38,8}` is read as `share: 38` and a key `8`.
                    hint = "; a comma inside { } separates values: write a decimal point (38.8)"
                problems.error(path, yd.line(("rows", i, col_id)), f"unknown column '{col_id}' "
                                                                    f"(columns: {', '.join(table.columns)}){hint}")
        for column in table.columns.values():
            line = yd.line(("rows", i, column.id)) if column.id in raw else row_line
            row[column.id] = cells.read(column, raw.get(column.id), line, yaml=True)
        _add_row(table, row, row_line, path, problems)
    return table if ok else None


# --- CSV -----------------------------------------------------------------------------------

def _read_csv_table(path: Path, name: str, languages, technologies, problems) -> DataTable | None:
    schema_path = path.with_name(f"{name}.schema.yml")
    if not schema_path.is_file():
        problems.error(path, 0, f"a CSV table needs its columns declared in '{schema_path.name}' beside it")
        return None
    yd = load_yaml_file(schema_path, problems)
    text = read_text(path, problems)
    if yd is None or text is None:
        return None
    schema = validate(CsvSchema, yd, schema_path, problems)
    if schema is None:
        return None
    table, ok = _table_from_schema(schema, yd, schema_path, name, languages, technologies, problems)
    if table is None:
        return None
    table.path = path
    # The header names each CSV field: `<column>` or, for a translated text, `<column>.<lang>`.
    expected = [f"{c.id}.{lang}" for c in table.columns.values() if c.translate for lang in languages]
    expected += [c.id for c in table.columns.values() if not c.translate]
    try:
        lines = list(_csv_records(text))
    except _CsvSyntax as exc:
        problems.error(path, exc.line, f"CSV syntax: {exc.message}")
        return None
    if not lines:
        problems.error(path, 1, f"the CSV file is empty: its first line must name the columns "
                                f"({', '.join(expected)})")
        return None
    header_line, header = lines[0]
    header = [h.strip() for h in header]
    if len(header) == 1 and ";" in header[0]:
        # What a spreadsheet set to French writes under the name "CSV".
        problems.error(path, header_line, "the fields are separated by ';': save the file as CSV with commas "
                                          "(and a decimal point in numbers)")
        return None
    problem_in_header = False
    for h in header:
        if h not in expected:
            problems.error(path, header_line, f"unknown column '{h}' in the header "
                                              f"(declared in {schema_path.name}: {', '.join(expected)})")
            problem_in_header = True
    for e in expected:
        if e not in header:
            problems.error(path, header_line, f"column '{e}' is declared in {schema_path.name} "
                                              "but missing from the header")
            problem_in_header = True
    if len(set(header)) != len(header):
        problems.error(path, header_line, "a column is named twice in the header")
        problem_in_header = True
    if problem_in_header:
        return None
    cells = _CellReader(table, languages, technologies, problems, path)
    for line, record in lines[1:]:
        if not any(field.strip() for field in record):
            continue  # a blank line
        if len(record) != len(header):
            problems.error(path, line, f"this row has {len(record)} values but the header has "
                                       f"{len(header)} columns (a comma inside a value needs quotes)")
            continue
        fields = dict(zip(header, record))
        row: dict[str, Any] = {}
        for column in table.columns.values():
            if column.translate:
                raw: Any = {lang: fields[f"{column.id}.{lang}"].strip() for lang in languages}
                if not any(v.strip() for v in raw.values()):
                    raw = None
            else:
                raw = fields[column.id] if fields[column.id].strip() else None
            row[column.id] = cells.read(column, raw, line, yaml=False)
        _add_row(table, row, line, path, problems)
    return table if ok else None


def _csv_records(text: str):
    """(line, fields) of each CSV record; a quoted value may span lines."""
    reader = csv.reader(io.StringIO(text), strict=True)
    start = 1
    try:
        for record in reader:
            yield start, record
            start = reader.line_num + 1
    except csv.Error as exc:
        raise _CsvSyntax(reader.line_num, str(exc)) from None


class _CsvSyntax(Exception):
    def __init__(self, line: int, message: str):
        self.line, self.message = line, message


# --- shared --------------------------------------------------------------------------------

def _table_from_schema(schema: TableSchema, yd: YamlData, path: Path, name: str, languages,
                       technologies, problems) -> tuple[DataTable | None, bool]:
    """The empty table its schema declares, and whether the declaration is sound. With a
    mistake in a title or a label the rows are still checked (one run lists every problem),
    but the table is not used; without a usable key column they cannot be."""
    ok = _check_texts(schema.title, languages, "title", ("title",), yd, path, problems)
    if schema.source is not None:
        ok &= _check_texts(schema.source, languages, "source", ("source",), yd, path, problems)
    columns: dict[str, Column] = {}
    for i, c in enumerate(schema.columns):
        loc = ("columns", i)
        ok &= _check_texts(c.label, languages, f"column '{c.id}': label", loc + ("label",), yd, path, problems)
        if c.id in columns:
            problems.error(path, yd.line(loc + ("id",)), f"column '{c.id}' is declared twice")
            ok = False
        if c.decimals is not None and c.type not in ("decimal", "percent"):
            problems.error(path, yd.line(loc + ("decimals",)),
                           f"column '{c.id}': 'decimals' applies to decimal and percent columns only")
            ok = False
        if c.translate and c.type != "text":
            problems.error(path, yd.line(loc + ("translate",)),
                           f"column '{c.id}': 'translate' applies to text columns only")
            ok = False
        columns[c.id] = Column(c.id, c.type, dict(c.label), c.optional, c.decimals, c.translate, c.display)
    key = schema.key or schema.columns[0].id
    if key not in columns:
        problems.error(path, yd.line(("key",)), f"key: no column '{key}' (columns: {', '.join(columns)})")
        return None, False
    if columns[key].type not in KEY_TYPES or columns[key].optional:
        problems.error(path, yd.line(("key",)) if schema.key else yd.line(("columns", 0)),
                       f"the key column '{key}' names the rows in references: its type must be one of "
                       f"{', '.join(KEY_TYPES)}, and it cannot be optional")
        return None, False
    names = {t.id: dict(t.names) for t in technologies.values()}
    return DataTable(name, dict(schema.title), columns, key, {},
                     dict(schema.source) if schema.source else None, path, {}, names), ok


def _check_texts(texts: dict[str, str], languages, what: str, loc, yd: YamlData, path, problems) -> bool:
    ok = True
    for lang in languages:
        if not (texts.get(lang) or "").strip():
            problems.error(path, yd.line(loc), f"{what}: the text in '{lang}' is missing")
            ok = False
    for lang in texts:
        if lang not in languages:
            problems.error(path, yd.line(loc + (lang,)), f"{what}: '{lang}' is not a language of the site")
            ok = False
    return ok


def _add_row(table: DataTable, row: dict[str, Any], line: int, path: Path, problems: Problems) -> None:
    key = row.get(table.key)
    if key is None:
        return  # its problem is reported already
    key = str(key)
    if key in table.rows:
        problems.error(path, line, f"duplicate row '{key}' in column '{table.key}' "
                                   f"(first at line {table.row_lines[key]})")
        return
    table.rows[key] = row
    table.row_lines[key] = line


_INTEGER = re.compile(r"^[+-]?\d+$")
_DECIMAL = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


class _CellReader:
    """Turns one raw cell (YAML value or CSV text) into its typed value, or reports why not."""

    def __init__(self, table: DataTable, languages, technologies, problems: Problems, path: Path):
        self.table, self.languages, self.technologies = table, languages, technologies
        self.problems, self.path = problems, path

    def read(self, column: Column, raw: Any, line: int, yaml: bool) -> Any:
        try:
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                if not column.optional:
                    raise _Bad("a value is required (the column is not optional)")
                return None
            if not yaml and isinstance(raw, str):
                raw = raw.strip()
            return getattr(self, "_" + column.type)(column, raw)
        except _Bad as bad:
            self.problems.error(self.path, line, f"{column.id}: {bad}")
            return None

    def _integer(self, column: Column, raw: Any) -> int:
        if isinstance(raw, int) and not isinstance(raw, bool):
            return raw
        if isinstance(raw, str) and _INTEGER.match(raw):
            return int(raw)
        raise _Bad(f"'{raw}' is not a whole number{_number_hint(raw)}")

    def _decimal(self, column: Column, raw: Any) -> Decimal:
        if isinstance(raw, bool):
            raise _Bad(f"'{raw}' is not a number")
        if isinstance(raw, int):
            return Decimal(raw)
        if isinstance(raw, float):
            if not math.isfinite(raw):
                raise _Bad(f"'{raw}' is not a number")
            return Decimal(repr(raw))  # the digits written in the file, not the binary float
        if isinstance(raw, str) and _DECIMAL.match(raw):
            try:
                return Decimal(raw)
            except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
                pass
        raise _Bad(f"'{raw}' is not a number{_number_hint(raw)}")

    _percent = _decimal  # in percent units: 38.8 is 38.8 %

    def _date(self, column: Column, raw: Any) -> datetime.date:
        if isinstance(raw, datetime.date) and not isinstance(raw, datetime.datetime):
            return raw
        try:
            return datetime.date.fromisoformat(str(raw))
        except ValueError:
            raise _Bad(f"'{raw}' is not a date: write it as YYYY-MM-DD, e.g. 2025-08-26") from None

    def _region(self, column: Column, raw: Any) -> str:
        if isinstance(raw, str) and raw in REGIONS:
            return raw
        raise _Bad(f"unknown region '{raw}' (the WCO regions are {', '.join(REGIONS)})")

    def _technology(self, column: Column, raw: Any) -> str:
        if isinstance(raw, str) and raw in self.technologies:
            return raw
        raise _Bad(f"unknown technology '{raw}' (see technologies.yml)")

    def _id(self, column: Column, raw: Any) -> str:
        text = str(raw)
        if not isinstance(raw, (str, int)) or isinstance(raw, bool) or not ID_PATTERN.match(text):
            raise _Bad(f"'{raw}' must be lower-case ASCII letters a-z, digits and '-'")
        return text

    def _text(self, column: Column, raw: Any) -> str | dict[str, str]:
        if not column.translate:
            if isinstance(raw, dict):
                raise _Bad("one text for every language is expected here; declare the column "
                           "'translate: true' to give one per language")
            if isinstance(raw, (list, bool)):
                raise _Bad("expected a text")
            return str(raw)
        if not isinstance(raw, dict):
            raise _Bad(f"expected the text in each language ({', '.join(self.languages)})")
        for lang in raw:
            if lang not in self.languages:
                raise _Bad(f"'{lang}' is not a language of the site")
        for lang in self.languages:
            if not isinstance(raw.get(lang), str) or not raw[lang].strip():
                raise _Bad(f"the text in '{lang}' is missing")
        return {lang: raw[lang] for lang in self.languages}


class _Bad(Exception):
    pass


def _number_hint(raw: Any) -> str:
    text = str(raw)
    if re.match(r"^[+-]?\d+,\d+$", text):
        return f": write a decimal point, e.g. {text.replace(',', '.')}"
    if re.search(r"\d[ \u00a0\u202f,]\d{3}", text):
        return ": write it without thousands separators"
    if text.rstrip().endswith("%"):
        return ": write the number without '%' (the column's type says it is a percentage)"
    return ""
