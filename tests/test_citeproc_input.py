"""citeproc given the citations alone (markdown/citeproc_input.py) formats them exactly as
citeproc given the whole document, for every bundled style it is used with."""

from __future__ import annotations

import json

import pytest

from conftest import copy_repo


@pytest.mark.parametrize("style", ["chicago-author-date", "apa", "ieee"])
def test_citations_only_equals_whole_document(style, tmp_path, monkeypatch):
    from wcoreport.markdown import document as shared
    from wcoreport.markdown.gate import check_project
    from wcoreport.sources.project import load_project

    monkeypatch.setenv("WCOREPORT_NO_CACHE", "1")
    root = copy_repo(tmp_path / "src")
    with open(root / "report.yml", "a", encoding="utf-8") as f:
        f.write(f"\ncsl: {style}\n")
    project = load_project(root)
    analysis = check_project(project, None)
    assert shared.in_text_style(root / "x.csl") is False
    for lang in project.languages:
        alone = shared.document(project, analysis, lang)
        with monkeypatch.context() as m:
            m.setattr(shared, "in_text_style", lambda _path: False)
            whole = shared.document(project, analysis, lang)
        assert any(p.in_report for p in alone)
        assert json.dumps([(p.name, p.blocks) for p in alone]) == json.dumps([(p.name, p.blocks) for p in whole])
        # (some citations are repeated: citeproc is given each once, repeats_alike)
        from wcoreport.markdown.citeproc_input import CitationsOnly, repeats_alike
        from wcoreport.bibliography.citation_style import style_path

        pages = shared.language_pages(project, analysis, lang)
        only = CitationsOnly({"pandoc-api-version": [1, 23], "meta": {},
                              "blocks": [b for p in pages for b in p.blocks]}, shared.REFS,
                             alike=repeats_alike(style_path(style, root)))
        assert len(set(only.given)) < len(only.cites)


def test_a_style_that_asks_for_positions_gets_every_citation():
    from wcoreport.bibliography.citation_style import style_path
    from wcoreport.markdown.citeproc_input import repeats_alike

    assert repeats_alike(style_path("chicago-author-date", None))
    assert not repeats_alike(style_path("chicago-notes-bibliography", None))  # (ibid, subsequent)


def test_note_style_gets_the_whole_document():
    from wcoreport.bibliography.citation_style import style_path
    from wcoreport.markdown.citeproc_input import in_text_style

    assert in_text_style(style_path("chicago-author-date", None))
    assert not in_text_style(style_path("chicago-notes-bibliography", None))
