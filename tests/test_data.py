"""Data tables (`wcoreport.data`): files written into `tmp_path`, read as the build reads them.

Each mistake must be reported as `path:line` on the line an editor has to fix; values must read
as a reader of each language expects them, to the character (no-break spaces included).
"""

from __future__ import annotations

import shutil
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest

from wcoreport.sources.casestudies import load_casestudies
from wcoreport.data import (
    REFERENCE,
    casestudy_counts,
    escape_markdown,
    format_value,
    load_data,
    resolve_reference,
    table_markdown,
)
from wcoreport.sources.diagnostics import Problems
from wcoreport.sources.vocabulary import load_technologies

LANGS = ("en", "fr")
NBSP, NNBSP = "\u00a0", "\u202f"
REPO_ROOT = Path(__file__).resolve().parent.parent

TABLE = """\
title:
  en: Participation by region
  fr: Participation par région
key: region
columns:
  - id: region
    type: region
    label: {en: Region, fr: Région}
  - id: participation
    type: percent
    label: {en: Took part, fr: Ont participé}
  - id: members
    type: integer
    optional: true
    label: {en: Members, fr: Membres}
  - id: technology
    type: technology
    optional: true
    label: {en: Technology, fr: Technologie}
  - id: as-at
    type: date
    optional: true
    label: {en: As at, fr: Au}
  - id: note
    type: text
    translate: true
    optional: true
    label: {en: Note, fr: Note}
rows:
  - region: mena
    participation: 38.8
    members: 1234
    technology: blockchain
    as-at: 2025-08-26
  - region: ap
    participation: 37.1
    as-at: 2025-08-01
  - region: eur
    participation: 25
    note:
      en: "*Checked* [twice] | #1"
      fr: "Vérifié deux fois"
"""


def write(root: Path, name: str, text: str) -> Path:
    path = root / "data" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), "utf-8")
    return path


def load(root: Path) -> tuple[dict, Problems]:
    problems = Problems(root)
    shutil.copy(REPO_ROOT / "technologies.yml", root / "technologies.yml")
    technologies = load_technologies(root / "technologies.yml", LANGS, problems)
    return load_data(root, LANGS, technologies, problems), problems


def messages(problems: Problems) -> list[str]:
    return [str(p) for p in problems.items]


def line_of(path: Path, text: str) -> int:
    lines = path.read_text("utf-8").split("\n")
    return next(n for n, line in enumerate(lines, 1) if text in line)


def only_error(problems: Problems) -> str:
    found = messages(problems)
    assert len(found) == 1, found
    return found[0]


# --- a valid table -------------------------------------------------------------------------

@pytest.fixture
def tables(tmp_path: Path) -> dict:
    write(tmp_path, "survey.yml", TABLE)
    tables, problems = load(tmp_path)
    assert messages(problems) == []
    return tables


def test_values_are_typed(tables):
    table = tables["survey"]
    assert list(table.rows) == ["mena", "ap", "eur"]
    assert table.value("mena", "participation") == Decimal("38.8")
    assert table.value("mena", "members") == 1234
    assert table.value("ap", "members") is None


@pytest.mark.parametrize("row, column, en, fr", [
    ("mena", "participation", "38.8%", f"38,8{NBSP}%"),
    ("eur", "participation", "25%", f"25{NBSP}%"),
    ("mena", "members", "1,234", f"1{NNBSP}234"),
    ("mena", "as-at", "26 August 2025", "26 août 2025"),
    ("ap", "as-at", "1 August 2025", "1er août 2025"),
    ("mena", "region", "MENA", "MENA"),
    ("mena", "technology", "Blockchain", "Chaîne de blocs"),
    ("eur", "note", "*Checked* [twice] | #1", "Vérifié deux fois"),
    ("ap", "members", "—", "—"),
])
def test_format_value_in_each_language(tables, row, column, en, fr):
    assert format_value(tables["survey"], row, column, "en") == en
    assert format_value(tables["survey"], row, column, "fr") == fr


