"""The self-assessment tools: the bundled questionnaires, the scoring rule, the paper DOCX and
PDF built with the report, and author text that stays text on the site and on paper."""

from __future__ import annotations

import re
import subprocess
import unicodedata
import zipfile
from pathlib import Path

import pytest
import yaml

from conftest import REPO_ROOT, copy_repo, run_build
from wcoreport.assessments import area_results, weakest_first
from wcoreport.sources.project import load_project

TOOLS = {"ai-ml": ["strategy", "governance", "data", "infrastructure", "people", "partnerships", "ethics"],
         "blockchain": ["use-cases", "governance", "interoperability", "legal", "ecosystem"]}


@pytest.fixture(scope="module")
def project():
    return load_project(REPO_ROOT)


def raw(tool: str) -> dict:
    """The tool's file read with plain PyYAML (independent of the code tested)."""
    return yaml.safe_load((REPO_ROOT / "assessments" / f"{tool}.yml").read_text("utf-8"))


@pytest.mark.parametrize("tool", TOOLS)
def test_bundled_tools_cover_the_areas_of_readiness(project, tool):
    assert not project.problems.errors
    data = raw(tool)
    assert data["status"] == "draft"  # draft wording until the WCO's official text is in
    assert [a["id"] for a in data["areas"]] == TOOLS[tool]
    for area in data["areas"]:
        assert 3 <= len(area["questions"]) <= 5, area["id"]
        for question in area["questions"]:
            assert len(question.get("levels", data["scale"])) == 4
            assert question["text"]["en"].strip() and question["text"]["fr"].strip()
        assert area["links"], f"{area['id']}: no link into the report"
    assert project.assessments[tool].draft


def test_tools_are_not_chapters_of_the_report(project):
    names = [c.name for c in project.chapters]
    assert not any(name.startswith("assessments/") for name in names)
    assert [name for name, _ in project.layout.generated] == ["assessments/ai-ml.md", "assessments/blockchain.md"]


def test_score_is_the_mean_of_the_answers_scaled_to_100(project):
    tool = project.assessments["ai-ml"]
    data = raw("ai-ml")
    points = {level["id"]: level["score"] for level in data["scale"]}
    # strategy: 3 and 1 of at most 3 each -> 4 / 6 -> 66.7 ("developing": from 40)
    answers = {"strategy-vision": "established", "strategy-budget": "exploring",
               "data-inventory": "not-started", "data-quality": "not-started", "data-labels": "exploring",
               "ethics-principles": "established"}
    assert points["established"] + points["exploring"] == 4
    results = {r.area: r for r in area_results(tool, answers)}
    assert (results["strategy"].score, results["strategy"].band, results["strategy"].answered) == (66.7, "developing", 2)
    assert (results["data"].score, results["data"].band) == (11.1, "early")  # 1 / 9
    assert (results["ethics"].score, results["ethics"].band) == (100.0, "advanced")
    assert results["governance"].score is None and results["governance"].band is None
    order = [r.area for r in weakest_first(list(results.values()))]
    assert order[:3] == ["data", "strategy", "ethics"] and order[3:] == ["governance", "infrastructure", "people",
                                                                         "partnerships"]


def test_bands_take_their_lower_bound(project):
    tool = project.assessments["blockchain"]
    # 2 of 3 with one answer: 66.7; 4 of 6 with two... a band starts at its 'from' exactly:
    bands = {b.id: b.start for b in tool.bands}
    assert bands == {"early": 0, "developing": 40, "advanced": 75}
    from wcoreport.assessments import band_of

    assert band_of(tool, 40.0).id == "developing" and band_of(tool, 39.9).id == "early"
    assert band_of(tool, 75.0).id == "advanced"


def test_rounding_is_half_up_as_in_the_page():
    from wcoreport.assessments import round_half_up

    assert round_half_up(100 * 5 / 12) == 41.7 and round_half_up(0.25) == 0.3 and round_half_up(12.35) == 12.4


# --- paper -----------------------------------------------------------------------------------------

def _letters(text: str) -> str:
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", text)).lower()


def paper(report_dir: Path, output_name: str, tool: str, lang: str, fmt: str) -> Path:
    return report_dir / f"{output_name}-self-assessment-{tool}-{lang}-questionnaire.{fmt}"


@pytest.mark.slow
@pytest.mark.parametrize("lang", ("en", "fr"))
@pytest.mark.parametrize("tool", TOOLS)
def test_paper_pdf_holds_every_question_and_the_key(report_dir, output_name, project, tool, lang):
    from pypdf import PdfReader

    path = paper(report_dir, output_name, tool, lang, "pdf")
    text = _letters(" ".join(page.extract_text() for page in PdfReader(str(path)).pages))
    assessment = project.assessments[tool]
    for area in assessment.areas:
        assert _letters(area.title[lang]) in text
        for question in area.questions:
            assert _letters(question.text[lang]) in text, question.id
            for level in question.levels:
                assert _letters(level.text[lang]) in text
        for band in assessment.bands:
            assert _letters(area.next[band.id][lang]) in text
    assert _letters({"en": "Scoring key", "fr": "Grille de notation"}[lang]) in text
    assert PdfReader(str(path)).metadata.title == assessment.title[lang]


