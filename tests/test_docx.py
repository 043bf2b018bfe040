"""The DOCX report of each language, read with python-docx from one real build."""

from __future__ import annotations

import re
import zipfile

import docx
import pytest
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from conftest import LEAKS, nav_pages

LANGS = ("en", "fr")
REFERENCES_HEADING = {"en": "Annex II — References", "fr": "Annexe II — Références"}


@pytest.fixture(scope="module", params=LANGS)
def lang(request) -> str:
    return request.param


@pytest.fixture(scope="module")
def document(report_dir, output_name, lang):
    path = report_dir / f"{output_name}-{lang}.docx"
    assert path.is_file(), f"{path} was not built"
    return docx.Document(str(path))


def paragraphs(document) -> list[Paragraph]:
    """Every paragraph of the body in reading order, those in tables (the title block) included."""
    return [Paragraph(p, document._body) for p in document.element.body.iter(qn("w:p"))]


def styled(document, style: str) -> list[str]:
    return [p.text for p in paragraphs(document) if p.style is not None and p.style.name == style]


def heading_title(text: str) -> str:
    """A chapter heading without its section number ("III. Blockchain" -> "Blockchain")."""
    return re.sub(r"^[IVXLC]+\.\s+", "", text)


def chapter_titles(repo_root, lang) -> list[tuple[str, bool]]:
    """(title, is_annex) of each report chapter, in nav order (pages with report: false left out)."""
    nav = nav_pages(repo_root)
    titles = []
    for name in nav:
        source = (repo_root / "docs" / lang / name).read_text("utf-8")
        if re.search(r"^report:\s*false\s*$", source, re.M):
            continue
        m = re.search(r"^#\s+(.+?)(?:\s+\{[^}]*\})?\s*$", source, re.M)
        titles.append((m.group(1), bool(re.search(r"^annex:\s*true\s*$", source, re.M))))
    return titles


# Annex headings may have a style of their own; they are level-1 headings all the same.
LEVEL_1 = ("Heading 1", "Annex Heading")


def plain(text: str) -> str:
    """Compare text across outputs: pandoc makes quotes typographic, French gets no-break spaces."""
    return (text.replace("\u2019", "'").replace("\u202f", " ").replace("\u00a0", " ")
            .replace("\u201c", '"').replace("\u201d", '"'))


def test_chapters_are_heading_1_in_nav_order(document, repo_root, lang):
    titles = chapter_titles(repo_root, lang)
    headings = [plain(heading_title(p.text)) for p in paragraphs(document) if p.style.name in LEVEL_1]
    assert headings == [plain(t) for t, _ in titles]
    chapters = [plain(heading_title(t)) for t in styled(document, "Heading 1")]
    for title, annex in titles:
        if not annex:
            assert plain(title) in chapters


def test_chapters_are_numbered_in_roman(document):
    """Chapters carry their section number as text (I., II., ...), the same in every output."""
    numbers = [t.split(" ", 1)[0] for t in styled(document, "Heading 1")]
    assert numbers[:4] == ["I.", "II.", "III.", "IV."]


def test_sections_use_heading_2(document):
    assert len(styled(document, "Heading 2")) > 10


def test_numbered_paragraphs_are_consecutive(document):
    numbered = styled(document, "Numbered Paragraph")
    assert len(numbered) > 20
    numbers = []
    for text in numbered:
        m = re.match(r"^(\d+)\.\t\S", text)
        assert m, f"a numbered paragraph without its number: {text[:60]!r}"
        numbers.append(int(m.group(1)))
    assert numbers == list(range(1, len(numbers) + 1))


def test_casestudy_text_is_in_its_style(document, repo_root, lang):
    boxes = " ".join(styled(document, "Case Study"))
    first_sentence = (repo_root / "casestudies" / "cn-ai-ml" / f"{lang}.md").read_text("utf-8").split(" [@")[0]
    assert plain(first_sentence) in plain(boxes)
    titles = styled(document, "Case Study Title")
    assert any("Case study: " in t or "Étude de cas\u00a0: " in t or "Étude de cas\u202f: " in t for t in titles)
    assert len(titles) == 5  # each case study of the content is used once in the chapters


