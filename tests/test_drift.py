"""Paragraph drift (drift.py): `translated` records what each source block said; after an edit
of the source, the stale banner and the side-by-side page show exactly the blocks that changed,
with a word-level diff — from the files alone, without git."""

from __future__ import annotations

import json
import re
from pathlib import Path

from conftest import copy_repo, run_build


def build_site(root: Path, out: Path):
    proc = run_build("site", "--out", str(out), cwd=root)
    assert proc.returncode == 0, proc.stderr
    return out / "site"


def banner(page: Path) -> str:
    html = page.read_text("utf-8")
    m = re.search(r'<div class="wco-banner wco-drift".*?</ol></div>', html, re.S)
    return m.group(0) if m else ""


def test_every_bundled_translation_has_its_paragraph_record(repo_root):
    for page in sorted((repo_root / "docs/fr").glob("*.md")):
        recorded = re.search(r"^translation_of: (\w+)", page.read_text("utf-8"), re.M).group(1)
        record = json.loads((repo_root / "translations/fr" / (page.stem + ".json")).read_text("utf-8"))
        assert record["source_hash"] == recorded, page
        assert record["source"] == f"docs/en/{page.name}"
        source = (repo_root / "docs/en" / page.name).read_text("utf-8")
        for block in record["blocks"]:  # the text as typed in the source
            assert block["text"] in source


def test_one_edited_source_paragraph_is_exactly_what_the_banner_lists(tmp_path):
    root = copy_repo(tmp_path / "repo")
    en = root / "docs/en/introduction.md"
    edit_from = "The WCO launched the Smart Customs project in December 2023"
    text = en.read_text("utf-8")
    assert edit_from in text
    en.write_text(text.replace(edit_from, "The WCO started the Smart Customs project in December 2023"), "utf-8")
    site = build_site(root, tmp_path / "out")
    shown = banner(site / "fr/introduction/index.html")
    assert "Blocs du texte source modifiés depuis la traduction\u202f: 1." in shown
    assert shown.count("<li ") == 1
    assert re.search("paragraphe 1 de «.The Smart Customs project.»", shown)
    assert "<del>launched</del><ins>started</ins>" in shown
    # Other pages: no banner; the side-by-side page highlights that one block.
    assert banner(site / "fr/methodology/index.html") == ""
    sbs = (site / "fr/side-by-side/introduction/index.html").read_text("utf-8")
    assert sbs.count('class="wco-sbs-changed"') == 1
    assert re.search(r'class="wco-sbs-changed"><td lang="en"><span class="wco-sbs-num">par\. 1</span>', sbs)
    # It reads as the page does: rendered text, the changed words marked, the Markdown on demand.
    table = re.search(r'<div class="wco-sbs">.*?</table></div>', sbs, re.S).group(0)
    shown_text = re.sub(r'<details class="wco-sbs-markdown">.*?</details>', "", table, flags=re.S)
    assert "{#" not in shown_text and "[@" not in shown_text and "## " not in shown_text
    assert "<h2>The Smart Customs project</h2>" in shown_text and "<h2>Le projet Douanes intelligentes</h2>" in shown_text
    assert shown_text.count("(World Customs Organization 2025, para.\u00a01)") + \
        shown_text.count("(World Customs Organization 2025, para. 1)") >= 1  # the citation as formatted
    assert "The WCO <del>launched </del><ins>started</ins> the Smart Customs project" in shown_text
    markdown = re.findall(r'<details class="wco-sbs-markdown"><summary>Markdown</summary>(.*?)</details>', table, re.S)
    assert any("## Le projet Douanes intelligentes {#intro-project}" in m for m in markdown)
    assert any("<del>launched</del><ins>started</ins>" in m for m in markdown)  # the diff of the Markdown, too
    # Paragraph numbers aligned: each row holds the same number on both sides.
    for row in re.findall(r"<tr[^>]*>.*?</tr>", table, re.S):
        assert len(set(re.findall(r'<span class="wco-sbs-num">([^<]*)</span>', row))) <= 1, row
    assert 'id="' not in shown_text.split("<tbody>", 1)[1]  # (both languages' ids would be there twice)
    status = (site / "fr/status/index.html").read_text("utf-8")
    assert re.search(r'<li data-chapter="introduction.md"><a href="\.\./side-by-side/introduction/">Introduction</a>'
                     r" \(français\) — 1 modifié", status)


def test_added_and_removed_blocks_are_listed_and_translated_clears_them(tmp_path):
    root = copy_repo(tmp_path / "repo")
    en = root / "docs/en/introduction.md"
    text = en.read_text("utf-8")
    removed = next(p for p in text.split("\n\n") if p.startswith("The Permanent Technical Committee (PTC)"))
    text = text.replace("\n\n" + removed, "", 1)
    text = text.replace("\n## Relationship with earlier editions",
                        "\nA new paragraph of the source.\n\n## Relationship with earlier editions")
    en.write_text(text, "utf-8")
    site = build_site(root, tmp_path / "out")
    shown = banner(site / "fr/introduction/index.html")
    assert "Blocs du texte source modifiés depuis la traduction\u202f: 2." in shown
    assert '<li class="wco-drift-added"><strong>ajouté</strong>' in shown
    assert "<ins>A new paragraph of the source.</ins>" in shown
    assert '<li class="wco-drift-removed"><strong>supprimé</strong>' in shown
    assert "<del>The Permanent Technical Committee (PTC)" in shown

    fr = root / "docs/fr/introduction.md"
    refused = run_build("translated", "docs/fr/introduction.md", cwd=root)  # not updated yet: its structure departs
    assert refused.returncode == 1 and "not recorded as current" in refused.stderr, refused.stderr
    text = fr.read_text("utf-8")
    gone = next(p for p in text.split("\n\n") if p.startswith("Le Comité technique permanent"))
    text = text.replace("\n\n" + gone, "", 1).replace(
        "\n## Lien avec les éditions précédentes",
        "\nUn nouveau paragraphe de la source.\n\n## Lien avec les éditions précédentes")
    fr.write_text(text, "utf-8")
    proc = run_build("translated", "docs/fr/introduction.md", cwd=root)
    assert proc.returncode == 0, proc.stderr
    assert "translations/fr/introduction.json" in proc.stdout
    record = json.loads((root / "translations/fr/introduction.json").read_text("utf-8"))
    assert any(b["text"] == "A new paragraph of the source." for b in record["blocks"])
    assert not any(b["text"].startswith("The Permanent Technical Committee") for b in record["blocks"])
    site = build_site(root, tmp_path / "out2")
    assert banner(site / "fr/introduction/index.html") == ""


def test_a_record_of_another_version_is_not_used(tmp_path):
    """A translation_of edited by hand: the record no longer says what was translated, so the
    banner says that, instead of listing wrong paragraphs."""
    root = copy_repo(tmp_path / "repo")
    fr = root / "docs/fr/introduction.md"
    fr.write_text(re.sub(r"^translation_of: \w+", "translation_of: abcdef012345", fr.read_text("utf-8"), flags=re.M),
                  "utf-8")
    site = build_site(root, tmp_path / "out")
    html = (site / "fr/introduction/index.html").read_text("utf-8")
    assert "les blocs modifiés n’ont pas été enregistrés" in html or "les blocs modifiés n'ont pas été enregistrés" in html
    assert "wco-drift-list" not in html
