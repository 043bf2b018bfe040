"""The bibliography (bibliography.py, csl_json.py, latex_text.py): read, checked, and written as
the CSL JSON that pandoc's citeproc is given instead of the `.bib`.

The valid reference-manager export is the one of the bad-input corpus
(`tests/bad_inputs/bib-reference-manager-export.yml`): one source for both tests.
"""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

import pypandoc
import pytest
import yaml

from wcoreport.bibliography.bibtex import load_bibliography, write_csl_json
from wcoreport.bibliography.citation_style import STYLES_DIR
from wcoreport.sources.diagnostics import Problems

REPO = Path(__file__).resolve().parent.parent
EXPORT_CASE = Path(__file__).parent / "bad_inputs" / "bib-reference-manager-export.yml"


def export_text() -> str:
    case = yaml.safe_load(EXPORT_CASE.read_text("utf-8"))
    return next(e["append"] for e in case["edits"] if e["file"] == "references.bib")


def load(tmp_path: Path, text: str):
    path = tmp_path / "references.bib"
    path.write_text(text, "utf-8")
    problems = Problems(tmp_path)
    return load_bibliography(path, problems), problems


def messages(problems: Problems) -> list[str]:
    return [str(p) for p in problems.items]


def pandoc(args: list[str], text: str) -> subprocess.CompletedProcess:
    return subprocess.run([pypandoc.get_pandoc_path(), *args], input=text.encode("utf-8"),
                          capture_output=True, timeout=120)


def format_all(bib_file: Path, keys, lang: str, style: Path | None = None) -> tuple[list[str], str]:
    """Every entry cited once, formatted by citeproc as plain text: (lines, pandoc's stderr)."""
    source = "---\nnocite: '@*'\n---\n\n" + "\n\n".join(f"[@{k}]" for k in keys) + "\n"
    args = ["-f", "markdown", "-t", "plain", "--wrap=none", "--citeproc", f"--bibliography={bib_file}",
            "-M", f"lang={lang}", "--verbose"]
    if style:
        args.append(f"--csl={style}")
    proc = pandoc(args, source)
    assert proc.returncode == 0, proc.stderr.decode()
    return proc.stdout.decode("utf-8").splitlines(), proc.stderr.decode("utf-8")


def warnings_of(stderr: str) -> list[str]:
    return [ln for ln in stderr.splitlines() if "WARNING" in ln or "Could not" in ln]


# --- the valid export ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def export(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("export")
    bib, problems = load(tmp, export_text())
    return bib, problems, tmp


def test_export_has_no_error(export):
    bib, problems, _ = export
    assert problems.errors == []
    assert sorted(p.message for p in problems.warnings) == [
        "entry 'smith2019scanner' has no title", "entry 'wcopc2024' has no title"]
    assert len(bib.entries) == 15 and "okafor2020" in bib and "nosuchkey" not in bib
    assert bib.lines["kaminski2021"] == export_text().split("\n").index("@book{kaminski2021,") + 1


