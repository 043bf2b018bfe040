"""Render the report's styled blocks (Divs with a known class) for the output format.

DOCX: the Div's paragraphs take a named style of the generated reference document, so the
Secretariat can restyle the whole document in Word. Typst: the Div becomes a call of the
function of the same name defined in our template (wco.typst). The table below is the one place
that maps classes to styles and functions.

A pass on pandoc's document tree (JSON) held in Python, just before the writer: as a Lua filter
it cost about 1 s a format and language (pandoc hands the whole document to Lua and back).
Same rules as the filter it replaces: Divs are handled bottom-up (a Div sees its children
already rendered) and what a Div becomes is spliced in its place.
"""

from __future__ import annotations

import re
from typing import Any

from ..pipeline.pandoc import ToolError

# class -> (DOCX paragraph style or None, Typst function)
STYLES: dict[str, tuple[str | None, str]] = {
    "titleblock": (None, "wco-titleblock"),
    "tb-masthead": ("Masthead", "wco-masthead"),
    "tb-committee": ("Committee", "wco-committee"),
    "tb-sessions": ("Sessions", "wco-sessions"),
    "tb-meeting": ("Meeting Dates", "wco-meeting"),
    "tb-code": ("Document Code", "wco-code"),
    "tb-date": ("Document Date", "wco-date"),
    "tb-title": ("Document Title", "wco-title"),
    "tb-subtitle": ("Document Subtitle", "wco-subtitle"),
    "tb-agenda": ("Agenda Item", "wco-agenda"),
    "tb-draft": ("Draft Notice", "wco-draft"),
    "summary": ("Summary", "wco-summary"),
    "summary-heading": ("Summary Heading", "wco-summary-heading"),
    "summary-label": ("Summary Label", "wco-summary-label"),
    "summary-end": ("Summary End", "wco-summary-end"),
    "numbered-paragraph": ("Numbered Paragraph", "wco-numbered"),
    "casestudy": ("Case Study", "wco-casestudy"),
    "casestudy-title": ("Case Study Title", "wco-casestudy-title"),
    "casestudy-member": ("Case Study Member", "wco-casestudy-member"),
    "admonition": ("Admonition", "wco-admonition"),
    "admonition-title": ("Admonition Title", "wco-admonition-title"),
    "annex": (None, "wco-annex"),
}
# A redline's changes (markdown/redline.py): span class -> Typst function of the template.
CHANGES = {"insertion": "wco-ins", "deletion": "wco-del"}
# The heading of an annex ("Annex I — ..."): a paragraph style of its own in DOCX, at outline
# level 1 so that the TOC lists it, starting a new page (see docx_reference.py).
ANNEX_HEADING_DOCX = "Annex Heading"
# The two-column row of the title block (committee at left, code and date at right): a
# borderless table in DOCX, a grid in Typst.
ROW_TABLE_STYLE = "TitleBlockTable"
# A width or height Typst understands as written (a number and a unit; not pixels).
_TYPST_LENGTH = re.compile(r"[0-9.]+[ \t\n\v\f\r]*[%a-z]*")

Node = dict[str, Any]
_LEAVES = {"Str", "Space", "SoftBreak", "LineBreak", "Code", "Math", "RawInline"}
_SIMPLE_CONTAINERS = {"Emph", "Underline", "Strong", "Strikeout", "Superscript", "Subscript", "SmallCaps"}


def _raw_block(fmt: str, text: str) -> Node:
    return {"t": "RawBlock", "c": [fmt, text]}


def _raw_inline(fmt: str, text: str) -> Node:
    return {"t": "RawInline", "c": [fmt, text]}


def _attribute(attr: list, key: str) -> str | None:
    return next((v for k, v in attr[2] if k == key), None)


def _set_attribute(attr: list, key: str, value: str) -> None:
    for pair in attr[2]:
        if pair[0] == key:
            pair[1] = value
            return
    attr[2].append([key, value])


