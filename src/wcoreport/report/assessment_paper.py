"""The self-assessment tools on paper: for each tool and language, a DOCX and a PDF of the
questionnaire (assessments/paper.py), through the report's own writers: the styled blocks of
the WCO layout (styled_blocks.py), pandoc with the generated reference document for the DOCX,
pandoc's Typst writer with the report's template and Typst for the PDF. A step of the report
build (cli._build), written into the report's staging folder with the report's files.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from ..assessments import Assessment
from ..assessments.paper import BOX, paper_document, paper_name
from ..pipeline.cache import build_date, file_digest, results
from ..markdown.pandoc_ast import map_inlines, to_json
from ..pipeline.outputs import atomic_write
from ..pipeline.pandoc import ToolError, run_pandoc
from ..sources.project import Project
from .build import PDF_STANDARDS, _compile_typst, _resource, typst_missing
from .docx_finish import finish_docx
from .docx_reference import build_reference_docx
from .styled_blocks import render_styled_blocks


def paper_path(project: Project, out_dir: Path, tool: Assessment, lang: str, fmt: str) -> Path:
    return out_dir / paper_name(project.metadata.output_name, tool.id, lang, fmt)


def _boxes(doc: dict, fmt: str) -> dict:
    """Each answer box drawn by the writer: a square box in Typst (the PDF's font has no ☐),
    the character ☐ in Word (which finds it in a symbol font)."""
    def draw(node: dict):
        if node.get("t") != "Span" or BOX not in node["c"][0][1]:
            return None
        if fmt == "typst":
            return [{"t": "RawInline", "c": ["typst", '#box(width: 0.8em, height: 0.8em, stroke: 0.7pt, '
                                                      'baseline: 0.05em)']}]
        return node["c"][1]
    return {**doc, "blocks": map_inlines(doc["blocks"], draw, {"Span"})}


def _header_text(tool: Assessment, lang: str) -> str:
    """What the page header shows, where the report has its document code."""
    return tool.title[lang]


def write_paper(project: Project, tool: Assessment, lang: str, fmt: str, target: Path) -> None:
    doc = paper_document(project, tool, lang)
    cache = results(project)
    if fmt == "docx":
        source = to_json(render_styled_blocks(_boxes(doc, "docx"), "docx"))
        with tempfile.TemporaryDirectory(prefix="wcoreport-") as scratch:
            reference = build_reference_docx(_header_text(tool, lang), lang, Path(scratch) / "reference.docx")

            def make() -> bytes:
                tmp = Path(scratch) / target.name
                run_pandoc(["-f", "json", "-t", "docx", f"--reference-doc={reference}", "-o", str(tmp)], source)
                # Tables laid out as the report's (the scoring key), the properties in the tool's language.
                finish_docx(tmp, {"dc:title": tool.title[lang], "dc:creator": project.metadata.author_in(lang),
                                  "dc:language": project.locale(lang)})
                return tmp.read_bytes()

            data = cache.memo("assessment-docx", [source, file_digest(reference), tool.title[lang],
                                                  project.metadata.author_in(lang), project.locale(lang),
                                                  build_date()], make)
    else:
        locale = project.locale(lang)
        region = locale.split("-")[1] if "-" in locale else ""
        source = to_json(render_styled_blocks(_boxes(doc, "typst"), "typst"))
        args = ["-f", "json", "-t", "typst-citations", f"--template={_resource('templates/wco.typst')}",
                "-V", f"lang={lang}", "-V", f"region={region}"]
        typst = cache.memo("assessment-typst", [*args[:3], *args[4:], source],
                           lambda: run_pandoc(args, source)).decode("utf-8")
        inputs = {"doc-title": tool.title[lang], "doc-code": _header_text(tool, lang)}
        key = cache.key("assessment-pdf", [typst, json.dumps(inputs, sort_keys=True), build_date(),
                                           ",".join(PDF_STANDARDS)])
        data = cache.get("assessment-pdf", key)
        if data is None:
            timestamp = int(os.environ["SOURCE_DATE_EPOCH"]) if os.environ.get("SOURCE_DATE_EPOCH") else None
            # The root is the tools' folder: the questionnaire reads no file.
            answer = _compile_typst({"source": typst.encode("utf-8"), "root": str(tool.path.parent),
                                     "font_paths": [str(_resource("fonts"))], "inputs": inputs,
                                     "timestamp": timestamp, "standards": PDF_STANDARDS})
            if answer[0] == "missing":
                raise typst_missing(answer[1])
            if answer[0] != "pdf":
                raise ToolError(f"the paper questionnaire of {tool.path.name} ({lang}) cannot be made as PDF: {answer[1]}")
            _, data, warnings = answer
            if warnings:
                raise ToolError(f"the paper questionnaire of {tool.path.name} ({lang}): "
                                + "; ".join(message for message, _ in warnings))
            cache.put("assessment-pdf", key, data)
    with atomic_write(target) as tmp:
        tmp.write_bytes(data)


def build_papers(project: Project, out_dir: Path, languages: tuple[str, ...], formats: tuple[str, ...],
                 progress=lambda _message: None) -> list[Path]:
    """Every tool's paper questionnaire, in each language and format asked for."""
    written = []
    for tool in project.assessments.values():
        for lang in languages:
            progress(f"[{lang}] writing the paper questionnaire '{tool.id}' ({', '.join(formats).upper()})")
            for fmt in formats:
                target = paper_path(project, out_dir, tool, lang, fmt)
                write_paper(project, tool, lang, fmt, target)
                written.append(target)
    return written
