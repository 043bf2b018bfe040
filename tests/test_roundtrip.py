"""`build_report.py import-docx`: a reviewed DOCX back into the Markdown sources.

Real builds of a scratch copy of the repository, the DOCX edited in raw OOXML as Word writes
tracked changes and comments (docx_edits.py), and the real command. The expected sources are
the originals with the reviewer's change made by hand (str.replace), compared byte for byte.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from conftest import copy_repo, nav_pages, require_tool, run_build
from docx_edits import DocxEditor

LANGS = ("en", "fr")


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A scratch copy of the sources with its DOCX reports built (import --apply writes into it)."""
    root = copy_repo(tmp_path_factory.mktemp("roundtrip") / "repo")
    proc = run_build("report", "--format", "docx", "--root", str(root), "--out", str(root / "build"), cwd=root)
    assert proc.returncode == 0, proc.stderr
    return root


def built_docx(root: Path, lang: str) -> Path:
    return next((root / "build" / "report").glob(f"*-{lang}.docx"))


def import_docx(root: Path, docx: Path, *args: str) -> subprocess.CompletedProcess:
    return run_build("import-docx", str(docx), "--root", str(root), *args, cwd=root)


def digest(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for top in ("docs", "casestudies") for p in sorted((root / top).rglob("*")) if p.is_file()}


def fresh(root: Path, tmp_path: Path) -> Path:
    """A copy of the built project, for a test that applies changes."""
    target = tmp_path / "repo"
    shutil.copytree(root, target)
    return target


# --- the invariant: an unedited DOCX gives an empty diff ----------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_unedited_docx_gives_an_empty_diff(project, lang):
    proc = import_docx(project, built_docx(project, lang))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""
    assert "0 blocks changed" in proc.stderr and "No change to the sources" in proc.stderr
    assert "Not imported" not in proc.stderr


@pytest.mark.parametrize("lang", LANGS)
def test_every_chapter_block_carries_an_anchor(project, lang):
    """Each chapter of the report has its blocks anchored: the round trip covers every chapter."""
    with zipfile.ZipFile(built_docx(project, lang)) as z:
        xml = z.read("word/document.xml").decode("utf-8")
        props = z.read("docProps/custom.xml").decode("utf-8")
    anchors = re.findall(r'w:name="wco_src_(\d+)"', xml)
    assert anchors == [str(n) for n in range(len(anchors))]
    chapters = [name for name in nav_pages(project)
                if not re.search(r"^report:\s*false", (project / "docs" / lang / name).read_text("utf-8"), re.M)]
    for name in chapters:
        assert f"wcoreport-source docs/{lang}/{name}" in props, name
    assert len(anchors) > 2 * len(chapters)


@pytest.mark.parametrize("lang", LANGS)
def test_unedited_docx_saved_by_libreoffice_gives_an_empty_diff(project, lang, tmp_path):
    soffice = require_tool("soffice")
    source = tmp_path / f"saved-{lang}.docx"
    shutil.copy(built_docx(project, lang), source)
    out = tmp_path / "lo"
    subprocess.run([soffice, "--headless", "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out),
                    str(source)], capture_output=True, timeout=180, check=True)
    proc = import_docx(project, out / source.name)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "" and "0 blocks changed" in proc.stderr, proc.stderr


# --- a reviewer's edits -------------------------------------------------------------------

def paragraph_number(docx: Path, text: str) -> int:
    """The number the DOCX shows at the start of the paragraph holding `text`."""
    editor = DocxEditor(docx)
    p = editor.paragraph(text)
    return int(re.match(r"(\d+)\.", editor._text(p)).group(1))


def line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text("utf-8").split("\n"), 1) if text in line)


