"""A reviewed DOCX back into the Markdown sources: `build_report.py import-docx EDITED.docx`.

1. The DOCX says what it was built from (provenance.py): its language and the sha256 of every
   source file. If one of them changed since, the import is refused: the sources it would
   patch are not the ones the reviewer read.
2. The report of that language is built again from the sources, as a DOCX with the same
   anchors; both DOCX files are read by pandoc (edited_docx.py). Blocks whose accepted text
   (tracked insertions kept, deletions left out, untracked edits as they are) is the same in
   both are left alone: an unedited DOCX gives an empty diff.
3. A changed block is diffed word by word against its rebuilt text, and each change is put
   into the block's Markdown (its lines, from `block_lines` of the analysis) at the words it
   matched there (source_tokens.py): citations, directives, cross-references, footnote
   references and markup around untouched words stay byte for byte.
4. What cannot be put back (a change in generated text: title block, summary, a case-study
   box, the bibliography, a citation's formatted text, a paragraph number; a footnote) is
   reported with the file, line and paragraph number, never dropped in silence.
5. Comments are listed with the file:line and the paragraph number they are on.
"""

from __future__ import annotations

import csv
import difflib
import io
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..markdown.pandoc_ast import Node, attribute
from ..pipeline.outputs import atomic_write
from ..pipeline.pandoc import ToolError
from .edited_docx import FRONT, EditedText, NotOurDocx, open_docx, read_edited
from .provenance import Provenance, changed_sources, is_mark
from .source_tokens import PARAGRAPH, Token, markdown_text, rendered_tokens, source_tokens

if TYPE_CHECKING:
    from ..markdown.gate import ProjectAnalysis
    from ..sources.project import Project

GENERATED = {"wco-bibliography": "the bibliography", "refs": "the bibliography",
             "wco-casestudies": "the case-study catalogue", "wco-abbreviations": "the list of abbreviations"}


class ImportRefused(ToolError):
    """The DOCX cannot be imported (not ours, damaged, other language, sources changed)."""


@dataclass
class Anchor:
    """A top-level block of a chapter in the report, as built from the sources."""

    index: int
    path: str  # relative to the repository
    line: int
    end_line: int | None  # the line of the next block of the same file (exclusive), or None: EOF
    block: Node
    number: int | None  # its paragraph number, if numbered
    after: int | None  # the last paragraph number before it

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"

    @property
    def para(self) -> str:
        if self.number is not None:
            return f"para. {self.number}"
        return f"after para. {self.after}" if self.after else "before para. 1"

    def generated(self) -> str | None:
        """What the block is if the toolchain made its text (not mappable), else None."""
        if self.block["t"] != "Div":
            return None
        node_attr = self.block["c"][0]
        cid = attribute(node_attr, "data-casestudy")
        if cid is not None:
            return f"the case study box '{cid}' (its text is casestudies/{cid}/)"
        for name, what in GENERATED.items():
            if name in node_attr[1] or node_attr[0] == name:
                return what
        return None


@dataclass
class NotMapped:
    where: str
    para: str
    reason: str
    before: str = ""
    after: str = ""

    def __str__(self) -> str:
        change = ""
        if self.before and self.after:
            change = f": \u201c{_short(self.before)}\u201d \u2192 \u201c{_short(self.after)}\u201d"
        elif self.before:
            change = f": deleted \u201c{_short(self.before)}\u201d"
        elif self.after:
            change = f": inserted \u201c{_short(self.after)}\u201d"
        return f"{self.where}: {self.para}: not imported, {self.reason}{change}"


@dataclass
class AnchoredComment:
    where: str
    para: str
    author: str
    date: str
    text: str
    quoted: str


@dataclass
class ImportResult:
    stamp: Provenance
    new_texts: dict[str, str] = field(default_factory=dict)  # path -> new content
    old_texts: dict[str, str] = field(default_factory=dict)
    not_mapped: list[NotMapped] = field(default_factory=list)
    comments: list[AnchoredComment] = field(default_factory=list)
    changed_blocks: int = 0

    def diff(self) -> str:
        out = []
        for path in sorted(self.new_texts):
            old, new = self.old_texts[path], self.new_texts[path]
            if old != new:
                out.extend(difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True),
                                                f"a/{path}", f"b/{path}"))
        return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in out)


