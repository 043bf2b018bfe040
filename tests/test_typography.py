"""Typography (typography.py): one rule for the site's HTML and the report's text.

Inputs are typed carelessly, as editors paste them from government pages: no space before
`;`, a colon sometimes spaced and sometimes not, straight apostrophes and quotes, guillemets
without spaces, URLs, times and percentages.
"""

from __future__ import annotations

import subprocess

import pypandoc
import pytest

from wcoreport.text.typography import NBSP, NNBSP, apply_to_html, french_spacing, typography

N = NNBSP

CARELESS_FRENCH = (
    "Objet: mise à jour du programme «OEA» pour les employeurs; dans le cadre de l'accord, "
    "l'administration rappelle que 73% des déclarations (contre 73 % en 2023) sont traitées "
    "avant 12:30 . Les \"opérateurs agréés\" doivent-ils s'inscrire? Oui ! Consultez "
    "https://www.douane.gouv.fr/demarche?id=12;page=3 ou écrivez à info@douane.gouv.fr: "
    "réponse sous 48 h; ratio 2:1 ;-) C'est tout..."
)


def test_careless_french_paragraph():
    out = typography(CARELESS_FRENCH, "fr")
    assert out.startswith(f"Objet{N}: mise à jour du programme «{N}OEA{N}» pour les employeurs{N}; dans")
    assert "l’accord, l’administration" in out
    assert f"73{NBSP}% des déclarations (contre 73{NBSP}% en 2023)" in out
    assert "avant 12:30 ." in out  # the time is untouched (a space before a full stop is no rule of ours)
    assert f"Les «{N}opérateurs agréés{N}» doivent-ils s’inscrire{N}? Oui{N}!" in out
    assert "https://www.douane.gouv.fr/demarche?id=12;page=3 ou" in out  # the URL is intact
    assert f"info@douane.gouv.fr{N}: réponse sous 48{NBSP}h{N}; ratio 2:1" in out
    assert "C’est tout…" in out
    assert "'" not in out and '"' not in out


@pytest.mark.parametrize("source, expected", [
    ("employeurs; dans", f"employeurs{N}; dans"),
    ("employeurs ; dans", f"employeurs{N}; dans"),
    ("Objectifs:", f"Objectifs{N}:"),
    ("Objectifs :", f"Objectifs{N}:"),
    ("Objectifs : suite", f"Objectifs{N}: suite"),
    ("Vraiment? Oui! Et; puis", f"Vraiment{N}? Oui{N}! Et{N}; puis"),
    ("Vraiment?!", f"Vraiment{N}?!"),
    ("«ValidAP»", f"«{N}ValidAP{N}»"),
    ("« ValidAP »", f"«{N}ValidAP{N}»"),
    ("(voir l'annexe)!", f"(voir l’annexe){N}!"),
    ("le \"guichet unique\"", f"le «{N}guichet unique{N}»"),
    ("l'\"opérateur\"", f"l’«{N}opérateur{N}»"),
    ("33 % des Membres", f"33{NBSP}% des Membres"),
    ("33% des Membres", f"33{NBSP}% des Membres"),
    ("1 000 000 euros", f"1{N}000{N}000 euros"),
    ("12 km", f"12{NBSP}km"),
    # Left alone: times, ratios, ::, :- and emoticons, URLs, a?b, e-mail addresses.
    ("à 10:30 et 2:1", "à 10:30 et 2:1"),
    ("std::vector", "std::vector"),
    ("le smiley :-) et ;)", "le smiley :-) et ;)"),
    ("https://www.wcoomd.org/fr?a=1;b=2", "https://www.wcoomd.org/fr?a=1;b=2"),
    ("voir https://www.wcoomd.org: ici", f"voir https://www.wcoomd.org{N}: ici"),
    ("mailto:info@wcoomd.org", "mailto:info@wcoomd.org"),
    ("Sans ponctuation haute", "Sans ponctuation haute"),
])
def test_french(source, expected):
    assert typography(source, "fr") == expected
    assert typography(expected, "fr") == expected  # idempotent: applied twice, same text
    assert typography(source, "fr-FR") == expected


