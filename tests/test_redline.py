"""`build_report.py redline --since REV`: the report with the changes since a review round.

A scratch git repository of the sources: committed and tagged `review-1`, then in each language
a sentence edited, a paragraph deleted and a paragraph added, committed. The real command builds
the redline; the tests read the DOCX's XML, have LibreOffice open it, and read the PDF's text
and colours with pypdf. The diff itself (markdown/redline.py) has small tests of its own below.
"""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pytest

from conftest import copy_repo, require_tool, run_build

LANGS = ("en", "fr")
# (file, old text, new text) in each language: a sentence edited, a paragraph deleted, one added.
EDITED = {"en": ("to narrow the digital divide,", "to narrow the widening digital divide,"),
          "fr": ("à réduire la fracture numérique,", "à réduire la fracture numérique croissante,")}
INSERTED_WORD = {"en": "widening", "fr": "croissante"}
DELETED_START = {"en": "The Permanent Technical Committee (PTC) validated",
                 "fr": "Le Comité technique permanent (CTP) a validé"}
HEADING = {"en": "## Structure of the report {#intro-structure}\n\n",
           "fr": "## Structure du rapport {#intro-structure}\n\n"}
# The added paragraph: unusual words to find, and Typst and Markdown-looking text that must stay text.
ADDED = {"en": "Zeppelin quartz paragraph #pagebreak() added ]; for the second review round.",
         "fr": "Paragraphe zeppelin quartz #pagebreak() ajouté ]; pour la deuxième série."}
ADDED_WORD = "quartz"
DELETED_WORD = {"en": "validated", "fr": "validé"}


def git(root: Path, *args: str) -> str:
    proc = subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", *args],
                          cwd=root, capture_output=True, text=True, check=True)
    return proc.stdout


def edit_round_two(root: Path) -> None:
    for lang in LANGS:
        path = root / "docs" / lang / "introduction.md"
        source = path.read_text("utf-8")
        old, new = EDITED[lang]
        assert old in source and HEADING[lang] in source
        source = source.replace(old, new, 1)
        deleted = re.search(rf"^{re.escape(DELETED_START[lang])}.*\n\n", source, re.M)
        assert deleted, "the paragraph to delete is gone from the sources: update the test"
        source = source.replace(deleted.group(0), "", 1)
        source = source.replace(HEADING[lang], HEADING[lang] + ADDED[lang] + "\n\n", 1)
        path.write_text(source, "utf-8")


@pytest.fixture(scope="module")
def rounds(tmp_path_factory) -> Path:
    """A git repository of the sources: tag review-1, then the second round's edits committed."""
    root = copy_repo(tmp_path_factory.mktemp("redline") / "repo")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "first review round")
    git(root, "tag", "review-1")
    edit_round_two(root)
    git(root, "commit", "-q", "-a", "-m", "second review round")
    git(root, "tag", "review-2")
    return root


@pytest.fixture(scope="module")
def redline(rounds: Path) -> Path:
    proc = run_build("redline", "--since", "review-1", "--root", str(rounds), "--out", str(rounds / "build"),
                     cwd=rounds)
    assert proc.returncode == 0, proc.stderr
    out = rounds / "build" / "redline"
    assert sorted(p.name for p in out.iterdir()) == sorted(
        f"wco-disruptive-technologies-2026-{lang}-since-review-1.{fmt}" for lang in LANGS for fmt in ("docx", "pdf"))
    return out


def output(out: Path, lang: str, fmt: str) -> Path:
    return next(out.glob(f"*-{lang}-since-review-1.{fmt}"))


def document_xml(docx: Path) -> str:
    with zipfile.ZipFile(docx) as package:
        return package.read("word/document.xml").decode("utf-8")


