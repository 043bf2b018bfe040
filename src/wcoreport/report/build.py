"""Build the report, DOCX and PDF, in every language.

For each language, pandoc runs citeproc once (Markdown -> pandoc JSON); DOCX and Typst are both
written from that one result. Languages are built in parallel. When the site is built too, that
same citeproc run formats the site's citations (see `prepare_language`).
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Callable

from ..markdown import citations as cites
from ..outputs import atomic_write
from ..pandoc import ToolError, run_pandoc
from ..project import Project
from .assemble import assemble
from .docx_package import set_title
from .docx_reference import build_reference_docx
from .french_text import apply_french_spacing
from .numbering import number_document
from .styled_blocks import render_styled_blocks

FORMATS = ("docx", "pdf")
# PDF/UA-1 (accessible): Typst checks it (a title, alt text on every image...) and refuses to
# write a PDF that breaks it.
PDF_STANDARDS = ["ua-1"]

Progress = Callable[[str], None]
# The Div, appended to a language's Markdown, that holds the site's citations in the report's
# citeproc run; removed from the document right after it.
SITE_CITATIONS = "wcoreport-site-citations"
# The document format (pandoc-api-version) the Python passes on pandoc's JSON are written for
# (numbering.py, styled_blocks.py; at least this one, as the Lua filters they replace required).
PANDOC_API = (1, 23)


def check_pandoc_api(doc: dict) -> dict:
    version = tuple(doc.get("pandoc-api-version", ())[:2])
    if version < PANDOC_API:
        raise ToolError(f"pandoc writes document format {'.'.join(map(str, version)) or '?'}, the report needs "
                        f"{'.'.join(map(str, PANDOC_API))} or later: install the project's packages (pypandoc-binary)")
    return doc


def _resource(name: str) -> Path:
    return Path(str(resources.files("wcoreport.report").joinpath(name)))


@dataclass(frozen=True)
class Output:
    lang: str
    format: str
    path: Path


def output_path(project: Project, out_dir: Path, lang: str, fmt: str) -> Path:
    return out_dir / f"{project.metadata.output_name}-{lang}.{fmt}"


@dataclass
class Prepared:
    """A language's document after the shared step, and what it gave the site, if asked."""

    lang: str
    numbered: dict = field(repr=False)  # citations formatted, numbered; not yet French-spaced
    site: cites.RenderedCitations | None = None
    _doc: dict | None = field(default=None, repr=False)

    @property
    def doc(self) -> dict:
        """The document the writers get (French spacing applied on first use: after the site
        has its citations, so that the site does not wait for it)."""
        if self._doc is None:
            self._doc = _typography(self.lang, self.numbered)
        return self._doc


def _typography(lang: str, doc: dict) -> dict:
    return apply_french_spacing(doc) if lang == "fr" else doc


def to_pandoc_json(project: Project, lang: str, markdown: str) -> dict:
    """Markdown -> pandoc JSON, citations formatted, sections and body paragraphs numbered."""
    return _typography(lang, _stage_one(project, lang, markdown, None)[0])


def _stage_one(project: Project, lang: str, markdown: str,
               site_citations: set[str] | None) -> tuple[dict, cites.RenderedCitations | None]:
    args = [
        "-f", "markdown", "-t", "json",
        "--citeproc", f"--bibliography={project.bibliography.path}",
        "-M", f"lang={project.locale(lang)}", "-M", "link-citations=false",
        "-M", f"title={project.metadata.title[lang]}",
        f"--resource-path={project.docs_dir / lang}",
    ]
    # nocite in a YAML block: given with -M, "@*" is a plain string that citeproc ignores.
    source = "---\nnocite: '@*'\n---\n\n" + markdown
    if site_citations is None:
        raw = run_pandoc(args, source)
        doc, site = check_pandoc_api(json.loads(raw)), None
    else:
        doc, site = _with_site_citations(args, source, markdown, sorted(site_citations))
        if doc is None:  # the Markdown swallowed our Div (e.g. an unclosed fence): no shortcut
            return _stage_one(project, lang, markdown, None)
    # Citeproc has done its work; the file's absolute path would otherwise land in the DOCX's
    # custom properties, and make two checkouts build different bytes.
    doc.get("meta", {}).pop("bibliography", None)
    number_document(doc)
    return doc, site


# The site's citations come from the report's own citeproc run, at no citeproc cost: each one
# the site writes is parsed by pandoc (no citeproc), and its citation data (keys, prefix,
# suffix, mode) finds the same citation in the report, whose formatted text is the site's.
# Citations the report may not hold as such (e.g. in a case study it leaves out) are appended
# to the report's Markdown in a Div, formatted with it, then taken out of the document.
_CITE = '{"t":"Cite","c":'