@pytest.mark.slow
@pytest.mark.parametrize("lang", ("en", "fr"))
def test_paper_docx_has_boxes_and_the_wco_styles(report_dir, output_name, project, lang):
    from docx import Document

    path = paper(report_dir, output_name, "ai-ml", lang, "docx")
    doc = Document(str(path))
    styles = {p.style.name for p in doc.paragraphs}
    assert {"Masthead", "Document Title", "Draft Notice"} <= styles
    boxes = [p for p in doc.paragraphs if p.text.startswith("\u2610")]
    tool = project.assessments["ai-ml"]
    assert len(boxes) == sum(len(q.levels) for a in tool.areas for q in a.questions)
    text = "\n".join(p.text for p in doc.paragraphs)
    for question in (q for a in tool.areas for q in a.questions):
        assert question.text[lang].replace("'", "’")[:30] in text.replace("\u202f", " ").replace("\u00a0", " ") \
            .replace("'", "’") or _letters(question.text[lang]) in _letters(text)
    assert len(doc.tables) == 3  # points, bands, result sheet


@pytest.mark.slow
def test_paper_docx_opens_in_libreoffice(report_dir, output_name, tmp_path, require_tool):
    soffice = require_tool("soffice")
    source = paper(report_dir, output_name, "blockchain", "fr", "docx")
    proc = subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
                           "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
                          capture_output=True, text=True, timeout=180)
    converted = tmp_path / source.with_suffix(".pdf").name
    assert proc.returncode == 0 and converted.is_file(), proc.stderr
    from pypdf import PdfReader

    text = _letters(" ".join(page.extract_text() for page in PdfReader(str(converted)).pages))
    assert _letters("Les règles du réseau sont-elles convenues") in text


@pytest.mark.slow
def test_site_links_the_paper_files(site_dir, output_name):
    for lang, prefix in (("en", ""), ("fr", "fr/")):
        html = (site_dir / prefix / "assessments" / "ai-ml" / "index.html").read_text("utf-8")
        for fmt in ("pdf", "docx"):
            name = f"{output_name}-self-assessment-ai-ml-{lang}-questionnaire.{fmt}"
            assert f'downloads/{name}"' in html
            assert (site_dir / "downloads" / name).is_file()


@pytest.mark.slow
def test_report_has_no_tool_in_it(report_dir, output_name):
    from docx import Document

    text = "\n".join(p.text for p in Document(str(report_dir / f"{output_name}-en.docx")).paragraphs)
    assert "Readiness to adopt" not in text and "Scoring key" not in text


# --- author text stays text ------------------------------------------------------------------------

HOSTILE = '<script>alert(1)</script> #set text(red) $x$ *bold* [link](javascript:alert(2)) </script><img src=x onerror=alert(3)> & "quotes"'


@pytest.mark.slow
def test_hostile_question_text_stays_text_everywhere(tmp_path):
    root = copy_repo(tmp_path / "src")
    path = root / "assessments" / "blockchain.yml"
    text = path.read_text("utf-8")
    old = '          en: "Is there a clear problem, shared by several parties, that a common ledger would solve better than a database?"'
    assert old in text
    path.write_text(text.replace(old, "          en: " + yaml.safe_dump(HOSTILE, width=1000).strip().removesuffix("...").strip()),
                    "utf-8")
    out = tmp_path / "out"
    proc = run_build("all", "--root", str(root), "--out", str(out), "--lang", "en", timeout=900)
    assert proc.returncode == 0, proc.stderr
    html = (out / "site" / "assessments" / "blockchain" / "index.html").read_text("utf-8")
    assert "<script>alert(1)" not in html and "<img src=x" not in html and "javascript:alert" not in html.split("&lt;")[0]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    # In the JSON the script reads, no '<' at all: the element cannot be closed from inside.
    for block in re.findall(r'<script type="application/json"[^>]*>(.*?)</script>', html, re.S):
        assert "<" not in block
    from pypdf import PdfReader

    pdf = out / "report" / next(p.name for p in (out / "report").iterdir() if "self-assessment-blockchain-en-questionnaire.pdf" in p.name)
    pdf_text = " ".join(page.extract_text() for page in PdfReader(str(pdf)).pages)
    assert "#set text(red) $x$ *bold*" in pdf_text.replace("\n", " ")
    with zipfile.ZipFile(out / "report" / pdf.name.replace(".pdf", ".docx")) as docx:
        xml = docx.read("word/document.xml").decode("utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in xml and "<script>" not in xml
