"""A page's top-level blocks as the translation tools see them: what kind each one is, what in
it must be the same in every language, where it was typed, and its Markdown as typed.

Read from the one analysis of the page (`PageAnalysis.blocks` and `block_lines`): the parity
check (parity.py), the paragraph drift (drift.py), the XLIFF exchange (xliff.py) and the
side-by-side view all use this one reading, so a paragraph is the same thing for each of them
and for the report, which numbers exactly the blocks `numbered` marks here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from .analysis import PageAnalysis
from .pandoc_ast import Node, attribute, children, stringify

# Lines that pandoc takes out of the flow of blocks: footnote texts and abbreviations. Typed
# after the last paragraph, they belong to no block; drift and XLIFF keep them apart.
DEFINITION_LINE = re.compile(r"^(?:\[\^[^\]\s]+\]|\*\[[^\]]+\]):")

# Numbers as each language writes them (group separators, decimal mark), so that "1,000.5"
# and "1 000,5" are one value. Digits glued to letters (PC0790, G7) are names, not values.
_NUMBER = {
    "en": re.compile(r"(?<![\w.,])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d])|(?<![\w.,])\d+(?:\.\d+)?(?![\d])"),
    "fr": re.compile(r"(?<![\w.,])\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:,\d+)?(?![\d])|(?<![\w.,])\d+(?:,\d+)?(?![\d])"),
}


_IMAGE_ONLY = {"Image", "Space", "SoftBreak", "LineBreak"}

# A block made from data/ (analysis.data_blocks): what the translator writes is this line, the
# same in both languages; its labels and numbers come from the data, in each language's form.
DATA_DIRECTIVE = re.compile(r"^\s*\{%\s*(table|chart)\s+['\"]?([^'\"\s%]+)['\"]?\s*%\}\s*$")


def is_numbered_paragraph(block: Node) -> bool:
    """A body paragraph the report numbers, at the top level of a chapter (report/numbering.py):
    a Para that holds more than an image."""
    return block["t"] == "Para" and not all(inline["t"] in _IMAGE_ONLY for inline in block["c"])


@dataclass
class Block:
    """One top-level block of a page."""

    index: int  # position among the page's top-level blocks
    kind: str  # para, heading, figure, table, casestudy, list, image, div, code, quote, ...
    ident: str  # heading id typed as {#id}, figure/table id, case-study id, div class: what names it
    path: Path  # the file it was typed in (the page, or an included file)
    line: int  # the line it starts at
    end: int  # its last line (in `path`)
    section: str  # the title of the heading it is under ("" before the first heading)
    section_id: str
    number_in_section: int = 0  # paragraphs: 1, 2, ... under their heading
    numbered: bool = False  # the report gives it a paragraph number
    level: int = 0  # headings
    citations: tuple[str, ...] = ()  # citation keys and @fig/@tbl references, in order
    footnotes: int = 0
    values: tuple[str, ...] = ()  # the numbers in its text, normalized, in order
    shape: tuple[int, ...] = ()  # list: (items,); table: (rows, columns)
    text: str = ""  # its Markdown as typed (empty when typed in an included file)

    @property
    def key(self) -> tuple:
        """What must be the same in the translation's counterpart."""
        return (self.kind, self.ident, self.level, self.citations, self.footnotes, self.values, self.shape)

    @property
    def coarse(self) -> tuple:
        """What it is, without its details: for aligning one language with the other."""
        return (self.kind, self.ident, self.level)


@dataclass
class PageBlocks:
    page: PageAnalysis
    blocks: list[Block]
    definitions: list[tuple[int, int, str]] = field(default_factory=list)  # footnote texts: (line, end, text)


def _kind(node: Node) -> tuple[str, str, int]:
    t = node.get("t")
    if t == "Header":
        return "heading", node["c"][1][0], node["c"][0]
    if t == "Para":
        return ("para" if is_numbered_paragraph(node) else "image"), "", 0
    if t == "Figure":
        return "figure", node["c"][0][0], 0
    if t == "Table":
        return "table", node["c"][0][0], 0
    if t in ("BulletList", "OrderedList"):
        return "list", "", 0
    if t == "Div":
        cid = attribute(node["c"][0], "data-casestudy")
        if cid is not None:
            return "casestudy", cid, 0
        classes = node["c"][0][1]
        return "div", (classes[0] if classes else ""), 0
    names = {"CodeBlock": "code", "BlockQuote": "quote", "DefinitionList": "definitions",
             "HorizontalRule": "rule", "Plain": "text", "LineBlock": "lines"}
    return names.get(t, str(t).lower()), "", 0


