"""What a proposed change changes, as Markdown for a CI job's summary: the changed pages and counts.

`build_report.py changes --since REV` compares each page of the sources with the same page at
REV (a pull request's base, a review round), with the redline's diff (markdown/redline.py), the
one the redline DOCX and PDF and the site's panels use, and prints a table per language:
the pages changed, added, removed, with the blocks and words inserted and deleted.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..markdown.document import document
from ..markdown.gate import check_project
from ..markdown.redline import Counts, Mark, redline
from ..sources.project import load_project
from ..pipeline.revisions import resolve, sources_at


@dataclass
class PageSummary:
    page: str
    title: str
    counts: Counts = field(default_factory=Counts)
    state: str = "changed"  # changed, added, removed


def page_changes(project, analysis, since: str) -> dict[str, list[PageSummary]]:
    """Per language, each page that differs from its text at `since` (RevisionError if unknown)."""
    revision = resolve(project.root, since)
    out: dict[str, list[PageSummary]] = {}
    with sources_at(project.root, revision) as old_root:
        old = load_project(old_root)
        old_analysis = check_project(old, parity=None)
        for lang in project.languages:
            now = document(project, analysis, lang)
            before = ({p.name: p for p in document(old, old_analysis, lang)}
                      if lang in old.languages and not old.problems.errors and old.metadata is not None else {})
            rows = []
            for page in now:
                title = _title(project, lang, page.name)
                previous = before.pop(page.name, None)
                if previous is None:
                    rows.append(PageSummary(page.name, title, state="added"))
                    continue
                counts = Counts()
                redline(previous.blocks, page.blocks, Mark(since), counts)
                if counts.any:
                    rows.append(PageSummary(page.name, title, counts))
            rows += [PageSummary(name, name, state="removed") for name in before]
            out[lang] = rows
    return out


def _title(project, lang: str, name: str) -> str:
    chapter = next((c for c in project.chapters if c.name == name and lang in c.texts), None)
    return chapter.texts[lang].title if chapter is not None else name


def _cell(text: str) -> str:
    """Text for a cell of a Markdown table: no markup of the author's is read as Markdown or HTML."""
    escaped = "".join(f"\\{ch}" if ch in "\\`*_{}[]<>|~" else ch for ch in text)
    return " ".join(escaped.split())


def markdown_summary(changes: dict[str, list[PageSummary]], since: str) -> str:
    """The summary as Markdown (GitHub's job summary, a GitLab note)."""
    lines = [f"## Changes since `{since}`", ""]
    total = sum(len(rows) for rows in changes.values())
    if not total:
        return "\n".join(lines + ["No page of the report changed.", ""])
    for lang, rows in changes.items():
        if not rows:
            lines += [f"**{lang}**: no page changed.", ""]
            continue
        lines += [f"**{lang}**: {len(rows)} page{'s' if len(rows) != 1 else ''}", "",
                  "| Page | Blocks changed | inserted | deleted | Words inserted | deleted |",
                  "|---|--:|--:|--:|--:|--:|"]
        for row in rows:
            c = row.counts
            name = f"{_cell(row.title)} ({_cell(row.page)})"
            if row.state != "changed":
                lines.append(f"| {name} | {row.state} | | | | |")
            else:
                lines.append(f"| {name} | {c.changed_blocks} | {c.inserted_blocks} | {c.deleted_blocks} | "
                             f"{c.inserted_words} | {c.deleted_words} |")
        lines.append("")
    return "\n".join(lines)
