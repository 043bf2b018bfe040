"""Build the report, DOCX and PDF, in every language.

For each language, pandoc runs citeproc once (Markdown -> pandoc JSON); DOCX and Typst are both
written from that one result. Languages are built in parallel.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Callable

from ..outputs import atomic_write
from ..pandoc import ToolError, run_pandoc
from ..project import Project
from .assemble import assemble
from .docx_package import set_title
from .docx_reference import build_reference_docx
from .french_text import apply_french_spacing

FORMATS = ("docx", "pdf")
# PDF/UA-1 (accessible): Typst checks it (a title, alt text on every image...) and refuses to
# write a PDF that breaks it.
PDF_STANDARDS = ["ua-1"]

Progress = Callable[[str], None]


def _resource(name: str) -> Path:
    return Path(str(resources.files("wcoreport.report").joinpath(name)))


@dataclass(frozen=True)
class Output:
    lang: str
    format: str
    path: Path


def output_path(project: Project, out_dir: Path, lang: str, fmt: str) -> Path:
    return out_dir / f"{project.metadata.output_name}-{lang}.{fmt}"


def to_pandoc_json(project: Project, lang: str, markdown: str) -> dict:
    """Markdown -> pandoc JSON, citations formatted, body paragraphs numbered (the shared step)."""
    args = [
        "-f", "markdown", "-t", "json",
        "--citeproc", f"--bibliography={project.bibliography.path}",
        "-M", f"lang={project.locale(lang)}", "-M", "link-citations=false",
        "-M", f"title={project.metadata.title[lang]}",
        f"--resource-path={project.docs_dir / lang}",
        f"--lua-filter={_resource('filters/number_paragraphs.lua')}",
        f"--lua-filter={_resource('filters/number_sections.lua')}",
    ]
    # nocite in a YAML block: given with -M, "@*" is a plain string that citeproc ignores.
    doc = json.loads(run_pandoc(args, "---\nnocite: '@*'\n---\n\n" + markdown))
    # Citeproc has done its work; the file's absolute path would otherwise land in the DOCX's
    # custom properties, and make two checkouts build different bytes.
    doc.get("meta", {}).pop("bibliography", None)
    if lang == "fr":
        doc = apply_french_spacing(doc)
    return doc


def write_docx(project: Project, lang: str, doc: dict, target: Path, workdir: Path) -> None:
    reference = build_reference_docx(project.metadata.code[lang], lang, workdir / f"reference-{lang}.docx")
    with atomic_write(target) as tmp:
        # No native_numbering: the shared Markdown layer numbers captions (markdown/xrefs.py).
        run_pandoc(["-f", "json", "-t", "docx", f"--reference-doc={reference}",
                    f"--lua-filter={_resource('filters/styled_blocks.lua')}",
                    f"--resource-path={project.docs_dir / lang}", "-o", str(tmp)],
                   json.dumps(doc))
        set_title(tmp, project.metadata.title[lang])  # in the properties, not as a paragraph


def to_typst(project: Project, lang: str, doc: dict) -> str:
    meta = project.metadata
    locale = project.locale(lang)
    region = locale.split("-")[1] if "-" in locale else ""
    return run_pandoc(
        ["-f", "json", "-t", "typst-citations", f"--template={_resource('templates/wco.typst')}",
         f"--lua-filter={_resource('filters/styled_blocks.lua')}",
         "-V", f"lang={lang}", "-V", f"region={region}",
         "-V", f"doc-title={_typst_string(meta.title[lang])}", "-V", f"doc-code={_typst_markup(meta.code[lang])}"],
        json.dumps(doc),
    ).decode("utf-8")


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
        compiler = typst.Compiler(root=str(project.docs_dir / lang), ignore_system_fonts=True)
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


def build_language(project: Project, lang: str, out_dir: Path, formats: tuple[str, ...],
                   progress: Progress) -> list[Output]:
    progress(f"[{lang}] assembling the chapters and formatting citations (pandoc + citeproc)")
    doc = to_pandoc_json(project, lang, assemble(project, lang))
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


def build_reports(project: Project, out_dir: Path, languages: tuple[str, ...] | None = None,
                  formats: tuple[str, ...] = FORMATS, progress: Progress = lambda _: None,
                  strict: bool = False) -> list[Output]:
    """Build the DOCX and PDF of each language; raises ContentError before writing anything
    if the sources have errors."""
    languages = languages or project.languages
    for lang in languages:  # expand every page first, so that no output is written from bad sources
        assemble(project, lang)
    project.problems.raise_if_errors(strict)
    out_dir.mkdir(parents=True, exist_ok=True)
    with ThreadPoolExecutor(max_workers=min(2, len(languages))) as pool:
        jobs = [pool.submit(build_language, project, lang, out_dir, formats, progress) for lang in languages]
        return [output for job in jobs for output in job.result()]