def test_export_csl_json(export):
    bib, _, tmp = export
    path = write_csl_json(bib, tmp / "refs.json")
    items = {item["id"]: item for item in json.loads(path.read_text("utf-8"))}
    assert list(items) == list(bib.lines)
    # crossref: the chapter inherits its book's editors, publisher (a @string of @strings joined
    # with #), date and title (as container), not the title itself.
    okafor = items["okafor2020"]
    assert okafor["type"] == "chapter"
    assert okafor["container-title"] == "Handbook on data analytics for customs"
    assert okafor["editor"] == [{"family": "O’Brien", "given": "Siobhán"}, {"family": "Nguyen", "given": "Thi Thu"}]
    assert okafor["publisher"] == "World Customs Organization, Brussels"
    assert okafor["issued"] == {"date-parts": [[2020]]}
    # math is plain text (case-protected), never TeX.
    assert okafor["title"] == ('Risk management with <span class="nocase">Δ</span>-scores and '
                               '<span class="nocase">q</span>-values')
    assert okafor["page"] == "45-67"
    # accents and commands decoded; French title kept as typed, with its language.
    leclerc = items["leclerc2020"]
    assert leclerc["title"] == "L’analyse des données douanières : méthodes et limites"
    assert leclerc["author"][1] == {"family": "Çelik", "given": "Ayşe"}
    assert leclerc["language"] == "fr-FR"
    assert items["unctad2023"]["note"] == "Scores <50% are “low”"
    assert items["unctad2023"]["title"] == "Digital trade facilitation & paperless trade"
    assert items["unctad2023"]["author"] == [{"literal": "United Nations Conference on Trade and Development"}]
    assert items["unctad2023"]["accessed"] == {"date-parts": [[2024, 2, 1]]}
    assert items["kaminski2021"]["author"][1] == {"family": "van der Berg", "given": "Pieter"}
    assert items["kaminski2021"]["title"] == ('Customs in the <span class="nocase">Digital</span> age: '
                                              '<span class="nocase">Blockchain</span>, '
                                              '<span class="nocase">AI</span> and the border')
    assert items["garcia2022"]["issue"] == "2" and items["garcia2022"]["container-title"] == "World Customs Journal"
    assert items["garcia2022"]["DOI"] == "10.55596/001c.00000"
    assert items["wco2023ai"]["URL"].endswith("57_ai.pdf?la=en")
    assert items["wco2023ai"]["genre"] == "Research Paper" and items["wco2023ai"]["number"] == "57"
    assert items["smith2019scanner"]["type"] == "patent" and "title" not in items["smith2019scanner"]
    assert items["wcopc2024"]["genre"] == "Document du Comité technique permanent"
    assert items["dubois2018"]["genre"] == "PhD thesis"
    assert items["moreau2024"]["title"] == "Les « douanes intelligentes » en Afrique de l’Ouest"
    assert items["ilo2019"]["note"] == "Report of the Global Commission on the Future of Work – WCO cited it"
    assert items["oecd2022blockchain"]["issued"] == {"date-parts": [[2022, 5]]}
    assert items["wto2020"]["language"] == "en-GB"
    for value in _strings(list(items.values())):  # no TeX left: math, commands, braces
        assert not set(value) & set("$\\{}"), value
    # In a French document, biblatex's type keys are French words.
    write_csl_json(bib, tmp / "refs-fr.json", "fr")
    items_fr = {item["id"]: item for item in json.loads((tmp / "refs-fr.json").read_text("utf-8"))}
    assert items_fr["dubois2018"]["genre"] == "thèse de doctorat"


def _strings(node) -> list[str]:
    if isinstance(node, dict):
        return [s for v in node.values() for s in _strings(v)]
    if isinstance(node, list):
        return [s for v in node for s in _strings(v)]
    return [node] if isinstance(node, str) else []


def test_export_written_twice_is_the_same_bytes(export):
    bib, _, tmp = export
    assert write_csl_json(bib, tmp / "a.json").read_bytes() == write_csl_json(bib, tmp / "b.json").read_bytes()


STYLES = ["chicago-author-date", "apa", "ieee", "chicago-notes-bibliography"]


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("lang", ["en-GB", "fr-FR"])
def test_pandoc_formats_every_entry_without_warning(export, style, lang):
    bib, _, tmp = export
    path = write_csl_json(bib, tmp / f"refs-{lang}.json", lang)
    lines, stderr = format_all(path, bib.lines, lang, STYLES_DIR / f"{style}.csl")
    assert warnings_of(stderr) == []
    text = "\n".join(lines).replace("\u202f", " ")
    assert "???" not in text and "$" not in text and "\\" not in text
    assert "Δ-" in text and "Çelik" in text and "« douanes intelligentes »" in text
    for key in bib.lines:
        assert f"@{key}" not in text  # every citation was resolved
    # No Math node: it would have no alternative text in the tagged PDF.
    proc = pandoc(["-f", "markdown", "-t", "json", "--citeproc", f"--bibliography={path}",
                   f"--csl={STYLES_DIR / f'{style}.csl'}", "-M", f"lang={lang}"], "[@okafor2020]\n")
    assert '"Math"' not in proc.stdout.decode()


