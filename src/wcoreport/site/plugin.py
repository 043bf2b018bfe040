"""The `wcoreport` MkDocs plugin: the content core's checks and Markdown layer on the site."""

from __future__ import annotations

import os
import posixpath
import re
import time
from concurrent.futures import ThreadPoolExecutor
from importlib import resources
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files

from ..diagnostics import Severity
from ..markdown import citations as cites
from ..markdown.preprocess import Context, Target, expand
from ..outputs import DOWNLOADS_ENV
from ..pandoc import ToolError
from ..project import Project, load_project
from ..translations import State, Translation, project_translations
from ..typography import apply_to_html
from . import status
from .config import ReportPluginConfig
from .i18n_files import add_generated_page, current_language, drop_alternate_links, inside_language_build
from .pages import casestudy_page
from .search_split import point_search_at_language, split_search_index

log = get_plugin_logger(__name__)
CSS = "assets/wcoreport.css"
JS = "assets/catalogue.js"
STATUS_PAGE = "status.md"
# Folder of the built DOCX and PDF, set by `build_report.py` when it builds the site with the
# report: their download links are live only then (a plain `mkdocs build` shows them disabled).


def _fingerprint(root: Path) -> tuple:
    """Cheap identity of the sources, so each language build and unchanged reload reuse one load."""
    items = []
    for sub in ("docs", "casestudies"):
        for path in sorted((root / sub).rglob("*")) if (root / sub).is_dir() else []:
            st = path.stat()
            items.append((str(path), st.st_mtime_ns, st.st_size))
    for name in ("mkdocs.yml", "report.yml", "technologies.yml", "references.bib"):
        path = root / name
        if path.exists():
            st = path.stat()
            items.append((name, st.st_mtime_ns, st.st_size))
    return tuple(items)


