"""Build the report, DOCX and PDF, in every language.

Each language's document comes from the shared step (markdown/document.py: the pages, checked,
numbered, with citations formatted by one citeproc run, which the site's pages come from too).
Here it gets the report's front matter and layout, then DOCX and Typst are both written from
it. (The build command builds each language in a process of its own: language_build.py.)
"""

from __future__ import annotations

import json
import os
import pickle
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Callable

import orjson

from ..pipeline.cache import build_date, file_digest, folder_digest, results
from ..markdown.document import Page, document
from ..markdown.gate import ProjectAnalysis
from ..data import render_chart
from ..markdown.analysis import API_VERSION, CHART_SCHEME
from ..markdown.pandoc_ast import LEAVES, children, copy_tree, map_inlines, to_json, walk, words_joined
from ..pipeline.outputs import atomic_write
from ..pipeline.pandoc import ToolError, run_pandoc
from ..sources.project import Project
from .assemble import SOURCE_LINE, assemble
from .docx_finish import finish_docx
from .docx_package import set_custom_properties
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
        if _holds_chart(block):
            block = copy_tree(block)
            walk([block], drop_data)
            block = map_inlines([block], image, {"Image"})
            blocks.extend(block)
        else:
            blocks.append(block)
    return {**doc, "blocks": blocks}


def _holds_chart(block: dict) -> bool:
    """Whether a chart (or its data table) is somewhere in a block. (Most blocks hold neither
    word anywhere, which their JSON text tells at once: the walk is for the others.)"""
    text = orjson.dumps(block)
    return (CHART_SCHEME.encode() in text or b"wco-chart-data" in text) and _chart_below([block])


def _chart_below(nodes: list) -> bool:
    for node in nodes:
        if not isinstance(node, dict):
            continue
        kind = node.get("t")
        if kind == "Image" and node["c"][2][0].startswith(CHART_SCHEME):
            return True
        if kind == "Div" and "wco-chart-data" in node["c"][0][1]:
            return True
        if kind not in LEAVES and any(_chart_below(child) for child in children(node)):
            return True
    return False


def report_document(project: Project, analysis: ProjectAnalysis, lang: str, pages: list[Page],
                    own: bool = False) -> dict:
    """The report of a language as pandoc's tree: assembled, numbered, typeset. `own`: the
    pages' trees are the report's to change (nobody reads them afterwards): not copied."""
    doc = assemble(project, analysis, lang, pages, own)  # (nothing raw but ours: document._no_raw; typeset)
    number_document(doc)
    # The chapters' titles begin with their numbers now ("II. "): typeset again.
    typeset_blocks([b for b in doc["blocks"] if b["t"] == "Header" and b["c"][0] == 1], lang)
    return doc


def document_properties(project: Project, lang: str) -> dict[str, str]:
    """The document's properties in its language, the DOCX's and the PDF's alike: title,
    author (report.yml's `author`), subject (the subtitle, else the committee) and language."""
    meta = project.metadata
    subject = meta.subtitle[lang] if meta.subtitle else meta.committee[lang]
    return {"title": meta.title[lang], "creator": meta.author_in(lang), "subject": subject,
            "language": project.locale(lang)}


def write_docx(project: Project, lang: str, doc: dict, target: Path, workdir: Path,
               stamp: Provenance | None = None) -> None:
    """`stamp`: what the DOCX was built from; with it, the DOCX can be imported back after
    review (provenance.py, roundtrip.py)."""
    reference = build_reference_docx(project.metadata.code[lang], lang, workdir / f"reference-{lang}.docx")
    rendered = render_styled_blocks(_charts(project, lang, doc, "docx", workdir), "docx")
    if stamp is not None:
        rendered = anchor_blocks(rendered)
    source = to_json(words_joined(rendered))  # (pandoc's DOCX: the same text, in fewer runs)
    properties = stamp.properties() if stamp is not None else None
    core = document_properties(project, lang)

    def make() -> bytes:
        with tempfile.TemporaryDirectory(prefix="wcoreport-") as scratch:
            tmp = Path(scratch) / target.name
            # No native_numbering: the shared Markdown layer numbers captions (markdown/xrefs.py).
            run_pandoc(["-f", "json", "-t", "docx", f"--reference-doc={reference}",
                        f"--resource-path={project.docs_dir / lang}{os.pathsep}{workdir}", "-o", str(tmp)],
                       source)
            finish_docx(tmp, {f"dc:{name}": value for name, value in core.items()})  # tables, TOC, properties
            if properties is not None:
                set_custom_properties(tmp, properties)
            return tmp.read_bytes()

    # Kept by content: the document, the reference document, the images it may read.
    inputs = [source, file_digest(reference), folder_digest(project.docs_dir / lang, ".md"),
              folder_digest(workdir), json.dumps(core, sort_keys=True), json.dumps(properties, sort_keys=True),
              build_date()]  # pandoc dates the DOCX's properties by SOURCE_DATE_EPOCH
    data = results(project).memo("docx", inputs, make)
    with atomic_write(target) as tmp:
        tmp.write_bytes(data)