def changes(xml: str, kind: str) -> list[str]:
    """The text of each w:ins or w:del of the document."""
    return ["".join(re.findall(r"<w:(?:t|delText)(?: [^>]*)?>([^<]*)</w:(?:t|delText)>", m.group(1)))
            for m in re.finditer(rf"<w:{kind} [^>]*>(.*?)</w:{kind}>", xml, re.S)]


def paragraphs(xml: str) -> list[tuple[str, str]]:
    """The style and text of each paragraph, deleted text included."""
    out = []
    for p in re.findall(r"<w:p[ >].*?</w:p>", xml, re.S):
        style = re.search(r'<w:pStyle w:val="([^"]*)"', p)
        out.append((style.group(1) if style else "",
                    "".join(re.findall(r"<w:(?:t|delText)(?: [^>]*)?>([^<]*)</w:(?:t|delText)>", p))))
    return out


# --- DOCX: native tracked changes ------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_docx_holds_the_insertions_and_deletions(redline, lang):
    xml = document_xml(output(redline, lang, "docx"))
    inserted, deleted = changes(xml, "ins"), changes(xml, "del")
    assert any(INSERTED_WORD[lang] in text for text in inserted), inserted
    assert any(ADDED_WORD in text and "#pagebreak()" in text for text in inserted), inserted
    assert any(DELETED_START[lang].split(" (")[0] in text and DELETED_WORD[lang] in text for text in deleted), deleted
    # Only what changed is marked: no unchanged sentence in a change.
    assert not any("Smart Customs" in text for text in inserted + deleted)
    author = "Changes since review-1" if lang == "en" else "Modifications depuis review-1"
    assert re.search(rf'<w:ins [^>]*w:author="{author}"', xml)
    assert re.search(r'<w:del [^>]*w:date="\d{4}-\d\d-\d\dT', xml)


@pytest.mark.parametrize("lang", LANGS)
def test_paragraph_numbers_follow_the_new_version(redline, lang):
    styled = paragraphs(document_xml(output(redline, lang, "docx")))
    texts = [t for _style, t in styled]
    numbered = [t for style, t in styled if style == "NumberedParagraph"]
    numbers = [int(m.group(1)) for t in numbered if (m := re.match(r"^(\d+)\.", t))]
    assert len(numbers) == len(numbered) > 10
    assert numbers == list(range(1, len(numbers) + 1)), "paragraph numbers run 1, 2, 3 ... without a gap"
    deleted = next(i for i, t in enumerate(texts) if t.startswith(DELETED_START[lang]))  # no number before it
    assert styled[deleted][0] != "NumberedParagraph"
    before = next(int(m.group(1)) for style, t in reversed(styled[:deleted])
                  if style == "NumberedParagraph" and (m := re.match(r"^(\d+)\.", t)))
    added = next(t for t in texts if ADDED_WORD in t)
    assert added.startswith(f"{before + 1}."), (before, added)


@pytest.mark.parametrize("lang", LANGS)
def test_libreoffice_opens_the_redline_docx(redline, lang, tmp_path):
    soffice = require_tool("soffice")
    docx = output(redline, lang, "docx")
    proc = subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path / 'profile'}",
                           "--convert-to", "pdf", "--outdir", str(tmp_path), str(docx)],
                          capture_output=True, text=True, timeout=240)
    converted = tmp_path / (docx.stem + ".pdf")
    assert proc.returncode == 0 and converted.is_file(), proc.stderr + proc.stdout
    from pypdf import PdfReader

    text = " ".join(page.extract_text() for page in PdfReader(converted).pages)
    assert ADDED_WORD in text and INSERTED_WORD[lang] in text


# --- PDF: the marks in colour ----------------------------------------------------------------

