"""Reading a DOCX of the report back, as edited in Word or LibreOffice: the accepted text of each
anchored block, the comments, and what the DOCX says it was built from.

pandoc's DOCX reader (`--track-changes=all`) reads the text, the tracked insertions and
deletions and the comments; but it drops bookmarks, and the blocks' anchors are bookmarks
(provenance.py). So, before pandoc reads it, each of our bookmarks is turned into a marker in
the text (two private-use characters around its number), which comes out of the reader as
text where the bookmark was. The table of contents is removed first: Word fills it when it
opens the file, and it is not the editor's text.

The text of a block is flat: words as pandoc gives them, a space between words, a blank line
("\\n\\n") between paragraphs, list items and table cells. Formatting is not compared.
"""

from __future__ import annotations

import io
import json
import re
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from ..markdown.pandoc_ast import Node, table_cells
from ..pipeline.pandoc import run_pandoc
from .docx_package import read_custom_properties
from .provenance import ANCHOR_PREFIX, Provenance

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MARK_OPEN, MARK_CLOSE = "\ue000", "\ue001"
MARKER = re.compile(f"{MARK_OPEN}(\\d+){MARK_CLOSE}")
DOCUMENT = "word/document.xml"
FRONT = -1  # the region before the first anchor: title block, summary, table of contents


class NotOurDocx(Exception):
    """The file is not a DOCX this toolchain built (or is damaged): the message says why."""


@dataclass
class Comment:
    ident: str
    author: str
    date: str
    text: str
    region: int = FRONT
    start: int = 0  # offset in the region's text
    end: int | None = None
    quoted: str = ""  # the text the comment is on


@dataclass
class EditedText:
    regions: dict[int, str]  # anchor number (FRONT: before the first) -> text
    notes: dict[int, list[str]]  # anchor number -> the text of its footnotes, in order
    comments: list[Comment] = field(default_factory=list)