def _short(text: str, width: int = 70) -> str:
    text = " ".join(text.replace(PARAGRAPH, " ").split())
    return text if len(text) <= width else text[: width - 1] + "\u2026"


# --- what the report is made of, from the sources -----------------------------------------

def anchors_of(doc: dict) -> list[Anchor]:
    """The marked blocks of the numbered report tree, in the order of provenance.anchor_blocks."""
    found: list[tuple[str, int, Node]] = []

    def visit(blocks: list[Node]) -> None:
        pending = None
        for block in blocks:
            if is_mark(block):
                pending = block["c"][1].split(" ", 2)[2]
                continue
            if pending is not None:
                path, _, line = pending.rpartition(":")
                found.append((path, int(line) if line.isdigit() else 0, block))
                pending = None
                continue
            if block.get("t") == "Div" and any(is_mark(b) for b in block["c"][1]):
                visit(block["c"][1])

    visit(doc["blocks"])
    anchors: list[Anchor] = []
    last = None
    for i, (path, line, block) in enumerate(found):
        end = next((ln for p, ln, _b in found[i + 1:] if p == path and ln > line), None)
        number = None
        if block["t"] == "Div" and "numbered-paragraph" in block["c"][0][1]:
            number = int(attribute(block["c"][0], "number") or 0) or None
        anchors.append(Anchor(i, path, line, end, block, number, last))
        if number is not None:
            last = number
    return anchors


def rebuild(project: "Project", analysis: "ProjectAnalysis", lang: str, stamp: Provenance) -> tuple[EditedText, list[Anchor]]:
    """The DOCX of `lang` built again from the sources, read as the edited one is."""
    from ..markdown.document import document
    from .build import report_document, write_docx

    doc = report_document(project, analysis, lang, document(project, analysis, lang))
    with tempfile.TemporaryDirectory(prefix="wcoreport-") as work:
        target = Path(work) / "base.docx"
        write_docx(project, lang, doc, target, Path(work), stamp)
        base = read_edited(target.read_bytes())
    return base, anchors_of(doc)


# --- the import ---------------------------------------------------------------------------

def check_docx(project: "Project", docx: Path, lang: str | None) -> tuple[bytes, Provenance]:
    """The DOCX's bytes and provenance, or ImportRefused with a message naming the file."""
    name = docx.name
    try:
        data, stamp = open_docx(docx)
    except NotOurDocx as exc:
        raise ImportRefused(f"{name}: {exc}") from None
    if stamp.lang not in project.languages:
        raise ImportRefused(f"{name}: it is a report in '{stamp.lang}', a language this project does not have "
                            f"({', '.join(project.languages)})")
    if lang is not None and stamp.lang != lang:
        raise ImportRefused(f"{name}: it is the '{stamp.lang}' report, not the '{lang}' one: import it without "
                            f"--lang, or with --lang {stamp.lang}")
    changed = changed_sources(project.root, stamp)
    if changed:
        built = f"commit {stamp.commit[:12]}" if stamp.commit else "sources that were not committed"
        raise ImportRefused(
            f"{name}: the sources changed since this DOCX was built (from {built}): " + ", ".join(changed)
            + ". Import it into a checkout of the sources it was built from, or send the reviewer a new DOCX")
    return data, stamp


def import_docx(project: "Project", analysis: "ProjectAnalysis", docx: Path, lang: str | None = None) -> ImportResult:
    data, stamp = check_docx(project, docx, lang)
    try:
        edited = read_edited(data)
    except NotOurDocx as exc:
        raise ImportRefused(f"{docx.name}: {exc}") from None
    base, anchors = rebuild(project, analysis, stamp.lang, stamp)
    result = ImportResult(stamp)
    _compare(project, base, edited, anchors, result)
    _place_comments(project, base, edited, anchors, result)
    return result


def _groups(base: EditedText, edited: EditedText, count: int) -> list[list[int]]:
    """Anchors grouped: a block whose bookmark the editor's program dropped is compared together
    with the block before it (its text is in that block's region of the edited DOCX)."""
    groups: list[list[int]] = [[FRONT]]
    for i in range(count):
        if i in edited.regions or i not in base.regions:
            groups.append([i])
        else:
            groups[-1].append(i)
    return groups


