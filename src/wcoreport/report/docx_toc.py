"""The table of contents of a written DOCX given its result, so that it shows everywhere.

styled_blocks.py writes the TOC as a Word field (`TOC \\o "1-2" \\h \\z \\u`) with nothing
between its `separate` and `end`: Word fills it when it updates fields, LibreOffice shows it
empty. Here, after pandoc, on the XML of word/document.xml (lxml), the field gets its result:
one paragraph per heading it lists (the heading styles of levels 1 and 2, and the paragraphs of
an outline level 1 or 2, the annexes' headings: `\\u`), each a link to the heading's bookmark,
as Word itself writes it. Page numbers are not known before a program lays the pages out, and
LibreOffice computes no page reference (PAGEREF) inside a TOC's result (probed: it shows them
empty, after their dot leaders), so the entries have none: Word adds them when the field is
updated (F9). The field is not marked dirty: Word opens the file without asking to update
fields, and can still update the TOC.
"""

from __future__ import annotations

import re

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
SOURCE_MARK = "wco_src_"  # the provenance bookmarks (provenance.py): not a heading's own name


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def outline_levels(styles) -> dict[str, int]:
    """Paragraph style id -> outline level (0 = level 1), following `basedOn`, from styles.xml."""
    own: dict[str, int | None] = {}
    based: dict[str, str] = {}
    for style in styles.iter(w("style")):
        if style.get(w("type")) != "paragraph":
            continue
        sid = style.get(w("styleId"))
        level = style.find(f"{w('pPr')}/{w('outlineLvl')}")
        own[sid] = int(level.get(w("val"))) if level is not None else None
        parent = style.find(w("basedOn"))
        if parent is not None:
            based[sid] = parent.get(w("val"))
    levels = {}
    for sid in own:
        seen, current = set(), sid
        while current in own and own[current] is None and current in based and current not in seen:
            seen.add(current)
            current = based[current]
        if own.get(current) is not None and own[current] < 9:
            levels[sid] = own[current]
    return levels


def _toc_field(document):
    """The TOC's structured block, its field's paragraph and instruction, or None."""
    for sdt in document.iter(w("sdt")):
        gallery = sdt.find(f"{w('sdtPr')}/{w('docPartObj')}/{w('docPartGallery')}")
        if gallery is None or gallery.get(w("val")) != "Table of Contents":
            continue
        for instr in sdt.iter(w("instrText")):
            if (instr.text or "").strip().startswith("TOC"):
                return sdt, next(instr.iterancestors(w("p"))), instr.text.strip()
    return None


def _depth(instruction: str) -> int:
    found = re.search(r'\\o\s+"?(\d)-(\d)"?', instruction)
    return int(found.group(2)) if found else 9


def _text(paragraph) -> str:
    return "".join(t.text or "" for t in paragraph.iter(w("t")) if not any(
        a.tag in (w("del"), w("footnoteReference")) for a in t.iterancestors()))


def _bookmark(paragraph, next_id) -> str:
    """The name of the heading's bookmark (its id, which pandoc writes around it), or a new one."""
    names = []
    sibling = paragraph.getprevious()
    while sibling is not None and sibling.tag == w("bookmarkStart"):
        names.append(sibling.get(w("name")))
        sibling = sibling.getprevious()
    names += [b.get(w("name")) for b in paragraph.iter(w("bookmarkStart"))]
    own = [n for n in names if n and not n.startswith(SOURCE_MARK)]
    if own:
        return own[0]
    number = next_id()
    name = f"_Toc{number:09d}"
    start = etree.Element(w("bookmarkStart"))
    start.set(w("id"), str(number))
    start.set(w("name"), name)
    end = etree.Element(w("bookmarkEnd"))
    end.set(w("id"), str(number))
    properties = paragraph.find(w("pPr"))
    if properties is not None:
        properties.addnext(start)
    else:
        paragraph.insert(0, start)
    paragraph.append(end)
    return name


def headings(document, styles, depth: int, after) -> list[tuple[int, str, object]]:
    """(level, text, paragraph) of every heading the TOC lists, in order, after its block."""
    levels = outline_levels(styles)
    found = []
    started = False
    for paragraph in document.iter(w("p")):
        if not started:
            started = after in paragraph.iterancestors()
            continue
        if after in paragraph.iterancestors():
            continue
        ppr = paragraph.find(w("pPr"))
        style = ppr.find(w("pStyle")) if ppr is not None else None
        direct = ppr.find(w("outlineLvl")) if ppr is not None else None
        level = int(direct.get(w("val"))) if direct is not None else \
            levels.get(style.get(w("val")) if style is not None else "Normal")
        text = _text(paragraph).strip()
        if level is not None and level < depth and text:
            found.append((level + 1, text, paragraph))
    return found


def _run(*children) -> etree._Element:
    run = etree.Element(w("r"))
    for child in children:
        run.append(child)
    return run


def _element(tag: str, text: str | None = None, **attrs) -> etree._Element:
    element = etree.Element(w(tag))
    for key, value in attrs.items():
        element.set(w(key), value)
    if text is not None:
        element.text = text
        if text != text.strip():
            element.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return element


def _field_start(instruction: str) -> list:
    return [_run(_element("fldChar", fldCharType="begin")), _run(_element("instrText", f" {instruction} ")),
            _run(_element("fldChar", fldCharType="separate"))]


def _entry(level: int, text: str, anchor: str) -> etree._Element:
    paragraph = _element("p")
    ppr = etree.SubElement(paragraph, w("pPr"))
    ppr.append(_element("pStyle", val=f"TOC{level}"))
    link = etree.SubElement(paragraph, w("hyperlink"))
    link.set(w("anchor"), anchor)
    link.set(w("history"), "1")
    link.append(_run(_element("t", text)))
    return paragraph


def fill_toc(document, styles) -> int:
    """Give the TOC field of word/document.xml's tree its result (in place); how many entries."""
    found = _toc_field(document)
    if found is None:
        return 0
    sdt, field_paragraph, instruction = found
    ids = [int(b.get(w("id"))) for b in document.iter(w("bookmarkStart")) if (b.get(w("id")) or "").isdigit()]
    counter = iter(range(max(ids, default=0) + 1, 1 << 30))
    listed = headings(document, styles, _depth(instruction), sdt)
    entries = [_entry(level, text, _bookmark(paragraph, lambda: next(counter))) for level, text, paragraph in listed]
    if not entries:  # nothing to list: the field alone, with an empty result
        entries = [_element("p")]
    first = entries[0]
    at = 1 if first.find(w("pPr")) is not None else 0
    for offset, run in enumerate(_field_start(instruction)):
        first.insert(at + offset, run)
    entries[-1].append(_run(_element("fldChar", fldCharType="end")))
    for entry in entries:
        field_paragraph.addprevious(entry)
    field_paragraph.getparent().remove(field_paragraph)
    return len(listed)