def test_region_names_and_decimals(tmp_path):
    write(tmp_path, "t.yml", """\
        title: {en: T, fr: T}
        columns:
          - {id: region, type: region, display: name, label: {en: Region, fr: Région}}
          - {id: share, type: percent, decimals: 1, label: {en: Share, fr: Part}}
          - {id: big, type: decimal, decimals: 2, label: {en: Big, fr: Grand}}
        rows:
          - {region: esa, share: 25, big: 1234567.125}
        """)
    tables, problems = load(tmp_path)
    assert messages(problems) == []
    t = tables["t"]
    assert format_value(t, "esa", "region", "fr") == "Afrique orientale et australe"
    assert format_value(t, "esa", "share", "en") == "25.0%"
    assert format_value(t, "esa", "share", "fr") == f"25,0{NBSP}%"
    assert format_value(t, "esa", "big", "en") == "1,234,567.13"  # half up, as a reader rounds
    assert format_value(t, "esa", "big", "fr") == f"1{NNBSP}234{NNBSP}567,13"


def test_references(tables):
    assert [m.group(1) for m in REFERENCE.finditer("a {{ survey.mena.participation }} b {{x.y.z}}")] == [
        "survey.mena.participation", "x.y.z"]
    table, row, column = resolve_reference(tables, " survey.mena.participation ")
    assert (table.name, row, column) == ("survey", "mena", "participation")
    assert resolve_reference(tables, "survey.mena") == (
        "data reference 'survey.mena' must name a table, a row and a column separated by dots, "
        "e.g. {{ survey-2025.mena.participation }}")
    assert "no data table 'surveys' (did you mean 'survey'?)" in resolve_reference(tables, "surveys.mena.members")
    assert "has no row 'wca'" in resolve_reference(tables, "survey.wca.members")
    assert "no column 'participaton' (did you mean 'participation'?)" in resolve_reference(
        tables, "survey.mena.participaton")
    assert "the cell is empty" in resolve_reference(tables, "survey.ap.members")


def test_table_markdown(tables):
    en = table_markdown(tables["survey"], "en", ["region", "participation", "note"])
    assert en == (
        "| Region | Took part | Note |\n"
        "| :--- | ---: | :--- |\n"
        "| MENA | 38.8% | — |\n"
        "| A/P | 37.1% | — |\n"
        "| EUR | 25% | \\*Checked\\* \\[twice\\] \\| \\#1 |\n"
    )
    fr = table_markdown(tables["survey"], "fr", ["participation", "members"])
    assert fr.splitlines()[0] == "| Ont participé | Membres |"
    assert fr.splitlines()[2] == f"| 38,8{NBSP}% | 1{NNBSP}234 |"
    with pytest.raises(ValueError, match="no column 'nope'"):
        table_markdown(tables["survey"], "en", ["nope"])


def test_escape_markdown():
    assert escape_markdown("a_b `c` [@key] <b>\n x") == "a\\_b \\`c\\` \\[\\@key\\] \\<b\\> x"


def test_csv_table(tmp_path):
    write(tmp_path, "by-year.schema.yml", """\
        title: {en: By year, fr: Par année}
        columns:
          - {id: year, type: id, label: {en: Year, fr: Année}}
          - {id: members, type: integer, label: {en: Members, fr: Membres}}
          - {id: label, type: text, translate: true, optional: true, label: {en: Label, fr: Libellé}}
        """)
    write(tmp_path, "by-year.csv", """\
        year,members,label.en,label.fr
        2024,120,"First, with a comma",Premier
        2025,143,,
        """)
    tables, problems = load(tmp_path)
    assert messages(problems) == []
    t = tables["by-year"]
    assert list(t.rows) == ["2024", "2025"]
    assert format_value(t, "2024", "label", "en") == "First, with a comma"
    assert format_value(t, "2025", "members", "fr") == "143"
    assert t.value("2025", "label") is None