def _details(node: Node, lang: str) -> tuple[tuple[str, ...], int, tuple[str, ...]]:
    """Citation keys in order, footnote count, the numbers of its text."""
    cites: list[str] = []
    notes = 0
    words: list[str] = []

    def visit(item) -> None:
        nonlocal notes
        if not isinstance(item, dict):
            return
        t = item.get("t")
        if t == "Cite":
            cites.extend(c["citationId"] for c in item["c"][0])
            return  # a locator ("para. 5") is part of the citation, not a value of the text
        if t in ("Code", "CodeBlock", "RawInline", "RawBlock"):
            return
        if t == "Note":
            notes += 1
        if t == "Str":
            words.append(item["c"])
            return
        if t in ("Space", "SoftBreak", "LineBreak"):
            words.append(" ")
            return
        if t in ("Para", "Plain", "Header"):
            words.append("\n")
        for child in children(item):
            for sub in child:
                visit(sub)
        if t == "Div" and attribute(item["c"][0], "data-casestudy") is not None:
            return

    if not (node.get("t") == "Div" and attribute(node["c"][0], "data-casestudy") is not None):
        visit(node)  # a case study's text is the case study's, checked there
    pattern = _NUMBER.get(lang, _NUMBER["en"])
    values = []
    for m in pattern.finditer("".join(words)):
        raw = re.sub(r"[ \u00a0\u202f]", "", m.group(0))
        raw = raw.replace(",", "") if lang != "fr" else raw.replace(",", ".")
        values.append(raw)
    return tuple(cites), notes, tuple(values)


def _shape(node: Node) -> tuple[int, ...]:
    t = node.get("t")
    if t == "BulletList":
        return (len(node["c"]),)
    if t == "OrderedList":
        return (len(node["c"][1]),)
    if t == "Table":
        _attr, _caption, specs, head, bodies, foot = node["c"]
        rows = len(head[1]) + sum(len(b[2]) + len(b[3]) for b in bodies) + len(foot[1])
        return (rows, len(specs))
    return ()


# Pages cut into blocks in this process, by their analysis and file text: a reload of `mkdocs
# serve` cuts again only the pages that changed (the analyses are kept too: analysis.py).
_MEMO: dict[tuple[str, str], "PageBlocks"] = {}
_MEMO_SIZE = 4096


def page_blocks(page: PageAnalysis, lines: list[str] | None = None) -> PageBlocks:
    """The page's top-level blocks; `lines`: the page file's lines (read here if not given)."""
    if lines is None:
        lines = _lines(page)
    key = (page.digest, "\n".join(lines))
    if page.digest and key in _MEMO:
        return _MEMO[key]
    found = _page_blocks(page, lines)
    if page.digest:
        remember({key: found})
    return found


def _lines(page: PageAnalysis) -> list[str]:
    try:
        return page.path.read_text("utf-8").replace("\r\n", "\n").split("\n")
    except OSError:
        return []


def blocks_of(pages: Iterable[PageAnalysis]) -> dict[tuple[str, str], PageBlocks]:
    """Each page cut into blocks (page_blocks), as this process's memo keeps it: for another
    process to `remember`, so that it does not cut the same pages again (language_build.py)."""
    known = {}
    for page in pages:
        lines = _lines(page)
        known[(page.digest, "\n".join(lines))] = page_blocks(page, lines)
    return known


def remember(known: dict[tuple[str, str], PageBlocks]) -> None:
    """Pages cut into blocks elsewhere (blocks_of), by their analysis's digest and file text."""
    if len(_MEMO) + len(known) > _MEMO_SIZE:
        _MEMO.clear()
    _MEMO.update((key, value) for key, value in known.items() if key[0])


