"""Build the report, DOCX and PDF, in every language.

Each language's document comes from the shared step (markdown/document.py: the pages, checked,
numbered, with citations formatted by one citeproc run, which the site's pages come from too).
Here it gets the report's front matter and layout, then DOCX and Typst are both written from
it. Languages are built in parallel.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Callable

from ..cache import build_date, file_digest, folder_digest, results
from ..markdown.document import Page, document
from ..markdown.gate import ProjectAnalysis
from ..data import render_chart
from ..markdown.analysis import CHART_SCHEME
from ..markdown.pandoc_ast import LEAVES, children, copy_tree, map_inlines, walk
from ..outputs import atomic_write
from ..pandoc import ToolError, run_pandoc
from ..project import Project
from .assemble import SOURCE_LINE, assemble
from .docx_package import set_custom_properties, set_title
from .docx_reference import build_reference_docx
from ..markdown.typeset import typeset_blocks
from .numbering import number_document
from .provenance import Provenance, anchor_blocks, provenance
from .styled_blocks import render_styled_blocks

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


def _charts(project: Project, lang: str, doc: dict, fmt: str, workdir: Path | None = None) -> dict:
    """The document for one writer, its charts drawn: the DOCX gets each as a PNG at print
    resolution (Word shows no SVG without a fallback), the PDF as SVG, whose text stays text.
    The charts' data tables are the site's (a disclosure); the report shows the chart."""
    def image(node: dict):
        if node.get("t") != "Image" or not node["c"][2][0].startswith(CHART_SCHEME):
            return None
        name = node["c"][2][0][len(CHART_SCHEME):]
        if name not in project.charts:  # a chart of an earlier version (a redline): its description
            return node["c"][1]
        drawn = render_chart(project.charts[name], project.tables, lang, project.cache_dir / "charts")
        if fmt == "docx":
            # By name, from the build's scratch folder: no path of this machine in the DOCX.
            shutil.copyfile(drawn.png_path, workdir / f"{name}.png")
            node["c"][2][0] = f"{name}.png"
        else:
            node["c"][0][2].append(["svg", drawn.svg_path.read_text("utf-8")])
            node["c"][2][0] = drawn.svg_path.name
        return None

    def drop_data(node: dict, _depth: int) -> None:
        for child in children(node):
            child[:] = [b for b in child if not (isinstance(b, dict) and b.get("t") == "Div"
                                                 and "wco-chart-data" in b["c"][0][1])]

    # Only the top-level blocks that hold a chart are copied and changed: `doc` stays as it was.
    blocks = []
    for block in doc["blocks"]:
        if block.get("t") == "Div" and "wco-chart-data" in block["c"][0][1]:
            continue
        if _holds_chart([block]):
            block = copy_tree(block)
            walk([block], drop_data)
            block = map_inlines([block], image)
            blocks.extend(block)
        else:
            blocks.append(block)
    return {**doc, "blocks": blocks}


def _holds_chart(nodes: list) -> bool:
    """Whether a chart (or its data table) is somewhere below `nodes`."""
    for node in nodes:
        if not isinstance(node, dict):
            continue
        kind = node.get("t")
        if kind == "Image" and node["c"][2][0].startswith(CHART_SCHEME):
            return True
        if kind == "Div" and "wco-chart-data" in node["c"][0][1]:
            return True
        if kind not in LEAVES and any(_holds_chart(child) for child in children(node)):
            return True
    return False


def report_document(project: Project, analysis: ProjectAnalysis, lang: str, pages: list[Page]) -> dict:
    """The report of a language as pandoc's tree: assembled, numbered, typeset."""
    doc = assemble(project, analysis, lang, pages)  # (nothing raw but ours: document._no_raw; typeset)
    number_document(doc)
    # The chapters' titles begin with their numbers now ("II. "): typeset again.
    typeset_blocks([b for b in doc["blocks"] if b["t"] == "Header" and b["c"][0] == 1], lang)
    return doc


