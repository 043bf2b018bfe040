"""The bilingual site, read from the HTML of one real build (see conftest.built)."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin, urlparse

import docx
import lxml.html
import pytest
import yaml

from conftest import LEAKS, nav_pages, tool_pages

LANGS = ("en", "fr")
SITE = "http://site.invalid/"  # a base to resolve relative links; never fetched


def url_of(lang: str, name: str) -> str:
    """The URL path of a page of the docs folder, e.g. ('fr', 'ai-ml.md') -> '/fr/ai-ml/'."""
    prefix = "/" if lang == "en" else f"/{lang}/"
    return prefix if name == "index.md" else f"{prefix}{name[:-3]}/"


def file_of(site: Path, url_path: str) -> Path:
    return site / url_path.lstrip("/") / "index.html"


def parse(path: Path):
    return lxml.html.parse(str(path)).getroot()


def main_content(root):
    articles = root.xpath("//article")
    assert articles, "no <article> (main content) in the page"
    return articles[0]


def resolve(page_url: str, href: str) -> str:
    return urlparse(urljoin(SITE.rstrip("/") + page_url, href)).path


def text(el) -> str:
    return re.sub(r"\s+", " ", el.text_content()).strip()


def all_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html"))


# --- pages -------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_every_nav_page_is_built_in_each_language(site_dir, lang):
    missing = [url_of(lang, n) for n in nav_pages() if not file_of(site_dir, url_of(lang, n)).is_file()]
    assert not missing, f"pages not built: {missing}"


@pytest.mark.parametrize("lang", LANGS)
def test_chapter_pages_show_their_title(site_dir, repo_root, lang):
    """Each page's <h1> is the '# Title' of its source (the right language reached the page)."""
    for name in nav_pages():
        source = (repo_root / "docs" / lang / name).read_text("utf-8")
        m = re.search(r"^#\s+(.+?)(?:\s+\{[^}]*\})?\s*$", source, re.M)
        if not m:
            continue
        h1 = main_content(parse(file_of(site_dir, url_of(lang, name)))).xpath(".//h1")
        assert h1, f"{url_of(lang, name)} has no <h1>"
        expected = m.group(1)
        # French pages get no-break spaces, and every page curly apostrophes (as in the report):
        # compare with ordinary spaces and straight apostrophes.
        got = text(h1[0]).replace("\u202f", " ").replace("\u00a0", " ").replace("\u2019", "'").rstrip("¶").strip()
        assert got == expected.replace("\u202f", " ").replace("\u00a0", " "), url_of(lang, name)


# --- language switcher --------------------------------------------------------------------------

def hreflang_links(root) -> dict[str, set[str]]:
    links: dict[str, set[str]] = {}
    for el in root.xpath("//*[@hreflang][@href]"):
        links.setdefault(el.get("hreflang"), set()).add(el.get("href"))
    return links


def test_language_switcher_goes_to_the_same_page_in_the_other_language(site_dir):
    en_url, fr_url = "/ai-ml/", "/fr/ai-ml/"
    en = hreflang_links(parse(file_of(site_dir, en_url)))
    fr = hreflang_links(parse(file_of(site_dir, fr_url)))
    assert {resolve(en_url, h) for h in en["fr"]} == {fr_url}
    assert {resolve(en_url, h) for h in en["en"]} == {en_url}
    assert {resolve(fr_url, h) for h in fr["en"]} == {en_url}
    assert {resolve(fr_url, h) for h in fr["fr"]} == {fr_url}


@pytest.mark.parametrize("lang", LANGS)
def test_every_hreflang_link_points_to_a_built_page(site_dir, lang):
    for name in nav_pages():
        page = url_of(lang, name)
        for links in hreflang_links(parse(file_of(site_dir, page))).values():
            for href in links:
                target = resolve(page, href)
                assert file_of(site_dir, target).is_file(), f"{page}: hreflang link {href} -> {target}"


