"""CAT-tool exchange (xliff.py): `xliff export` writes XLIFF 1.2 that the official schema and a
second reader accept; `xliff import` writes the translations back, byte for byte when nothing
changed, and refuses — writing nothing — what a CAT tool damaged."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from lxml import etree

from conftest import copy_repo, run_build

NS = {"x": "urn:oasis:names:tc:xliff:document:1.2"}
SCHEMAS = Path(__file__).parent / "xliff"


class _LocalXmlXsd(etree.Resolver):
    """The strict schema imports xml.xsd from the W3C's site: use the copy beside it."""

    def resolve(self, url, pubid, context):
        if url.endswith("/xml.xsd"):
            return self.resolve_filename(str(SCHEMAS / "xml.xsd"), context)
        return None


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    parser = etree.XMLParser()
    parser.resolvers.add(_LocalXmlXsd())
    return etree.XMLSchema(etree.parse(str(SCHEMAS / "xliff-core-1.2-strict.xsd"), parser))


def sources(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for top in ("docs", "translations") for p in sorted((root / top).rglob("*")) if p.is_file()}


def export(root: Path) -> list[Path]:
    proc = run_build("xliff", "export", "--lang", "fr", cwd=root)
    assert proc.returncode == 0, proc.stderr
    files = [Path(line) for line in proc.stdout.split()]
    assert files and all(f.suffix == ".xlf" and f.is_file() for f in files)
    return files


def units(path: Path) -> dict[str, etree._Element]:
    return {tu.get("id"): tu for tu in etree.parse(str(path)).iter("{%s}trans-unit" % NS["x"])}


@pytest.fixture
def repo(tmp_path) -> Path:
    return copy_repo(tmp_path / "repo")


def test_export_writes_one_valid_file_per_chapter(repo, schema):
    files = export(repo)
    chapters = sorted(p.stem for p in (repo / "docs/fr").glob("*.md"))
    studies = sorted(p.parent.name for p in (repo / "casestudies").glob("*/fr.md"))
    assert sorted(f.stem for f in files if f.parent.name == "fr") == chapters
    assert sorted(f.stem for f in files if f.parent.name == "casestudies") == studies  # one file per case study
    files = [f for f in files if f.parent.name == "fr"]
    for f in files:
        doc = etree.parse(str(f))
        assert schema.validate(doc), f"{f.name}: {schema.error_log.last_error}"
        file_ = doc.getroot().find("x:file", NS)
        assert file_.get("source-language") == "en" and file_.get("target-language") == "fr"
        assert file_.get("original") == f"docs/en/{f.stem}.md"
    intro = units(repo / "build/xliff/fr/introduction.xlf")
    # A unit per heading, paragraph, list item; codes for citations; all current: translated.
    kinds = [tu.get("restype") for tu in intro.values()]
    assert kinds.count("x-heading") == 6 and kinds.count("x-item") == 5 and kinds.count("x-paragraph") == 6
    assert all(tu.find("x:target", NS).get("state") == "translated" for tu in intro.values())
    cites = [ph.text for tu in intro.values() for ph in tu.find("x:source", NS).iter("{%s}ph" % NS["x"])]
    assert "[@wco2025pc0790, para. 1]" in cites and "[@wco2019study]" in cites
    emphasis = [(b.text, b.get("ctype")) for tu in intro.values() for b in tu.iter("{%s}bpt" % NS["x"])]
    assert ("*", "italic") in emphasis


def test_a_second_reader_reads_every_unit(repo):
    xliff = pytest.importorskip("translate.storage.xliff")
    export(repo)
    path = repo / "build/xliff/fr/methodology.xlf"
    store = xliff.xlifffile.parsefile(str(path))
    ours = units(path)
    assert [u.getid().split("\x04")[-1] for u in store.units] == list(ours)  # (it prefixes the file name)
    heading = next(u for u in store.units if u.source.startswith("Regional events"))
    assert heading.target == "Événements régionaux"


