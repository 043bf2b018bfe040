"""`build_report.py publish`: review rounds as versions of the site, under a sub-path, link-checked,
with an offline copy; and `linkcheck`, `changes` (the CI's summary).

A scratch git repository of the sources: tagged review-1, then a sentence added in each language
and tagged review-2, then another added and left in the work tree (the current version). The real
command publishes it for https://reviewers.example.org/some/path/; the tree is served by Python's
plain static server under /some/path/ on 127.0.0.1, and Debian's Chromium reads it.
"""

from __future__ import annotations

import functools
import http.server
import json
import re
import shutil
import subprocess
import threading
import zipfile
from pathlib import Path
from urllib.parse import urlparse

import pytest

from conftest import copy_repo, launched_chromium, run_build

SITE_URL = "https://reviewers.example.org/some/path/"
PREFIX = "/some/path/"
LANGS = ("en", "fr")
INTRO_HEADING = {"en": "## Objectives {#intro-objectives}\n\n", "fr": "## Objectifs {#intro-objectives}\n\n"}
ROUND_TWO = {"en": "Zeppelin sentence of the second review round.", "fr": "Phrase zeppelin de la deuxième série."}
CURRENT = {"en": "Quartzite sentence of the current draft.", "fr": "Phrase quartzite du projet actuel."}


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", *args],
                          cwd=root, capture_output=True, text=True, check=True).stdout


def add_sentence(root: Path, texts: dict[str, str]) -> None:
    for lang in LANGS:
        path = root / "docs" / lang / "introduction.md"
        source = path.read_text("utf-8")
        assert INTRO_HEADING[lang] in source, "the heading the test writes under is gone: update the test"
        path.write_text(source.replace(INTRO_HEADING[lang], INTRO_HEADING[lang] + texts[lang] + "\n\n", 1), "utf-8")


@pytest.fixture(scope="module")
def rounds(tmp_path_factory) -> Path:
    root = copy_repo(tmp_path_factory.mktemp("publish") / "repo")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "first review round")
    git(root, "tag", "review-1")
    add_sentence(root, ROUND_TWO)
    git(root, "commit", "-q", "-a", "-m", "second review round")
    git(root, "tag", "review-2")
    add_sentence(root, CURRENT)  # not committed: the current version is the work tree
    return root


@pytest.fixture(scope="module")
def published(rounds: Path) -> Path:
    out = rounds.parent / "public"
    proc = run_build("publish", "--root", str(rounds), "--out", str(out), "--site-url", SITE_URL, cwd=rounds,
                     timeout=1200)
    assert proc.returncode == 0, proc.stderr + proc.stdout
    assert "Published 3 versions (current, review-2, review-1)" in proc.stdout
    return out


def page_text(html_file: Path) -> str:
    return re.sub(r"<[^>]+>", " ", html_file.read_text("utf-8"))


# --- the tree -------------------------------------------------------------------------------------

@pytest.mark.slow
def test_versions_json_lists_the_versions_newest_first(published):
    versions = json.loads((published / "versions.json").read_text("utf-8"))
    assert versions == [{"version": "current", "title": "current", "aliases": ["latest"]},
                        {"version": "review-2", "title": "review-2", "aliases": []},
                        {"version": "review-1", "title": "review-1", "aliases": []}]
    for version in versions:
        assert (published / version["version"] / "index.html").is_file()
        assert (published / version["version"] / "fr" / "index.html").is_file()


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGS)
def test_each_version_shows_its_own_text(published, lang):
    folder = "" if lang == "en" else "fr/"
    texts = {name: page_text(published / name / folder / "introduction" / "index.html")
             for name in ("review-1", "review-2", "current")}
    assert ROUND_TWO[lang] not in texts["review-1"] and CURRENT[lang] not in texts["review-1"]
    assert ROUND_TWO[lang] in texts["review-2"] and CURRENT[lang] not in texts["review-2"]
    assert ROUND_TWO[lang] in texts["current"] and CURRENT[lang] in texts["current"]


