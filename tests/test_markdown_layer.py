"""The shared Markdown layer (markdown/preprocess.py): every construct, in both targets.

One rule, two dialects: the report (Target.PANDOC) gets pandoc's Markdown with fenced Divs and
citations left to citeproc; the site (Target.SITE) gets Python-Markdown with HTML boxes and the
citeproc text of each citation. The project is the repository's own content, loaded for real.
"""

from __future__ import annotations

import json

import pytest

from wcoreport.diagnostics import Problems
from wcoreport.markdown import citations as cites
from wcoreport.markdown.preprocess import Context, Target, expand
from wcoreport.pandoc import run_pandoc
from wcoreport.project import load_project
from wcoreport.report.french_text import apply_french_spacing
from wcoreport.typography import NBSP, NNBSP, apply_to_html, french_spacing

CITE = "[@wco2025pc0790, para. 5]"
CITE_TEXT = "(World Customs Organization 2025, para. 5)"


@pytest.fixture(scope="module")
def project(repo_root):
    project = load_project(repo_root)
    assert not project.problems.errors, project.problems.errors
    return project


@pytest.fixture(scope="module")
def rendered(project):
    """citeproc's text of every citation of the case studies and of this test file, per language."""
    found = {CITE, "[@wco2019study]", "@wco2019study"}
    for study in project.casestudies.values():
        for lang in project.languages:
            found |= {c.text for c in cites.find_citations(study.texts[lang])}
    return {lang: cites.render_citations(found, lang, project.bibliography.path, project.locale(lang))
            for lang in project.languages}


def context(project, lang, target, rendered=None, page="ai-ml.md"):
    link = None
    if target is Target.SITE:  # the site's own link function (directory URLs), as the plugin gives it
        from wcoreport.site.plugin import ReportPlugin

        link = ReportPlugin._linker(page, True)
    return Context(project, lang, target, Problems(project.root),
                   rendered=rendered[lang] if rendered else None, link=link, page=page)


def run(project, text, lang="en", target=Target.PANDOC, rendered=None, page="ai-ml.md", first_line=1):
    ctx = context(project, lang, target, rendered, page)
    path = project.docs_dir / lang / page
    return expand(text, path, first_line, ctx), ctx


def messages(ctx) -> list[str]:
    return [str(p) for p in ctx.problems.items]


# --- casestudy ----------------------------------------------------------------------------------

def test_casestudy_pandoc_is_a_fenced_div_with_the_citation_left_to_citeproc(project):
    out, ctx = run(project, "{% casestudy cn-ai-ml %}")
    assert ":::::: {.casestudy #casestudy-cn-ai-ml}" in out
    assert "::: {.casestudy-title}\nCase study: China Customs' adoption" in out
    assert "::: {.casestudy-member}\nChina · 2025\n:::" in out
    assert CITE in out
    assert "<div" not in out
    assert not messages(ctx)
    assert ctx.used_casestudies == {"cn-ai-ml"}


def test_casestudy_pandoc_french(project):
    out, _ = run(project, "{% casestudy cn-ai-ml %}", lang="fr")
    assert "Étude de cas\u00a0: Adoption de l'intelligence artificielle" in out
    assert "Chine · 2025" in out
    assert "la douane chinoise" in out


def test_casestudy_site_is_an_html_box_linking_to_its_page(project, rendered):
    out, ctx = run(project, "{% casestudy cn-ai-ml %}", target=Target.SITE, rendered=rendered)
    assert '<div class="wco-casestudy" id="casestudy-cn-ai-ml">' in out
    assert '<a href="../casestudies/cn-ai-ml/">' in out
    assert CITE not in out and "[@" not in out
    assert CITE_TEXT in out
    assert ":::" not in out
    # One raw HTML block: a blank line inside would end it in Python-Markdown.
    box = out.strip()
    assert "\n\n" not in box
    assert not messages(ctx)


def test_casestudy_unknown_id_is_reported_at_its_line(project):
    out, ctx = run(project, "Text.\n\n{% casestudy no-such-study %}", first_line=7)
    assert messages(ctx) == ["docs/en/ai-ml.md:9: error: unknown case study 'no-such-study' "
                             "(no folder casestudies/no-such-study/)"]
    assert "no-such-study" not in out


def test_casestudy_needs_one_argument(project):
    _, ctx = run(project, "{% casestudy %}")
    assert messages(ctx) and "takes one argument" in messages(ctx)[0]


# --- casestudies (the catalogue) ----------------------------------------------------------------

def test_casestudies_pandoc_is_a_plain_table(project):
    out, _ = run(project, "{% casestudies %}", page="annex-case-studies.md")
    rows = [ln for ln in out.split("\n") if ln.startswith("|")]
    assert rows[0].startswith("| Case study | Member | Region |")
    assert len(rows) == 2 + len(project.casestudies)
    assert "China Customs' adoption of artificial intelligence" in out
    assert "](" not in out


