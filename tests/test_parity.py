"""Structural parity (markdown/parity.py): a translation whose blocks depart from its source's
is an error at its line, naming the counterpart in the source; `--draft` makes it a warning.

Each case edits the French page of a scratch copy as a translator might, and runs the real
`check` command; the expected lines are found in the edited files, not written down here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import copy_repo, run_build


def line_of(path: Path, needle: str, start: int = 1) -> int:
    for n, line in enumerate(path.read_text("utf-8").split("\n"), start=1):
        if n >= start and needle in line:
            return n
    raise AssertionError(f"'{needle}' not in {path}")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, f"the test's text is not in {path}: {old!r}"
    path.write_text(text.replace(old, new, 1), "utf-8")


def recorded_current(repo: Path, name: str, lang: str = "fr") -> None:
    """The translation recorded as current by hand (its translation_of set to the source's
    present version), as a page edited after `translated` stands: parity then compares it."""
    from wcoreport.sources.project import load_project
    from wcoreport.translation.translations import project_translations, set_front_matter_line

    expected = project_translations(load_project(repo))[name][lang].expected
    set_front_matter_line(repo / f"docs/{lang}/{name}", "translation_of", expected)


def errors(proc) -> list[str]:
    return [ln for ln in proc.stderr.splitlines() if ": error: " in ln]


def test_the_bundled_translations_have_the_structure_of_their_sources():
    proc = run_build("check", "--strict")
    assert proc.returncode == 0, proc.stderr
    assert "counterpart" not in proc.stderr and "not translated yet" not in proc.stderr


@pytest.fixture
def repo(tmp_path) -> Path:
    return copy_repo(tmp_path)


def test_merged_paragraphs(repo):
    fr, en = repo / "docs/fr/introduction.md", repo / "docs/en/introduction.md"
    edit(fr, "para. 8].\n\nLe Comité", "para. 8]. Le Comité")
    proc = run_build("check", cwd=repo)
    assert proc.returncode == 1
    first = line_of(en, "The WCO published a first Study Report")
    last = line_of(en, "The Permanent Technical Committee (PTC) validated")
    here = line_of(fr, "L'OMD a publié un premier")
    assert errors(proc) == [
        f"docs/fr/introduction.md:{here}: error: paragraph 1 of 'Lien avec les éditions précédentes' holds what "
        f"docs/en/introduction.md:{first}–{last} says in 2 paragraphs (paragraph 1 of 'Relationship with earlier "
        f"editions' and after): merged? (2 paragraphs there, 1 paragraph here)"]


def test_a_split_paragraph(repo):
    fr, en = repo / "docs/fr/introduction.md", repo / "docs/en/introduction.md"
    edit(fr, "(FCD-Chine). Cette initiative", "(FCD-Chine).\n\nCette initiative")
    proc = run_build("check", cwd=repo)
    assert proc.returncode == 1
    here = line_of(fr, "L'OMD a lancé le projet")
    (message,) = errors(proc)
    assert message.startswith(f"docs/fr/introduction.md:{here}: error: paragraph 1 of 'Le projet Douanes "
                              f"intelligentes' and the 1 after it")
    assert f"docs/en/introduction.md:{line_of(en, 'The WCO launched the Smart Customs')} says in one paragraph" in message
    assert "split? (1 paragraph there, 2 paragraphs here)" in message


def test_a_missing_paragraph(repo):
    fr, en = repo / "docs/fr/introduction.md", repo / "docs/en/introduction.md"
    text = fr.read_text("utf-8")
    gone = next(p for p in text.split("\n\n") if p.startswith("Le Comité technique permanent"))
    fr.write_text(text.replace("\n\n" + gone, "", 1), "utf-8")
    proc = run_build("check", cwd=repo)
    assert proc.returncode == 1
    (message,) = errors(proc)
    assert message.startswith(f"docs/fr/introduction.md:{line_of(fr, 'L' + chr(39) + 'OMD a publié un premier')}: "
                              "error: paragraph 2 of 'Relationship with earlier editions' of "
                              f"docs/en/introduction.md:{line_of(en, 'The Permanent Technical Committee (PTC)')} "
                              "has no counterpart here (2 paragraphs there, 1 paragraph here)")


def test_an_extra_paragraph(repo):
    fr, en = repo / "docs/fr/introduction.md", repo / "docs/en/introduction.md"
    edit(fr, "pour approbation [@wco2025pc0790, para. 9].\n",
         "pour approbation [@wco2025pc0790, para. 9].\n\nUn paragraphe que le texte anglais n'a pas.\n")
    proc = run_build("check", cwd=repo)
    assert proc.returncode == 1
    section = line_of(en, "## Relationship with earlier editions")
    end = line_of(en, "The Permanent Technical Committee (PTC)")
    assert errors(proc) == [
        f"docs/fr/introduction.md:{line_of(fr, 'Un paragraphe que le texte')}: error: paragraph 3 of 'Lien avec "
        f"les éditions précédentes' has no counterpart in docs/en/introduction.md:{section}–{end} "
        "(2 paragraphs there, 3 paragraphs here)"]


def test_reordered_paragraphs(repo):
    fr, en = repo / "docs/fr/introduction.md", repo / "docs/en/introduction.md"
    text = fr.read_text("utf-8")
    a = next(p for p in text.split("\n\n") if p.startswith("L'OMD a publié un premier"))
    b = next(p for p in text.split("\n\n") if p.startswith("Le Comité technique permanent"))
    fr.write_text(text.replace(a + "\n\n" + b, b + "\n\n" + a), "utf-8")
    proc = run_build("check", cwd=repo)
    assert proc.returncode == 1
    (message,) = errors(proc)
    here = line_of(fr, "Le Comité technique permanent")
    assert message.startswith(f"docs/fr/introduction.md:{here}: error: paragraph 1 of 'Lien avec les éditions "
                              f"précédentes' does not match its counterpart at docs/en/introduction.md:"
                              f"{line_of(en, 'The WCO published a first')}")
    assert "are in another order here" in message


def test_a_missing_heading(repo):
    fr, en = repo / "docs/fr/introduction.md", repo / "docs/en/introduction.md"
    edit(fr, "## Technologies couvertes {#intro-technologies}\n\n", "")
    proc = run_build("check", cwd=repo)
    assert proc.returncode == 1
    (message,) = errors(proc)
    assert re.match(r"docs/fr/introduction\.md:\d+: error: heading 'Technologies covered' \{#intro-technologies\} "
                    rf"of docs/en/introduction\.md:{line_of(en, '## Technologies covered')} has no counterpart here",
                    message), message


def test_a_heading_id_that_differs(repo):
    fr = repo / "docs/fr/introduction.md"
    edit(fr, "{#intro-technologies}", "{#intro-technologies-fr}")
    proc = run_build("check", cwd=repo)
    assert proc.returncode == 1
    here = line_of(fr, "## Technologies couvertes")
    assert any(m.startswith(f"docs/fr/introduction.md:{here}: error: heading 'Technologies couvertes' "
                            "{#intro-technologies-fr} is here where docs/en/introduction.md:")
               for m in errors(proc)), proc.stderr


def test_a_missing_case_study(repo):
    fr, en = repo / "docs/fr/ai-ml.md", repo / "docs/en/ai-ml.md"
    edit(fr, "{% casestudy ch-ai-mission %}\n", "")
    proc = run_build("check", cwd=repo)
    assert proc.returncode == 1
    (message,) = errors(proc)
    assert message.startswith("docs/fr/ai-ml.md:")
    assert (f"case study 'ch-ai-mission' of docs/en/ai-ml.md:{line_of(en, '{% casestudy ch-ai-mission %}')} "
            "has no counterpart here") in message


def _append(path, text: str) -> None:
    path.write_text(path.read_text("utf-8") + text, "utf-8")


def test_a_table_that_lost_its_id(repo):
    # (The bundled tables come from data/; these are typed in the chapter, in both languages.)
    fr, en = repo / "docs/fr/drones.md", repo / "docs/en/drones.md"
    _append(en, "\nTable: Participation by region {#tbl:participation}\n\n| Region | Participation rate |\n"
                "|---|---|\n| MENA | 38.8 % |\n")
    _append(fr, "\nTable: Participation par région\n\n| Région | Taux de participation |\n"
                "|---|---|\n| MENA | 38,8 % |\n")
    recorded_current(repo, "drones.md")  # (the English edited: the French would be behind)
    proc = run_build("check", cwd=repo)
    assert proc.returncode == 1
    (message,) = errors(proc)
    here = line_of(fr, "Table: Participation par région")
    assert message.startswith(f"docs/fr/drones.md:{here}: error: table of "), message
    assert (f"is here where docs/en/drones.md:{line_of(en, 'Table: Participation by region')} has table "
            "'tbl:participation'") in message


def test_a_missing_figure(repo):
    from base64 import b64decode

    png = b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==")
    for lang in ("en", "fr"):
        (repo / f"docs/{lang}/images").mkdir(exist_ok=True)
        (repo / f"docs/{lang}/images/dot.png").write_bytes(png)
    en, fr = repo / "docs/en/methodology.md", repo / "docs/fr/methodology.md"
    edit(en, "\n## Regional events", "\n![A dot](images/dot.png){#fig:dot}\n\n## Regional events")
    edit(fr, "\n## Événements régionaux", "\n![Un point](images/dot.png)\n\n## Événements régionaux")
    recorded_current(repo, "methodology.md")  # (the English edited: the French would be behind)
    proc = run_build("check", cwd=repo)
    assert proc.returncode == 1
    (message,) = errors(proc)
    assert message.startswith(f"docs/fr/methodology.md:{line_of(fr, '![Un point]')}: error: ")
    assert f"docs/en/methodology.md:{line_of(en, '![A dot]')} has figure 'fig:dot'" in message


def test_a_missing_footnote(repo):
    fr, en = repo / "docs/fr/drones.md", repo / "docs/en/drones.md"
    _append(en, "\nThe rate is to be confirmed.[^rate]\n\n[^rate]: The French text gives two figures.\n")
    _append(fr, "\nLe taux est à confirmer.\n")
    recorded_current(repo, "drones.md")  # (the English edited: the French would be behind)
    proc = run_build("check", cwd=repo)
    assert proc.returncode == 1
    (message,) = errors(proc)
    assert message.startswith(f"docs/fr/drones.md:{line_of(fr, 'Le taux est à confirmer')}: error: "), message
    assert "another number of footnotes (0 here, 1 there)" in message, message


def test_a_missing_citation(repo):
    fr, en = repo / "docs/fr/methodology.md", repo / "docs/en/methodology.md"
    text = fr.read_text("utf-8")
    here = line_of(fr, "[@wco2024portal]")
    fr.write_text(text.replace(" [@wco2024portal]", "", 1), "utf-8")
    proc = run_build("check", cwd=repo)
    assert proc.returncode == 1
    (message,) = errors(proc)
    assert message.startswith(f"docs/fr/methodology.md:{here}: error: paragraph 1 of ")
    assert "has other citations (@wco2025pc0790, @wco2025pc0790 here, @wco2024portal, @wco2025pc0790, " \
           f"@wco2025pc0790 there) than its counterpart at docs/en/methodology.md:{line_of(en, '[@wco2024portal]')}" \
           in message


def test_a_changed_number(repo):
    fr, en = repo / "docs/fr/drones.md", repo / "docs/en/drones.md"
    _append(en, "\nIn MENA, 38.8 % of the Members took part.\n")
    _append(fr, "\nDans la région MENA, 38,9 % des Membres ont participé.\n")
    recorded_current(repo, "drones.md")  # (the English edited: the French would be behind)
    proc = run_build("check", cwd=repo)
    assert proc.returncode == 1
    (message,) = errors(proc)
    assert "has other numbers (38.9 here, where there is 38.8)" in message, message


def test_a_page_not_translated_yet_is_reported_once_and_not_compared(repo):
    fr = repo / "docs/fr/drones.md"
    text = re.sub(r"^translation_of: .*\n", "", fr.read_text("utf-8"), flags=re.M)
    fr.write_text(text + "\nUn paragraphe de plus.\n\nEt un autre.\n", "utf-8")
    proc = run_build("check", cwd=repo)
    assert proc.returncode == 0, proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if ln.startswith("docs/fr/drones.md")]
    assert lines[0].startswith("docs/fr/drones.md:1: warning: not translated yet (no translation_of)")
    assert not any("counterpart" in ln for ln in lines)


def test_the_report_refuses_a_departing_translation_unless_it_is_a_draft(repo, tmp_path):
    fr = repo / "docs/fr/introduction.md"
    edit(fr, "para. 8].\n\nLe Comité", "para. 8]. Le Comité")
    out = tmp_path / "out"
    proc = run_build("report", "--lang", "fr", "--format", "docx", "--out", str(out), cwd=repo)
    assert proc.returncode == 1 and "merged?" in proc.stderr
    assert not list(out.glob("report/*.docx"))
    check = run_build("check", "--draft", cwd=repo)
    assert check.returncode == 0 and "warning: paragraph 1 of 'Lien avec" in check.stderr
    draft = run_build("report", "--draft", "--lang", "fr", "--format", "docx", "--out", str(out), cwd=repo)
    assert draft.returncode == 0, draft.stderr
    assert list(out.glob("report/*-fr.docx"))
    strict = run_build("check", "--draft", "--strict", cwd=repo)
    assert strict.returncode == 1  # CI: a working draft is no release


def test_draft_is_refused_for_a_final_document(repo):
    meta = repo / "report.yml"
    text = meta.read_text("utf-8")
    text = re.sub(r"^final: .*$", "final: true", text, flags=re.M) if re.search(r"^final:", text, re.M) \
        else text + "\nfinal: true\n"
    meta.write_text(text, "utf-8")
    proc = run_build("check", "--draft", cwd=repo)
    assert proc.returncode == 2 and "final: true" in proc.stderr and "Traceback" not in proc.stderr


# --- A bilingual report in its normal state: the French behind the English ------------------
def _set_final(repo: Path) -> None:
    meta = repo / "report.yml"
    text = meta.read_text("utf-8")
    text = re.sub(r"^final: .*$", "final: true", text, flags=re.M) if re.search(r"^final:", text, re.M) \
        else text + "\nfinal: true\n"
    meta.write_text(text, "utf-8")


def test_an_english_editors_day_with_the_french_behind(repo, tmp_path):
    """The English editor adds, removes and changes paragraphs; the translator comes next week.
    Nothing the English editor runs is refused; the French team is told which paragraphs to
    update; the Council's final documents are refused until they are."""
    en = repo / "docs/en/introduction.md"
    text = en.read_text("utf-8")
    removed = next(p for p in text.split("\n\n") if p.startswith("The Permanent Technical Committee (PTC)"))
    text = text.replace("\n\n" + removed, "", 1)
    text = text.replace("The targeted technologies, which include", "The technologies targeted, which include")
    text = text.replace("\n*[PTC]:", "\nA second paragraph on the structure, written today.\n\n*[PTC]:")
    en.write_text(text, "utf-8")
    edit(repo / "docs/en/drones.md", "\n## ", "\nOne more paragraph on drones.\n\n## ")

    check = run_build("check", cwd=repo)
    assert check.returncode == 0, check.stderr
    assert not errors(check)
    warned = [ln for ln in check.stderr.splitlines() if ": warning: " in ln]
    intro = [ln for ln in warned if ln.startswith("docs/fr/introduction.md")]
    drones = [ln for ln in warned if ln.startswith("docs/fr/drones.md")]
    assert len(intro) == 1 and len(drones) == 1, warned  # one warning a page, not one a paragraph
    (message,) = intro
    assert message.startswith(f"docs/fr/introduction.md:{line_of(repo / 'docs/fr/introduction.md', 'translation_of')}"
                              ": warning: behind its source: docs/en/introduction.md changed since this page was "
                              "translated: ")
    assert (f"paragraph 1 of 'Technologies covered' changed (docs/en/introduction.md:"
            f"{line_of(en, 'The technologies targeted')})") in message
    assert (f"paragraph 2 of 'Relationship with earlier editions' removed (after docs/en/introduction.md:"
            f"{line_of(en, 'The WCO published a first Study Report')})") in message
    assert (f"paragraph 2 of 'Structure of the report' added (docs/en/introduction.md:"
            f"{line_of(en, 'A second paragraph on the structure')})") in message
    assert "'build_report.py translated docs/fr/introduction.md'" in message
    assert "counterpart" not in check.stderr  # no paragraph-by-paragraph parity noise
    # CI's strict check counts the sources' problems, not the translators' lag.
    assert run_build("check", "--strict", cwd=repo).returncode == 0

    out = tmp_path / "out"
    english = run_build("report", "--lang", "en", "--format", "docx", "--out", str(out), cwd=repo)
    assert english.returncode == 0, english.stderr
    assert list(out.glob("report/*-en.docx"))
    assert "docs/fr/introduction.md:" in english.stderr  # the warning, shown to whoever builds
    everything = run_build("all", "--format", "docx", "--out", str(out), cwd=repo)
    assert everything.returncode == 0, everything.stderr
    assert list(out.glob("report/*-fr.docx")) and (out / "site/index.html").is_file()

    _set_final(repo)
    before = sorted(p.name for p in (out / "report").iterdir())
    final = run_build("report", "--lang", "en", "--format", "docx", "--out", str(out), cwd=repo)
    assert final.returncode == 1
    refused = errors(final)
    assert [ln.split(":")[0] for ln in refused] == ["docs/fr/drones.md", "docs/fr/introduction.md"], refused
    assert all(": error: final: true refuses this translation: behind its source" in ln for ln in refused)
    assert sorted(p.name for p in (out / "report").iterdir()) == before