def test_bibliography_follows_the_references_heading(document, lang, bib_keys):
    texts = [(p.style.name, p.text) for p in paragraphs(document)]
    heading = next(i for i, (style, t) in enumerate(texts)
                   if style in LEVEL_1 and plain(t) == plain(REFERENCES_HEADING[lang]))
    entries = [t for style, t in texts[heading + 1:] if style == "Bibliography"]
    assert len(entries) == len(bib_keys)  # nocite=@*: every entry of references.bib is listed
    assert any("Study Report on Disruptive Technologies" in e for e in entries)
    assert not [t for style, t in texts[:heading] if style == "Bibliography"]


def test_header_carries_the_document_code(document, report_meta, lang):
    code = report_meta["code"][lang]
    for section in document.sections:
        header = " ".join(p.text for p in section.header.paragraphs)
        assert code in header


def test_title_block(document, report_meta, lang):
    assert plain(styled(document, "Document Title")[0]) == plain(report_meta["title"][lang])
    assert styled(document, "Document Code") == [report_meta["code"][lang]]


def all_text(document) -> str:
    return "\n".join(p.text for p in paragraphs(document))


def test_no_markup_leaks(document, bib_keys):
    text = all_text(document)
    assert not [m for m in LEAKS if m in text]
    assert not [k for k in bib_keys if f"@{k}" in text]


def test_casestudy_catalogue_is_a_table(document, repo_root, lang):
    import yaml

    folders = sorted(p for p in (repo_root / "casestudies").iterdir() if p.is_dir())
    catalogue = document.tables[-1]  # the annex of case studies comes last but for references
    cells = [plain(cell.text) for row in catalogue.rows for cell in row.cells]
    assert len(catalogue.rows) == 1 + len(folders)
    for folder in folders:
        title = yaml.safe_load((folder / "casestudy.yml").read_text("utf-8"))["title"][lang]
        assert plain(title) in cells


def test_french_report_has_french_spacing(report_dir, output_name):
    text = all_text(docx.Document(str(report_dir / f"{output_name}-fr.docx")))
    assert "\u202f:" in text
    assert not re.findall(r".{0,30}\S [:;!?»](?=\s|$)", text)


def test_docx_is_a_valid_package(report_dir, output_name, lang):
    with zipfile.ZipFile(report_dir / f"{output_name}-{lang}.docx") as z:
        assert z.testzip() is None
        xml = z.read("word/document.xml").decode("utf-8")
    # Styles are real paragraph styles (restylable in Word), not direct formatting.
    for style_id in ("Heading1", "NumberedParagraph", "CaseStudy", "Bibliography"):
        assert f'<w:pStyle w:val="{style_id}"' in xml


def test_uncited_entry_is_still_listed(copy_repo, tmp_path):
    """The references annex lists every entry of references.bib (nocite: @*), cited or not."""
    from conftest import run_build

    root = copy_repo(tmp_path / "repo")
    with open(root / "references.bib", "a", encoding="utf-8") as bib:
        bib.write("\n@report{uncited2026,\n  author = {{World Customs Organization}},\n"
                  "  title = {An Entry Cited Nowhere},\n  year = {2026},\n}\n")
    out = tmp_path / "out"
    proc = run_build("report", "--root", str(root), "--out", str(out), "--lang", "en", "--format", "docx")
    assert proc.returncode == 0, proc.stderr
    assert "references.bib" in proc.stderr and "uncited2026" in proc.stderr  # a warning, not an error
    document = docx.Document(str(next(out.rglob("*-en.docx"))))
    assert any("An Entry Cited Nowhere" in t for t in styled(document, "Bibliography"))