def _links_to(out: str, target_md: str, url: str) -> bool:
    """A Markdown link to the page's source (MkDocs resolves it) or an HTML link to its URL."""
    return f"]({target_md})" in out or f'href="{url}"' in out


def test_casestudies_site_links_each_row_to_its_page(project, rendered):
    out, _ = run(project, "{% casestudies %}", target=Target.SITE, rendered=rendered,
                 page="annex-case-studies.md")
    for cid in project.casestudies:
        assert _links_to(out, f"casestudies/{cid}.md", f"../casestudies/{cid}/"), cid
    out, _ = run(project, "{% casestudies %}", target=Target.SITE, rendered=rendered, page="sub/page.md")
    assert _links_to(out, "../casestudies/cn-ai-ml.md", "../../casestudies/cn-ai-ml/")
    assert "{%" not in out


def test_casestudies_french_labels(project):
    out, _ = run(project, "{% casestudies %}", lang="fr", page="annex-case-studies.md")
    assert out.strip().startswith("| Étude de cas | Membre | Région |")
    assert "Chine" in out


# --- bibliography -------------------------------------------------------------------------------

def test_bibliography_pandoc_is_the_refs_div(project):
    out, _ = run(project, "{% bibliography %}", page="annex-references.md")
    assert out.split() == ["::: {#refs}".split()[0], "{#refs}", ":::"]


def test_bibliography_site_is_citeprocs_list(project, rendered):
    out, _ = run(project, "{% bibliography %}", target=Target.SITE, rendered=rendered, page="annex-references.md")
    assert '<div id="refs"' in out
    assert out.count('class="csl-entry"') == len(project.bibliography.lines)
    assert "Study Report on Disruptive Technologies" in out


def test_bibliography_takes_no_argument(project):
    _, ctx = run(project, "{% bibliography x %}")
    assert messages(ctx) == ["docs/en/ai-ml.md:1: error: directive 'bibliography' takes no argument"]


# --- include ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def project_with_include(tmp_path_factory):
    from conftest import copy_repo

    root = copy_repo(tmp_path_factory.mktemp("include"))
    for lang in ("en", "fr"):
        (root / "docs" / lang / "_part.md").write_text(
            "Included text [@wco2019study].\n\n!!! note \"Inside\"\n\n    Included note.\n", "utf-8")
    return load_project(root)


@pytest.mark.parametrize("target", [Target.PANDOC, Target.SITE])
def test_include_expands_the_included_file_for_the_target(project_with_include, target):
    project = project_with_include
    rendered = None
    if target is Target.SITE:
        rendered = {"en": cites.render_citations({"[@wco2019study]"}, "en", project.bibliography.path, "en-GB")}
    out, ctx = run(project, "Before.\n\n{% include _part.md %}\n\nAfter.", target=target, rendered=rendered)
    assert not messages(ctx)
    assert "Before." in out and "After." in out and "Included text" in out
    if target is Target.PANDOC:
        assert "Included text [@wco2019study]." in out
        assert "::::: {.admonition .note}" in out
    else:
        assert "Included text <span" in out and "(World Customs Organization 2019)" in out
        assert '!!! note "Inside"\n\n    Included note.' in out


def test_include_problems_are_reported_in_the_included_file(project_with_include):
    project = project_with_include
    (project.docs_dir / "en" / "_bad.md").write_text("Line one.\n\nUnknown [@nokey].\n", "utf-8")
    _, ctx = run(project, "{% include _bad.md %}", first_line=5)
    assert messages(ctx) == ["docs/en/_bad.md:3: error: unknown citation key 'nokey' (not in references.bib)"]


def test_include_outside_the_language_folder_is_refused(project):
    _, ctx = run(project, "\n{% include ../../mkdocs.yml %}")
    assert messages(ctx) == ["docs/en/ai-ml.md:2: error: include '../../mkdocs.yml' points outside docs/en/: refused"]


def test_include_missing_file(project):
    _, ctx = run(project, "{% include _nothing.md %}")
    assert messages(ctx) == ["docs/en/ai-ml.md:1: error: include '_nothing.md': file not found"]


# --- admonitions --------------------------------------------------------------------------------

ADMONITION = '!!! note "Self-assessment"\n\n    First paragraph [@wco2019study].\n\n    Second paragraph.\n\nAfter.'


def test_admonition_pandoc_is_a_fenced_div(project):
    out, ctx = run(project, ADMONITION)
    assert out.startswith("::::: {.admonition .note}\n::: {.admonition-title}\nSelf-assessment\n:::")
    # The body is no longer indented: pandoc would make a code block of it.
    assert "\nFirst paragraph [@wco2019study].\n\nSecond paragraph.\n:::::" in out
    assert "After." in out and "!!!" not in out
    assert not messages(ctx)


