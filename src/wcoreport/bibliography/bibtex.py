"""The BibTeX bibliography (`references.bib`): read, checked, and handed to citeproc as CSL JSON.

bibtexparser 2 splits the file into blocks; everything after that is ours, so that every
problem is a `references.bib:LINE` message in our words, naming the entry:

- errors: a duplicate citation key, a key BibTeX cannot cite (a space, an invisible
  bidirectional control character), a crossref to a missing entry, an undefined `@string`
  macro, an entry that cannot be read, a `url` or `doi` that is not a web address (a
  `javascript:` or `data:` link would reach the site);
- warnings: a field given twice in an entry (BibTeX and biber warn and keep the first value:
  so do we), an entry without title (reports and patents may have none) or year/date, an
  impossible date, a `@string` macro defined twice (the later one counts from there on, as in
  BibTeX), an unknown entry type or LaTeX command, a `@comment` whose brace is never closed.

`@string` macros, `#` concatenation, `@preamble` and `crossref` work as in BibTeX; `@comment`
as biber reads it (its whole braced body is ignored, entries in it too: bibtex_comments.py);
text between entries is ignored.
pandoc's citeproc is then given `write_csl_json`'s file, never the `.bib` itself: what it
formats is what was checked, with LaTeX and math already plain Unicode text.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import bibtexparser
from bibtexparser import model

from ..sources import bidi_controls
from . import csl_json
from .bibtex_comments import strip_comments
from ..sources.diagnostics import Problems, Remembered
from .latex_text import decode
from .organization_names import localize_names
from ..pipeline.outputs import atomic_write
from ..sources.yamlfile import read_text

# bibtexparser logs its own account of a bad block (its internals, in its words) on the root
# logger's last-resort handler, i.e. on stderr. We report every problem ourselves.
_LOG = logging.getLogger("bibtexparser")
_LOG.addHandler(logging.NullHandler())
_LOG.propagate = False

# BibTeX's predefined macros (plain.bst): the months.
_MONTH_MACROS = {name: full for name, full in zip(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
    ("January", "February", "March", "April", "May", "June", "July", "August", "September",
     "October", "November", "December"))}

# Fields that are bookkeeping, not inherited through a crossref.
_NOT_INHERITED = {"crossref", "xref", "ids", "entryset", "related", "xdata", "keywords", "label",
                  "shorthand", "sortkey", "sortname", "options", "execute"}
# biblatex: the title of a book is the booktitle of its parts, the title of a periodical the
# journal title of its articles. Other children inherit fields under the same name (BibTeX).
_PART_TYPES = {"inbook", "incollection", "inproceedings", "bookinbook", "suppbook", "suppcollection",
               "conference"}
_TITLE_OF_PART = {"title": "booktitle", "subtitle": "booksubtitle", "titleaddon": "booktitleaddon",
                  "shorttitle": None}


@dataclass(frozen=True)
class BibEntry:
    key: str
    type: str  # lowercase, without '@'
    fields: dict[str, str]  # lowercase field name -> LaTeX text, macros and crossref resolved
    line: int
    field_lines: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Bibliography:
    path: Path
    lines: dict[str, int]  # citation key -> line of its entry
    entries: dict[str, BibEntry] = field(default_factory=dict)
    commented: dict[str, int] = field(default_factory=dict)  # key -> line, of entries in a @comment

    def __contains__(self, key: str) -> bool:
        return key in self.lines

    def csl_items(self, lang: str = "en") -> list[dict[str, Any]]:
        """Every entry as a CSL JSON item, in the order of the file, for a document in `lang`
        ("en", "fr" or a locale such as "fr-FR": see `csl_json.csl_item`)."""
        return [csl_json.csl_item(e.key, e.type, e.fields, lang) for e in self.entries.values()]


def write_csl_json(bib: Bibliography, path: Path, lang: str = "en", names: dict[str, str] | None = None) -> Path:
    """Write the bibliography as CSL JSON for a document in `lang`, to give to
    `pandoc --citeproc --bibliography=PATH` instead of the `.bib`; `names`: organizations'
    names in `lang` (organization_names.py).

    The same bibliography always gives the same bytes."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(localize_names(bib.csl_items(lang), names or {}), ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    with atomic_write(path) as tmp:
        tmp.write_text(text, "utf-8")
    return path