def open_docx(path: Path) -> tuple[bytes, Provenance]:
    """The bytes of a DOCX built by this toolchain, and its provenance; NotOurDocx otherwise."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise NotOurDocx(f"cannot read it: {exc.strerror}") from None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            if DOCUMENT not in names:
                raise NotOurDocx("not a Word document (no word/document.xml in it)")
            bad = zf.testzip()
            if bad is not None:
                raise NotOurDocx(f"the file is damaged (entry {bad} does not read back)")
            props = read_custom_properties(zf)
    except zipfile.BadZipFile:
        raise NotOurDocx("not a Word document, or a damaged one (it is not a readable ZIP package)") from None
    except (zipfile.LargeZipFile, EOFError, ValueError) as exc:
        raise NotOurDocx(f"the file is damaged ({exc})") from None
    except Exception as exc:  # noqa: BLE001 - XML of the properties: any parse error
        if exc.__class__.__name__ == "ParseError":
            raise NotOurDocx("its document properties are not readable XML: the file is damaged") from None
        raise
    stamp = Provenance.from_properties(props)
    if stamp is None:
        raise NotOurDocx("it was not built by this toolchain (it has no 'wcoreport-format' property): "
                         "import the DOCX that build_report.py wrote, as edited")
    return data, stamp


def _mark_anchors(data: bytes) -> bytes:
    """The DOCX with a marker run at each of our bookmarks and without the table of contents."""
    from lxml import etree

    src = zipfile.ZipFile(io.BytesIO(data))
    try:
        root = etree.fromstring(src.read(DOCUMENT), etree.XMLParser(resolve_entities=False, huge_tree=True))
    except etree.XMLSyntaxError as exc:
        raise NotOurDocx(f"its text (word/document.xml) is not readable XML: {exc}") from None
    w = f"{{{W}}}"
    for sdt in root.iter(f"{w}sdt"):
        gallery = sdt.find(f".//{w}docPartGallery")
        if gallery is not None and gallery.get(f"{w}val") == "Table of Contents":
            sdt.getparent().remove(sdt)
    seen: set[str] = set()
    for bookmark in list(root.iter(f"{w}bookmarkStart")):
        name = bookmark.get(f"{w}name") or ""
        if not name.startswith(ANCHOR_PREFIX) or not name[len(ANCHOR_PREFIX):].isdigit() or name in seen:
            continue  # LibreOffice repeats the start of a bookmark over several paragraphs: the first counts
        seen.add(name)
        run = etree.Element(f"{w}r")
        t = etree.SubElement(run, f"{w}t")
        t.text = f"{MARK_OPEN}{name[len(ANCHOR_PREFIX):]}{MARK_CLOSE}"
        parent = bookmark.getparent()
        if parent.tag == f"{w}p":
            bookmark.addnext(run)
            continue
        # Between paragraphs (as pandoc writes it): into the first paragraph that follows.
        target = None
        node = bookmark
        while target is None and node is not None:
            for sibling in node.itersiblings():
                target = sibling if sibling.tag == f"{w}p" else next(sibling.iter(f"{w}p"), None)
                if target is not None:
                    break
            node = node.getparent() if target is None else None
        if target is None:
            continue
        ppr = target.find(f"{w}pPr")
        if ppr is not None:
            ppr.addnext(run)
        else:
            target.insert(0, run)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            payload = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True) \
                if info.filename == DOCUMENT else src.read(info)
            dst.writestr(info.filename, payload)
    return out.getvalue()


def read_edited(data: bytes) -> EditedText:
    """The accepted text of each anchored block of a DOCX, its footnotes and its comments."""
    with tempfile.TemporaryDirectory(prefix="wcoreport-") as work:
        path = Path(work) / "edited.docx"
        path.write_bytes(_mark_anchors(data))
        try:
            doc = json.loads(run_pandoc(["-f", "docx", "--track-changes=all", "-t", "json", str(path)]))
        except Exception as exc:  # noqa: BLE001 - pandoc's reader refused the file
            raise NotOurDocx(f"pandoc cannot read it ({str(exc)[:200]})") from None
    flat = _Flattener()
    flat.blocks(doc.get("blocks", []))
    return flat.result()


class _Flattener:
    """pandoc's tree of the DOCX as text: insertions kept, deletions left out, comments noted."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.comments: dict[str, Comment] = {}
        self.order: list[str] = []
        self.notes: list[tuple[int, str]] = []  # (offset, text)

    def add(self, text: str) -> None:
        self.parts.append(text)
        self.length += len(text)

    def paragraph(self) -> None:
        self.add("\n\n")

    def blocks(self, blocks: list[Node]) -> None:
        for block in blocks:
            self.block(block)

    def block(self, block: Node) -> None:
        t, c = block["t"], block.get("c")
        if t in ("Para", "Plain"):
            self.inlines(c)
            self.paragraph()
        elif t == "Header":
            self.inlines(c[2])
            self.paragraph()
        elif t == "LineBlock":
            for line in c:
                self.inlines(line)
                self.paragraph()
        elif t == "CodeBlock":
            self.add(c[1])
            self.paragraph()
        elif t in ("BlockQuote",):
            self.blocks(c)
        elif t == "Div":
            self.blocks(c[1])
        elif t == "BulletList":
            for item in c:
                self.blocks(item)
        elif t == "OrderedList":
            for item in c[1]:
                self.blocks(item)
        elif t == "DefinitionList":
            for term, definitions in c:
                self.inlines(term)
                self.paragraph()
                for d in definitions:
                    self.blocks(d)
        elif t == "Figure":
            self.blocks(c[2])
            self.blocks(c[1][1])
        elif t == "Table":
            self.blocks(c[1][1])
            for cell in table_cells(c):
                self.blocks(cell)
                self.paragraph()

    def inlines(self, inlines: list[Node]) -> None:
        for node in inlines:
            self.inline(node)

    def inline(self, node: Node) -> None:
        t, c = node["t"], node.get("c")
        if t == "Str":
            self.add(c)
        elif t in ("Space", "SoftBreak", "LineBreak"):
            self.add(" ")
        elif t in ("Code", "Math"):
            self.add(c[1])
        elif t in ("Emph", "Strong", "Underline", "Strikeout", "Superscript", "Subscript", "SmallCaps"):
            self.inlines(c)
        elif t == "Quoted":
            single = c[0]["t"] == "SingleQuote"
            self.add("\u2018" if single else "\u201c")
            self.inlines(c[1])
            self.add("\u2019" if single else "\u201d")
        elif t in ("Link", "Cite"):
            self.inlines(c[1])
        elif t == "Note":
            inner = _Flattener()
            inner.blocks(c)
            self.notes.append((self.length, inner.text().strip()))
            for comment in inner.comments.values():  # a comment inside a footnote: on the reference
                comment.start = self.length
                self._comment(comment)
        elif t == "Span":
            (ident, classes, pairs), content = c
            if "deletion" in classes:
                return
            if "comment-start" in classes:
                attrs = dict(pairs)
                inner = _Flattener()
                inner.inlines(content)
                self._comment(Comment(ident, attrs.get("author", ""), attrs.get("date", ""),
                                      inner.text().strip(), start=self.length))
                return
            if "comment-end" in classes:
                if ident in self.comments:
                    self.comments[ident].end = self.length
                return
            self.inlines(content)

    def _comment(self, comment: Comment) -> None:
        if comment.ident not in self.comments:
            self.order.append(comment.ident)
        self.comments[comment.ident] = comment

    def text(self) -> str:
        return "".join(self.parts)

    def result(self) -> EditedText:
        full = self.text()
        marks = list(MARKER.finditer(full))
        region_of: list[tuple[int, int, int]] = [(0, marks[0].start() if marks else len(full), FRONT)]
        for i, m in enumerate(marks):
            region_of.append((m.end(), marks[i + 1].start() if i + 1 < len(marks) else len(full), int(m.group(1))))
        regions = {anchor: MARKER.sub("", full[begin:end]) for begin, end, anchor in region_of}
        notes: dict[int, list[str]] = {}
        for offset, text in self.notes:
            notes.setdefault(_region(region_of, offset)[0], []).append(MARKER.sub("", text))
        comments = []
        for ident in self.order:
            comment = self.comments[ident]
            absolute = comment.start
            anchor, begin = _region(region_of, absolute)
            comment.region = anchor
            comment.start = len(MARKER.sub("", full[begin:absolute]))
            if comment.end is not None and comment.end >= absolute:
                quoted = MARKER.sub("", full[absolute:comment.end])
                comment.end = comment.start + len(quoted)
                comment.quoted = " ".join(quoted.split())
            else:
                comment.end = None
            comments.append(comment)
        return EditedText(regions, notes, comments)


def _region(region_of: list[tuple[int, int, int]], offset: int) -> tuple[int, int]:
    """(anchor, begin offset) of the region that holds `offset` of the whole text."""
    for begin, end, anchor in reversed(region_of):
        if begin <= offset:
            return anchor, begin
    return FRONT, 0