# --- mistakes, each on its line -------------------------------------------------------------

@pytest.mark.parametrize("old, new, marker, message", [
    ("participation: 37.1", "participation: 37,1", "participation: 37,1",
     "participation: '37,1' is not a number: write a decimal point, e.g. 37.1"),
    ("members: 1234", "members: 1 234", "members: 1 234",
     "members: '1 234' is not a whole number: write it without thousands separators"),
    ("members: 1234", "members: 12.5", "members: 12.5", "members: '12.5' is not a whole number"),
    ("region: ap", "region: asia", "region: asia",
     "region: unknown region 'asia' (the WCO regions are esa, wca, mena, eur, ap, ams)"),
    ("technology: blockchain", "technology: quantum", "technology: quantum",
     "technology: unknown technology 'quantum' (see technologies.yml)"),
    ("as-at: 2025-08-01", "as-at: 2025-13-01", "as-at: 2025-13-01",
     "as-at: '2025-13-01' is not a date: write it as YYYY-MM-DD, e.g. 2025-08-26"),
    ("    members: 1234", "    member: 1234", "member: 1234",
     "unknown column 'member' (columns: region, participation, members, technology, as-at, note)"),
    ("      fr: \"Vérifié deux fois\"", "", "note:", "note: the text in 'fr' is missing"),
    ("label: {en: Took part, fr: Ont participé}", "label: {en: Took part}", "label: {en: Took part}",
     "column 'participation': label: the text in 'fr' is missing"),
    ("  - region: eur\n    participation: 25", "  - region: eur", "region: eur",
     "participation: a value is required (the column is not optional)"),
    ("type: integer", "type: number", "type: number", "columns.2.type: Input should be"),
])
def test_yaml_mistake_on_its_line(tmp_path, old, new, marker, message):
    assert old in TABLE
    path = write(tmp_path, "survey.yml", TABLE.replace(old, new, 1))
    _, problems = load(tmp_path)
    error = only_error(problems)
    assert error.startswith(f"data/survey.yml:{line_of(path, marker)}: error: {message}"), error


def test_decimal_comma_in_a_flow_mapping(tmp_path):
    path = write(tmp_path, "survey.yml", TABLE.replace(
        "  - region: ap\n    participation: 37.1\n    as-at: 2025-08-01\n",
        "  - {region: ap, participation: 37,1}\n"))
    _, problems = load(tmp_path)
    assert only_error(problems) == (
        f"data/survey.yml:{line_of(path, '{region: ap')}: error: unknown column '1' (columns: region, "
        "participation, members, technology, as-at, note); a comma inside { } separates values: "
        "write a decimal point (38.8)")


def test_duplicate_row_names_both_lines(tmp_path):
    path = write(tmp_path, "survey.yml", TABLE + "  - region: mena\n    participation: 1\n")
    tables, problems = load(tmp_path)
    first = line_of(path, "- region: mena")
    assert only_error(problems) == (f"data/survey.yml:{path.read_text().count(chr(10)) - 1}: error: "
                                    f"duplicate row 'mena' in column 'region' (first at line {first})")
    assert list(tables["survey"].rows) == ["mena", "ap", "eur"]  # the first one is kept


CSV_SCHEMA = """\
    title: {en: By region, fr: Par région}
    columns:
      - {id: region, type: region, label: {en: Region, fr: Région}}
      - {id: share, type: percent, label: {en: Share, fr: Part}}
      - {id: members, type: integer, label: {en: Members, fr: Membres}}
    """