def coloured_words(pdf: Path) -> dict[str, set[str]]:
    """Each word of the PDF's text with the fill colours it is drawn in ('r g b' of the 'rg' operator)."""
    from pypdf import PdfReader

    found: dict[str, set[str]] = {}
    colour = ["0 0 0"]

    def operand(op, args, _cm, _tm):
        if op in (b"rg", b"sc", b"scn") and len(args) == 3:
            colour[0] = " ".join(f"{float(a):.2f}" for a in args)
        elif op in (b"g", b"sc", b"scn") and len(args) == 1:
            colour[0] = " ".join([f"{float(args[0]):.2f}"] * 3)

    def text(t, *_):
        for word in t.split():
            found.setdefault(word.strip(".,;()"), set()).add(colour[0])

    for page in PdfReader(pdf).pages:
        page.extract_text(visitor_operand_before=operand, visitor_text=text)
    return found


INS_COLOUR = "0.11 0.43 0.18"  # wco.typst: wco-ins-colour #1b6e2e
DEL_COLOUR = "0.70 0.15 0.12"  # wco-del-colour #b3261e


@pytest.mark.parametrize("lang", LANGS)
def test_pdf_marks_insertions_and_deletions_in_colour(redline, lang):
    pdf = output(redline, lang, "pdf")
    from pypdf import PdfReader

    text = " ".join(page.extract_text() for page in PdfReader(pdf).pages).replace("\xad\n", "")  # hyphenation
    # Typst-looking text stays text (French puts a narrow no-break space before ';')
    assert ADDED_WORD in text and "#pagebreak()" in text and re.search(r"\][\u202f\u00a0]?;", text)
    assert INSERTED_WORD[lang] in text and DELETED_WORD[lang] in text
    colours = coloured_words(pdf)
    assert INS_COLOUR in colours[ADDED_WORD], colours[ADDED_WORD]
    assert DEL_COLOUR in colours[DELETED_WORD[lang]], colours[DELETED_WORD[lang]]
    unchanged = "Smart"
    assert INS_COLOUR not in colours[unchanged] and DEL_COLOUR not in colours[unchanged]


# --- refusals ---------------------------------------------------------------------------------

def test_unknown_revision_is_refused_and_nothing_written(rounds, tmp_path):
    out = tmp_path / "out"
    proc = run_build("redline", "--since", "review-9", "--root", str(rounds), "--out", str(out), cwd=rounds)
    assert proc.returncode != 0
    assert "unknown revision 'review-9'" in proc.stderr and "review-1" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not out.exists()


def test_not_a_git_checkout_is_refused(tmp_path):
    root = copy_repo(tmp_path / "repo")
    out = tmp_path / "out"
    proc = run_build("redline", "--since", "review-1", "--root", str(root), "--out", str(out), cwd=root)
    assert proc.returncode != 0
    assert "not a git work tree" in proc.stderr and "Traceback" not in proc.stderr
    assert not out.exists()


# --- the site: what changed since each review round (site/changes.py) --------------------------

@pytest.fixture(scope="module")
def site(rounds: Path) -> Path:
    out = rounds / "build-site"
    proc = run_build("site", "--root", str(rounds), "--out", str(out), cwd=rounds)
    assert proc.returncode == 0, proc.stderr
    return out / "site"


def page(site: Path, lang: str, name: str) -> str:
    return (site / ("" if lang == "en" else lang) / name / "index.html").read_text("utf-8")


@pytest.mark.parametrize("lang", LANGS)
def test_changed_page_shows_its_changes_since_the_round(site, lang):
    html = page(site, lang, "introduction")
    panels = re.findall(r'<details class="wco-changes" data-since="([^"]+)"[^>]*><summary>(.*?)</summary>(.*?)</details>',
                        html, re.S)
    assert [since for since, _s, _b in panels] == ["review-1"], "review-2 is the current text: no change, no panel"
    _since, summary, body = panels[0]
    assert "review-1" in summary and re.search(r"\b1\b", summary)
    inserted = " ".join(re.findall(r'<ins class="wco-ins">(.*?)</ins>', body, re.S))
    deleted = " ".join(re.findall(r'<del class="wco-del">(.*?)</del>', body, re.S))
    assert INSERTED_WORD[lang] in inserted and ADDED_WORD in inserted and "#pagebreak()" in inserted
    assert DELETED_WORD[lang] in deleted and "Smart" not in inserted + deleted
    assert html.index("</h1>") < html.index('class="wco-changes"'), "the panel is under the page's title"
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "the panel's copy of the page repeats no id"