def _compare(project: "Project", base: EditedText, edited: EditedText, anchors: list[Anchor],
             result: ImportResult) -> None:
    sources: dict[str, str] = {}
    edits: dict[str, list[tuple[int, int, str]]] = {}
    for group in _groups(base, edited, len(anchors)):
        before = "\n\n".join(base.regions.get(i, "") for i in group)
        after = edited.regions.get(group[0], "")
        b_tokens, e_tokens = rendered_tokens(before), rendered_tokens(after)
        b_norm, e_norm = [t.norm for t in b_tokens], [t.norm for t in e_tokens]
        notes_same = [n for i in group for n in base.notes.get(i, [])] == edited.notes.get(group[0], [])
        if b_norm == e_norm and notes_same:
            continue
        result.changed_blocks += 1
        head = anchors[group[0]] if group[0] != FRONT else None
        if head is None:
            first = anchors[0] if anchors else None
            where = first.path if first else "report.yml"
            result.not_mapped.append(NotMapped(where, "before para. 1", "the change is in the title block, the "
                                               "summary or the table of contents, which report.yml makes",
                                               *_changed_words(before, after)))
            continue
        if not notes_same:
            result.not_mapped.append(NotMapped(head.where, head.para, "a footnote was edited: make the change "
                                               "in the footnote's text ([^...]: ...) by hand"))
            if b_norm == e_norm:
                continue
        generated = next((g for g in (anchors[i].generated() for i in group) if g), None)
        if generated:
            result.not_mapped.append(NotMapped(head.where, head.para, f"the change is inside {generated}",
                                               *_changed_words(before, after)))
            continue
        members = [anchors[i] for i in group]
        if not head.path.startswith(f"docs/{result.stamp.lang}/"):
            result.not_mapped.append(NotMapped(head.where, head.para, "the block's source is not a chapter of "
                                               f"docs/{result.stamp.lang}/", *_changed_words(before, after)))
            continue
        if any(m.path != head.path for m in members) or any(
                members[k].end_line != members[k + 1].line for k in range(len(members) - 1)):
            result.not_mapped.append(NotMapped(head.where, head.para, "paragraphs were merged or their marks "
                                               "lost across files", *_changed_words(before, after)))
            continue
        text = sources.get(head.path)
        if text is None:
            text = sources[head.path] = (project.root / head.path).read_text("utf-8")
            result.old_texts[head.path] = text
        lines = text.split("\n")
        offsets = [0]
        for ln in lines:
            offsets.append(offsets[-1] + len(ln) + 1)
        first = max(head.line, 1) - 1
        last_member = members[-1]
        end = (last_member.end_line - 1) if last_member.end_line else len(lines)
        start_offset, end_offset = offsets[first], min(offsets[end], len(text)) if end < len(offsets) else len(text)
        slice_text = text[start_offset:end_offset]
        planned, problems = plan(b_tokens, e_tokens, source_tokens(slice_text), after, slice_text,
                                 paragraph_block=all(_is_paragraph(m.block) for m in members))
        for reason, b_words, e_words in problems:
            result.not_mapped.append(NotMapped(head.where, head.para, reason, b_words, e_words))
        edits.setdefault(head.path, []).extend((start_offset + a, start_offset + b, new) for a, b, new in planned)
    for path, changes in edits.items():
        text = sources[path]
        for a, b, new in sorted(changes, reverse=True):
            text = text[:a] + new + text[b:]
        result.new_texts[path] = text


def _is_paragraph(block: Node) -> bool:
    if block["t"] == "Div" and "numbered-paragraph" in block["c"][0][1]:
        return True
    return block["t"] == "Para"


def _changed_words(before: str, after: str) -> tuple[str, str]:
    b, e = rendered_tokens(before), rendered_tokens(after)
    ops = [op for op in difflib.SequenceMatcher(None, [t.norm for t in b], [t.norm for t in e],
                                                autojunk=False).get_opcodes() if op[0] != "equal"]
    if not ops:
        return "", ""
    i1, i2, j1, j2 = ops[0][1], ops[-1][2], ops[0][3], ops[-1][4]
    return (before[b[i1].start:b[i2 - 1].end] if i2 > i1 else "",
            after[e[j1].start:e[j2 - 1].end] if j2 > j1 else "")


# --- one block: the word changes, placed into its Markdown --------------------------------

