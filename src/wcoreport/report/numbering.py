"""Numbering of a WCO working document, on pandoc's document tree (JSON) held in Python.

Sections: a top-level heading of level 1 (chapters' titles) is numbered I., II., III. ... Annexes
are inside Divs (.annex) and keep their own titles ("Annex I"); a heading with the class
.unnumbered is skipped. The number is text in the heading, so DOCX, PDF and the table of
contents all show the same thing; the heading also gets an attribute section=N.

Paragraphs: the body paragraphs are numbered continuously 1, 2, 3 ... Only top-level paragraphs
are: not headings, nor the paragraphs inside Divs (case studies, admonitions, summary,
annexes), lists, tables, quotes or notes, nor a paragraph that holds only an image. Each
numbered paragraph is wrapped in Div(.numbered-paragraph, number=N), which the format filter
(styled_blocks.py) renders for DOCX and Typst. Must run before anything that unwraps Divs.

Done here rather than in Lua filters: pandoc would hand the whole document to Lua and back
(about 1 s a language on a long report) for a walk over the top-level blocks only.
"""

from __future__ import annotations

from ..markdown.blocks import is_numbered_paragraph  # the one rule, shared with the translation tools

_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
          (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def roman(n: int) -> str:
    out = ""
    for value, letters in _ROMAN:
        while n >= value:
            out += letters
            n -= value
    return out


def _set_attribute(attributes: list, key: str, value: str) -> None:
    for pair in attributes:
        if pair[0] == key:
            pair[1] = value
            return
    attributes.append([key, value])


def number_sections(doc: dict) -> dict:
    """Number the level-1 top-level headings I., II., ... (in place; returns the document)."""
    n = 0
    for block in doc["blocks"]:
        if block["t"] != "Header":
            continue
        level, (_ident, classes, attributes), inlines = block["c"]
        if level != 1 or "unnumbered" in classes:
            continue
        n += 1
        inlines[:0] = [{"t": "Str", "c": roman(n) + "."}, {"t": "Space"}]
        _set_attribute(attributes, "section", str(n))
    return doc


def number_paragraphs(doc: dict) -> dict:
    """Wrap each top-level body paragraph in a numbered Div (in place; returns the document)."""
    n = 0
    blocks = doc["blocks"]
    for i, block in enumerate(blocks):
        if not is_numbered_paragraph(block):
            continue
        n += 1
        blocks[i] = {"t": "Div", "c": [["", ["numbered-paragraph"], [["number", str(n)]]], [block]]}
    return doc


def number_document(doc: dict) -> dict:
    """Both numberings, paragraphs first, as the filters ran."""
    return number_sections(number_paragraphs(doc))
