"""Golden tests of the Lua filters (STYLE.md §4): a small input beside the expected output.

The filters were Lua and are now Python passes on pandoc's JSON (report/numbering.py,
report/styled_blocks.py): same goldens, the pass run between pandoc's reader (-t json) and the
writer (-f json).

    tests/filters/<filter>.input.md         the input, pandoc's Markdown
    tests/filters/<filter>.expected.native  pandoc -t native with the filter
    tests/filters/<filter>.expected.typ     pandoc -t typst with the filter
    tests/filters/<filter>.expected.docx.txt  pandoc -t docx with the filter: each paragraph of
                                            word/document.xml as "Style | text"

After a deliberate change of a filter, regenerate the expected outputs and review the diff:

    UPDATE_GOLDEN=1 python -m pytest tests/test_filters.py
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import zipfile
from pathlib import Path

import pypandoc
import pytest
from lxml import etree

from wcoreport.report import numbering
from wcoreport.report.styled_blocks import render_styled_blocks

GOLDEN = Path(__file__).parent / "filters"
FILTERS = Path(__file__).resolve().parent.parent / "src" / "wcoreport" / "report" / "filters"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

# (filter, output format): the outputs each filter is for.
CASES = [
    ("number_paragraphs", "native"),
    ("number_sections", "native"),
    ("styled_blocks", "typst"),
    ("styled_blocks", "docx"),
]
EXTENSIONS = {"native": "native", "typst": "typ", "docx": "docx.txt"}
PYTHON_PASSES = {"number_paragraphs": lambda doc, fmt: numbering.number_paragraphs(doc),
                 "number_sections": lambda doc, fmt: numbering.number_sections(doc),
                 "styled_blocks": render_styled_blocks}


def pandoc(*args: str, source: str) -> bytes:
    proc = subprocess.run([pypandoc.get_pandoc_path(), *args], input=source.encode("utf-8"),
                          capture_output=True, timeout=60)
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    return proc.stdout


def docx_paragraphs(data: bytes) -> str:
    """The paragraphs of a DOCX, in order, as 'Style | text' ('-' for none); tabs and page breaks shown."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    lines = []
    for p in root.iter(f"{W}p"):
        style = p.find(f"{W}pPr/{W}pStyle")
        parts = []
        for node in p.iter(f"{W}t", f"{W}tab", f"{W}br", f"{W}instrText"):
            if node.tag == f"{W}t":
                parts.append(node.text or "")
            elif node.tag == f"{W}tab":
                parts.append("<tab>")
            elif node.tag == f"{W}br":
                parts.append(f"<br {node.get(f'{W}type', 'line')}>")
            else:
                parts.append(f"<field {(node.text or '').strip()}>")
        lines.append(f"{style.get(f'{W}val') if style is not None else '-'} | {''.join(parts)}")
    return "\n".join(lines) + "\n"


def run_filter(name: str, fmt: str) -> str:
    source = (GOLDEN / f"{name}.input.md").read_text("utf-8")
    if name in PYTHON_PASSES:
        doc = PYTHON_PASSES[name](json.loads(pandoc("-f", "markdown", "-t", "json", source=source)), fmt)
        args = ["-f", "json"]
        source = json.dumps(doc)
    else:
        args = ["-f", "markdown", f"--lua-filter={FILTERS / (name + '.lua')}"]
    if fmt == "docx":
        return docx_paragraphs(pandoc(*args, "-t", "docx", "-o", "-", source=source))
    return pandoc(*args, "-t", fmt, source=source).decode("utf-8")


@pytest.mark.parametrize("name, fmt", CASES, ids=[f"{n}-{f}" for n, f in CASES])
def test_filter_output_matches_golden(name, fmt):
    expected_path = GOLDEN / f"{name}.expected.{EXTENSIONS[fmt]}"
    actual = run_filter(name, fmt)
    if UPDATE or not expected_path.exists():
        expected_path.write_text(actual, "utf-8")
        if not UPDATE:
            pytest.fail(f"{expected_path.name} did not exist: written, review it and run again")
    assert actual == expected_path.read_text("utf-8"), (
        f"{name}.lua -t {fmt} differs from {expected_path.name}; if the change is meant, "
        "regenerate with UPDATE_GOLDEN=1 and review the diff")


def test_every_filter_has_a_golden_test():
    names = [f.stem for f in sorted(FILTERS.glob("*.lua"))] + list(PYTHON_PASSES)
    missing = [name for name in names if not (GOLDEN / f"{name}.input.md").exists()]
    assert not missing, f"filters without a golden input in tests/filters/: {missing}"


def test_every_filter_checks_the_pandoc_version():
    for lua in FILTERS.glob("*.lua"):
        assert "PANDOC_VERSION:must_be_at_least" in lua.read_text("utf-8"), lua.name
    # The Python passes: the build refuses a pandoc whose document format is older than theirs.
    from wcoreport.pipeline.pandoc import ToolError
    from wcoreport.markdown.analysis import PANDOC_API, check_pandoc_api

    doc = json.loads(pandoc("-f", "markdown", "-t", "json", source="A paragraph."))
    assert check_pandoc_api(doc) is doc
    with pytest.raises(ToolError, match="document format 1.22"):
        check_pandoc_api({**doc, "pandoc-api-version": [PANDOC_API[0], PANDOC_API[1] - 1, 0]})


# The goldens are reviewed by eye once; these checks say what in them matters.

def test_number_paragraphs_numbers_only_body_paragraphs():
    native = (GOLDEN / "number_paragraphs.expected.native").read_text("utf-8")
    numbers = [line.split('"number" , "')[1].split('"')[0] for line in native.split("\n")
               if '"number" , "' in line]
    assert numbers == ["1", "2", "3"]
    assert native.count('"numbered-paragraph"') == 3


def test_number_sections_numbers_chapters_in_roman():
    native = " ".join((GOLDEN / "number_sections.expected.native").read_text("utf-8").split())
    found = re.findall(r'\( "section" , "(\d+)" \) \] \) \[ Str "([IVXLC]+)\."', native)
    assert found, "no numbered section in the golden"
    roman = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]
    assert found == [(str(n), roman[n - 1]) for n in range(1, len(found) + 1)]
    assert native.count('( "section" ,') == len(found)


def test_styled_blocks_docx_uses_the_named_styles():
    summary = (GOLDEN / "styled_blocks.expected.docx.txt").read_text("utf-8")
    for style_id, text in [("NumberedParagraph", "1.<tab>A numbered paragraph."),
                           ("CaseStudyTitle", "Case study: A title"),
                           ("CaseStudyMember", "China · 2025"),
                           ("CaseStudy", "Text of the case study."),
                           ("AdmonitionTitle", "Self-assessment"),
                           ("Admonition", "Text of the note.")]:
        assert f"{style_id} | {text}" in summary.split("\n"), style_id
    assert "<field TOC" in summary


def test_styled_blocks_typst_calls_the_template_functions():
    typst = (GOLDEN / "styled_blocks.expected.typ").read_text("utf-8")
    for call in ('#wco-numbered("1")[', "#wco-casestudy[", "#wco-casestudy-title[",
                 '#wco-admonition(kind: "note")[', "#wco-toc([Contents])", "#wco-annex["):
        assert call in typst, call