def plan(b: list[Token], e: list[Token], s: list[Token], e_text: str, s_text: str,
         paragraph_block: bool = True) -> tuple[list[tuple[int, int, str]], list[tuple[str, str, str]]]:
    """The changes from the rendered words `b` to `e`, as (start, end, replacement) in `s_text`,
    and the changes that could not be placed, as (reason, old words, new words)."""
    visible = [k for k, t in enumerate(s) if t.kind == "word"]
    match: dict[int, int] = {}
    matcher = difflib.SequenceMatcher(None, [t.norm for t in b], [s[k].norm for k in visible], autojunk=False)
    for x, y, n in matcher.get_matching_blocks():
        for k in range(n):
            match[x + k] = visible[y + k]
    # A block found at the wrong lines would be patched at the wrong place: most of the words
    # typed at its lines must be among its words.
    typed = [k for k in visible if s[k].norm.isalnum()]
    if len(typed) >= 4 and sum(1 for k in match.values() if s[k].norm.isalnum()) < len(typed) / 2:
        old, new = _changed_words_tokens(b, e, e_text)
        return [], [("its words were not found in its source lines", old, new)]
    ops = difflib.SequenceMatcher(None, [t.norm for t in b], [t.norm for t in e], autojunk=False).get_opcodes()
    edits: list[tuple[int, int, str]] = []
    problems: list[tuple[str, str, str]] = []
    b_text_words = lambda i1, i2: " ".join(t.norm for t in b[i1:i2])  # noqa: E731
    for tag, i1, i2, j1, j2 in ops:
        if tag == "equal":
            continue
        new_words = e_text[e[j1].start:e[j2 - 1].end] if j2 > j1 else ""
        try:
            edits.append(_place(b, e, s, match, e_text, s_text, i1, i2, j1, j2, paragraph_block))
        except _Unplaceable as exc:
            problems.append((str(exc), b_text_words(i1, i2), new_words))
    return edits, problems


def _changed_words_tokens(b: list[Token], e: list[Token], e_text: str) -> tuple[str, str]:
    ops = [op for op in difflib.SequenceMatcher(None, [t.norm for t in b], [t.norm for t in e],
                                                autojunk=False).get_opcodes() if op[0] != "equal"]
    if not ops:
        return "", ""
    i1, i2, j1, j2 = ops[0][1], ops[-1][2], ops[0][3], ops[-1][4]
    return " ".join(t.norm for t in b[i1:i2]), (e_text[e[j1].start:e[j2 - 1].end] if j2 > j1 else "")


class _Unplaceable(Exception):
    pass


def _gap(match: dict[int, int], k: int, n: int) -> tuple[int, int]:
    """The run of unmatched rendered words around index k."""
    g1, g2 = k, k + 1
    while g1 > 0 and g1 - 1 not in match:
        g1 -= 1
    while g2 < n and g2 not in match:
        g2 += 1
    return g1, g2


