"""A citation style from `csl:` gives the same citation text on the site, in the DOCX and in the
PDF, citation by citation, in both languages: author-date, numeric and note styles alike (the
three outputs are written from one citeproc run per language)."""

from __future__ import annotations

import re
import zipfile

import lxml.html
import pypdf
import pytest

# Full builds of many variants (styles; builds killed at each step): slow end-to-end tests, run by CI
# and `./run test --slow`.
pytestmark = pytest.mark.slow

from conftest import copy_repo, run_build

STYLES = ("chicago-author-date", "apa", "ieee", "chicago-notes-bibliography")


def _key(text: str) -> str:
    """Comparable text: letters and digits only (line breaks, hyphenation and spaces differ)."""
    return re.sub(r"[\W_]+", "", text).lower()


def _citations(page) -> list[str]:
    """The text of each citation of a site page; for a note style, the text of its note."""
    out = []
    for span in page.xpath('//article//span[contains(concat(" ", @class, " "), " citation ")]'):
        refs = span.xpath('.//a[contains(@class, "footnote-ref")]/@href')
        if refs:
            note = page.xpath(f'//*[@id="{refs[0][1:]}"]')
            out.append(note[0].text_content().replace("↩︎", ""))
        else:
            out.append(span.text_content())
    return [t.strip() for t in out if t.strip()]


@pytest.fixture(scope="module", params=STYLES)
def styled_build(request, tmp_path_factory):
    root = copy_repo(tmp_path_factory.mktemp(request.param) / "repo")
    report = root / "report.yml"
    report.write_text(report.read_text("utf-8") + f"csl: {request.param}\n", "utf-8")
    out = root / "out"
    proc = run_build("all", "--root", str(root), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    return request.param, out


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_citation_reads_the_same_in_every_output(styled_build, lang):
    style, out = styled_build
    page = lxml.html.parse(str(out / "site" / ("" if lang == "en" else "fr") / "methodology" / "index.html")).getroot()
    citations = _citations(page)
    assert len(citations) >= 5, f"{style}: too few citations found on the site: {citations}"
    if style == "ieee":
        assert all(re.match(r"\[\d+", c) for c in citations), f"not numbered: {citations}"
    if style == "chicago-notes-bibliography":
        assert page.xpath('//article//a[contains(@class, "footnote-ref")]'), "a note style gives footnotes"
    name = f"wco-disruptive-technologies-2026-{lang}"
    with zipfile.ZipFile(out / "report" / f"{name}.docx") as docx:
        xml = "".join(docx.read(part).decode("utf-8") for part in docx.namelist()
                      if part in ("word/document.xml", "word/footnotes.xml"))
    docx_text = _key(re.sub(r"<[^>]+>", "", xml))
    pdf_text = _key("".join(p.extract_text() for p in pypdf.PdfReader(str(out / "report" / f"{name}.pdf")).pages))
    for citation in citations:
        assert _key(citation) in docx_text, f"{style} [{lang}]: the site's {citation!r} is not in the DOCX"
        assert _key(citation) in pdf_text, f"{style} [{lang}]: the site's {citation!r} is not in the PDF"
