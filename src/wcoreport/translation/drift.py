"""Paragraph drift: which paragraphs of a source page changed since its translation was made.

`translation_of` (translations.py) says *that* the source changed. To say *which* paragraphs,
`build_report.py translated` also records, when it marks a translation current, what each
top-level block of the source said then, in a file beside the sources:

    translations/<lang>/<page>.json      e.g. translations/fr/introduction.json

    {"format": 1, "source": "docs/en/introduction.md", "source_hash": "73b975d4fcf2",
     "blocks": [{"kind": "heading", "label": "heading 'Introduction' {#introduction}",
                 "hash": "<sha256 of the text>", "text": "# Introduction {#introduction}"}, ...]}

`source_hash` is the `translation_of` it was recorded with: the record counts only while the
page still says that version (a hand-edited `translation_of` makes it count no more). The text
is kept, not only the hash, so that the site can show a word-level diff without git history
(a tarball, a shallow clone). The build reads this file and never writes it: only
`translated` (and an XLIFF import that completes a translation) does.

Blocks are the page's top-level blocks as the analysis found them (markdown/blocks.py), their
Markdown sliced from the file with `block_lines`; footnote texts typed at the end are blocks
of their own here.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..sources.diagnostics import ContentError, Problems
from ..markdown.blocks import PageBlocks, describe, page_blocks
from ..pipeline.outputs import atomic_write
from .translations import MarkError, State, chapter_translations, mark_current, normalize

if TYPE_CHECKING:
    from ..sources.chapters import Chapter
    from ..markdown.analysis import PageAnalysis
    from ..sources.project import Project
    from .translations import Translation

FOLDER = "translations"
FORMAT = 1


@dataclass(frozen=True)
class SourceBlock:
    kind: str
    label: str  # "paragraph 3 of 'Objectives'"
    hash: str
    text: str
    line: int = 0  # where it is in the source now (0: in a record)


@dataclass(frozen=True)
class Change:
    kind: str  # "changed", "added", "removed"
    label: str
    line: int  # in the source page as it is now (the place it was, for a removed block)
    old: str
    new: str

    def words(self) -> list[tuple[str, str]]:
        """The word-level diff: (op, text) with op "=", "-" or "+"."""
        return word_diff(self.old, self.new)


def sidecar_path(project: "Project", lang: str, name: str) -> Path:
    return project.root / FOLDER / lang / (name[:-3] + ".json" if name.endswith(".md") else name + ".json")


def _digest(text: str) -> str:
    return hashlib.sha256(normalize(text).encode("utf-8")).hexdigest()


def source_blocks(blocks: PageBlocks) -> list[SourceBlock]:
    """What each block of a page says, in order (blocks typed in included files are left out:
    their own file is their source)."""
    out = [SourceBlock(b.kind, describe(b), _digest(b.text), b.text, b.line) for b in blocks.blocks if b.text]
    for line, _end, text in blocks.definitions:
        label = "footnote " + text.split("]", 1)[0].lstrip("[*^") if text.startswith("[^") else \
            "abbreviation " + text.split("]", 1)[0].lstrip("*[")
        out.append(SourceBlock("note", label, _digest(text), text, line))
    return out


def record(project: "Project", chapter: "Chapter", lang: str, digest: str, source: "PageAnalysis") -> Path:
    """Write the record of what the source said when its translation `lang` was made current."""
    return record_named(project, chapter.name, lang, digest, source)


def record_named(project: "Project", name: str, lang: str, digest: str, source: "PageAnalysis") -> Path:
    path = sidecar_path(project, lang, name)
    data = {
        "format": FORMAT,
        "source": project.problems.relative(source.path),
        "source_hash": digest,
        "blocks": [{"kind": b.kind, "label": b.label, "hash": b.hash, "text": b.text}
                   for b in source_blocks(page_blocks(source))],
    }
    with atomic_write(path) as tmp:
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", "utf-8")
    return path


def read_record(project: "Project", lang: str, name: str, translation_of: str | None) -> list[SourceBlock] | None:
    """The recorded blocks, if the record is of the version the page says it translates."""
    path = sidecar_path(project, lang, name)
    try:
        data = json.loads(path.read_text("utf-8-sig"))  # (a BOM, if a Windows editor saved it)
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("source_hash") != translation_of:
        return None
    try:
        return [SourceBlock(str(b["kind"]), str(b["label"]), str(b["hash"]), str(b["text"]))
                for b in data["blocks"]]
    except (KeyError, TypeError):
        return None


def changes(recorded: list[SourceBlock], current: list[SourceBlock]) -> list[Change]:
    """The source blocks that changed, were added or removed since the record."""
    out: list[Change] = []
    matcher = difflib.SequenceMatcher(None, [b.hash for b in recorded], [b.hash for b in current], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        old, new = recorded[i1:i2], current[j1:j2]
        for k in range(max(len(old), len(new))):
            o = old[k] if k < len(old) else None
            n = new[k] if k < len(new) else None
            if o is not None and n is not None:
                out.append(Change("changed", n.label, n.line, o.text, n.text))
            elif n is not None:
                out.append(Change("added", n.label, n.line, "", n.text))
            else:
                at = current[j2 - 1].line if j2 > 0 and current else 0
                out.append(Change("removed", o.label, at, o.text, ""))
    return out


def page_drift(project: "Project", chapter: "Chapter", lang: str, source: "PageAnalysis",
               translation: "Translation") -> list[Change] | None:
    """The paragraph-level drift of a translation; None when nothing was recorded for it."""
    if translation.state not in (State.STALE, State.CURRENT):
        return None
    recorded = read_record(project, lang, chapter.name, translation.recorded)
    if recorded is None:
        return None
    return changes(recorded, source_blocks(page_blocks(source)))


_TOKEN = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    out: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            out.append(("=", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(("-", "".join(a[i1:i2])))
        if j2 > j1:
            out.append(("+", "".join(b[j1:j2])))
    return out


def mark_translated(project: "Project", path: Path, structure_checked: bool = False) -> tuple[str, "Translation", Path]:
    """Record that a translation is current: what each source paragraph says now (the record
    above), then its `translation_of` line. Returns the hash, the former state and the record.
    Refused (ContentError, parity's message) while its structure departs from the source's,
    unless the caller compared the text it wrote (`structure_checked`: an XLIFF import)."""
    from ..markdown.analysis import analyse_chapter

    resolved = path.resolve()
    studies = (project.root / "casestudies").resolve()
    if resolved.is_relative_to(studies):
        return mark_casestudy(project, resolved, structure_checked)
    docs = project.docs_dir.resolve()
    rel = resolved.relative_to(docs).as_posix() if resolved.is_relative_to(docs) else ""
    lang, _, name = rel.partition("/")
    chapter = next((c for c in project.chapters if c.name == name and lang in c.texts), None)
    if chapter is None and lang in project.languages and lang != project.languages[0] and name \
            and (docs / project.languages[0] / name).is_file() and resolved.is_file():
        return mark_included(project, name, lang, structure_checked)  # a file the pages include
    state = chapter_translations(chapter, project.languages)[lang] if chapter is not None else None
    if state is None or state.state is State.SOURCE or state.expected is None:
        mark_current(project, path)  # not a translation: raises MarkError, saying why
        raise MarkError(f"{project.problems.relative(path)}: not a translated chapter")
    source_lang = state.source_lang
    problems = Problems(project.root)
    source = analyse_chapter(project, source_lang, name, problems)
    if source is None or problems.errors:
        first = problems.errors[0] if problems.errors else None
        raise MarkError(f"the source page docs/{source_lang}/{name} has errors ({first}): run 'build_report.py check'")
    departure = None if structure_checked else first_departure(project, chapter, lang, source)
    if departure is not None:
        where, line, message = departure
        refused = Problems(project.root)
        refused.error(where, line, f"{message}; not recorded as current: a current translation has its source's "
                                   f"structure (paragraph N is paragraph N in both languages)")
        raise ContentError(refused.errors)
    sidecar = record(project, chapter, lang, state.expected, source)
    digest, before = mark_current(project, path)
    return digest, before, sidecar


def first_departure(project: "Project", chapter: "Chapter", lang: str,
                    source: "PageAnalysis") -> tuple[Path, int, str] | None:
    """The first place where a translation departs from its source, as parity says it (or an
    error of the translated page itself); None: it has its source's structure."""
    from ..markdown.analysis import analyse_chapter
    from ..markdown.parity import ChapterParity, compare

    problems = Problems(project.root)
    translated = analyse_chapter(project, lang, chapter.name, problems)
    if translated is None or problems.errors:
        first = problems.errors[0] if problems.errors else None
        return (chapter.texts[lang].path, first.line if first else 1,
                f"the page has errors ({first.message if first else 'it cannot be read'})")
    found = ChapterParity(chapter.name, source.lang, lang,
                          page_blocks(source), page_blocks(translated))
    compare(found, problems)
    return found.problems[0] if found.problems else None


# --- case studies -------------------------------------------------------------------------
# A case study's text is the Member's, with no front matter: which version of the source a
# translation translates is the record's `source_hash` (translations/<lang>/casestudies/<id>.json).
def casestudy_name(cid: str) -> str:
    return f"casestudies/{cid}.md"


def casestudy_recorded(project: "Project", cid: str, lang: str) -> str | None:
    """The source version a case study's translation was recorded as translating, if any."""
    return recorded_version(project, casestudy_name(cid), lang)


def recorded_version(project: "Project", name: str, lang: str) -> str | None:
    """The source version a text without front matter (a case study, an included file) was
    recorded as translating, from its record; None: never recorded."""
    try:
        data = json.loads(sidecar_path(project, lang, name).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    value = data.get("source_hash") if isinstance(data, dict) else None
    return value if isinstance(value, str) else None


def casestudy_page(project: "Project", cid: str, lang: str) -> "PageAnalysis":
    """A case study's text read as a page of its own (its blocks and their lines), for parity
    and drift; its problems are the case study's checks' (analysis.py), not repeated here."""
    from ..markdown.analysis import analyse_text

    study = project.casestudies[cid]
    return analyse_text(project, lang, casestudy_name(cid), study.text_path(lang), study.texts[lang], 1,
                        Problems(project.root), member_text=True)


def mark_casestudy(project: "Project", path: Path, structure_checked: bool = False) -> tuple[str, "Translation", Path]:
    """`translated casestudies/<id>/<lang>.md`: the record of what the source says now, once
    the translation has its structure; the case study's files are not touched."""
    from ..markdown.parity import ChapterParity, compare
    from .translations import Translation, source_hash

    cid, lang = path.parent.name, path.stem
    study = project.casestudies.get(cid)
    rel = project.problems.relative(path)
    source_lang = project.languages[0]
    if study is None or path.name != f"{lang}.md" or lang not in study.texts:
        raise MarkError(f"{rel}: not the text of a case study (casestudies/<id>/<language>.md)")
    if lang == source_lang:
        raise MarkError(f"{rel} is the source of case study '{cid}' ({lang}), not a translation; mark the other "
                        "languages' texts")
    source = casestudy_page(project, cid, source_lang)
    found = ChapterParity(casestudy_name(cid), source_lang, lang, page_blocks(source),
                          page_blocks(casestudy_page(project, cid, lang)))
    if not structure_checked:  # (an XLIFF import compared the text it wrote: xliff_check.py)
        compare(found, project.problems)
    if found.problems:
        where, line, message = found.problems[0]
        refused = Problems(project.root)
        refused.error(where, line, f"{message}; not recorded as current: a current translation has its source's "
                                   f"structure")
        raise ContentError(refused.errors)
    recorded = casestudy_recorded(project, cid, lang)
    digest = source_hash(study.texts[source_lang])
    state = State.UNTRACKED if recorded is None else State.CURRENT if recorded == digest else State.STALE
    sidecar = record_named(project, casestudy_name(cid), lang, digest, source)
    return digest, Translation(casestudy_name(cid), lang, source_lang, state, recorded, digest), sidecar


def casestudy_translations(project: "Project", cid: str) -> dict[str, "Translation"]:
    """The state of each language's text of a case study (its source: the first language)."""
    return recorded_translations(project, casestudy_name(cid), project.casestudies[cid].texts)


def recorded_translations(project: "Project", name: str, texts: dict[str, str]) -> dict[str, "Translation"]:
    """The state of each language's text of something without front matter (its source: the
    first language), from the records: `texts`, language -> text."""
    from .translations import Translation, source_hash

    source_lang = project.languages[0]
    expected = source_hash(texts[source_lang]) if source_lang in texts else None
    out = {}
    for lang in project.languages:
        if lang == source_lang:
            state, recorded = (State.SOURCE if lang in texts else State.MISSING), None
        elif lang not in texts:
            state, recorded = State.MISSING, None
        else:
            recorded = recorded_version(project, name, lang)
            state = State.UNTRACKED if recorded is None else State.CURRENT if recorded == expected else State.STALE
        out[lang] = Translation(name, lang, source_lang, state, recorded, expected)
    return out


def mark_included(project: "Project", name: str, lang: str,
                  structure_checked: bool = False) -> tuple[str, "Translation", Path]:
    """`translated docs/<lang>/_file.md` for a file included in the pages: its record, once
    it has its source's structure (the file itself is not touched: it has no front matter)."""
    from . import translatable
    from ..markdown.parity import ChapterParity, compare

    item = translatable.find(project, name)
    state = item.states[lang]
    source = translatable.analysed(project, None, item, state.source_lang)
    if not structure_checked:
        found = ChapterParity(name, state.source_lang, lang, page_blocks(source),
                              page_blocks(translatable.analysed(project, None, item, lang)))
        compare(found, project.problems)
        if found.problems:
            where, line, message = found.problems[0]
            refused = Problems(project.root)
            refused.error(where, line, f"{message}; not recorded as current: a current translation has its "
                                       "source's structure")
            raise ContentError(refused.errors)
    sidecar = record_named(project, name, lang, state.expected, source)
    return state.expected, state, sidecar
