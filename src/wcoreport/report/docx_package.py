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