@pytest.mark.parametrize("lang", LANGS)
def test_unchanged_page_has_no_panel(site, lang):
    assert "wco-changes" not in page(site, lang, "drones")


@pytest.mark.parametrize("lang", LANGS)
def test_status_page_lists_the_changed_pages(site, lang):
    html = page(site, lang, "status")
    table = re.search(r'<table class="wco-changes-status" data-since="review-1">(.*?)</table>', html, re.S)
    assert table, "a table of the pages changed since review-1"
    rows = re.findall(r"<tr><td><a href=\"([^\"]+)\">[^<]*</a></td>(.*?)</tr>", table.group(1))
    assert [href for href, _cells in rows] == ["../introduction/"]
    counts = [int(v) for v in re.findall(r'<td class="wco-num">(\d+)</td>', rows[0][1])]
    assert counts[:3] == [1, 1, 1]  # paragraphs added, changed, deleted
    assert 'data-since="review-2"' in html  # the later round: no change since


# --- the diff itself (markdown/redline.py) ---------------------------------------------------

from wcoreport.markdown.pandoc_ast import inlines as words  # noqa: E402
from wcoreport.markdown.redline import Counts, Mark, redline as diff  # noqa: E402

MARK = Mark("A", "2026-01-01T00:00:00Z")


def numbered(n: int, text: str) -> dict:
    return {"t": "Div", "c": [["", ["numbered-paragraph"], [["number", str(n)]]], [{"t": "Para", "c": words(text)}]]}


def spans(blocks: list, kind: str) -> list[str]:
    from wcoreport.markdown.pandoc_ast import stringify, walk

    found = []
    walk(blocks, lambda node, _d: found.append(stringify(node["c"][1]))
         if node["t"] == "Span" and kind in node["c"][0][1] else None)
    return found


def test_a_renumbered_paragraph_is_no_change():
    old = [numbered(1, "one two"), numbered(2, "three four")]
    new = [numbered(1, "three four")]
    counts = Counts()
    out = diff(old, new, MARK, counts)
    assert spans(out, "deletion") == ["one two"] and spans(out, "insertion") == []
    assert out[0]["t"] == "Para", "a deleted paragraph has no number"
    assert out[1] == new[0]
    assert (counts.deleted_blocks, counts.changed_blocks, counts.inserted_blocks) == (1, 0, 0)


def test_words_changed_inside_a_paragraph():
    out = diff([numbered(3, "the quick brown fox jumps")], [numbered(4, "the slow brown fox jumps high")], MARK)
    assert spans(out, "deletion") == ["quick"] and spans(out, "insertion") == ["slow", " high"]
    assert out[0]["c"][0][2] == [["number", "4"]]
    assert out[0]["c"][0][1] == ["numbered-paragraph"]


def test_unrelated_paragraphs_are_replaced_whole():
    out = diff([{"t": "Para", "c": words("alpha beta gamma delta")}],
               [{"t": "Para", "c": words("one two three four")}], MARK)
    assert spans(out, "deletion") == ["alpha beta gamma delta"] and spans(out, "insertion") == ["one two three four"]


def test_a_div_is_diffed_inside_and_keeps_its_class():
    old = [{"t": "Div", "c": [["", ["casestudy"], []], [{"t": "Para", "c": words("Kept text here"),}]]}]
    new = [{"t": "Div", "c": [["", ["casestudy"], []], [{"t": "Para", "c": words("Kept text here now")}]]}]
    out = diff(old, new, MARK)
    assert out[0]["c"][0][1] == ["casestudy"] and spans(out, "insertion") == [" now"]