@pytest.mark.slow
def test_each_version_has_its_documents_and_the_current_one_an_offline_zip(published):
    for name in ("current", "review-2", "review-1"):
        downloads = sorted(p.name for p in (published / name / "downloads").iterdir())
        # (the report's four files; the self-assessment questionnaires come with them: test_assessments.py)
        assert [d for d in downloads if d.endswith((".pdf", ".docx")) and "-self-assessment-" not in d] == [
            f"wco-disruptive-technologies-2026-{lang}.{fmt}" for lang in LANGS for fmt in ("docx", "pdf")]
    assert (published / "current" / "downloads" / "wco-disruptive-technologies-2026-site-offline.zip").is_file()


@pytest.mark.slow
def test_the_sitemaps_give_each_versions_address(published):
    sitemap = (published / "review-1" / "sitemap.xml").read_text("utf-8")
    assert f"<loc>{SITE_URL}review-1/introduction/</loc>" in sitemap
    assert "None" not in sitemap
    french = (published / "review-1" / "fr" / "sitemap.xml").read_text("utf-8")
    assert f"<loc>{SITE_URL}review-1/fr/introduction/</loc>" in french


@pytest.mark.slow
def test_a_review_round_is_built_once_and_kept(published, rounds, tmp_path):
    """Published again: the review rounds come from the cache, the current version is rebuilt."""
    proc = run_build("publish", "--root", str(rounds), "--out", str(tmp_path / "again"), "--site-url", SITE_URL,
                     "--no-offline", cwd=rounds, timeout=1200)
    assert proc.returncode == 0, proc.stderr
    assert "[review-1] kept from an earlier publish" in proc.stderr
    assert "[review-2] kept from an earlier publish" in proc.stderr
    assert "[current] building" in proc.stderr


# --- served under /some/path/, read by Chromium -------------------------------------------------------

class _Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def translate_path(self, path):  # the tree at PREFIX, nothing anywhere else
        if not path.startswith(PREFIX):
            return "/nonexistent"
        return super().translate_path("/" + path[len(PREFIX):])

    def list_directory(self, path):  # a static host lists no folder
        self.send_error(404)


@pytest.fixture(scope="module")
def served(published):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Handler, directory=str(published)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}{PREFIX}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    yield from launched_chromium()


class Tab:
    """A page that records every failed request, error response and script error."""

    def __init__(self, browser, origin: str | None = None):
        self.page = browser.new_page()
        self.page.set_default_timeout(20000)
        self.problems: list[str] = []
        self.page.on("pageerror", lambda exc: self.problems.append(f"script error: {exc}"))
        self.page.on("console", lambda m: self.problems.append(f"console: {m.text}") if m.type == "error" else None)
        # (a request cut short by the next page's navigation is no failure: a missing file is a 404)
        self.page.on("requestfailed", lambda r: self.problems.append(f"failed: {r.url} {r.failure}")
                     if "ERR_ABORTED" not in (r.failure or "") else None)
        self.page.on("response", lambda r: self.problems.append(f"{r.status}: {r.url}") if r.status >= 400 else None)
        if origin is not None:  # nothing may be asked of another host
            self.page.route(re.compile(r"^https?://"), lambda route: route.continue_()
                            if route.request.url.startswith(origin) else
                            (self.problems.append(f"outside request: {route.request.url}"), route.abort()))

    def close(self):
        self.page.close()


def search(page, word: str) -> list[str]:
    """Type `word` in Material's search; the links of the results."""
    box = page.locator('input[data-md-component="search-query"]')
    box.click()
    meta = page.locator(".md-search-result__meta")
    placeholder = meta.inner_text().strip()
    for _ in range(20):  # the worker builds its index after the download: type until it answers
        box.fill("")
        box.press_sequentially(word, delay=20)
        try:
            page.wait_for_function("([sel, p]) => document.querySelector(sel).textContent.trim() !== p",
                                   arg=[".md-search-result__meta", placeholder], timeout=1000)
            break
        except Exception:  # playwright's TimeoutError: not ready yet
            continue
    else:
        pytest.fail(f"search gave no answer for '{word}' on {page.url}")
    return page.locator(".md-search-result__link").evaluate_all("els => els.map(e => e.href)")


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGS)
def test_the_version_selector_switches_keeping_the_page_and_the_language(served, browser, lang):
    folder = "" if lang == "en" else "fr/"
    tab = Tab(browser, served[: served.index(PREFIX)])
    page = tab.page
    page.goto(f"{served}current/{folder}introduction/")
    current = page.locator(".md-version__current")
    current.wait_for()
    assert current.inner_text().strip() == "current"
    titles = page.locator(".md-version__link").evaluate_all("els => els.map(e => e.textContent.trim())")
    assert titles == ["current", "review-2", "review-1"]
    # (the list opens on hover; a click on its link is what Material intercepts)
    page.locator(".md-version__link", has_text="review-1").dispatch_event("click")
    page.wait_for_url(f"{served}review-1/{folder}introduction/")
    assert ROUND_TWO[lang] not in page.inner_text("article")
    assert page.locator(".md-version__current").inner_text().strip() == "review-1"
    page.locator(".md-version__link", has_text="review-2").dispatch_event("click")
    page.wait_for_url(f"{served}review-2/{folder}introduction/")
    assert ROUND_TWO[lang] in page.inner_text("article")
    assert tab.problems == []
    tab.close()