# --- field values: macros and # concatenation ----------------------------------------------------

class _BadValue(ValueError):
    pass


_MACRO_NAME = re.compile(r"[^\s#{}\",=()%]+")


def _closing(text: str, start: int, opening: str) -> int:
    """Index of the delimiter that closes the `{` or `"` at `start` (braces nest)."""
    depth = 0
    for i in range(start + 1, len(text)):
        ch = text[i]
        if ch == "\\":
            continue
        if ch == "{" and text[i - 1] != "\\":
            depth += 1
        elif ch == "}" and text[i - 1] != "\\":
            if depth == 0:
                if opening == "{":
                    return i
                raise _BadValue("a '}' closes a brace that was never opened")
            depth -= 1
        elif ch == '"' and opening == '"' and depth == 0:
            return i
    raise _BadValue("a brace or quote is not closed")


def evaluate(raw: str, macros: dict[str, str], defined_later: dict[str, int]) -> str:
    """The text of a field value as BibTeX reads it: `{..}`, `".."`, a number or a macro name,
    joined with `#`."""
    text, parts, i = raw.strip(), [], 0
    expect_part = True
    while i < len(text):
        ch = text[i]
        if ch.isspace():
            i += 1
            continue
        if not expect_part:
            if ch != "#":
                raise _BadValue(f"unexpected '{text[i:i + 12]}' (parts of a value are joined with '#')")
            expect_part, i = True, i + 1
            continue
        if ch in "{\"":
            end = _closing(text, i, ch)
            parts.append(text[i + 1:end])
            i = end + 1
        else:
            match = _MACRO_NAME.match(text, i)
            if not match:
                raise _BadValue(f"unexpected '{ch}'")
            word = match.group()
            if word.isdigit():
                parts.append(word)
            elif word.lower() in macros:
                parts.append(macros[word.lower()])
            elif word.lower() in defined_later:
                raise _BadValue(f"uses the @string macro '{word}' before its definition "
                                f"(line {defined_later[word.lower()]}): move the @string above")
            else:
                raise _BadValue(f"uses '{word}', which is no @string macro (text must be in braces or quotes)")
            i = match.end()
        expect_part = False
    if expect_part and parts:
        raise _BadValue("ends with '#': a part is missing")
    return "".join(parts)


# --- reading -------------------------------------------------------------------------------------

def _abort_reason(block: model.ParsingFailedBlock, next_line: int | None) -> str:
    """bibtexparser's reason for giving up on a block, in our words."""
    reason = getattr(block.error, "abort_reason", "") or ""
    if "Unexpected block start" in reason or "reached end of file" in reason:
        where = f"before line {next_line}, where the next entry starts" if next_line else "before the end of the file"
        return f"a closing brace is missing {where}"
    if "Expected comma after entry key" in reason:
        return "the citation key must be followed by a comma"
    if "Expected a `=`" in reason or "Expected equals sign" in reason:
        return "a field name must be followed by '='"
    if "Expected either a `,`" in reason:
        return "fields must be separated by commas"
    return "it is not BibTeX (check its braces, quotes and commas)"