def write_docx(project: Project, lang: str, doc: dict, target: Path, workdir: Path,
               stamp: Provenance | None = None) -> None:
    """`stamp`: what the DOCX was built from; with it, the DOCX can be imported back after
    review (provenance.py, roundtrip.py)."""
    reference = build_reference_docx(project.metadata.code[lang], lang, workdir / f"reference-{lang}.docx")
    rendered = render_styled_blocks(_charts(project, lang, doc, "docx", workdir), "docx")
    if stamp is not None:
        rendered = anchor_blocks(rendered)
    source = _json(rendered)
    properties = stamp.properties() if stamp is not None else None

    def make() -> bytes:
        with tempfile.TemporaryDirectory(prefix="wcoreport-") as scratch:
            tmp = Path(scratch) / target.name
            # No native_numbering: the shared Markdown layer numbers captions (markdown/xrefs.py).
            run_pandoc(["-f", "json", "-t", "docx", f"--reference-doc={reference}",
                        f"--resource-path={project.docs_dir / lang}{os.pathsep}{workdir}", "-o", str(tmp)],
                       source)
            set_title(tmp, project.metadata.title[lang])  # in the properties, not as a paragraph
            if properties is not None:
                set_custom_properties(tmp, properties)
            return tmp.read_bytes()

    # Kept by content: the document, the reference document, the images it may read.
    inputs = [source, file_digest(reference), folder_digest(project.docs_dir / lang, ".md"),
              folder_digest(workdir), project.metadata.title[lang], json.dumps(properties, sort_keys=True),
              build_date()]  # pandoc dates the DOCX's properties by SOURCE_DATE_EPOCH
    data = results(project).memo("docx", inputs, make)
    with atomic_write(target) as tmp:
        tmp.write_bytes(data)


def to_typst(project: Project, lang: str, doc: dict) -> str:
    locale = project.locale(lang)
    region = locale.split("-")[1] if "-" in locale else ""
    args = ["-f", "json", "-t", "typst-citations", f"--template={_resource('templates/wco.typst')}",
            "-V", f"lang={lang}", "-V", f"region={region}"]
    source = _json(render_styled_blocks(_charts(project, lang, doc, "typst"), "typst"))
    # The template is one of this package's files: every key already holds them (cache.toolchain).
    return results(project).memo("typst", [*args[:3], *args[4:], source],
                                 lambda: run_pandoc(args, source)).decode("utf-8")


def _json(doc: dict) -> str:
    return json.dumps(doc, separators=(",", ":"))


_GENERATED_LINE = re.compile(r"\.typ:(\d+):(\d+)")


def source_of(typst_source: str, line: int) -> str | None:
    """The Markdown file and line that the generated Typst's `line` came from (the nearest
    source mark above it, see assemble.py), e.g. 'docs/en/drones.md:12'."""
    lines = typst_source.split("\n")
    mark = f"// {SOURCE_LINE} "
    for i in range(min(line, len(lines)) - 1, -1, -1):
        stripped = lines[i].strip()
        if stripped.startswith(mark):
            return stripped[len(mark):]
    return None


def _typst_problem(lang: str, message: str, diagnostic: str, typst_source: str) -> str:
    """A Typst error or warning, named by the Markdown file and line it came from."""
    m = _GENERATED_LINE.search(diagnostic or "")
    where = source_of(typst_source, int(m.group(1))) if m else None
    hint = ""
    if m and (image := re.search(r'image\("([^"]+)"', typst_source.split("\n")[int(m.group(1)) - 1])):
        message += f" (image '{image.group(1)}')"
    if "alt text" in message:
        hint = " (give every image a text alternative: ![what it shows](file))"
    elif "heading" in message.lower():
        hint = " (headings go one level deeper at most)"
    if where:
        return f"{where}: error: the PDF cannot be made: {message}{hint}"
    return f"the {lang} PDF cannot be made: {message}{hint} (in the report's front matter)"