@pytest.mark.parametrize("rows, line, message", [
    ("mena,38.8,20\nap,37.1\n", 3, "this row has 2 values but the header has 3 columns"),
    ("mena,38.8,20\nap,37.1,30,4\n", 3, "this row has 4 values but the header has 3 columns"),
    ("mena,38.8,20\n\nap,37,1,30\n", 4, "this row has 4 values but the header has 3 columns"),
    ("mena,38.8,20\nap,abc,30\n", 3, "share: 'abc' is not a number"),
    ("mena,38.8,20\nmars,1,30\n", 3, "region: unknown region 'mars'"),
    ("mena,38.8,20\nmena,1,30\n", 3, "duplicate row 'mena' in column 'region' (first at line 2)"),
    ('mena,38.8,20\nap,"37.1\n",30\neur,x,1\n', 5, "share: 'x' is not a number"),  # a quoted line end
])
def test_csv_mistake_on_its_row(tmp_path, rows, line, message):
    write(tmp_path, "regions.schema.yml", CSV_SCHEMA)
    write(tmp_path, "regions.csv", "region,share,members\n" + rows)
    _, problems = load(tmp_path)
    errors = [e for e in messages(problems) if "37.1\n" not in e]
    assert errors and errors[0].startswith(f"data/regions.csv:{line}: error: {message}"), errors


def test_csv_header_and_schema_mistakes(tmp_path):
    write(tmp_path, "regions.schema.yml", CSV_SCHEMA)
    write(tmp_path, "regions.csv", "region,share,member\nmena,1,2\n")
    write(tmp_path, "orphan.schema.yml", CSV_SCHEMA)
    write(tmp_path, "alone.csv", "a,b\n")
    _, problems = load(tmp_path)
    assert messages(problems) == [
        "data/alone.csv: error: a CSV table needs its columns declared in 'alone.schema.yml' beside it",
        "data/orphan.schema.yml: error: schema of a CSV file, but there is no 'orphan.csv' beside it",
        "data/regions.csv:1: error: column 'members' is declared in regions.schema.yml but missing "
        "from the header",
        "data/regions.csv:1: error: unknown column 'member' in the header (declared in "
        "regions.schema.yml: region, share, members)",
    ]


def test_csv_with_semicolons(tmp_path):
    write(tmp_path, "regions.schema.yml", CSV_SCHEMA)
    write(tmp_path, "regions.csv", "region;share;members\nmena;38,8;20\n")
    _, problems = load(tmp_path)
    assert only_error(problems) == ("data/regions.csv:1: error: the fields are separated by ';': save the file "
                                    "as CSV with commas (and a decimal point in numbers)")


def test_file_level_mistakes(tmp_path):
    write(tmp_path, "Survey.yml", TABLE)
    write(tmp_path, "casestudies-by-region.yml", TABLE)
    write(tmp_path, "broken.yml", "title: [unclosed\ncolumns: []\n")
    write(tmp_path, "badkey.yml", TABLE.replace("key: region", "key: participation"))
    tables, problems = load(tmp_path)
    assert tables == {}
    found = messages(problems)
    assert found[0].startswith("data/Survey.yml: error: data table name 'Survey'")
    assert found[1].startswith("data/badkey.yml:4: error: the key column 'participation' names the rows")
    assert found[2].startswith("data/broken.yml:2: error: YAML syntax")
    assert found[3].startswith("data/casestudies-by-region.yml: error: 'casestudies-by-region' is the name "
                               "of a table computed from the case studies")
    assert len(found) == 4, found


def test_no_traceback_for_odd_yaml(tmp_path):
    """Shapes a schema does not expect are reported, never raised."""
    for i, text in enumerate(["", "[1, 2]", "title: {en: T, fr: T}\ncolumns: [1]\n",
                              TABLE.replace("rows:\n", "rows:\n  - 3\n"),
                              TABLE.replace("participation: 38.8", "participation: [38.8]"),
                              TABLE.replace("participation: 38.8", "participation: .nan"),
                              TABLE.replace("participation: 38.8", "participation: true"),
                              TABLE.replace("region: mena", "region: [mena]"),
                              TABLE.replace("technology: blockchain", "technology: {a: 1}")]):
        root = tmp_path / str(i)
        write(root, "t.yml", text)
        _, problems = load(root)
        assert problems.errors, text
        assert all(p.path == "data/t.yml" for p in problems.errors)


