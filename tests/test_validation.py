"""Validation as editors meet it: the report of problems, untrusted Members' text, untidy input.

The corpus of bad inputs is in test_bad_inputs.py; here: the shape of the report (sorted,
errors and warnings distinct, --strict), the sanitizing of case studies on the built site, and
valid but untidy files (BOM, CRLF, tabs, trailing spaces, Unicode names) that must just work.
"""

from __future__ import annotations

import re
from pathlib import Path

import docx
import lxml.html
import pytest

from conftest import copy_repo, run_build

PROBLEM_LINE = re.compile(r"^(?P<path>[^:\s][^:]*?)(?::(?P<line>\d+))?: (?P<kind>error|warning): (?P<message>.+)$")


def problem_lines(stderr: str) -> list[re.Match]:
    return [m for m in map(PROBLEM_LINE.match, stderr.splitlines()) if m]


# --- The report of problems ---------------------------------------------------------------------

def test_check_of_the_repository_is_clean(repo_root: Path):
    proc = run_build("check", "--strict", "--root", str(repo_root))
    assert proc.returncode == 0, proc.stderr
    assert not problem_lines(proc.stderr)


def test_all_problems_at_once_sorted_errors_and_warnings_distinct(tmp_path: Path):
    root = copy_repo(tmp_path)
    for lang in ("fr", "en"):  # errors in several files and languages, and a warning
        path = root / "docs" / lang / "drones.md"
        path.write_text(path.read_text("utf-8") + "\n[@nowhere2030]\n\n{% casestudy no-such-study %}\n", "utf-8")
    with (root / "references.bib").open("a", encoding="utf-8") as f:
        f.write("\n@misc{unused2021,\n  title = {Unused},\n  year = {2021}\n}\n")
    with (root / "report.yml").open("a", encoding="utf-8") as f:
        f.write("colour: blue\n")

    proc = run_build("check", "--root", str(root))
    assert proc.returncode == 1
    # (the French page is now behind its edited source: a notice of its own, tested in test_parity.py)
    found = [m for m in problem_lines(proc.stderr) if "behind its source" not in m.group(0)]
    assert len(found) == 6, proc.stderr
    keys = [(m["path"], int(m["line"] or 0)) for m in found]
    assert keys == sorted(keys)
    assert {m["path"] for m in found if m["kind"] == "error"} == {"docs/en/drones.md", "docs/fr/drones.md", "report.yml"}
    assert [m["path"] for m in found if m["kind"] == "warning"] == ["references.bib"]
    assert "5 errors found" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_warnings_pass_unless_strict(tmp_path: Path):
    root = copy_repo(tmp_path)
    with (root / "references.bib").open("a", encoding="utf-8") as f:
        f.write("\n@misc{unused2021,\n  title = {Unused},\n  year = {2021}\n}\n")
    line = (root / "references.bib").read_text("utf-8").split("\n").index("@misc{unused2021,") + 1

    relaxed = run_build("check", "--root", str(root))
    assert relaxed.returncode == 0
    assert f"references.bib:{line}: warning: entry 'unused2021' is cited nowhere" in relaxed.stderr

    strict = run_build("check", "--strict", "--root", str(root))
    assert strict.returncode == 1
    assert f"references.bib:{line}: warning: entry 'unused2021' is cited nowhere" in strict.stderr
    assert "--strict" in strict.stderr


# --- Members' text never runs script on the site -----------------------------------------------