@pytest.mark.slow
def test_the_address_of_the_site_leads_to_the_current_version(served, browser):
    tab = Tab(browser)
    tab.page.goto(served)
    tab.page.wait_for_url(f"{served}current/")
    assert tab.problems == []
    tab.close()


@pytest.mark.slow
def test_chromium_finds_nothing_broken_on_any_page_of_the_tree(published, served, browser):
    """Every page of every version under /some/path/: no failed request, no script error, no
    link to a missing page or anchor; the language switch and search stay in the version."""
    origin = served[: served.index(PREFIX)]
    tab = Tab(browser, origin)
    page = tab.page
    pages = sorted(p.relative_to(published).as_posix() for p in published.rglob("index.html")
                   if p.parent != published)
    assert len(pages) > 150
    missing: list[str] = []
    for rel in pages:
        url = served + rel[: -len("index.html")]
        page.goto(url)
        page.wait_for_load_state("load")
        for href in page.locator("a[href]").evaluate_all("els => els.map(e => e.href)"):
            target = urlparse(href)
            if not href.startswith(origin):
                continue
            path = target.path
            assert path.startswith(PREFIX), f"{rel}: {href} leads off the site"
            local = published / path[len(PREFIX):]
            local = local / "index.html" if path.endswith("/") else local
            if not local.is_file():
                missing.append(f"{rel}: {href}")
            elif target.fragment and local.suffix == ".html":
                if f'id="{target.fragment}"' not in local.read_text("utf-8"):
                    missing.append(f"{rel}: {href} (no such anchor)")
    assert missing == []
    assert tab.problems == []
    for version in ("current", "review-1"):
        for lang, word in (("en", "blockchain"), ("fr", "chaîne")):
            folder = "" if lang == "en" else "fr/"
            page.goto(f"{served}{version}/{folder}")
            found = search(page, word)
            assert found, (version, lang)
            assert all(urlparse(h).path.startswith(f"{PREFIX}{version}/{folder}") for h in found), found
            if lang == "en":
                assert not any(f"{PREFIX}{version}/fr/" in h for h in found), found
        page.goto(f"{served}{version}/blockchain/")
        page.locator('a.md-select__link[hreflang="fr"]').first.dispatch_event("click")
        page.wait_for_url(f"{served}{version}/fr/blockchain/")
        page.goto(f"{served}{version}/")
        page.locator('a.md-select__link[hreflang="fr"]').first.dispatch_event("click")
        page.wait_for_url(re.compile(re.escape(f"{served}{version}/fr/") + r"(index\.html)?$"))
    assert tab.problems == []
    tab.close()


@pytest.mark.slow
def test_the_offline_zip_works_from_the_file_system(published, browser, tmp_path):
    with zipfile.ZipFile(published / "current" / "downloads" / "wco-disruptive-technologies-2026-site-offline.zip") as z:
        z.extractall(tmp_path)
    root = tmp_path / "wco-disruptive-technologies-2026-site-offline"
    assert (root / "index.html").is_file() and (root / "fr" / "search" / "search_index.js").is_file()
    tab = Tab(browser)
    page = tab.page
    page.route(re.compile(r"^https?://"), lambda route: (tab.problems.append(f"network: {route.request.url}"),
                                                          route.abort()))
    for lang, word, other in (("en", "blockchain", "/fr/"), ("fr", "chaîne", None)):
        start = root / ("index.html" if lang == "en" else "fr/index.html")
        page.goto(start.as_uri())
        page.locator("nav.md-nav a.md-nav__link[href$='introduction.html']").first.click()
        page.wait_for_url(re.compile(r"/introduction\.html$"))
        assert CURRENT[lang] in page.inner_text("article")
        found = search(page, word)
        assert found and all(h.startswith("file://") for h in found), found
        if other:
            assert not any(other in h for h in found), found
        else:
            assert all("/fr/" in h for h in found), found
        page.locator(".md-search-result__link").first.click()
        page.wait_for_load_state("load")
        assert page.url.startswith("file://") and ".html" in page.url
    assert tab.problems == []
    tab.close()


