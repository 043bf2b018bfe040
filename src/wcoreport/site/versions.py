"""The files of a versioned site that Material's version selector reads (the contract of mike).

mike publishes each version of a site in a folder of its own and writes, at the root,
`versions.json`: `[{"version": "review-2", "title": "review-2", "aliases": []}, ...]`, newest
first. Material (extra.version.provider: mike) fetches `../versions.json` from the page's
`base` (the root of its version), takes the current version from the base's last folder, and
on a switch fetches the other version's `sitemap.xml` to open the same page there.

A page of a language other than the default one has its language folder as `base` (its
search reads its own index: search_split.py). For those pages we write, in each version's
folder, a `versions.json` whose entries lead to that language's folder of each version, and a
`sitemap.xml` in the language folder listing its pages. Without them the selector would not
show on those pages, or would switch to the other version's home page in the default language.
Since every language folder reads the same `<version>/versions.json`, this serves one language
besides the default one (the report has two; with more, the others' pages get the default
language's entries, and switching from them opens the other version's home page).
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from pathlib import Path

VERSIONS = "versions.json"


@dataclass(frozen=True)
class Version:
    name: str  # its folder: current, review-2, ...
    title: str
    aliases: tuple[str, ...] = ()


def versions_json(versions: list[Version]) -> str:
    """The root `versions.json`, as mike writes it (newest first)."""
    return json.dumps([{"version": v.name, "title": v.title, "aliases": list(v.aliases)} for v in versions],
                      ensure_ascii=False, indent=2) + "\n"


def language_versions_json(versions: list[Version], current: Version, lang: str) -> str:
    """The `versions.json` of a version's folder, read by its pages in language `lang`: each
    entry's folder relative to the parent of `<version>/<lang>/`; the current one is found by
    the alias `lang` (Material matches the last folder of the base)."""
    return json.dumps([{"version": f"../{v.name}/{lang}", "title": v.title,
                        "aliases": [lang, *v.aliases] if v == current else list(v.aliases)} for v in versions],
                      ensure_ascii=False, indent=2) + "\n"


_LOC = re.compile(r'<xhtml:link rel="alternate" hreflang="([^"]+)" href="([^"]*)"\s*/>')


def language_sitemap(sitemap: str, lang: str) -> str:
    """A sitemap of the pages of `lang`, from the site's own (mkdocs-static-i18n lists each page
    of the other languages as an alternate of its default-language page)."""
    locs = sorted({href for hreflang, href in _LOC.findall(sitemap) if hreflang == lang})
    urls = "".join(f"<url><loc>{html.escape(loc)}</loc></url>" for loc in locs)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>\n')


def add_language_files(folder: Path, versions: list[Version], current: Version, languages: tuple[str, ...]) -> None:
    """A version's folder: the versions and sitemap its pages in the other language read."""
    others = [lang for lang in languages[1:] if (folder / lang).is_dir()]
    if not others:
        return
    lang = others[0]
    (folder / VERSIONS).write_text(language_versions_json(versions, current, lang), "utf-8")
    sitemap = folder / "sitemap.xml"
    if sitemap.is_file():
        (folder / lang / "sitemap.xml").write_text(language_sitemap(sitemap.read_text("utf-8"), lang), "utf-8")


def redirect_page(target: str) -> str:
    """The root page: it leads to the current version (as mike's `set-default` writes it)."""
    href = html.escape(target, quote=True)
    return ("<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<title>Redirecting</title>\n"
            f'<meta http-equiv="refresh" content="0; url={href}">\n<link rel="canonical" href="{href}">\n'
            f"<script>location.replace({json.dumps(target)} + location.hash)</script>\n</head>\n"
            f'<body><a href="{href}">{href}</a></body>\n</html>\n')