@dataclass
class _Reader:
    path: Path
    problems: Problems
    macros: dict[str, str] = field(default_factory=lambda: dict(_MONTH_MACROS))
    macro_lines: dict[str, int] = field(default_factory=dict)
    entries: dict[str, BibEntry] = field(default_factory=dict)
    raw_types: dict[str, str] = field(default_factory=dict)

    def error(self, line: int, message: str) -> None:
        self.problems.error(self.path, line, message)

    def warning(self, line: int, message: str) -> None:
        self.problems.warning(self.path, line, message)

    def string(self, block: model.String, later: dict[str, int]) -> None:
        line, name = block.start_line + 1, block.key.strip().lower()
        try:
            value = evaluate(block.value, self.macros, later)
        except _BadValue as exc:
            self.error(line, f"@string macro '{block.key}': {exc}")
            return
        if name in self.macro_lines:
            self.warning(line, f"@string macro '{block.key}' is defined again (first at line "
                               f"{self.macro_lines[name]}): from here on, this definition counts")
        elif name in _MONTH_MACROS:
            self.warning(line, f"@string macro '{block.key}' redefines the month BibTeX predefines")
        self.macros[name] = value
        self.macro_lines[name] = line

    def entry(self, block: model.Entry, later: dict[str, int]) -> None:
        line, key = block.start_line + 1, block.key.strip()
        if not key:
            self.error(line, f"an @{block.entry_type} entry has no citation key")
            return
        if key in self.entries:
            self.error(line, f"duplicate citation key '{key}' (first at line {self.entries[key].line})")
            return
        if bidi := bidi_controls.find(key):
            self.error(line, f"the citation key '{bidi_controls.shown(key)}' holds {bidi}: "
                             f"{bidi_controls.HINT}")
            return
        if any(ch.isspace() for ch in key):
            joined = "-".join(key.split())
            self.error(line, f"the citation key '{key}' has a space: BibTeX cannot cite it "
                             f"(write it without spaces, e.g. '{joined}', and cite it so)")
            return
        fields: dict[str, str] = {}
        field_lines: dict[str, int] = {}
        for fld in block.fields:
            name, fline = fld.key.strip().lower(), fld.start_line + 1
            if name in fields:
                # BibTeX: "I'm ignoring X's extra "name" field"; biber keeps the first too.
                first = "" if field_lines[name] == fline else f" (first at line {field_lines[name]})"
                self.warning(fline, f"entry '{key}' has the field '{name}' again{first}: "
                                    "the first value is kept, as BibTeX does; delete this one")
                continue
            try:
                fields[name] = evaluate(str(fld.value), self.macros, later)
            except _BadValue as exc:
                self.error(fline, f"entry '{key}', field '{name}': {exc}")
                fields[name] = ""
            field_lines[name] = fline
        self.entries[key] = BibEntry(key, block.entry_type.lower(), fields, line, field_lines)

    def failed(self, block: model.ParsingFailedBlock, next_line: int | None) -> None:
        raw = (block.raw or "").lstrip()
        if raw.lower().startswith("@comment"):
            return  # BibTeX ignores a @comment whatever it holds, even unbalanced braces
        line = (block.start_line or 0) + 1
        found = re.match(r"@\s*(\w+)\s*[{(]\s*([^,\s{}()]*)", raw)
        what = f"entry '{found.group(2)}'" if found and found.group(2) else "this block"
        self.error(line, f"{what} cannot be read: {_abort_reason(block, next_line)}")


def _blocks(library: bibtexparser.Library) -> list[model.Block]:
    """The blocks in file order, each duplicate replaced by the block it stands for (we report
    duplicates ourselves, with the line of the first definition)."""
    out = []
    for block in library.blocks:
        if isinstance(block, (model.DuplicateBlockKeyBlock, model.DuplicateFieldKeyBlock)):
            block = block.ignore_error_block
        if isinstance(block, (model.DuplicateBlockKeyBlock, model.DuplicateFieldKeyBlock)):
            block = block.ignore_error_block
        out.append(block)
    return out


def load_bibliography(path: Path, problems: Problems) -> Bibliography:
    """Read and check `references.bib`; every problem goes to `problems`, nothing raises.
    The same file read again in this process (a reload of `mkdocs serve`) is not parsed again."""
    try:
        key = (str(path), path.read_bytes())
    except OSError:
        return _load_bibliography(path, problems)
    return _READ(key, problems, lambda found: _load_bibliography(path, found))


_READ = Remembered(size=1)  # the last file read
MAX_UNCLOSED = 50  # entries that never close their brace, before the file is refused unread


