"""Charts from data (`wcoreport.data.charts`): real rendering into `tmp_path`, real Typst.

What the reader gets: the page's language and number format in the SVG's text, a PNG at print
resolution, a text alternative said from the data; what the build relies on: an unchanged chart
is not drawn again, and the same input gives the same bytes.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
import textwrap
from dataclasses import replace
from pathlib import Path

import pytest
import vl_convert
from PIL import Image

from wcoreport.data import load_charts, load_data, remove_stale_charts, render_chart
from wcoreport.data.charts import FONTS_DIR
from wcoreport.sources.diagnostics import Problems
from wcoreport.sources.vocabulary import load_technologies

LANGS = ("en", "fr")
NBSP, NNBSP = "\u00a0", "\u202f"
REPO_ROOT = Path(__file__).resolve().parent.parent

SURVEY = """\
title: {en: Participation by region, fr: Participation par région}
key: region
columns:
  - {id: region, type: region, label: {en: Region, fr: Région}}
  - {id: participation, type: percent, optional: true, label: {en: Took part, fr: Ont participé}}
  - {id: members, type: integer, label: {en: Members, fr: Membres}}
  - {id: ncps, type: integer, label: {en: Contact points, fr: Points de contact}}
rows:
  - {region: mena, participation: 38.8, members: 1200, ncps: 40}
  - {region: ap, participation: 37.1, members: 30, ncps: 35}
  - {region: eur, participation: 30.1, members: 50, ncps: 60}
  - {region: wca, members: 20, ncps: 25}
"""

BAR = """\
table: survey
kind: bar
x: region
y: participation
rows: [mena, ap, eur]
title:
  en: Participation in the survey by region
  fr: Participation à l'enquête par région
note:
  en: WCA is not shown.
  fr: L'AOC ne figure pas.