def test_admonition_site_stays_an_admonition_with_citations_formatted(project, rendered):
    out, _ = run(project, ADMONITION, target=Target.SITE, rendered=rendered)
    assert out.startswith('!!! note "Self-assessment"\n\n    First paragraph <span')
    assert "(World Customs Organization 2019)" in out
    assert "\n    Second paragraph.\n" in out
    assert "[@" not in out


def test_admonition_title_citation_is_formatted_on_the_site(project, rendered):
    out, _ = run(project, '!!! note "See [@wco2019study]"\n\n    Text.', target=Target.SITE, rendered=rendered)
    assert out.split("\n")[0] == '!!! note "See (World Customs Organization 2019)"'


def test_admonition_errors(project):
    _, ctx = run(project, "Intro.\n\n!!! danger \"X\"\n\n    Text.\n\n!!! note\n\nNot indented.", first_line=10)
    assert messages(ctx) == [
        "docs/en/ai-ml.md:12: error: unknown admonition type 'danger' (use one of: info, note, tip, warning)",
        "docs/en/ai-ml.md:16: error: the admonition has no text: indent its text by 4 spaces",
    ]


# --- citations ----------------------------------------------------------------------------------

def test_citation_pandoc_is_left_for_citeproc(project):
    line = f"Text {CITE} and @wco2019study said."
    out, ctx = run(project, line)
    assert out == line
    assert not messages(ctx)


def test_citation_site_is_replaced_by_citeproc_text(project, rendered):
    out, _ = run(project, f"Text {CITE}.", target=Target.SITE, rendered=rendered)
    assert out == f'Text <span class="citation" data-cites="wco2025pc0790">{CITE_TEXT}</span>.'
    out, _ = run(project, "As @wco2019study shows.", target=Target.SITE, rendered=rendered)
    assert "World Customs Organization (2019)" in out and "@" not in out.replace("data-cites", "")


def test_citation_before_a_colon_is_a_citation(project, rendered):
    """'objectives [@key, para. 2]:' ends a sentence; it is no link reference definition."""
    out, _ = run(project, f"The objectives {CITE}:", target=Target.SITE, rendered=rendered)
    assert out.endswith(f"{CITE_TEXT}</span>:")


def test_citation_in_code_is_left_alone(project, rendered):
    text = f"Write `{CITE}` in the text.\n\n```\n{CITE}\n{{% casestudy nope %}}\n```"
    out, ctx = run(project, text, target=Target.SITE, rendered=rendered)
    assert out == text
    assert not messages(ctx)


@pytest.mark.parametrize("target", [Target.PANDOC, Target.SITE])
def test_unknown_citation_key_is_reported_at_its_line(project, rendered, target):
    _, ctx = run(project, "One.\n\nTwo [@nokey; @wco2019study].", target=target, rendered=rendered, first_line=4)
    assert messages(ctx) == ["docs/en/ai-ml.md:6: error: unknown citation key 'nokey' (not in references.bib)"]


# --- directives in general ----------------------------------------------------------------------

def test_unknown_and_malformed_directives(project):
    _, ctx = run(project, "{% figure x %}\ntext {% casestudy cn-ai-ml %} text\n{% include 'a.md %}")
    assert messages(ctx) == [
        "docs/en/ai-ml.md:1: error: unknown directive 'figure' (known: bibliography, casestudies, casestudy, include)",
        "docs/en/ai-ml.md:2: error: a directive '{% ... %}' must stand alone on its line and end with '%}'",
        "docs/en/ai-ml.md:3: error: directive 'include': unbalanced quotes",
    ]


def test_unclosed_code_block(project):
    _, ctx = run(project, "Text.\n```python\nx = 1\n", first_line=3)
    assert messages(ctx) == ["docs/en/ai-ml.md:4: error: code block opened with ``` is not closed"]


# --- French typography (one rule for site and report) ----------------------------------------------

@pytest.mark.parametrize("source, expected", [
    ("Objectifs :", f"Objectifs{NNBSP}:"),
    ("Objectifs : suite", f"Objectifs{NNBSP}: suite"),
    ("Vraiment ? Oui ! Et ; puis", f"Vraiment{NNBSP}? Oui{NNBSP}! Et{NNBSP}; puis"),
    ("« ValidAP »", f"«{NNBSP}ValidAP{NNBSP}»"),
    ("«ValidAP»", f"«{NNBSP}ValidAP{NNBSP}»"),
    ("33 % des Membres", f"33{NBSP}% des Membres"),
    ("1 000 000 euros", f"1{NNBSP}000{NNBSP}000 euros"),
    ("12 km", f"12{NBSP}km"),
    ("https://www.wcoomd.org et 10:30", "https://www.wcoomd.org et 10:30"),
    ("Sans ponctuation haute", "Sans ponctuation haute"),
])
def test_french_spacing(source, expected):
    assert french_spacing(source) == expected
    assert french_spacing(expected) == expected  # idempotent: applied twice, same text