def test_tracked_edits_and_comments_become_the_expected_diff(project, tmp_path):
    root = fresh(project, tmp_path)
    intro, method = root / "docs/en/introduction.md", root / "docs/en/methodology.md"
    # A table typed in the chapter (the bundled ones come from data/, and are generated).
    intro.write_text(intro.read_text("utf-8") + "\n| Technology | Case studies |\n|---|---|\n"
                     "| Blockchain | 4711 |\n| Cloud computing | 7 |\n", "utf-8")
    fr_intro = root / "docs/fr/introduction.md"  # the same table in French: the structures stay parallel
    fr_intro.write_text(fr_intro.read_text("utf-8") + "\n| Technologie | Études de cas |\n|---|---|\n"
                        "| Chaîne de blocs | 4711 |\n| Informatique en nuage | 7 |\n", "utf-8")
    rebuilt = run_build("report", "--lang", "en", "--format", "docx", "--root", str(root), cwd=root)
    assert rebuilt.returncode == 0, rebuilt.stderr
    before = digest(root)
    intro_text, method_text = intro.read_text("utf-8"), method.read_text("utf-8")
    docx = built_docx(root, "en")
    editor = DocxEditor(docx)
    # a tracked insertion in a sentence that has a citation
    editor.insert("The initiative aims", "current", " and future")
    # a tracked insertion just before a citation
    editor.insert("Participation varies by region", "varies", " widely")
    # a tracked deletion that ends at a citation
    editor.delete("followed by the WCO-WTO", ", launched on 3 October 2022")
    # a tracked replacement of a word in a sentence with emphasis around it
    editor.replace("The technologies covered by the project", "regional consultations", "regional meetings")
    # an edit without tracking, in a table cell
    editor.replace("4711", "4711", "4712", tracked=False)
    # a comment on a numbered paragraph
    editor.comment("143 Members have designated", "231 NCPs", "Please check this figure against PC0790.")
    # an edit in a case-study box: generated, reported
    editor.insert("This box will summarize the case study", "the results reported", " so far")
    edited = editor.save(tmp_path / "edited-en.docx")

    patch, comments = tmp_path / "review.patch", tmp_path / "comments.md"
    proc = import_docx(root, edited, "--patch", str(patch), "--comments", str(comments), "--apply")
    assert proc.returncode == 0, proc.stderr

    expected_intro = (intro_text
                      .replace("Members' current level", "Members' current and future level")
                      .replace("Disruptive Technologies, launched on 3 October 2022 [@wcowto2022study]",
                               "Disruptive Technologies [@wcowto2022study]")
                      .replace("| Blockchain | 4711 |", "| Blockchain | 4712 |"))
    expected_method = (method_text
                       .replace("Participation varies by region (@tbl:survey-2025",
                                "Participation varies widely by region (@tbl:survey-2025")
                       .replace("through regional consultations with Members and a survey",
                                "through regional meetings with Members and a survey"))
    assert expected_intro != intro_text and expected_method != method_text
    assert intro.read_text("utf-8") == expected_intro
    assert method.read_text("utf-8") == expected_method
    after = digest(root)
    assert {k for k in before if before[k] != after[k]} == {"docs/en/introduction.md", "docs/en/methodology.md"}

    diff = patch.read_text("utf-8")
    assert "--- a/docs/en/introduction.md" in diff and "+++ b/docs/en/methodology.md" in diff

    # the case-study edit: reported, with its place and paragraph
    reported = [ln for ln in proc.stderr.splitlines() if "not imported" in ln]
    assert len(reported) == 1, proc.stderr
    assert "docs/en/ai-ml.md:" in reported[0] and "case study box 'cn-ai-ml'" in reported[0]
    assert "so far" in reported[0] and re.search(r"para\. \d+", reported[0])

    # the comment: anchored to the source line and the paragraph number the DOCX shows
    number = paragraph_number(docx, "143 Members have designated")
    where = f"docs/en/methodology.md:{line_of(method, '{{ ncp-2025.all.ncps }} NCPs')} (para. {number})"
    assert where in proc.stderr
    listed = comments.read_text("utf-8")
    assert where.replace(" (", "** (", 1) in listed and "Please check this figure against PC0790." in listed
    assert "231 NCPs" in listed

    # imported once, the DOCX no longer matches the sources: a second import is refused
    again = import_docx(root, edited)
    assert again.returncode != 0 and "changed since this DOCX was built" in again.stderr


def test_the_patch_applies_with_git_apply(project, tmp_path):
    git = require_tool("git")
    root = fresh(project, tmp_path)
    editor = DocxEditor(built_docx(root, "fr"))
    editor.replace("Le projet Douanes intelligentes vise", "stratégiques", "principaux")
    # in a list item that ends with " ;" (a no-break space in the DOCX)
    editor.replace("spécifications techniques minimales", "mise au point", "élaboration")
    edited = editor.save(tmp_path / "edited-fr.docx")
    patch = tmp_path / "fr.patch"
    proc = import_docx(root, edited, "--patch", str(patch))
    assert proc.returncode == 0, proc.stderr
    source = (root / "docs/fr/introduction.md").read_text("utf-8")
    subprocess.run([git, "init", "-q"], cwd=root, check=True)
    subprocess.run([git, "apply", "--check", str(patch)], cwd=root, check=True)
    subprocess.run([git, "apply", str(patch)], cwd=root, check=True)
    expected = (source.replace("objectifs stratégiques suivants", "objectifs principaux suivants")
                .replace("b) mise au point d'orientations", "b) élaboration d'orientations"))
    assert expected != source
    assert (root / "docs/fr/introduction.md").read_text("utf-8") == expected


