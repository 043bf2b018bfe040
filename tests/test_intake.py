"""Members' survey answers in and out (src/wcoreport/intake/), through the command a user runs.

The survey export is made here with openpyxl, as EUSurvey would give it (the example mapping
src/wcoreport/intake/mappings/eusurvey.yml): a merged title row, a header merged over two
technology columns, 8 responses in English, French and one in Spanish (accents, curly quotes,
multi-line answers), a date stored as an Excel serial number, an empty row, a formula cell, a
response submitted twice, and one naming an unknown technology.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import json
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
import yaml

from conftest import REPO_ROOT, copy_repo, run_build

MAPPING = REPO_ROOT / "src" / "wcoreport" / "intake" / "mappings" / "eusurvey.yml"
HEADERS = ["Creation date", "Languages", "Which WCO Member does your administration belong to?",
           "Name of your administration", "WCO region", "Name of the initiative",
           "Which disruptive technology does the initiative use?", None,  # (merged over G and H)
           "Since when has the initiative been in place?",
           "Please describe the initiative: objectives, implementation and results"]
TECH = 7  # column G

RESPONSES = [
    [datetime.datetime(2025, 6, 2, 9, 14), "FR", "France", "Direction générale des douanes et droits indirects",
     "Europe", "Ciblage des envois express par apprentissage automatique",
     "Intelligence artificielle et apprentissage automatique", None, 2023,
     "Notre service d’analyse de risque utilise un modèle d’apprentissage automatique pour classer les "
     "envois express.\n\nLe modèle a été entraîné sur trois ans de contrôles ; il signale les colis dont "
     "la « valeur déclarée » paraît anormale.\nRésultat : deux fois plus de saisies à effort égal."],
    [45812, "EN", "Kenya", "Kenya Revenue Authority", "East and Southern Africa",
     "Regional cargo tracking on a shared ledger", "Blockchain", "Internet of Things", 45292,
     "We built a “single source of truth” for transit cargo with neighbouring administrations.\n"
     "- each border post writes its seal checks to the ledger\n- 1. trucks are released <b>faster</b>\n\n"
     "Transit time dropped from 5 days to 2; see [our report](javascript:alert(1)) and email @kra."],
    [datetime.datetime(2025, 6, 20, 16, 2), "ES", "Uruguay", "Dirección Nacional de Aduanas",
     "Americas and Caribbean", "Precintos electrónicos para el tránsito aduanero", "Internet of Things", None,
     2022, "Los camiones en tránsito llevan precintos electrónicos con GPS.\nLa aduana sigue cada viaje en "
           "tiempo real y recibe una alerta si el precinto se abre fuera de una zona autorizada."],
    [datetime.datetime(2025, 7, 1, 8, 30), "EN", "Japan", "Japan Customs", "Asia/Pacific",
     "Drones patrolling remote coastlines", "Drone", None, 2024,
     "Small drones fly scheduled patrols over islands with no customs post; officers review the video."],
    None,  # an empty row, as exports keep when a response is deleted
    [datetime.datetime(2025, 7, 15, 11, 0), "FR", "Maroc", "=\"Administration des douanes et impôts indirects\"",
     "Afrique du Nord, Proche et Moyen-Orient", "Analyse des données de dédouanement pour le risque",
     "Mégadonnées et analyse de données", None, "2021",
     "Les déclarations de dix ans ont été rassemblées dans un entrepôt de données.\n\nLes analystes y "
     "cherchent les schémas de fraude ; les règles de ciblage sont revues chaque trimestre."],
    [datetime.datetime(2025, 8, 4, 14, 45), "EN", "Singapore", "Singapore Customs", "Asia/Pacific",
     "Moving the trade declaration system to a government cloud", "Cloud computing", None, 2024,
     "The declaration system moved from our own data centre to the government's cloud; peak filings no "
     "longer slow it down."],
    # The Kenyan response sent again, a week later, its title retyped.
    [datetime.datetime(2025, 6, 9, 10, 5), "EN", "Kenya", "Kenya Revenue Authority", "East and Southern Africa",
     "Regional cargo tracking on a shared ledger.", "Blockchain", None, 2024,
     "Same answer as last week, sent again by a colleague."],
    [datetime.datetime(2025, 9, 12, 17, 20), "FR", "Canada", "Agence des services frontaliers du Canada",
     "Amériques et Caraïbes", "Reconnaissance faciale aux postes frontaliers terrestres", "Biométrie", None,
     2025, "Des bornes comparent le visage du voyageur à la photo de son passeport.\nL’agent garde la décision."],
]
EXPECTED_IDS = {"fr-ai-ml-2023", "ke-blockchain-2024", "uy-iot-2022", "jp-drones-2024", "ma-big-data-2021",
                "sg-cloud-computing-2024", "ca-biometrics-2025"}


def write_survey(path: Path, drone: str = "Drone") -> None:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Content"
    ws["A1"] = "WCO survey on disruptive technologies — answers exported on 30/09/2025"
    ws.merge_cells("A1:J1")
    for column, header in enumerate(HEADERS, start=1):
        if header:
            ws.cell(2, column, header)
    ws.merge_cells(start_row=2, start_column=TECH, end_row=2, end_column=TECH + 1)
    row = 3
    for response in RESPONSES:
        if response is not None:
            for column, value in enumerate(response, start=1):
                if value == "Drone":
                    value = drone
                if value is not None:
                    ws.cell(row, column, value)  # (a text starting with '=' is a formula to openpyxl)
        row += 1
    book.save(path)


def tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def intake(root: Path, *args: str):
    return run_build("--root", str(root), "intake", *args, timeout=180)


@pytest.fixture(scope="module")
def imported(tmp_path_factory) -> dict:
    """A copy of the repository, the survey imported once refused and once fixed."""
    tmp = tmp_path_factory.mktemp("intake")
    root = copy_repo(tmp / "repo")
    survey = tmp / "survey.xlsx"
    write_survey(survey)
    before = tree(root)
    refused = intake(root, "import", str(survey), "--mapping", str(MAPPING))
    after_refused = tree(root)
    write_survey(survey, drone="Drones")
    accepted = intake(root, "import", str(survey), "--mapping", str(MAPPING))
    return {"root": root, "tmp": tmp, "survey": survey, "before": before, "refused": refused,
            "after_refused": after_refused, "accepted": accepted, "after": tree(root)}


def test_unknown_technology_refused_at_its_cell_nothing_written(imported):
    proc = imported["refused"]
    assert proc.returncode == 1, proc.stderr
    survey = str(imported["survey"])
    # Japan's answer is on row 6 (title row, header row, 3 responses before it); the technology in G.
    assert f"{survey}:Content!G6: error: unknown technology 'Drone' (did you mean 'Drones'?)" in proc.stderr
    assert "nothing was written" in proc.stderr
    assert imported["after_refused"] == imported["before"]


def test_seven_drafts_and_one_duplicate(imported):
    proc, root = imported["accepted"], imported["root"]
    assert proc.returncode == 0, proc.stderr
    created = {line.split("/")[1] for line in proc.stdout.splitlines() if line.startswith("casestudies/")}
    assert created == EXPECTED_IDS
    survey = str(imported["survey"])
    assert f"{survey}:Content!A10: warning: likely duplicate of casestudies/ke-blockchain-2024/" in proc.stderr
    assert f"{survey}:Content!D8: warning: a formula, taken as its text" in proc.stderr
    for cid in EXPECTED_IDS:
        meta = yaml.safe_load((root / "casestudies" / cid / "casestudy.yml").read_text("utf-8"))
        assert meta["status"] == "submitted" and meta["source"] == "survey"
    assert not (root / "casestudies" / "ke-blockchain-2024-2").exists()


def test_drafts_keep_language_and_submission(imported):
    folder = imported["root"] / "casestudies"
    fr = folder / "fr-ai-ml-2023"
    meta = yaml.safe_load((fr / "casestudy.yml").read_text("utf-8"))
    assert meta["source_lang"] == "fr" and meta["untranslated"] == ["en"] and meta["year"] == 2023
    text_fr = (fr / "fr.md").read_text("utf-8")
    assert "« valeur déclarée »" in text_fr and "d’apprentissage" in text_fr
    assert (fr / "en.md").read_text("utf-8").startswith("*Not translated yet: the Member's text, in French")
    # Kenya: a serial date (45292 = 1 January 2024) for the year, an Excel serial for the date too.
    ke = folder / "ke-blockchain-2024"
    record = yaml.safe_load((ke / "submission.yml").read_text("utf-8"))
    assert record["sheet"] == "Content" and record["row"] == 4 and record["file"] == "survey.xlsx"
    assert record["answers"]["Creation date"] == "45812" and record["submitted"] == "2025-06-04"
    technology = "Which disruptive technology does the initiative use?"
    assert record["answers"][technology] == "Blockchain"
    assert record["answers"][technology + " (H)"] == "Internet of Things"
    assert record["answers"]["Please describe the initiative: objectives, implementation and results"] == RESPONSES[1][9]
    meta = yaml.safe_load((ke / "casestudy.yml").read_text("utf-8"))
    assert meta["technologies"] == ["blockchain", "iot"]  # both columns under the merged header
    # HTML, a link with a script URL, list markers and an @ are text, not markup.
    en = (ke / "en.md").read_text("utf-8")
    assert "&lt;b&gt;faster&lt;/b&gt;" in en and "\\[our report\\](javascript:alert(1))" in en and "\\@kra" in en
    assert "\\- each border post" in en
    # Spanish: untranslated in both site languages; the formula's text kept as text.
    uy = yaml.safe_load((folder / "uy-iot-2022" / "casestudy.yml").read_text("utf-8"))
    assert uy["source_lang"] == "es" and uy["untranslated"] == ["en", "fr"]
    ma = yaml.safe_load((folder / "ma-big-data-2021" / "casestudy.yml").read_text("utf-8"))
    assert ma["administration"]["fr"] == '="Administration des douanes et impôts indirects"'


def test_check_passes_and_reimport_is_a_no_op(imported):
    root = imported["root"]
    proc = run_build("check", "--strict", "--root", str(root), timeout=300)  # not even a warning
    assert proc.returncode == 0, proc.stderr
    assert "12 case studies" in proc.stderr
    again = intake(root, "import", str(imported["survey"]), "--mapping", str(MAPPING))
    assert again.returncode == 0, again.stderr
    assert "0 case-study draft(s) created" in again.stderr
    assert tree(root) == imported["after"]


def test_submitted_case_study_refused_in_a_chapter(imported, tmp_path):
    root = copy_repo(tmp_path / "repo")
    for cid in ("fr-ai-ml-2023",):
        import shutil

        shutil.copytree(imported["root"] / "casestudies" / cid, root / "casestudies" / cid)
    page = root / "docs" / "en" / "annex-case-studies.md"
    page.write_text(page.read_text("utf-8") + "\n{% casestudy fr-ai-ml-2023 %}\n", "utf-8")
    line = page.read_text("utf-8").split("\n").index("{% casestudy fr-ai-ml-2023 %}") + 1
    proc = run_build("check", "--root", str(root), timeout=300)
    assert proc.returncode == 1
    assert (f"docs/en/annex-case-studies.md:{line}: error: case study 'fr-ai-ml-2023' is a submission no editor "
            "has taken up yet") in proc.stderr


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "json"])
def test_export_then_import_round_trips(imported, tmp_path, fmt):
    root = imported["root"]
    out = tmp_path / f"casestudies.{fmt}"
    proc = intake(root, "export", "--format", fmt, "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    if fmt == "json":
        data = json.loads(out.read_text("utf-8"))
        schema = json.loads((tmp_path / "casestudies.schema.json").read_text("utf-8"))
        assert data["$schema"] == "casestudies.schema.json" and schema["$id"].endswith(".json")
        assert set(schema["properties"]) == set(data) and len(data["casestudies"]) == 12
        record = next(r for r in data["casestudies"] if r["id"] == "ke-blockchain-2024")
        assert record["status"] == "submitted" and record["member_name"]["fr"] == "Kenya"
        from wcoreport.intake.export import Export

        Export.model_validate(data)  # (the model the published schema is made from)
        import jsonschema

        jsonschema.Draft202012Validator.check_schema(schema)
        jsonschema.Draft202012Validator(schema).validate(data)
        broken = json.loads(json.dumps(data))
        broken["casestudies"][0]["region"] = "atlantis"
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.Draft202012Validator(schema).validate(broken)
    fresh = copy_repo(tmp_path / "fresh")
    for folder in (fresh / "casestudies").iterdir():
        import shutil

        shutil.rmtree(folder)
    back = intake(fresh, "import", str(out))
    assert back.returncode == 0, back.stderr
    from wcoreport.sources.project import load_project

    original, restored = load_project(root), load_project(fresh)
    assert set(restored.casestudies) == set(original.casestudies)
    for cid, study in original.casestudies.items():
        assert restored.casestudies[cid].meta == study.meta, cid
        assert restored.casestudies[cid].texts == study.texts, cid
    # And into the repository it came from: nothing to do.
    again = intake(root, "import", str(out))
    assert again.returncode == 0 and "0 case-study draft(s) created" in again.stderr


def test_exported_spreadsheets_hold_no_formula(imported, tmp_path):
    root = copy_repo(tmp_path / "repo")
    import shutil

    shutil.copytree(imported["root"] / "casestudies" / "ma-big-data-2021", root / "casestudies" / "ma-big-data-2021")
    xlsx, csv_path = tmp_path / "c.xlsx", tmp_path / "c.csv"
    assert intake(root, "export", "--format", "xlsx", "--out", str(xlsx)).returncode == 0
    assert intake(root, "export", "--format", "csv", "--out", str(csv_path)).returncode == 0
    ws = openpyxl.load_workbook(xlsx).active
    cells = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("=")]
    assert cells and all(c.data_type == "s" for c in cells)
    with zipfile.ZipFile(xlsx) as z:
        assert "<f>" not in z.read("xl/worksheets/sheet1.xml").decode()
    rows = list(csv.reader(io.StringIO(csv_path.read_text("utf-8-sig"), newline="")))
    assert any(v.startswith("'=\"Administration") for row in rows for v in row)
    assert not any(v[:1] and v[:1] in "=+-@\t\r" for row in rows for v in row)


def test_template(tmp_path):
    out = tmp_path / "form-fr.xlsx"
    proc = run_build("intake", "template", "--lang", "fr", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Instructions", "Études de cas", "Lists"]
    ws = book["Études de cas"]
    assert [c.value for c in ws[1]][:3] == ["Membre", "Administration", "Région de l'OMD"]
    lists = book["Lists"]
    technologies = [c.value for c in lists["D"] if c.value]
    assert "Chaîne de blocs" in technologies and len(technologies) == 9
    validations = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in ws.data_validations.dataValidation}
    assert validations["D2"] == "'Lists'!$D$1:$D$9" and "C2" in validations and "E2" in validations
    # A Member fills it in (in French) and the Secretariat imports it without a mapping.
    ws.append(["Belgique", None, "Europe", "Chaîne de blocs", 2024, "Certificats d'origine sur chaîne de blocs",
               "Les certificats sont émis sur un registre partagé.\n\nLes importateurs les vérifient en ligne."])
    book.save(out)
    root = copy_repo(tmp_path / "repo")
    proc = run_build("--root", str(root), "intake", "import", str(out))
    assert proc.returncode == 0, proc.stderr
    meta = yaml.safe_load((root / "casestudies" / "be-blockchain-2024" / "casestudy.yml").read_text("utf-8"))
    assert meta["source_lang"] == "fr" and meta["member"] == "BE" and meta["region"] == "eur"


# --- bad spreadsheets (not of the bad-input corpus: they are binary files given to `intake import`)

def _bad(tmp_path: Path, name: str, data: bytes | None = None, book=None, mapping: Path | None = None):
    root = copy_repo(tmp_path / "repo")
    path = tmp_path / name
    if book is not None:
        book.save(path)
    else:
        path.write_bytes(data or b"")
    before = tree(root)
    args = ["import", str(path)] + (["--mapping", str(mapping)] if mapping else [])
    proc = intake(root, *args)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr and "nothing was written" in proc.stderr
    assert tree(root) == before
    return proc, str(path)


def test_damaged_xlsx(tmp_path):
    survey = tmp_path / "ok.xlsx"
    write_survey(survey)
    data = survey.read_bytes()
    proc, shown = _bad(tmp_path, "damaged.xlsx", data[: len(data) // 2])
    assert f"{shown}: error: not a readable XLSX file" in proc.stderr


def test_zip_bomb_refused_unopened(tmp_path):
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (200 * 1024 * 1024))  # 200 MB of zeros: 200 KB packed
    assert bomb.stat().st_size < 1024 * 1024
    proc, shown = _bad(tmp_path, "bomb.xlsx", bomb.read_bytes())
    assert f"{shown}: error: the XLSX would unpack to 200 MB" in proc.stderr


def test_wrong_sheet(tmp_path):
    survey = tmp_path / "s.xlsx"
    write_survey(survey, drone="Drones")
    mapping = tmp_path / "m.yml"
    mapping.write_text(MAPPING.read_text("utf-8").replace("sheet: Content", "sheet: Responses"), "utf-8")
    proc, shown = _bad(tmp_path, "s2.xlsx", survey.read_bytes(), mapping=mapping)
    assert f"{shown}: error: no sheet 'Responses' (the file has: Content)" in proc.stderr


def test_missing_required_column(tmp_path):
    survey = tmp_path / "s.xlsx"
    write_survey(survey, drone="Drones")
    book = openpyxl.load_workbook(survey)
    book["Content"].delete_cols(6)  # the title
    proc, shown = _bad(tmp_path, "notitle.xlsx", book=book, mapping=MAPPING)
    assert f"{shown}:Content!A2: error: no column 'Name of the initiative' (the title" in proc.stderr


def test_csv_not_utf8(tmp_path):
    text = ("Member,WCO region,Technologies,Year,Title of the initiative,Description,Language of the answers\n"
            "France,Europe,Drones,2024,Contrôle par drones,Des drones survolent les ports.,French\n")
    proc, shown = _bad(tmp_path, "cp1252.csv", text.encode("cp1252"))
    assert f"{shown}:2: error: not UTF-8 text (byte 0xF4)" in proc.stderr and "CSV UTF-8" in proc.stderr


def test_csv_in_utf8_with_bom_and_semicolons(tmp_path):
    root = copy_repo(tmp_path / "repo")
    path = tmp_path / "answers.csv"
    text = ("Membre;Région de l'OMD;Technologies;Année;Titre de l'initiative;Description\n"
            "France;Europe;Drones;2024;\"Contrôle par drones\";\"Des drones survolent les ports.\nDeuxième ligne.\"\n"
            "Suisse;Europe;Dronez;2024;Autre;Texte.\n")
    path.write_bytes("\ufeff".encode() + text.encode("utf-8"))
    proc = intake(root, "import", str(path))
    assert proc.returncode == 1
    assert f"{path}:4: error: unknown technology 'Dronez' (did you mean 'Drones'?)" in proc.stderr


# --- the reviewers' site: the drafts in the catalogue, as submitted, found by a word of their text

def test_site_catalogue_shows_submitted_and_finds_by_summary(imported, tmp_path):
    from test_site_browser import ARGS, CHROMIUM, _serve, _unavailable

    if not CHROMIUM.is_file():
        _unavailable(f"{CHROMIUM} is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed")
    out = tmp_path / "out"
    proc = run_build("site", "--root", str(imported["root"]), "--out", str(out), timeout=600)
    assert proc.returncode == 0, proc.stderr
    status_html = (out / "site" / "status" / "index.html").read_text("utf-8")
    assert "Submissions waiting for an editor" in status_html and "Precintos electrónicos" in status_html
    server, url = _serve(out / "site")
    requests: list[str] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
            page = browser.new_page()
            page.on("request", lambda r: requests.append(r.url))
            page.goto(url + "annex-case-studies/")
            rows = page.locator(".wco-catalogue tbody tr")
            assert rows.count() == 12
            submitted = page.locator('.wco-catalogue tbody tr[data-status="submitted"]')
            assert submitted.count() == 7
            assert {t.strip() for t in submitted.locator("td:nth-child(2)").all_inner_texts()} == {"Submitted"}
            page.select_option('select[data-filter="status"]', "submitted")
            assert sum(rows.nth(i).is_visible() for i in range(12)) == 7
            page.select_option('select[data-filter="status"]', "")
            # "saisies" is only in the summary of the French machine-learning case (shown untranslated).
            page.fill("input[data-search]", "Saisies")
            visible = [rows.nth(i) for i in range(12) if rows.nth(i).is_visible()]
            assert [r.get_attribute("data-status") for r in visible] == ["submitted"]
            assert "Ciblage des envois express" in visible[0].inner_text()
            page.fill("input[data-search]", "<b>faster</b>")  # text, not markup: Kenya's answer
            visible = [rows.nth(i) for i in range(12) if rows.nth(i).is_visible()]
            assert len(visible) == 1 and "Regional cargo tracking" in visible[0].inner_text()
            browser.close()
    finally:
        server.shutdown()
    assert all(u.startswith(url) for u in requests), [u for u in requests if not u.startswith(url)]


def test_report_catalogue_leaves_submissions_out(imported):
    """The Council documents' `{% casestudies %}` table lists the edited case studies only."""
    from wcoreport.sources.project import load_project
    from wcoreport.report.assemble import catalogue_table

    project = load_project(imported["root"])
    for lang in project.languages:
        text = json.dumps(catalogue_table(project, lang), ensure_ascii=False)
        words = {w for w in re.findall(r'"Str", "c": "([^"]+)"', text)}
        assert words and not words & {"Ciblage", "cargo", "Precintos", "patrolling", "faciale"}
        for study in project.casestudies.values():
            if study.meta.status != "submitted":  # (pandoc's words: each title's first one)
                assert study.title(lang).split()[0].strip('"') in words
