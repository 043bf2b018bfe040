"""What changed between two versions of a document, marked in the newer one's tree.

`redline(old_blocks, new_blocks, mark)` returns the new blocks with what the old ones said and
the new ones do not: words and whole blocks inserted are wrapped in `Span(.insertion)`, deleted
ones (taken from the old tree) in `Span(.deletion)`, with the attributes `author` and `date` of
`Mark`. pandoc's DOCX writer makes those spans native tracked changes (`w:ins`, `w:del`); the
report's Typst rendering (report/styled_blocks.py) colours them and marks the margin; the site
(site/changes.py) styles them. One diff for the three outputs.

Two levels, as a reviewer reads a redline:
1. Blocks: the top-level blocks of both versions are aligned on a signature (their tree, the
   paragraph number and the source-line marks left out: a paragraph that only moved is not a
   change). Blocks that differ are paired by kind (paragraph with paragraph, heading with
   heading of the same level, Div with Div of the same classes, which is diffed inside); a
   paragraph paired with one that shares too few words is deleted and inserted whole.
2. Words, inside a paired paragraph or heading: its inlines as words and spaces (Str, Space);
   any other inline (emphasis, a link, a citation, a note) is one token, kept or changed whole.

The numbers stay the new version's: a numbered paragraph keeps its new number, a deleted one
loses its number (report/numbering.py ran on each version before).
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass
from typing import Iterable

from .pandoc_ast import Node, stringify

INSERTION = "insertion"
DELETION = "deletion"
NUMBERED = "numbered-paragraph"
# Below this share of common words, a paragraph paired with another is a new paragraph: a
# word-by-word redline of two unrelated texts is harder to read than the two texts.
MIN_SIMILARITY = 0.35


@dataclass(frozen=True)
class Mark:
    author: str
    date: str = ""  # ISO 8601, optional

    def span(self, kind: str, content: list[Node]) -> Node:
        pairs = [["author", self.author]] + ([["date", self.date]] if self.date else [])
        return {"t": "Span", "c": [["", [kind], pairs], content]}


@dataclass
class Counts:
    """How much changed: blocks inserted, deleted and changed; words inserted and deleted."""

    inserted_blocks: int = 0
    deleted_blocks: int = 0
    changed_blocks: int = 0
    inserted_words: int = 0
    deleted_words: int = 0

    @property
    def any(self) -> bool:
        return bool(self.inserted_blocks or self.deleted_blocks or self.changed_blocks)


def _is_mark(block: Node) -> bool:
    """A source-line mark of the report (report/assemble.py): says where, not what."""
    return block.get("t") == "RawBlock" and block["c"][1].startswith("// source-line ")


def _numbered(block: Node) -> bool:
    return block.get("t") == "Div" and NUMBERED in block["c"][0][1]


def _content(block: Node) -> Node:
    """A numbered paragraph's paragraph; any other block itself."""
    return block["c"][1][0] if _numbered(block) and block["c"][1] else block


def _heading_text(block: Node) -> list[Node]:
    """A heading's words without its section number (I., II., numbering.py), which follows the new
    version: a chapter added before a heading changes its number, not its text."""
    level, attr, inlines = block["c"]
    if any(k == "section" for k, _v in attr[2]) and len(inlines) >= 2:
        return inlines[2:]
    return inlines


def _signature(block: Node) -> str:
    block = _content(block)
    if block["t"] == "Header":
        level, attr, _inlines = block["c"]
        return json.dumps(["Header", level, attr[0], _heading_text(block)], sort_keys=True)
    return json.dumps(block, sort_keys=True)


def _kind(block: Node) -> str:
    block = _content(block)
    t = block["t"]
    if t == "Header":
        return f"Header{block['c'][0]}"
    if t == "Div":
        return "Div." + ".".join(block["c"][0][1])
    return t


# --- words -----------------------------------------------------------------------------------

_PIECES = re.compile(r"\w+|\W", re.UNICODE)


def _pieces(inlines: list[Node]) -> list[Node]:
    """The inlines with each Str cut into words and single punctuation marks, so that a comma
    after a changed word is not changed with it."""
    out: list[Node] = []
    for node in inlines:
        if node["t"] == "Str":
            out.extend({"t": "Str", "c": piece} for piece in _PIECES.findall(node["c"]))
        else:
            out.append(node)
    return out