def test_comments_as_csv(project, tmp_path):
    import csv

    editor = DocxEditor(built_docx(project, "en"))
    editor.comment("The WCO launched the Smart Customs project", "December 2023", "Which month exactly?",
                   author="Member A")
    edited = editor.save(tmp_path / "commented.docx")
    out = tmp_path / "comments.csv"
    proc = import_docx(project, edited, "--comments", str(out))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""  # a comment changes no text
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert len(rows) == 1
    line = line_of(project / "docs/en/introduction.md", "December 2023")
    assert rows[0]["location"] == f"docs/en/introduction.md:{line}"
    assert rows[0]["author"] == "Member A" and rows[0]["comment"] == "Which month exactly?"
    assert rows[0]["on text"] == "December 2023"


def test_edit_of_a_formatted_citation_is_reported_not_applied(project, tmp_path):
    editor = DocxEditor(built_docx(project, "en"))
    editor.replace("The initiative aims", "para. 1)", "para. 7)", tracked=False)
    edited = editor.save(tmp_path / "cite.docx")
    proc = import_docx(project, edited)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""
    assert "docs/en/introduction.md:" in proc.stderr and "not imported" in proc.stderr
    assert "citation" in proc.stderr


# --- bad input: a clear message, nothing written ----------------------------------------

def _refused(root: Path, docx: Path, tmp_path: Path, *args: str) -> str:
    before = digest(root)
    patch = tmp_path / "out.patch"
    comments = tmp_path / "out.md"
    proc = import_docx(root, docx, "--patch", str(patch), "--comments", str(comments), "--apply", *args)
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    assert not patch.exists() and not comments.exists()
    assert digest(root) == before
    return proc.stderr


def test_a_docx_not_built_by_the_project_is_refused(project, tmp_path):
    import docx

    other = tmp_path / "other.docx"
    document = docx.Document()
    document.add_paragraph("Some text.")
    document.save(str(other))
    message = _refused(project, other, tmp_path)
    assert "other.docx: it was not built by this toolchain" in message


def test_a_damaged_docx_is_refused(project, tmp_path):
    damaged = tmp_path / "damaged.docx"
    damaged.write_bytes(built_docx(project, "en").read_bytes()[:5000])
    message = _refused(project, damaged, tmp_path)
    assert "damaged.docx: not a Word document, or a damaged one" in message


def test_a_docx_of_the_other_language_is_refused(project, tmp_path):
    message = _refused(project, built_docx(project, "fr"), tmp_path, "--lang", "en")
    assert "it is the 'fr' report, not the 'en' one" in message


def test_a_docx_of_older_sources_is_refused(project, tmp_path):
    root = fresh(project, tmp_path)
    chapter = root / "docs/en/drones.md"
    chapter.write_text(chapter.read_text("utf-8") + "\nA paragraph added after the DOCX was sent.\n", "utf-8")
    editor = DocxEditor(built_docx(root, "en"))
    editor.insert("The initiative aims", "current", " and future")
    edited = editor.save(tmp_path / "old.docx")
    message = _refused(root, edited, tmp_path)
    assert "the sources changed since this DOCX was built" in message and "docs/en/drones.md" in message


def test_import_takes_one_docx(project, tmp_path):
    proc = run_build("import-docx", "--root", str(project), cwd=project)
    assert proc.returncode != 0 and "import-docx takes one DOCX file" in proc.stderr


# --- the source map the import relies on --------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_each_block_starts_at_its_own_line(repo_root, lang):
    """block_lines after a footnote (its text is typed at the end of the page) and after a
    case-study box (its text is another file) still name the block's own line."""
    from wcoreport.markdown.gate import check_project
    from wcoreport.markdown.pandoc_ast import stringify
    from wcoreport.sources.project import load_project

    project = load_project(repo_root)
    analysis = check_project(project)
    for name in ("methodology.md", "ai-ml.md", "introduction.md"):
        page = analysis.languages[lang].pages[name]
        lines = (repo_root / "docs" / lang / name).read_text("utf-8").split("\n")
        assert len(page.blocks) == len(page.block_lines), name
        for block, (path, line) in zip(page.blocks, page.block_lines):
            assert path.name == name
            words = re.findall(r"[^\W\d_]{4,}", stringify(block))
            if block["t"] in ("Para", "Header") and words and "{{" not in lines[line - 1]:
                assert words[0] in lines[line - 1], (name, line, words[0])  # (a value from data/ is not typed)
