"""Generated pages under mkdocs-static-i18n: the one place that knows how that plugin works.

static-i18n rebuilds every File from the docs folder on disk, so a page generated in memory
(`File.generated`) makes it fail. We add our pages after it has sorted the files of the language
being built, with the destination it gives its own pages: `x/` for the default language,
`fr/x/` for the others.
"""

from __future__ import annotations

from mkdocs.structure.files import File, Files


def current_language(config, languages: tuple[str, ...]) -> str:
    i18n = config.plugins.get("i18n")
    return getattr(i18n, "current_language", None) or languages[0]


def add_generated_page(files: Files, config, lang: str, default: str, rel: str, content: str) -> None:
    page = File.generated(config, f"{lang}/{rel}", content=content)
    stem = rel[:-3]
    if config.use_directory_urls:
        dest = f"{stem}/index.html"
    else:
        dest = f"{stem}.html"
    page.dest_uri = dest if lang == default else f"{lang}/{dest}"
    files.append(page)
