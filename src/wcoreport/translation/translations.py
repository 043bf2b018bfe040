"""Translation drift: which translated pages no longer match the page they were translated from.

A translated page records in its front matter the version of the source page it translates:

    translation_of: 3f2a9c01b7de

That value is a hash of the source page's body (after normalization), not a git commit, because
a content hash
- can be computed from the files alone: it works in a tarball of the sources, in a shallow CI
  clone, and before the change is committed (a commit id exists only afterwards);
- changes only when the text that was translated changes: editing the source page's front
  matter (its review status) or committing unrelated files does not make translations stale;
- is checked in one comparison, without walking the history.
What it cannot do is show *what* changed; `git log -p docs/en/<page>` does that.

The source of a chapter is the default language's page, unless the chapter's pages declare
`source_lang: fr` (written first in French): then the English page is the translation and
carries `translation_of`. `build_report.py translated docs/fr/<page>.md` records that a
translation is current: it rewrites only that one front-matter line.
"""

from __future__ import annotations

import enum
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..pipeline.outputs import atomic_write

if TYPE_CHECKING:
    from ..sources.chapters import Chapter
    from ..sources.project import Project

HASH_LENGTH = 12


class State(enum.Enum):
    SOURCE = "source"  # the page others are translated from
    CURRENT = "current"  # translates the source as it is now
    STALE = "stale"  # the source changed after the translation was made
    UNTRACKED = "untracked"  # no `translation_of`: nobody recorded which version it translates
    MISSING = "missing"  # no page in this language


@dataclass(frozen=True)
class Translation:
    chapter: str  # file name in each language folder
    lang: str
    source_lang: str
    state: State
    recorded: str | None = None  # the `translation_of` of the page
    expected: str | None = None  # the hash of the source page as it is now