def _load_bibliography(path: Path, problems: Problems) -> Bibliography:
    if not path.is_file():
        problems.error(path, 0, "the bibliography file is missing")
        return Bibliography(path, {})
    text = read_text(path, problems)
    if text is None:
        return Bibliography(path, {})
    unclosed: list[int] = []
    text, comments = strip_comments(text, unclosed)
    if len(unclosed) > MAX_UNCLOSED:
        # bibtexparser's time grows with the square of their number (a minute for a few thousand)
        problems.error(path, unclosed[0], f"{len(unclosed)} entries never close their brace (this is the "
                                          "first): this is not a BibTeX file, or its braces are broken")
        return Bibliography(path, {})
    commented = {}
    for comment in comments:
        commented.update((k, ln) for k, ln in comment.hidden if k not in commented)
        if not comment.closed:
            problems.warning(path, comment.line, "this @comment's brace is never closed: it is taken "
                                                 "to end with its line, and what follows is read")
    try:
        library = bibtexparser.parse_string(text, parse_stack=[])
    except Exception:  # a bug of the parser, not of the file: still no traceback for an editor
        problems.error(path, 0, "the BibTeX reader failed on this file: look for an unbalanced brace or quote")
        return Bibliography(path, {})
    reader = _Reader(path, problems)
    blocks = _blocks(library)
    # Macros defined below the place they are used: BibTeX refuses them, we say where they are.
    later_all = {}
    for block in blocks:
        if isinstance(block, model.String):
            later_all.setdefault(block.key.strip().lower(), block.start_line + 1)
    starts = sorted(b.start_line + 1 for b in blocks if b.start_line is not None and b.raw and b.raw.lstrip().startswith("@"))
    for block in blocks:
        later = {k: v for k, v in later_all.items() if k not in reader.macros}
        if isinstance(block, model.String):
            reader.string(block, later)
        elif isinstance(block, model.Entry):
            reader.entry(block, later)
        elif isinstance(block, model.ParsingFailedBlock):
            line = (block.start_line or 0) + 1
            reader.failed(block, next((s for s in starts if s > line), None))
    entries = _resolve_crossrefs(reader)
    for entry in entries.values():
        _check_entry(entry, reader)
    commented = {k: ln for k, ln in commented.items() if k not in entries}
    return Bibliography(path, {k: e.line for k, e in entries.items()}, entries, commented)


# --- crossref ------------------------------------------------------------------------------------

def _resolve_crossrefs(reader: _Reader) -> dict[str, BibEntry]:
    resolved: dict[str, BibEntry] = {}

    def resolve(key: str, chain: tuple[str, ...]) -> BibEntry:
        if key in resolved:
            return resolved[key]
        entry = reader.entries[key]
        target = decode(entry.fields.get("crossref", "")).text.strip()
        if not target:
            resolved[key] = entry
            return entry
        fline = entry.field_lines.get("crossref", entry.line)
        if target in chain or target == key:
            reader.error(fline, f"entry '{key}': crossref '{target}' leads back to this entry (a loop)")
            resolved[key] = entry
            return entry
        if target not in reader.entries:
            reader.error(fline, f"entry '{key}': crossref to '{target}', which is not in the bibliography")
            resolved[key] = entry
            return entry
        parent = resolve(target, chain + (key,))
        fields = dict(entry.fields)
        renamed = {}
        if entry.type in _PART_TYPES:
            renamed = _TITLE_OF_PART
        elif entry.type == "article" and parent.type == "periodical":
            renamed = {"title": "journaltitle", "subtitle": "journalsubtitle", "shorttitle": None}
        for name, value in parent.fields.items():
            if name in _NOT_INHERITED:
                continue
            into = renamed.get(name, name)
            if into and into not in fields:
                fields[into] = value
        resolved[key] = BibEntry(key, entry.type, fields, entry.line, entry.field_lines)
        return resolved[key]

    for key in reader.entries:
        resolve(key, ())
    return resolved


# --- checks --------------------------------------------------------------------------------------

_DATE_FIELDS = ("date", "urldate", "eventdate", "origdate")


