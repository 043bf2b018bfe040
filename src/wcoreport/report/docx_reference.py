"""The DOCX reference document, generated from code (never a binary edited by hand).

Starts from pandoc's own reference.docx and sets the WCO layout: A4, one font family, the
document code in the page header, page numbers in the footer, and a named style for every
element of the report (see styled_blocks.py), so the Secretariat can restyle it in Word: the
tables' "Table" style (the PDF's grid) and their text's "Table Text" (see docx_tables.py), the
entries of the table of contents, "toc 1" and "toc 2" (see docx_toc.py).
"""

from __future__ import annotations

import io
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from ..pipeline.outputs import normalize_zip
from ..pipeline.pandoc import run_pandoc

# Word has Times New Roman; the PDF embeds Liberation Serif (report/fonts/), its metric-compatible
# free twin, which LibreOffice also puts in its place: same glyph widths, same line breaks.
FONT = "Times New Roman"
BODY_SIZE = Pt(11)
ACCENT = RGBColor(0x1F, 0x3A, 0x68)
LANGUAGE_TAGS = {"en": "en-GB", "fr": "fr-FR"}
# A4 less the side margins (2.5 cm each), in twentieths of a point: the width tables take.
TEXT_WIDTH_TWIPS = round((21.0 - 2 * 2.5) / 2.54 * 1440)
# The tables' look, as the PDF's (wco.typst: `#set table(inset: 5pt, stroke: 0.5pt + luma(160))`,
# text at 9.5 pt, the header row bold on a light shade).
TABLE_STYLE_ID = "Table"  # the name pandoc gives every table it writes
TABLE_TEXT_STYLE = "Table Text"
TABLE_TEXT_SIZE = 9.5
TABLE_INSET_PT = 5
TABLE_RULE = "A0A0A0"
TABLE_HEADER_FILL = "F2F2F2"

# name -> (base style, size in pt or None, bold, italic, alignment, space before, space after)
PARAGRAPH_STYLES = {
    "Masthead": ("Body Text", 9, True, False, WD_ALIGN_PARAGRAPH.CENTER, 0, 0),
    "Committee": ("Body Text", 11, True, False, WD_ALIGN_PARAGRAPH.LEFT, 12, 6),
    "Sessions": ("Body Text", 11, False, False, WD_ALIGN_PARAGRAPH.LEFT, 0, 0),
    "Meeting Dates": ("Body Text", 11, False, False, WD_ALIGN_PARAGRAPH.LEFT, 0, 0),
    "Document Code": ("Body Text", 12, True, False, WD_ALIGN_PARAGRAPH.RIGHT, 12, 6),
    "Document Date": ("Body Text", 11, False, False, WD_ALIGN_PARAGRAPH.RIGHT, 0, 0),
    "Document Title": ("Body Text", 14, True, False, WD_ALIGN_PARAGRAPH.CENTER, 18, 6),
    "Document Subtitle": ("Body Text", 12, False, False, WD_ALIGN_PARAGRAPH.CENTER, 0, 6),
    "Agenda Item": ("Body Text", 11, False, True, WD_ALIGN_PARAGRAPH.CENTER, 0, 12),
    "Draft Notice": ("Body Text", 10, True, False, WD_ALIGN_PARAGRAPH.CENTER, 0, 12),
    "Summary Heading": ("Body Text", 12, True, False, WD_ALIGN_PARAGRAPH.CENTER, 12, 6),
    "Summary Label": ("Body Text", None, True, False, WD_ALIGN_PARAGRAPH.LEFT, 6, 4),
    "Summary": ("Body Text", None, False, False, WD_ALIGN_PARAGRAPH.JUSTIFY, 0, 6),
    "Summary End": ("Body Text", None, False, False, WD_ALIGN_PARAGRAPH.CENTER, 12, 12),
    "Annex Heading": ("Body Text", 13, True, False, WD_ALIGN_PARAGRAPH.CENTER, 0, 12),
    "Numbered Paragraph": ("Body Text", None, False, False, WD_ALIGN_PARAGRAPH.JUSTIFY, 0, 8),
    "Case Study Title": ("Body Text", None, True, False, WD_ALIGN_PARAGRAPH.LEFT, 6, 2),
    "Case Study Member": ("Body Text", 10, False, True, WD_ALIGN_PARAGRAPH.LEFT, 0, 4),
    "Case Study": ("Body Text", 10, False, False, WD_ALIGN_PARAGRAPH.LEFT, 0, 4),
    "Admonition Title": ("Body Text", None, True, False, WD_ALIGN_PARAGRAPH.LEFT, 6, 2),
    "Admonition": ("Body Text", 10, False, False, WD_ALIGN_PARAGRAPH.LEFT, 0, 4),
}
# Written in capitals by the style, as in the seed document; the text keeps its case.
CAPITALS = {"Committee", "Document Title"}
BOXED = {"Case Study Title", "Case Study Member", "Case Study", "Summary", "Summary Heading"}
SHADED = {"Case Study Title": "E8EEF7", "Case Study Member": "E8EEF7", "Case Study": "E8EEF7",
          "Admonition Title": "F3F3F3", "Admonition": "F3F3F3"}


