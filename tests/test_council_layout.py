"""The WCO working-document layout of the DOCX and PDF, in both languages (issue "Council-ready
documents").

Most tests read the example document `examples/pc0790` (the seed document PC0790, French
original and English translation), built once per session through the command line; the
annex tests read the Study Report's own build. The expected numbering is derived from the
Markdown sources, so a number skipped, repeated or given to a heading or list item fails.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import docx
import pypdf
import pytest
from docx.oxml.ns import qn

from conftest import REPO_ROOT, nav_pages, run_build

EXAMPLE = REPO_ROOT / "examples" / "pc0790"
EXAMPLE_NAME = "pc0790-smart-customs-update"
CHAPTERS = ("introduction.md", "developments.md", "action.md")
LANGS = ("en", "fr")
FONT = "Times New Roman"  # in the DOCX; the PDF embeds its metric twin, Liberation Serif

EXPECTED = {
    "fr": {
        "code": "PC0790Fa",
        "committee": "Comité technique permanent",
        "sessions": "249e/250e sessions",
        "superscripts": ["e", "e"],
        "meeting": "Du 28 au 30 octobre 2025",
        "date": "Bruxelles, le 12 septembre 2025",
        "title": "Technologies de rupture et projet sur les Douanes intelligentes",
        "subtitle": "Mise à jour concernant le projet Douanes intelligentes",
        "agenda": "(Point IV.a de l'Ordre du jour)",
        "summary": ("SYNTHÈSE", "Objet du document", "Mesure requise de la part du Comité technique permanent"),
        "sections": ["I. Introduction", "II. Principales évolutions du projet Douanes intelligentes",
                     "III. Mesure requise de la part du Comité technique permanent"],
        "letters": ["mise à jour du Rapport", "mise au point", "publication d'un article",
                    "développement d'un Portail", "réalisation d'une étude"],
    },
    "en": {
        "code": "PC0790Ea",
        "committee": "Permanent Technical Committee",
        "sessions": "249th/250th Sessions",
        "superscripts": ["th", "th"],
        "meeting": "28 to 30 October 2025",
        "date": "Brussels, 12 September 2025",
        "title": "Disruptive technologies and Smart Customs project",
        "subtitle": "Update on the Smart Customs project",
        "agenda": "(Item IV.a on the Agenda)",
        "summary": ("SUMMARY", "Purpose of the document", "Action required"),
        "sections": ["I. Introduction", "II. Key developments of the Smart Customs project",
                     "III. Action required by the Permanent Technical Committee"],
        "letters": ["update of the WCO", "development of comprehensive", "publication of a research",
                    "development of a Community", "a survey and analysis"],
    },
}


def plain(text: str) -> str:
    """Comparable text: straight apostrophes, ordinary spaces, no soft hyphens, one line."""
    text = text.replace("\u2019", "'").replace("\u00ad\n", "").replace("\u00ad", "-")
    return re.sub(r"[\s\u00a0\u202f]+", " ", text).strip()


def source_paragraphs(root: Path, lang: str, chapters=CHAPTERS) -> list[str]:
    """The body paragraphs of the Markdown sources, in order: what must be numbered 1..N.
    Headings, list items (- or a)), admonitions and their indented text are not paragraphs."""
    found = []
    for name in chapters:
        text = (root / "docs" / lang / name).read_text("utf-8")
        body = re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.S)
        for block in re.split(r"\n\s*\n", body):
            first = block.split("\n")[0]
            if not block.strip() or re.match(r"^(#|- |[a-z]\) |!!!| {4}|\||:::|Table: )", first):
                continue
            found.append(plain(re.sub(r"[<>]", "", block)))
    return found


def build_example(out: Path, *args: str, root: Path = EXAMPLE) -> Path:
    proc = run_build("report", "--root", str(root), "--out", str(out), *args)
    assert proc.returncode == 0, f"the example did not build ({proc.returncode}):\n{proc.stderr}\n{proc.stdout}"
    return out / "report"


@pytest.fixture(scope="session")
def example_dir(tmp_path_factory) -> Path:
    return build_example(tmp_path_factory.mktemp("pc0790"))


@pytest.fixture(scope="module", params=LANGS)
def lang(request) -> str:
    return request.param


@pytest.fixture(scope="module")
def expected(lang) -> dict:
    return EXPECTED[lang]


@pytest.fixture(scope="module")
def document(example_dir, lang):
    return docx.Document(str(example_dir / f"{EXAMPLE_NAME}-{lang}.docx"))


@pytest.fixture(scope="module")
def pdf_text(example_dir, lang) -> str:
    reader = pypdf.PdfReader(str(example_dir / f"{EXAMPLE_NAME}-{lang}.pdf"))
    return "\n".join(page.extract_text() for page in reader.pages)


def styled(document, style: str) -> list[str]:
    return [plain(p.text) for p in document.paragraphs if p.style.name == style]


# --- 1. Header block and summary -------------------------------------------------------------

def test_docx_header_row_is_a_borderless_two_column_table(document, expected):
    table = document.tables[0]
    assert table.style.name == "Title Block Table"
    borders = table.style.element.find(qn("w:tblPr")).find(qn("w:tblBorders"))
    assert {edge.get(qn("w:val")) for edge in borders} == {"nil"}
    assert len(table.rows) == 1 and len(table.columns) == 2
    left, right = table.rows[0].cells
    assert [(p.style.name, plain(p.text)) for p in left.paragraphs] == [
        ("Committee", expected["committee"]), ("Sessions", expected["sessions"]),
        ("Meeting Dates", expected["meeting"])]
    assert [(p.style.name, plain(p.text)) for p in right.paragraphs] == [
        ("Document Code", expected["code"]), ("Document Date", expected["date"])]
    sessions = left.paragraphs[1]
    assert [r.text for r in sessions.runs if r.font.superscript] == expected["superscripts"]
    # Committee and title are set in capitals by their styles, not by retyping the text.
    assert document.styles["Committee"].font.all_caps and document.styles["Document Title"].font.all_caps


def test_docx_title_block_around_the_row(document, expected):
    body = [(p.style.name, plain(p.text)) for p in document.paragraphs]
    masthead = [t for s, t in body if s == "Masthead"]
    assert masthead[0] == "WORLD CUSTOMS ORGANIZATION — ORGANISATION MONDIALE DES DOUANES"
    assert ("Document Title", expected["title"]) in body
    assert ("Document Subtitle", expected["subtitle"]) in body
    assert ("Agenda Item", expected["agenda"]) in body
    assert not [t for s, t in body if s in ("Title", "Draft Notice")]  # final, and no pandoc title
    # The masthead comes before the row (the first table), the title after it.
    xml = document.element.body.xml
    assert xml.index("ORGANISATION MONDIALE") < xml.index("<w:tbl>") < xml.index(expected["subtitle"])


def test_docx_core_title(document, expected):
    assert document.core_properties.title == expected["title"]


def test_docx_summary_block(document, expected):
    heading, purpose, action = expected["summary"]
    body = [(p.style.name, plain(p.text)) for p in document.paragraphs]
    start = body.index(("Summary Heading", heading))
    block = body[start:start + 7]
    assert [s for s, _ in block] == ["Summary Heading", "Summary Label", "Summary", "Summary",
                                     "Summary Label", "Summary", "Summary End"]
    assert block[1][1] == purpose and block[4][1] == action
    assert block[2][1].startswith(("Le projet Douanes intelligentes", "The WCO Smart Customs project"))
    # Set apart: before the first section, with rules above and below.
    assert start < body.index(("Heading 1", expected["sections"][0]))
    for name in ("Summary Heading", "Summary End"):
        assert document.styles[name].element.find(qn("w:pPr")).find(qn("w:pBdr")) is not None


def test_pdf_title_block_and_summary_in_reading_order(pdf_text, expected):
    text = plain(pdf_text)
    heading, purpose, action = expected["summary"]
    order = ["ORGANISATION MONDIALE DES DOUANES", expected["committee"].upper(), expected["sessions"],
             expected["meeting"], expected["code"], expected["date"], expected["title"].upper(),
             expected["subtitle"], expected["agenda"], heading, purpose, action, expected["sections"][0]]
    positions = [text.find(part) for part in order]
    assert -1 not in positions, [p for p, i in zip(order, positions) if i == -1]
    assert positions == sorted(positions)


def test_pdf_header_row_is_one_row(example_dir, lang, expected, require_tool):
    """Committee and code on one line, sessions and date on the next (pdftotext -layout)."""
    require_tool("pdftotext")
    layout = subprocess.run(["pdftotext", "-layout", "-l", "1", str(example_dir / f"{EXAMPLE_NAME}-{lang}.pdf"),
                             "-"], capture_output=True, text=True, check=True).stdout
    lines = [plain(line) for line in layout.splitlines()]
    row = next(i for i, line in enumerate(lines) if expected["committee"].upper() in line)
    assert expected["code"] in lines[row]
    assert expected["sessions"] in lines[row + 1] and expected["date"] in lines[row + 1]


def test_pdf_metadata_title_language_and_tags(example_dir, lang, expected, require_tool):
    path = example_dir / f"{EXAMPLE_NAME}-{lang}.pdf"
    reader = pypdf.PdfReader(str(path))
    assert reader.metadata.title == expected["title"]
    root = reader.trailer["/Root"]
    assert root["/Lang"] == {"en": "en-GB", "fr": "fr-FR"}[lang]
    assert bool(root["/MarkInfo"]["/Marked"]) and "/StructTreeRoot" in root
    xmp = root["/Metadata"].get_object().get_data().decode("utf-8")
    assert re.search(r"<pdfuaid:part>1</pdfuaid:part>|pdfuaid:part=\"1\"", xmp)  # PDF/UA-1, checked by Typst
    require_tool("pdfinfo")
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    assert re.search(r"^Tagged:\s+yes$", info, re.M)
    assert re.search(r"^Page size:\s+595\.\d+ x 841\.\d+", info, re.M)


# --- 2. Numbering ----------------------------------------------------------------------------

def test_docx_sections_in_roman_numerals(document, expected):
    assert styled(document, "Heading 1") == expected["sections"]


def test_docx_paragraphs_numbered_1_to_25_as_in_the_original(document, lang):
    sources = source_paragraphs(EXAMPLE, lang)
    assert len(sources) == 25  # the seed document's paragraphs
    numbered = [p.text for p in document.paragraphs if p.style.name == "Numbered Paragraph"]
    found = []
    for text in numbered:
        m = re.match(r"^(\d+)\.\t(.*)$", text, re.S)
        assert m, f"a numbered paragraph without its number: {text[:60]!r}"
        found.append((int(m.group(1)), plain(m.group(2))))
    assert [n for n, _ in found] == list(range(1, 26))
    # Each number belongs to the source paragraph of the same rank (none skipped or doubled).
    for (number, text), source in zip(found, sources):
        assert text[:40] == source[:40], number
    # Nothing else carries a paragraph number: headings, list items, summary, admonitions.
    others = [p.text for p in document.paragraphs if p.style.name != "Numbered Paragraph"]
    assert not [t for t in others if re.match(r"^\d+\.\t", t)]


def test_pdf_paragraphs_numbered_in_reading_order(pdf_text, lang):
    sources = source_paragraphs(EXAMPLE, lang)
    numbers = [int(n) for n in re.findall(r"(?m)^(\d{1,3})\. ", pdf_text)]
    assert numbers == list(range(1, 26))
    text = plain(pdf_text)
    last = -1
    for number, source in enumerate(sources, start=1):
        at = text.find(f"{number}. {source[:30]}")
        assert at > last, f"paragraph {number} is missing or out of order: {source[:30]!r}"
        last = at


def test_pdf_sections_in_roman_numerals(pdf_text, expected):
    lines = [plain(line) for line in pdf_text.splitlines()]
    headings = [line for line in lines if re.match(r"^[IVX]+\. ", line)]
    assert [h.split(" ", 1)[0] for h in headings] == ["I.", "II.", "III."]
    for heading, want in zip(headings, expected["sections"]):
        assert want.startswith(heading)


def lettered_items(document) -> list[tuple[str, str, str]]:
    """(numFmt, lvlText, text) of each paragraph of the document that is a list item."""
    numbering = document.part.numbering_part.element
    items = []
    for p in document.paragraphs:
        numpr = p._p.pPr.numPr if p._p.pPr is not None else None
        if numpr is None or numpr.numId is None:
            continue
        num = next(n for n in numbering.findall(qn("w:num")) if n.get(qn("w:numId")) == str(numpr.numId.val))
        abstract_id = num.find(qn("w:abstractNumId")).get(qn("w:val"))
        abstract = next(a for a in numbering.findall(qn("w:abstractNum"))
                        if a.get(qn("w:abstractNumId")) == abstract_id)
        level = abstract.find(qn("w:lvl"))
        items.append((level.find(qn("w:numFmt")).get(qn("w:val")), level.find(qn("w:lvlText")).get(qn("w:val")),
                      plain(p.text)))
    return items


def test_docx_lettered_list_a_to_e(document, expected):
    items = [item for item in lettered_items(document) if item[0] == "lowerLetter"]
    assert len(items) == 5
    assert {(fmt, text) for fmt, text, _ in items} == {("lowerLetter", "%1)")}
    for (_, _, text), start in zip(items, expected["letters"]):
        assert text.startswith(start)
    # The list follows paragraph 2 and precedes paragraph 3.
    texts = [p.text for p in document.paragraphs]
    first = next(i for i, t in enumerate(texts) if plain(t).startswith(expected["letters"][0]))
    assert texts[first - 1].startswith("2.\t") and texts[first + 5].startswith("3.\t")


def test_pdf_lettered_list_a_to_e(pdf_text, expected):
    lines = [plain(line) for line in pdf_text.splitlines()]
    items = [line for line in lines if re.match(r"^[a-z]\) ", line)]
    assert [line[:2] for line in items] == ["a)", "b)", "c)", "d)", "e)"]
    for line, start in zip(items, expected["letters"]):
        assert line[3:].startswith(start)


def run_filter(name: str) -> str:
    """The numbering pass `name` (report/numbering.py, once a Lua filter) on its golden input."""
    import json

    import pypandoc

    from wcoreport.report import numbering

    source = REPO_ROOT / "tests" / "filters" / f"{name}.input.md"
    doc = json.loads(pypandoc.convert_file(str(source), "json", format="markdown"))
    return pypandoc.convert_text(json.dumps(getattr(numbering, name)(doc)), "native", format="json")


def test_number_sections_filter_golden():
    expected = (REPO_ROOT / "tests" / "filters" / "number_sections.expected.native").read_text("utf-8")
    output = run_filter("number_sections")
    assert output.strip() == expected.strip()
    numbers = re.findall(r'Str "([IVX]+)\."', output)
    assert numbers == ["I", "II", "III"]  # not the sub-section, the Div's heading, .unnumbered or the annex


# --- 3. Annexes (the Study Report's own build) -------------------------------------------------

def annex_titles(lang: str) -> list[str]:
    names = nav_pages(REPO_ROOT)
    titles = []
    for name in names:
        source = (REPO_ROOT / "docs" / lang / name).read_text("utf-8")
        if re.search(r"^annex:\s*true\s*$", source, re.M):
            titles.append(plain(re.search(r"^#\s+(.+?)(?:\s+\{[^}]*\})?\s*$", source, re.M).group(1)))
    return titles


@pytest.fixture(scope="module")
def report_docx(report_dir, output_name, lang):
    return docx.Document(str(report_dir / f"{output_name}-{lang}.docx"))


def test_docx_annexes_have_their_own_heading_style(report_docx, lang):
    titles = annex_titles(lang)
    assert titles and all(re.match(r"^Annexe? [IVX]+ ", t) for t in titles)
    assert styled(report_docx, "Annex Heading") == titles
    style = report_docx.styles["Annex Heading"]
    ppr = style.element.find(qn("w:pPr"))
    assert ppr.find(qn("w:outlineLvl")).get(qn("w:val")) == "0"  # listed in the TOC (\u)
    assert style.paragraph_format.page_break_before is True  # each annex on a new page
    assert "\\u" in report_docx.element.body.xml.split("TOC \\o")[1][:40]
    # Annex text is not numbered; the sections before the annexes are, I. to N.
    names = [p.style.name for p in report_docx.paragraphs]
    first_annex = names.index("Annex Heading")
    assert "Numbered Paragraph" not in names[first_annex:]
    assert "Heading 1" not in names[first_annex:]
    sections = styled(report_docx, "Heading 1")
    assert [s.split(".")[0] for s in sections] == [roman(n) for n in range(1, len(sections) + 1)]


def test_docx_numbers_only_body_paragraphs(report_docx):
    for p in report_docx.paragraphs:
        if p.style.name in ("Case Study", "Case Study Title", "Admonition", "Admonition Title", "Compact",
                            "Summary", "Bibliography", "Footnote Text", "Block Text"):
            assert not re.match(r"^\d+\.\t", p.text), (p.style.name, p.text[:50])


def roman(n: int) -> str:
    out = ""
    for value, letters in ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out, n = out + letters, n - value
    return out


def test_pdf_each_annex_starts_a_page(report_dir, output_name, lang):
    reader = pypdf.PdfReader(str(report_dir / f"{output_name}-{lang}.pdf"))
    pages = [[plain(line) for line in page.extract_text().splitlines() if line.strip()] for page in reader.pages]
    for title in annex_titles(lang):
        page = next((lines for lines in pages if any(title in line for line in lines[:4])), None)
        assert page is not None, f"{title!r} does not open a page"
        # Above it, at most the running header (the document code).
        above = page[:next(i for i, line in enumerate(page) if title in line)]
        assert all(re.fullmatch(r"[A-Z]{2}\d{4}[EF]\d?[a-z]?", line) for line in above), above


# --- 5. Named styles, fonts; LibreOffice opens the DOCX ----------------------------------------

def all_paragraphs(document):
    yield from document.paragraphs
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                yield from cell.paragraphs


def test_docx_every_paragraph_has_a_named_style_with_our_font(document):
    for p in all_paragraphs(document):
        if not p.text.strip():
            continue
        assert p.style.name not in ("Normal", "Default Paragraph Font"), p.text[:50]
        style, font = p.style, None
        while style is not None and font is None:
            font = style.font.name
            style = style.base_style
        assert font == FONT, (p.style.name, font)


def test_libreoffice_opens_and_renders_the_docx(example_dir, lang, expected, tmp_path, require_tool):
    soffice = require_tool("soffice")
    require_tool("pdftotext")
    source = example_dir / f"{EXAMPLE_NAME}-{lang}.docx"
    proc = subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
                           "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
                          capture_output=True, text=True, timeout=180)
    pdf = tmp_path / f"{EXAMPLE_NAME}-{lang}.pdf"
    assert proc.returncode == 0 and pdf.is_file(), proc.stderr
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = plain(text)
    for part in (expected["code"], expected["date"], expected["subtitle"], expected["summary"][0],
                 *expected["sections"]):
        assert part in flat, part
    numbers = [int(n) for n in re.findall(r"(?m)^(\d{1,3})\.\s", text)]
    assert numbers == list(range(1, 26))
    assert re.findall(r"(?m)^([a-e])\)", text) == ["a", "b", "c", "d", "e"]


# --- 6. French typography in the title block and the summary ---------------------------------

def test_french_spacing_in_title_block_and_summary(tmp_path):
    root = tmp_path / "pc0790"
    shutil.copytree(EXAMPLE, root)
    meta = (root / "report.yml").read_text("utf-8")
    meta = meta.replace("fr: Technologies de rupture et projet sur les Douanes intelligentes",
                        'fr: "Technologies de rupture : le projet"')
    meta = meta.replace("fr: Le CTP est invité à prendre note",
                        "fr: Le CTP est invité à noter « ceci » pour 73 % ; puis à prendre note")
    (root / "report.yml").write_text(meta, "utf-8")
    out = build_example(tmp_path / "out", "--lang", "fr", root=root)
    document = docx.Document(str(out / f"{EXAMPLE_NAME}-fr.docx"))
    title = [p.text for p in document.paragraphs if p.style.name == "Document Title"][0]
    assert "rupture\u202f: le" in title
    summary = " ".join(p.text for p in document.paragraphs if p.style.name == "Summary")
    assert "«\u202fceci\u202f»" in summary and "73\u00a0%" in summary and "%\u202f; puis" in summary
    pdf = "\n".join(page.extract_text() for page in pypdf.PdfReader(str(out / f"{EXAMPLE_NAME}-fr.pdf")).pages)
    assert re.search("RUPTURE[\u202f\u00a0]: LE", pdf)
    assert re.search("«[\u202f\u00a0]ceci[\u202f\u00a0]»", pdf) and re.search("73[\u00a0\u202f]%", pdf)


# --- 7. The example on the site: the lettered list -------------------------------------------

def test_site_renders_the_lettered_list(xref_build):
    """(The site of the example, from the build of section 4 below.)"""
    for lang, start in (("fr", "mise à jour du Rapport"), ("en", "update of the WCO")):
        page = xref_build / "site" / ("" if lang == "en" else "fr") / "introduction" / "index.html"
        html = page.read_text("utf-8")
        m = re.search(r'<div class="wco-lettered">\s*<ol type="a">(.*?)</ol>', html, re.S)
        assert m, f"no lettered list on {page}"
        items = re.findall(r"<li>(.*?)</li>", m.group(1), re.S)
        assert len(items) == 5 and plain(items[0]).startswith(start)
        assert "a) " not in html.split("<article")[1]  # the markers are the list's, not text


# --- 4. Numbered figures and tables, cross-references ------------------------------------------

XREF_TEXT = {
    "fr": ("Participation des Membres par région", "Taux de participation par région",
           "de manière équilibrée.", "voir @tbl:rates et @fig:participation", "Au 26 août 2025"),
    "en": ("Members' participation by region", "Participation rate by region",
           "in a balanced way.", "see @tbl:rates and @fig:participation", "As of 26 August 2025"),
}


def tiny_png(width: int = 40, height: int = 20) -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + b"\x1f\x3a\x68" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def add_figure_and_table(root: Path) -> None:
    """The seed's chart after paragraph 4 as a figure, a table after paragraph 22, references to
    both at the end of paragraph 22 (same page) and in paragraph 3 (another page)."""
    for lang, (figure, table, end, see, para22) in XREF_TEXT.items():
        docs = root / "docs" / lang
        (docs / "images").mkdir()
        (docs / "images" / "participation.png").write_bytes(tiny_png())
        path = docs / "developments.md"
        text = path.read_text("utf-8")
        after4 = text.index("\n## ", text.index("{#participation}"))
        text = (text[:after4] + f"\n\n![{figure}](images/participation.png){{#fig:participation}}\n"
                + text[after4:])
        start = text.index(para22)
        stop = text.index(end, start) + len(end)
        text = (text[:stop - 1] + f" ({see})." + f"\n\nTable: {table} {{#tbl:rates}}\n\n"
                "| Region | % |\n|---|---|\n| MENA | 38.8 |\n| A/P | 37.1 |\n".replace(".", "," if lang == "fr" else ".")
                + text[stop:])
        path.write_text(text, "utf-8")
        intro = docs / "introduction.md"
        text = intro.read_text("utf-8").rstrip("\n")
        intro.write_text(text[:-1] + " (@fig:participation).\n", "utf-8")


@pytest.fixture(scope="session")
def xref_build(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("xref") / "pc0790"
    shutil.copytree(EXAMPLE, root)
    add_figure_and_table(root)
    # Both languages edited alike: the English records its French original anew (final: true).
    marked = run_build("translated", "docs/en/developments.md", "docs/en/introduction.md", "--root", str(root), cwd=root)
    assert marked.returncode == 0, marked.stderr
    out = root.parent / "out"
    proc = run_build("all", "--root", str(root), "--out", str(out))
    assert proc.returncode == 0, f"{proc.stderr}\n{proc.stdout}"
    return out


CAPTIONS = {"fr": ("Figure 1\u202f: Participation des Membres par région", "Tableau 1\u202f: Taux de participation par région",
                   "(voir Tableau 1 et Figure 1).", "Tableau"),
            "en": ("Figure 1: Members' participation by region", "Table 1: Participation rate by region",
                   "(see Table 1 and Figure 1).", "Table")}


def test_docx_figure_and_table_numbered_and_referenced(xref_build, lang):
    figure, table, refs, _ = CAPTIONS[lang]
    document = docx.Document(str(xref_build / "report" / f"{EXAMPLE_NAME}-{lang}.docx"))
    assert [p.text.replace("\u2019", "'") for p in document.paragraphs if p.style.name == "Image Caption"] == [
        figure.replace("\u2019", "'")]
    assert [p.text for p in document.paragraphs if p.style.name == "Table Caption"] == [table]
    numbered = [p.text for p in document.paragraphs if p.style.name == "Numbered Paragraph"]
    assert [int(t.split(".")[0]) for t in numbered] == list(range(1, 26))  # captions are not paragraphs
    assert numbered[21].endswith(refs) and numbered[2].endswith("(Figure 1).")
    xml = document.element.body.xml
    for ident in ("fig:participation", "tbl:rates"):
        assert f'w:name="{ident}"' in xml and f'w:anchor="{ident}"' in xml  # bookmark and link


def test_pdf_figure_and_table_numbered_once(xref_build, lang):
    figure, table, refs, table_word = CAPTIONS[lang]
    reader = pypdf.PdfReader(str(xref_build / "report" / f"{EXAMPLE_NAME}-{lang}.pdf"))
    text = plain("\n".join(page.extract_text() for page in reader.pages))
    assert plain(figure) in text and plain(table) in text and plain(refs) in text
    # Typst adds no number of its own: each label appears in its caption and its references only.
    assert text.count("Figure 1") == 3 and text.count(f"{table_word} 1") == 2
    assert text.count("Figure 2") == 0
    links = [a.get_object() for page in reader.pages for a in page.get("/Annots", [])]
    assert sum(1 for a in links if a.get("/Subtype") == "/Link" and "/URI" not in a.get("/A", {})) >= 3


def test_site_figure_and_table_numbered_and_linked(xref_build, lang):
    figure, table, _, table_word = CAPTIONS[lang]
    site = xref_build / "site" / ("" if lang == "en" else "fr")
    page = (site / "developments" / "index.html").read_text("utf-8")
    m = re.search(r'<figure id="fig:participation">.*?<img [^>]*src="../images/participation.png"'
                  r'.*?<figcaption>(.*?)</figcaption>', page, re.S)
    assert m and plain(m.group(1).replace("&#x27;", "'").replace("&#39;", "'")) == plain(figure)
    m = re.search(r'<table id="tbl:rates">\s*<caption>(.*?)</caption>', page, re.S)
    assert m and plain(m.group(1)) == plain(table)
    assert f'<a href="#tbl:rates">{table_word} 1</a>' in page
    intro = (site / "introduction" / "index.html").read_text("utf-8")
    assert '<a href="../developments/#fig:participation">Figure 1</a>' in intro
    assert "@fig:" not in page + intro and "{#" not in page


def test_unknown_and_duplicate_ids_are_reported(tmp_path):
    root = tmp_path / "pc0790"
    shutil.copytree(EXAMPLE, root)
    intro = root / "docs" / "fr" / "introduction.md"
    lines = intro.read_text("utf-8").split("\n")
    last = len(lines) - 1
    while not lines[last].strip():
        last -= 1
    lines[last] += " Voir @fig:nulle-part."
    lines += ["", "Table: Un {#tbl:x}", "", "| a |", "|---|", "| 1 |", "", "Table: Deux {#tbl:x}", "",
              "| a |", "|---|", "| 2 |", ""]
    intro.write_text("\n".join(lines), "utf-8")
    proc = run_build("check", "--root", str(root))
    assert proc.returncode == 1
    assert (f"docs/fr/introduction.md:{last + 1}: error: unknown cross-reference '@fig:nulle-part'"
            in proc.stderr), proc.stderr
    first, second = (i + 1 for i, line in enumerate(lines) if line.startswith("Table: "))
    assert (f"docs/fr/introduction.md:{second}: error: the id 'tbl:x' is already used at "
            f"docs/fr/introduction.md:{first}") in proc.stderr
    assert "Traceback" not in proc.stderr


def test_image_without_alt_text_is_refused(tmp_path):
    """PDF/UA needs a text alternative for every image: the source is blamed, not Typst's code."""
    root = tmp_path / "pc0790"
    shutil.copytree(EXAMPLE, root)
    (root / "docs" / "en" / "images").mkdir()
    (root / "docs" / "en" / "images" / "chart.png").write_bytes(tiny_png())
    action = root / "docs" / "en" / "action.md"
    text = action.read_text("utf-8").rstrip("\n") + "\n\n![](images/chart.png)\n"
    action.write_text(text, "utf-8")
    proc = run_build("report", "--root", str(root), "--out", str(tmp_path / "out"))
    line = len(text.rstrip("\n").split("\n"))
    assert proc.returncode == 1
    assert f"docs/en/action.md:{line}: error: an image needs a text alternative" in proc.stderr, proc.stderr
    assert not (tmp_path / "out" / "report").exists()