def normalize(body: str) -> str:
    """The text that counts as "the source": line endings, trailing spaces and runs of blank
    lines do not (an editor's reformatting must not make every translation stale)."""
    lines = [line.rstrip() for line in body.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    text = "\n".join(lines).strip("\n")
    return re.sub(r"\n{3,}", "\n\n", text)


def source_hash(body: str) -> str:
    return hashlib.sha256(normalize(body).encode("utf-8")).hexdigest()[:HASH_LENGTH]


def source_language(chapter: "Chapter", default: str) -> str:
    """The language a chapter was written in: `source_lang` of its pages, else the default."""
    for text in chapter.texts.values():
        if text.meta.source_lang:
            return text.meta.source_lang
    return default


def chapter_translations(chapter: "Chapter", languages: tuple[str, ...]) -> dict[str, Translation]:
    """The state of each language's page of one chapter."""
    source_lang = source_language(chapter, languages[0])
    source = chapter.texts.get(source_lang)
    expected = source_hash(source.body) if source else None
    out: dict[str, Translation] = {}
    for lang in languages:
        text = chapter.texts.get(lang)
        if lang == source_lang:
            state, recorded = (State.SOURCE if text else State.MISSING), None
        elif text is None:
            state, recorded = State.MISSING, None
        else:
            recorded = text.meta.translation_of
            if recorded is None:
                state = State.UNTRACKED
            elif expected is not None and recorded != expected:
                state = State.STALE
            else:
                state = State.CURRENT
        out[lang] = Translation(chapter.name, lang, source_lang, state, recorded, expected)
    return out


def project_translations(project: "Project") -> dict[str, dict[str, Translation]]:
    """chapter name -> language -> state, for every chapter of the nav."""
    return {c.name: chapter_translations(c, project.languages) for c in project.chapters}


def check_translations(project: "Project") -> None:
    """Problems in the translation fields themselves (not drift: a stale page is no error)."""
    for chapter in project.chapters:
        declared = {t.meta.source_lang for t in chapter.texts.values() if t.meta.source_lang}
        for text in chapter.texts.values():
            if text.meta.source_lang and text.meta.source_lang not in project.languages:
                project.problems.error(text.path, _front_matter_line(text.path, "source_lang"),
                                       f"source_lang: '{text.meta.source_lang}' is not a language of the site "
                                       f"({', '.join(project.languages)})")
        if len(declared) > 1:
            for text in chapter.texts.values():
                project.problems.error(text.path, _front_matter_line(text.path, "source_lang"),
                                       f"the pages of '{chapter.name}' disagree on source_lang "
                                       f"({', '.join(sorted(declared))})")
        source_lang = source_language(chapter, project.languages[0])
        source = chapter.texts.get(source_lang)
        if source is not None and source.meta.translation_of:
            project.problems.warning(source.path, _front_matter_line(source.path, "translation_of"),
                                     f"translation_of on the source page ({source_lang}) means nothing: "
                                     "it belongs on the translations")


class MarkError(Exception):
    """A page cannot be marked as translated; the message says why, for the user."""


def mark_current(project: "Project", path: Path) -> tuple[str, Translation]:
    """Record in a translated page that it translates the current source: rewrite its
    `translation_of` line (or add it), and nothing else. Returns the hash and the former state."""
    path = path.resolve()
    docs = project.docs_dir.resolve()
    if not path.is_relative_to(docs):
        raise MarkError(f"{path}: not a page of the docs folder ({project.problems.relative(docs)}/<language>/...)")
    lang, _, name = path.relative_to(docs).as_posix().partition("/")
    if lang not in project.languages or not name:
        raise MarkError(f"{project.problems.relative(path)}: not inside a language folder "
                        f"({', '.join(project.languages)})")
    chapter = next((c for c in project.chapters if c.name == name), None)
    if chapter is None or lang not in chapter.texts:
        raise MarkError(f"{project.problems.relative(path)}: not a chapter of the nav (or it has errors: "
                        "run 'build_report.py check')")
    state = chapter_translations(chapter, project.languages)[lang]
    if state.state is State.SOURCE:
        raise MarkError(f"{project.problems.relative(path)} is the source of '{name}' ({lang}), not a translation; "
                        "mark the other languages' pages")
    if state.expected is None:
        raise MarkError(f"the source page of '{name}' ({state.source_lang}) is missing")
    set_front_matter_line(path, "translation_of", state.expected)
    return state.expected, state


_FIELD = "^{key}[ \t]*:.*$"


def set_front_matter_line(path: Path, key: str, value: str) -> None:
    """Set `key: value` in a Markdown file's front matter, touching no other byte of the file."""
    raw = path.read_bytes().decode("utf-8")
    bom = "\ufeff" if raw.startswith("\ufeff") else ""  # (kept, as every other byte of the file)
    newline = "\r\n" if "\r\n" in raw else "\n"
    lines = raw[len(bom):].split(newline)
    line = f"{key}: {value}"
    if lines and lines[0].rstrip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
        if end is None:
            raise MarkError(f"{path.name}: its front matter is not closed by a line '---'")
        pattern = re.compile(_FIELD.format(key=re.escape(key)))
        for i in range(1, end):
            if pattern.match(lines[i]):
                lines[i] = line
                break
        else:
            lines.insert(end, line)
    else:
        lines[0:0] = ["---", line, "---"]
    with atomic_write(path) as tmp:
        tmp.write_bytes((bom + newline.join(lines)).encode("utf-8"))


def translation_of_line(path: Path) -> int:
    """The line of a page's `translation_of` (1 if it has none): where its state is reported."""
    return _front_matter_line(path, "translation_of")


def _front_matter_line(path: Path, key: str) -> int:
    """The line of `key` in a page's front matter (for a problem's location), else 1."""
    try:
        lines = path.read_text("utf-8-sig").replace("\r\n", "\n").split("\n")
    except (OSError, UnicodeDecodeError):
        return 1
    pattern = re.compile(_FIELD.format(key=re.escape(key)))
    for n, text in enumerate(lines[1:], start=2):
        if text.rstrip() == "---":
            break
        if pattern.match(text):
            return n
    return 1


def drift_lines(project: "Project") -> list[str]:
    """One line per translation that is missing, for the `check` command. (A translation behind
    its source, or never recorded, is one warning of parity's, markdown/parity.py, naming what
    changed: not said twice.)"""
    lines = []
    for name, by_lang in project_translations(project).items():
        for lang, t in by_lang.items():
            if t.state is not State.MISSING:
                continue
            page = f"{project.problems.relative(project.docs_dir)}/{lang}/{name}"
            lines.append(f"{page}: translation missing")
    return lines