def test_export_then_import_leaves_every_source_byte_identical(repo):
    before = sources(repo)
    files = export(repo)
    proc = run_build("xliff", "import", *map(str, files), cwd=repo)
    assert proc.returncode == 0, proc.stderr
    assert "docs/fr/introduction.md: written, marked current" in proc.stdout
    assert sources(repo) == before


def damage(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), "utf-8")


@pytest.mark.parametrize("old, new, message", [
    ('ctype="x-citation">[@wco2025pc0790, para. 1]</ph>', 'ctype="x-citation">[@wco2025pc0790, para. 7]</ph>',
     "unit 'b3': the protected code 1 was altered ('[@wco2025pc0790, para. 1]' became '[@wco2025pc0790, para. 7]')"),
    ('pour relever les défis du monde d\'aujourd\'hui <ph id="1" ctype="x-citation">[@wco2025pc0790, para. 1]</ph>',
     "pour relever les défis du monde d'aujourd'hui [@wco2025pc0790, para. 1]",
     "unit 'b3': the protected code 1 ('[@wco2025pc0790, para. 1]') was lost"),
])
def test_an_import_with_a_damaged_code_is_refused_and_writes_nothing(repo, old, new, message):
    files = export(repo)
    intro = repo / "build/xliff/fr/introduction.xlf"
    # A real edit in another file of the same import: it must not be written either.
    damage(repo / "build/xliff/fr/methodology.xlf", ">Sources</target>", ">Les sources</target>")
    text = intro.read_text("utf-8")
    start = text.index('<trans-unit id="b3"')
    end = text.index("</trans-unit>", start)
    unit = text[start:end]
    target = unit[unit.index("<target"):]
    assert old in target, target
    intro.write_text(text[:start] + unit.replace(target, target.replace(old, new, 1)) + text[end:], "utf-8")
    before = sources(repo)
    proc = run_build("xliff", "import", *map(str, files), cwd=repo)
    assert proc.returncode == 1
    assert f"build/xliff/fr/introduction.xlf: {message}" in proc.stderr
    assert "nothing was written" in proc.stderr and "Traceback" not in proc.stderr
    assert sources(repo) == before


def test_an_import_with_a_missing_unit_is_refused(repo):
    export(repo)
    path = repo / "build/xliff/fr/introduction.xlf"
    doc = etree.parse(str(path))
    tu = next(doc.iter("{%s}trans-unit" % NS["x"]))
    tu.getparent().remove(tu)
    doc.write(str(path), xml_declaration=True, encoding="UTF-8")
    before = sources(repo)
    proc = run_build("xliff", "import", str(path), cwd=repo)
    assert proc.returncode == 1
    assert f"build/xliff/fr/introduction.xlf: unit '{tu.get('id')}' is missing" in proc.stderr
    assert sources(repo) == before


def test_a_page_edited_after_the_export_is_not_overwritten(repo):
    export(repo)
    page = repo / "docs/fr/introduction.md"
    page.write_text(page.read_text("utf-8").replace("Cette initiative", "Cette belle initiative"), "utf-8")
    before = sources(repo)
    proc = run_build("xliff", "import", str(repo / "build/xliff/fr/introduction.xlf"), cwd=repo)
    assert proc.returncode == 1 and "was edited after the export" in proc.stderr
    assert sources(repo) == before