def test_every_page_has_the_navigation_with_working_links(site_dir):
    """The navigation is written once per folder for pages outside it (site/templates.py): on
    every page each of its links leads to a built page, the page of the site's navigation
    that is open is marked active, and the pages outside it mark none."""
    pages = [p for p in all_pages(site_dir) if p.name == "index.html" and "search" not in p.parts
             and "downloads" not in p.parts and "assets" not in p.parts]
    in_nav = {url_of(lang, n) for lang in LANGS for n in nav_pages() + tool_pages()}  # (tools: in the nav too)
    seen = 0
    for path in pages:
        url = "/" + path.parent.relative_to(site_dir).as_posix() + "/" if path.parent != site_dir else "/"
        navs = parse(path).xpath('//nav[contains(@class, "md-nav--primary")]')
        assert len(navs) == 1, url
        links = navs[0].xpath('.//a[contains(@class, "md-nav__link")]/@href')
        assert links, url
        language = "/fr/" if url.startswith("/fr/") else "/"
        for href in links:
            target = resolve(url, href)
            assert file_of(site_dir, target).is_file(), f"{url}: navigation link {href} -> {target}"
            # (a browser stops at the site's root: a link that climbs above it still "works")
            assert href.count("../") <= url.count("/") - 1, f"{url}: navigation link {href} climbs above the site"
            assert target.startswith(language), f"{url}: navigation link {href} leaves the page's language"
        active = navs[0].xpath('.//a[contains(@class, "md-nav__link--active")]/@href')
        assert bool(active) == (url in in_nav), f"{url}: active items {active}"
        seen += 1
    assert seen > 40  # (the case studies' and side-by-side pages are among them)


# --- case studies -------------------------------------------------------------------------------

@pytest.mark.parametrize("lang, member_label, member", [("en", "Member", "China"), ("fr", "Membre", "Chine")])
def test_casestudy_box_links_to_its_own_page(site_dir, lang, member_label, member):
    page = url_of(lang, "ai-ml.md")
    article = main_content(parse(file_of(site_dir, page)))
    box = article.xpath('.//div[contains(concat(" ", @class, " "), " casestudy ")]'
                        '[@id="casestudy-cn-ai-ml"]')
    assert box, f"{page}: no case-study box for cn-ai-ml"
    hrefs = [a.get("href") for a in box[0].xpath(".//a[@href]")]
    target = resolve(page, hrefs[0])
    assert target == url_of(lang, "casestudies/cn-ai-ml.md")
    target_file = file_of(site_dir, target)
    assert target_file.is_file(), f"the box links to {target}, which was not built"
    cs = main_content(parse(target_file))
    cells = {text(th): text(th.getnext()) for th in cs.xpath(".//th") if th.getnext() is not None}
    assert cells.get(member_label) == member
    # The box's text is the case study's own text.
    assert "China" in text(box[0]) or "chinoise" in text(box[0])


@pytest.mark.parametrize("lang", LANGS)
def test_every_casestudy_has_a_page_in_each_language(site_dir, repo_root, lang):
    from wcoreport.sources.casestudies import member_name

    for folder in sorted((repo_root / "casestudies").iterdir()):
        meta = yaml.safe_load((folder / "casestudy.yml").read_text("utf-8"))
        page = file_of(site_dir, url_of(lang, f"casestudies/{folder.name}.md"))
        assert page.is_file(), f"no page for case study {folder.name} in {lang}"
        content = text(main_content(parse(page)))
        assert meta["title"][lang].replace("'", "") in content.replace("'", "").replace("\u2019", "")
        assert member_name(meta["member"], lang) in content


# --- citations: the same text as in the report --------------------------------------------------

def docx_text(path: Path) -> str:
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return re.sub(r"\s+", " ", "\n".join(parts))


def test_citation_on_site_reads_as_in_the_report(site_dir, report_dir, output_name):
    article = main_content(parse(file_of(site_dir, "/ai-ml/")))
    citations = [text(c) for c in article.xpath('.//span[contains(@class, "citation")]')]
    expected = "(World Customs Organization 2025, para. 3)"
    assert expected in citations
    assert expected in docx_text(report_dir / f"{output_name}-en.docx")


