"""Living with mkdocs-static-i18n: the one place that knows how that plugin works.

Generated pages: static-i18n rebuilds every File from the docs folder on disk, so a page
generated in memory (`File.generated`) makes it fail. We add our pages after it has sorted the
files of the language being built, with the destination it gives its own pages: `x/` for the
default language, `fr/x/` for the others.
"""

from __future__ import annotations

import re
from pathlib import Path

from mkdocs.structure.files import File, Files

from ..pipeline.outputs import scratch_folder


_SCRATCH: list[Path] = []


def _scratch() -> Path:
    if not (_SCRATCH and _SCRATCH[0].is_dir()):
        _SCRATCH[:] = [scratch_folder("wcoreport-pages-")]
    return _SCRATCH[0]


def current_language(config, languages: tuple[str, ...]) -> str:
    i18n = config.plugins.get("i18n")
    return getattr(i18n, "current_language", None) or languages[0]


def add_generated_page(files: Files, config, lang: str, default: str, rel: str, content: str) -> None:
    """Add a page we make (`content`: its Markdown) to the language being built. It is backed by
    a file of this process's scratch folder, written only when its content changes: a dirty
    reload of `mkdocs serve` (`./run serve`) builds it again only then."""
    source = _scratch() / lang / rel
    data = content.encode("utf-8")
    try:
        unchanged = source.read_bytes() == data
    except OSError:
        unchanged = False
    if not unchanged:
        source.parent.mkdir(parents=True, exist_ok=True)
        source.write_bytes(data)
    page = File.generated(config, f"{lang}/{rel}", abs_src_path=str(source))
    stem = rel[:-3]
    if config.use_directory_urls and not (stem == "index" or stem.endswith("/index")):
        dest = f"{stem}/index.html"  # (an index page is its folder's page: render.page_url)
    else:
        dest = f"{stem}.html"
    page.dest_uri = dest if lang == default else f"{lang}/{dest}"
    files.append(page)


_ALTERNATE = re.compile(r'[ \t]*<link rel="alternate" href="[^"]*" hreflang="[^"]*">\n?')


def drop_alternate_links(output: str) -> str:
    """Remove the `<link rel="alternate" hreflang>` tags of the page head.

    static-i18n points them at the same page in the other language, while Material expects a
    language's root there: it fetches `<href>/sitemap.xml` for each (`/fr/ai-ml/sitemap.xml`),
    a 404 and a console error on every page. The language selector in the header keeps its
    page-to-page links (they are separate `<a hreflang>` elements), so switching is unchanged.
    """
    end = output.find("</head>")  # (in the head only: the body can be long)
    return _ALTERNATE.sub("", output[:end]) + output[end:] if end >= 0 else _ALTERNATE.sub("", output)


_ROOTED_SWITCH = re.compile(r'(<a href=")(/[^"]*)(" hreflang="[^"]*" class="md-select__link")')


def relative_language_links(output: str, page_url: str, site_path: str = "/") -> str:
    """The language selector's links made relative to the page.

    On a language's home page static-i18n links the other languages from the server's root
    (`href="/fr/"`): on a site served under a path (`https://host/group/project/`), that leads
    off the site (with `site_url` set, it writes the path of the site's address: `site_path`).
    Every other page gets relative links; the home pages too, now."""
    from .render import relative_url

    def relative(match: re.Match) -> str:
        target = match.group(2)
        target = target[len(site_path):] if target.startswith(site_path) else target.lstrip("/")
        return match.group(1) + relative_url(page_url, target) + match.group(3)

    return _ROOTED_SWITCH.sub(relative, output)


def inside_language_build(config) -> bool:
    """True while static-i18n builds one language of several: it runs a whole MkDocs build per
    language and merges the search entries at the end of the outer build, so the site (and its
    search index) is complete only when the outer `on_post_build` runs."""
    return bool(getattr(config.plugins.get("i18n"), "building", False))
