"""`intake import FILE`: a survey's answers (XLSX or CSV) as case-study drafts, all or nothing.

1. The file is read as untrusted input (sheets.py) and each row mapped to the model's values
   (mapping.py, fields.py); every problem is reported at its cell, `FILE.xlsx:Sheet!C12`.
2. A row whose answers were imported before is skipped; one that looks like a case study of the
   repository or of an earlier row (same Member, similar title) is reported, not created.
3. The drafts are written into a scratch copy of the sources, and the project's check (the same
   as `build_report.py check`) runs on that copy. Only if it finds no error are the new folders
   moved into `casestudies/`, each with one rename.
Any refused row or error: nothing is written. An export of this repository (export.py) is read
back as the case studies it holds (id, status, both languages), which makes the round trip.
"""

from __future__ import annotations

import datetime
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..sources.diagnostics import ContentError, Problem, Severity
from .drafts import Known, Submission, already_there, draft_files, known_studies, new_id
from .fields import FIELD, Resolvers, folded, serial_date, year_of
from .mapping import Mapping, template_language, template_mapping
from .sheets import Cell, Grid, SheetError, read_grid


@dataclass
class ImportResult:
    created: list[tuple[str, str]] = field(default_factory=list)  # (id, where the row is)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (where, why): already there
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (where, message)
    warnings: list[tuple[str, str]] = field(default_factory=list)


def _problem(where: str, message: str, severity: Severity = Severity.ERROR) -> Problem:
    """A problem at a spreadsheet's cell: `FILE.xlsx:Sheet!C12: error: message` (no line)."""
    return Problem(where, 0, message, severity)


def import_file(project, path: Path, shown: str, mapping: Mapping | None = None,
                today: datetime.date | None = None) -> ImportResult:
    """Import `path` into `project`'s casestudies/ (see the module's docstring); raises
    ContentError with every problem, having written nothing, when a row is refused."""
    from .export import EXPORT_COLUMNS

    today = today or datetime.date.today()
    if path.suffix.lower() == ".json" and mapping is None:
        grid = _json_grid(path, shown)
    else:
        grid = None
    try:
        grid = grid or read_grid(path, shown, mapping.sheet if mapping else None)
    except SheetError as exc:
        raise ContentError([_problem(exc.where, exc.message)]) from None
    result = ImportResult(warnings=list(grid.warnings))
    if not grid.rows:
        raise ContentError([_problem(shown, "no answers in the file (every row is empty)")])
    if mapping is None and _is_export(grid, EXPORT_COLUMNS):
        drafts = _read_export(project, grid, result)
    else:
        drafts = _read_answers(project, grid, mapping, result, today)
    if drafts:
        _write_checked(project, drafts)
        result.created = [(cid, where) for cid, (where, _) in drafts.items()]
    return result


def _header(grid: Grid, wanted: list[str], header_row: int | None) -> tuple[int, dict[int, str]]:
    """The header row (given, or the first of the first 20 rows naming the most wanted columns)."""
    names = {folded(w) for w in wanted}
    if header_row is not None:
        for number, cells in grid.rows:
            if number == header_row:
                return number, {c: cell.text.strip() for c, cell in cells.items()}
        raise ContentError([_problem(grid.where(header_row), "the header row of the mapping is empty")])
    best, best_score = grid.rows[0], -1
    for number, cells in grid.rows[:20]:
        score = sum(folded(cell.text) in names for cell in cells.values())
        if score > best_score:
            best, best_score = (number, cells), score
    return best[0], {c: cell.text.strip() for c, cell in best[1].items()}


def _read_answers(project, grid: Grid, mapping: Mapping | None, result: ImportResult,
                  today: datetime.date) -> dict[str, tuple[str, dict[str, str]]]:
    ours = mapping is None
    mapping = mapping or template_mapping()
    wanted = [n for key in mapping.columns for n in mapping.names(key)]
    header_row, headers = _header(grid, wanted, mapping.header_row)
    by_name: dict[str, list[int]] = {}
    for column, name in headers.items():
        by_name.setdefault(folded(name), []).append(column)
    columns: dict[str, list[int]] = {}
    errors: list[Problem] = []
    for key in mapping.columns:
        found = [c for n in mapping.names(key) for c in by_name.get(folded(n), [])]
        if found:
            columns[key] = sorted(set(found))
        elif FIELD[key].required:
            named = " or ".join(f"'{n}'" for n in mapping.names(key))
            errors.append(_problem(grid.where(header_row, 1), f"no column {named} (the {key} of each case study) in "
                                   f"the header row; its columns: {', '.join(repr(h) for h in headers.values())}"
                                   + ("" if not ours else "; a survey tool's export needs --mapping FILE.yml")))
    if errors:
        raise ContentError(errors)
    default_lang = mapping.language or (template_language(list(headers.values())) if ours else None)
    resolve = Resolvers(project.technologies, project.languages)
    known = known_studies(project.root / "casestudies", project.casestudies)
    taken = set(project.casestudies) | {p.name for p in (project.root / "casestudies").glob("*")}
    drafts: dict[str, tuple[str, dict[str, str]]] = {}
    for number, cells in grid.rows:
        if number <= header_row:
            continue
        sub, row_errors = _submission(grid, number, cells, headers, columns, mapping, resolve, default_lang)
        errors += row_errors
        if sub is None:
            continue
        sub.notes = [f"{w}: {m}" for w, m in grid.warnings if w in {c.where for c in cells.values()}]
        there = already_there(sub, known)
        if there and there[0] == "same":
            result.skipped.append((sub.where, f"already imported as casestudies/{there[1].id}/"))
            continue
        if there:
            result.duplicates.append((sub.where, f"likely duplicate of casestudies/{there[1].id}/ (same Member, "
                                                 f"similar title: '{there[1].titles[0]}'): not created; if it is "
                                                 "another case, give it a title of its own"))
            continue
        cid = new_id(sub, taken)
        taken.add(cid)
        known.append(Known(cid, sub.member, (sub.title,), sub.fingerprint))
        drafts[cid] = (sub.where, draft_files(sub, project.languages, today))
    if errors:
        raise ContentError(errors)
    return drafts