@pytest.mark.parametrize("lang", ["en-GB", "fr-FR"])
def test_repository_bibliography_formats_as_from_the_bib(tmp_path, lang):
    """For the default style, citeproc gives the same text from our CSL JSON as from the .bib."""
    problems = Problems(REPO)
    bib = load_bibliography(REPO / "references.bib", problems)
    assert problems.errors == []
    path = write_csl_json(bib, tmp_path / "refs.json", lang)
    from_json, stderr = format_all(path, bib.lines, lang)
    from_bib, _ = format_all(REPO / "references.bib", bib.lines, lang)
    assert warnings_of(stderr) == []
    assert from_json == from_bib
    assert len(from_json) >= 2 * len(bib.lines)


# --- problems -------------------------------------------------------------------------------------

BAD = """\
@comment{exported by hand {
@preamble{"\\providecommand{\\noop}[1]{}"}
@string{wco = "World Customs Organization"}
@string{wco = "WCO"}
@report{a, title={A}, institution=wco, year=2020}
@report{a, title={Again}, year=2020}
@misc{b, title={B}, title={B again}, year=2020}
@misc{c, title={C}, date={2015-19-10}}
@misc{d, crossref={nowhere}, year=2020, title={D}}
@misc{e, year=2020}
@misc{f, title={F}}
@misc{g, title={G $x}, year=2020, publisher=nomacro}
@misc{h, title={H \\foo{x}}, year=2020, month={13}, urldate={2020-02-30}}
@misc{i title={I}}
@misc{j, title={J}
"""


def test_every_problem_has_its_line_and_key(tmp_path):
    bib, problems = load(tmp_path, BAD)
    assert messages(problems) == [
        "references.bib:1: warning: this @comment's brace is never closed: it is taken to end with its line, and what follows is read",
        "references.bib:4: warning: @string macro 'wco' is defined again (first at line 3): from here on, this definition counts",
        "references.bib:6: error: duplicate citation key 'a' (first at line 5)",
        "references.bib:7: warning: entry 'b' has the field 'title' again: the first value is kept, as BibTeX does; delete this one",
        "references.bib:8: warning: entry 'c': date '2015-19-10' is impossible (month 19 does not exist)",
        "references.bib:9: error: entry 'd': crossref to 'nowhere', which is not in the bibliography",
        "references.bib:10: warning: entry 'e' has no title",
        "references.bib:11: warning: entry 'f' has no year or date",
        "references.bib:12: error: entry 'g', field 'publisher': uses 'nomacro', which is no @string macro (text must be in braces or quotes)",
        "references.bib:12: warning: entry 'g', field 'title': a '$' opens math that is never closed (write \\$ for a dollar sign)",
        "references.bib:13: warning: entry 'h', field 'title': unknown LaTeX command '\\foo' (only its text is kept)",
        "references.bib:13: warning: entry 'h': month '13' is not a month (write 1 to 12 or jan to dec)",
        "references.bib:13: warning: entry 'h': urldate '2020-02-30' is impossible (day 30 does not exist in month 2)",
        "references.bib:14: error: entry 'i' cannot be read: the citation key must be followed by a comma",
        "references.bib:15: error: entry 'j' cannot be read: a closing brace is missing before the end of the file",
    ]
    # The later @string counts from its definition on; the first entry 'a' is kept.
    assert bib.entries["a"].fields["institution"] == "WCO"
    assert bib.lines["a"] == 5


def test_no_library_internals_in_messages(tmp_path):
    _, problems = load(tmp_path, BAD + "@misc{k, title = {x} year = 2020}\n@misc{l, = {x}}\n")
    for problem in problems.items:
        assert problem.message.strip()
        assert "failed_block" not in problem.message and "Exception" not in problem.message
        assert problem.line > 0


