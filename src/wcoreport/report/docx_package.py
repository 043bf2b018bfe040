"""Document properties of a written DOCX that pandoc cannot set without side effects.

pandoc writes the metadata `title` both into docProps/core.xml and as a "Title" paragraph at the
top of the body; a WCO document carries its title in its title block instead. So the DOCX is
written without `title` (styled_blocks.py drops it) and the title is put here, into the
document properties only, with the author, subject and language, each in the document's
language (docx_finish.py); parts are read and written with an XML parser.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Callable
from xml.sax.saxutils import escape

from lxml import etree

CORE = "docProps/core.xml"


CORE_NS = {"cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
           "dc": "http://purl.org/dc/elements/1.1/", "dcterms": "http://purl.org/dc/terms/"}
# The order of the core properties in the files Word writes (the schema allows any).
CORE_ORDER = ("dc:title", "dc:subject", "dc:creator", "cp:keywords", "dc:description", "dc:language")


def rewrite_parts(path: Path, edit: Callable[[dict[str, bytes]], dict[str, bytes]]) -> None:
    """Rewrite parts of the package at `path` in place: `edit` gets every part's bytes by name
    and returns those it changed. Entries keep their order, dates and compression."""
    with zipfile.ZipFile(path) as source:
        entries = [(info, source.read(info)) for info in source.infolist()]
    changed = edit({info.filename: data for info, data in entries})
    with zipfile.ZipFile(path, "w") as target:
        for info, data in entries:
            target.writestr(info, changed.get(info.filename, data))


def core_properties(data: bytes, values: dict[str, str]) -> bytes:
    """docProps/core.xml with `values` ("dc:title", "dc:creator", ...: text) set, an empty value
    removing the property."""
    root = etree.fromstring(data)
    for name in CORE_ORDER:
        if name not in values:
            continue
        prefix, local = name.split(":")
        tag = f"{{{CORE_NS[prefix]}}}{local}"
        for old in root.findall(tag):
            root.remove(old)
        if not values[name]:
            continue
        element = etree.Element(tag, nsmap={prefix: CORE_NS[prefix]})
        element.text = values[name]
        later = [child for child in root if etree.QName(child).localname in
                 [n.split(":")[1] for n in CORE_ORDER[CORE_ORDER.index(name) + 1:]]]
        if later:
            later[0].addprevious(element)
        else:
            root.append(element)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


CUSTOM = "docProps/custom.xml"
_CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"  # the one format id of user-defined properties


def set_custom_properties(path: Path, props: dict[str, str]) -> None:
    """Write `props` as the DOCX's custom properties (text), in the given order, replacing any.

    pandoc writes docProps/custom.xml (and its content type and relationship) in every DOCX;
    the report's metadata gives it no property, so ours are the only ones."""
    items = "".join(f'<property fmtid="{_FMTID}" pid="{pid}" name="{escape(name, {chr(34): "&quot;"})}">'
                    f"<vt:lpwstr>{escape(value)}</vt:lpwstr></property>"
                    for pid, (name, value) in enumerate(props.items(), start=2))
    xml = (f'<?xml version="1.0" encoding="UTF-8"?><Properties xmlns="{_CUSTOM_NS}" xmlns:vt="{_VT_NS}">'
           f"{items}</Properties>")
    with zipfile.ZipFile(path) as source:
        entries = [(info, source.read(info)) for info in source.infolist()]
    if CUSTOM not in [info.filename for info, _ in entries]:
        raise ValueError(f"{path}: pandoc wrote no {CUSTOM}")
    with zipfile.ZipFile(path, "w") as target:
        for info, data in entries:
            target.writestr(info, xml.encode("utf-8") if info.filename == CUSTOM else data)


def read_custom_properties(zf: zipfile.ZipFile) -> dict[str, str]:
    """The text custom properties of an open DOCX (what set_custom_properties wrote, as Word or
    LibreOffice kept it); {} when it has none."""
    import xml.etree.ElementTree as ET

    try:
        data = zf.read(CUSTOM)
    except KeyError:
        return {}
    root = ET.fromstring(data)
    props = {}
    for prop in root.findall(f"{{{_CUSTOM_NS}}}property"):
        value = next(iter(prop), None)
        if prop.get("name") is not None and value is not None:
            props[prop.get("name")] = value.text or ""
    return props