def _submission(grid: Grid, number: int, cells: dict[int, Cell], headers: dict[int, str],
                columns: dict[str, list[int]], mapping: Mapping, resolve: Resolvers,
                default_lang: str | None) -> tuple[Submission | None, list[Problem]]:
    errors: list[Problem] = []

    def cell(key: str) -> Cell | None:
        for column in columns.get(key, []):
            if column in cells and cells[column].text.strip():
                return cells[column]
        return None

    def value(key: str, resolver):
        found = cell(key)
        if found is None:
            if FIELD[key].required:
                errors.append(_problem(grid.where(number, columns[key][0]), f"the {key} is missing"))
            return None
        text = found.text.strip()
        text = mapping.values.get(key, {}).get(text, text)
        if resolver is None:
            return text
        resolved, message = resolver(text)
        if message:
            errors.append(_problem(found.where, message))
        return resolved

    member = value("member", resolve.member)
    region = value("region", resolve.region)
    technologies: list[str] = []
    for column in columns["technologies"]:
        if column in cells and cells[column].text.strip():
            text = cells[column].text.strip()
            found, message = resolve.technologies_of(mapping.values.get("technologies", {}).get(text, text))
            if message:
                errors.append(_problem(cells[column].where, message))
            else:
                technologies += [t for t in found or [] if t not in technologies]
    if not any(column in cells and cells[column].text.strip() for column in columns["technologies"]):
        errors.append(_problem(grid.where(number, columns["technologies"][0]), "no technology given"))
    year = None
    year_cell = cell("year")
    if year_cell is None:
        errors.append(_problem(grid.where(number, columns["year"][0]), "the year is missing"))
    else:
        year, message = year_of(year_cell.value)
        if message:
            errors.append(_problem(year_cell.where, message))
    title = value("title", None)
    body = value("text", None)
    language = default_lang
    if cell("language") is not None:
        language = value("language", resolve.language)
    elif language is None:
        errors.append(_problem(grid.where(number, 1), "the language of the answers is not known: add a column "
                                                       "for it, or 'language:' to the mapping file"))
    administration = value("administration", None) if "administration" in columns else None
    submitted = None
    date_cell = cell("submitted")
    if date_cell is not None:
        raw = date_cell.value
        if isinstance(raw, (int, float)) and 18264 <= raw <= 73051:
            submitted = serial_date(raw).isoformat()
        else:
            submitted = date_cell.text.strip()
    if errors or not technologies or None in (member, region, year, title, body, language):
        return None, errors
    answers: dict[str, str] = {}
    for c in sorted(cells):
        name = headers.get(c) or f"column {_letter(c)}"
        if name in answers:  # a header merged over several columns: each column's answer kept
            name = f"{name} ({_letter(c)})"
        answers[name] = cells[c].text
    return Submission(grid.where(number, 1), grid.shown, grid.sheet, number, answers, member, region,  # type: ignore[arg-type]
                      technologies, year, title, body, language, mapping.source,  # type: ignore[arg-type]
                      administration=administration, submitted=submitted), []