def write_pdf(project: Project, lang: str, typst_source: str, target: Path) -> None:
    try:
        import typst
    except ImportError as exc:
        raise ToolError(f"the Typst engine is not installed ({exc}): install the project's packages "
                        "(the 'typst' package of pyproject.toml)") from None

    meta = project.metadata
    timestamp = int(os.environ["SOURCE_DATE_EPOCH"]) if os.environ.get("SOURCE_DATE_EPOCH") else None
    # The document's title and code reach Typst as strings, never as markup (see wco.typst).
    inputs = {"doc-title": meta.title[lang], "doc-code": meta.code[lang]}
    cache = results(project)
    key = cache.key("pdf", [typst_source, json.dumps(inputs, sort_keys=True), build_date(), ",".join(PDF_STANDARDS),
                            folder_digest(project.docs_dir / lang, ".md")])
    if (pdf := cache.get("pdf", key)) is not None:
        with atomic_write(target) as tmp:
            tmp.write_bytes(pdf)
        return
    try:
        # Only the fonts we ship (and Typst's own): the PDF is the same on every machine. The
        # root is an empty folder: the document reads no file but its images (pandoc embeds
        # their paths relative to the language folder, which is the root here).
        compiler = typst.Compiler(root=str(project.docs_dir / lang), ignore_system_fonts=True,
                                  font_paths=[str(_resource("fonts"))], sys_inputs=inputs)
        pdf, warnings = compiler.compile_with_warnings(
            input=typst_source.encode("utf-8"), format="pdf", timestamp=timestamp, pdf_tags=True,
            pdf_standards=PDF_STANDARDS)
    except typst.TypstError as exc:
        raise ToolError(_typst_problem(lang, exc.message, exc.diagnostic or "", typst_source)) from None
    if warnings:
        # A missing font is only a warning to Typst, which then falls back silently.
        raise ToolError("; ".join(_typst_problem(lang, w.message, getattr(w, "diagnostic", "") or "", typst_source)
                                  for w in warnings))
    cache.put("pdf", key, pdf)
    with atomic_write(target) as tmp:
        tmp.write_bytes(pdf)


def write_language(project: Project, lang: str, doc: dict, out_dir: Path, formats: tuple[str, ...],
                   progress: Progress, stamp: Provenance | None = None) -> list[Output]:
    outputs = []
    with tempfile.TemporaryDirectory(prefix="wcoreport-") as workdir:
        if "docx" in formats:
            progress(f"[{lang}] writing DOCX")
            target = output_path(project, out_dir, lang, "docx")
            write_docx(project, lang, doc, target, Path(workdir), stamp)
            outputs.append(Output(lang, "docx", target))
        if "pdf" in formats:
            progress(f"[{lang}] writing PDF (pandoc -> Typst)")
            target = output_path(project, out_dir, lang, "pdf")
            write_pdf(project, lang, to_typst(project, lang, doc), target)
            outputs.append(Output(lang, "pdf", target))
    return outputs


def build_reports(project: Project, analysis: ProjectAnalysis, out_dir: Path,
                  documents: dict[str, list[Page]] | None = None, languages: tuple[str, ...] | None = None,
                  formats: tuple[str, ...] = FORMATS, progress: Progress = lambda _: None) -> list[Output]:
    """Build the DOCX and PDF of each language from the checked analysis (the caller has made
    sure it has no errors); `documents`: the shared documents, if already made. Each
    language's files are written (pandoc and Typst, outside Python's lock) as soon as its
    report is assembled."""
    languages = languages or project.languages
    out_dir.mkdir(parents=True, exist_ok=True)
    with ThreadPoolExecutor(max_workers=min(2, len(languages))) as pool:
        jobs = []
        for lang in languages:
            pages = documents[lang] if documents and lang in documents else document(project, analysis, lang)
            progress(f"[{lang}] assembling the report")
            doc = report_document(project, analysis, lang, pages)
            stamp = provenance(project, analysis, lang) if "docx" in formats else None
            jobs.append(pool.submit(write_language, project, lang, doc, out_dir, formats, progress, stamp))
        return [output for job in jobs for output in job.result()]