@dataclass
class TypstChapters:
    """A language's report made ready for pandoc's Typst writer (typst_chapters): the document
    around its chapters, and each chapter as pandoc's JSON."""

    around: dict  # the document, its blocks aside (metadata for the template)
    parts: list[str]


def typst_chapters(project: Project, lang: str, doc: dict) -> TypstChapters:
    """The Python side of to_typst: charts drawn, styled blocks, the chapters cut and written
    as JSON (each word with the space after it: words_joined)."""
    rendered = render_styled_blocks(_charts(project, lang, doc, "typst"), "typst")
    parts = [to_json({"pandoc-api-version": API_VERSION, "meta": {}, "blocks": words_joined(blocks, whole_runs=False)})
             for blocks in _chapters(rendered["blocks"])]
    return TypstChapters({**rendered, "blocks": []}, parts)


def to_typst(project: Project, lang: str, doc: dict | TypstChapters) -> str:
    """The report of a language as Typst source: pandoc's Typst writer with our template.

    pandoc writes each chapter on its own (all in one process: Cache.memo_pandoc), each kept
    between builds by its content, and then the template around them: a rebuild after an edit
    writes one chapter again, not the report. The text is the same as pandoc's on the whole
    document (tests/test_pdf.py): a chapter starts at its title, right after the mark of the
    line it was typed at (assemble.py), a raw block that pandoc ends with one line end."""
    chapters = doc if isinstance(doc, TypstChapters) else typst_chapters(project, lang, doc)
    locale = project.locale(lang)
    region = locale.split("-")[1] if "-" in locale else ""
    args = ["-f", "json", "-t", "typst-citations", f"--template={_resource('templates/wco.typst')}",
            "-V", f"lang={lang}", "-V", f"region={region}"]
    cache = results(project)
    made = cache.memo_pandoc("typst-part", ["-f", "json", "-t", "typst-citations"],
                             [{"from": "json", "to": "typst-citations", "text": part} for part in chapters.parts])
    for result in made:
        if isinstance(result, Exception):
            raise result  # the tree is ours and checked: pandoc's complaint is a bug of ours
    body = "\n".join(result.decode("utf-8").rstrip("\n") for result in made)
    source = to_json({**chapters.around, "blocks": [{"t": "RawBlock", "c": ["typst", body]}]})
    # The template is one of this package's files: every key already holds them (cache.toolchain).
    return cache.memo("typst", [*args[:3], *args[4:], source], lambda: run_pandoc(args, source)).decode("utf-8")


def _chapters(blocks: list) -> list[list]:
    """The report's top-level blocks cut before each chapter's title (a level-1 heading that
    follows its source mark): the parts pandoc can write one by one."""
    parts: list[list] = [[]]
    for block in blocks:
        previous = parts[-1][-1] if parts[-1] else None
        if block["t"] == "Header" and block["c"][0] == 1 and previous is not None \
                and previous["t"] == "RawBlock" and previous["c"][1].startswith(f"// {SOURCE_LINE} "):
            parts.append([])
        parts[-1].append(block)
    return parts


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


def write_pdf(project: Project, lang: str, typst_source: str, target: Path,
              compiling: Callable[[], None] = lambda: None) -> None:
    """The PDF from its Typst source; `compiling` is called as Typst starts."""
    meta = project.metadata
    timestamp = int(os.environ["SOURCE_DATE_EPOCH"]) if os.environ.get("SOURCE_DATE_EPOCH") else None
    # The document's title and code reach Typst as strings, never as markup (see wco.typst).
    props = document_properties(project, lang)
    inputs = {"doc-title": props["title"], "doc-code": meta.code[lang], "doc-author": props["creator"],
              "doc-subject": props["subject"]}
    cache = results(project)
    key = cache.key("pdf", [typst_source, json.dumps(inputs, sort_keys=True), build_date(), ",".join(PDF_STANDARDS),
                            folder_digest(project.docs_dir / lang, ".md")])
    if (pdf := cache.get("pdf", key)) is None:
        # Only the fonts we ship (and Typst's own): the PDF is the same on every machine. The
        # root is the language folder: the document reads no file but its images (pandoc
        # embeds their paths relative to it).
        compiling()
        answer = _compile_typst({"source": typst_source.encode("utf-8"), "root": str(project.docs_dir / lang),
                                 "font_paths": [str(_resource("fonts"))], "inputs": inputs,
                                 "timestamp": timestamp, "standards": PDF_STANDARDS})
        if answer[0] == "missing":
            raise typst_missing(answer[1])
        if answer[0] == "error":
            raise ToolError(_typst_problem(lang, answer[1], answer[2], typst_source))
        _, pdf, warnings = answer
        if warnings:
            # A missing font is only a warning to Typst, which then falls back silently.
            raise ToolError("; ".join(_typst_problem(lang, message, diagnostic, typst_source)
                                      for message, diagnostic in warnings))
        cache.put("pdf", key, pdf)
    with atomic_write(target) as tmp:
        tmp.write_bytes(pdf)


