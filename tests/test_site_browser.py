"""The site in a real browser: Debian's Chromium driven by Playwright, over a local HTTP server.

What only a browser can show: the language switch, Material's search (a web worker loading the
index of the page's language), the catalogue's filters (our script), the out-of-date banner of
a stale translation; and that no page logs an error or asks another host for anything.
The site of the repository is built once per session (conftest.built, with the reports, so the
download links are live); a second, stale one from a scratch copy whose English page changed.
"""

from __future__ import annotations

import functools
import http.server
import re
import threading
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest

# Many full builds (or a browser over every page): the slow end-to-end tests, run by CI and
# `./run test --slow`.
pytestmark = pytest.mark.slow
import yaml

from conftest import CHROMIUM, REPO_ROOT, copy_repo, launched_chromium, run_build  # noqa: F401 (CHROMIUM: other modules take it from here)
from conftest import CHROMIUM_ARGS as ARGS  # noqa: F401 (other modules take it from here)
from conftest import unavailable as _unavailable
SEARCH_BOX = 'input[data-md-component="search-query"]'



@pytest.fixture(scope="session")
def browser():
    yield from launched_chromium()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def _serve(folder: Path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, f"http://127.0.0.1:{server.server_port}/"


@pytest.fixture(scope="session")
def site_url(site_dir):
    server, url = _serve(site_dir)
    yield url
    server.shutdown()


STALE_CHAPTER = "ai-ml.md"


@pytest.fixture(scope="session")
def stale_site_url(tmp_path_factory):
    """The site of a copy whose English chapter changed after its French translation was made."""
    root = copy_repo(tmp_path_factory.mktemp("stale-src"))
    page = root / "docs" / "en" / STALE_CHAPTER
    page.write_text(page.read_text("utf-8") + "\nA paragraph added after the translation was made.\n", "utf-8")
    out = tmp_path_factory.mktemp("stale-out")
    proc = run_build("site", "--root", str(root), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    server, url = _serve(out / "site")
    yield url
    server.shutdown()


class Tab:
    """A browser page; its context records every request, console message and failed response
    (of this page and of any other page opened in the same context)."""

    def __init__(self, context, base: str):
        self.context, self.base = context, base
        self.page = context.new_page()
        self.requests: list[str] = []
        self.errors: list[str] = []
        context.on("request", lambda r: self.requests.append(r.url))
        context.on("console", lambda m: self.errors.append(f"console {m.type}: {m.text}")
                   if m.type in ("error", "warning") else None)
        context.on("weberror", lambda e: self.errors.append(f"page error: {e.error}"))
        context.on("response", lambda r: self.errors.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)

    def open(self, path: str):
        self.page.goto(urljoin(self.base, path.lstrip("/")))
        return self.page

    @property
    def path(self) -> str:
        return urlparse(self.page.url).path

    def assert_clean(self):
        """No error in the console, no failed request, and nothing asked of another host."""
        assert not self.errors, self.errors
        hosts = {urlparse(url).netloc for url in self.requests if not url.startswith(("data:", "blob:"))}
        assert hosts <= {urlparse(self.base).netloc}, f"requests left the local server: {hosts}"


@pytest.fixture
def tab(browser, site_url):
    context = browser.new_context()
    yield Tab(context, site_url)
    context.close()


@pytest.fixture
def stale_tab(browser, stale_site_url):
    context = browser.new_context()
    yield Tab(context, stale_site_url)
    context.close()


def h1(page) -> str:
    return re.sub(r"\s+", " ", page.locator("article h1").first.inner_text()).strip().rstrip("¶").strip()


def source_title(lang: str, name: str) -> str:
    text = (REPO_ROOT / "docs" / lang / name).read_text("utf-8")
    return re.search(r"^#\s+(.+?)(?:\s+\{[^}]*\})?\s*$", text, re.M).group(1)


# --- language -----------------------------------------------------------------------------------

def test_switching_language_on_a_chapter_lands_on_the_same_chapter(tab):
    page = tab.open("/blockchain/")
    assert h1(page) == source_title("en", "blockchain.md")
    page.locator(".md-header__option .md-select").hover()
    page.locator('.md-select__link[hreflang="fr"]').click()
    page.wait_for_url("**/fr/blockchain/")
    assert h1(page) == source_title("fr", "blockchain.md")
    page.locator(".md-header__option .md-select").hover()
    page.locator('.md-select__link[hreflang="en"]').click()
    page.wait_for_url(re.compile(r"/blockchain/$"))
    assert tab.path == "/blockchain/"
    tab.assert_clean()


# --- search -------------------------------------------------------------------------------------

def search(tab: Tab, path: str, word: str) -> list[str]:
    """Search `word` from the page at `path`; the paths of the pages found."""
    page = tab.page
    with page.expect_response(lambda r: r.url.endswith("search/search_index.json")):
        tab.open(path)
    box = page.locator(SEARCH_BOX)
    box.click()
    meta = page.locator(".md-search-result__meta")
    placeholder = meta.inner_text().strip()
    # The worker builds its index after the download; a query typed before it is ready is dropped.
    for _ in range(20):
        box.fill("")
        box.press_sequentially(word, delay=20)
        try:
            page.wait_for_function("([sel, p]) => document.querySelector(sel).textContent.trim() !== p",
                                   arg=[".md-search-result__meta", placeholder], timeout=1000)
            break
        except Exception:  # playwright's TimeoutError: not ready yet, type again
            continue
    else:
        pytest.fail(f"search gave no answer for '{word}' on {path}")
    links = page.locator(".md-search-result__link").evaluate_all("els => els.map(e => e.href)")
    return sorted({urlparse(href).path for href in links})


def test_search_on_a_french_page_finds_french_pages_only(tab):
    found = search(tab, "/fr/blockchain/", "apprentissage")
    assert found, "no result for a word of the French chapter on machine learning"
    assert all(p.startswith("/fr/") for p in found), found
    assert "/fr/ai-ml/" in found
    # An English word finds no English page from a French one.
    assert not [p for p in search(tab, "/fr/blockchain/", "learning") if not p.startswith("/fr/")]
    tab.assert_clean()


def test_search_on_an_english_page_finds_english_pages_only(tab):
    found = search(tab, "/blockchain/", "learning")
    assert found, "no result for a word of the English chapter on machine learning"
    assert not [p for p in found if p.startswith("/fr/")], found
    assert "/ai-ml/" in found
    # The French word finds no French page from an English one.
    assert not [p for p in search(tab, "/ai-ml/", "douane") if p.startswith("/fr/")]
    tab.assert_clean()


# --- case-study catalogue -----------------------------------------------------------------------

def casestudies() -> dict[str, dict]:
    """The metadata of every case study, read with plain YAML (not the code under test)."""
    return {d.name: yaml.safe_load((d / "casestudy.yml").read_text("utf-8"))
            for d in sorted((REPO_ROOT / "casestudies").iterdir()) if (d / "casestudy.yml").is_file()}


def plain(text: str) -> str:
    """Text without the no-break spaces French typography adds (the sources have plain ones)."""
    return re.sub(r"[\s\u00a0\u202f]+", " ", text).strip()


def visible_titles(page) -> list[str]:
    rows = page.locator(".wco-catalogue table tbody tr")
    return sorted(plain(rows.nth(i).locator("td").first.inner_text())
                  for i in range(rows.count()) if rows.nth(i).is_visible())


def _pick(counts: dict[str, int], total: int) -> str:
    """A value that selects some rows but not all (the filter must visibly change the table)."""
    partial = [v for v, n in sorted(counts.items()) if 0 < n < total]
    if not partial:
        pytest.skip("every case study has the same value: no filter can show a difference")
    return partial[0]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_catalogue_filters_by_region_and_by_technology(tab, lang):
    studies = casestudies()
    page = tab.open("/annex-case-studies/" if lang == "en" else "/fr/annex-case-studies/")
    all_titles = sorted(s["title"][lang] for s in studies.values())
    assert visible_titles(page) == all_titles

    regions: dict[str, int] = {}
    for s in studies.values():
        regions[s["region"]] = regions.get(s["region"], 0) + 1
    region = _pick(regions, len(studies))
    page.select_option('select[data-filter="region"]', region)
    assert visible_titles(page) == sorted(s["title"][lang] for s in studies.values() if s["region"] == region)

    page.select_option('select[data-filter="region"]', "")
    techs: dict[str, int] = {}
    for s in studies.values():
        for t in s["technologies"]:
            techs[t] = techs.get(t, 0) + 1
    tech = _pick(techs, len(studies))
    page.select_option('select[data-filter="technologies"]', tech)
    expected = sorted(s["title"][lang] for s in studies.values() if tech in s["technologies"])
    assert visible_titles(page) == expected
    assert str(len(expected)) in page.locator(".wco-filter-count").inner_text()

    # Both filters at once: the intersection.
    page.select_option('select[data-filter="region"]', region)
    assert visible_titles(page) == sorted(s["title"][lang] for s in studies.values()
                                          if tech in s["technologies"] and s["region"] == region)
    tab.assert_clean()


def test_catalogue_sorts_by_a_column(tab):
    page = tab.open("/annex-case-studies/")
    header = page.locator(".wco-catalogue table thead th").first
    header.locator("button").click()
    titles = [t.strip() for t in page.locator(".wco-catalogue table tbody tr td:first-child").all_inner_texts()]
    assert titles == sorted(titles, key=str.casefold)
    header.locator("button").click()
    titles = [t.strip() for t in page.locator(".wco-catalogue table tbody tr td:first-child").all_inner_texts()]
    assert titles == sorted(titles, key=str.casefold, reverse=True)
    assert header.get_attribute("aria-sort") == "descending"
    tab.assert_clean()


def test_catalogue_links_to_the_casestudy_page_and_back_to_a_chapter(tab):
    page = tab.open("/fr/annex-case-studies/")
    page.locator(".wco-catalogue table tbody tr a").first.click()
    page.wait_for_url("**/fr/casestudies/**")
    used_in = page.locator("ul.wco-used-in a")
    assert used_in.count() >= 1
    used_in.first.click()
    page.wait_for_load_state()
    assert tab.path.startswith("/fr/") and "/casestudies/" not in tab.path
    tab.assert_clean()


# --- translation drift, draft banner ------------------------------------------------------------

def test_a_stale_translation_shows_its_banner(stale_tab):
    page = stale_tab.open(f"/fr/{STALE_CHAPTER[:-3]}/")
    banner = page.locator(".wco-stale")
    assert banner.is_visible()
    assert "pas à jour" in banner.inner_text()
    banner.locator("a").click()
    page.wait_for_url(re.compile(rf"/{STALE_CHAPTER[:-3]}/$"))
    assert stale_tab.path == f"/{STALE_CHAPTER[:-3]}/"
    # A translation that is still current has none.
    stale_tab.open("/fr/blockchain/")
    assert page.locator(".wco-stale").count() == 0
    stale_tab.assert_clean()


@pytest.mark.parametrize("path", ["/", "/fr/ai-ml/", "/fr/casestudies/cn-ai-ml/"])
def test_draft_banner_download_links_work_from_any_depth(tab, path):
    page = tab.open(path)
    banner = page.locator(".wco-draft")
    assert banner.is_visible()
    lang = "fr" if path.startswith("/fr/") else "en"
    hrefs = page.locator(".wco-draft a.wco-download").evaluate_all("els => els.map(e => e.href)")
    assert sorted(Path(urlparse(h).path).suffix for h in hrefs) == [".docx", ".pdf"]
    for href in hrefs:
        assert href.endswith(f"-{lang}{Path(urlparse(href).path).suffix}")
        status = page.evaluate("url => fetch(url, {method: 'HEAD'}).then(r => r.status)", href)
        assert status == 200, href
    tab.assert_clean()


def test_no_page_logs_an_error_or_asks_another_host(tab):
    """Every chapter, the status page and a case study, in each language."""
    nav = yaml.safe_load((REPO_ROOT / "mkdocs.yml").read_text("utf-8"))["nav"]
    names: list[str] = []

    def walk(item):
        if isinstance(item, str):
            names.append(item)
        for sub in (item if isinstance(item, list) else item.values() if isinstance(item, dict) else []):
            walk(sub)

    walk(nav)
    study = next(iter(casestudies()))
    for prefix in ("/", "/fr/"):
        for name in [*names, "status.md", f"casestudies/{study}.md"]:
            tab.open(prefix if name == "index.md" else f"{prefix}{name[:-3]}/")
    tab.assert_clean()


# --- Members' text cannot run script (see test_validation.py for the HTML-level checks) -----------

XSS_TEXT = """
<script>alert("xss-script")</script>

<img src="x.png" onerror="alert('xss-img')">

<p onmouseover="alert('xss-hover')" onclick="alert('xss-click')">Hover or click this paragraph.</p>

<a href="javascript:alert('xss-href')">a javascript link</a>

<svg onload="alert('xss-svg')"></svg><details open ontoggle="alert('xss-toggle')">x</details>
"""


def test_case_study_script_never_runs_in_the_browser(browser, tmp_path_factory):
    """A Member's case study carrying script: no dialog opens on any page that shows it."""
    root = copy_repo(tmp_path_factory.mktemp("xss-src"))
    study = root / "casestudies" / "br-blockchain"
    (study / "en.md").write_text((study / "en.md").read_text("utf-8") + XSS_TEXT, "utf-8")
    meta = study / "casestudy.yml"
    meta.write_text(meta.read_text("utf-8").replace(
        '  en: "Blockchain study mission to Brazilian Customs"',
        '  en: "Blockchain <img src=x onerror=alert(\'xss-title\')> mission"'), "utf-8")
    out = tmp_path_factory.mktemp("xss-out")
    proc = run_build("site", "--root", str(root), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    server, url = _serve(out / "site")
    dialogs: list[str] = []
    page = browser.new_page()
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    try:
        for path in ("blockchain/", "casestudies/br-blockchain/", "annex-case-studies/"):
            page.goto(urljoin(url, path), wait_until="load")
            for paragraph in page.locator("p", has_text="Hover or click this paragraph.").all():
                paragraph.hover()
                paragraph.click()
            for link in page.locator("a", has_text="a javascript link").all():
                link.click()
            page.wait_for_timeout(300)
            assert "Blockchain" in page.content()
    finally:
        page.close()
        server.shutdown()
    assert dialogs == []


# --- accessibility: axe-core's WCAG 2.1 A and AA rules on every page, in both languages ------------
# (the charts' SVG included: one image with its text alternative)

RULES = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def _pages(site: Path) -> list[str]:
    return sorted("" if p.parent == site else p.parent.relative_to(site).as_posix() + "/"
                  for p in site.rglob("index.html"))


def test_every_page_passes_axe(browser, site_url, site_dir):  # noqa: F811
    from axe_playwright_python.sync_playwright import Axe  # axe-core itself ships inside

    axe = Axe()
    pages = _pages(site_dir)
    assert any(p.startswith("fr/") for p in pages) and "methodology/" in pages
    page = browser.new_page()
    found = []
    try:
        for rel in pages:
            page.goto(site_url + rel)
            result = axe.run(page, options=RULES)
            for violation in result.response["violations"]:
                targets = [node["target"] for node in violation["nodes"]][:3]
                found.append(f"/{rel}: {violation['id']} ({violation['help']}): {targets}")
    finally:
        page.close()
    assert not found, "axe-core found accessibility problems:\n" + "\n".join(found)