def test_a_command_for_one_language_is_not_refused_for_anothers_departing_page(repo, tmp_path):
    fr = repo / "docs/fr/introduction.md"
    edit(fr, "para. 8].\n\nLe Comité", "para. 8]. Le Comité")  # current, and merged: an error of French
    out = tmp_path / "out"
    english = run_build("report", "--lang", "en", "--format", "docx", "--out", str(out), cwd=repo)
    assert english.returncode == 0, english.stderr
    assert "docs/fr/introduction.md:" in english.stderr and "warning: paragraph 1 of 'Lien avec" in english.stderr
    assert list(out.glob("report/*-en.docx"))
    assert run_build("check", cwd=repo).returncode == 1  # the check is of every language


# --- What a translator writes: data blocks by their data, numbers in order -------------------
def test_a_chart_is_compared_by_its_data_not_by_the_digits_of_its_labels(repo):
    # A technology whose French name holds a number: the chart's labels differ, its data does not.
    edit(repo / "technologies.yml", "fr: Chaîne de blocs\n", "fr: Chaîne de blocs 2.0\n")
    proc = run_build("check", cwd=repo)
    assert proc.returncode == 0, proc.stderr
    assert "counterpart" not in proc.stderr and "other numbers" not in proc.stderr


def test_a_data_table_is_compared_by_its_data_reference(repo):
    fr, en = repo / "docs/fr/methodology.md", repo / "docs/en/methodology.md"
    edit(fr, "{% table survey-2025 %}", "{% table ncp-2025 %}")
    proc = run_build("check", cwd=repo)
    assert proc.returncode == 1
    (message,) = [ln for ln in errors(proc) if "is here where" in ln]
    assert message.startswith(f"docs/fr/methodology.md:{line_of(fr, '{% table ncp-2025 %}')}: error: table "
                              "'tbl:ncp-2025' of "), message
    assert (f"is here where docs/en/methodology.md:{line_of(en, '{% table survey-2025 %}')} has table "
            "'tbl:survey-2025'") in message