@pytest.mark.parametrize("lang", LANGS)
def test_every_citation_on_the_site_is_in_the_report(site_dir, report_dir, output_name, lang):
    report = docx_text(report_dir / f"{output_name}-{lang}.docx")
    seen = 0
    for name in nav_pages():
        article = main_content(parse(file_of(site_dir, url_of(lang, name))))
        for span in article.xpath('.//span[contains(@class, "citation")]'):
            seen += 1
            assert text(span) in report, f"{url_of(lang, name)}: citation {text(span)!r} not in the DOCX"
    assert seen > 10


# --- nothing leaks, nothing is fetched from elsewhere ---------------------------------------------

def test_no_source_markup_leaks_into_pages(site_dir, bib_keys):
    leaks = []
    for path in all_pages(site_dir):
        root = parse(path)
        if not root.xpath("//article"):
            continue  # redirects
        # The side-by-side pages show translators each block's Markdown as typed, on purpose, but
        # only on demand (a <details>): what they show otherwise is the rendered text.
        for details in root.xpath('//details[contains(@class, "wco-sbs-markdown")]'):
            details.getparent().remove(details)
        content = main_content(root).text_content()
        leaks += [f"{path.relative_to(site_dir)}: {m!r}" for m in LEAKS if m in content]
        # A citation left half-formatted shows its key, e.g. "@wco2019study" or "para. 2]".
        leaks += [f"{path.relative_to(site_dir)}: '@{k}'" for k in bib_keys if f"@{k}" in content]
        leaks += [f"{path.relative_to(site_dir)}: {m!r}" for m in re.findall(r"\w\]:?", content)]
    assert not leaks, "\n".join(leaks)


def test_the_site_makes_no_request_to_other_hosts(site_dir):
    offenders = []
    for path in all_pages(site_dir):
        source = path.read_text("utf-8")
        if "fonts.googleapis" in source or "fonts.gstatic" in source:
            offenders.append(f"{path}: Google Fonts")
        root = lxml.html.fromstring(source)
        for el, attr in [(e, "href") for e in root.xpath("//link[@href]")] + \
                [(e, "src") for e in root.xpath("//script[@src] | //img[@src] | //iframe[@src]")]:
            value = el.get(attr)
            if re.match(r"^(?:[a-z][a-z0-9+.-]*:)?//", value, re.I):
                offenders.append(f"{path.relative_to(site_dir)}: <{el.tag} {attr}={value}>")
    for css in site_dir.rglob("*.css"):
        source = css.read_text("utf-8", errors="replace")
        if re.search(r"@import\s+url\(\s*['\"]?(?:https?:)?//", source) or "fonts.googleapis" in source:
            offenders.append(f"{css.relative_to(site_dir)}: imports from another host")
    assert not offenders, "\n".join(offenders)


# --- French typography --------------------------------------------------------------------------

def test_french_pages_have_narrow_no_break_spaces(site_dir, repo_root):
    checked = 0
    for name in nav_pages():
        source = (repo_root / "docs" / "fr" / name).read_text("utf-8")
        content = main_content(parse(file_of(site_dir, url_of("fr", name)))).text_content()
        bad = re.findall(r".{0,30}\S[ \u00a0][:;!?»](?=\s|$)", content)
        assert not bad, f"{url_of('fr', name)}: breakable space before high punctuation: {bad}"
        assert not re.search(r"«[ \u00a0]", content), url_of("fr", name)
        if re.search(r"\S :(\s|$)", source):
            assert "\u202f:" in content, f"{url_of('fr', name)}: ' :' of the source lost its U+202F"
            checked += 1
    assert checked >= 3


def test_english_pages_keep_ordinary_spaces(site_dir):
    content = main_content(parse(file_of(site_dir, "/ai-ml/"))).text_content()
    assert "\u202f" not in content