def test_drift_sets_the_states_and_a_translated_import_marks_the_page_current(repo):
    en, fr = repo / "docs/en/introduction.md", repo / "docs/fr/introduction.md"
    text = en.read_text("utf-8")
    text = text.replace("The WCO launched the Smart Customs project", "The WCO started the Smart Customs project")
    text = text.replace("\n## Relationship with earlier editions",
                        "\nA new paragraph of the source.\n\n## Relationship with earlier editions")
    en.write_text(text, "utf-8")
    export(repo)
    path = repo / "build/xliff/fr/introduction.xlf"
    found = units(path)
    states = {uid: (tu.find("x:target", NS).get("state") if tu.find("x:target", NS) is not None else None)
              for uid, tu in found.items()}
    changed = next(uid for uid, tu in found.items()
                   if tu.find("x:source", NS).text.startswith("The WCO started"))
    added = next(uid for uid, tu in found.items() if tu.find("x:source", NS).text == "A new paragraph of the source.")
    assert states[changed] == "needs-review-translation"
    assert "it said: The WCO launched" in found[changed].find("x:note", NS).text
    assert states[added] is None  # new: no target
    assert {s for uid, s in states.items() if uid not in (changed, added)} == {"translated"}
    assert "state=\"new\"" not in path.read_text("utf-8")

    # Half done: the page is written (the new paragraph in English for now), not marked current.
    proc = run_build("xliff", "import", str(path), cwd=repo)
    assert proc.returncode == 0, proc.stderr
    assert "not marked current: 2 unit(s) not translated yet" in proc.stdout
    assert "A new paragraph of the source." in fr.read_text("utf-8")
    check = run_build("check", cwd=repo)  # the structure is the source's again
    assert check.returncode == 0, check.stderr

    # The translator finishes: both units translated.
    export(repo)
    doc = etree.parse(str(path))
    for tu in doc.iter("{%s}trans-unit" % NS["x"]):
        source = tu.find("x:source", NS)
        target = tu.find("x:target", NS)
        if source.text == "A new paragraph of the source.":
            if target is None:
                target = etree.SubElement(tu, "{%s}target" % NS["x"])
            target.text = "Un nouveau paragraphe de la source."
        target.set("state", "translated")
    doc.write(str(path), xml_declaration=True, encoding="UTF-8")
    front_before = fr.read_text("utf-8").split("---", 2)[1]
    proc = run_build("xliff", "import", str(path), cwd=repo)
    assert proc.returncode == 0, proc.stderr
    assert "docs/fr/introduction.md: written, marked current" in proc.stdout
    new = fr.read_text("utf-8")
    assert "Un nouveau paragraphe de la source." in new
    # Front matter kept, but for translation_of, now the source's hash.
    front_after = new.split("---", 2)[1]
    assert re.sub(r"translation_of: \w+", "", front_before) == re.sub(r"translation_of: \w+", "", front_after)
    assert front_before != front_after
    site_check = run_build("check", cwd=repo)
    assert site_check.returncode == 0 and "docs/fr/introduction.md: translation" not in site_check.stderr


def test_import_refuses_what_is_no_xliff(repo, tmp_path):
    bad = tmp_path / "bad.xlf"
    bad.write_text("<not-xliff/>", "utf-8")
    proc = run_build("xliff", "import", str(bad), cwd=repo)
    assert proc.returncode == 1 and "not an XLIFF 1.2 file" in proc.stderr and "Traceback" not in proc.stderr
    bad.write_text("<xliff", "utf-8")
    proc = run_build("xliff", "import", str(bad), cwd=repo)
    assert proc.returncode == 1 and "not a readable XML file" in proc.stderr
    proc = run_build("xliff", "export", cwd=repo)
    assert proc.returncode == 2 and "--lang fr" in proc.stderr
    shutil.rmtree(tmp_path / "repo" / "build", ignore_errors=True)


# --- A round trip through the storage API of Weblate and Pootle (translate-toolkit) ----------
def _toolkit_units(path: Path):
    xliff = pytest.importorskip("translate.storage.xliff")
    store = xliff.xlifffile.parsefile(str(path))
    return store, {u.getid().split("\x04")[-1]: u for u in store.units}


def _retext(unit, old: str, new: str) -> None:
    """A translator's edit of the words, the codes kept where they are (rich_target: how a tool
    that shows codes as tags writes them back)."""
    from translate.storage.placeables import StringElem

    (whole,) = unit.rich_target
    parts = [StringElem(str(p).replace(old, new)) if type(p) is StringElem else p for p in whole.sub]
    assert any(old in str(p) for p in whole.sub), old
    unit.rich_target = [StringElem(parts)]


