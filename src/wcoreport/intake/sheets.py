"""Reading a survey's spreadsheet (XLSX or CSV) as untrusted input: a grid of cells, each with
the place an editor finds it (`survey.xlsx:Responses!C12`, `survey.csv:12`).

- A formula is never evaluated: its cell is taken as the formula's text, with a warning (a
  survey export has no business holding formulas; the text is what the cell shows in a tool
  that does not compute them, and it is kept in submission.yml for the editor to see).
- Limits, checked before the file is parsed: the file's size, the XLSX's unpacked size from the
  sizes its ZIP directory declares (a zip bomb is refused before openpyxl opens it; Python's
  zipfile stops reading an entry at its declared size), the number of its entries; then the
  number of rows and columns and the length of a cell.
- A CSV must be UTF-8 (with or without the BOM Excel writes): another encoding is refused at
  the line of its first byte that is not UTF-8, with the way to save it as UTF-8. Guessing
  (cp1252? Mac Roman? ISO-8859-15?) would silently change a Member's letters.
- Merged cells read as the value of their first cell (a header merged over two columns names
  both); empty rows are skipped.
"""

from __future__ import annotations

import csv
import datetime
import io
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_UNPACKED_BYTES = 100 * 1024 * 1024  # an XLSX of 5,000 answered rows unpacks to a few MB
MAX_ZIP_ENTRIES = 1000
MAX_ROWS = 5000
MAX_COLUMNS = 200
MAX_CELL_CHARS = 20000  # as the longest line of a page (markdown/analysis.py's limit)
# A CSV cell that starts with one of these after an apostrophe was protected against formula
# injection (export.py): the apostrophe is ours, not the Member's.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# The sheets of our own template (template.py): the reader passes over all but the answers.
SHEET = {"en": "Case studies", "fr": "Études de cas"}
INSTRUCTIONS = {"en": "Instructions", "fr": "Instructions"}
LISTS = "Lists"
HELPER_SHEETS = {*INSTRUCTIONS.values(), LISTS}


def text_cell(cell, text: str):
    """A cell holding `text` as a string, whatever it starts with (never a formula)."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    cell.value = ILLEGAL_CHARACTERS_RE.sub("", text)
    cell.data_type = "s"  # openpyxl types a text starting with '=' as a formula: not ours
    return cell


class SheetError(Exception):
    """The file cannot be read as a survey's spreadsheet; `where` is `FILE` or `FILE:LINE`."""

    def __init__(self, where: str, message: str):
        self.where, self.message = where, message
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class Cell:
    value: object  # str, int, float, datetime (a date cell); a formula: its text
    where: str  # `FILE.xlsx:Sheet!C12` or `FILE.csv:12`
    formula: bool = False

    @property
    def text(self) -> str:
        value = self.value
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        if isinstance(value, datetime.datetime):
            return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
        return str(value).replace("\r\n", "\n").replace("\r", "\n")


@dataclass
class Grid:
    """A sheet's rows (empty rows left out), each `(row number, {column index: Cell})`."""

    shown: str  # the file as the user named it
    sheet: str | None  # None for a CSV
    rows: list[tuple[int, dict[int, Cell]]]
    warnings: list[tuple[str, str]]  # (where, message)

    def where(self, row: int, column: int | None = None) -> str:
        if self.sheet is None:
            return f"{self.shown}:{row}"
        from openpyxl.utils import get_column_letter

        quoted = self.sheet if self.sheet.replace("_", "").isalnum() else "'" + self.sheet.replace("'", "''") + "'"
        return f"{self.shown}:{quoted}!{get_column_letter(column or 1)}{row}"


def read_grid(path: Path, shown: str, sheet: str | None = None) -> Grid:
    """The cells of `path` (.xlsx or .csv); `sheet`: the XLSX sheet to read (default: the first
    sheet that is not instructions or lists)."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise SheetError(shown, f"cannot read the file: {exc.strerror or exc}") from None
    if size > MAX_FILE_BYTES:
        raise SheetError(shown, f"the file is {size // 1024 // 1024} MB: more than the {MAX_FILE_BYTES // 1024 // 1024} MB "
                                "a survey export may have")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _read_csv(path, shown)
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path, shown, sheet)
    raise SheetError(shown, "not a spreadsheet this command reads: give an .xlsx or a .csv file "
                            "(an .xls or .ods file: save it as .xlsx first)")


def _check_zip(path: Path, shown: str) -> None:
    """Refuse a damaged XLSX or a zip bomb from the ZIP's directory, before anything is unpacked."""
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise SheetError(shown, "not a readable XLSX file (damaged, or not an XLSX): open it in the "
                                "spreadsheet program and save it again as .xlsx") from None
    if len(entries) > MAX_ZIP_ENTRIES:
        raise SheetError(shown, f"the XLSX holds {len(entries)} parts: more than the {MAX_ZIP_ENTRIES} a survey export may have")
    unpacked = sum(e.file_size for e in entries)
    if unpacked > MAX_UNPACKED_BYTES:
        raise SheetError(shown, f"the XLSX would unpack to {unpacked // 1024 // 1024} MB: more than the "
                                f"{MAX_UNPACKED_BYTES // 1024 // 1024} MB a survey export may have (refused unopened)")
    if not any(e.filename == "[Content_Types].xml" for e in entries):
        raise SheetError(shown, "not a readable XLSX file (a ZIP file, but not a spreadsheet)")