"""


def setup(root: Path, charts: dict[str, str], survey: str = SURVEY) -> tuple[dict, dict, Problems]:
    (root / "data" / "charts").mkdir(parents=True, exist_ok=True)
    (root / "data" / "survey.yml").write_text(survey, "utf-8")
    for name, text in charts.items():
        (root / "data" / "charts" / f"{name}.yml").write_text(textwrap.dedent(text), "utf-8")
    shutil.copy(REPO_ROOT / "technologies.yml", root / "technologies.yml")
    problems = Problems(root)
    technologies = load_technologies(root / "technologies.yml", LANGS, problems)
    tables = load_data(root, LANGS, technologies, problems)
    return tables, load_charts(root, LANGS, tables, problems), problems


@pytest.fixture
def bar(tmp_path: Path):
    tables, charts, problems = setup(tmp_path / "repo", {"participation": BAR})
    assert [str(p) for p in problems.items] == []
    return tables, charts["participation"]


def svg_texts(svg: str) -> list[str]:
    return re.findall(r"<text[^>]*>([^<]*)</text>", svg)


def test_french_svg_has_french_text_and_numbers(bar, tmp_path):
    tables, spec = bar
    out = render_chart(spec, tables, "fr", tmp_path / "out")
    svg = out.svg_path.read_text("utf-8")
    texts = svg_texts(svg)
    for label in ("MENA", "A/P", "EUR", "Région", f"38,8{NBSP}%", f"37,1{NBSP}%", f"30,1{NBSP}%",
                  f"10{NBSP}%", "Ont participé"):
        assert label in texts, (label, texts)
    assert not any("38.8" in t for t in texts)
    assert "AOC" not in texts  # the row left out is not drawn
    # Real text, in the report's font, and nothing Typst or a browser would fetch.
    text_tags = re.findall(r"<text[^>]*>", svg)
    assert text_tags and all('font-family="Liberation Serif' in tag for tag in text_tags)
    assert "<script" not in svg and "http" not in svg.replace("http://www.w3.org/", "")
    assert re.match(r'<svg [^>]*lang="fr" role="img" aria-label="Diagramme en barres', svg)


def test_english_svg(bar, tmp_path):
    tables, spec = bar
    texts = svg_texts(render_chart(spec, tables, "en", tmp_path / "out").svg_path.read_text("utf-8"))
    assert "38.8%" in texts and "Region" in texts and "10%" in texts


def test_png_at_print_resolution(bar, tmp_path):
    tables, spec = bar
    out = render_chart(spec, tables, "fr", tmp_path / "out")
    with Image.open(out.png_path) as image:
        assert image.format == "PNG"
        dpi_x, dpi_y = image.info["dpi"]
        assert round(dpi_x) == round(dpi_y) == 300
        width_inches = image.size[0] / dpi_x
        assert 4 < width_inches < 7.5, image.size  # fits an A4 text column at that resolution
        assert image.getextrema()[0][0] < 100  # something dark was drawn (not a blank image)


def test_alt_text_and_caption(bar, tmp_path):
    tables, spec = bar
    fr = render_chart(spec, tables, "fr", tmp_path / "out")
    assert fr.alt_text == (f"Diagramme en barres{NNBSP}: Participation à l'enquête par région. "
                           f"MENA 38,8{NBSP}%, A/P 37,1{NBSP}%, EUR 30,1{NBSP}%. L'AOC ne figure pas.")
    assert fr.caption == "Participation à l'enquête par région. L'AOC ne figure pas."
    en = render_chart(spec, tables, "en", tmp_path / "out")
    assert en.alt_text == ("Bar chart: Participation in the survey by region. "
                           "MENA 38.8%, A/P 37.1%, EUR 30.1%. WCA is not shown.")
    assert f"<title>{fr.alt_text}</title>" in fr.svg_path.read_text("utf-8")  # for a page that inlines it


def test_unchanged_chart_is_not_drawn_again(bar, tmp_path, monkeypatch):
    tables, spec = bar
    calls = []
    real = vl_convert.vegalite_to_svg
    monkeypatch.setattr(vl_convert, "vegalite_to_svg", lambda *a, **k: calls.append(1) or real(*a, **k))
    first = render_chart(spec, tables, "fr", tmp_path / "out")
    stamps = (first.svg_path.stat().st_mtime_ns, first.png_path.stat().st_mtime_ns)
    second = render_chart(spec, tables, "fr", tmp_path / "out")
    assert second == first and len(calls) == 1
    assert (second.svg_path.stat().st_mtime_ns, second.png_path.stat().st_mtime_ns) == stamps
    # Another language, or changed data, is another drawing under another name.
    english = render_chart(spec, tables, "en", tmp_path / "out")
    assert english.svg_path != first.svg_path and len(calls) == 2
    tables["survey"].rows["mena"]["participation"] = tables["survey"].rows["mena"]["participation"] + 1
    changed = render_chart(spec, tables, "fr", tmp_path / "out")
    assert changed.svg_path != first.svg_path and len(calls) == 3
    assert "39,8" in changed.svg_path.read_text("utf-8")
    assert first.svg_path.name.startswith("participation.fr.")
    # The note is not drawn but is in the SVG's text alternative: a new note, a new SVG.
    renoted = replace(spec, schema=spec.schema.model_copy(update={"note": {"en": "New.", "fr": "Nouveau."}}))
    assert render_chart(renoted, tables, "fr", tmp_path / "out").svg_path != changed.svg_path
    assert len(calls) == 4
    # The older drawings go; what the build uses and other files stay.
    (tmp_path / "out" / "keep.txt").write_text("x")
    current = [english, render_chart(renoted, tables, "fr", tmp_path / "out")]
    removed = remove_stale_charts(tmp_path / "out", current)
    assert {p.name for p in removed} == {p.name for o in (first, changed) for p in (o.svg_path, o.png_path)}
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(
        ["keep.txt"] + [p.name for o in current for p in (o.svg_path, o.png_path)])


RENDER_IN_A_NEW_PROCESS = """
import sys
from pathlib import Path
from wcoreport.data import load_charts, load_data, remove_stale_charts, render_chart
from wcoreport.sources.diagnostics import Problems
from wcoreport.sources.vocabulary import load_technologies
root, out = Path(sys.argv[1]), Path(sys.argv[2])
problems = Problems(root)
tech = load_technologies(root / "technologies.yml", ("en", "fr"), problems)
tables = load_data(root, ("en", "fr"), tech, problems)
spec = load_charts(root, ("en", "fr"), tables, problems)["participation"]
print(render_chart(spec, tables, "fr", out).svg_path.name)
"""


def test_same_bytes_on_every_run(bar, tmp_path):
    tables, spec = bar
    a = render_chart(spec, tables, "fr", tmp_path / "a")
    b = render_chart(spec, tables, "fr", tmp_path / "b")
    assert a.svg_path.name == b.svg_path.name
    assert a.svg_path.read_bytes() == b.svg_path.read_bytes()
    assert a.png_path.read_bytes() == b.png_path.read_bytes()
    # A fresh process (another V8, other ids and counters) draws the same bytes too.
    env_path = str(Path(__file__).resolve().parent.parent / "src")
    done = subprocess.run([sys.executable, "-c", RENDER_IN_A_NEW_PROCESS, str(tmp_path / "repo"), str(tmp_path / "c")],
                          capture_output=True, text=True, env={"PYTHONPATH": env_path, "PATH": ""}, check=True)
    c = tmp_path / "c" / done.stdout.strip()
    assert c.name == a.svg_path.name
    assert c.read_bytes() == a.svg_path.read_bytes()
    assert c.with_suffix(".png").read_bytes() == a.png_path.read_bytes()


def test_typst_keeps_the_svg_text(bar, tmp_path):
    typst = pytest.importorskip("typst")
    pypdf = pytest.importorskip("pypdf")
    tables, spec = bar
    out = render_chart(spec, tables, "fr", tmp_path / "doc")
    doc = tmp_path / "doc" / "main.typ"
    doc.write_text(f'#set text(font: "Liberation Serif", lang: "fr")\nFigure\n'
                   f'#image("{out.svg_path.name}", alt: "{out.alt_text}")\n', "utf-8")
    pdf, warnings = typst.compile_with_warnings(str(doc), font_paths=[str(FONTS_DIR)], ignore_system_fonts=True)
    assert not warnings, warnings  # a missing font is only a warning in Typst
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    for label in ("MENA", "A/P", "Région", "Ont participé", "38,8", "10"):
        assert label in text, (label, text)
    fonts = {str(f.get("/BaseFont")) for page in pypdf.PdfReader(io.BytesIO(pdf)).pages
             for f in (page["/Resources"].get("/Font") or {}).values()
             for f in [f.get_object()]}
    fonts |= _fonts_in_xobjects(pypdf.PdfReader(io.BytesIO(pdf)))
    assert any("LiberationSerif" in f for f in fonts), fonts


def _fonts_in_xobjects(reader) -> set[str]:
    """Typst puts an SVG's text in a form XObject, with its own fonts."""
    names: set[str] = set()

    def walk(resources, depth=0):
        if resources is None or depth > 5:
            return
        resources = resources.get_object()
        for font in (resources.get("/Font") or {}).values():
            names.add(str(font.get_object().get("/BaseFont")))
        for xobject in (resources.get("/XObject") or {}).values():
            walk(xobject.get_object().get("/Resources"), depth + 1)

    for page in reader.pages:
        walk(page.get("/Resources"))
    return names