def test_french_spacing_in_html_skips_code():
    html = "<p>Note : voir <code>a : b</code> et <a href=\"x:y\">lien</a> !</p>"
    assert apply_to_html(html) == f"<p>Note{NNBSP}: voir <code>a : b</code> et <a href=\"x:y\">lien</a>{NNBSP}!</p>"


def _strs(node) -> list[str]:
    out = []
    if isinstance(node, dict):
        if node.get("t") == "Str":
            out.append(node["c"])
        for value in node.values():
            out += _strs(value)
    elif isinstance(node, list):
        for item in node:
            out += _strs(item)
    return out


def test_apply_french_spacing_on_a_hand_made_pandoc_tree():
    doc = {"pandoc-api-version": [1, 23, 1], "meta": {}, "blocks": [
        {"t": "Para", "c": [{"t": "Str", "c": "Objectifs"}, {"t": "Space"}, {"t": "Str", "c": ":"},
                            {"t": "Space"}, {"t": "Code", "c": [["", [], []], "a : b"]}]},
    ]}
    out = apply_french_spacing(doc)
    para = out["blocks"][0]["c"]
    assert para[0] == {"t": "Str", "c": f"Objectifs{NNBSP}:"}
    assert para[1] == {"t": "Space"}
    assert para[2] == {"t": "Code", "c": [["", [], []], "a : b"]}
    assert doc["blocks"][0]["c"][0] == {"t": "Str", "c": "Objectifs"}  # the input is not changed


def test_apply_french_spacing_on_pandocs_own_tree():
    source = "# Titre : sous-titre\n\nIl dit : « bonjour » à *33 %* des Membres ; `x : y`.\n"
    doc = json.loads(run_pandoc(["-f", "markdown", "-t", "json"], source))
    out = apply_french_spacing(doc)
    strs = _strs(out["blocks"])
    assert f"Titre{NNBSP}:" in strs
    assert f"dit{NNBSP}:" in strs
    assert f"«{NNBSP}bonjour{NNBSP}»" in strs
    assert f"Membres{NNBSP};" in strs
    # Back to Markdown: pandoc reads the tree we wrote, and the code span is intact.
    back = run_pandoc(["-f", "json", "-t", "markdown"], json.dumps(out)).decode("utf-8")
    assert "`x : y`" in back
    assert f"dit{NNBSP}:" in back


# --- The site's citations from the report's own citeproc run (report/build.py) -----------------

@pytest.mark.parametrize("lang", ["en", "fr"])
def test_site_citations_from_the_report_equal_the_sites_own_run(project, lang):
    """`build_report.py all` formats the site's citations in the report's citeproc run: the very
    HTML the site's own run gives, and the report itself unchanged."""
    from wcoreport.report import build
    from wcoreport.report.assemble import assemble

    markdown = assemble(project, lang)
    prepared = build.prepare_language(project, lang, markdown, lambda _: None, for_site=True)
    own = cites.render_citations(cites.citations_of(project, lang), lang, project.bibliography.path,
                                 project.locale(lang))
    assert prepared.site is not None
    assert prepared.site.citations == own.citations and len(own.citations) > 5
    assert prepared.site.bibliography == own.bibliography and 'id="refs"' in own.bibliography
    assert prepared.doc == build.to_pandoc_json(project, lang, markdown)


def test_site_citations_absent_from_the_report_are_formatted_with_it(project):
    """A citation the site shows but the report does not hold as written (here: a report of
    one paragraph; in the sources, e.g. "[@a; @b][^1]", which the site reads as two in-text
    citations) goes through the report's run in a Div that is then taken out."""
    from wcoreport.report import build

    markdown = f"# Title\n\nOne paragraph {CITE}.\n"
    prepared = build.prepare_language(project, "en", markdown, lambda _: None, for_site=True)
    own = cites.render_citations(cites.citations_of(project, "en"), "en", project.bibliography.path, "en-GB")
    assert prepared.site is not None and prepared.site.citations == own.citations
    assert prepared.site.bibliography == own.bibliography
    assert prepared.doc == build.to_pandoc_json(project, "en", markdown)
    assert build.SITE_CITATIONS not in json.dumps(prepared.doc)


def test_a_bracketed_citation_followed_by_a_footnote_stays_one_citation():
    # pandoc reads "[@a; @b][^1]" as one citation then a footnote; the site must too.
    found = cites.find_citations("See [@wco2019study; @wcowto2022study][^1] here.")
    assert [c.text for c in found] == ["[@wco2019study; @wcowto2022study]"]
    assert found[0].keys == ("wco2019study", "wcowto2022study")
