"""An XLIFF import checked as `check` checks a page, before anything is written.

A CAT tool sends back text; what the import would write from it is a page like any other, and
must not be one that `check` refuses: the page analysis (markdown/analysis.py) runs on the new
text, and parity (markdown/parity.py) too when the page is, or becomes, a current translation
(a behind one is not compared, as in `check`). Each problem names the XLIFF file and the unit
written at its line, then says what `check` would say, at the line the page would have.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..sources.diagnostics import Problems
from . import translatable
from .translations import State

if TYPE_CHECKING:
    from ..sources.project import Project
    from .xliff import Imported


def check_imports(project: "Project", imports: list["Imported"]) -> list[str]:
    """Every problem of the pages the import would write, one line each (none: all is well)."""
    refused: list[str] = []
    for imported in imports:
        refused += _check(project, imported)
    return refused


def _check(project: "Project", imported: "Imported") -> list[str]:
    from ..markdown.analysis import analyse_text
    from ..markdown.blocks import page_blocks
    from ..markdown.parity import ChapterParity, compare

    problems = Problems(project.root)
    page = analyse_text(project, imported.lang, imported.chapter, imported.path, imported.body,
                        imported.body_line, problems, member_text=imported.chapter.startswith("casestudies/"))
    found = [(p.path, p.line, p.message) for p in problems.errors]
    item = translatable.find(project, imported.chapter)
    state = item.states[imported.lang]
    if not found and (imported.complete or state.state is State.CURRENT):
        source = translatable.analysed(project, None, item, state.source_lang)
        if source is not None:
            parity = ChapterParity(item.name, state.source_lang, imported.lang, page_blocks(source),
                                   page_blocks(page))
            compare(parity, problems)
            found += [(problems.relative(path), line, message) for path, line, message in parity.problems]
    xliff = problems.relative(imported.xliff)
    rel = problems.relative(imported.path)
    out = []
    for path, line, message in found:
        uid = imported.unit_at(line) if path == rel else None
        unit = f"unit '{uid}'" if uid else "the page around the units"
        out.append(f"{xliff}: {unit}: {path}:{line}: error: {message}")
    return out
