"""Document properties of a written DOCX that pandoc cannot set without side effects.

pandoc writes the metadata `title` both into docProps/core.xml and as a "Title" paragraph at the
top of the body; a WCO document carries its title in its title block instead. So the DOCX is
written without `title` (styled_blocks.py drops it) and the title is put back here, into the
document properties only.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

CORE = "docProps/core.xml"


def set_title(path: Path, title: str) -> None:
    """Write `title` as the DOCX's dc:title, rewriting the package in place."""
    with zipfile.ZipFile(path) as source:
        entries = [(info, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w") as target:
        for info, data in entries:
            if info.filename == CORE:
                text = data.decode("utf-8")
                element = f"<dc:title>{escape(title)}</dc:title>"
                if re.search(r"<dc:title\s*/>|<dc:title>.*?</dc:title>", text, re.S):
                    text = re.sub(r"<dc:title\s*/>|<dc:title>.*?</dc:title>", lambda _: element, text, flags=re.S)
                else:
                    text = text.replace("</cp:coreProperties>", element + "</cp:coreProperties>")
                data = text.encode("utf-8")
            target.writestr(info, data)


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
