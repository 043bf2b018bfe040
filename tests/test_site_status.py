"""The reviewer's site without a browser: search index per language, review badges, the status
page, the banners and download links, and the catalogue as a plain table (site/status.py,
site/search_split.py, markdown/catalogue.py). Read from the HTML of real builds."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import REPO_ROOT, copy_repo
from test_site import LANGS, file_of, nav_pages, parse, resolve, text, url_of

BASE_OF = re.compile(r'<script id="__config" type="application/json">(.*?)</script>', re.S)


def mkdocs_build(root: Path, out: Path) -> Path:
    """A plain `mkdocs build`, as an editor previewing the site runs it (no report, no downloads)."""
    env = {k: v for k, v in os.environ.items() if k != "WCOREPORT_DOWNLOADS"}
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(root / "mkdocs.yml"),
                           "-d", str(out)], cwd=root, capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return out


@pytest.fixture(scope="module")
def stale_site(tmp_path_factory) -> Path:
    """A copy outside git whose English blockchain chapter changed after its translation."""
    root = copy_repo(tmp_path_factory.mktemp("src"))
    page = root / "docs/en/blockchain.md"
    page.write_text(page.read_text("utf-8") + "\nA sentence added after the translation.\n", "utf-8")
    return mkdocs_build(root, tmp_path_factory.mktemp("site"))


# --- search per language ------------------------------------------------------------------------

def test_search_index_is_split_per_language(site_dir):
    en = json.loads((site_dir / "search/search_index.json").read_text("utf-8"))
    fr = json.loads((site_dir / "fr/search/search_index.json").read_text("utf-8"))
    assert en["config"]["lang"] == ["en"] and fr["config"]["lang"] == ["fr"]
    assert en["docs"] and fr["docs"]
    for lang, index in (("en", en), ("fr", fr)):
        prefix = "/" if lang == "en" else "/fr/"
        for doc in index["docs"]:
            path = resolve(prefix, doc["location"])
            assert not (lang == "en" and path.startswith("/fr/")), doc["location"]
            assert file_of(site_dir, path).is_file(), f"{lang} index: {doc['location']} -> {path}"
    titles_fr = {d["title"] for d in fr["docs"]}
    assert "Chaîne de blocs" in titles_fr and "Blockchain" not in titles_fr


@pytest.mark.parametrize("lang", LANGS)
def test_each_page_points_its_search_at_its_language(site_dir, lang):
    for name in nav_pages():
        page = url_of(lang, name)
        config = json.loads(BASE_OF.search(file_of(site_dir, page).read_text("utf-8")).group(1))
        assert resolve(page, config["base"].rstrip("/") + "/") == ("/" if lang == "en" else f"/{lang}/")


# --- review status ------------------------------------------------------------------------------

def front_matter(lang: str, name: str) -> dict:
    return yaml.safe_load((REPO_ROOT / "docs" / lang / name).read_text("utf-8").split("---", 2)[1])


@pytest.mark.parametrize("lang", LANGS)
def test_each_chapter_shows_its_review_status(site_dir, lang):
    for name in nav_pages():
        badges = parse(file_of(site_dir, url_of(lang, name))).xpath('//article//span[contains(@class, "wco-badge")]')
        assert len(badges) == 1, name
        assert f"wco-badge-{front_matter(lang, name)['status']}" in badges[0].get("class")


@pytest.mark.parametrize("lang", LANGS)
def test_the_status_page_lists_every_chapter(site_dir, lang):
    page = url_of(lang, "status.md")
    root = parse(file_of(site_dir, page))
    rows = root.xpath('//div[contains(@class, "wco-status")]/table/tbody/tr')
    assert [resolve(page, r.xpath(".//a")[0].get("href")) for r in rows] == [url_of(lang, n) for n in nav_pages()]
    for row, name in zip(rows, nav_pages()):
        cells = row.xpath("./td")
        assert f"wco-badge-{front_matter(lang, name)['status']}" in cells[1].xpath(".//span")[0].get("class")
        assert int(text(cells[2])) > 0
        assert re.search(r"\d{4}", text(cells[3]))  # a date
        assert row.get("data-state") == ("source" if lang == "en" else "current")


def test_a_stale_translation_has_a_banner_and_is_counted(stale_site):
    page = url_of("fr", "blockchain.md")
    banners = parse(file_of(stale_site, page)).xpath('//div[contains(@class, "wco-stale")]')
    assert len(banners) == 1
    assert resolve(page, banners[0].xpath(".//a")[0].get("href")) == url_of("en", "blockchain.md")
    for name in nav_pages():
        if name != "blockchain.md":
            assert not parse(file_of(stale_site, url_of("fr", name))).xpath('//div[contains(@class, "wco-stale")]')
    fr_status = parse(file_of(stale_site, url_of("fr", "status.md")))
    assert "1 pas à jour" in text(fr_status.xpath('//ul[@class="wco-status-summary"]')[0]).replace("\u00a0", " ")
    assert fr_status.xpath('//tr[@data-state="stale"]//a')[0].get("href").endswith("blockchain/")
    en_status = parse(file_of(stale_site, url_of("en", "status.md")))
    assert "1 out of date" in text(en_status.xpath('//ul[@class="wco-status-summary"]')[0])


# --- banners and downloads ----------------------------------------------------------------------

def pages_of(site: Path) -> list[tuple[str, Path]]:
    out = []
    for path in sorted(site.rglob("index.html")):
        rel = path.parent.relative_to(site).as_posix()
        out.append(("/" if rel == "." else f"/{rel}/", path))
    return out


def test_every_page_has_the_draft_banner_with_working_downloads(site_dir, output_name):
    pages = pages_of(site_dir)
    assert len(pages) > 30
    for url, path in pages:
        lang = "fr" if url.startswith("/fr/") else "en"
        banner = parse(path).xpath('//div[contains(@class, "wco-draft")]')
        assert len(banner) == 1, url
        links = {resolve(url, a.get("href")) for a in banner[0].xpath('.//a[contains(@class, "wco-download")]')}
        assert links == {f"/downloads/{output_name}-{lang}.pdf", f"/downloads/{output_name}-{lang}.docx"}, url
        for link in links:
            assert (site_dir / link.lstrip("/")).is_file(), f"{url}: {link}"


def test_a_site_built_alone_shows_downloads_disabled_and_no_version(stale_site):
    root = parse(file_of(stale_site, "/fr/ai-ml/"))
    banner = root.xpath('//div[contains(@class, "wco-draft")]')[0]
    assert not banner.xpath('.//a[contains(@class, "wco-download")]')
    assert len(banner.xpath('.//span[contains(@class, "wco-download-disabled")]')) == 2
    assert "sans information de version" in text(banner)  # the copy is not a git checkout
    assert not (stale_site / "downloads").exists()


def test_a_final_report_has_no_draft_banner_but_keeps_its_downloads(tmp_path):
    root = copy_repo(tmp_path / "src")
    meta = root / "report.yml"
    meta.write_text(re.sub(r"^final: .*$", "final: true", meta.read_text("utf-8"), flags=re.M), "utf-8")
    site = mkdocs_build(root, tmp_path / "site")
    page = parse(file_of(site, "/ai-ml/"))
    assert not page.xpath('//div[contains(@class, "wco-draft")]')
    assert len(page.xpath('//div[contains(@class, "wco-downloads")]//*[contains(@class, "wco-download")]')) == 2


# --- the catalogue without JavaScript ----------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_the_catalogue_is_a_plain_table_with_counts(site_dir, lang):
    studies = {d.name: yaml.safe_load((d / "casestudy.yml").read_text("utf-8"))
               for d in (REPO_ROOT / "casestudies").iterdir() if (d / "casestudy.yml").is_file()}
    page = url_of(lang, "annex-case-studies.md")
    root = parse(file_of(site_dir, page))
    rows = root.xpath('//div[contains(@class, "wco-catalogue")]/table/tbody/tr')
    assert sorted(resolve(page, r.xpath(".//a")[0].get("href")) for r in rows) == \
        sorted(url_of(lang, f"casestudies/{cid}.md") for cid in studies)
    assert root.xpath('//form[contains(@class, "wco-filters")]')[0].get("hidden") is not None  # until JS runs
    region_counts = {r.get("data-region"): int(text(r.xpath("./td")[1]))
                     for r in root.xpath('//div[contains(@class, "wco-counts")]/table/tbody/tr[@data-region]')}
    expected: dict[str, int] = {}
    for s in studies.values():
        expected[s["region"]] = expected.get(s["region"], 0) + 1
    assert region_counts == expected
    tech_counts = {r.get("data-technology"): int(text(r.xpath("./td")[1]))
                   for r in root.xpath('//div[contains(@class, "wco-counts")]/table/tbody/tr[@data-technology]')}
    expected = {}
    for s in studies.values():
        for t in s["technologies"]:
            expected[t] = expected.get(t, 0) + 1
    assert tech_counts == expected