def _set_font(style, size=None, bold=None, italic=None) -> None:
    font = style.font
    font.name = FONT
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        fonts.attrib.pop(qn(attr), None)
    if size is not None:
        font.size = Pt(size) if not hasattr(size, "pt") else size
    if bold is not None:
        font.bold = bold
    if italic is not None:
        font.italic = italic


def _paragraph_property(style, tag: str, **attrs) -> None:
    ppr = style.element.get_or_add_pPr()
    element = ppr.find(qn(tag))
    if element is None:
        element = OxmlElement(tag)
        ppr.append(element)
    for key, value in attrs.items():
        element.set(qn(key), value)


def _borders(style) -> None:
    ppr = style.element.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    for side in ("top", "left", "bottom", "right"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:val"), "single")
        edge.set(qn("w:sz"), "6")
        edge.set(qn("w:space"), "4")
        edge.set(qn("w:color"), "1F3A68")
        borders.append(edge)
    ppr.append(borders)


# The order OOXML's schema gives the children of <w:pPr>: Word rejects a file that breaks it.
PPR_ORDER = ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
             "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
             "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
             "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc",
             "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr",
             "sectPr", "pPrChange")


def _order_paragraph_properties(styles_element) -> None:
    """Put the paragraph properties of every style in schema order (we append some by hand)."""
    rank = {qn(f"w:{tag}"): i for i, tag in enumerate(PPR_ORDER)}
    for ppr in styles_element.iter(qn("w:pPr")):
        children = sorted(ppr, key=lambda child: rank.get(child.tag, len(rank)))
        for child in children:
            ppr.append(child)  # re-appending moves each child to the end, in sorted order


def _summary_rules(styles) -> None:
    """A rule above the summary's heading and below its last paragraph, as in the Typst layout."""
    for name, side in (("Summary Heading", "top"), ("Summary End", "top")):
        ppr = styles[name].element.get_or_add_pPr()
        borders = OxmlElement("w:pBdr")
        edge = OxmlElement(f"w:{side}")
        for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "6"), ("w:color", "1F3A68")):
            edge.set(qn(key), value)
        borders.append(edge)
        ppr.append(borders)


def _title_block_table(styles) -> None:
    """The table style of the title block's row: no borders, no cell padding at the sides."""
    style = styles.add_style("Title Block Table", WD_STYLE_TYPE.TABLE)
    style.element.set(qn("w:styleId"), "TitleBlockTable")
    tblpr = OxmlElement("w:tblPr")
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:val"), "nil")
        borders.append(edge)
    tblpr.append(borders)
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:w"), "0")
        edge.set(qn("w:type"), "dxa")
        margins.append(edge)
    tblpr.append(margins)
    style.element.append(tblpr)


