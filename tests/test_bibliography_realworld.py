"""Bibliographies as they come from outside: a Zotero export by Better BibLaTeX, and a BibTeX
file kept by hand (a field given twice, keywords four times, @string, @preamble, an old entry
commented out with the key of a current one, text between entries). BibTeX reads both, with a
warning for each repeated field: so does the build, through the command a user runs, and each
cited entry reads the same on the site, in the DOCX and in the PDF, in both languages.

The two files (tests/bibliographies/) were written for this project, in the shapes of real ones.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import lxml.html
import pypdf
import pytest

from conftest import copy_repo, run_build
from wcoreport.bibliography.bibtex import load_bibliography
from wcoreport.sources.diagnostics import Problems

BIBS = Path(__file__).parent / "bibliographies"
EXPORT = BIBS / "better-biblatex-export.bib"
HAND_KEPT = BIBS / "hand-kept.bib"


def _line_of(text: str, needle: str, after: int = 0) -> int:
    return next(i for i, line in enumerate(text.split("\n"), 1) if i > after and needle in line)


def _keys(path: Path) -> list[str]:
    problems = Problems(path.parent)
    return list(load_bibliography(path, problems).entries)


def _key(text: str) -> str:
    """Comparable text: letters and digits only (line breaks, hyphenation and spaces differ)."""
    return re.sub(r"[\W_]+", "", text).lower()


# --- read as BibTeX reads them ------------------------------------------------------------------

def test_better_biblatex_export_reads_without_a_problem():
    problems = Problems(BIBS)
    bib = load_bibliography(EXPORT, problems)
    assert problems.items == []
    assert len(bib.entries) == 8
    items = {item["id"]: item for item in bib.csl_items("en")}
    survey = items["worldcustomsorganizationSmartCustomsSurvey2022"]
    # {{WCO}}: protected from case changes, and no brace left
    assert "{" not in survey["title"] and '<span class="nocase">WCO</span>' in survey["title"]
    assert survey["issued"] == {"date-parts": [[2022, 11, 15]]}
    assert survey["accessed"] == {"date-parts": [[2023, 1, 20]]}
    assert items["moreauDouaneNumeriqueAfrique2020"]["language"].startswith("fr")
    assert items["okaforMachineLearningRisk2023"]["DOI"] == "10.5555/wcj.2023.17.1.45"
    # (Zotero's file field, a path of the exporter's machine, goes nowhere)
    assert "Zotero" not in str(items["okaforMachineLearningRisk2023"])


def test_hand_kept_bibtex_warns_of_each_repeated_field_and_keeps_the_first():
    text = HAND_KEPT.read_text("utf-8")
    problems = Problems(BIBS)
    bib = load_bibliography(HAND_KEPT, problems)
    assert problems.errors == []
    first_pages = _line_of(text, "pagetotal = 312")
    first_keywords = _line_of(text, "keywords = {AEO}")
    assert [str(p) for p in problems.items] == [
        f"hand-kept.bib:{_line_of(text, 'pagetotal = {320}')}: warning: entry 'Vandermeer2019' has the field "
        f"'pagetotal' again (first at line {first_pages}): the first value is kept, as BibTeX does; delete this one",
        f"hand-kept.bib:{_line_of(text, 'publisher = {{WCO} Publications}')}: warning: entry 'Vandermeer2019' "
        f"has the field 'publisher' again (first at line {_line_of(text, 'publisher = wco')}): the first value "
        "is kept, as BibTeX does; delete this one",
    ] + [
        f"hand-kept.bib:{_line_of(text, needle)}: warning: entry 'Ferreira2020' has the field 'keywords' again "
        f"(first at line {first_keywords}): the first value is kept, as BibTeX does; delete this one"
        for needle in ("{trade facilitation}", "{compliance}", "{mutual recognition}")
    ]
    assert bib.entries["Vandermeer2019"].fields["pagetotal"] == "312"
    assert bib.entries["Ferreira2020"].fields["keywords"] == "AEO"
    # The Ferreira2020 inside the @comment is not a second entry of that key (it would be an error).
    assert bib.entries["Ferreira2020"].line == _line_of(text, "@article{Ferreira2020", _line_of(text, "are checked"))
    assert bib.entries["Ferreira2020"].fields["year"] == "2020"
    assert list(bib.entries) == ["Vandermeer2019", "Ferreira2020", "Adeyemi2018", "Kim2017"]


# --- through a real build ---------------------------------------------------------------------------

PARAGRAPH = {
    "en": "Sources on the technologies, from a reference manager and from a hand-kept list: {cites}.",
    "fr": "Sources sur les technologies, d'un gestionnaire de références et d'une liste tenue à la main : {cites}.",
}


@pytest.fixture(scope="module")
def realworld_build(tmp_path_factory):
    root = copy_repo(tmp_path_factory.mktemp("realworld-bib") / "repo")
    bib = root / "references.bib"
    own = bib.read_text("utf-8")
    bib.write_text(own + "\n" + EXPORT.read_text("utf-8") + "\n" + HAND_KEPT.read_text("utf-8"), "utf-8")
    keys = _keys(EXPORT) + _keys(HAND_KEPT)
    for lang, paragraph in PARAGRAPH.items():
        page = root / "docs" / lang / "methodology.md"
        cites = ", ".join(f"[@{key}]" for key in keys)
        page.write_text(page.read_text("utf-8").rstrip("\n") + "\n\n" + paragraph.format(cites=cites) + "\n", "utf-8")
    check = run_build("check", "--root", str(root), timeout=300)
    out = root / "out"
    build = run_build("all", "--root", str(root), "--out", str(out), timeout=900)
    return root, out, keys, check, build


def test_the_check_passes_with_bibtex_warnings_at_their_lines(realworld_build):
    root, _out, _keys_, check, _build = realworld_build
    assert check.returncode == 0, check.stderr
    text = (root / "references.bib").read_text("utf-8")
    for needle, key, name in [("pagetotal = {320}", "Vandermeer2019", "pagetotal"),
                              ("keywords = {trade facilitation}", "Ferreira2020", "keywords"),
                              ("keywords = {compliance}", "Ferreira2020", "keywords"),
                              ("keywords = {mutual recognition}", "Ferreira2020", "keywords"),
                              ("publisher = {{WCO} Publications}", "Vandermeer2019", "publisher")]:
        line = _line_of(text, needle)
        assert f"references.bib:{line}: warning: entry '{key}' has the field '{name}' again" in check.stderr
    assert " error: " not in check.stderr
    strict = run_build("check", "--root", str(root), "--strict", timeout=300)
    assert strict.returncode == 1 and "has the field 'pagetotal' again" in strict.stderr


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_each_cited_entry_reads_the_same_on_the_site_in_the_docx_and_the_pdf(realworld_build, lang):
    _root, out, keys, _check, build = realworld_build
    assert build.returncode == 0, build.stderr
    site = out / "site" / ("" if lang == "en" else "fr")
    page = lxml.html.parse(str(site / "annex-references" / "index.html")).getroot()
    entries = {div.get("id", "").removeprefix("ref-"): div.text_content().strip()
               for div in page.xpath('//div[contains(concat(" ", @class, " "), " csl-entry ")]')}
    assert set(keys) <= set(entries), f"not in the site's bibliography: {set(keys) - set(entries)}"
    name = f"wco-disruptive-technologies-2026-{lang}"
    with zipfile.ZipFile(out / "report" / f"{name}.docx") as docx:
        docx_text = _key(re.sub(r"<[^>]+>", "", docx.read("word/document.xml").decode("utf-8")))
    pdf_text = _key("".join(p.extract_text() for p in pypdf.PdfReader(str(out / "report" / f"{name}.pdf")).pages))
    for key in keys:
        entry = entries[key]
        assert "{" not in entry and "\\" not in entry, f"[{lang}] {key}: LaTeX left in {entry!r}"
        assert _key(entry) in docx_text, f"[{lang}] {key}: the site's {entry!r} is not in the DOCX"
        assert _key(entry) in pdf_text, f"[{lang}] {key}: the site's {entry!r} is not in the PDF"
    # What BibTeX keeps: the first of the repeated fields; what biber/Zotero protect: {{WCO}}.
    # (the publisher is the WCO, named in the report's language: report.yml's organizations)
    wco = {"en": "World Customs Organization", "fr": "Organisation mondiale des douanes"}[lang]
    assert wco in entries["Vandermeer2019"] and "Publications" not in entries["Vandermeer2019"]
    assert "WCO" in entries["worldcustomsorganizationSmartCustomsSurvey2022"]
    assert "https://doi.org/10.5555/wcj.2023.17.1.45" in entries["okaforMachineLearningRisk2023"]