# --- the link check -------------------------------------------------------------------------------------

@pytest.mark.slow
def test_a_broken_link_fails_the_check_naming_the_page_and_the_link(published, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(published / "current", site)
    page = site / "methodology" / "index.html"
    html = page.read_text("utf-8")
    page.write_text(html.replace("</article>", '<a href="../no-such-page/">x</a>'
                                               '<a href="../introduction/#no-such-anchor">y</a></article>', 1), "utf-8")
    proc = run_build("linkcheck", "--site", str(site), "--path", PREFIX)
    assert proc.returncode == 1, proc.stderr + proc.stdout
    assert re.search(r"^methodology/:\d+: broken link \.\./no-such-page/", proc.stderr, re.M), proc.stderr
    assert re.search(r"^methodology/:\d+: broken link \.\./introduction/#no-such-anchor: Anchor", proc.stderr,
                     re.M), proc.stderr
    assert "Traceback" not in proc.stderr
    shutil.copy2(published / "current" / "methodology" / "index.html", page)
    proc = run_build("linkcheck", "--site", str(site), "--path", PREFIX)
    assert proc.returncode == 0, proc.stderr
    assert "outside links (not fetched)" in proc.stderr


def test_linkcheck_without_a_site_says_so(tmp_path):
    proc = run_build("linkcheck", "--site", str(tmp_path))
    assert proc.returncode == 2 and "holds no site" in proc.stderr and "Traceback" not in proc.stderr


def test_publish_without_an_address_says_where_to_give_it(tmp_path):
    root = copy_repo(tmp_path / "repo")
    proc = run_build("publish", "--root", str(root), "--out", str(tmp_path / "out"), cwd=root)
    assert proc.returncode == 2 and "--site-url" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "out").exists()


# --- the CI summary ----------------------------------------------------------------------------------------

def test_changes_prints_the_changed_pages_as_markdown(rounds):
    proc = run_build("changes", "--since", "review-1", "--root", str(rounds), cwd=rounds)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert out.startswith("## Changes since `review-1`")
    assert re.search(r"^\| Introduction \(introduction\.md\) \| \d+ \| 2 \| 0 \| \d+ \| 0 \|$", out, re.M), out
    assert "**fr**: 1 page" in out and "**en**: 1 page" in out


def test_changes_refuses_an_unknown_revision(rounds):
    proc = run_build("changes", "--since", "review-9", "--root", str(rounds), cwd=rounds)
    assert proc.returncode == 2 and "review-9" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.slow
def test_a_review_round_that_does_not_build_stops_the_publish_naming_it(tmp_path):
    """A round whose sources have an error: the publish stops, names the tag and the error's
    file and line, and writes nothing."""
    root = copy_repo(tmp_path / "repo")
    page = root / "docs" / "en" / "drones.md"
    good = page.read_text("utf-8")
    page.write_text(good + "\n!!! dangerous \"Careful\"\n    Text.\n", "utf-8")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "a round with an error")
    git(root, "tag", "review-1")
    page.write_text(good, "utf-8")  # fixed since
    out = tmp_path / "public"
    proc = run_build("publish", "--root", str(root), "--out", str(out), "--site-url", SITE_URL, "--no-offline",
                     cwd=root, timeout=1200)
    assert proc.returncode == 2, proc.stderr
    assert "review-1 (commit " in proc.stderr and "does not build" in proc.stderr
    assert re.search(r"docs/en/drones\.md:\d+: error: unknown admonition type 'dangerous'", proc.stderr), proc.stderr
    assert "Traceback" not in proc.stderr
    assert not out.exists()