def _place(b, e, s, match, e_text, s_text, i1, i2, j1, j2, paragraph_block) -> tuple[int, int, str]:
    n = len(b)
    covered: list[int] = []
    k = i1
    while k < i2:
        if k in match:
            covered.append(match[k])
            k += 1
            continue
        g1, g2 = _gap(match, k, n)
        if g1 < i1 or g2 > i2:
            raise _Unplaceable("the change is in text the toolchain writes (a citation, a cross-reference, "
                               "a paragraph or section number, a caption's label)")
        left = match[g1 - 1] if g1 > 0 else -1
        right = match[g2] if g2 < n else len(s)
        inside = [x for x in range(left + 1, right) if s[x].kind != "zero" or s[x].role == "markup"]
        if not [x for x in inside if s[x].kind == "gen"] and any(t.norm != PARAGRAPH for t in b[g1:g2]):
            raise _Unplaceable("the change deletes text the toolchain writes (a number or a label)")
        covered.extend(inside)
        k = g2
    if i1 == i2:  # an insertion
        if 0 < i1 < n and i1 - 1 not in match and i1 not in match and _gap(match, i1, n)[0] < i1:
            raise _Unplaceable("the insertion is inside text the toolchain writes (a citation, a number)")
        if i1 > 0 and i1 - 1 in match:
            lo = hi = s[match[i1 - 1]].end
        elif i1 < n and i1 in match:
            lo = hi = s[match[i1]].start
        else:
            lo = hi = _content_end(s) if i1 >= n else _content_start(s)
    else:
        if not covered:
            raise _Unplaceable("the change is in text the toolchain writes (a number or a label)")
        lo, hi = s[min(covered)].start, s[max(covered)].end
    e_lo = e[j1].start if j2 > j1 else None
    e_hi = e[j2 - 1].end if j2 > j1 else None
    left_whole = right_whole = False
    if i1 > 0 and i1 - 1 in match and j1 > 0:
        anchor_end = s[match[i1 - 1]].end
        if not s_text[anchor_end:lo].strip() and "\n\n" not in s_text[anchor_end:lo]:
            lo, e_lo, left_whole = anchor_end, e[j1 - 1].end, True
    if i2 < n and i2 in match and j2 < len(e):
        anchor_start = s[match[i2]].start
        if not s_text[hi:anchor_start].strip() and "\n\n" not in s_text[hi:anchor_start]:
            hi, e_hi, right_whole = anchor_start, e[j2].start, True
    if e_lo is None:  # a deletion without a neighbour on one side: nothing to write
        e_lo = e_hi = 0
    if e_hi is None:
        e_hi = e_lo
    replacement = e_text[e_lo:e_hi] if e_hi >= e_lo else ""
    if "\n" in replacement:
        if not paragraph_block:
            raise _Unplaceable("the change adds or removes a paragraph inside a list, table or box")
        replacement = "\n\n".join(" ".join(p.split()) for p in replacement.split("\n\n"))
        if replacement.startswith("\n") or replacement.endswith("\n"):
            replacement = replacement.strip(" ")
    new = markdown_text(replacement)
    inside = [t for t in s if lo <= t.start and t.end <= hi and t.kind == "zero"]
    if any(t.role == "structure" for t in inside):
        raise _Unplaceable("the change crosses list items, table cells or a heading's marks")
    keep = [t for t in inside if t.role == "keep"]
    markup = _unbalanced([t for t in inside if t.role == "markup"], s_text)
    openers = "".join(s_text[t.start:t.end] for t in markup if _opens(t, s_text))
    closers = "".join(s_text[t.start:t.end] for t in markup if not _opens(t, s_text))
    kept = "".join(s_text[t.start:t.end] for t in keep)
    if not new.strip():
        new = new if (left_whole and right_whole) else ""
        body = closers + kept + openers
        if not left_whole and not right_whole and lo > 0 and hi < len(s_text) \
                and s_text[lo - 1] == " " and s_text[hi:hi + 1] in (" ", "\n"):
            hi += 1 if s_text[hi:hi + 1] == " " else 0
        return lo, hi, body or new
    lead = new[: len(new) - len(new.lstrip())]
    core = new.strip()
    trail = new[len(new.rstrip()):]
    if not left_whole and lo > 0 and not s_text[lo - 1].isspace() and e_lo > 0 and e_text[e_lo - 1].isspace() \
            and i1 < n and i1 not in match:
        lead = " "
    if not right_whole and hi < len(s_text) and not s_text[hi].isspace() and e_hi < len(e_text) \
            and e_text[e_hi].isspace():
        trail = trail or " "
    return lo, hi, lead + closers + core + kept + openers + trail


def _content_start(s: list[Token]) -> int:
    return next((t.start for t in s if t.kind != "zero" or t.role == "markup"), 0)


def _content_end(s: list[Token]) -> int:
    last = max((k for k, t in enumerate(s) if t.kind in ("word", "gen") and t.norm != PARAGRAPH), default=None)
    if last is None:
        return s[-1].end if s else 0
    end = s[last].end
    for t in s[last + 1:]:
        if t.kind == "zero" and t.role in ("markup", "keep") and t.start == end and "\n" not in t.norm:
            end = t.end
        else:
            break
    return end


def _opens(t: Token, s_text: str) -> bool:
    if t.norm.startswith("](") or t.norm == "]":
        return False
    if t.norm.endswith("[") or t.norm == "[":
        return True
    return t.end < len(s_text) and not s_text[t.end].isspace()


def _unbalanced(markup: list[Token], s_text: str) -> list[Token]:
    """Markup tokens of a replaced span whose partner is outside it (kept as they were)."""
    left: list[Token] = []
    for t in markup:
        partner = None
        if t.norm.startswith("]"):
            partner = next((x for x in reversed(left) if x.norm in ("[", "![")), None)
        elif t.norm not in ("[", "!["):
            partner = next((x for x in reversed(left) if x.norm == t.norm and _opens(x, s_text)), None)
            if partner is not None and _opens(t, s_text) and not (t.start > 0 and not s_text[t.start - 1].isspace()):
                partner = None
        if partner is not None:
            left.remove(partner)
        else:
            left.append(t)
    return left