def typst_missing(detail: str) -> ToolError:
    """The error when the Typst engine cannot be imported (typst_process.py answers "missing")."""
    return ToolError(f"the Typst engine is not installed ({detail}): install the project's packages "
                     "(the 'typst' package of pyproject.toml)")


def _compile_typst(request: dict) -> tuple:
    """Typst's answer to a compilation request (typst_process.py), from a process of its own."""
    script = Path(__file__).with_name("typst_process.py")
    # -P: the script's folder is not put on the module path (its files are not Typst's imports).
    proc = subprocess.run([sys.executable, "-P", str(script)], input=pickle.dumps(request),
                          capture_output=True)
    try:
        answer = pickle.loads(proc.stdout)
    except (pickle.UnpicklingError, EOFError, ValueError):
        answer = None
    if proc.returncode != 0 or not isinstance(answer, tuple):
        last = proc.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [f"exit status {proc.returncode}"]
        raise ToolError(f"Typst stopped before the PDF was made: {last[0]}")
    return answer


def write_format(project: Project, lang: str, doc: dict | TypstChapters, out_dir: Path, fmt: str,
                 progress: Progress, stamp: Provenance | None = None,
                 typst_started: threading.Event | None = None) -> Output:
    """One file of a language's report: its DOCX (`stamp`: see write_docx) or its PDF (`doc`
    may be its chapters made ready for Typst already: typst_chapters). `typst_started`: the
    DOCX waits for it; the PDF sets it once Typst compiles, or has ended."""
    target = output_path(project, out_dir, lang, fmt)
    if fmt == "docx":
        if typst_started is not None:
            typst_started.wait()
        progress(f"[{lang}] writing DOCX")
        with tempfile.TemporaryDirectory(prefix="wcoreport-") as workdir:
            write_docx(project, lang, doc, target, Path(workdir), stamp)
        return Output(lang, fmt, target)
    try:
        progress(f"[{lang}] writing PDF (pandoc -> Typst)")
        write_pdf(project, lang, to_typst(project, lang, doc), target,
                  typst_started.set if typst_started is not None else lambda: None)
    finally:
        if typst_started is not None:
            typst_started.set()  # (the DOCX waits no more, whatever happened)
    return Output(lang, fmt, target)


def build_reports(project: Project, analysis: ProjectAnalysis, out_dir: Path,
                  documents: dict[str, list[Page]] | None = None, languages: tuple[str, ...] | None = None,
                  formats: tuple[str, ...] = FORMATS, progress: Progress = lambda _: None) -> list[Output]:
    """Build the DOCX and PDF of each language from the checked analysis (the caller has made
    sure it has no errors); `documents`: the shared documents, if already made, given up to
    the reports (the site has made its pages from them already: they are not copied). Each file is
    written (pandoc and Typst, outside Python's lock) as soon as its language's report is
    assembled, each in a thread of its own: a language's PDF does not wait for its DOCX."""
    languages = languages or project.languages
    out_dir.mkdir(parents=True, exist_ok=True)
    with ThreadPoolExecutor(max_workers=max(1, len(languages) * len(formats))) as pool:
        jobs = {}
        for lang in languages:
            pages = documents[lang] if documents and lang in documents else document(project, analysis, lang)
            progress(f"[{lang}] assembling the report")
            doc = report_document(project, analysis, lang, pages, own=True)
            stamp = provenance(project, analysis, lang) if "docx" in formats else None
            # The PDF first, the DOCX once Typst compiles: Typst's compilation is a language's
            # longest step, and the DOCX's Python would slow the steps before it (they share
            # Python's lock); it runs while Typst works, in a process of its own.
            started = threading.Event() if "pdf" in formats else None
            given = {"pdf": typst_chapters(project, lang, doc) if "pdf" in formats else doc, "docx": doc}
            for fmt in ("pdf", "docx"):
                if fmt in formats:
                    jobs[(lang, fmt)] = pool.submit(write_format, project, lang, given[fmt], out_dir, fmt, progress,
                                                    stamp, started)
        return [jobs[(lang, fmt)].result() for lang in languages for fmt in FORMATS if fmt in formats]