class ReportPlugin(BasePlugin[ReportPluginConfig]):
    supports_multiple_instances = False

    def __init__(self):
        self._key: tuple | None = None
        self.project: Project | None = None
        self.rendered: dict[str, cites.RenderedCitations] = {}
        self.translations: dict[str, dict[str, Translation]] = {}
        self.info: status.SourceInfo | None = None
        self.downloads: set[str] = set()  # report files the build command puts in downloads/

    def on_config(self, config):
        """Load and check the content model; fail the build on errors, warn on warnings."""
        root = Path(self.config.root or Path(config.config_file_path).parent).resolve()
        key = _fingerprint(root)
        if key != self._key:
            self._load(root)
            self._key = key
        if CSS not in config.extra_css:
            config.extra_css.append(CSS)
        if JS not in [str(s) for s in config.extra_javascript]:
            config.extra_javascript.append(JS)
        self.info = status.source_info(root, self.project.docs_dir)
        self.downloads = set(filter(None, os.environ.get(DOWNLOADS_ENV, "").split(os.pathsep)))
        return config

    def _load(self, root: Path) -> None:
        try:
            project = load_project(root)
        except Exception as exc:  # ContentError: nothing more can be loaded
            problems = getattr(exc, "problems", None)
            if problems is None:
                raise
            raise PluginError("the sources have errors:\n" + "\n".join(str(p) for p in problems)) from None
        errors = [p for p in project.problems.items if p.severity is Severity.ERROR]
        for problem in project.problems.items:
            if problem.severity is Severity.WARNING:
                log.warning(str(problem))
        if errors:
            raise PluginError("the sources have errors:\n" + "\n".join(str(p) for p in errors))
        if any(c.name == STATUS_PAGE for c in project.chapters):
            raise PluginError(f"a chapter may not be called '{STATUS_PAGE}': the site generates that page")
        self.project = project
        self.translations = project_translations(project)
        # Built with the report (build_report.py), the site gets its citations formatted by the
        # report's citeproc runs, on the first load only (the sources may change when serving).
        given = _given_citations() if self._key is None else {}
        missing = [lang for lang in project.languages if lang not in given]
        try:
            # One pandoc run a language; they run side by side (pandoc is a separate process).
            with ThreadPoolExecutor(max_workers=max(1, len(missing))) as pool:
                rendered = dict(zip(missing, pool.map(self._render_citations, missing)))
        except ToolError as exc:
            raise PluginError(str(exc)) from None
        self.rendered = {lang: given[lang] if lang in given else rendered[lang] for lang in project.languages}

    def _render_citations(self, lang: str) -> cites.RenderedCitations:
        """Every citation of the language, formatted by citeproc in one pandoc run."""
        project = self.project
        found = cites.citations_of(project, lang)
        return cites.render_citations(found, lang, project.bibliography.path, project.locale(lang))

    @event_priority(-200)  # after mkdocs-static-i18n (-100), see i18n_files.py
    def on_files(self, files: Files, config) -> Files:
        """Add our stylesheet and the generated pages (one per case study) of the language built."""
        project = self.project
        for asset in (CSS, JS):
            if files.get_file_from_path(asset) is None:
                text = resources.files("wcoreport.site").joinpath(asset).read_text("utf-8")
                files.append(File.generated(config, asset, content=text))
        lang = current_language(config, project.languages)
        titles = {c.name: c.texts[lang].title for c in project.chapters if lang in c.texts}
        for cid in project.casestudies:
            rel = f"{self.config.casestudies_dir}/{cid}.md"
            content = casestudy_page(cid, self._context(lang, rel, config), titles)
            add_generated_page(files, config, lang, project.languages[0], rel, content)
        add_generated_page(files, config, lang, project.languages[0], STATUS_PAGE, self._status_page(lang, config))
        return files

    def _status_page(self, lang: str, config) -> str:
        rows = []
        for chapter in self.project.chapters:
            text = chapter.texts.get(lang)
            if text is None:
                continue
            rows.append(status.StatusRow(chapter.name, text.title, text.meta.status, status.word_count(text.body),
                                         self.info.last_change(text.path), self.translations[chapter.name]))
        link = self._linker(STATUS_PAGE, config.use_directory_urls)
        return status.status_page(lang, rows, link, self.project.languages)

    def _context(self, lang: str, page_rel: str, config) -> Context:
        return Context(self.project, lang, Target.SITE, type(self.project.problems)(self.project.root),
                       rendered=self.rendered.get(lang), link=self._linker(page_rel, config.use_directory_urls),
                       page=page_rel)

    @staticmethod
    def _linker(page_rel: str, directory_urls: bool):
        """Links from a page to the other pages of its language folder (by their paths there)."""
        here = _page_path(page_rel, directory_urls)
        return lambda target_rel: _relative(here, _page_path(target_rel, directory_urls))

    def on_page_markdown(self, markdown: str, page, config, files):
        """Expand the project's directives, admonitions and citations for Python-Markdown."""
        lang, _, rel = page.file.src_uri.partition("/")
        if self.project is None or lang not in self.project.languages:
            return markdown
        ctx = self._context(lang, rel, config)
        chapter = next((c.texts[lang] for c in self.project.chapters if c.name == rel and lang in c.texts), None)
        first_line = chapter.body_line if chapter else 1
        return expand(markdown, Path(page.file.abs_src_path or page.file.src_uri), first_line, ctx)

    def on_page_content(self, html: str, page, config, files):
        """Banners (draft, out-of-date translation), the review badge; French typography."""
        lang, _, rel = page.file.src_uri.partition("/")
        if self.project is not None and lang in self.project.languages:
            html = self._banners(html, lang, rel, page.url, config)
        if lang == "fr":  # by the same rule as the report
            return apply_to_html(html)
        return html

    def _banners(self, html: str, lang: str, rel: str, url: str, config) -> str:
        project = self.project
        after_title = ""
        chapter = next((c for c in project.chapters if c.name == rel and lang in c.texts), None)
        if chapter is not None:
            after_title += status.badge(chapter.texts[lang].meta.status, lang)
            state = self.translations[chapter.name][lang]
            if state.state is State.STALE:
                source = self._page_url(state.source_lang, rel, config)
                after_title += status.stale_banner(state, lang, _relative(url, source))
        if after_title:
            html = re.sub(r"</h1>", lambda m: m.group(0) + after_title, html, count=1)
        downloads = []
        for fmt in ("pdf", "docx"):
            name = f"{project.metadata.output_name}-{lang}.{fmt}"
            present = name in self.downloads
            downloads.append((fmt.upper(), _relative(url, f"downloads/{name}") if present else None))
        status_url = _relative(url, self._page_url(lang, STATUS_PAGE, config))
        return status.site_banner(self.info, lang, downloads, status_url, project.metadata.final) + html

    def _page_url(self, lang: str, rel: str, config) -> str:
        """The URL, from the site root, of a page given by its language and path in that folder."""
        path = _page_path(rel, config.use_directory_urls)
        return path if lang == self.project.languages[0] else f"{lang}/{path}"

    def on_post_page(self, output: str, page, config):
        """Fix the page head: no language-root alternates (i18n_files.py); search in its language."""
        output = drop_alternate_links(output)
        lang = page.file.src_uri.partition("/")[0]
        if self.project is not None and lang in self.project.languages[1:]:
            return point_search_at_language(output, lang)
        return output

    def on_serve(self, server, config, builder):
        """Live preview: also rebuild when a case study, the bibliography or the metadata changes."""
        if self.project is not None:
            root = self.project.root
            for path in (root / "casestudies", root / "references.bib", root / "report.yml",
                         root / "technologies.yml"):
                if path.exists():
                    server.watch(str(path))
        return server

    @event_priority(-200)  # after mkdocs-static-i18n has built every language and the whole index
    def on_post_build(self, config):
        """Split the search index per language."""
        if self.project is None or inside_language_build(config):
            return
        started = time.perf_counter()
        site = Path(config.site_dir)
        counts = split_search_index(site, self.project.languages)
        log.debug("search index split per language %s in %.3f s", counts, time.perf_counter() - started)


def _given_citations() -> dict[str, cites.RenderedCitations]:
    """The citations the build command formatted for this build, by language (may be none)."""
    path = os.environ.get(cites.CITATIONS_ENV)
    if not path:
        return {}
    try:
        return cites.load_rendered(Path(path))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}  # formatted here instead


def _page_path(rel: str, directory_urls: bool) -> str:
    """The URL of a page inside its language's part of the site, from its path in the folder."""
    stem = rel[:-3]
    if stem == "index" or stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/" if directory_urls else stem + ".html"


def _relative(page_url: str, target: str) -> str:
    """The link from a page (its URL from the site root) to another URL from the site root."""
    base = page_url if page_url.endswith("/") or not page_url else posixpath.dirname(page_url) + "/"
    rel = posixpath.relpath("/" + target, "/" + base)
    if rel == ".":
        return "./"
    return rel + "/" if target.endswith("/") else rel
