"""The citation style (citation_style.py): `csl:` in report.yml, checked, and given to pandoc.

Each shipped style formats the repository's references (through our CSL JSON) in both
languages with no warning from pandoc.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pypandoc
import pytest

from wcoreport.bibliography.bibtex import load_bibliography, write_csl_json
from wcoreport.bibliography.citation_style import STYLES_DIR, bundled_styles, check_style, style_args
from wcoreport.sources.diagnostics import Problems
from wcoreport.sources.metadata import load_metadata

REPO = Path(__file__).resolve().parent.parent


def check(value, root: Path) -> list[str]:
    problems = Problems(root)
    check_style(value, root, root / "report.yml", 7, problems)
    return [str(p) for p in problems.items]


def test_shipped_styles_are_complete_and_licensed():
    assert {"chicago-author-date", "apa", "ieee", "chicago-notes-bibliography"} <= set(bundled_styles())
    assert "CC BY-SA 3.0" in (STYLES_DIR / "README.md").read_text("utf-8")
    for name in bundled_styles():
        assert check(name, REPO) == []
        assert "creativecommons.org/licenses/by-sa/3.0" in (STYLES_DIR / f"{name}.csl").read_text("utf-8")


@pytest.mark.parametrize("value, message", [
    ("harvard-wco", "report.yml:7: error: csl: 'harvard-wco' is no style shipped with the toolchain"),
    ("styles/missing.csl", "report.yml:7: error: csl: the file 'styles/missing.csl' does not exist"),
    ("../outside.csl", "report.yml:7: error: csl: '../outside.csl' is outside the repository"),
    ("/etc/passwd.csl", "report.yml:7: error: csl: '/etc/passwd.csl' is outside the repository"),
    ("styles/page.csl", "report.yml:7: error: csl: 'styles/page.csl' is not XML (line 2 of that file"),
    ("styles/other.csl", "report.yml:7: error: csl: 'styles/other.csl' is not a CSL style"),
    ("styles/dependent.csl", "report.yml:7: error: csl: 'styles/dependent.csl' is a dependent style"),
    ("  ", "report.yml:7: error: csl: empty value"),
])
def test_bad_values(tmp_path, value, message):
    (tmp_path / "styles").mkdir()
    (tmp_path / "styles/page.csl").write_text("<html>\n<p>not found</html>\n", "utf-8")
    (tmp_path / "styles/other.csl").write_text("<?xml version='1.0'?><svg xmlns='http://www.w3.org/2000/svg'/>", "utf-8")
    (tmp_path / "styles/dependent.csl").write_text(
        '<?xml version="1.0"?><style xmlns="http://purl.org/net/xbiblio/csl" version="1.0" class="in-text">'
        '<info><link href="http://www.zotero.org/styles/apa" rel="independent-parent"/></info></style>', "utf-8")
    found = check(value, tmp_path)
    assert len(found) == 1 and found[0].startswith(message), found


def test_own_style_file(tmp_path):
    (tmp_path / "styles").mkdir()
    (tmp_path / "styles/mine.csl").write_bytes((STYLES_DIR / "ieee.csl").read_bytes())
    assert check("styles/mine.csl", tmp_path) == []


def test_report_yml_line(tmp_path):
    text = (REPO / "report.yml").read_text("utf-8").replace("final: false", "final: false\ncsl: nosuchstyle")
    (tmp_path / "report.yml").write_text(text, "utf-8")
    problems = Problems(tmp_path)
    meta = load_metadata(tmp_path / "report.yml", ("en", "fr"), problems)
    line = text.split("\n").index("csl: nosuchstyle") + 1
    assert [(p.line, p.message.split(" is ")[0]) for p in problems.items] == [(line, "csl: 'nosuchstyle'")]
    assert meta is not None and meta.csl == "nosuchstyle"


def test_style_args(tmp_path):
    class Meta:
        csl = None

    assert style_args(Meta.csl, REPO) == [f"--csl={STYLES_DIR / 'chicago-author-date.csl'}"]
    Meta.csl = "ieee"
    assert style_args(Meta.csl, REPO) == [f"--csl={STYLES_DIR / 'ieee.csl'}"]
    Meta.csl = "chicago-note-bibliography"  # the style's former name
    assert style_args(Meta.csl, REPO) == [f"--csl={STYLES_DIR / 'chicago-notes-bibliography.csl'}"]
    Meta.csl = "styles/mine.csl"
    assert style_args(Meta.csl, tmp_path) == [f"--csl={(tmp_path / 'styles/mine.csl').resolve()}"]


@pytest.mark.parametrize("style, expected", [
    ("chicago-author-date", "(World Customs Organization 2019)"),
    ("apa", "(World Customs Organization, 2019)"),
    ("ieee", "[1]"),
    ("chicago-notes-bibliography", "World Customs Organization, Study Report on Disruptive Technologies"),
])
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_each_style_formats_the_references(tmp_path, style, expected, lang):
    problems = Problems(REPO)
    bib = load_bibliography(REPO / "references.bib", problems)
    refs = write_csl_json(bib, tmp_path / "refs.json", lang)

    class Meta:
        csl = style

    locale = {"en": "en-GB", "fr": "fr-FR"}[lang]
    proc = subprocess.run(
        [pypandoc.get_pandoc_path(), "-f", "markdown", "-t", "plain", "--wrap=none", "--citeproc", "--verbose",
         f"--bibliography={refs}", "-M", f"lang={locale}", *style_args(Meta.csl, REPO)],
        input="Customs use drones [@wco2019study].\n".encode("utf-8"), capture_output=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    stderr = proc.stderr.decode("utf-8")
    assert "WARNING" not in stderr and "Could not" not in stderr, stderr
    out = proc.stdout.decode("utf-8")
    assert expected in out
    assert "Study Report on Disruptive Technologies" in out or "Study report on disruptive technologies" in out
    assert "@wco2019study" not in out and "???" not in out
