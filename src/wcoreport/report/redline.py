"""The report with what changed since an earlier review round: `build_report.py redline --since REV`.

Both versions are built as the report is (report_document: assembled, numbered, typeset), the
earlier one from the sources at REV (revisions.py), and the new tree is marked with the changes
(markdown/redline.py). Then the usual writers: pandoc makes the insertion and deletion spans
native tracked changes in the DOCX (Word and LibreOffice can accept or reject each one); in the
PDF, styled_blocks.py renders them with the template's wco-ins / wco-del (colour, underline or
strike-through, a bar in the margin). Paragraph numbers are the new version's.

Outputs: build/redline/<name>-<lang>-since-<rev>.docx and .pdf, each written atomically. The
DOCX carries no provenance: a redline is for reading, not for import-docx.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..sources.diagnostics import Severity
from ..markdown.analysis import API_VERSION
from ..markdown.document import document
from ..markdown.gate import ProjectAnalysis, check_project
from ..markdown.redline import Counts, Mark, redline_document
from ..pipeline.pandoc import ToolError
from ..sources.project import Project, load_project
from ..pipeline.revisions import Revision, sources_at
from ..text.strings import text
from .build import Output, report_document, to_typst, write_docx, write_pdf

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Redline:
    lang: str
    counts: Counts
    outputs: list[Output]


def file_part(rev: str) -> str:
    """A revision's name as it can stand in a file name (review-1, HEAD-2, a1b2c3d)."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", rev).strip(".-") or "rev"


def redline_path(project: Project, out_dir: Path, lang: str, rev: str, fmt: str) -> Path:
    return out_dir / f"{project.metadata.output_name}-{lang}-since-{file_part(rev)}.{fmt}"


def earlier_documents(project: Project, revision: Revision, languages: tuple[str, ...]) -> dict[str, dict]:
    """The report tree of each language as it was at `revision` (an empty document for a
    language the project did not have then)."""
    with sources_at(project.root, revision) as old_root:
        old = load_project(old_root)
        old_analysis = check_project(old, Severity.WARNING)  # its review round had it as it was
        if old.problems.errors or old.metadata is None:
            first = old.problems.errors[0] if old.problems.errors else "report.yml cannot be read"
            raise ToolError(f"the sources at {revision.name} do not build ({first}); "
                            f"{len(old.problems.errors)} error(s): choose another revision")
        docs = {}
        for lang in languages:
            if lang in old.languages:
                docs[lang] = report_document(old, old_analysis, lang, document(old, old_analysis, lang))
            else:
                docs[lang] = {"pandoc-api-version": API_VERSION, "meta": {}, "blocks": []}
        return docs


def build_redlines(project: Project, analysis: ProjectAnalysis, revision: Revision, now: str,
                   out_dir: Path, languages: tuple[str, ...], formats: tuple[str, ...],
                   progress: Progress = lambda _: None) -> list[Redline]:
    """The redline DOCX and PDF of each language since `revision`; `now`: the date of the
    changes (ISO 8601, may be empty)."""
    progress(f"Building the report as it was at {revision.name} ({revision.commit[:12]})")
    before = earlier_documents(project, revision, languages)
    results = []
    for lang in languages:
        progress(f"[{lang}] comparing with {revision.name}")
        new = report_document(project, analysis, lang, document(project, analysis, lang))
        mark = Mark(text("redline_author", lang).format(rev=revision.name), now)
        doc, counts = redline_document(before[lang], new, mark)
        outputs = []
        with tempfile.TemporaryDirectory(prefix="wcoreport-") as workdir:
            if "docx" in formats:
                progress(f"[{lang}] writing the redline DOCX")
                target = redline_path(project, out_dir, lang, revision.name, "docx")
                write_docx(project, lang, doc, target, Path(workdir))
                outputs.append(Output(lang, "docx", target))
            if "pdf" in formats:
                progress(f"[{lang}] writing the redline PDF")
                target = redline_path(project, out_dir, lang, revision.name, "pdf")
                write_pdf(project, lang, to_typst(project, lang, doc), target)
                outputs.append(Output(lang, "pdf", target))
        results.append(Redline(lang, counts, outputs))
    return results
