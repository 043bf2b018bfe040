"""A Member's submission as a case-study draft: its id, its files (casestudy.yml, en.md, fr.md,
submission.yml), and whether it is already in the repository.

The Member's text is text: every character Markdown, pandoc or the project's dialect would read
as markup (`*`, `[`, `<`, `@` of a citation, `{%` of a directive, a `1.` or `a)` starting a line…)
is escaped with a backslash, so the page shows what the Member typed and nothing they typed can
become a link, a citation, HTML or a directive. (Refusing such characters would refuse most
answers: e-mail addresses, "R&D", "<50 %" are ordinary.) The escaped text still reads in the
Markdown file, where the editor rewrites it.
"""

from __future__ import annotations

import datetime
import difflib
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..text.strings import text as string
from .fields import LANGUAGES, folded

_ESCAPE = set("\\`*_{}[]#+!|~^$@=&")
# Angle brackets as entities, not backslash escapes: the dialect's HTML check (dialect.py) reads
# the raw line and would take `\<b\>` for a tag; `&lt;b&gt;` is no tag to any reader.
_ENTITY = {"<": "&lt;", ">": "&gt;"}
_NUMBERED = re.compile(r"^(\d+|[A-Za-z])[.)]")
SIMILAR_TITLE = 0.8  # difflib ratio of two titles, compared without case, accents or punctuation


def escape_markdown(text: str) -> str:
    """Plain text as Markdown that shows exactly that text; paragraphs (blank lines) are kept,
    and each line of a paragraph stays a line (a hard line break)."""
    paragraphs = [p for p in re.split(r"\n[ \t]*\n", text.replace("\r\n", "\n").replace("\r", "\n")) if p.strip()]
    out = []
    for paragraph in paragraphs:
        lines = []
        for line in paragraph.split("\n"):
            line = " ".join(line.split())  # tabs and runs of spaces: one space (no code blocks)
            if not line:
                continue
            line = "".join("\\" + c if c in _ESCAPE else _ENTITY.get(c, c) for c in line)
            if line[0] in "-:%":  # a list item, a definition
                line = "\\" + line
            elif match := _NUMBERED.match(line):  # a numbered or lettered list: 1. 2) a)
                line = line[:match.end(1)] + "\\" + line[match.end(1):]
            lines.append(line)
        out.append("\\\n".join(lines))
    return "\n\n".join(out) + "\n"


@dataclass
class Submission:
    """One row of answers, mapped to the model's values."""

    where: str  # the row's first cell, as an editor finds it
    file: str
    sheet: str | None
    row: int
    answers: dict[str, str]  # the column's header -> the cell's text, verbatim
    member: str
    region: str
    technologies: list[str]
    year: int
    title: str
    text: str
    language: str
    source: str
    administration: str | None = None
    submitted: str | None = None
    notes: list[str] = field(default_factory=list)  # e.g. a formula taken as its text

    @property
    def fingerprint(self) -> str:
        """What identifies these answers (the same row imported again has the same one)."""
        data = json.dumps(sorted(self.answers.items()), ensure_ascii=False)
        return hashlib.sha256(data.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Known:
    """A case study already in the repository (or created earlier in this import)."""

    id: str
    member: str
    titles: tuple[str, ...]
    fingerprint: str | None


def known_studies(folder: Path, studies: dict) -> list[Known]:
    """The repository's case studies, with the fingerprint of the submission they came from."""
    known = []
    for cid, study in studies.items():
        fingerprint = None
        record = folder / cid / "submission.yml"
        if record.is_file():
            try:
                fingerprint = (yaml.safe_load(record.read_text("utf-8")) or {}).get("fingerprint")
            except (yaml.YAMLError, OSError, AttributeError):
                fingerprint = None
        known.append(Known(cid, study.meta.member, tuple(study.meta.title.values()), fingerprint))
    return known


def already_there(sub: Submission, known: list[Known]) -> tuple[str, Known] | None:
    """('same', k): these very answers were imported as k; ('similar', k): k is likely the same
    case (same Member, similar title); None: a new case study."""
    for k in known:
        if k.fingerprint == sub.fingerprint:
            return "same", k
    title = folded(sub.title)
    for k in known:
        if k.member == sub.member and any(
                difflib.SequenceMatcher(None, title, folded(t)).ratio() >= SIMILAR_TITLE for t in k.titles):
            return "similar", k
    return None


def new_id(sub: Submission, taken: set[str]) -> str:
    """Member, technology and year (`br-blockchain-2025`); `-2`, `-3`… when taken."""
    base = f"{sub.member.lower()}-{sub.technologies[0]}-{sub.year}"
    cid, n = base, 1
    while cid in taken:
        n += 1
        cid = f"{base}-{n}"
    return cid


def draft_files(sub: Submission, languages: tuple[str, ...], today: datetime.date) -> dict[str, str]:
    """The files of the draft: name -> content."""
    others = [lang for lang in languages if lang != sub.language]
    meta: dict = {"status": "submitted", "member": sub.member}
    if sub.administration:
        meta["administration"] = {lang: sub.administration for lang in languages}
    meta |= {"region": sub.region, "technologies": sub.technologies, "year": sub.year, "source": sub.source,
             "source_lang": sub.language, "untranslated": others,
             "title": {lang: sub.title for lang in languages}}
    where = f"{sub.file}" + (f", sheet {sub.sheet}" if sub.sheet else "") + f", row {sub.row}"
    files = {"casestudy.yml": f"# Imported on {today.isoformat()} from {where}; the Member's answers, verbatim, "
                              "are in submission.yml.\n# Once edited and translated: status: draft, and remove "
                              "source_lang and untranslated.\n" + _yaml(meta)}
    body = escape_markdown(sub.text)
    for lang in languages:
        if lang == sub.language:
            files[f"{lang}.md"] = body
        else:
            language = LANGUAGES.get(sub.language, {}).get(lang, sub.language)
            files[f"{lang}.md"] = "*" + string("intake.untranslated", lang).format(language=language) + "*\n\n" + body
    record = {"file": Path(sub.file).name, "sheet": sub.sheet, "row": sub.row, "imported": today.isoformat(),
              "fingerprint": sub.fingerprint, "language": sub.language}
    if sub.submitted:
        record["submitted"] = sub.submitted
    record["answers"] = sub.answers
    if sub.notes:
        record["notes"] = sub.notes
    files["submission.yml"] = ("# What the Member sent, verbatim, for the editor to compare with the draft "
                               "(the build never reads this file).\n" + _yaml(record))
    return files


def _yaml(data: dict) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100, default_flow_style=False)
