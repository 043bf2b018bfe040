"""The `wcoreport` MkDocs plugin: the content core's checks and Markdown layer on the site."""

from __future__ import annotations

import os
import re
from html import escape as html_escape
import time
from concurrent.futures import ThreadPoolExecutor
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files

from mkdocs.structure.toc import get_toc

from ..pipeline.cache import digest
from ..sources.diagnostics import ContentError, Severity
from ..markdown.blocks import remember
from ..markdown.gate import CASESTUDY_PAGES, ProjectAnalysis, check_project
from ..pipeline.outputs import DOWNLOADS_ENV
from ..pipeline.pandoc import ToolError
from ..sources.project import Project, load_project
from ..text.strings import text as label
from ..text.typography import apply_to_html
from ..translation.translations import State, Translation, project_translations
from ..sources.vocabulary import REGIONS, SOURCES
from . import assessment_pages, changes, comments, hosting, sidebyside, status, templates
from .catalogue import submissions_section
from .config import ReportPluginConfig
from .i18n_files import (add_generated_page, current_language, drop_alternate_links, inside_language_build,
                         relative_language_links)
from .preview import SitePages
from .handover import fingerprint, received
from .render import RenderedPage, page_url, relative_url
from .search_split import point_search_at_language, split_search_index
from .watch import native_observer

log = get_plugin_logger(__name__)
CSS = "assets/wcoreport.css"
JS = "assets/catalogue.js"
ASSESSMENT_JS = "assets/assessment.js"  # the self-assessment tools' pages (assessment_pages.py)
STATUS_PAGE = "status.md"


