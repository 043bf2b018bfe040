"""The DOCX as finished as the PDF (report/docx_finish.py, docx_tables.py, docx_toc.py): its
tables, its table of contents and its properties, read from the XML of one real build of the
bundled report in each language; and LibreOffice's rendering of it beside our PDF."""

from __future__ import annotations

import os
import re
import subprocess
import zipfile

import pypdf
import pytest
from lxml import etree

from conftest import REPO_ROOT

from wcoreport.report.docx_tables import column_widths

LANGS = ("en", "fr")
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W, "dc": "http://purl.org/dc/elements/1.1/",
      "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"}
# A4 less 2 × 2.5 cm, in twentieths of a point (written here, not taken from the code tested).
TEXT_WIDTH = 9071
AUTHOR = {"en": "World Customs Organization", "fr": "Organisation mondiale des douanes"}
TOC_TITLE = {"en": "Contents", "fr": "Table des matières"}
LOCALE = {"en": "en-GB", "fr": "fr-FR"}


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


@pytest.fixture(scope="module", params=LANGS)
def lang(request) -> str:
    return request.param


@pytest.fixture(scope="module")
def parts(report_dir, output_name, lang) -> dict[str, etree._Element]:
    with zipfile.ZipFile(report_dir / f"{output_name}-{lang}.docx") as z:
        return {name: etree.fromstring(z.read(name)) for name in
                ("word/document.xml", "word/styles.xml", "docProps/core.xml")}


def style_of(styles, style_id: str):
    found = styles.find(f"w:style[@w:styleId='{style_id}']", NS)
    assert found is not None, f"style {style_id!r} is used but not defined in styles.xml"
    return found


def resolved(styles, style_id: str, path: str):
    """The first element at `path` in the style or the styles it is based on (then the defaults)."""
    seen = set()
    while style_id and style_id not in seen:
        seen.add(style_id)
        style = style_of(styles, style_id)
        found = style.find(path, NS)
        if found is not None:
            return found
        based = style.find("w:basedOn", NS)
        style_id = based.get(w("val")) if based is not None else None
    return styles.find(f"w:docDefaults/w:pPrDefault/{path}", NS)


def body_tables(document) -> list:
    """The tables of the body, the title block's row aside (it has a look of its own)."""
    tables = document.findall(".//w:tbl", NS)
    styles = [t.find("w:tblPr/w:tblStyle", NS).get(w("val")) for t in tables]
    assert "TitleBlockTable" in styles
    return [t for t, s in zip(tables, styles) if s != "TitleBlockTable"]


# --- tables -------------------------------------------------------------------------------

def test_the_report_has_its_tables(parts):
    # The data table of the survey and the Markdown table of the case studies, at least.
    assert len(body_tables(parts["word/document.xml"])) >= 2


def test_every_table_has_a_defined_style_with_a_grid_and_a_bold_shaded_header(parts):
    styles = parts["word/styles.xml"]
    for table in body_tables(parts["word/document.xml"]):
        style = style_of(styles, table.find("w:tblPr/w:tblStyle", NS).get(w("val")))
        borders = style.find("w:tblPr/w:tblBorders", NS)
        assert borders is not None
        for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
            edge = borders.find(f"w:{side}", NS)
            assert edge is not None and edge.get(w("val")) == "single", side
        margins = style.find("w:tblPr/w:tblCellMar", NS)
        assert all(int(margins.find(f"w:{side}", NS).get(w("w"))) > 0 for side in ("top", "left", "bottom", "right"))
        first = style.find("w:tblStylePr[@w:type='firstRow']", NS)
        assert first.find("w:rPr/w:b", NS) is not None and first.find("w:tcPr/w:shd", NS).get(w("fill")) != "auto"
        assert table.find("w:tblPr/w:tblLook", NS).get(w("firstRow")) == "1"