def test_string_macros_and_concatenation(tmp_path):
    bib, problems = load(tmp_path, '@string{org = "World " # {Customs}}\n@string{full = org # " Organization"}\n'
                                   '@misc{x, title = "On " # full # {, } # 2020, author = {{' + '{WCO}' + '}}, year = 2020, month = jun, langid = {french}}\n')
    assert problems.errors == [] and problems.warnings == []
    item = bib.csl_items()[0]
    assert item["title"] == "On World Customs Organization, 2020"
    assert item["issued"] == {"date-parts": [[2020, 6]]}


def test_macro_used_before_its_definition(tmp_path):
    _, problems = load(tmp_path, '@misc{x, title = {T}, year = 2020, publisher = org}\n@string{org = "O"}\n')
    assert messages(problems) == [
        "references.bib:1: error: entry 'x', field 'publisher': uses the @string macro 'org' before its "
        "definition (line 2): move the @string above"]


def test_crossref_loop(tmp_path):
    _, problems = load(tmp_path, "@misc{a, title={A}, year=2020, crossref={b}}\n@misc{b, title={B}, year=2020, crossref={a}}\n")
    assert any("a loop" in p.message for p in problems.errors)


def test_missing_file(tmp_path):
    problems = Problems(tmp_path)
    bib = load_bibliography(tmp_path / "references.bib", problems)
    assert messages(problems) == ["references.bib: error: the bibliography file is missing"]
    assert bib.csl_items() == []


# --- the export in a real build: the PDF builds, math and TeX become text ---------------------------