def _read_xlsx(path: Path, shown: str, sheet: str | None) -> Grid:
    _check_zip(path, shown)
    import openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl's notes on extensions it does not read
            # data_only=False: a formula comes as its text, never as a value some program computed.
            book = openpyxl.load_workbook(path, data_only=False, read_only=False, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds (KeyError, XML errors, ...) on a damaged file
        raise SheetError(shown, f"not a readable XLSX file (damaged: {type(exc).__name__}): open it in the "
                                "spreadsheet program and save it again as .xlsx") from None
    names = book.sheetnames
    if sheet is not None:
        if sheet not in names:
            raise SheetError(shown, f"no sheet '{sheet}' (the file has: {', '.join(names)}); "
                                    "name the sheet of the answers in the mapping file (sheet:)")
        ws = book[sheet]
    else:
        answer_sheets = [n for n in names if n not in HELPER_SHEETS] or names
        ws = book[answer_sheets[0]]
    grid = Grid(shown, ws.title, [], [])
    if ws.max_column > MAX_COLUMNS:
        raise SheetError(grid.where(1, ws.max_column), f"the sheet has {ws.max_column} columns: more than {MAX_COLUMNS}")
    merged: dict[tuple[int, int], tuple[int, int]] = {}
    for rng in ws.merged_cells.ranges:
        if (rng.max_row - rng.min_row + 1) * (rng.max_col - rng.min_col + 1) > MAX_COLUMNS * 10:
            raise SheetError(grid.where(rng.min_row, rng.min_col), "a merged cell larger than a survey export has")
        for r in range(rng.min_row, rng.max_row + 1):
            for c in range(rng.min_col, rng.max_col + 1):
                if (r, c) != (rng.min_row, rng.min_col):
                    merged[(r, c)] = (rng.min_row, rng.min_col)
    values: dict[tuple[int, int], Cell] = {}
    for row in ws.iter_rows():
        for cell in row:
            if cell.value is None or cell.value == "":
                continue
            where = grid.where(cell.row, cell.column)
            value, formula = cell.value, cell.data_type == "f"
            if formula:
                value = getattr(value, "text", None) or str(value)
                grid.warnings.append((where, f"a formula, taken as its text ({_short(value)}), never computed"))
            elif isinstance(value, datetime.time):
                value = value.isoformat()
            _check_length(value, where)
            values[(cell.row, cell.column)] = Cell(value, where, formula)
    for (r, c), (r0, c0) in merged.items():
        if (r0, c0) in values:
            first = values[(r0, c0)]
            values[(r, c)] = Cell(first.value, first.where, first.formula)
    rows: dict[int, dict[int, Cell]] = {}
    for (r, c), cell in sorted(values.items()):
        if cell.text.strip():
            rows.setdefault(r, {})[c] = cell
    if len(rows) > MAX_ROWS:
        raise SheetError(shown, f"the sheet has {len(rows)} rows: more than {MAX_ROWS} (split the file)")
    grid.rows = sorted(rows.items())
    return grid


def _read_csv(path: Path, shown: str) -> Grid:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise SheetError(f"{shown}:{line}", f"not UTF-8 text (byte 0x{data[exc.start]:02X}): the file was saved in "
                                            "another encoding; save it again as 'CSV UTF-8' (Excel: File > Save As > "
                                            "CSV UTF-8; LibreOffice: Character set: Unicode (UTF-8))") from None
    if "\0" in text:
        raise SheetError(shown, "not a CSV file (it holds NUL characters): export the answers as CSV or XLSX")
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)  # French-locale tools write ';'
    grid = Grid(shown, None, [], [])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    start = 1
    try:
        for record in reader:
            where_row = start
            start = reader.line_num + 1
            if len(record) > MAX_COLUMNS:
                raise SheetError(f"{shown}:{where_row}", f"{len(record)} columns: more than {MAX_COLUMNS}")
            cells = {}
            for column, value in enumerate(record, start=1):
                if not value.strip():
                    continue
                where = grid.where(where_row)
                if value[:1] == "'" and value[1:2] in FORMULA_START:
                    value = value[1:]  # our own protection (export.py), taken off
                _check_length(value, where)
                cells[column] = Cell(value, where)
            if cells:
                grid.rows.append((where_row, cells))
                if len(grid.rows) > MAX_ROWS:
                    raise SheetError(shown, f"more than {MAX_ROWS} rows (split the file)")
    except csv.Error as exc:
        raise SheetError(f"{shown}:{reader.line_num}", f"not a well-formed CSV file ({exc})") from None
    return grid


def _check_length(value: object, where: str) -> None:
    if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
        raise SheetError(where, f"the cell holds {len(value)} characters: more than {MAX_CELL_CHARS}")


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:39] + "…"