def test_a_cat_round_trip_imports_the_good_targets_and_refuses_the_damaged_ones(repo):
    intro, method = repo / "build/xliff/fr/introduction.xlf", repo / "build/xliff/fr/methodology.xlf"
    page = repo / "docs/fr/introduction.md"
    export(repo)
    store, tu = _toolkit_units(intro)
    tu["b2"].target = "Le projet « Douanes intelligentes »"  # (Weblate's way: the target as text)
    _retext(tu["b3"], "L'OMD a lancé le projet", "L'OMD a démarré le projet")
    store.save()
    proc = run_build("xliff", "import", str(intro), cwd=repo)
    assert proc.returncode == 0, proc.stderr
    assert "docs/fr/introduction.md: written, marked current" in proc.stdout
    text = page.read_text("utf-8")
    assert "## Le projet « Douanes intelligentes » {#intro-project}" in text
    assert "L'OMD a démarré le projet Douanes intelligentes en décembre 2023" in text
    assert "[@wco2025pc0790, para. 1]." in text

    # The next round: some targets edited well, others damaged as a CAT tool damages them.
    export(repo)
    store, tu = _toolkit_units(intro)
    tu["b2"].target = "Le projet Douanes intelligentes"  # good
    # Weblate's pitfall: a target set as text keeps its codes and puts the text before them,
    # so the citation comes back re-typed as text *and* as its code.
    tu["b5"].target = "Le projet vise les objectifs stratégiques suivants [@wco2025pc0790, para. 2] :"
    tu["b4"].target = "Objectifs ([voir le portail](https://scp.wcoomd.org/))"  # a link typed in
    target = tu["b3"].xmlelement.find("{%s}target" % NS["x"])  # a code dropped
    code = target.find("{%s}ph" % NS["x"])
    target.text = (target.text or "") + (code.tail or "")
    target.remove(code)
    store.save()
    store, tu = _toolkit_units(method)
    tu["b2"].target = "Les sources"  # good, in another file of the same import
    store.save()
    before = sources(repo)
    proc = run_build("xliff", "import", str(intro), str(method), cwd=repo)
    assert proc.returncode == 1
    refused = [ln.removeprefix("build_report: error: ") for ln in proc.stderr.splitlines()
               if ln.startswith(("build/", "build_report: error: build/"))]
    assert refused == [
        "build/xliff/fr/introduction.xlf: unit 'b3': the protected code 1 ('[@wco2025pc0790, para. 1]') was lost",
        "build/xliff/fr/introduction.xlf: unit 'b4': a link typed as text in the translation ('[voir le portail]"
        "(https://scp.wcoomd.org/)'): a CAT tool must carry the codes of the source, not re-type them; keep the "
        "tag and remove the typed text",
        "build/xliff/fr/introduction.xlf: unit 'b5': a citation typed as text in the translation ('[@wco2025pc0790, "
        "para. 2]'): a CAT tool must carry the codes of the source, not re-type them; keep the tag and remove the "
        "typed text"], proc.stderr
    assert "nothing was written" in proc.stderr and "Traceback" not in proc.stderr
    assert sources(repo) == before