def test_stacked_bar_line_and_horizontal(tmp_path):
    stacked = """\
        table: survey
        kind: stacked-bar
        x: region
        y: [members, ncps]
        title: {en: Members and contact points, fr: Membres et points de contact}
        """
    line = stacked.replace("stacked-bar", "line")
    horizontal = BAR.replace("kind: bar", "kind: bar\nhorizontal: true")
    tables, charts, problems = setup(tmp_path / "repo", {"stacked": stacked, "line": line, "horizontal": horizontal})
    assert [str(p) for p in problems.items] == []
    out = render_chart(charts["stacked"], tables, "fr", tmp_path / "out")
    texts = svg_texts(out.svg_path.read_text("utf-8"))
    assert "Membres" in texts and "Points de contact" in texts and "AOC" in texts  # legend, categories
    assert any(t == f"1{NNBSP}200" or t == f"1{NNBSP}000" for t in texts), texts  # a French axis tick
    assert out.alt_text.startswith(f"Diagramme en barres empilées{NNBSP}: Membres et points de contact. "
                                   f"MENA{NNBSP}: Membres 1{NNBSP}200, Points de contact 40{NNBSP}; ")
    assert "Line chart: Members and contact points. MENA: Members 1,200, Contact points 40; " in \
        render_chart(charts["line"], tables, "en", tmp_path / "out").alt_text
    render_chart(charts["horizontal"], tables, "fr", tmp_path / "out")