def _page_blocks(page: PageAnalysis, lines: list[str]) -> PageBlocks:
    starts = page.block_lines
    blocks: list[Block] = []
    section, section_id, in_section = "", "", 0
    definitions: list[tuple[int, int, str]] = []
    typed: dict[Path, list[str]] = {}
    for i, node in enumerate(page.blocks):
        path, line = starts[i] if i < len(starts) else (page.path, 0)
        kind, ident, level = _kind(node)
        if kind == "heading":
            section, section_id, in_section = stringify(node["c"][2]), ident, 0
            # An id made from the title differs between languages by nature: only typed ids count.
            if not any(h.ident == ident and h.explicit for h in page.headings):
                ident = ""
        data = DATA_DIRECTIVE.match(_typed_line(lines, page.path, path, line, typed))
        if data is not None:  # compared by the data it shows, not by the numbers of its labels
            kind, ident = ("table", f"tbl:{data.group(2)}") if data.group(1) == "table" else \
                ("figure", f"fig:{data.group(2)}")
            block = Block(i, kind, ident, path, line, line, section, section_id)
            blocks.append(block)
            continue
        cites, notes, values = _details(node, page.lang)
        block = Block(i, kind, ident, path, line, line, section, section_id, level=level, citations=cites,
                      footnotes=notes, values=values, shape=_shape(node))
        if kind == "para":
            in_section += 1
            block.number_in_section = in_section
            block.numbered = True
        blocks.append(block)
    # Each block's lines: up to the next block typed in the same file, less blank lines and the
    # footnote texts and abbreviations typed below it.
    same = page.path.resolve() if page.path else None
    resolved: dict[Path, Path] = {}
    in_page = [same is not None and resolved.setdefault(b.path, b.path.resolve()) == same and b.line > 0
               for b in blocks]
    next_start: list[int | None] = [None] * len(blocks)  # the next block typed in the page, below this one
    upcoming: int | None = None
    for n in range(len(blocks) - 1, -1, -1):
        next_start[n] = upcoming
        if in_page[n]:
            upcoming = blocks[n].line if upcoming is None else min(upcoming, blocks[n].line)
    for n, block in enumerate(blocks):
        if not in_page[n]:
            continue
        following = next_start[n] if next_start[n] is not None and next_start[n] > block.line else None
        stop = (following - 1) if following else len(lines)
        end = block.line
        for ln in range(block.line, stop + 1):
            text = lines[ln - 1] if ln - 1 < len(lines) else ""
            if ln > block.line and DEFINITION_LINE.match(text) and not lines[ln - 2].strip():
                break
            end = ln
        while end > block.line and not lines[end - 1].strip():
            end -= 1
        block.end = end
        block.text = "\n".join(lines[block.line - 1:end])
    # The footnote texts and abbreviation lines, each its own entry (they may run on over
    # indented lines).
    taken = {ln for b in blocks if b.text for ln in range(b.line, b.end + 1)}
    ln = 1
    while ln <= len(lines):
        text = lines[ln - 1]
        if ln not in taken and DEFINITION_LINE.match(text):
            end = ln
            while end < len(lines) and lines[end].startswith(("    ", "\t")):
                end += 1
            definitions.append((ln, end, "\n".join(lines[ln - 1:end])))
            ln = end + 1
            continue
        ln += 1
    return PageBlocks(page, blocks, definitions)


def _typed_line(lines: list[str], page_path: Path, path: Path, line: int, files: dict[Path, list[str]]) -> str:
    """The line a block starts at, as typed (in the page, or in the file it includes)."""
    if path == page_path:
        source = lines
    else:
        if path not in files:
            try:
                files[path] = path.read_text("utf-8").replace("\r\n", "\n").split("\n")
            except (OSError, UnicodeDecodeError):
                files[path] = []
        source = files[path]
    return source[line - 1] if 0 < line <= len(source) else ""


def describe(block: Block, lang: str = "en") -> str:
    """The block named for an editor: 'paragraph 3 of 'Objectives'', 'heading 'Objectives''."""
    under = f" of '{block.section}'" if block.section else " before the first heading"
    if block.kind == "para":
        return f"paragraph {block.number_in_section}{under}"
    if block.kind == "heading":
        return f"heading '{block.section}'" + (f" {{#{block.ident}}}" if block.ident else "")
    if block.kind == "casestudy":
        return f"case study '{block.ident}'"
    if block.kind in ("figure", "table"):
        name = f" '{block.ident}'" if block.ident else ""
        return f"{block.kind}{name}{under}"
    if block.kind == "div":
        return f"block '{block.ident}'{under}"
    return f"{block.kind}{under}"