PAYLOAD = """
<script>alert("xss-script")</script>

<img src="x.png" onerror="alert('xss-img')">

<p onclick="alert('xss-click')" style="position:fixed">A harmless paragraph survives.</p>

<a href="javascript:alert('xss-href')">a link</a> and <a href="https://www.wcoomd.org/">a good one</a>.

<iframe src="https://evil.invalid/"></iframe><svg onload="alert('xss-svg')"></svg>

<details open ontoggle="alert('xss-toggle')">x</details><form action="javascript:alert('xss-form')"><button>b</button></form>
"""


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    """The site built from a copy whose case study carries script, in its text and its title."""
    root = copy_repo(tmp_path_factory.mktemp("hostile") / "repo")
    study = root / "casestudies" / "br-blockchain"
    (study / "en.md").write_text((study / "en.md").read_text("utf-8") + PAYLOAD, "utf-8")
    meta = study / "casestudy.yml"
    meta.write_text(meta.read_text("utf-8").replace(
        '  en: "Blockchain study mission to Brazilian Customs"',
        '  en: "Blockchain <img src=x onerror=alert(\'xss-title\')> mission"'), "utf-8")
    out = root.parent / "out"
    proc = run_build("site", "--root", str(root), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    return out / "site"


def _pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_no_script_from_a_case_study_reaches_any_page(hostile_site: Path):
    for page in _pages(hostile_site):
        text = page.read_text("utf-8")
        assert "<script>alert" not in text, page
        tree = lxml.html.fromstring(text)
        for el in tree.iter():
            if not isinstance(el.tag, str):
                continue
            assert el.tag not in ("iframe", "object", "embed"), (page, el.tag)  # (Material has a search form)
            for name, value in el.attrib.items():
                assert not name.lower().startswith("on"), (page, el.tag, name)
                if name.lower() in ("href", "src", "action", "formaction"):
                    assert not value.strip().lower().startswith(("javascript:", "data:text/html")), (page, value)
            if el.tag == "script":
                assert "alert" not in (el.text or ""), page


def test_case_study_text_is_kept_as_harmless_html(hostile_site: Path):
    """The box in the chapter and the case study's own page both show the Member's text; its
    HTML tags are dropped (a warning says so), never run."""
    chapter = lxml.html.parse(str(hostile_site / "blockchain" / "index.html")).getroot()
    box = chapter.get_element_by_id("casestudy-br-blockchain")
    page = lxml.html.parse(str(hostile_site / "casestudies" / "br-blockchain" / "index.html")).getroot()
    for where in (box, page):
        text = where.text_content()
        assert "A harmless paragraph survives." in text
        assert "mission" in text
        hrefs = [a.get("href") for a in where.iter("a")]
        assert not [h for h in hrefs if h and h.startswith("javascript:")]
    # The title is the Member's plain text: its markup shows as text and does nothing.
    heading = page.find(".//h1")
    assert "<img src=x onerror=alert('xss-title')>" in heading.text_content()
    assert heading.find(".//img") is None


def test_javascript_link_in_markdown_is_refused(tmp_path: Path):
    root = copy_repo(tmp_path)
    path = root / "casestudies" / "br-blockchain" / "en.md"
    path.write_text(path.read_text("utf-8") + "\n[click](javascript:alert(1))\n", "utf-8")
    line = len(path.read_text("utf-8").split("\n")) - 1
    proc = run_build("check", "--root", str(root))
    assert proc.returncode == 1
    assert re.search(rf"^casestudies/br-blockchain/en\.md:{line}: error: link 'javascript:alert\(1\)?': "
                     "a case study links only to full web addresses", proc.stderr, re.M), proc.stderr


# --- Untidy but valid input just works ------------------------------------------------------------

def _untidy(text: str) -> bytes:
    """The same text as a Windows editor may save it: BOM, CRLF, trailing spaces."""
    lines = [ln + "  " if ln.strip() and not ln.startswith("---") else ln for ln in text.split("\n")]
    return b"\xef\xbb\xbf" + "\r\n".join(lines).encode("utf-8")


@pytest.fixture(scope="module")
def untidy_build(tmp_path_factory) -> tuple[Path, Path]:
    root = copy_repo(tmp_path_factory.mktemp("untidy") / "repo")
    for rel in ("report.yml", "technologies.yml", "references.bib", "mkdocs.yml",
                "casestudies/br-blockchain/casestudy.yml", "casestudies/br-blockchain/fr.md",
                "docs/en/drones.md", "docs/fr/drones.md"):
        path = root / rel
        path.write_bytes(_untidy(path.read_text("utf-8")))
    # Tabs in Markdown text, and a chapter whose file name is not ASCII.
    drones = root / "docs" / "en" / "drones.md"
    drones.write_bytes(drones.read_bytes() + "\r\nTabs\tbetween\twords.\r\n".encode("utf-8"))
    for lang, title in (("en", "Customs études"), ("fr", "Études douanières")):
        (root / "docs" / lang / "études.md").write_text(
            f"---\nstatus: draft\n---\n# {title} {{#etudes}}\n\nText of the page in {lang} [@wco2019study].\n\n"
            "## Études de cas\n\nAn automatic id.\n\n## Café {#café}\n\nAn id that is not ASCII.\n", "utf-8")
    # Links to both, checked by `check` with the slug rule of the site (Python-Markdown's toc).
    drones.write_bytes(drones.read_bytes() + "\r\nSee [the studies](études.md#etudes-de-cas) and "
                       "[the café](%C3%A9tudes.md#café).\r\n".encode("utf-8"))
    # The translation has the same paragraphs (parity, test_parity.py).
    drones_fr = root / "docs" / "fr" / "drones.md"
    drones_fr.write_bytes(drones_fr.read_bytes() + "\r\nDes\ttabulations\tentre\tles\tmots.\r\n\r\nVoir "
                          "[les études](études.md#etudes-de-cas) et [le café](%C3%A9tudes.md#café).\r\n".encode("utf-8"))
    mk = root / "mkdocs.yml"
    text = mk.read_bytes().decode("utf-8-sig")
    mk.write_bytes(text.replace("      - References: annex-references.md",
                                "      - References: annex-references.md\r\n      - Études: études.md").encode("utf-8"))
    marked = run_build("--root", str(root), "translated", str(root / "docs" / "fr" / "études.md"),
                       str(drones_fr))  # (both languages edited alike: the French is current)
    assert marked.returncode == 0, marked.stderr
    out = root.parent / "out"
    proc = run_build("all", "--strict", "--root", str(root), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    assert not problem_lines(proc.stderr), proc.stderr
    return root, out


def test_untidy_files_build_into_every_output(untidy_build, output_name: str):
    root, out = untidy_build
    page = lxml.html.parse(str(out / "site" / "fr" / "drones" / "index.html")).getroot()
    assert "\ufeff" not in page.text_content()
    assert page.find(".//h1").text_content().strip().startswith("Drones")
    document = docx.Document(str(out / "report" / f"{output_name}-en.docx"))
    body = "\n".join(p.text for p in document.paragraphs)
    assert "\ufeff" not in body and "\r" not in body
    assert "Tabs between words." in body.replace("\t", " ")
    assert "Customs études" in body


def test_unicode_file_name_becomes_a_page(untidy_build):
    root, out = untidy_build
    pages = {p.parent.name for p in (out / "site").glob("*/index.html")}
    assert "études" in pages
    fr = lxml.html.parse(str(out / "site" / "fr" / "études" / "index.html")).getroot()
    assert fr.find(".//h1").text_content().strip().startswith("Études douanières")


def test_unicode_ids_and_links_resolve_on_the_site(untidy_build):
    root, out = untidy_build
    page = lxml.html.parse(str(out / "site" / "études" / "index.html")).getroot()
    ids = {el.get("id") for el in page.iter() if isinstance(el.tag, str) and el.get("id")}
    assert {"etudes-de-cas", "café"} <= ids
    drones = lxml.html.parse(str(out / "site" / "drones" / "index.html")).getroot()
    hrefs = [a.get("href") for a in drones.iter("a")]
    assert any(h and h.endswith("#etudes-de-cas") for h in hrefs)
    assert any(h and h.endswith("#café") for h in hrefs)


def test_link_to_a_unicode_anchor_that_does_not_exist(tmp_path: Path):
    root = copy_repo(tmp_path)
    for lang in ("en", "fr"):
        (root / "docs" / lang / "_études.md").write_text("## Études de cas\n\nText.\n", "utf-8")
    drones = root / "docs" / "en" / "drones.md"
    drones.write_text(drones.read_text("utf-8") + "\nSee [the studies](blockchain.md#études-de-cas).\n", "utf-8")
    line = len(drones.read_text("utf-8").split("\n")) - 1
    proc = run_build("check", "--root", str(root))
    assert proc.returncode == 1
    assert (f"docs/en/drones.md:{line}: error: link 'blockchain.md#études-de-cas': no heading with the anchor "
            "'#études-de-cas' in docs/en/blockchain.md") in proc.stderr


def test_lines_are_right_in_crlf_files_with_a_bom(tmp_path: Path):
    root = copy_repo(tmp_path)
    path = root / "docs" / "en" / "drones.md"
    text = path.read_text("utf-8") + "\nSee [@nowhere1999].\n"
    path.write_bytes(_untidy(text))
    line = text.split("\n").index("See [@nowhere1999].") + 1
    meta = root / "casestudies" / "br-blockchain" / "casestudy.yml"
    meta.write_bytes(_untidy(meta.read_text("utf-8").replace("year: 2025", "year: soon")))
    year_line = meta.read_bytes().decode("utf-8-sig").split("\r\n").index("year: soon  ") + 1
    proc = run_build("check", "--root", str(root))
    assert proc.returncode == 1
    assert f"docs/en/drones.md:{line}: error: unknown citation key 'nowhere1999'" in proc.stderr
    assert f"casestudies/br-blockchain/casestudy.yml:{year_line}: error: year:" in proc.stderr


def test_case_study_metadata_is_plain_text_in_the_report(tmp_path: Path, output_name: str):
    """A Member's title is text, not markup: no raw Typst, no citation, no emphasis in DOCX/PDF."""
    root = copy_repo(tmp_path / "repo")
    meta = root / "casestudies" / "br-blockchain" / "casestudy.yml"
    hostile = "Blockchain `#panic()`{=typst} [@nowhere] *stars* | bar"
    meta.write_text(meta.read_text("utf-8").replace(
        '  en: "Blockchain study mission to Brazilian Customs"', f"  en: '{hostile}'"), "utf-8")
    out = tmp_path / "out"
    proc = run_build("report", "--lang", "en", "--root", str(root), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    document = docx.Document(str(out / "report" / f"{output_name}-en.docx"))
    assert any(hostile in p.text for p in document.paragraphs)
    from pypdf import PdfReader

    text = " ".join(page.extract_text() for page in PdfReader(str(out / "report" / f"{output_name}-en.pdf")).pages)
    assert "#panic()" in " ".join(text.split())
