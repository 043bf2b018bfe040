"""The live preview (`./run serve`): a reload makes again only the pages an edit reaches, and
what it makes is exactly what a whole build makes.

The reload steps are those of the MkDocs plugin on each save: load the project, check it (the
page analyses of unchanged pages are kept in the process: analysis.py), then the site's pages
(site/preview.py). Each case compares every page's HTML with the pages made from scratch.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import urllib.request

import pytest

from wcoreport.markdown.document import document
from wcoreport.markdown.gate import check_project
from wcoreport.sources.project import load_project
from wcoreport.site.preview import SitePages
from wcoreport.site.render import render_pages

INTRO = "docs/en/introduction.md"


def _reload(root, pages: SitePages):
    project = load_project(root)
    analysis = check_project(project, parity=None)
    assert not project.problems.errors, project.problems.errors
    made = {lang: pages.pages(project, analysis, lang, True) for lang in project.languages}
    return project, analysis, made


def _from_scratch(project, analysis, lang):
    return {name: page.html for name, page in render_pages(project, analysis, lang,
                                                           document(project, analysis, lang)).items()}


@pytest.fixture()
def repo(copy_repo, tmp_path, monkeypatch):
    monkeypatch.setenv("WCOREPORT_CACHE", str(tmp_path / "cache"))
    return copy_repo(tmp_path / "src")


def _edit(root, old: str, new: str, path: str = INTRO) -> None:
    """Saved as editors save: a new file renamed over the old one (the folder changes too)."""
    page = root / path
    text = page.read_text("utf-8")
    assert old in text
    saved = page.with_name(f".{page.name}.swp")
    saved.write_text(text.replace(old, new, 1), "utf-8")
    os.replace(saved, page)


def test_a_text_edit_makes_one_page_again_as_a_build_would(repo):
    pages = SitePages()
    _reload(repo, pages)
    _edit(repo, "The initiative aims to assess", "The initiative, in its “second phase”, aims to assess")
    project, analysis, made = _reload(repo, pages)
    assert pages.remade == {"en": 2, "fr": 1}  # the page, and the catalogue's page (always)
    assert "second phase" in made["en"]["introduction.md"].html
    for lang in project.languages:
        scratch = _from_scratch(project, analysis, lang)
        assert {name: page.html for name, page in made[lang].items()} == scratch, lang


def test_an_edit_of_the_citations_makes_the_language_again(repo):
    pages = SitePages()
    _, _, before = _reload(repo, pages)
    _edit(repo, "[@wco2025pc0790, para. 2]:", "[@wco2025pc0790, para. 2; @wco2024survey]:")
    project, analysis, made = _reload(repo, pages)
    assert pages.remade["en"] == len(before["en"])  # the citations' numbering may move: all of it
    assert pages.remade["fr"] == 1
    assert {name: page.html for name, page in made["en"].items()} == _from_scratch(project, analysis, "en")


def test_a_case_study_edit_reaches_the_chapters_that_show_it(repo):
    pages = SitePages()
    _reload(repo, pages)
    study = next(p for p in sorted((repo / "casestudies").rglob("en.md")))
    text = study.read_text("utf-8")
    sentence = re.search(r"^[A-Z][^\n]{20,}$", text, re.M).group(0)
    study.write_text(text.replace(sentence, sentence + " Zanzibar-edit.", 1), "utf-8")
    project, analysis, made = _reload(repo, pages)
    showing = [name for name, page in made["en"].items() if "Zanzibar-edit" in page.html]
    assert len(showing) >= 2  # its own page and a chapter that shows its box
    assert pages.remade["en"] == len(showing) + 1  # and the catalogue's page
    assert {name: page.html for name, page in made["en"].items()} == _from_scratch(project, analysis, "en")


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.read().decode("utf-8")
    except OSError:
        return None


def test_run_serve_shows_a_saved_edit(repo, tmp_path):
    """`./run serve`'s options (`mkdocs serve --dirty --no-strict`): the saved word is served."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = tmp_path / "serve.log"
    # (./run serve and run.cmd serve are `python -m wcoreport serve`: mkdocs serve --dirty --no-strict)
    proc = subprocess.Popen([sys.executable, "-m", "wcoreport", "serve", "-a", f"127.0.0.1:{port}"],
                            cwd=repo, stdout=subprocess.DEVNULL, stderr=log.open("wb"),
                            env={**os.environ, "PYTHONWARNINGS": "ignore"})
    builds = lambda: log.read_text("utf-8", "replace").count("Building documentation")  # noqa: E731
    try:
        url = f"http://127.0.0.1:{port}/introduction/"
        deadline = time.monotonic() + 120
        while (page := _get(url)) is None and time.monotonic() < deadline:
            time.sleep(0.2)
        assert page is not None, "mkdocs serve served nothing"
        index_url = f"http://127.0.0.1:{port}/search/search_index.json"
        before = json.loads(_get(index_url))["docs"]
        previous = "The initiative aims to assess"
        for n in range(3):  # saves one after the other, as an editor makes them
            word = f"Quokkaword{n}"
            _edit(repo, previous, f"The initiative aims at {word} to assess")
            previous = f"The initiative aims at {word} to assess"
            deadline = time.monotonic() + 60
            while word not in (_get(url) or "") and time.monotonic() < deadline:
                time.sleep(0.2)
            assert word in (_get(url) or ""), f"save {n + 1} was not served"
        # The search index is whole, once: each page's entries, the edited text in them.
        time.sleep(1)
        after = json.loads(_get(index_url))["docs"]
        locations = [d["location"] for d in after]
        assert len(locations) == len(set(locations)) and set(locations) == {d["location"] for d in before}
        assert any("Quokkaword2" in d["text"] for d in after)
        assert not any("Quokkaword1" in d["text"] for d in after)
        # Built once a save, and not again without one (the build reads the sources it watches).
        made = builds()
        time.sleep(2)
        assert builds() == made <= 1 + 3 * 2, log.read_text("utf-8", "replace")
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_the_server_hears_of_a_save_at_once(tmp_path):
    """watch.py: MkDocs' server watches the same paths through the system's file events: a save
    asks for a rebuild at once; a file only read asks for none (the build reads every source)."""
    from mkdocs.livereload import LiveReloadServer
    from watchdog.observers.polling import PollingObserver

    from wcoreport.site.watch import native_observer

    docs = tmp_path / "docs"
    docs.mkdir()
    page = docs / "page.md"
    page.write_text("# A page\n", "utf-8")
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path / "site"))
    server.watch(str(docs))
    assert isinstance(server.observer, PollingObserver)  # MkDocs' own
    if not native_observer(server):
        pytest.skip("no file events on this system: MkDocs' polling stays")
    assert not isinstance(server.observer, PollingObserver)
    assert native_observer(server) is False  # once is enough
    server.observer.start()
    try:
        time.sleep(0.2)
        page.read_text("utf-8")
        time.sleep(0.3)
        assert not server._want_rebuild, "reading a source asked for a rebuild"
        started = time.monotonic()
        page.write_text("# A page, edited\n", "utf-8")
        while not server._want_rebuild and time.monotonic() - started < 2:
            time.sleep(0.005)
        assert server._want_rebuild and time.monotonic() - started < 0.45  # (polling: 0.5 s and a walk)
    finally:
        server.observer.stop()
        server.observer.join()
