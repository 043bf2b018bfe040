"""The body's tables of a written DOCX laid out as the PDF lays them out.

pandoc's DOCX writer gives every table an automatic width (`w:tblW` auto), equal columns, and
the cells' paragraphs the "Compact" style, which is justified like the body text; it has no
way to say that a row must not break across pages. So, after pandoc, on the XML of
word/document.xml (lxml, never text substitution), every table of the "Table" style (the data
tables and the Markdown tables; the title block's row has a style of its own and is left alone):

- spans the text width, with fixed column widths computed from the cells' text as Typst sizes
  the PDF's `auto` columns (`column_widths`), the text measured in the PDF's own font;
- has its cells' paragraphs in the "Table Text" style (left-aligned; a number column keeps the
  right alignment pandoc gave it) and never justified;
- has rows that cannot split across pages (`w:cantSplit`); pandoc repeats the header row
  already (`w:tblHeader`).

The borders, the cells' inset and the header row's look are those of the "Table" style of the
reference document (docx_reference.py).
"""

from __future__ import annotations

import functools
import re
from importlib import resources

from lxml import etree

from .docx_reference import TABLE_INSET_PT, TABLE_STYLE_ID, TABLE_TEXT_SIZE, TABLE_TEXT_STYLE, TEXT_WIDTH_TWIPS

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
TABLE_TEXT_STYLE_ID = TABLE_TEXT_STYLE.replace(" ", "")
# The children of <w:tblPr> and <w:trPr> in the schema's order (Word rejects another order).
TBLPR_ORDER = ("tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize", "tblStyleColBandSize",
               "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd", "tblLayout", "tblCellMar", "tblLook",
               "tblCaption", "tblDescription", "tblPrChange")
TRPR_ORDER = ("cnfStyle", "divId", "gridBefore", "gridAfter", "wBefore", "wAfter", "cantSplit", "trHeight",
              "tblHeader", "tblCellSpacing", "jc", "hidden", "ins", "del", "trPrChange")
TCPR_ORDER = ("cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd", "noWrap", "tcMar",
              "textDirection", "tcFitText", "vAlign", "hideMark")


# A line measured to fit its column exactly is wrapped by LibreOffice (its layout rounds to
# twips, and kerns): each column is given a little more than its text measures.
SLACK_PT = 2.0


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


# --- the text's width, in the PDF's font ---------------------------------------------------

@functools.lru_cache(maxsize=2)
def _font(bold: bool):
    """Advance widths of Liberation Serif (the PDF's font, metric-twin of the DOCX's Times
    New Roman): character -> width in em."""
    from fontTools.ttLib import TTFont

    name = "LiberationSerif-Bold.ttf" if bold else "LiberationSerif-Regular.ttf"
    with resources.files("wcoreport.report").joinpath("fonts", name).open("rb") as handle:
        font = TTFont(handle, lazy=True)
        em = font["head"].unitsPerEm
        metrics = font["hmtx"].metrics
        widths = {code: metrics[glyph][0] / em for code, glyph in font.getBestCmap().items()}
    return widths, sum(widths.get(ord(c), 0.5) for c in "etaoinshrdlu") / 12


def text_width(text: str, bold: bool = False, size: float = TABLE_TEXT_SIZE) -> float:
    """The width of `text` on one line, in points."""
    widths, average = _font(bold)
    return sum(widths.get(ord(c), average) for c in text) * size


# --- the columns' widths -------------------------------------------------------------------

def column_widths(natural: list[float], minimum: list[float], available: float) -> list[float]:
    """Each column's width, the whole `available`, as Typst sizes `auto` columns: a column whose
    content fits keeps its natural width; when they do not all fit, the widest share what the
    others leave, equally (Typst's "fair share"). Unlike Typst, no column is narrower than its
    longest word (`minimum`) if the table can give it that, and a table narrower than the text
    is widened, in proportion, to the text width (a DOCX table spans the text, as the issue
    of the Secretariat asks)."""
    count = len(natural)
    if not count:
        return []
    natural = [max(n, m) for n, m in zip(natural, minimum)]
    total = sum(natural)
    if total <= available:
        return [n * available / total for n in natural] if total else [available / count] * count
    fair = available / count
    for _ in range(count + 1):  # the share grows as narrow columns leave it: at most `count` rounds
        narrow = [n for n in natural if n <= fair]
        wide = count - len(narrow)
        share = (available - sum(narrow)) / wide if wide else fair
        if abs(share - fair) < 1e-9:
            break
        fair = share
    widths = [min(n, fair) for n in natural]
    # The longest words: what a column lacks is taken from those that have more than theirs.
    if sum(minimum) <= available:
        for _ in range(count):
            lacking = sum(m - x for x, m in zip(widths, minimum) if x < m)
            if lacking <= 1e-9:
                break
            spare = sum(x - m for x, m in zip(widths, minimum) if x > m)
            widths = [m if x <= m else x - (x - m) * lacking / spare for x, m in zip(widths, minimum)]
    return widths


def _paragraph_lines(paragraph) -> list[str]:
    """The lines of a cell's paragraph (its text, cut at its line breaks)."""
    out = [""]
    for node in paragraph.iter(w("t"), w("br"), w("cr"), w("tab")):
        if node.tag == w("t"):
            out[-1] += node.text or ""
        elif node.tag == w("tab"):
            out[-1] += " "
        else:
            out.append("")
    return out