def _check_entry(entry: BibEntry, reader: _Reader) -> None:
    key, fields = entry.key, entry.fields

    def line_of(name: str) -> int:
        return entry.field_lines.get(name, entry.line)

    if entry.type not in csl_json.TYPES:
        reader.warning(entry.line, f"entry '{key}': '@{entry.type}' is no BibTeX or biblatex entry type: "
                                   "it is formatted as a plain document")
    if not decode(fields.get("title", "")).text.strip():
        reader.warning(entry.line, f"entry '{key}' has no title")
    if not any(decode(fields.get(name, "")).text.strip() for name in ("year", "date")):
        reader.warning(entry.line, f"entry '{key}' has no year or date")
    # Fields inherited through a crossref are checked in their own entry.
    for name in _DATE_FIELDS:
        if name not in entry.field_lines:
            continue
        value = decode(fields[name]).text.strip()
        try:
            parts = csl_json.date_parts(value)
        except csl_json.BadDate as exc:
            reader.warning(line_of(name), f"entry '{key}': {name} '{value}' is impossible ({exc})")
            continue
        if parts is None and name != "date":
            reader.warning(line_of(name), f"entry '{key}': {name} '{value}' is not a date (write YYYY-MM-DD)")
    year = decode(fields.get("year", "")).text.strip()
    if year and "date" in fields and re.fullmatch(r"\d{4}", year) \
            and not decode(fields["date"]).text.strip().startswith(year):
        reader.warning(line_of("year"), f"entry '{key}': year {year} and date "
                                        f"'{decode(fields['date']).text.strip()}' disagree")
    for name in ("url", "doi"):
        if name in entry.field_lines and (found := _link_problem(name, fields[name])):
            is_error, message = found
            (reader.error if is_error else reader.warning)(
                entry.line, f"entry '{key}', field '{name}' (line {line_of(name)}): {message}")
    if "month" in entry.field_lines and csl_json.month_number(fields["month"]) is None:
        reader.warning(line_of("month"), f"entry '{key}': month '{fields['month']}' is not a month (write 1 to 12 or jan to dec)")
    for name, value in fields.items():
        if name in ("url", "doi", "file", "eprint") or name not in entry.field_lines:
            continue
        found = decode(value)
        for command in found.unknown_commands:
            reader.warning(line_of(name), f"entry '{key}', field '{name}': unknown LaTeX command "
                                          f"'\\{command}' (only its text is kept)")
        if found.unmatched_dollar:
            reader.warning(line_of(name), f"entry '{key}', field '{name}': a '$' opens math that is never "
                                          "closed (write \\$ for a dollar sign)")


# What a url or doi may be: a web address (the site links it), or for a doi the bare DOI and
# its `doi:` form. Anything else with a scheme (javascript:, data:, file:, vbscript:) is refused.
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_DOI_SCHEMES = {"doi"}


def _link_problem(name: str, value: str) -> tuple[bool, str] | None:
    """(is an error, why) when the `url` or `doi` value is no good as a link, or None."""
    # Browsers drop whitespace and control characters inside an address ("java\tscript:").
    text = re.sub(r"[\x00-\x20\x7f-\x9f]", "", csl_json.verbatim(value))  # what citeproc is given
    if bidi := bidi_controls.find(text):
        return True, f"holds {bidi}: {bidi_controls.HINT}"
    found = _SCHEME.match(text)
    if not found:
        if name == "url" and text:  # (a doi without scheme is a DOI: the style makes its address)
            return False, (f"'{value.strip()[:60]}' is not a full web address: the link would lead nowhere "
                           "(write https://...)")
        return None
    scheme = found.group(1).lower()
    if scheme in ("http", "https") or (name == "doi" and scheme in _DOI_SCHEMES):
        return None
    allowed = "a DOI (10.xxxx/...) or its https://doi.org/ address" if name == "doi" else \
        "a web address (https://...)"
    return True, (f"'{value.strip()[:60]}' is a '{scheme}:' address, which no output may link to: "
                  f"give {allowed}")
