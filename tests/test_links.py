"""Links between chapters: one rule for every output. On the site a link to another chapter is
the page's URL; in the report it is a link inside the document — a bookmark in the DOCX, a
destination in the PDF — and a link to a case study goes to its box."""

from __future__ import annotations

import re
import zipfile

import pypdf
import pytest

LANGS = ("en", "fr")
TARGETS = ("method-sources", "casestudy-hk-validap")  # typed in docs/<lang>/introduction.md


@pytest.mark.parametrize("lang", LANGS)
def test_the_sources_link_across_chapters(repo_root, lang):
    text = (repo_root / "docs" / lang / "introduction.md").read_text("utf-8")
    assert "(methodology.md#method-sources)" in text and "(casestudies/hk-validap.md)" in text


@pytest.mark.parametrize("lang", LANGS)
def test_docx_links_have_their_bookmarks(report_dir, output_name, lang):
    with zipfile.ZipFile(report_dir / f"{output_name}-{lang}.docx") as docx:
        xml = docx.read("word/document.xml").decode("utf-8")
    anchors = set(re.findall(r'<w:hyperlink [^>]*w:anchor="([^"]+)"', xml))
    bookmarks = set(re.findall(r'<w:bookmarkStart [^>]*w:name="([^"]+)"', xml))
    assert set(TARGETS) <= anchors, f"links missing in the DOCX: {set(TARGETS) - anchors}"
    assert anchors <= bookmarks, f"DOCX links to nowhere (no bookmark): {sorted(anchors - bookmarks)}"
    # and no link to a Markdown file survives as an external link
    rels = zipfile.ZipFile(report_dir / f"{output_name}-{lang}.docx").read("word/_rels/document.xml.rels").decode()
    assert ".md" not in " ".join(re.findall(r'Target="([^"]+)"', rels))


@pytest.mark.parametrize("lang", LANGS)
def test_pdf_internal_links_have_destinations(report_dir, output_name, lang):
    reader = pypdf.PdfReader(str(report_dir / f"{output_name}-{lang}.pdf"))
    internal, dead = 0, 0
    for page in reader.pages:
        for annot in page.get("/Annots", []) or []:
            annot = annot.get_object()
            if annot.get("/Subtype") != "/Link":
                continue
            action = annot.get("/A", {})
            if "/URI" in action:
                assert not str(action["/URI"]).endswith(".md"), action["/URI"]
                continue
            internal += 1
            dest = annot.get("/Dest") or action.get("/D")
            if dest is None:
                dead += 1
    assert internal >= 2 + 3, "the PDF has too few internal links (two chapter links, figure and table refs)"
    assert dead == 0, f"{dead} internal links of the PDF have no destination"


@pytest.mark.parametrize("lang", LANGS)
def test_site_links_are_page_urls(site_dir, lang):
    page = site_dir / ("" if lang == "en" else "fr") / "introduction" / "index.html"
    html = page.read_text("utf-8")
    assert 'href="../methodology/#method-sources"' in html
    assert 'href="../casestudies/hk-validap/"' in html
    assert 'id="method-sources"' in (page.parent.parent / "methodology" / "index.html").read_text("utf-8")