def _table_style(styles) -> None:
    """pandoc's "Table" style (every table of the body has it) given the PDF's grid: borders on
    every side, the cells' inset, the header row bold and shaded. The cells' paragraphs have a
    style of their own, "Table Text" (left-aligned, never justified: see docx_tables.py)."""
    style = styles["Table"].element
    tblpr = style.find(qn("w:tblPr"))
    if tblpr is None:
        tblpr = OxmlElement("w:tblPr")
        style.append(tblpr)
    for old in tblpr.findall(qn("w:tblBorders")) + tblpr.findall(qn("w:tblCellMar")):
        tblpr.remove(old)
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        edge = OxmlElement(f"w:{side}")
        for key, value in (("w:val", "single"), ("w:sz", "4"), ("w:space", "0"), ("w:color", TABLE_RULE)):
            edge.set(qn(key), value)
        borders.append(edge)
    margins = OxmlElement("w:tblCellMar")
    for side in ("top", "left", "bottom", "right"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:w"), str(TABLE_INSET_PT * 20))
        edge.set(qn("w:type"), "dxa")
        margins.append(edge)
    # Schema order of <w:tblPr>: ... tblInd, tblBorders, shd, tblLayout, tblCellMar, tblLook.
    indent = tblpr.find(qn("w:tblInd"))
    if indent is not None:
        indent.addnext(borders)
    else:
        tblpr.insert(0, borders)
    borders.addnext(margins)
    for old in style.findall(qn("w:tblStylePr")):
        style.remove(old)
    first = OxmlElement("w:tblStylePr")
    first.set(qn("w:type"), "firstRow")
    rpr = OxmlElement("w:rPr")
    rpr.append(OxmlElement("w:b"))
    first.append(rpr)
    tcpr = OxmlElement("w:tcPr")
    shade = OxmlElement("w:shd")
    for key, value in (("w:val", "clear"), ("w:color", "auto"), ("w:fill", TABLE_HEADER_FILL)):
        shade.set(qn(key), value)
    tcpr.append(shade)
    first.append(tcpr)
    style.append(first)
    # The paragraphs in the cells.
    text = styles.add_style(TABLE_TEXT_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    text.base_style = styles["Normal"]
    text.quick_style = True
    _set_font(text, Pt(TABLE_TEXT_SIZE))
    fmt = text.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.LEFT
    fmt.space_before = fmt.space_after = Pt(0)


def _toc_styles(styles) -> None:
    """The entries of the table of contents (Word's built-in "toc 1", "toc 2"): the cached
    result docx_toc.py writes, and what Word writes when it updates the field."""
    for level in (1, 2):
        style = styles.add_style(f"toc {level}", WD_STYLE_TYPE.PARAGRAPH)
        style.element.set(qn("w:styleId"), f"TOC{level}")
        style.element.attrib.pop(qn("w:customStyle"), None)  # Word's own style, which its TOC uses
        style.base_style = styles["Normal"]
        _set_font(style, None, level == 1)
        fmt = style.paragraph_format
        fmt.space_before, fmt.space_after = Pt(6 if level == 1 else 0), Pt(2)
        fmt.left_indent = Cm(0.5 * (level - 1))
        fmt.tab_stops.add_tab_stop(Cm(16.0), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)


def _field(paragraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word and LibreOffice compute."""
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, instruction), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text == instruction:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = f" {instruction} "
            run._r.append(instr)
        else:
            t = OxmlElement("w:t")
            t.text = text
            run._r.append(t)


def build_reference_docx(code: str, lang: str, target: Path) -> Path:
    """Write the reference document for one language version (its header shows `code`)."""
    base = run_pandoc(["--print-default-data-file", "reference.docx"])
    doc = Document(io.BytesIO(base))
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin, section.bottom_margin = Cm(2.5), Cm(2.0)
    section.header_distance = section.footer_distance = Cm(1.2)

    styles = doc.styles
    for name in ("Normal", "Body Text", "First Paragraph", "Compact", "Footnote Text", "Bibliography",
                 "Title", "Subtitle", "Block Text", "Table Caption", "Image Caption", "TOC Heading"):
        if name in [s.name for s in styles]:
            _set_font(styles[name])
    _set_font(styles["Normal"], BODY_SIZE)
    # The language of the text, for Word's proofing and hyphenation.
    language = OxmlElement("w:lang")
    language.set(qn("w:val"), LANGUAGE_TAGS.get(lang, lang))
    styles["Normal"].element.get_or_add_rPr().append(language)
    for name in ("Body Text", "First Paragraph"):
        styles[name].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        styles[name].paragraph_format.space_after = Pt(8)
    for level, size in ((1, 13), (2, 12), (3, 11), (4, 11)):
        heading = styles[f"Heading {level}"]
        _set_font(heading, size, True, level == 3)
        heading.font.color.rgb = ACCENT if level == 1 else RGBColor(0, 0, 0)
        heading.paragraph_format.space_before = Pt(14 if level == 1 else 10)
        heading.paragraph_format.keep_with_next = True

    for name, (base_name, size, bold, italic, align, before, after) in PARAGRAPH_STYLES.items():
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles[base_name]
        style.quick_style = True
        _set_font(style, size, bold, italic)
        fmt = style.paragraph_format
        fmt.alignment = align
        fmt.space_before, fmt.space_after = Pt(before), Pt(after)
        if name in SHADED:
            _paragraph_property(style, "w:shd", **{"w:val": "clear", "w:color": "auto", "w:fill": SHADED[name]})
        if name in BOXED and name.startswith("Case"):
            _borders(style)
    for name in CAPITALS:
        styles[name].font.all_caps = True
    # Annex headings: a page of their own, and outline level 1 so that the TOC field lists them.
    annex = styles["Annex Heading"]
    annex.font.color.rgb = ACCENT
    annex.paragraph_format.page_break_before = True
    annex.paragraph_format.keep_with_next = True
    _paragraph_property(annex, "w:outlineLvl", **{"w:val": "0"})
    styles["Summary End"].paragraph_format.keep_with_next = False
    _summary_rules(styles)
    _title_block_table(styles)
    _table_style(styles)
    _toc_styles(styles)
    numbered = styles["Numbered Paragraph"].paragraph_format
    numbered.left_indent, numbered.first_line_indent = Cm(1.0), Cm(-1.0)
    numbered.tab_stops.add_tab_stop(Cm(1.0))

    header = section.header.paragraphs[0]
    header.text = code
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _field(footer, "PAGE")
    doc.core_properties.language = lang
    _order_paragraph_properties(doc.styles.element)
    # No <w:updateFields>: the TOC field carries its result already (docx_toc.py), which Word
    # and LibreOffice show as it is; Word asked to update the fields at every opening.
    doc.save(target)
    normalize_zip(target)  # reproducible bytes (see outputs.py)
    return target