def _letter(column: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(column)


# --- an export of this repository read back (export.py's columns)

def _is_export(grid: Grid, columns: tuple[str, ...]) -> bool:
    first = {cell.text.strip() for cell in grid.rows[0][1].values()}
    return {"id", "status", "member", "region"} <= first and set(columns) <= first


def _read_export(project, grid: Grid, result: ImportResult) -> dict[str, tuple[str, dict[str, str]]]:
    from .export import record_files

    header_row, cells0 = grid.rows[0]
    headers = {c: cell.text.strip() for c, cell in cells0.items()}
    drafts: dict[str, tuple[str, dict[str, str]]] = {}
    errors: list[Problem] = []
    for number, cells in grid.rows[1:]:
        record = {headers[c]: cell.text for c, cell in cells.items() if c in headers}
        where = grid.where(number, 1)
        cid = record.get("id", "")
        try:
            files = record_files(record, project.languages)
        except ValueError as exc:
            errors.append(_problem(where, str(exc)))
            continue
        if cid in project.casestudies or (project.root / "casestudies" / cid).exists():
            if _same_study(project.casestudies.get(cid), files):
                result.skipped.append((where, f"already in the repository as casestudies/{cid}/"))
            else:
                result.duplicates.append((where, f"casestudies/{cid}/ exists and differs: not replaced"))
            continue
        drafts[cid] = (where, files)
    if errors:
        raise ContentError(errors)
    return drafts


def _json_grid(path: Path, shown: str) -> Grid:
    """An export as JSON (export.py's schema) read as the rows of its spreadsheet form; a
    problem is at `FILE.json:N` (N: the case study's place in the list, from 1)."""
    import json

    import pydantic

    from .export import Export, columns, flat
    from .sheets import MAX_FILE_BYTES

    if path.stat().st_size > MAX_FILE_BYTES:
        raise ContentError([_problem(shown, "the file is larger than an export of case studies may be")])
    try:
        data = Export.model_validate(json.loads(path.read_text("utf-8")))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ContentError([_problem(shown, f"not a JSON file in UTF-8 ({exc})")]) from None
    except pydantic.ValidationError as exc:
        first = exc.errors()[0]
        where = f"{shown}:{first['loc'][1] + 1}" if first["loc"][:1] == ("casestudies",) and len(first["loc"]) > 1 \
            else shown
        raise ContentError([_problem(where, "not an export of case studies (casestudies.schema.json): "
                                            f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}")]) from None
    languages = tuple(data.languages)
    names = columns(languages)
    grid = Grid(shown, None, [], [])
    grid.rows.append((0, {i: Cell(n, shown) for i, n in enumerate(names, start=1)}))
    for number, record in enumerate(data.casestudies, start=1):
        row = flat(record, languages)
        grid.rows.append((number, {i: Cell(row[n], f"{shown}:{number}") for i, n in enumerate(names, start=1)
                                   if str(row[n]).strip()}))
    return grid


def _same_study(study, files: dict[str, str]) -> bool:
    """Whether an exported row holds what the repository's case study holds (metadata and texts)."""
    import yaml

    from ..sources.casestudies import CaseStudyMeta

    if study is None:
        return False
    meta = CaseStudyMeta(**yaml.safe_load(files["casestudy.yml"]))
    return meta == study.meta and all(files[f"{lang}.md"] == text for lang, text in study.texts.items())


# --- writing, after the check

def _write_checked(project, drafts: dict[str, tuple[str, dict[str, str]]]) -> None:
    """Write the drafts into a scratch copy of the sources, check it as `check` does, then move
    the new folders in (nothing is written into the sources if the check finds an error)."""
    from ..markdown.gate import check_project
    from ..sources.project import load_project

    root = project.root
    with tempfile.TemporaryDirectory(prefix="wcoreport-intake-") as scratch:
        staged_root = Path(scratch) / "repo"
        _copy_sources(root, staged_root)
        for cid, (_, files) in drafts.items():
            _write_files(staged_root / "casestudies" / cid, files)
        staged = load_project(staged_root)
        check_project(staged)
        if staged.problems.errors:
            raise ContentError(staged.problems.errors)
        # Beside their place (same file system), then each folder in with one rename.
        holding = Path(tempfile.mkdtemp(prefix=".intake-", suffix=".part", dir=root / "casestudies"))
        moved: list[str] = []
        try:
            for cid, (_, files) in drafts.items():
                _write_files(holding / cid, files)
            for cid in drafts:
                os.rename(holding / cid, root / "casestudies" / cid)  # (fails if the folder appeared meanwhile)
                moved.append(cid)
        except BaseException:
            for cid in moved:  # all or nothing: the folders moved in so far go back out
                os.rename(root / "casestudies" / cid, holding / cid)
            raise
        finally:
            shutil.rmtree(holding, ignore_errors=True)


def _copy_sources(root: Path, dest: Path) -> None:
    """What load_project reads: the files at the top, and the folders of sources (not the
    outputs, the virtual environment, git's data, the code or the tests)."""
    dest.mkdir(parents=True)
    skip = {"build", "src", "tests", "bench", "examples", "site", "node_modules"}
    for entry in root.iterdir():
        if entry.name.startswith(".") or entry.name in skip:
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.copytree(entry, dest / entry.name, symlinks=True,
                            ignore=shutil.ignore_patterns(".intake-*"))
        elif entry.is_file():
            shutil.copy2(entry, dest / entry.name)


def _write_files(folder: Path, files: dict[str, str]) -> None:
    folder.mkdir(parents=True)
    for name, content in files.items():
        (folder / name).write_text(content, "utf-8", newline="\n")