def _joined(inlines: list[Node]) -> list[Node]:
    """Adjacent Str pieces back into one Str each."""
    out: list[Node] = []
    for node in inlines:
        if node["t"] == "Str" and out and out[-1]["t"] == "Str":
            out[-1] = {"t": "Str", "c": out[-1]["c"] + node["c"]}
        else:
            out.append(node)
    return out


def _tokens(inlines: list[Node]) -> list[tuple[str, str]]:
    out = []
    for node in inlines:
        t = node["t"]
        if t == "Str":
            out.append(("w", node["c"]))
        elif t in ("Space", "SoftBreak"):
            out.append(("s", " "))
        else:
            out.append(("x", json.dumps(node, sort_keys=True)))
    return out


def _words(inlines: Iterable[Node]) -> int:
    return sum(1 for node in inlines
               if node["t"] not in ("Space", "SoftBreak", "LineBreak") and not _punctuation(node))


def _punctuation(node: Node) -> bool:
    return node["t"] == "Str" and not re.search(r"\w", node["c"])


def similarity(old: list[Node], new: list[Node]) -> float:
    a = [t for t in _tokens(_pieces(old)) if t[0] != "s"]
    b = [t for t in _tokens(_pieces(new)) if t[0] != "s"]
    if not a and not b:
        return 1.0
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def redline_inlines(old: list[Node], new: list[Node], mark: Mark, counts: Counts) -> list[Node]:
    """The new inlines with the old ones' words that differ: deleted words before inserted ones."""
    old, new = _pieces(old), _pieces(new)
    a, b = _tokens(old), _tokens(new)
    out: list[Node] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.extend(new[j1:j2])
            continue
        if op in ("delete", "replace"):
            out.append(mark.span(DELETION, _joined(old[i1:i2])))
            counts.deleted_words += _words(old[i1:i2])
        if op in ("insert", "replace"):
            out.append(mark.span(INSERTION, _joined(new[j1:j2])))
            counts.inserted_words += _words(new[j1:j2])
    return _joined(out)


# --- whole blocks ----------------------------------------------------------------------------

def _mark_inlines(kind: str, inlines: list[Node], mark: Mark) -> list[Node]:
    return [mark.span(kind, inlines)] if inlines else inlines


def mark_block(block: Node, kind: str, mark: Mark) -> Node:
    """A block inserted or deleted whole: every text in it (paragraphs, headings, list items,
    table cells, captions) wrapped in the span of `kind`. A deleted numbered paragraph loses
    its number. Returns a new block."""
    block = json.loads(json.dumps(block))  # the input trees stay as they were
    if kind == DELETION and _numbered(block):
        block = _content(block)

    def blocks(items: list[Node]) -> None:
        for item in items:
            one(item)

    def one(node: Node) -> None:
        t, c = node["t"], node.get("c")
        if t in ("Para", "Plain"):
            node["c"] = _mark_inlines(kind, c, mark)
        elif t == "Header":
            c[2] = _mark_inlines(kind, c[2], mark)
        elif t == "LineBlock":
            node["c"] = [_mark_inlines(kind, line, mark) for line in c]
        elif t in ("Div", "Figure"):
            if t == "Figure":
                blocks(c[1][1])
            blocks(c[-1])
        elif t == "BlockQuote":
            blocks(c)
        elif t == "BulletList":
            for item in c:
                blocks(item)
        elif t == "OrderedList":
            for item in c[1]:
                blocks(item)
        elif t == "DefinitionList":
            for item in c:
                item[0] = _mark_inlines(kind, item[0], mark)
                for definition in item[1]:
                    blocks(definition)
        elif t == "Table":
            from .pandoc_ast import _table_cells

            for cell in _table_cells(c):
                blocks(cell)
            blocks(c[1][1])
        # CodeBlock, HorizontalRule, RawBlock: nothing to wrap

    one(block)
    return block