def test_an_import_that_check_would_refuse_is_refused_with_checks_message(repo):
    """A target whose codes are intact but whose page would fail `check` (a number changed in a
    current translation): the import says what check would, for the unit, and writes nothing."""
    intro, page = repo / "build/xliff/fr/introduction.xlf", repo / "docs/fr/introduction.md"
    export(repo)
    store, tu = _toolkit_units(intro)
    _retext(tu["b3"], "en décembre 2023", "en décembre 2024")
    store.save()
    before = sources(repo)
    proc = run_build("xliff", "import", str(intro), cwd=repo)
    assert proc.returncode == 1
    assert sources(repo) == before
    (line,) = [ln.removeprefix("build_report: error: ") for ln in proc.stderr.splitlines() if "unit 'b3'" in ln]
    prefix = "build/xliff/fr/introduction.xlf: unit 'b3': "
    assert line.startswith(prefix), line
    # The same page written by hand: `check` says exactly that.
    page.write_text(page.read_text("utf-8").replace("en décembre 2023", "en décembre 2024", 1), "utf-8")
    check = run_build("check", cwd=repo)
    assert check.returncode == 1
    assert line.removeprefix(prefix) in check.stderr.splitlines()


def test_a_case_study_is_exported_and_imported(repo):
    path = repo / "build/xliff/fr/casestudies/hk-validap.xlf"
    fr = repo / "casestudies/hk-validap/fr.md"
    assert path in export(repo)
    assert etree.parse(str(path)).getroot().find("x:file", NS).get("original") == "casestudies/hk-validap/en.md"
    store, tu = _toolkit_units(path)
    _retext(tu["b1"], "Le 12 juin 2025, l'équipe", "Le 12 juin 2025, toute l'équipe")
    store.save()
    proc = run_build("xliff", "import", str(path), cwd=repo)
    assert proc.returncode == 0, proc.stderr
    assert "casestudies/hk-validap/fr.md: written, marked current" in proc.stdout
    text = fr.read_text("utf-8")
    assert text.startswith("Le 12 juin 2025, toute l'équipe du projet") and "[@wco2025pc0790, para. 18]." in text

    export(repo)
    store, tu = _toolkit_units(path)
    tu["b2"].target = "Projet — voir [le portail](https://scp.wcoomd.org/)."  # a link typed in
    store.save()
    before = sources(repo) | {"fr.md": fr.read_bytes()}
    proc = run_build("xliff", "import", str(path), cwd=repo)
    assert proc.returncode == 1
    assert "build/xliff/fr/casestudies/hk-validap.xlf: unit 'b2': a link typed as text" in proc.stderr
    assert sources(repo) | {"fr.md": fr.read_bytes()} == before


def test_an_included_file_is_exported_once_as_itself(repo):
    """Blocks typed in a file that pages include are translated in that file, once."""
    for lang, text in (("en", "A note shared by the chapters, typed once [@wco2025pc0790, para. 4].\n"),
                       ("fr", "Une note commune aux chapitres, écrite une fois [@wco2025pc0790, para. 4].\n")):
        (repo / f"docs/{lang}/_shared").mkdir()
        (repo / f"docs/{lang}/_shared/note.md").write_text(text, "utf-8")
        page = repo / f"docs/{lang}/drones.md"
        page.write_text(page.read_text("utf-8") + "\n{% include _shared/note.md %}\n", "utf-8")
    for page in ("docs/fr/drones.md", "docs/fr/_shared/note.md"):
        marked = run_build("translated", page, cwd=repo)
        assert marked.returncode == 0, marked.stderr
    assert (repo / "translations/fr/_shared/note.json").is_file()
    files = export(repo)
    path = repo / "build/xliff/fr/_shared/note.xlf"
    assert path in files
    drones = (repo / "build/xliff/fr/drones.xlf").read_text("utf-8")
    assert "écrite une fois" not in drones and "typed once" not in drones  # (not twice)
    store, tu = _toolkit_units(path)
    _retext(tu["b1"], "écrite une fois", "rédigée une seule fois")
    store.save()
    proc = run_build("xliff", "import", str(path), cwd=repo)
    assert proc.returncode == 0, proc.stderr
    assert "docs/fr/_shared/note.md: written, marked current" in proc.stdout
    assert (repo / "docs/fr/_shared/note.md").read_text("utf-8") == \
        "Une note commune aux chapitres, rédigée une seule fois [@wco2025pc0790, para. 4].\n"
    assert run_build("check", "--strict", cwd=repo).returncode == 0
