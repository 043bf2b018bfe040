"""Structural parity between a page and its translation.

In a WCO Council document, delegates quote paragraph numbers across languages: paragraph 12
of the English version and paragraph 12 of the French one must be the same text. So a
translation has the same top-level blocks as its source, in the same order: the same numbered
paragraphs under the same headings, the same heading ids (those typed as `{#id}`), case
studies, figures, tables and lists, and in each block the same citation keys (in order), the
same number of footnotes and the same numbers (written each language's way: 1,000.5 / 1 000,5).

Both pages are compared on their analysed trees (blocks.py): aligned by what each block is
(difflib), the first place where they part is one problem in the translation, at its line,
naming the counterpart in the source; each aligned pair whose details differ is one more.

How that is reported depends on the translation's state (`ParityRule`): only a translation
recorded as *current* is held to its source's structure. One *behind* its source (the normal
lag of a bilingual report) gets one notice naming the source blocks that changed since, from
drift.py's record; one never recorded (no `translation_of`) one warning, not compared. The
Council's final documents (`final: true`) refuse both.

The result is also a value (`ChapterParity`, the aligned pairs): the side-by-side view of the
site shows it.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..sources.diagnostics import Problems, Severity
from ..translation.drift import page_drift
from ..translation.translations import State, chapter_translations, source_language, translation_of_line
from .blocks import Block, PageBlocks, describe, page_blocks

if TYPE_CHECKING:
    from ..sources.project import Project
    from .analysis import ProjectAnalysis


@dataclass
class Pair:
    """A source block and its counterpart in the translation (None: it has none)."""

    source: Block | None
    translation: Block | None
    matches: bool  # the same kind, names and details


@dataclass
class ChapterParity:
    chapter: str
    source_lang: str
    lang: str
    source: PageBlocks
    translation: PageBlocks
    pairs: list[Pair] = field(default_factory=list)
    problems: list[tuple[Path, int, str]] = field(default_factory=list)  # (file, line, message)
    tracked: bool = True  # False: no translation_of, not compared
    state: State = State.CURRENT  # its translation state (translations.py)
    holders: set = field(default_factory=set)  # (file, line) of paragraphs found merged or split

    @property
    def ok(self) -> bool:
        return self.tracked and not self.problems


ParityReport = dict[tuple[str, str], ChapterParity]  # (chapter, translation language) -> result


@dataclass(frozen=True)
class ParityRule:
    """How a command reports parity, by each translation's state (translations.py):

    - *current* (its `translation_of` is the source as it is now): a structural difference is
      `severity` if the command builds the page's language (`languages`, None: every language),
      else a warning: a command for one language is never refused because of another's pages;
    - *behind* (the source changed since): no parity problem, one notice naming the source
      blocks added, removed or changed since (drift.py's record): the translator's to-do list;
    - *never recorded* (no `translation_of`): one warning, not compared;
    - `final` (the Council's final documents, `final: true`): each translation behind, never
      recorded or departing is an error, in every language: the versions go out as one set.
    `severity` None: nothing is reported (the result only is wanted)."""

    severity: Severity | None = Severity.ERROR
    languages: frozenset[str] | None = None
    final: bool = False

    @classmethod
    def of(cls, rule: "ParityRule | Severity | None") -> "ParityRule":
        return rule if isinstance(rule, ParityRule) else cls(rule)

    def departure(self, lang: str) -> Severity:
        if self.final:
            return Severity.ERROR
        if self.languages is not None and lang not in self.languages:
            return Severity.WARNING
        return self.severity or Severity.WARNING


def check_parity(project: "Project", analysis: "ProjectAnalysis",
                 rule: "ParityRule | Severity | None") -> ParityReport:
    """Compare every translated page with its source; report by `rule` into `project.problems`
    (a Severity: that rule for every language)."""
    rule = ParityRule.of(rule)
    report: ParityReport = {}
    problems = project.problems
    for chapter in project.chapters:
        source_lang = source_language(chapter, project.languages[0])
        if source_lang not in analysis.languages:
            continue
        source_page = analysis.page(source_lang, chapter.name)
        if source_page is None or not source_page.blocks:
            continue  # (a page pandoc could not read has its own error, and no blocks to compare)
        source = page_blocks(source_page)
        states = chapter_translations(chapter, project.languages)
        for lang in project.languages:
            if lang == source_lang or chapter.name not in analysis.languages[lang].pages \
                    or not analysis.page(lang, chapter.name).blocks:
                continue
            found = ChapterParity(chapter.name, source_lang, lang, source,
                                  page_blocks(analysis.page(lang, chapter.name)), state=states[lang].state)
            found.tracked = found.state is not State.UNTRACKED
            compare(found, problems)
            report[(chapter.name, lang)] = found
            if rule.severity is not None:
                path = chapter.texts[lang].path
                _report(project, found, path, translation_of_line(path), source_page.path, rule,
                        lambda: page_drift(project, chapter, found.lang, source_page, states[lang]))
    if rule.severity is not None:
        _casestudies(project, rule)
    return report


def _casestudies(project: "Project", rule: ParityRule) -> None:
    """Each case study's translations, compared and reported as a chapter's are; their state
    comes from the record `translated` writes (drift.py: a Member's text has no front matter)."""
    from ..translation.drift import casestudy_name, casestudy_page, casestudy_translations, changes, read_record, source_blocks

    source_lang = project.languages[0]
    for cid, study in project.casestudies.items():
        # A submission imported from a survey (intake/): the other language's text is a stub that
        # says so. The translator is told, as of a page behind its source; nothing to compare yet.
        for lang in study.meta.untranslated:
            if lang in study.texts and lang in project.languages:
                written = study.meta.source_lang or source_lang
                problems_path = study.text_path(lang)
                project.problems.notice(problems_path, 1, (
                    f"not translated yet: the Member wrote this case study in '{written}' (imported "
                    f"submission); once translated, remove '{lang}' from untranslated: in casestudy.yml "
                    f"and run 'build_report.py translated {_rel(project.problems, problems_path)}'"))
        if study.meta.untranslated or source_lang not in study.texts:
            continue
        states = casestudy_translations(project, cid)
        source = None
        for lang in project.languages:
            if lang == source_lang or lang not in study.texts:
                continue
            source = source or casestudy_page(project, cid, source_lang)
            state, recorded = states[lang].state, states[lang].recorded
            found = ChapterParity(casestudy_name(cid), source_lang, lang, page_blocks(source),
                                  page_blocks(casestudy_page(project, cid, lang)), state=state)
            found.tracked = state is not State.UNTRACKED
            compare(found, project.problems)

            def drift(lang=lang, recorded=recorded, source=source):
                before = read_record(project, lang, casestudy_name(cid), recorded)
                return None if before is None else changes(before, source_blocks(page_blocks(source)))

            _report(project, found, study.text_path(lang), 1, study.text_path(source_lang), rule, drift,
                    untracked="no record in translations/")


def _report(project: "Project", found: ChapterParity, path: Path, line: int, source_path: Path,
            rule: ParityRule, drift, untracked: str = "no translation_of") -> None:
    """One translation's parity, by its state (ParityRule). `line`: where its state is
    written; `drift()`: the source blocks changed since it was recorded (None: not recorded)."""
    problems = project.problems
    page, source = _rel(problems, path), _rel(problems, source_path)
    if found.state is State.UNTRACKED:
        message = (f"not translated yet ({untracked}): its paragraphs are not compared with {source}; "
                   f"once it is, run 'build_report.py translated {page}'")
        if rule.final:
            problems.error(path, 1, f"final: true refuses this translation: {message}")
        else:
            problems.warning(path, 1, message)
        return
    if found.state is State.STALE:
        message = behind_message(page, source, found.lang, drift())
        if rule.final:
            problems.error(path, line, "final: true refuses this translation: " + message)
        else:
            problems.notice(path, line, message)
        return
    severity = rule.departure(found.lang)
    for path, line, message in found.problems:
        if rule.final:
            message = f"final: true refuses this translation: {message}"
        (problems.error if severity is Severity.ERROR else problems.warning)(path, line, message)


def behind_message(page: str, source: str, lang: str, changes) -> str:
    """What changed in the source since the translation was made (`changes`, from drift.py's
    record; None: not recorded): the one thing a translator of a page behind its source needs."""
    head = f"behind its source: {source} changed since this page was translated"
    tail = (f"; its paragraphs are compared with the source again once it is updated and recorded "
            f"('build_report.py translated {page}')")
    if changes is None:
        return (f"{head} (what changed is not recorded: no translations/{lang}/ record of the version it "
                f"translates; 'git log -p {source}' shows it){tail}")
    if not changes:
        return f"{head} (no block of it changed: only its spacing or line breaks){tail}"
    listed = []
    for change in changes:
        where = f"{source}:{change.line}" if change.line else source
        listed.append(f"{change.label} {change.kind} (" + ("after " if change.kind == "removed" else "")
                      + f"{where})")
    return f"{head}: {'; '.join(listed)}{tail}"


def _rel(problems: Problems, path: Path) -> str:
    return problems.relative(path)


def compare(found: ChapterParity, problems: Problems) -> None:
    """Align the two pages; fill `found.pairs` and `found.problems`."""
    src, tr = found.source.blocks, found.translation.blocks
    matcher = difflib.SequenceMatcher(None, [b.coarse for b in src], [b.coarse for b in tr], autojunk=False)
    first = True
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            run = list(zip(src[i1:i2], tr[j1:j2]))
            found.pairs += [Pair(s, t, s.key == t.key) for s, t in run]
            _details(found, run, problems)
            continue
        if first:
            merged = _merged_or_split(found, tag, i1, i2, j1, j2, problems)
            found.problems.append(merged or _divergence(found, tag, i1, i2, j1, j2, problems))
            first = False
        for k in range(max(i2 - i1, j2 - j1)):
            s = src[i1 + k] if i1 + k < i2 else None
            t = tr[j1 + k] if j1 + k < j2 else None
            found.pairs.append(Pair(s, t, False))
    if found.holders:  # merged or split: said once, not again as a detail of the holding paragraph
        found.problems = [p for p in found.problems
                          if (p[0], p[1]) not in found.holders or "merged?" in p[2] or "split?" in p[2]]


def _merged_or_split(found: ChapterParity, tag: str, i1: int, i2: int, j1: int, j2: int,
                     problems: Problems) -> tuple[Path, int, str] | None:
    """Paragraphs missing (or extra) next to a paragraph whose details differ: the two were
    merged (or one was split). One message for both, at the paragraph that holds them."""
    src, tr = found.source.blocks, found.translation.blocks
    if tag not in ("delete", "insert"):
        return None
    run = src[i1:i2] if tag == "delete" else tr[j1:j2]
    if not all(b.kind == "para" for b in run):
        return None
    candidates = []
    if i1 > 0 and j1 > 0:
        candidates.append((src[i1 - 1], tr[j1 - 1], True))
    if i2 < len(src) and j2 < len(tr):
        candidates.append((src[i2], tr[j2], False))
    for s, t, before in candidates:
        if not (s.kind == t.kind == "para" and s.key != t.key):
            continue
        found.holders.add((t.path, t.line))  # its own detail message would say the same again
        s_section = _section(src, s.index)
        t_section = _section(tr, t.index)
        counts = f"({_count(s_section)} there, {_count(t_section)} here)"
        if tag == "delete":
            blocks = [s, *run] if before else [*run, s]
            return (t.path, t.line, f"{describe(t)} holds what {_span(problems, blocks)} says in "
                                    f"{len(blocks)} paragraphs ({describe(blocks[0])} and after): merged? {counts}")
        blocks = [t, *run] if before else [*run, t]
        return (blocks[0].path, blocks[0].line,
                f"{describe(blocks[0])} and the {len(blocks) - 1} after it (to line {blocks[-1].end}) hold what "
                f"{_rel(problems, s.path)}:{s.line} says in one paragraph ({describe(s)}): split? {counts}")
    return None


def _section(blocks: list[Block], at: int) -> list[Block]:
    """The blocks under the same heading as position `at` (the heading included)."""
    if not blocks:
        return []
    at = max(0, min(at, len(blocks) - 1))
    start = at
    while start > 0 and blocks[start].kind != "heading":
        start -= 1
    end = start + 1
    while end < len(blocks) and blocks[end].kind != "heading":
        end += 1
    return blocks[start:end]


def _span(problems: Problems, blocks: list[Block]) -> str:
    """'docs/en/x.md:12–15', the lines of some blocks of one page."""
    if not blocks:
        return "?"
    path = _rel(problems, blocks[0].path)
    first, last = blocks[0].line, max(b.end for b in blocks)
    return f"{path}:{first}" + (f"–{last}" if last != first else "")


def _count(blocks: list[Block]) -> str:
    n = sum(1 for b in blocks if b.kind == "para")
    return f"{n} paragraph{'s' if n != 1 else ''}"


def _divergence(found: ChapterParity, tag: str, i1: int, i2: int, j1: int, j2: int,
                problems: Problems) -> tuple[Path, int, str]:
    """The first place where the translation parts from its source, as one message."""
    src, tr = found.source.blocks, found.translation.blocks
    # Before this place both pages are aligned: the section in each is the one of the blocks
    # just before (or of the block here, at the top of the page).
    s_at = i1 - 1 if i1 > 0 and (i1 >= len(src) or src[i1].kind == "heading" or tag == "insert") else i1
    t_at = j1 - 1 if j1 > 0 and (j1 >= len(tr) or tr[j1].kind == "heading" or tag == "delete") else j1
    s_section, t_section = _section(src, s_at), _section(tr, t_at)
    counts = f"({_count(s_section)} there, {_count(t_section)} here)"
    where_src = _span(problems, s_section)
    if tag == "delete" and 0 < j1 <= len(tr):  # missing here: after the block before it
        t_path, t_line = tr[j1 - 1].path, tr[j1 - 1].end
    elif j1 < len(tr):
        t_path, t_line = tr[j1].path, tr[j1].line
    elif tr:
        t_path, t_line = tr[-1].path, tr[-1].end
    else:
        t_path, t_line = found.translation.page.path, 1
    extra = tr[j1:j2]
    missing = src[i1:i2]
    moved = _moved(src, tr, missing, extra)
    if moved is not None:
        block, other = moved
        return (t_path, t_line, f"{describe(block)} is not in the same place as in "
                                f"{_rel(problems, other.path)}:{other.line}: the order of the blocks differs")
    if tag == "insert":
        what = describe(extra[0])
        return (t_path, t_line, f"{what} has no counterpart in {where_src} {counts}")
    if tag == "delete":
        what = describe(missing[0])
        return (t_path, t_line, f"{what} of {_rel(problems, missing[0].path)}:{missing[0].line} has no "
                                f"counterpart here {counts}"
                                + (": missing, or merged with another" if missing[0].kind == "para" else ""))
    # replace: different blocks in the same place
    s, t = missing[0], extra[0]
    if s.kind == t.kind == "para" or {s.kind, t.kind} == {"para"}:
        return (t_path, t_line, f"{describe(t)} does not match {describe(s)} at "
                                f"{_rel(problems, s.path)}:{s.line} {counts}")
    return (t_path, t_line, f"{describe(t)} is here where {_rel(problems, s.path)}:{s.line} has "
                            f"{describe(s)} {counts}")


def _moved(src: list[Block], tr: list[Block], missing: list[Block], extra: list[Block]):
    """A named block (heading, case study, figure, table) that is elsewhere in the other page."""
    for block in extra:
        if block.ident and block.kind != "para":
            other = next((s for s in src if s.coarse == block.coarse), None)
            if other is not None:
                return block, other
    for block in missing:
        if block.ident and block.kind != "para":
            other = next((t for t in tr if t.coarse == block.coarse), None)
            if other is not None:
                return other, block
    return None


def _details(found: ChapterParity, run: list[tuple[Block, Block]], problems: Problems) -> None:
    """Aligned blocks whose details differ: one message each, or one for a run in another order."""
    i = 0
    while i < len(run):
        s, t = run[i]
        if s.key == t.key:
            i += 1
            continue
        # Paragraphs of one section in another order: the same details, shuffled.
        j = i
        while j < len(run) and run[j][0].section_id == s.section_id and run[j][0].section == s.section \
                and run[j][0].kind == s.kind:
            j += 1
        keys_s = sorted(repr(p[0].key) for p in run[i:j])
        keys_t = sorted(repr(p[1].key) for p in run[i:j])
        if j - i > 1 and keys_s == keys_t:
            moved = next(p for p in run[i:j] if p[0].key != p[1].key)
            found.problems.append((moved[1].path, moved[1].line,
                                   f"{describe(moved[1])} does not match its counterpart at "
                                   f"{_rel(problems, moved[0].path)}:{moved[0].line}: the paragraphs "
                                   f"of {_span(problems, [p[0] for p in run[i:j]])} are in another order here"))
            i = j
            continue
        found.problems.append((t.path, t.line, f"{describe(t)} has {_difference(s, t)} than its counterpart "
                                               f"at {_rel(problems, s.path)}:{s.line}"))
        i += 1


def _difference(s: Block, t: Block) -> str:
    """What differs between two aligned blocks, in words."""
    if s.citations != t.citations:
        return (f"other citations ({', '.join('@' + c for c in t.citations) or 'none'} here, "
                f"{', '.join('@' + c for c in s.citations) or 'none'} there)")
    if s.footnotes != t.footnotes:
        return f"another number of footnotes ({t.footnotes} here, {s.footnotes} there)"
    if s.values != t.values:
        only_s = [v for v in s.values if v not in t.values]
        only_t = [v for v in t.values if v not in s.values]
        if not only_s and not only_t and sorted(s.values) == sorted(t.values):
            return (f"the same numbers in another order ({', '.join(t.values)} here, {', '.join(s.values)} there: a "
                    "reader comparing the versions pairs them in order)")
        return (f"other numbers ({', '.join(only_t) or 'none'} here, where there is "
                f"{', '.join(only_s) or 'none'})")
    if s.shape != t.shape:
        unit = ("items",) if s.kind == "list" else ("rows", "columns")
        here = ", ".join(f"{n} {u}" for n, u in zip(t.shape, unit))
        there = ", ".join(f"{n} {u}" for n, u in zip(s.shape, unit))
        return f"another shape ({here} here, {there} there)"
    return "other contents"