def typst_string(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r") + '"'


def _xml_escape(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def stringify(inlines: list) -> str:
    """The text of inlines, as pandoc's `stringify` gives it (quotes as curly quotes, no notes)."""
    out: list[str] = []

    def go(nodes: list) -> None:
        for node in nodes:
            t = node["t"]
            c = node.get("c")
            if t == "Str":
                out.append(c)
            elif t in ("Space", "SoftBreak", "LineBreak"):
                out.append(" ")
            elif t in ("Code", "Math"):
                out.append(c[1])
            elif t == "RawInline":
                if c[0] == "html" and c[1].startswith("<br"):
                    out.append(" ")
            elif t == "Quoted":
                single = c[0]["t"] == "SingleQuote"
                out.append("\u2018" if single else "\u201c")
                go(c[1])
                out.append("\u2019" if single else "\u201d")
            elif t == "Note":
                continue
            elif t in ("Emph", "Underline", "Strong", "Strikeout", "Superscript", "Subscript", "SmallCaps"):
                go(c)
            elif t in ("Link", "Image", "Span", "Cite"):
                go(c[1])

    go(inlines)
    return "".join(out)


class _Renderer:
    def __init__(self, fmt: str):
        self.docx = fmt == "docx"
        self.typst = fmt == "typst"

    # --- traversal: every block and inline, children before their parent -----------------
    # Copy on write: a node whose content changes is a new node, the others are shared with
    # the input document, which stays as it was (the other format is written from it too).

    def blocks(self, blocks: list) -> list:
        out: list = []
        changed = False
        for block in blocks:
            new = self.block(block)
            if new is not block:
                changed = True
                if isinstance(new, list):
                    out.extend(new)
                    continue
            out.append(new)
        return out if changed else blocks

    def block(self, block: Node) -> Node | list:
        t = block["t"]
        c = block.get("c")
        if t in ("Para", "Plain"):
            new = self.inlines(c)
            return block if new is c else {"t": t, "c": new}
        if t == "Header":
            new = self.inlines(c[2])
            return block if new is c[2] else {"t": t, "c": [c[0], c[1], new]}
        if t == "Div":
            content = self.blocks(c[1])
            div = block if content is c[1] else {"t": t, "c": [c[0], content]}
            result = self.div(div)
            return div if result is None else result
        if t == "BlockQuote":
            new = self.blocks(c)
            return block if new is c else {"t": t, "c": new}
        if t == "BulletList":
            new = self.each(c, self.blocks)
            return block if new is c else {"t": t, "c": new}
        if t == "OrderedList":
            new = self.each(c[1], self.blocks)
            return block if new is c[1] else {"t": t, "c": [c[0], new]}
        if t == "DefinitionList":
            new = self.each(c, self.definition)
            return block if new is c else {"t": t, "c": new}
        if t == "LineBlock":
            new = self.each(c, self.inlines)
            return block if new is c else {"t": t, "c": new}
        if t == "Figure":
            caption, content = self.caption(c[1]), self.blocks(c[2])
            return block if caption is c[1] and content is c[2] else {"t": t, "c": [c[0], caption, content]}
        if t == "Table":
            attr, caption, specs, head, bodies, foot = c
            new = [attr, self.caption(caption), specs, self.head_foot(head), self.each(bodies, self.body),
                   self.head_foot(foot)]
            return block if all(a is b for a, b in zip(new, c)) else {"t": t, "c": new}
        return block

    @staticmethod
    def each(items: list, fn) -> list:
        new = [fn(item) for item in items]
        return items if all(a is b for a, b in zip(new, items)) else new

    def definition(self, item: list) -> list:
        term, defs = self.inlines(item[0]), self.each(item[1], self.blocks)
        return item if term is item[0] and defs is item[1] else [term, defs]

    def caption(self, caption: list) -> list:
        short = self.inlines(caption[0]) if caption[0] is not None else None
        content = self.blocks(caption[1])
        return caption if short is caption[0] and content is caption[1] else [short, content]

    def cell(self, cell: list) -> list:
        content = self.blocks(cell[4])
        return cell if content is cell[4] else [*cell[:4], content]

    def table_row(self, row: list) -> list:
        cells = self.each(row[1], self.cell)
        return row if cells is row[1] else [row[0], cells]

    def head_foot(self, part: list) -> list:
        rows = self.each(part[1], self.table_row)
        return part if rows is part[1] else [part[0], rows]

    def body(self, body: list) -> list:
        head, rows = self.each(body[2], self.table_row), self.each(body[3], self.table_row)
        return body if head is body[2] and rows is body[3] else [body[0], body[1], head, rows]

    def inlines(self, inlines: list) -> list:
        out = None
        for i, node in enumerate(inlines):
            t = node["t"]
            if t in _LEAVES:
                continue
            new = self.inline(node)
            if new is not node:
                if out is None:
                    out = list(inlines)
                out[i] = new
        return inlines if out is None else out

    def inline(self, node: Node) -> Node:
        t, c = node["t"], node["c"]
        if t in _SIMPLE_CONTAINERS:
            new = self.inlines(c)
            return node if new is c else {"t": t, "c": new}
        if t in ("Quoted", "Span"):
            new = self.inlines(c[1])
            node = node if new is c[1] else {"t": t, "c": [c[0], new]}
            if t == "Span" and self.typst:
                return self.change(node)
            return node
        if t == "Link":
            new = self.inlines(c[1])
            return node if new is c[1] else {"t": t, "c": [c[0], new, c[2]]}
        if t == "Cite":
            citations = self.each(c[0], self.citation)
            new = self.inlines(c[1])
            return node if citations is c[0] and new is c[1] else {"t": t, "c": [citations, new]}
        if t == "Note":
            new = self.blocks(c)
            return node if new is c else {"t": t, "c": new}
        if t == "Image":
            new = self.inlines(c[1])
            image = node if new is c[1] else {"t": t, "c": [c[0], new, c[2]]}
            return self.image(image) if self.typst else image
        return node

    def citation(self, citation: dict) -> dict:
        prefix = self.inlines(citation["citationPrefix"])
        suffix = self.inlines(citation["citationSuffix"])
        if prefix is citation["citationPrefix"] and suffix is citation["citationSuffix"]:
            return citation
        return {**citation, "citationPrefix": prefix, "citationSuffix": suffix}

    def meta(self, value: Any) -> Any:
        t = value["t"]
        if t == "MetaMap":
            new = {key: self.meta(v) for key, v in value["c"].items()}
            return value if all(new[k] is value["c"][k] for k in new) else {"t": t, "c": new}
        if t == "MetaList":
            new = self.each(value["c"], self.meta)
        elif t == "MetaInlines":
            new = self.inlines(value["c"])
        elif t == "MetaBlocks":
            new = self.blocks(value["c"])
        else:
            return value
        return value if new is value["c"] else {"t": t, "c": new}

    # --- the rules ------------------------------------------------------------------------

    def image(self, image: Node) -> Node:
        """Typst: every image with its text alternative, which PDF/UA requires and pandoc's Typst
        writer leaves out (the alt text of a figure is its caption). The ';' ends the code."""
        attr, alt_inlines, (src, _title) = image["c"]
        alt = _attribute(attr, "alt")
        if alt is None:
            alt = stringify(alt_inlines)
        svg = _attribute(attr, "svg")  # a chart drawn by the project (build.py): its SVG itself
        if svg is not None:
            return _raw_inline("typst", "#box(image(bytes(" + typst_string(svg) + '), format: "svg", alt: '
                               + typst_string(alt) + ", width: 100%));")
        args = typst_string(src) + ", alt: " + typst_string(alt)
        for key in ("width", "height"):
            value = _attribute(attr, key)
            # A length with a unit; pixels and bare numbers (pixels, as HTML reads them) mean
            # nothing on paper: the image keeps its own size there.
            if value and _TYPST_LENGTH.fullmatch(value) and re.search(r"(%|cm|mm|in|pt|em)$", value):
                args += ", " + key + ": " + value
        return _raw_inline("typst", "#box(image(" + args + "));")

    def change(self, span: Node) -> Node:
        """Typst: a redline's inserted or deleted words (markdown/redline.py) as a call of the
        template's wco-ins / wco-del around them; the words stay pandoc inlines, which the
        writer escapes. The ';' ends the call, so that no text after it can extend it. (DOCX:
        pandoc itself makes these spans tracked changes.)"""
        classes = span["c"][0][1]
        function = CHANGES.get(next((c for c in classes if c in CHANGES), ""))
        if function is None:
            return span
        return {"t": "Span", "c": [["", [], []], [_raw_inline("typst", "#" + function + "["), *span["c"][1],
                                                  _raw_inline("typst", "];")]]}

    def toc(self, div: Node) -> Node:
        """A table of contents where the Div(.toc) stands: in DOCX a TOC field, whose result
        (the headings it lists, with links) docx_toc.py writes once pandoc has written the
        document; in Typst an outline. \\u lists the annex headings too (by their paragraphs'
        outline level)."""
        title = _attribute(div["c"][0], "title")
        if title is None:
            title = "Contents"
        if self.docx:
            return _raw_block(
                "openxml",
                '<w:sdt><w:sdtPr><w:docPartObj><w:docPartGallery w:val="Table of Contents"/><w:docPartUnique/>'
                '</w:docPartObj></w:sdtPr><w:sdtContent><w:p><w:pPr><w:pStyle w:val="TOCHeading"/></w:pPr>'
                '<w:r><w:t xml:space="preserve">' + _xml_escape(title) + "</w:t></w:r></w:p><w:p><w:r>"
                '<w:fldChar w:fldCharType="begin"/><w:instrText xml:space="preserve">'
                'TOC \\o "1-2" \\h \\z \\u</w:instrText><w:fldChar w:fldCharType="separate"/>'
                '<w:fldChar w:fldCharType="end"/></w:r></w:p></w:sdtContent></w:sdt>'
                '<w:p><w:r><w:br w:type="page"/></w:r></w:p>')
        return _raw_block("typst", "#wco-toc([" + title + "])")

    def row(self, div: Node) -> list:
        """The title block's row: its two Divs (.tb-left, .tb-right) side by side."""
        cells = [child["c"][1] for child in div["c"][1] if child["t"] == "Div"]
        if len(cells) != 2:
            raise ToolError(f"a .tb-row Div must hold exactly two Divs, found {len(cells)}")
        if self.docx:
            cell = '<w:tc><w:tcPr><w:tcW w:w="2500" w:type="pct"/></w:tcPr>'
            return [_raw_block("openxml",
                               '<w:tbl><w:tblPr><w:tblStyle w:val="' + ROW_TABLE_STYLE + '"/>'
                               '<w:tblW w:w="5000" w:type="pct"/>'
                               '<w:tblLayout w:type="fixed"/><w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" '
                               'w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr>'
                               '<w:tblGrid><w:gridCol w:w="4535"/><w:gridCol w:w="4535"/></w:tblGrid><w:tr>' + cell),
                    *cells[0], _raw_block("openxml", "</w:tc>" + cell), *cells[1],
                    _raw_block("openxml", "</w:tc></w:tr></w:tbl>")]
        # Inside the parentheses Typst is in code mode, where the blank lines pandoc puts
        # between blocks do no harm.
        return [_raw_block("typst", "#wco-header-row(["), *cells[0], _raw_block("typst", "], ["), *cells[1],
                _raw_block("typst", "])")]

    def div(self, div: Node) -> Node | list | None:
        """What the Div becomes (a block or blocks to splice), or None to keep it."""
        attr, content = div["c"]
        classes = attr[1]
        if "toc" in classes:
            return self.toc(div)
        if "tb-row" in classes:
            return self.row(div)
        cls = next((c for c in classes if c in STYLES), None)
        if cls is None:
            return None
        docx_style, typst_function = STYLES[cls]
        if self.docx:
            if cls == "annex":
                return self.annex_headings_docx(content)
            if cls == "numbered-paragraph":
                # The number is text, so that it survives any copy and is the same in every output.
                para = content[0]
                content = [{"t": para["t"], "c": [{"t": "Str", "c": _attribute(attr, "number") + "."},
                                                  _raw_inline("openxml", "<w:r><w:tab/></w:r>"), *para["c"]]},
                           *content[1:]]
            if docx_style:
                attr = [attr[0], attr[1], [list(pair) for pair in attr[2]]]
                _set_attribute(attr, "custom-style", docx_style)
                return {"t": "Div", "c": [attr, content]}
            return content
        if self.typst:
            args = ""
            if cls == "numbered-paragraph":
                # Inline call inside the paragraph itself: the number and the text stay one
                # paragraph (a block call would carry a paragraph break and split them in the
                # tagged PDF).
                para = content[0]
                return {"t": para["t"], "c": [_raw_inline("typst", "#" + typst_function + "("
                                                          + typst_string(_attribute(attr, "number")) + ")["),
                                              *para["c"], _raw_inline("typst", "]")]}
            if cls == "admonition":
                args = "(kind: " + typst_string(classes[1] if len(classes) > 1 else "note") + ")"
            # The Div's id becomes the call's label, so that a link to it (a case study's box) has
            # its destination in the PDF.
            label = f"<{attr[0]}>" if attr[0] and re.fullmatch(r"[A-Za-z][\w:.-]*", attr[0]) else ""
            return [_raw_block("typst", "#" + typst_function + args + "["), *content, _raw_block("typst", "]" + label)]
        return None

    @staticmethod
    def annex_headings_docx(blocks: list) -> list:
        """DOCX: an annex's level-1 heading becomes a paragraph of the "Annex Heading" style
        (pandoc gives every Header a "Heading N" style, whatever Div it is in); its id stays a
        bookmark."""
        out = []
        for block in blocks:
            if block["t"] == "Header" and block["c"][0] == 1:
                out.append({"t": "Div", "c": [[block["c"][1][0], [], [["custom-style", ANNEX_HEADING_DOCX]]],
                                              [{"t": "Para", "c": block["c"][2]}]]})
            else:
                out.append(block)
        return out


def render_styled_blocks(doc: dict, fmt: str) -> dict:
    """The document for pandoc's `fmt` writer ("docx" or "typst"); `doc` is left as it was."""
    renderer = _Renderer(fmt)
    meta = {key: renderer.meta(value) for key, value in doc.get("meta", {}).items()}
    if renderer.docx:
        # No "Title" paragraph above the title block (build.py puts the title in the document
        # properties instead).
        meta.pop("title", None)
        meta.pop("subtitle", None)
    return {**doc, "meta": meta, "blocks": renderer.blocks(doc["blocks"])}
