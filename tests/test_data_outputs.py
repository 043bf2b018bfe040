"""Figures come from data/: edit one value, rebuild, and the new value is in the site, the DOCX
and the PDF of both languages — and the old one nowhere."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pypdf
import pytest

from conftest import copy_repo, run_build


def _site_text(site: Path, lang: str) -> str:
    page = site / ("" if lang == "en" else "fr") / "methodology" / "index.html"
    return page.read_text("utf-8")


def _docx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as docx:
        xml = docx.read("word/document.xml").decode("utf-8")
    return re.sub(r"<[^>]+>", "", xml)


def _pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(str(path)).pages)


@pytest.fixture(scope="module")
def edited_build(tmp_path_factory):
    """The repository with MENA's participation changed from 38.8 to 41.7, built."""
    root = copy_repo(tmp_path_factory.mktemp("data") / "repo")
    survey = root / "data" / "survey-2025.yml"
    text = survey.read_text("utf-8")
    assert "participation: 38.8" in text
    survey.write_text(text.replace("participation: 38.8", "participation: 41.7"), "utf-8")
    out = root / "out"
    proc = run_build("all", "--root", str(root), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    return root, out


@pytest.mark.parametrize("lang, new, old", [("en", "41.7%", "38.8%"), ("fr", "41,7\u00a0%", "38,8")])
def test_an_edited_value_reaches_every_output(edited_build, lang, new, old):
    root, out = edited_build
    site = _site_text(out / "site", lang)
    docx = _docx_text(out / "report" / f"wco-disruptive-technologies-2026-{lang}.docx")
    pdf = _pdf_text(out / "report" / f"wco-disruptive-technologies-2026-{lang}.pdf")
    for name, text in (("site", site), ("DOCX", docx), ("PDF", pdf)):
        assert new in text, f"{name} ({lang}) does not show the new value {new!r}"
        assert old not in text, f"{name} ({lang}) still shows the old value {old!r}"
    # The chart too: its SVG on the site (text, not paths) and its labels in the PDF.
    svg = re.search(r"<svg[^>]*aria-label=.*?</svg>", site, re.S)  # the chart, not an icon
    assert svg and new.replace("\u00a0", " ") in svg.group(0).replace("\u00a0", " ").replace("&#160;", " ")


def test_french_chart_has_a_decimal_comma_and_alt_text(edited_build):
    root, out = edited_build
    site = _site_text(out / "site", "fr")
    svg = re.search(r"<svg[^>]*aria-label=.*?</svg>", site, re.S).group(0)  # the chart, not an icon
    assert re.search(r"37,1", svg) and not re.search(r"37\.1", svg)
    assert 'aria-label="' in svg and "MENA" in svg
    with zipfile.ZipFile(out / "report" / "wco-disruptive-technologies-2026-fr.docx") as docx:
        xml = docx.read("word/document.xml").decode("utf-8")
    alts = re.findall(r'<wp:docPr [^>]*descr="([^"]*)"', xml)
    assert any("MENA 41,7" in a for a in alts), alts  # the chart's text alternative, from its data
    pdf = _pdf_text(out / "report" / "wco-disruptive-technologies-2026-fr.pdf")
    assert "MENA" in pdf and "A/P" in pdf  # the chart's labels are text in the PDF


def test_a_value_in_prose_comes_from_data(edited_build):
    root, out = edited_build
    source = (root / "docs" / "en" / "methodology.md").read_text("utf-8")
    assert "{{ ncp-2025.all.members }}" in source
    site = _site_text(out / "site", "en")
    assert "143 Members have designated 231" in re.sub(r"<[^>]+>", "", site)
