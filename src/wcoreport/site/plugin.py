"""The `wcoreport` MkDocs plugin: the content core's checks and Markdown layer on the site."""

from __future__ import annotations

import posixpath
from importlib import resources
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files

from ..diagnostics import Severity
from ..markdown import citations as cites
from ..markdown.preprocess import Context, Target, expand
from ..pandoc import ToolError
from ..project import Project, load_project
from ..typography import apply_to_html
from .config import ReportPluginConfig
from .i18n_files import add_generated_page, current_language
from .pages import casestudy_page

log = get_plugin_logger(__name__)
CSS = "assets/wcoreport.css"


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

    def on_config(self, config):
        """Load and check the content model; fail the build on errors, warn on warnings."""
        root = Path(self.config.root or Path(config.config_file_path).parent).resolve()
        key = _fingerprint(root)
        if key != self._key:
            self._load(root)
            self._key = key
        if CSS not in config.extra_css:
            config.extra_css.append(CSS)
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
        self.project = project
        try:
            self.rendered = {lang: self._render_citations(lang) for lang in project.languages}
        except ToolError as exc:
            raise PluginError(str(exc)) from None

    def _render_citations(self, lang: str) -> cites.RenderedCitations:
        """Every citation of the language, formatted by citeproc in one pandoc run."""
        project = self.project
        found: set[str] = set()
        scratch = type(project.problems)(project.root)  # problems were reported by the checks
        for chapter in project.chapters:
            text = chapter.texts.get(lang)
            if text:
                ctx = Context(project, lang, Target.PANDOC, scratch)
                found.update(c.text for c in cites.find_citations(expand(text.body, text.path, text.body_line, ctx)))
        for study in project.casestudies.values():
            found.update(c.text for c in cites.find_citations(study.texts.get(lang, "")))
        return cites.render_citations(found, lang, project.bibliography.path, project.locale(lang))

    @event_priority(-200)  # after mkdocs-static-i18n (-100), see i18n_files.py
    def on_files(self, files: Files, config) -> Files:
        """Add our stylesheet and the generated pages (one per case study) of the language built."""
        project = self.project
        css = resources.files("wcoreport.site").joinpath("assets/wcoreport.css").read_text("utf-8")
        if files.get_file_from_path(CSS) is None:
            files.append(File.generated(config, CSS, content=css))
        lang = current_language(config, project.languages)
        titles = {c.name: c.texts[lang].title for c in project.chapters if lang in c.texts}
        for cid in project.casestudies:
            rel = f"{self.config.casestudies_dir}/{cid}.md"
            content = casestudy_page(cid, self._context(lang, rel, config), titles)
            add_generated_page(files, config, lang, project.languages[0], rel, content)
        return files

    def _context(self, lang: str, page_rel: str, config) -> Context:
        return Context(self.project, lang, Target.SITE, type(self.project.problems)(self.project.root),
                       rendered=self.rendered.get(lang), link=self._linker(page_rel, config.use_directory_urls),
                       page=page_rel)

    @staticmethod
    def _linker(page_rel: str, directory_urls: bool):
        def url(rel: str) -> str:
            if rel == "index.md" or rel.endswith("/index.md"):
                return rel[: -len("index.md")]
            return rel[:-3] + "/" if directory_urls else rel[:-3] + ".html"

        here = url(page_rel)
        base = here if here.endswith("/") or not here else posixpath.dirname(here) + "/"

        def link(target_rel: str) -> str:
            target = url(target_rel)
            rel = posixpath.relpath("/" + target, "/" + base)
            if rel == ".":
                return "./"
            return rel + "/" if target.endswith("/") else rel

        return link

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
        """French typography, by the same rule as the report."""
        if page.file.src_uri.startswith("fr/"):
            return apply_to_html(html)
        return html