def test_numbers_are_compared_in_order(repo):
    fr, en = repo / "docs/fr/drones.md", repo / "docs/en/drones.md"
    _append(en, "\nIn 2024, 38.8 % of the Members took part, against 25.1 % in 2023.\n")
    _append(fr, "\nEn 2024, 25,1 % des Membres ont participé, contre 38,8 % en 2023.\n")
    recorded_current(repo, "drones.md")
    proc = run_build("check", cwd=repo)
    assert proc.returncode == 1
    (message,) = errors(proc)
    assert message.startswith(f"docs/fr/drones.md:{line_of(fr, 'En 2024, 25,1 %')}: error: ")
    assert "the same numbers in another order (2024, 25.1, 38.8, 2023 here, 2024, 38.8, 25.1, 2023 there" in message


# --- Case studies: translated like chapters ---------------------------------------------------
def test_a_case_study_translation_is_compared_like_a_chapter(repo):
    en, fr = repo / "casestudies/hk-validap/en.md", repo / "casestudies/hk-validap/fr.md"
    edit(fr, "[@wco2025pc0790, para. 18].\n\n*Projet", "[@wco2025pc0790, para. 18]. *Projet")  # merged
    proc = run_build("check", cwd=repo)
    assert proc.returncode == 1
    (message,) = errors(proc)
    assert message == ("casestudies/hk-validap/fr.md:1: error: paragraph 2 before the first heading of "
                       f"casestudies/hk-validap/en.md:{line_of(en, '*Draft')} has no counterpart here (2 paragraphs "
                       "there, 1 paragraph here): missing, or merged with another"), message
    refused = run_build("translated", "casestudies/hk-validap/fr.md", cwd=repo)
    assert refused.returncode == 1 and "not recorded as current" in refused.stderr

    # The English text grows while the French one waits: one warning naming what to translate.
    edit(fr, "[@wco2025pc0790, para. 18]. *Projet", "[@wco2025pc0790, para. 18].\n\n*Projet")
    en.write_text(en.read_text("utf-8") + "\nA third paragraph of the Member's text.\n", "utf-8")
    proc = run_build("check", cwd=repo)
    assert proc.returncode == 0, proc.stderr
    (warning,) = [ln for ln in proc.stderr.splitlines() if ln.startswith("casestudies/hk-validap/fr.md")]
    assert warning.startswith("casestudies/hk-validap/fr.md:1: warning: behind its source: "
                              "casestudies/hk-validap/en.md changed since this page was translated: ")
    assert (f"paragraph 3 before the first heading added (casestudies/hk-validap/en.md:"
            f"{line_of(en, 'A third paragraph')})") in warning
    fr.write_text(fr.read_text("utf-8") + "\nUn troisième paragraphe du texte du Membre.\n", "utf-8")
    marked = run_build("translated", "casestudies/hk-validap/fr.md", cwd=repo)
    assert marked.returncode == 0, marked.stderr
    assert "translations/fr/casestudies/hk-validap.json" in marked.stdout
    assert "casestudies/hk-validap" not in run_build("check", "--strict", cwd=repo).stderr


