"""Every page of the site, in both languages, passes axe-core's WCAG 2.1 A and AA rules, in
Debian's Chromium (the charts' SVG included: one image with its text alternative)."""

from __future__ import annotations

from pathlib import Path

from test_site_browser import browser, site_url  # noqa: F401  (the fixtures: Chromium, the built site)

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