def _cite_key(citations: list[dict]) -> str:
    """A citation's data without what depends on its place in the document."""
    return repr([[(k, v) for k, v in c.items() if k != "citationNoteNum" and k != "citationHash"]
                 for c in citations])


def _with_site_citations(args: list[str], source: str, markdown: str,
                         ordered: list[str]) -> tuple[dict | None, cites.RenderedCitations | None]:
    # The site and the report read citations alike (citations.py), so only those the report
    # does not hold as written need formatting beside it.
    in_report = {c.text for c in cites.find_citations(markdown)}
    extra = [text for text in ordered if text not in in_report]
    if extra:
        source += f"\n\n:::: {{#{SITE_CITATIONS}}}\n\n" + cites.citation_blocks(extra) + "\n::::\n"
    with ThreadPoolExecutor(max_workers=1) as pool:  # pandoc parses them while citeproc runs
        parsed_job = pool.submit(run_pandoc, ["-f", "markdown", "-t", "json"], cites.citation_blocks(ordered))
        raw = run_pandoc(args, source)
        parsed = json.loads(parsed_job.result())
    doc = check_pandoc_api(json.loads(raw))
    if extra:
        blocks = doc["blocks"]
        index = next((i for i in range(len(blocks) - 1, -1, -1)
                      if blocks[i]["t"] == "Div" and blocks[i]["c"][0][0] == SITE_CITATIONS), None)
        if index is None:
            return None, None
        del blocks[index]
    # The formatted Cites, found in pandoc's output text (a quote inside a string is escaped,
    # so the marker only starts real Cite objects); the first of each wins.
    text = raw.decode("utf-8")
    decoder = json.JSONDecoder()
    formatted: dict[str, dict] = {}
    at = text.find(_CITE)
    while at != -1:
        cite, end = decoder.raw_decode(text, at)
        formatted.setdefault(_cite_key(cite["c"][0]), cite)
        at = text.find(_CITE, end)
    blocks = []
    for i, div in enumerate(parsed["blocks"]):
        content = div["c"][1] if div["t"] == "Div" and div["c"][0][0] == f"wco-cite-{i}" else []
        if not (len(content) == 1 and content[0]["t"] == "Para" and len(content[0]["c"]) == 1
                and content[0]["c"][0]["t"] == "Cite"):
            return doc, None  # not one citation: the site formats its citations itself
        cite = formatted.get(_cite_key(content[0]["c"][0]["c"][0]))
        if cite is None:
            return doc, None
        blocks.append({"t": "Div", "c": [div["c"][0], [{"t": "Para", "c": [cite]}]]})
    if len(blocks) != len(ordered):
        return doc, None
    refs = _find_div(doc["blocks"], "refs")
    site_doc = {"pandoc-api-version": doc["pandoc-api-version"], "meta": {},
                "blocks": blocks + ([refs] if refs is not None else [])}
    html = run_pandoc(["-f", "json", "-t", "html5", "--wrap=none"], json.dumps(site_doc)).decode("utf-8")
    return doc, cites.parse_rendered(html, ordered)


def _find_div(blocks: list, ident: str) -> dict | None:
    for block in blocks:
        if block["t"] == "Div":
            if block["c"][0][0] == ident:
                return block
            found = _find_div(block["c"][1], ident)
            if found is not None:
                return found
    return None


def prepare_language(project: Project, lang: str, markdown: str, progress: Progress,
                     for_site: bool = False) -> Prepared:
    """The shared step of a language; with `for_site`, the same citeproc run also formats every
    citation of the site's pages of that language, and the reference list, as HTML."""
    progress(f"[{lang}] assembling the chapters and formatting citations (pandoc + citeproc)")
    doc, site = _stage_one(project, lang, markdown, cites.citations_of(project, lang) if for_site else None)
    return Prepared(lang, doc, site)


def write_docx(project: Project, lang: str, doc: dict, target: Path, workdir: Path) -> None:
    reference = build_reference_docx(project.metadata.code[lang], lang, workdir / f"reference-{lang}.docx")
    with atomic_write(target) as tmp:
        # No native_numbering: the shared Markdown layer numbers captions (markdown/xrefs.py).
        run_pandoc(["-f", "json", "-t", "docx", f"--reference-doc={reference}",
                    f"--resource-path={project.docs_dir / lang}", "-o", str(tmp)],
                   _json(render_styled_blocks(doc, "docx")))
        set_title(tmp, project.metadata.title[lang])  # in the properties, not as a paragraph


def to_typst(project: Project, lang: str, doc: dict) -> str:
    meta = project.metadata
    locale = project.locale(lang)
    region = locale.split("-")[1] if "-" in locale else ""
    return run_pandoc(
        ["-f", "json", "-t", "typst-citations", f"--template={_resource('templates/wco.typst')}",
         "-V", f"lang={lang}", "-V", f"region={region}",
         "-V", f"doc-title={_typst_string(meta.title[lang])}", "-V", f"doc-code={_typst_markup(meta.code[lang])}"],
        _json(render_styled_blocks(doc, "typst")),
    ).decode("utf-8")