def _cell_measure(cell, bold: bool) -> tuple[float, float]:
    """A cell's natural width (its longest line) and its longest word, in points, insets included."""
    lines = [line for p in cell.iterchildren(w("p")) for line in _paragraph_lines(p)]
    words = [word for line in lines for word in re.split(r"[ \u2009]+", line)]
    inset = 2 * TABLE_INSET_PT + SLACK_PT
    natural = max((text_width(line, bold) for line in lines), default=0.0)
    longest = max((text_width(word, bold) for word in words), default=0.0)
    return natural + inset, longest + inset


# --- the XML -------------------------------------------------------------------------------

def _child(parent, tag: str, order: tuple[str, ...]):
    """`parent`'s child `tag`, made at its place in the schema's `order` if missing."""
    found = parent.find(w(tag))
    if found is not None:
        return found
    element = etree.Element(w(tag))
    rank = order.index(tag)
    for i, sibling in enumerate(parent):
        local = etree.QName(sibling).localname
        if local in order and order.index(local) > rank:
            parent.insert(i, element)
            return element
    parent.append(element)
    return element


def _properties(parent, tag: str):
    """The properties element (w:tblPr, w:trPr, w:tcPr, w:pPr): always its parent's first child."""
    found = parent.find(w(tag))
    if found is None:
        found = etree.Element(w(tag))
        parent.insert(0, found)
    return found


def _span(cell) -> int:
    span = cell.find(f"{w('tcPr')}/{w('gridSpan')}")
    return int(span.get(w("val"), "1")) if span is not None else 1


def _is_report_table(table) -> bool:
    style = table.find(f"{w('tblPr')}/{w('tblStyle')}")
    return style is not None and style.get(w("val")) == TABLE_STYLE_ID


def _available(table) -> float:
    """The width a table has, in points: the text's, or its cell's in a table in a table."""
    cell = next(table.iterancestors(w("tc")), None)
    if cell is not None:
        width = cell.find(f"{w('tcPr')}/{w('tcW')}")
        if width is not None and width.get(w("type")) == "dxa":
            return int(width.get(w("w"))) / 20 - 2 * TABLE_INSET_PT
    return TEXT_WIDTH_TWIPS / 20


def lay_out_table(table) -> None:
    rows = table.findall(w("tr"))
    grid = table.find(w("tblGrid"))
    count = len(grid.findall(w("gridCol"))) if grid is not None else 0
    count = max([count] + [sum(_span(c) for c in row.findall(w("tc"))) for row in rows])
    natural, minimum = [0.0] * count, [0.0] * count
    for row in rows:
        header = row.find(f"{w('trPr')}/{w('tblHeader')}") is not None
        column = 0
        for cell in row.findall(w("tc")):
            span = _span(cell)
            if span == 1 and column < count:
                width, longest = _cell_measure(cell, bold=header)
                natural[column] = max(natural[column], width)
                minimum[column] = max(minimum[column], longest)
            column += span
    twips = [round(x * 20) for x in column_widths(natural, minimum, _available(table))]

    tblpr = _properties(table, "tblPr")
    width = _child(tblpr, "tblW", TBLPR_ORDER)
    width.attrib.clear()
    width.set(w("w"), "5000")
    width.set(w("type"), "pct")
    _child(tblpr, "tblLayout", TBLPR_ORDER).set(w("type"), "fixed")
    if grid is None:
        grid = etree.Element(w("tblGrid"))
        tblpr.addnext(grid)
    for old in list(grid):
        grid.remove(old)
    for value in twips:
        etree.SubElement(grid, w("gridCol")).set(w("w"), str(value))

    for row in rows:
        trpr = _properties(row, "trPr")
        _child(trpr, "cantSplit", TRPR_ORDER)
        column = 0
        for cell in row.findall(w("tc")):
            span = _span(cell)
            tcpr = _properties(cell, "tcPr")
            cell_width = _child(tcpr, "tcW", TCPR_ORDER)
            cell_width.set(w("w"), str(sum(twips[column:column + span])))
            cell_width.set(w("type"), "dxa")
            column += span
            for paragraph in cell.iterchildren(w("p")):
                _table_text(paragraph)


def _table_text(paragraph) -> None:
    """A cell's paragraph in the "Table Text" style, never justified."""
    ppr = _properties(paragraph, "pPr")
    style = ppr.find(w("pStyle"))
    if style is None:
        style = etree.Element(w("pStyle"))
        ppr.insert(0, style)
    if style.get(w("val")) in (None, "Compact", "BodyText", "FirstParagraph"):
        style.set(w("val"), TABLE_TEXT_STYLE_ID)
    justified = ppr.find(w("jc"))
    if justified is not None and justified.get(w("val")) in ("both", "distribute"):
        justified.set(w("val"), "left")


def lay_out_tables(document) -> int:
    """Every table of the "Table" style in word/document.xml's tree (in place); how many."""
    tables = [t for t in document.iter(w("tbl")) if _is_report_table(t)]
    for table in tables:  # (outer tables first: a table in a cell is sized to its cell)
        lay_out_table(table)
    return len(tables)