@pytest.mark.parametrize("source, expected", [
    ("the customs' role", "the customs’ role"),
    ("don't", "don’t"),
    ('He said "yes"', "He said “yes”"),
    ('"Smart Customs" project', "“Smart Customs” project"),
    ("a 'quoted' word", "a ‘quoted’ word"),
    ("2019--2020", "2019–2020"),
    ("drones---and more", "drones—and more"),
    ("and so on...", "and so on…"),
    ("Note: at 12:30; ratio 2:1!", "Note: at 12:30; ratio 2:1!"),  # no French spacing in English
    ("see https://x.org/a--b's", "see https://x.org/a--b's"),
])
def test_english(source, expected):
    assert typography(source, "en") == expected
    assert typography(expected, "en") == expected


def _pandoc_smart(text: str) -> str:
    proc = subprocess.run([pypandoc.get_pandoc_path(), "-f", "markdown+smart", "-t", "plain", "--wrap=none"],
                          input=text.encode("utf-8"), capture_output=True, check=True)
    return proc.stdout.decode("utf-8").strip()


@pytest.mark.parametrize("text", [
    'The WCO\'s "Smart Customs" project -- launched in 2019 --- covers drones, AI, etc...',
    "Members' administrations didn't wait: 'pilots' ran in 2020--2021.",
    'He asked: "Which customs\' data?"',
])
def test_english_matches_pandoc_smart(text):
    """The site's text gets the characters the report gets from pandoc's smart extension."""
    assert typography(text, "en") == _pandoc_smart(text)


def test_french_spacing_only_adds_spaces():
    assert french_spacing("l'OMD; ok") == f"l'OMD{N}; ok"


def test_html_skips_code_and_tags():
    html = ("<p>Note : voir <code>a : b</code> et <a href=\"https://x.org/a?b=1;c\">l'accord</a> !</p>"
            "<pre>x = \"y\"; z</pre>")
    assert apply_to_html(html) == (f"<p>Note{N}: voir <code>a : b</code> et <a href=\"https://x.org/a?b=1;c\">"
                                   f"l’accord</a>{N}!</p><pre>x = \"y\"; z</pre>")
    assert apply_to_html("<p>l'OMD &amp; l'UE; &#39;x&#39;</p>") == f"<p>l’OMD &amp; l’UE{N}; &#39;x&#39;</p>"
    assert apply_to_html('<p>"Smart" customs\'</p>', "en") == "<p>“Smart” customs’</p>"


def test_the_report_is_typeset_whole(tmp_path, copy_repo):
    """The report typesets only what it adds to the pages (typeset once, by the shared
    document): its title block, its tables, chapter numbers, and the text around a link that
    leaves the report (a link to a site-only page becomes its words alone). The result is what
    typesetting the whole report again gives: nothing is left out."""
    from wcoreport.markdown.document import document
    from wcoreport.markdown.gate import check_project
    from wcoreport.markdown.pandoc_ast import copy_tree, stringify
    from wcoreport.markdown.typeset import typeset_blocks
    from wcoreport.sources.project import load_project
    from wcoreport.report.build import report_document

    root = copy_repo(tmp_path / "repo")
    drones = root / "docs" / "fr" / "drones.md"
    drones.write_text(drones.read_text("utf-8").rstrip("\n")
                      + " Voir [la page d'accueil](index.md): elle présente le rapport.\n", "utf-8")
    project = load_project(root)
    analysis = check_project(project, parity=None)
    assert not project.problems.errors, project.problems.errors
    for lang in project.languages:
        doc = report_document(project, analysis, lang, document(project, analysis, lang))
        assert typeset_blocks(copy_tree(doc["blocks"]), lang) == doc["blocks"], lang
        if lang == "fr":  # the link's words now touch the colon: French spacing sees them
            assert f"accueil{N}: elle présente" in stringify(doc["blocks"])