def test_every_table_spans_the_text_width_in_fixed_columns(parts):
    for table in body_tables(parts["word/document.xml"]):
        width = table.find("w:tblPr/w:tblW", NS)
        assert (width.get(w("type")), width.get(w("w"))) == ("pct", "5000")
        assert table.find("w:tblPr/w:tblLayout", NS).get(w("type")) == "fixed"
        columns = [int(c.get(w("w"))) for c in table.findall("w:tblGrid/w:gridCol", NS)]
        assert abs(sum(columns) - TEXT_WIDTH) <= len(columns)
        assert len(set(columns)) > 1, "columns of equal widths: not sized from their text"
        for row in table.findall("w:tr", NS):
            cells = [int(c.find("w:tcPr/w:tcW", NS).get(w("w"))) for c in row.findall("w:tc", NS)]
            assert cells == columns


def test_no_table_cell_text_is_justified(parts):
    document, styles = parts["word/document.xml"], parts["word/styles.xml"]
    for table in body_tables(document):
        for paragraph in table.findall(".//w:tc/w:p", NS):
            direct = paragraph.find("w:pPr/w:jc", NS)
            style = paragraph.find("w:pPr/w:pStyle", NS)
            jc = direct if direct is not None else resolved(styles, style.get(w("val")) if style is not None
                                                             else "Normal", "w:pPr/w:jc")
            assert jc is None or jc.get(w("val")) in ("left", "start", "right", "end", "center"), \
                "".join(paragraph.itertext())[:60]


def test_number_columns_are_aligned_right_and_text_at_the_left(parts, lang):
    survey = body_tables(parts["word/document.xml"])[0]
    rows = survey.findall("w:tr", NS)
    mena = [(c.find("w:p/w:pPr/w:jc", NS), "".join(c.itertext())) for c in rows[1].findall("w:tc", NS)]
    assert mena[0][1] == "MENA" and mena[0][0] is None  # left, as its style
    assert mena[1][1].replace("\u202f", " ").replace("\u00a0", " ") in ("38.8%", "38,8 %")
    assert mena[1][0].get(w("val")) == "right"


def test_rows_cannot_split_and_the_header_row_repeats(parts):
    for table in body_tables(parts["word/document.xml"]):
        rows = table.findall("w:tr", NS)
        assert all(row.find("w:trPr/w:cantSplit", NS) is not None for row in rows)
        assert rows[0].find("w:trPr/w:tblHeader", NS) is not None
        order = [etree.QName(child).localname for child in rows[0].find("w:trPr", NS)]
        assert order.index("cantSplit") < order.index("tblHeader")  # the schema's order


def test_the_title_block_keeps_its_own_borderless_table(parts):
    row = next(t for t in parts["word/document.xml"].iter(w("tbl"))
               if t.find("w:tblPr/w:tblStyle", NS).get(w("val")) == "TitleBlockTable")
    assert row.find("w:tblPr/w:tblLayout", NS) is not None
    assert row.find("w:tr/w:trPr/w:cantSplit", NS) is None  # left as it was written
    border = style_of(parts["word/styles.xml"], "TitleBlockTable").find("w:tblPr/w:tblBorders/w:top", NS)
    assert border.get(w("val")) == "nil"


def test_column_widths_follow_typst_auto_columns():
    # Fits: the natural widths, widened in proportion to the whole width.
    assert column_widths([10, 30], [5, 5], 80) == [20, 60]
    # Too wide: the narrow column keeps its width, the wide ones share the rest equally.
    assert column_widths([20, 300, 500], [10, 10, 10], 420) == [20, 200, 200]
    # No column narrower than its longest word, when the table can give it that.
    widths = column_widths([20, 400, 400, 400], [60, 10, 10, 10], 400)
    assert widths[0] == pytest.approx(60) and sum(widths) == pytest.approx(400)
    assert widths[1] == widths[2] == widths[3]


# --- the table of contents ----------------------------------------------------------------

def _text(paragraph) -> str:
    return "".join(t.text or "" for t in paragraph.iter(w("t")))