def _text_blocks(old: Node, new: Node) -> bool:
    """Both are paragraphs (numbered or not) or both headings of one level: diffed word by word."""
    a, b = _content(old), _content(new)
    if a["t"] in ("Para", "Plain") and b["t"] in ("Para", "Plain"):
        return True
    return a["t"] == "Header" and b["t"] == "Header" and a["c"][0] == b["c"][0]


def _changed_pair(old: Node, new: Node, mark: Mark, counts: Counts) -> list[Node] | None:
    """A changed block, marked word by word (paragraphs, headings) or inside (Divs); None when
    the two are too different to be read as one block changed."""
    if _text_blocks(old, new):
        a, b = _content(old), _content(new)
        old_words = _heading_text(a) if a["t"] == "Header" else a["c"]
        new_words = _heading_text(b) if b["t"] == "Header" else b["c"]
        if similarity(old_words, new_words) < MIN_SIMILARITY:
            return None
        counts.changed_blocks += 1
        marked = redline_inlines(old_words, new_words, mark, counts)
        result = json.loads(json.dumps(new))
        target = _content(result)
        if target["t"] == "Header":
            target["c"][2] = target["c"][2][:len(target["c"][2]) - len(new_words)] + marked
        else:
            target["c"] = marked
        return [result]
    if (old["t"] == "Div" and new["t"] == "Div" and not _numbered(new)
            and old["c"][0][1] == new["c"][0][1]):
        inner = redline(old["c"][1], new["c"][1], mark, counts)
        return [{"t": "Div", "c": [new["c"][0], inner]}]
    return None


def redline(old: list[Node], new: list[Node], mark: Mark, counts: Counts | None = None) -> list[Node]:
    """The blocks `new` with what changed since `old` marked (see the module's docstring)."""
    counts = counts if counts is not None else Counts()
    old_content = [b for b in old if not _is_mark(b)]
    # The new version's source-line marks stay where they are, before their block.
    new_content: list[tuple[list[Node], Node]] = []
    pending: list[Node] = []
    for block in new:
        if _is_mark(block):
            pending.append(block)
        else:
            new_content.append((pending, block))
            pending = []
    a = [_signature(b) for b in old_content]
    b = [_signature(block) for _marks, block in new_content]
    out: list[Node] = []

    def emit_new(j: int, blocks: list[Node]) -> None:
        out.extend(new_content[j][0])
        out.extend(blocks)

    def delete(i: int) -> None:
        out.append(mark_block(old_content[i], DELETION, mark))
        counts.deleted_blocks += 1
        counts.deleted_words += len(stringify(_content(old_content[i])).split())

    def insert(j: int) -> None:
        emit_new(j, [mark_block(new_content[j][1], INSERTION, mark)])
        counts.inserted_blocks += 1
        counts.inserted_words += len(stringify(_content(new_content[j][1])).split())

    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            for j in range(j1, j2):
                emit_new(j, [new_content[j][1]])
            continue
        if op == "delete":
            for i in range(i1, i2):
                delete(i)
            continue
        if op == "insert":
            for j in range(j1, j2):
                insert(j)
            continue
        # replace: pair the blocks of one kind, in order; the others are deleted or inserted
        kinds = difflib.SequenceMatcher(None, [_kind(x) for x in old_content[i1:i2]],
                                        [_kind(y) for _m, y in new_content[j1:j2]], autojunk=False)
        for kop, k1, k2, l1, l2 in kinds.get_opcodes():
            if kop == "equal":
                for i, j in zip(range(i1 + k1, i1 + k2), range(j1 + l1, j1 + l2)):
                    paired = _changed_pair(old_content[i], new_content[j][1], mark, counts)
                    if paired is None:
                        delete(i)
                        insert(j)
                    else:
                        emit_new(j, paired)
                continue
            for i in range(i1 + k1, i1 + k2):
                delete(i)
            for j in range(j1 + l1, j1 + l2):
                insert(j)
    return out


def redline_document(old: dict, new: dict, mark: Mark) -> tuple[dict, Counts]:
    """The new document (pandoc's tree) with its changes since `old` marked, and their counts."""
    counts = Counts()
    return {**new, "blocks": redline(old["blocks"], new["blocks"], mark, counts)}, counts