def _json(doc: dict) -> str:
    return json.dumps(doc, separators=(",", ":"))


def _typst_string(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _typst_markup(text: str) -> str:
    return re.sub(r"([\\#*_`$<>@\[\]])", r"\\\1", text)


def write_pdf(project: Project, lang: str, typst_source: str, target: Path) -> None:
    try:
        import typst
    except ImportError as exc:
        raise ToolError(f"the Typst engine is not installed ({exc}): install the project's packages "
                        "(the 'typst' package of pyproject.toml)") from None

    timestamp = int(os.environ["SOURCE_DATE_EPOCH"]) if os.environ.get("SOURCE_DATE_EPOCH") else None
    try:
        # Only the fonts we ship (and Typst's own): the PDF is the same on every machine.
        compiler = typst.Compiler(root=str(project.docs_dir / lang), ignore_system_fonts=True,
                                  font_paths=[str(_resource("fonts"))])
        pdf, warnings = compiler.compile_with_warnings(
            input=typst_source.encode("utf-8"), format="pdf", timestamp=timestamp, pdf_tags=True,
            pdf_standards=PDF_STANDARDS)
    except typst.TypstError as exc:
        # The diagnostic repeats the message and shows the failing line of the generated Typst.
        detail = (exc.diagnostic or "").strip() or exc.message
        raise ToolError(f"Typst failed for '{lang}': {exc.message}\n{detail}" if exc.diagnostic
                        else f"Typst failed for '{lang}': {exc.message}") from None
    if warnings:
        # A missing font is only a warning to Typst, which then falls back silently.
        raise ToolError(f"Typst warned for '{lang}': " + "; ".join(w.message for w in warnings))
    with atomic_write(target) as tmp:
        tmp.write_bytes(pdf)


def write_language(project: Project, prepared: Prepared, out_dir: Path, formats: tuple[str, ...],
                   progress: Progress) -> list[Output]:
    lang, doc = prepared.lang, prepared.doc
    outputs = []
    with tempfile.TemporaryDirectory(prefix="wcoreport-") as workdir:
        if "docx" in formats:
            progress(f"[{lang}] writing DOCX")
            target = output_path(project, out_dir, lang, "docx")
            write_docx(project, lang, doc, target, Path(workdir))
            outputs.append(Output(lang, "docx", target))
        if "pdf" in formats:
            progress(f"[{lang}] writing PDF (pandoc -> Typst)")
            target = output_path(project, out_dir, lang, "pdf")
            write_pdf(project, lang, to_typst(project, lang, doc), target)
            outputs.append(Output(lang, "pdf", target))
    return outputs


def build_language(project: Project, lang: str, out_dir: Path, formats: tuple[str, ...],
                   progress: Progress) -> list[Output]:
    prepared = prepare_language(project, lang, assemble(project, lang), progress)
    return write_language(project, prepared, out_dir, formats, progress)


SiteCitations = Callable[[dict[str, cites.RenderedCitations]], None]


def build_reports(project: Project, out_dir: Path, languages: tuple[str, ...] | None = None,
                  formats: tuple[str, ...] = FORMATS, progress: Progress = lambda _: None,
                  strict: bool = False, site_citations: SiteCitations | None = None) -> list[Output]:
    """Build the DOCX and PDF of each language; raises ContentError before writing anything
    if the sources have errors.

    With `site_citations`, the citeproc runs also format the site's citations: once every
    language's shared step is done, it is called with them (language -> citations), while the
    DOCX and PDF are still to write (the site can build meanwhile)."""
    languages = languages or project.languages
    # Expand every page first, so that no output is written from bad sources.
    sources = {lang: assemble(project, lang) for lang in languages}
    project.problems.raise_if_errors(strict)
    out_dir.mkdir(parents=True, exist_ok=True)
    # Each language goes on to its DOCX and PDF as soon as its shared step is done; the last
    # one to finish that step hands the site its citations.
    waiting = set(languages)
    formatted: dict[str, cites.RenderedCitations] = {}
    lock = threading.Lock()

    def build(lang: str) -> list[Output]:
        prepared = prepare_language(project, lang, sources[lang], progress, site_citations is not None)
        if site_citations is not None:
            with lock:
                if prepared.site is not None:
                    formatted[lang] = prepared.site
                waiting.discard(lang)
                last = not waiting
            if last:
                site_citations({lang: formatted[lang] for lang in languages if lang in formatted})
        return write_language(project, prepared, out_dir, formats, progress)

    with ThreadPoolExecutor(max_workers=min(2, len(languages))) as pool:
        jobs = [pool.submit(build, lang) for lang in languages]
        return [output for job in jobs for output in job.result()]