def test_a_redline_of_english_is_not_refused_for_a_french_page(repo):
    import subprocess

    def git(*args):
        subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", *args], cwd=repo,
                       check=True, capture_output=True)

    git("init", "-q")
    git("add", "-A")
    git("commit", "-q", "-m", "review round 1")
    git("tag", "review-1")
    edit(repo / "docs/en/introduction.md", "\n*[PTC]:", "\nA paragraph added after the review round.\n\n*[PTC]:")
    edit(repo / "docs/fr/methodology.md", ".\n\n## ", ". ", )  # a current French page departs: merged
    git("commit", "-q", "-a", "-m", "round 2")
    out = repo / "out"
    proc = run_build("redline", "--since", "review-1", "--lang", "en", "--format", "docx", "--out", str(out),
                     cwd=repo)
    assert proc.returncode == 0, proc.stderr
    assert "docs/fr/introduction.md:" in proc.stderr and "warning: behind its source" in proc.stderr
    assert "docs/fr/methodology.md:" in proc.stderr and not errors(proc)
    assert list((out / "redline").glob("*-en-since-review-1.docx"))
    french = run_build("redline", "--since", "review-1", "--lang", "fr", "--format", "docx", "--out", str(out),
                       cwd=repo)
    assert french.returncode == 1 and any(ln.startswith("docs/fr/methodology.md:") for ln in errors(french))