@pytest.mark.parametrize("old, new, marker, message", [
    ("table: survey", "table: surveys", "table: surveys", "no data table 'surveys' (tables: survey)"),
    ("x: region", "x: regio", "x: regio", "table 'survey' has no column 'regio'"),
    ("y: participation", "y: region", "y: region",
     "column 'region' is region: a chart draws numbers (integer, decimal, percent)"),
    ("y: participation", "y: [participation, members]", "y: [",
     "a bar chart draws one column: use 'stacked-bar' for several"),
    ("rows: [mena, ap, eur]", "rows: [mena, ap,\n  mars]", "mars", "table 'survey' has no row 'mars'"),
    ("rows: [mena, ap, eur]", "rows: [mena,\n  wca]", "wca",
     "row 'wca' has no value in 'participation': a chart cannot draw it; choose the rows to draw with 'rows:'"),
    ("  fr: Participation à l'enquête par région\n", "", "title:", "title: the text in 'fr' is missing"),
    ("kind: bar", "kind: pie", "kind: pie", "kind: Input should be 'bar', 'stacked-bar' or 'line'"),
])
def test_chart_mistake_on_its_line(tmp_path, old, new, marker, message):
    assert old in BAR
    text = BAR.replace(old, new)
    _, charts, problems = setup(tmp_path / "repo", {"participation": text})
    errors = [str(p) for p in problems.items]
    line = next(n for n, ln in enumerate(text.split("\n"), 1) if marker in ln)
    assert errors == [f"data/charts/participation.yml:{line}: error: {message}"]
    assert charts == {}


def test_bundled_charts_render(tmp_path):
    """The repository's own charts (the survey of PC0790, the case-study annex) draw in French."""
    from wcoreport.sources.casestudies import load_casestudies
    from wcoreport.data import casestudy_counts

    problems = Problems(REPO_ROOT)
    technologies = load_technologies(REPO_ROOT / "technologies.yml", LANGS, problems)
    tables = load_data(REPO_ROOT, LANGS, technologies, problems)
    studies = load_casestudies(REPO_ROOT, LANGS, technologies, problems)
    tables |= {t.name: t for t in casestudy_counts(studies, technologies)}
    charts = load_charts(REPO_ROOT, LANGS, tables, problems)
    assert [str(p) for p in problems.items] == []
    out = render_chart(charts["survey-participation"], tables, "fr", tmp_path)
    assert out.alt_text.startswith(f"Diagramme en barres{NNBSP}: ")
    assert f"MENA 38,8{NBSP}%, A/P 37,1{NBSP}%, EUR 30,1{NBSP}%, AMS 33,3{NBSP}%." in out.alt_text
    assert "version anglaise" in out.caption
    tech = render_chart(charts["casestudies-by-technology"], tables, "fr", tmp_path)
    assert "Chaîne de blocs" in svg_texts(tech.svg_path.read_text("utf-8"))
