"""The PDF report of each language (pandoc -> Typst), read with pypdf and poppler from one real build."""

from __future__ import annotations

import re
import subprocess

import docx
import pypdf
import pytest

from conftest import LEAKS

LANGS = ("en", "fr")


@pytest.fixture(scope="module", params=LANGS)
def lang(request) -> str:
    return request.param


@pytest.fixture(scope="module")
def pdf_path(report_dir, output_name, lang):
    path = report_dir / f"{output_name}-{lang}.pdf"
    assert path.is_file(), f"{path} was not built"
    return path


@pytest.fixture(scope="module")
def reader(pdf_path) -> pypdf.PdfReader:
    return pypdf.PdfReader(str(pdf_path))


@pytest.fixture(scope="module")
def pdf_text(reader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def flat(text: str) -> str:
    """One line, no hyphenation points, straight apostrophes, ordinary spaces: comparable text."""
    text = text.replace("\u00ad\n", "").replace("\u00ad", "").replace("\u2019", "'")
    return re.sub(r"[\s\u00a0\u202f]+", " ", text).strip()


def test_title_from_report_yml(pdf_text, report_meta, lang):
    assert flat(report_meta["title"][lang]).upper() in flat(pdf_text).upper()
    assert flat(report_meta["subtitle"][lang]) in flat(pdf_text)
    assert report_meta["code"][lang] in pdf_text


def test_metadata_title(reader, report_meta, lang):
    assert reader.metadata is not None
    assert reader.metadata.title == report_meta["title"][lang]


def test_pages_are_a4(reader):
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(width - 595.28) < 1 and abs(height - 841.89) < 1, (width, height)


def test_numbered_paragraphs_in_order(pdf_text, report_dir, output_name, lang):
    """Each numbered paragraph of the DOCX starts a line of the PDF with the same number, in order."""
    document = docx.Document(str(report_dir / f"{output_name}-{lang}.docx"))
    numbered = [p.text for p in document.paragraphs if p.style.name == "Numbered Paragraph"]
    assert len(numbered) > 20
    lines = [flat(line) for line in pdf_text.split("\n")]
    position = -1
    for text in numbered:
        number, body = text.split("\t", 1)
        start = f"{number} " + " ".join(flat(body).split(" ")[:2])
        following = [i for i in range(position + 1, len(lines)) if lines[i].startswith(start)]
        assert following, f"paragraph {start!r} not found after line {position} of the PDF"
        position = following[0]


def test_french_accents_intact(report_dir, output_name):
    text = flat("\n".join(p.extract_text() for p in
                          pypdf.PdfReader(str(report_dir / f"{output_name}-fr.pdf")).pages))
    for phrase in ("Comité technique permanent", "Étude de cas", "Références", "Méthodologie",
                   "Chaîne de blocs", "mise en œuvre"):
        assert phrase.lower() in text.lower(), phrase


def test_no_markup_leaks(pdf_text, bib_keys):
    assert not [m for m in LEAKS if m in pdf_text]
    assert not [k for k in bib_keys if f"@{k}" in pdf_text]


def test_fonts_embedded_pypdf(reader):
    """Every font the pages use carries its font program (no font left to the reader's system)."""
    seen = 0
    for page in reader.pages:
        fonts = (page.get("/Resources") or {}).get("/Font") or {}
        for ref in fonts.values():
            font = ref.get_object()
            descendants = font.get("/DescendantFonts")
            target = descendants[0].get_object() if descendants else font
            descriptor = target.get("/FontDescriptor")
            if descriptor is None:
                continue  # Type 3 fonts have no descriptor: their glyphs are in the file
            descriptor = descriptor.get_object()
            seen += 1
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), \
                font.get("/BaseFont")
    assert seen


def test_fonts_embedded_pdffonts(pdf_path, require_tool):
    pdffonts = require_tool("pdffonts")
    out = subprocess.run([pdffonts, str(pdf_path)], capture_output=True, text=True, check=True).stdout
    rows = out.splitlines()[2:]
    assert rows, out
    for row in rows:
        # name type... encoding emb sub uni object ID: read from the right, names may hold spaces.
        emb = row.split()[-5]
        assert emb == "yes", row


def test_pdftotext_reads_the_french_text(report_dir, output_name, require_tool):
    """A second reader (poppler) gets the same accented text: the fonts map glyphs to Unicode."""
    pdftotext = require_tool("pdftotext")
    out = subprocess.run([pdftotext, str(report_dir / f"{output_name}-fr.pdf"), "-"],
                         capture_output=True, text=True, check=True).stdout
    assert "Comité technique permanent" in out
    assert "Étude de cas" in out


def test_typst_written_by_chapters_is_pandocs_whole(tmp_path, copy_repo, monkeypatch):
    """to_typst has pandoc write each chapter alone (a rebuild writes only the changed one)
    and joins them: the text must be what pandoc writes from the whole report at once, also
    where a chapter ends in a list, a note, a table or a quotation."""
    from wcoreport.markdown.document import document
    from wcoreport.markdown.gate import check_project
    from wcoreport.markdown.pandoc_ast import to_json, words_joined
    from wcoreport.pipeline.pandoc import run_pandoc
    from wcoreport.sources.project import load_project
    from wcoreport.report import build

    monkeypatch.setenv("WCOREPORT_NO_CACHE", "1")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    root = copy_repo(tmp_path / "repo")
    endings = ["- a list item\n- the last item[^n]\n\n[^n]: A note at the end.\n",
               "| A | B |\n|---|---|\n| 1 | 2 |\n",
               "> A quotation that ends the chapter.\n"]
    pages = sorted((root / "docs" / "en").glob("*.md"))
    for page, ending in zip([p for p in pages if p.name not in ("index.md",)], endings):
        page.write_text(page.read_text("utf-8").rstrip("\n") + "\n\n" + ending, "utf-8")
    project = load_project(root)
    analysis = check_project(project, parity=None)
    assert not project.problems.errors, project.problems.errors
    for lang in project.languages:
        doc = build.report_document(project, analysis, lang, document(project, analysis, lang))
        by_chapters = build.to_typst(project, lang, doc)
        rendered = build.render_styled_blocks(build._charts(project, lang, doc, "typst"), "typst")
        locale = project.locale(lang)
        region = locale.split("-")[1] if "-" in locale else ""
        args = ["-f", "json", "-t", "typst-citations", f"--template={build._resource('templates/wco.typst')}",
                "-V", f"lang={lang}", "-V", f"region={region}"]
        whole = run_pandoc(args, to_json(words_joined(rendered, whole_runs=False))).decode("utf-8")
        assert len(build._chapters(rendered["blocks"])) > 5  # (written by chapters indeed)
        assert by_chapters == whole, lang
        # pandoc is given each word with the space after it (words_joined): other line ends,
        # a few more escapes, and the same PDF as from the tree as it was.
        as_it_was = run_pandoc(args, to_json(rendered)).decode("utf-8")
        assert as_it_was != whole
        pdfs = []
        for source in (whole, as_it_was):
            build.write_pdf(project, lang, source, tmp_path / f"{lang}.pdf")
            pdfs.append((tmp_path / f"{lang}.pdf").read_bytes())
        assert pdfs[0] == pdfs[1], lang