def test_toc_has_a_cached_result_listing_every_level_1_and_2_heading(parts, lang):
    document = parts["word/document.xml"]
    sdt = next(s for s in document.iter(w("sdt"))
               if s.find(".//w:docPartGallery", NS).get(w("val")) == "Table of Contents")
    paragraphs = sdt.findall("w:sdtContent/w:p", NS)
    assert _text(paragraphs[0]) == TOC_TITLE[lang]
    assert not [c for c in document.iter(w("fldChar")) if c.get(w("dirty"))]
    kinds = [c.get(w("fldCharType")) for c in sdt.iter(w("fldChar"))]
    assert kinds == ["begin", "separate", "end"]
    instruction = "".join(i.text for i in sdt.iter(w("instrText")))
    assert re.search(r'TOC \\o "1-2" \\h', instruction)
    entries = [(p.find("w:pPr/w:pStyle", NS).get(w("val")), _text(p), p.find("w:hyperlink", NS))
               for p in paragraphs[1:]]
    in_sdt = set(sdt.iter(w("p")))
    levels = {"Heading1": "TOC1", "AnnexHeading": "TOC1", "Heading2": "TOC2"}
    headings = [(levels[s.get(w("val"))], _text(p)) for p in document.iter(w("p")) if p not in in_sdt
                for s in p.findall("w:pPr/w:pStyle", NS) if s.get(w("val")) in levels]
    assert len(headings) > 20
    assert [(style, text) for style, text, _ in entries] == headings
    bookmarks = {b.get(w("name")) for b in document.iter(w("bookmarkStart"))}
    for _, text, link in entries:
        assert link is not None and link.get(w("anchor")) in bookmarks, text
    assert any(text.startswith(("Annex II", "Annexe II")) for _, text, _ in entries)


def test_word_is_not_asked_to_update_fields_on_opening(report_dir, output_name, lang):
    with zipfile.ZipFile(report_dir / f"{output_name}-{lang}.docx") as z:
        assert b"updateFields" not in z.read("word/settings.xml")


# --- properties and names in the document's language ---------------------------------------

def test_docx_properties_are_in_the_document_language(parts, lang, report_meta):
    core = parts["docProps/core.xml"]
    assert core.findtext("dc:title", namespaces=NS) == report_meta["title"][lang]
    assert core.findtext("dc:creator", namespaces=NS) == AUTHOR[lang]
    assert core.findtext("dc:subject", namespaces=NS) == report_meta["subtitle"][lang]
    assert core.findtext("dc:language", namespaces=NS) == LOCALE[lang]


def test_pdf_properties_are_in_the_document_language(report_dir, output_name, lang, report_meta):
    reader = pypdf.PdfReader(str(report_dir / f"{output_name}-{lang}.pdf"))
    assert reader.metadata.title == report_meta["title"][lang]
    assert reader.metadata.author == AUTHOR[lang]
    assert reader.metadata.subject == report_meta["subtitle"][lang]
    assert reader.trailer["/Root"]["/Lang"] == LOCALE[lang]


def test_the_wco_is_cited_in_the_document_language(parts, lang, report_dir, output_name):
    text = "".join(parts["word/document.xml"].itertext()).replace("\u00a0", " ").replace("\u202f", " ")
    pdf = " ".join(page.extract_text() for page in pypdf.PdfReader(
        str(report_dir / f"{output_name}-{lang}.pdf")).pages).replace("\u00a0", " ").replace("\u202f", " ")
    for output in (text, re.sub(r"\s+", " ", pdf)):
        assert re.search(rf"\({AUTHOR[lang]} 2025, para\. \d+\)", output)
        if lang == "fr":
            assert "World Customs Organization 20" not in output
            assert "Organisation mondiale du commerce" in output  # a co-author's name, too


# --- LibreOffice ---------------------------------------------------------------------------