# --- comments -----------------------------------------------------------------------------

def _place_comments(project: "Project", base: EditedText, edited: EditedText, anchors: list[Anchor],
                    result: ImportResult) -> None:
    for comment in edited.comments:
        if comment.region == FRONT or comment.region >= len(anchors):
            where, para = (anchors[0].path if anchors else "report.yml"), "title block or summary"
        else:
            anchor = anchors[comment.region]
            para = anchor.para
            where = f"{anchor.path}:{_comment_line(project, base, edited, anchor, comment)}"
        result.comments.append(AnchoredComment(where, para, comment.author, comment.date, comment.text, comment.quoted))


def _comment_line(project: "Project", base: EditedText, edited: EditedText, anchor: Anchor, comment) -> int:
    """The source line of the word the comment starts at (the block's first line if unknown)."""
    try:
        text = (project.root / anchor.path).read_text("utf-8")
    except OSError:
        return anchor.line
    lines = text.split("\n")
    first = max(anchor.line, 1) - 1
    end = (anchor.end_line - 1) if anchor.end_line else len(lines)
    slice_text = "\n".join(lines[first:end])
    b = rendered_tokens(base.regions.get(anchor.index, ""))
    after = edited.regions.get(anchor.index, "")
    e = rendered_tokens(after)
    s = source_tokens(slice_text)
    j = next((k for k, t in enumerate(e) if t.start >= comment.start), None)
    if j is None:
        return anchor.line
    visible = [k for k, t in enumerate(s) if t.kind == "word"]
    be = {}
    for x, y, n in difflib.SequenceMatcher(None, [t.norm for t in b], [t.norm for t in e], autojunk=False).get_matching_blocks():
        for k in range(n):
            be[y + k] = x + k
    bs = {}
    for x, y, n in difflib.SequenceMatcher(None, [t.norm for t in b], [s[k].norm for k in visible],
                                           autojunk=False).get_matching_blocks():
        for k in range(n):
            bs[x + k] = visible[y + k]
    for jj in range(j, len(e)):
        if jj in be and be[jj] in bs:
            return anchor.line + slice_text[: s[bs[be[jj]]].start].count("\n")
    return anchor.line


# --- writing ------------------------------------------------------------------------------

def comments_markdown(result: ImportResult, docx_name: str) -> str:
    out = [f"# Comments on {docx_name}", ""]
    if not result.comments:
        out.append("No comments.")
    for n, c in enumerate(result.comments, 1):
        out.append(f"{n}. **{c.where}** ({c.para}) — {c.author or 'unknown'}"
                   + (f", {c.date[:10]}" if c.date else "") + ":")
        out.append(f"   {c.text}")
        if c.quoted:
            out.append(f"   > on: \u201c{_short(c.quoted, 200)}\u201d")
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def comments_text(result: ImportResult) -> str:
    """The comments as printed: one numbered item each, where it is, who wrote it, what it says."""
    out = [f"Comments ({len(result.comments)}):"]
    for n, c in enumerate(result.comments, 1):
        out.append(f"  {n}. {c.where} ({c.para}) \u2014 {c.author or 'unknown'}"
                   + (f", {c.date[:10]}" if c.date else "") + f": {c.text}")
        if c.quoted:
            out.append(f"     on: \u201c{_short(c.quoted, 120)}\u201d")
    return "\n".join(out) + "\n"


def comments_csv(result: ImportResult) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["location", "paragraph", "author", "date", "comment", "on text"])
    for c in result.comments:
        writer.writerow([c.where, c.para, c.author, c.date, c.text, c.quoted])
    return buffer.getvalue()


def apply(project: "Project", result: ImportResult) -> list[str]:
    """Write the changed files (each atomically); the sources were checked unchanged just before."""
    written = []
    changed = changed_sources(project.root, result.stamp)
    if changed:
        raise ImportRefused("the sources changed during the import: " + ", ".join(changed) + "; nothing written")
    for path, text in sorted(result.new_texts.items()):
        if text == result.old_texts[path]:
            continue
        with atomic_write(project.root / path) as tmp:
            tmp.write_text(text, "utf-8")
        written.append(path)
    return written