# --- the bundled data ------------------------------------------------------------------------

def test_bundled_data_from_pc0790():
    problems = Problems(REPO_ROOT)
    technologies = load_technologies(REPO_ROOT / "technologies.yml", LANGS, problems)
    tables = load_data(REPO_ROOT, LANGS, technologies, problems)
    assert messages(problems) == []
    ncp, total, survey = tables["ncp-2025"], tables["survey-2025-total"], tables["survey-2025"]
    assert [format_value(ncp, "all", c, "fr") for c in ("members", "ncps", "membership-share", "as-at")] == [
        "143", "231", f"76{NBSP}%", "26 août 2025"]
    assert [format_value(total, "all", c, "en") for c in ("members", "membership-share")] == ["61", "33%"]
    shares = {r: format_value(survey, r, "participation", "fr") for r in survey.rows}
    assert shares == {"mena": f"38,8{NBSP}%", "ap": f"37,1{NBSP}%", "eur": f"30,1{NBSP}%",
                      "ams": f"33,3{NBSP}%", "esa": f"33,3{NBSP}%", "wca": "—"}
    # The seed gives AOA (ESA) two figures and AOC (WCA) none: kept, and said in both languages.
    assert format_value(survey, "esa", "second-figure", "en") == "25%"
    for row in ("esa", "wca"):
        assert "English PC0790" in survey.value(row, "note")["en"]
        assert "version anglaise du PC0790" in survey.value(row, "note")["fr"]


def test_casestudy_counts():
    problems = Problems(REPO_ROOT)
    technologies = load_technologies(REPO_ROOT / "technologies.yml", LANGS, problems)
    studies = load_casestudies(REPO_ROOT, LANGS, technologies, problems)
    by_tech, by_region = casestudy_counts(studies, technologies)
    assert list(by_tech.rows) == list(technologies)
    assert list(by_region.rows) == ["esa", "wca", "mena", "eur", "ap", "ams"]
    # Counted independently of the code under test, from the metadata files.
    import yaml
    metas = [yaml.safe_load(p.read_text("utf-8"))
             for p in sorted((REPO_ROOT / "casestudies").glob("*/casestudy.yml"))]
    assert sum(by_region.value(r, "casestudies") for r in by_region.rows) == len(metas) > 0
    assert by_tech.value("blockchain", "casestudies") == sum("blockchain" in m["technologies"] for m in metas)
    assert format_value(by_tech, "ai-ml", "technology", "fr") == (
        "Intelligence artificielle et apprentissage automatique")
    assert table_markdown(by_region, "fr").splitlines()[0] == "| Région | Études de cas |"


def test_one_run_lists_every_problem(tmp_path):
    """A label missing does not hide the mistakes in the rows, nor one row those of another."""
    write(tmp_path, "s.yml", """\
        title: {en: T, fr: T}
        key: region
        columns:
          - {id: region, type: region, label: {en: Region, fr: Région}}
          - {id: share, type: percent, label: {en: Share}}
        rows:
          - {region: mena, share: 38,8}
          - region: mars
            share: 1
          - {region: mena, share: 2}
        """)
    tables, problems = load(tmp_path)
    assert tables == {}
    assert messages(problems) == [
        "data/s.yml:5: error: column 'share': label: the text in 'fr' is missing",
        "data/s.yml:7: error: unknown column '8' (columns: region, share); a comma inside { } separates "
        "values: write a decimal point (38.8)",
        "data/s.yml:8: error: region: unknown region 'mars' (the WCO regions are esa, wca, mena, eur, ap, ams)",
        "data/s.yml:10: error: duplicate row 'mena' in column 'region' (first at line 7)",
    ]