@pytest.mark.slow
def test_libreoffice_pdf_of_the_docx_has_about_our_pdf_page_count(report_dir, output_name, lang, tmp_path,
                                                                  require_tool):
    """As a colleague would print it: LibreOffice, with the fonts the report is set in (Times
    New Roman, whose metric twin Liberation Serif we ship: the test machine may have neither)."""
    soffice = require_tool("soffice")
    fonts = REPO_ROOT / "src" / "wcoreport" / "report" / "fonts"
    config = tmp_path / "fonts.conf"
    config.write_text('<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
                      '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
                      f"<dir>{fonts}</dir><cachedir>{tmp_path / 'fc'}</cachedir></fontconfig>", "utf-8")
    source = report_dir / f"{output_name}-{lang}.docx"
    proc = subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
                           "--convert-to", "pdf", "--outdir", str(tmp_path / "out"), str(source)],
                          capture_output=True, text=True, timeout=300,
                          env={**os.environ, "FONTCONFIG_FILE": str(config)})
    printed = tmp_path / "out" / f"{output_name}-{lang}.pdf"
    assert proc.returncode == 0 and printed.is_file(), proc.stderr
    theirs = len(pypdf.PdfReader(str(printed)).pages)
    ours = len(pypdf.PdfReader(str(report_dir / f"{output_name}-{lang}.pdf")).pages)
    assert abs(theirs - ours) <= 0.15 * ours, (theirs, ours)
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(str(printed)).pages[:3])
    assert TOC_TITLE[lang] in text
    # The TOC shows its entries: the first chapter's title right under its title.
    after = text.split(TOC_TITLE[lang], 1)[1]
    assert re.match(r"\s*I\. Introduction", after), after[:80]


def _synthetic(body: str):
    return etree.fromstring(f'<w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>')


TOC_SDT = ('<w:sdt><w:sdtPr><w:docPartObj><w:docPartGallery w:val="Table of Contents"/></w:docPartObj></w:sdtPr>'
           '<w:sdtContent><w:p><w:r><w:t>Contents</w:t></w:r></w:p><w:p><w:r><w:fldChar w:fldCharType="begin"/>'
           '<w:instrText>TOC \\o "1-2" \\h \\z \\u</w:instrText><w:fldChar w:fldCharType="separate"/>'
           '<w:fldChar w:fldCharType="end"/></w:r></w:p></w:sdtContent></w:sdt>')
STYLES = (f'<w:styles xmlns:w="{W}"><w:style w:type="paragraph" w:styleId="Heading1"><w:pPr><w:outlineLvl w:val="0"/>'
          '</w:pPr></w:style><w:style w:type="paragraph" w:styleId="Heading3"><w:pPr><w:outlineLvl w:val="2"/></w:pPr>'
          '</w:style><w:style w:type="paragraph" w:styleId="Mine"><w:basedOn w:val="Heading1"/></w:style></w:styles>')


def test_toc_of_headings_without_a_bookmark_and_of_none():
    from wcoreport.report.docx_toc import fill_toc

    document = _synthetic(
        TOC_SDT + '<w:bookmarkStart w:id="7" w:name="wco_src_1"/>'
        '<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>One &amp; &lt;two&gt;</w:t></w:r></w:p>'
        '<w:bookmarkEnd w:id="7"/><w:p><w:pPr><w:pStyle w:val="Heading3"/></w:pPr><w:r><w:t>Deep</w:t></w:r></w:p>'
        '<w:p><w:pPr><w:pStyle w:val="Mine"/></w:pPr><w:r><w:t>Based on a heading</w:t></w:r></w:p>')
    assert fill_toc(document, etree.fromstring(STYLES)) == 2
    sdt = document.find(".//w:sdt", NS)
    links = sdt.findall(".//w:hyperlink", NS)
    assert ["".join(link.itertext()) for link in links] == ["One & <two>", "Based on a heading"]
    names = {b.get(w("name")): b.get(w("id")) for b in document.iter(w("bookmarkStart"))}
    for link in links:
        anchor = link.get(w("anchor"))
        assert anchor in names and not anchor.startswith("wco_src_")
    assert len(set(names.values())) == len(names)  # bookmark ids stay unique
    assert [c.get(w("fldCharType")) for c in sdt.iter(w("fldChar"))] == ["begin", "separate", "end"]

    empty = _synthetic(TOC_SDT + "<w:p><w:r><w:t>No heading</w:t></w:r></w:p>")
    assert fill_toc(empty, etree.fromstring(STYLES)) == 0
    assert [c.get(w("fldCharType")) for c in empty.iter(w("fldChar"))] == ["begin", "separate", "end"]