class ReportPlugin(BasePlugin[ReportPluginConfig]):
    supports_multiple_instances = False

    def __init__(self):
        self._key: tuple | None = None
        self.project: Project | None = None
        self.analysis: ProjectAnalysis | None = None
        self.rendered: dict[str, dict[str, RenderedPage]] = {}  # lang -> page -> its HTML
        self.translations: dict[str, dict[str, Translation]] = {}
        self.info: status.SourceInfo | None = None
        self.downloads: set[str] = set()  # report files the build command puts in downloads/
        # Kept across the reloads of `mkdocs serve` (the plugin lives as long as the server:
        # on_startup): the pages made, what each page showed, each page's search entries.
        self.site_pages = SitePages()
        self._shown: dict[tuple[str, str], str] = {}  # (lang, page) -> _shows() at the last build
        self._search_pages: dict[str, list[dict]] = {}  # page -> its search entries (search_split.py)
        self._templates = templates.CompiledTemplates()
        self.dirty = False  # builds of `mkdocs serve --dirty` (on_startup)
        self._whole: dict[str, str] = {}  # generated page -> its HTML, from page_markdown to page_content
        self._hosting_assets: list[str] = []  # our files the site's hosting needs (hosting.py)
        self._numbers: dict[str, dict[tuple[str, int], int]] = {}  # lang -> paragraph numbers (comments.py)

    def on_config(self, config):
        """Load and check the content model; fail the build on errors, warn on warnings."""
        root = Path(self.config.root or Path(config.config_file_path).parent).resolve()
        key = fingerprint(root)
        if key != self._key:
            self._load(root, config.use_directory_urls)
            self._key = key
        self._hosting_assets = hosting.configure(config)  # address, version selector, offline (hosting.py)
        if CSS not in config.extra_css:
            config.extra_css.append(CSS)
        for script in (JS, ASSESSMENT_JS):
            if script not in [str(s) for s in config.extra_javascript]:
                config.extra_javascript.append(script)
        self.info = status.source_info(root, self.project.docs_dir)
        self.downloads = set(filter(None, os.environ.get(DOWNLOADS_ENV, "").split(os.pathsep)))
        return config

    def _load(self, root: Path, directory_urls: bool) -> None:
        # Built by the build command, the site gets the project it checked and the pages it made
        # from the report's own citeproc runs (handover.py), on the first load only (the
        # sources may change when serving); the build command has printed the problems.
        handed = received(root) if self._key is None else None
        if handed is not None:
            log.debug("the project, its checks and its pages come from the build command")
            project, analysis = handed.project, handed.analysis
            remember(handed.blocks)
            os.environ[DOWNLOADS_ENV] = os.pathsep.join(handed.downloads)  # (on_config reads it)
        else:
            try:
                project = load_project(root)
                analysis = check_project(project, parity=None)  # shown on the side-by-side pages, not a build error
            except ContentError as exc:  # nothing more can be loaded
                raise PluginError("the sources have errors:\n" + "\n".join(str(p) for p in exc.problems)) from None
            for problem in project.problems.items:
                if problem.severity is Severity.WARNING:
                    log.warning(str(problem))
        errors = [p for p in project.problems.items if p.severity is Severity.ERROR]
        if errors or project.metadata is None:
            raise PluginError("the sources have errors:\n" + "\n".join(str(p) for p in errors))
        if any(c.name == STATUS_PAGE for c in project.chapters):
            raise PluginError(f"a chapter may not be called '{STATUS_PAGE}': the site generates that page")
        self.project, self.analysis = project, analysis
        self._numbers = {}
        self.translations = project_translations(project)
        given = handed.pages if handed is not None and directory_urls else {}  # (made for directory URLs)
        missing = [lang for lang in project.languages if lang not in given]
        try:
            # A reload of `mkdocs serve` makes again only the pages an edit reaches (preview.py).
            with ThreadPoolExecutor(max_workers=max(1, len(missing))) as pool:
                made = dict(zip(missing, pool.map(
                    lambda lang: self.site_pages.pages(project, analysis, lang, directory_urls), missing)))
        except ToolError as exc:
            raise PluginError(str(exc)) from None
        if self.site_pages.remade:
            log.info("pages made again: " + ", ".join(f"{lang} {n}" for lang, n in self.site_pages.remade.items()))
        self.rendered = {lang: given[lang] if lang in given else made[lang] for lang in project.languages}

    def on_startup(self, command: str, dirty: bool) -> None:
        """(Defined, this event keeps the plugin alive across the reloads of `mkdocs serve`.)"""
        self.dirty = dirty

    def on_pre_build(self, config) -> None:
        if self.dirty and not inside_language_build(config):
            # Material's search merges a dirty build's index with the last one as if one page
            # were built; we merge it ourselves (search_split.py).
            for name in ("material/search", "search"):
                search = config.plugins.get(name)
                if search is not None and hasattr(search, "search_index_prev"):
                    search.search_index_prev = None

    def on_env(self, env, config, files):
        return templates.install(env, self._templates)  # (templates.py)

    @event_priority(-200)  # after mkdocs-static-i18n (-100), see i18n_files.py
    def on_files(self, files: Files, config) -> Files:
        """Add our stylesheet and the generated pages (one per case study) of the language built."""
        project = self.project
        for asset in (CSS, JS, ASSESSMENT_JS, *self._hosting_assets):
            if files.get_file_from_path(asset) is None:
                text = resources.files("wcoreport.site").joinpath(asset).read_text("utf-8")
                files.append(File.generated(config, asset, content=text))
        lang = current_language(config, project.languages)
        # Only a dirty reload (`./run serve`) needs to know which pages show something new.
        shows = self._shows if self.dirty else lambda _lang, _rel: ""
        for cid in project.casestudies:  # their HTML comes in on_page_content; here what it shows
            rel = f"{CASESTUDY_PAGES}/{cid}.md"
            add_generated_page(files, config, lang, project.languages[0], rel, f"<!-- {shows(lang, rel)} -->")
        for file in files.documentation_pages() if self.dirty else ():
            # A page of docs/ whose HTML changed since the last build of this process is built
            # again by a dirty reload (`./run serve`), even though its own file did not change.
            # (Our generated pages change their file instead: add_generated_page.)
            page_lang, _, rel = file.src_uri.partition("/")
            if page_lang == lang and file.generated_by is None and rel in self.rendered.get(lang, {}):
                now = self._shows(lang, rel)
                if self._shown.get((lang, rel)) not in (None, now):
                    file.content_string = file.content_string
                self._shown[(lang, rel)] = now
        add_generated_page(files, config, lang, project.languages[0], STATUS_PAGE, self._status_page(lang, config))
        for tool in project.assessments.values():
            rel = assessment_pages.page_name(tool.id)
            add_generated_page(files, config, lang, project.languages[0], rel, self._tool_page(tool, lang, config))
        self._add_side_by_side(files, config, lang)
        return files

    def _add_side_by_side(self, files: Files, config, lang: str) -> None:
        """One side-by-side page per translated chapter (sidebyside.py), in the language built."""
        numbers: dict = {}  # paragraph numbers by language, counted once for all the pages
        for (name, _target), parity in self.analysis.parity.items():
            chapter = next(c for c in self.project.chapters if c.name == name)
            if lang in chapter.texts:
                page = sidebyside.chapter_page(self.project, self.analysis, self.translations, parity, lang,
                                               chapter.texts[lang].title, numbers, self.rendered,
                                               config.use_directory_urls)
                add_generated_page(files, config, lang, self.project.languages[0], sidebyside.page_name(name), page)

    def _tool_page(self, tool, lang: str, config) -> str:
        """A self-assessment tool's page (assessment_pages.py), with its paper files if built."""
        here = _page_path(assessment_pages.page_name(tool.id), config.use_directory_urls)
        if lang != self.project.languages[0]:
            here = f"{lang}/{here}"
        link = lambda target: relative_url(here, self._page_url(lang, target, config))  # noqa: E731
        names = assessment_pages.paper_names(self.project.metadata.output_name, tool.id, lang)
        downloads = {fmt: relative_url(here, f"downloads/{name}") if name in self.downloads else None
                     for fmt, name in names.items()}
        return assessment_pages.tool_page(self.project, tool, lang, link, downloads)

    def _shows(self, lang: str, rel: str) -> str:
        """What a page shows but the theme's frame: its HTML and what the banners say."""
        rendered = self.rendered[lang][rel]
        chapter = next((c for c in self.project.chapters if c.name == rel), None)
        state = self.translations.get(rel, {}).get(lang) if chapter is not None else None
        status_ = chapter.texts[lang].meta.status if chapter is not None and lang in chapter.texts else None
        info = self.info
        others = [self.rendered[other][rel].html for other in self.project.languages  # (the drift banner)
                  if other != lang and rel in self.rendered.get(other, {})] if chapter is not None else []
        return digest([rendered.html, rendered.title, repr(rendered.toc), repr(state), repr(status_), *others,
                       repr((info.build_date, info.version, info.modified) if info else None),
                       repr(sorted(self.downloads))])

    def _status_page(self, lang: str, config) -> str:
        rows = []
        for chapter in self.project.chapters:
            text = chapter.texts.get(lang)
            if text is None:
                continue
            rows.append(status.StatusRow(chapter.name, text.title, text.meta.status, status.word_count(text.body),
                                         self.info.last_change(text.path), self.translations[chapter.name]))
        here = _page_path(STATUS_PAGE, config.use_directory_urls)
        link = lambda target: relative_url(here, _page_path(target, config.use_directory_urls))  # noqa: E731
        return (status.status_page(lang, rows, link, self.project.languages)
                + sidebyside.status_section(self.project, self.analysis, self.translations, lang, link)
                + submissions_section(self.project, lang, link))

    def _page_of(self, page) -> tuple[str, str, RenderedPage | None]:
        lang, _, rel = page.file.src_uri.partition("/")
        if self.project is None or lang not in self.project.languages:
            return lang, rel, None
        return lang, rel, self.rendered.get(lang, {}).get(rel)

    def on_page_markdown(self, markdown: str, page, config, files):
        """Chapters and case studies are not read by MkDocs: their HTML comes from the shared
        document (render.py). Here only their title and description, as escaped text."""
        lang, rel, rendered = self._page_of(page)
        if rendered is None:
            if rel.startswith(assessment_pages.FOLDER + "/") and lang in self.project.languages:
                tool = self.project.assessments.get(rel[len(assessment_pages.FOLDER) + 1:-3])
                if tool is not None:
                    page.meta["title"] = html_escape(tool.title[lang])
                self._whole[page.file.src_uri] = markdown  # HTML we made whole (as below)
                return ""
            if rel.startswith(sidebyside.FOLDER + "/") and lang in self.project.languages:
                # Out of the search: it holds both languages' text, and search is per language.
                page.meta["search"] = {"exclude": True}
                # HTML we made whole: kept from Python-Markdown, which would only parse it to
                # leave it as it is (on_page_content puts it back).
                self._whole[page.file.src_uri] = markdown
                return ""
            return markdown  # a page we generate whole (the status page)
        chapter = next((c.texts[lang] for c in self.project.chapters if c.name == rel and lang in c.texts), None)
        if chapter is not None:
            title = chapter.title
            description = chapter.meta.description
        else:
            study = self.project.casestudies[rel[len(CASESTUDY_PAGES) + 1:-3]]
            title = study.title(lang)
            description = None
            page.edit_url = hosting.source_edit_url(config, self.project.root, study.text_path(lang))
        # The theme writes both into the page (and the title into the search index) unescaped.
        page.meta["title"] = html_escape(title)
        if description is not None:
            page.meta["description"] = html_escape(description)
        else:
            page.meta.pop("description", None)
        return ""

    def on_page_content(self, html: str, page, config, files):
        """The page's HTML from the shared document; banners (draft, out-of-date translation),
        the review badge."""
        lang, rel, rendered = self._page_of(page)
        if self.project is None or lang not in self.project.languages:
            return html
        body = self._whole.pop(page.file.src_uri, html)  # a page we generate whole
        if rendered is not None:
            page.toc = get_toc(rendered.toc)
            body = rendered.html
            if rel.startswith(CASESTUDY_PAGES + "/"):
                body = self._casestudy_page(lang, rel, body, page.url, config)
            else:
                body = self._comment_links(body, lang, rel, page.url, config)
        body = changes.on_page_content(self.project, self.analysis, lang, rel, body,  # since review rounds
                                       lambda name: _relative(page.url, self._page_url(lang, name, config)),
                                       config.use_directory_urls)
        return self._banners(body, lang, rel, page.url, config)

    def _comment_links(self, body: str, lang: str, rel: str, url: str, config) -> str:
        """A link to comment on each numbered paragraph, where a forge or an address is set."""
        target = self.config.comments
        if target == "off" or (target == "issues" and not config.repo_url):
            return body
        chapter = next((c for c in self.project.chapters if c.name == rel and lang in c.texts), None)
        if chapter is None or chapter.annex:
            return body
        if lang not in self._numbers:
            self._numbers[lang] = sidebyside.paragraph_numbers(self.project, self.analysis, lang)
        numbers = [n for (name, _index), n in sorted(self._numbers[lang].items()) if name == rel]
        address = (config.site_url or "") + url
        return comments.add_comment_links(body, numbers, lang, chapter.texts[lang].title, address,
                                          lambda title, text: comments.form_url(target, config.repo_url, title, text))

    def _casestudy_page(self, lang: str, rel: str, body: str, url: str, config) -> str:
        """A case study's own page: its metadata, its box, and the chapters that show it."""
        project = self.project
        cid = rel[len(CASESTUDY_PAGES) + 1:-3]
        study = project.casestudies[cid]
        techs = ", ".join(project.technologies[t].names[lang] for t in study.meta.technologies
                          if t in project.technologies)
        member = study.member_name(lang)
        if study.meta.administration:
            member = f"{member} ({study.meta.administration[lang]})"
        rows = [("member", member), ("region", REGIONS[study.meta.region][lang]), ("technologies", techs),
                ("year", str(study.meta.year)), ("source", SOURCES[study.meta.source][lang])]
        table = "".join(f"<tr><th>{html_escape(label(k, lang))}</th><td>{html_escape(v)}</td></tr>" for k, v in rows)
        users = self.analysis.casestudy_users.get(lang, {}).get(cid, [])
        titles = {c.name: c.texts[lang].title for c in project.chapters if lang in c.texts}
        used = ""
        if users:
            items = "".join(f'<li><a href="{html_escape(relative_url(url, self._page_url(lang, name, config)))}">'
                            f"{html_escape(titles.get(name, name))}</a></li>" for name in users)
            used = f'<h2 id="used-in">{html_escape(label("used_in", lang))}</h2><ul class="wco-used-in">{items}</ul>'
        return (f"<h1>{html_escape(study.title(lang))}</h1>"
                f'<table class="wco-casestudy-meta">{table}</table>{body}{used}')

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
                after_title += self._drift_banner(lang, rel, url, config)
        if after_title:
            after_title = apply_to_html(after_title, lang)
        if after_title:
            html = re.sub(r"</h1>", lambda m: m.group(0) + after_title, html, count=1)
        downloads = []
        for fmt in ("pdf", "docx"):
            name = f"{project.metadata.output_name}-{lang}.{fmt}"
            present = name in self.downloads
            downloads.append((fmt.upper(), _relative(url, f"downloads/{name}") if present else None))
        status_url = _relative(url, self._page_url(lang, STATUS_PAGE, config))
        banners = status.site_banner(self.info, lang, downloads, status_url, project.metadata.final)
        banners = apply_to_html(banners, lang)  # the page itself was typeset on its tree
        return banners + html

    def _drift_banner(self, lang: str, rel: str, url: str, config) -> str:
        """Under the stale banner: which source blocks changed, with their diff (sidebyside.py)."""
        changes = sidebyside.chapter_drift(self.project, self.analysis, self.translations, rel, lang)
        href = _relative(url, self._page_url(lang, sidebyside.page_name(rel), config))
        blocks = sidebyside.source_blocks_by_line(self.analysis, self.translations, rel, lang)
        return sidebyside.drift_banner(changes, lang, href, blocks)

    def _page_url(self, lang: str, rel: str, config) -> str:
        """The URL, from the site root, of a page given by its language and path in that folder."""
        path = _page_path(rel, config.use_directory_urls)
        return path if lang == self.project.languages[0] else f"{lang}/{path}"

    def on_post_page(self, output: str, page, config):
        """Fix the page head: no language-root alternates (i18n_files.py); search in its language."""
        site_path = urlsplit(config.site_url or "").path or "/"
        output = relative_language_links(drop_alternate_links(output), page.url, site_path)
        lang = page.file.src_uri.partition("/")[0]
        if self.project is not None and lang in self.project.languages[1:]:
            return point_search_at_language(output, lang)
        return output

    def on_serve(self, server, config, builder):
        """Live preview: also rebuild when a case study, the bibliography or the metadata changes."""
        if self.project is not None:
            root = self.project.root
            for path in (root / "casestudies", root / "data", root / "assessments", root / "references.bib", root / "report.yml",
                         root / "technologies.yml"):
                if path.exists():
                    server.watch(str(path))
        if self.config.file_events:
            native_observer(server)  # told of a save at once (watch.py)
        return server

    @event_priority(-200)  # after mkdocs-static-i18n has built every language and the whole index
    def on_post_build(self, config):
        """Split the search index per language."""
        if self.project is None or inside_language_build(config):
            return
        started = time.perf_counter()
        site = Path(config.site_dir)
        counts = split_search_index(site, self.project.languages, self._search_pages if self.dirty else None,
                                    scripts=hosting.offline(config))
        log.debug("search index split per language %s in %.3f s", counts, time.perf_counter() - started)


def _page_path(rel: str, directory_urls: bool) -> str:
    return page_url(rel, directory_urls)


_relative = relative_url
