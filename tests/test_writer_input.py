"""What the writers are given (pandoc_ast.words_joined): fewer nodes, the same output.

pandoc reads a tree with each run of words and spaces made one Str three times as fast; the
site's HTML must stay the same byte for byte, and the DOCX the same text in the same styles
and formatting (in fewer runs). The PDF's side is in test_pdf.py (the same PDF)."""

from __future__ import annotations

import copy
import io
import zipfile

import pytest
from lxml import etree

from wcoreport.markdown.document import document
from wcoreport.markdown.gate import check_project
from wcoreport.markdown.analysis import API_VERSION
from wcoreport.markdown.pandoc_ast import to_json, words_joined
from wcoreport.pipeline.pandoc import run_pandoc
from wcoreport.sources.project import load_project

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def pages(repo_root):
    project = load_project(repo_root)
    analysis = check_project(project, parity=None)
    return {lang: document(project, analysis, lang) for lang in project.languages}


def test_words_joined_keeps_the_tree_and_its_text():
    tree = [{"t": "Para", "c": [{"t": "Str", "c": "Un"}, {"t": "Space"}, {"t": "Emph", "c": [
        {"t": "Str", "c": "mot"}, {"t": "Space"}, {"t": "Str", "c": "«"}, {"t": "Str", "c": "\u202fici"}]},
        {"t": "Space"}, {"t": "Str", "c": "fin."}, {"t": "SoftBreak"}, {"t": "Str", "c": "Suite"}]}]
    before = copy.deepcopy(tree)
    assert words_joined(tree) == [{"t": "Para", "c": [{"t": "Str", "c": "Un "}, {"t": "Emph", "c": [
        {"t": "Str", "c": "mot «\u202fici"}]}, {"t": "Str", "c": " fin."}, {"t": "SoftBreak"},
        {"t": "Str", "c": "Suite"}]}]
    assert words_joined(tree, whole_runs=False) == [{"t": "Para", "c": [{"t": "Str", "c": "Un "}, {"t": "Emph", "c": [
        {"t": "Str", "c": "mot "}, {"t": "Str", "c": "«"}, {"t": "Str", "c": "\u202fici"}]},
        {"t": "Space"}, {"t": "Str", "c": "fin."}, {"t": "SoftBreak"}, {"t": "Str", "c": "Suite"}]}]
    assert tree == before


def _doc(blocks) -> str:
    return to_json({"pandoc-api-version": API_VERSION, "meta": {}, "blocks": blocks})


def test_html_is_the_same_byte_for_byte(pages):
    for lang, made in pages.items():
        blocks = [block for page in made for block in page.blocks]
        args = ["-f", "json", "-t", "html5", "--wrap=none"]
        assert run_pandoc(args, _doc(words_joined(blocks))) == run_pandoc(args, _doc(blocks)), lang


def _paragraphs(data: bytes) -> list:
    """Each paragraph's style, and its text cut where the formatting of its runs changes."""
    out = []
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for part in ("word/document.xml", "word/footnotes.xml"):
            for p in etree.fromstring(z.read(part)).iter(f"{W}p"):
                style = p.find(f"{W}pPr/{W}pStyle")
                pieces: list[list] = []
                for run in p.iter(f"{W}r"):
                    props = run.find(f"{W}rPr")
                    form = etree.tostring(props) if props is not None else b""
                    text = "".join(t.text or "" for t in run.iter(f"{W}t"))
                    if pieces and pieces[-1][0] == form:
                        pieces[-1][1] += text
                    else:
                        pieces.append([form, text])
                out.append((part, style.get(f"{W}val") if style is not None else None,
                            [tuple(piece) for piece in pieces if piece[1]]))
    return out


def test_docx_has_the_same_text_styles_and_formatting(pages, tmp_path):
    # (the pages with charts aside: the report's writers get the charts drawn, report/build.py)
    blocks = [block for page in pages["fr"] for block in page.blocks if "chart:" not in to_json(block)]
    made = []
    for given in (blocks, words_joined(blocks)):
        target = tmp_path / "out.docx"
        run_pandoc(["-f", "json", "-t", "docx", "-o", str(target)], _doc(given))
        made.append(target.read_bytes())
    assert made[0] != made[1]  # (fewer runs)
    assert _paragraphs(made[1]) == _paragraphs(made[0])
    assert any("\u202f" in piece[1] for _part, _style, pieces in _paragraphs(made[1]) for piece in pieces)
