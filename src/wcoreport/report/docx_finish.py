"""The DOCX pandoc wrote, finished: what pandoc's DOCX writer cannot do, done on its XML.

pandoc gives no way to size a table's columns from its text, to keep a row on one page, to
give a table of contents field its result, or to set a document's author, subject and
language in its properties without writing them into the body as well. So the written package
is opened once, word/document.xml and docProps/core.xml are parsed (lxml: never edited as
text), and the tables (docx_tables.py), the table of contents (docx_toc.py) and the properties
(docx_package.py) are set.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from .docx_package import CORE, core_properties, rewrite_parts
from .docx_tables import lay_out_tables
from .docx_toc import fill_toc

DOCUMENT = "word/document.xml"
STYLES = "word/styles.xml"
# pandoc's output, which holds the whole report: no limit on the size of a text node.
_PARSER = etree.XMLParser(huge_tree=True, resolve_entities=False, no_network=True)


def finish_docx(path: Path, properties: dict[str, str]) -> None:
    """Lay out the tables, fill the table of contents and set the core `properties`
    ("dc:title", "dc:creator", "dc:subject", "dc:language": see docx_package.core_properties)
    of the DOCX at `path`, in place."""
    def edit(parts: dict[str, bytes]) -> dict[str, bytes]:
        document = etree.fromstring(parts[DOCUMENT], _PARSER)
        lay_out_tables(document)
        fill_toc(document, etree.fromstring(parts[STYLES], _PARSER))
        return {DOCUMENT: etree.tostring(document, xml_declaration=True, encoding="UTF-8", standalone=True),
                CORE: core_properties(parts[CORE], properties)}

    rewrite_parts(path, edit)
