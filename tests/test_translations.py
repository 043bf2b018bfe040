"""Translation drift (translations.py) and the `translated` command that marks a page current."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import REPO_ROOT, copy_repo, run_build
from wcoreport.sources.project import load_project
from wcoreport.translation.translations import State, normalize, project_translations, source_hash


def states(root: Path) -> dict[tuple[str, str], State]:
    project = load_project(root)
    return {(name, lang): t.state for name, by_lang in project_translations(project).items()
            for lang, t in by_lang.items()}


def front_matter(path: Path) -> str:
    return path.read_text("utf-8").split("---", 2)[1]


def test_the_hash_ignores_reformatting_but_not_a_changed_word():
    text = "# Title\n\nOne paragraph.\n\nAnother one.\n"
    assert source_hash(text) == source_hash(text.replace("\n", "\r\n"))
    assert source_hash(text) == source_hash("\n\n" + text.replace("paragraph.", "paragraph.   ") + "\n\n\n")
    assert source_hash(text) == source_hash(text.replace("\n\nAnother", "\n\n\n\nAnother"))
    assert source_hash(text) != source_hash(text.replace("One", "Two"))
    assert re.fullmatch(r"[0-9a-f]{12}", source_hash(text))
    assert normalize("a  \r\nb\n\n\n\nc\n") == "a\nb\n\nc"


def test_every_bundled_translation_is_current():
    stale = [f"docs/{lang}/{name}: {state.value}" for (name, lang), state in states(REPO_ROOT).items()
             if state not in (State.SOURCE, State.CURRENT)]
    assert not stale, ("translations not marked current; after checking them run "
                       f"'build_report.py translated <page>': {stale}")


def test_changing_the_english_page_makes_its_translation_stale_and_the_command_marks_it_current(tmp_path):
    root = copy_repo(tmp_path)
    en, fr = root / "docs/en/blockchain.md", root / "docs/fr/blockchain.md"
    # A sentence more in a paragraph: drift, not a change of structure (that is parity's, test_parity.py).
    text = en.read_text("utf-8")
    assert ".\n\n## " in text
    en.write_text(text.replace(".\n\n## ", ". A new sentence of the source.\n\n## ", 1), "utf-8")
    after = states(root)
    assert after[("blockchain.md", "fr")] is State.STALE
    assert after[("ai-ml.md", "fr")] is State.CURRENT  # the others are untouched
    before = fr.read_text("utf-8")
    check = run_build("check", "--strict", cwd=root)  # drift is reported, and fails no build
    assert check.returncode == 0, check.stderr
    assert "docs/fr/blockchain.md:3: warning: behind its source: docs/en/blockchain.md changed" in check.stderr
    assert "docs/fr/ai-ml.md" not in check.stderr

    proc = run_build("translated", "docs/fr/blockchain.md", cwd=root)
    assert proc.returncode == 0, proc.stderr
    assert "docs/fr/blockchain.md" in proc.stdout and "was stale" in proc.stdout
    assert states(root)[("blockchain.md", "fr")] is State.CURRENT
    # Only the translation_of line changed.
    old_lines, new_lines = before.split("\n"), fr.read_text("utf-8").split("\n")
    assert len(old_lines) == len(new_lines)
    changed = [(a, b) for a, b in zip(old_lines, new_lines) if a != b]
    assert len(changed) == 1 and changed[0][1].startswith("translation_of: "), changed


def test_the_command_adds_the_line_to_a_page_that_had_none(tmp_path):
    root = copy_repo(tmp_path)
    fr = root / "docs/fr/drones.md"
    fr.write_text(re.sub(r"^translation_of: .*\n", "", fr.read_text("utf-8"), flags=re.M), "utf-8")
    assert states(root)[("drones.md", "fr")] is State.UNTRACKED
    body_before = fr.read_text("utf-8").split("---", 2)[2]
    proc = run_build("--root", str(root), "translated", str(fr))  # an absolute path, from anywhere
    assert proc.returncode == 0, proc.stderr
    assert "status: " in front_matter(fr) and "translation_of: " in front_matter(fr)
    assert fr.read_text("utf-8").split("---", 2)[2] == body_before
    assert states(root)[("drones.md", "fr")] is State.CURRENT


@pytest.mark.parametrize("page, message", [
    ("docs/en/drones.md", "is the source of 'drones.md'"),
    ("docs/fr/nowhere.md", "not a chapter of the nav"),
    ("report.yml", "not a page of the docs folder"),
])
def test_the_command_refuses_what_is_not_a_translation(tmp_path, page, message):
    root = copy_repo(tmp_path)
    before = {p: p.read_bytes() for p in (root / "docs").rglob("*.md")}
    proc = run_build("translated", page, cwd=root)
    assert proc.returncode == 2
    assert message in proc.stderr and "Traceback" not in proc.stderr
    assert before == {p: p.read_bytes() for p in (root / "docs").rglob("*.md")}


def test_the_command_needs_a_page():
    proc = run_build("translated", cwd=REPO_ROOT)
    assert proc.returncode == 2 and "name the translated pages" in proc.stderr


def test_a_chapter_written_in_french_makes_the_english_page_the_translation(tmp_path):
    root = copy_repo(tmp_path)
    en, fr = root / "docs/en/iot.md", root / "docs/fr/iot.md"
    for page in (en, fr):
        text = re.sub(r"^translation_of: .*\n", "", page.read_text("utf-8"), flags=re.M)
        page.write_text(text.replace("---\n", "---\nsource_lang: fr\n", 1), "utf-8")
    now = states(root)
    assert now[("iot.md", "fr")] is State.SOURCE
    assert now[("iot.md", "en")] is State.UNTRACKED
    proc = run_build("translated", "docs/en/iot.md", cwd=root)
    assert proc.returncode == 0, proc.stderr
    assert states(root)[("iot.md", "en")] is State.CURRENT
    fr.write_text(fr.read_text("utf-8") + "\nUne phrase ajoutée.\n", "utf-8")
    assert states(root)[("iot.md", "en")] is State.STALE


def test_a_source_lang_that_is_no_language_is_an_error_with_its_line(tmp_path):
    root = copy_repo(tmp_path)
    page = root / "docs/fr/drones.md"
    page.write_text(page.read_text("utf-8").replace("---\n", "---\nsource_lang: de\n", 1), "utf-8")
    proc = run_build("check", cwd=root)
    assert proc.returncode == 1
    assert "docs/fr/drones.md:2: error: source_lang: 'de' is not a language of the site" in proc.stderr


def test_translated_refuses_a_page_whose_paragraphs_were_merged(tmp_path):
    """A translator merged two paragraphs: recording the page as current would shift every later
    paragraph number. Refused with parity's own message, and nothing is written."""
    root = copy_repo(tmp_path)
    fr = root / "docs/fr/introduction.md"
    fr.write_text(fr.read_text("utf-8").replace("para. 8].\n\nLe Comité", "para. 8]. Le Comité", 1), "utf-8")
    (root / "docs/en/introduction.md").write_text(  # the source changed too: the page is behind
        (root / "docs/en/introduction.md").read_text("utf-8").replace("in December 2023", "in December 2023 ", 1)
        .replace("The WCO launched", "The WCO started", 1), "utf-8")
    before = {p: p.read_bytes() for top in ("docs", "translations") for p in (root / top).rglob("*") if p.is_file()}
    proc = run_build("translated", "docs/fr/introduction.md", cwd=root)
    assert proc.returncode == 1, proc.stderr
    here = next(n for n, line in enumerate(fr.read_text("utf-8").split("\n"), 1) if "L'OMD a publié un premier" in line)
    (line,) = [ln for ln in proc.stderr.splitlines() if ": error: " in ln]
    assert line.startswith(f"docs/fr/introduction.md:{here}: error: paragraph 1 of 'Lien avec les éditions "
                           "précédentes' holds what docs/en/introduction.md:"), line
    assert "merged? (2 paragraphs there, 1 paragraph here); not recorded as current" in line
    assert "Traceback" not in proc.stderr
    assert before == {p: p.read_bytes() for p in before}
    assert states(root)[("introduction.md", "fr")] is State.STALE