def test_a_reference_manager_export_builds_every_output(tmp_path):
    """The messy export as references.bib (its entries cited from a chapter in both languages):
    `build_report.py all` succeeds and the outputs show its TeX as text (Δ, <50 %)."""
    import zipfile

    import pypdf

    from conftest import copy_repo, run_build

    root = copy_repo(tmp_path / "repo")
    bib = root / "references.bib"
    bib.write_text(bib.read_text("utf-8") + "\n" + export_text(), "utf-8")
    for lang in ("en", "fr"):  # the same sentence in both languages: the structure stays parallel
        page = root / "docs" / lang / "drones.md"
        page.write_text(page.read_text("utf-8") + "\nSee [@okafor2020; @garcia2022; @smith2019scanner; "
                        "@unctad2023; @dubois2018; @wto2020; @moreau2024; @ilo2019; @kaminski2021; @leclerc2020; "
                        "@wco2023ai; @wcopc2024; @tanaka2021; @oecd2022blockchain; @wcohandbook2020].\n", "utf-8")
    out = root / "out"
    proc = run_build("all", "--root", str(root), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    for lang in ("en", "fr"):
        name = f"wco-disruptive-technologies-2026-{lang}"
        pdf = "".join(p.extract_text() for p in pypdf.PdfReader(str(out / "report" / f"{name}.pdf")).pages)
        with zipfile.ZipFile(out / "report" / f"{name}.docx") as docx:
            xml = docx.read("word/document.xml").decode("utf-8")
        for text, where in ((pdf, "PDF"), (xml, "DOCX")):
            assert "Δ" in text, f"{where} ({lang}): the title's $\\Delta$ is not shown as Δ"
            assert "\\Delta" not in text and "\\textless" not in text, f"{where} ({lang}): TeX leaked"


# --- as BibTeX reads it: repeated fields, comments, keys, link schemes ----------------------------

def test_repeated_field_warns_and_keeps_the_first_value(tmp_path):
    bib, problems = load(tmp_path, "@book{b,\n  title = {First},\n  pagetotal = {210},\n  year = 2020,\n"
                                   "  pagetotal = {212},\n  Title = {Second}\n}\n")
    assert problems.errors == []
    assert messages(problems) == [
        "references.bib:5: warning: entry 'b' has the field 'pagetotal' again (first at line 3): "
        "the first value is kept, as BibTeX does; delete this one",
        "references.bib:6: warning: entry 'b' has the field 'title' again (first at line 2): "
        "the first value is kept, as BibTeX does; delete this one",
    ]
    item = bib.csl_items()[0]
    assert item["title"] == "First" and item["number-of-pages"] == "210"


def test_an_entry_inside_a_comment_is_ignored(tmp_path):
    text = ("@comment{jabref-meta: databaseType:biblatex;}\n"
            "@comment{\n@misc{old2019,\n  title = {Withdrawn {draft}},\n  year = {2019}\n}\n}\n"
            "@comment(@misc{paren2019, title = {P}, year = 2019})\n"
            "Text between entries, @ signs and % marks are ignored.\n"
            "@misc{kept2020, title = {Kept}, year = {2020}, note = {an @misc{x, inside a value}}}\n")
    bib, problems = load(tmp_path, text)
    assert problems.items == []
    assert list(bib.entries) == ["kept2020"]
    assert bib.commented == {"old2019": 3, "paren2019": 8}
    assert bib.lines["kept2020"] == 10


def test_a_key_with_a_space_or_a_bidi_control_is_refused(tmp_path):
    _, problems = load(tmp_path, "@misc{wco 2020, title = {A}, year = 2020}\n"
                                 "@misc{wco\u202e0202, title = {B}, year = 2020}\n")
    assert [(p.line, p.severity.name) for p in problems.items] == [(1, "ERROR"), (2, "ERROR")]
    assert "the citation key 'wco 2020' has a space" in problems.items[0].message
    assert "'wco<U+202E>0202' holds U+202E (RIGHT-TO-LEFT OVERRIDE)" in problems.items[1].message


@pytest.mark.parametrize("field, value, refused", [
    ("url", "https://www.wcoomd.org/en.aspx", False),
    ("url", "http://example.org/a\\_b", False),
    ("url", "javascript:alert(1)", True),
    ("url", "JavaScript :alert(1)", True),
    ("url", "java\tscript:alert(1)", True),
    ("url", "data:text/html;base64,PHNjcmlwdD4=", True),
    ("url", "file:///etc/passwd", True),
    ("doi", "10.55596/001c.00000", False),
    ("doi", "doi:10.55596/001c.00000", False),
    ("doi", "https://doi.org/10.55596/001c.00000", False),
    ("doi", "vbscript:msgbox(1)", True),
    ("doi", "javascript:alert(1)//10.1/x", True),
    ("url", "\\url{javascript:alert(1)}", "warning"),
    ("url", "www.wcoomd.org", "warning"),
])
def test_url_and_doi_are_web_addresses(tmp_path, field, value, refused):
    _, problems = load(tmp_path, f"@misc{{x,\n  title = {{A}},\n  year = 2020,\n  {field} = {{{value}}}\n}}\n")
    if refused == "warning":  # a relative address: it leads nowhere, and runs nothing
        assert problems.errors == [] and len(problems.warnings) == 1
        assert "is not a full web address" in problems.warnings[0].message and problems.warnings[0].line == 1
    elif refused:
        assert [str(p) for p in problems.errors] == [str(problems.errors[0])]
        error = problems.errors[0]
        assert error.line == 1 and f"entry 'x', field '{field}' (line 4)" in error.message
        assert "no output may link to" in error.message
    else:
        assert problems.items == []


def test_percent_does_not_comment_out_an_entry(tmp_path):
    """BibTeX has no '%' comments between entries: `% @misc{...}` is an entry to BibTeX, so here."""
    bib, problems = load(tmp_path, "% old: @misc{pct2019, title = {P}, year = 2019}\n"
                                   "@misc{kept2020, title = {K}, year = 2020}\n")
    assert problems.items == []
    assert list(bib.entries) == ["pct2019", "kept2020"]


def test_thousands_of_unclosed_entries_are_refused_quickly(tmp_path):
    """bibtexparser needs minutes for a few thousand blocks that never close: refused before it."""
    started = time.monotonic()
    bib, problems = load(tmp_path, "@comment{fine}\n" + "@misc{x,\n  title = {A\n" * 3000)
    assert time.monotonic() - started < 10
    assert [str(p) for p in problems.items] == [
        "references.bib:2: error: 3000 entries never close their brace (this is the first): "
        "this is not a BibTeX file, or its braces are broken"]
    assert bib.entries == {}
