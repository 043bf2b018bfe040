"""Checks across files: what no single file can tell (unused entries, duplicate ids, links)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .markdown import citations as cites
from .markdown.preprocess import FENCE, Context, Target, expand

if TYPE_CHECKING:
    from .project import Project

_HEADING_ID = re.compile(r"^#{1,6}\s.*\{#([^}\s]+)[^}]*\}\s*$")
_LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
_IMAGE = re.compile(r"!\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")


def check_project(project: "Project") -> None:
    problems = project.problems
    cited: set[str] = set()
    for lang in project.languages:
        used: dict[str, list[str]] = {}
        ids: dict[str, tuple[str, int]] = {}
        for chapter in project.chapters:
            text = chapter.texts.get(lang)
            if text is None:
                continue
            ctx = Context(project, lang, Target.PANDOC, problems)
            expanded = expand(text.body, text.path, text.body_line, ctx)
            for cid in ctx.used_casestudies:
                used.setdefault(cid, []).append(chapter.name)
            for citation in cites.find_citations(expanded):
                cited.update(citation.keys)
            _check_lines(project, text.path, text.body, text.body_line, lang, ids)
        project.casestudy_users[lang] = used
        for cid, study in project.casestudies.items():
            if cid not in used:
                problems.warning(study.folder / "casestudy.yml", 1,
                                 f"case study '{cid}' is used in no chapter in '{lang}'")
    for key, line in project.bibliography.lines.items():
        if key not in cited:
            problems.warning(project.bibliography.path, line, f"entry '{key}' is cited nowhere")


def _check_lines(project: "Project", path, body: str, first_line: int, lang: str,
                 ids: dict[str, tuple[str, int]]) -> None:
    """Heading ids unique in a language; local links and images that resolve."""
    problems = project.problems
    fence = None
    for n, line in enumerate(body.split("\n"), start=first_line):
        if fence:
            if line.strip().startswith(fence):
                fence = None
            continue
        if m := FENCE.match(line):
            fence = m.group(1)
            continue
        if m := _HEADING_ID.match(line):
            anchor = m.group(1)
            if anchor in ids:
                first = ids[anchor]
                problems.error(path, n, f"duplicate id '{anchor}' (first used at {first[0]}:{first[1]})")
            else:
                ids[anchor] = (problems.relative(path), n)
        for m in _LINK.finditer(line):
            _check_target(project, path, n, m.group(1), lang, image=False)
        for m in _IMAGE.finditer(line):
            _check_target(project, path, n, m.group(1), lang, image=True)


def _check_target(project: "Project", path, lineno: int, target: str, lang: str, image: bool) -> None:
    if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I) or target.startswith("#"):
        return  # external URL or an anchor on the same page
    file_part = target.split("#", 1)[0]
    resolved = (path.parent / file_part).resolve()
    root = (project.docs_dir / lang).resolve()
    what = "image" if image else "link"
    if not resolved.is_relative_to(root):
        project.problems.error(path, lineno, f"{what} '{target}' points outside docs/{lang}/: refused")
    elif not resolved.exists():
        project.problems.error(path, lineno, f"{what} '{target}': file not found")