def test_title_block_words_per_language():
    """The words of the title block, from dates and numbers, written each language's way."""
    import datetime

    from wcoreport.report.layout import date_line, meeting_line, sessions_line, summary_labels

    d = datetime.date
    assert meeting_line(d(2025, 10, 28), d(2025, 10, 30), "fr") == "Du 28 au 30 octobre 2025"
    assert meeting_line(d(2025, 10, 28), d(2025, 10, 30), "en") == "28 to 30 October 2025"
    assert meeting_line(d(2025, 9, 30), d(2025, 10, 2), "fr") == "Du 30 septembre au 2 octobre 2025"
    assert meeting_line(d(2025, 12, 31), d(2026, 1, 1), "fr") == "Du 31 décembre 2025 au 1^er^ janvier 2026"
    assert meeting_line(d(2025, 10, 1), d(2025, 10, 1), "en") == "1 October 2025"
    assert date_line("Bruxelles", d(2026, 3, 1), "fr") == "Bruxelles, le 1^er^ mars 2026"
    assert sessions_line([251, 252], "en") == "251^st^/252^nd^ Sessions"
    assert sessions_line([211], "fr") == "211^e^ session"
    assert summary_labels("Comité technique permanent", "fr")[2] == "Mesure requise de la part du Comité technique permanent"
    assert summary_labels("Commission des finances", "fr")[2] == "Mesure requise de la part de la Commission des finances"
    assert summary_labels("Permanent Technical Committee", "en") == ("SUMMARY", "Purpose of the document", "Action required")
