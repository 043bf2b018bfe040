"""Checks across files: what no single file can tell (unused entries, duplicate ids, links)."""

from __future__ import annotations

import html
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote

from markdown.extensions import toc

from .markdown import citations as cites
from .markdown.preprocess import FENCE, Context, Target, expand
from .translations import check_translations

if TYPE_CHECKING:
    from .project import Project

_HEADING = re.compile(r"^(#{1,6})\s+(?P<text>.*?)\s*$")
_ATTRS = re.compile(r"\s*\{(?P<attrs>[^{}]*)\}\s*$")
_ID_IN_ATTRS = re.compile(r"(?:^|\s)#([^\s}]+)")
_DIV_ID = re.compile(r"^:{3,}\s*\{[^}]*?#([^\s}]+)")
_LINK = re.compile(r"(?<!!)\[[^\]]*\]\(<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\)")
_IMAGE = re.compile(r"!\[[^\]]*\]\(<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\)")
_LINK_DEFINITION = re.compile(r"^\s{0,3}\[(?!\^)[^\]]+\]:\s*<?([^\s>]+)")  # not a footnote [^x]:
_HTML_REF = re.compile(r"""<(a|img)\b[^>]*?\s(?:href|src)\s*=\s*["']([^"']+)["']""", re.I)
_RAW_FORMAT = re.compile(r"\{\s*=\s*([\w-]+)\s*\}")  # pandoc raw code: ```{=typst}, `x`{=openxml}
_URL_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)
_CASESTUDY = re.compile(r"^\s*\{%\s*casestudy\s+(\S+)\s*%\}\s*$")


def check_project(project: "Project") -> None:
    problems = project.problems
    cited: set[str] = set()
    for lang in project.languages:
        used: dict[str, list[str]] = {}
        ids: dict[str, tuple[str, int]] = {}
        anchors: dict[str, set[str]] = {}  # page -> the ids a link may point to, as the site has them
        shown: dict[str, tuple[str, int]] = {}  # case study -> where it is first shown
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
            anchors[chapter.name] = page_ids(expanded)
        for chapter in project.chapters:
            text = chapter.texts.get(lang)
            if text is not None:
                _check_lines(project, text.path, text.body, text.body_line, lang, ids, anchors, shown)
        project.casestudy_users[lang] = used
        for cid, study in project.casestudies.items():
            if cid not in used:
                problems.warning(study.folder / "casestudy.yml", 1,
                                 f"case study '{cid}' is used in no chapter in '{lang}'")
            _check_casestudy_text(project, study.text_path(lang), study.texts.get(lang, ""))
    _check_symlinks(project)
    for key, line in project.bibliography.lines.items():
        if key not in cited:
            problems.warning(project.bibliography.path, line, f"entry '{key}' is cited nowhere")
    check_translations(project)


def heading_id(text: str, used: set[str]) -> str:
    """The id the site gives a heading: its `{#id}`, else the slug of Python-Markdown's toc
    extension (MkDocs' default), made unique on the page the way toc does it (`_1`, `_2`...)."""
    if m := _ATTRS.search(text):
        if found := _ID_IN_ATTRS.search(m.group("attrs")):
            return found.group(1)
        text = text[: m.start()]
    text = re.sub(r"\s+#+$", "", text)  # closing hashes
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)  # links and images: their text
    text = re.sub(r"<[^>]+>|[*_`]", "", text)  # inline HTML and emphasis marks
    return toc.unique(toc.slugify(html.unescape(text), "-"), used)


def page_ids(markdown: str) -> set[str]:
    """Every id a link can point to on a page (its headings; the boxes of its case studies)."""
    used: set[str] = set()
    fence = None
    for line in markdown.split("\n"):
        if fence:
            fence = None if line.strip().startswith(fence) else fence
            continue
        if m := FENCE.match(line):
            fence = m.group(1)
        elif m := _HEADING.match(line):
            used.add(heading_id(m.group("text"), used))
        elif m := _DIV_ID.match(line):
            used.add(m.group(1))
    return used


def _code_masked(line: str) -> str:
    return re.sub(r"(`+).+?\1", lambda m: "\0" * len(m.group(0)), line)


def _check_lines(project: "Project", path, body: str, first_line: int, lang: str,
                 ids: dict[str, tuple[str, int]], anchors: dict[str, set[str]],
                 shown: dict[str, tuple[str, int]]) -> None:
    """Heading ids unique in a language; each case study shown once; local links, their
    anchors and images that resolve."""
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
        if m := _HEADING.match(line):
            attrs = _ATTRS.search(m.group("text"))
            found = _ID_IN_ATTRS.search(attrs.group("attrs")) if attrs else None
            if found:
                anchor = found.group(1)
                if anchor in ids:
                    first = ids[anchor]
                    problems.error(path, n, f"duplicate id '{anchor}' (first used at {first[0]}:{first[1]})")
                else:
                    ids[anchor] = (problems.relative(path), n)
        if m := _CASESTUDY.match(line):
            cid = m.group(1)
            if cid in shown:
                first = shown[cid]
                problems.error(path, n, f"case study '{cid}' is already shown at {first[0]}:{first[1]}: "
                                        "show it once per language, and link to it elsewhere")
            else:
                shown[cid] = (problems.relative(path), n)
            continue
        masked = _code_masked(line)
        for m in _LINK.finditer(masked):
            _check_target(project, path, n, m.group(1), lang, anchors, image=False)
        for m in _IMAGE.finditer(masked):
            _check_target(project, path, n, m.group(1), lang, anchors, image=True)
        if m := _LINK_DEFINITION.match(masked):
            _check_target(project, path, n, m.group(1), lang, anchors, image=False)
        for m in _HTML_REF.finditer(masked):  # raw HTML: <a href="..."> and <img src="...">
            _check_target(project, path, n, html.unescape(m.group(2)), lang, anchors,
                          image=m.group(1).lower() == "img")


def _check_target(project: "Project", path, lineno: int, target: str, lang: str,
                  anchors: dict[str, set[str]], image: bool) -> None:
    if _URL_SCHEME.match(target):
        return  # a web address
    file_part, _, anchor = target.partition("#")
    root = (project.docs_dir / lang).resolve()
    what = "image" if image else "link"
    if file_part:
        resolved = (path.parent / unquote(file_part)).resolve()
        if not resolved.is_relative_to(root):
            project.problems.error(path, lineno, f"{what} '{target}' points outside docs/{lang}/: refused")
            return
        if not resolved.exists():
            project.problems.error(path, lineno, f"{what} '{target}': file not found")
            return
        page = resolved.relative_to(root).as_posix()
    else:
        page = path.resolve().relative_to(root).as_posix() if path.resolve().is_relative_to(root) else ""
    if anchor and page in anchors and anchor not in anchors[page]:
        project.problems.error(path, lineno, f"{what} '{target}': no heading with the anchor '#{anchor}' "
                                             f"in docs/{lang}/{page}")


def _check_casestudy_text(project: "Project", path, text: str) -> None:
    """Members' text is untrusted: links are full web addresses (it is shown on several pages),
    no images, no raw code for an output format. (Its HTML is sanitized: preprocess.sanitize.)"""
    fence = None
    for n, line in enumerate(text.split("\n"), start=1):
        if fence is None and (m := _RAW_FORMAT.search(line)):
            # pandoc would pass it, unchecked, into the DOCX or the Typst source of the PDF.
            project.problems.error(path, n, f"raw '{m.group(1)}' code is not allowed in case-study text")
        if fence:
            fence = None if line.strip().startswith(fence) else fence
            continue
        if m := FENCE.match(line):
            fence = m.group(1)
            continue
        masked = _code_masked(line)
        for m in _IMAGE.finditer(masked):
            project.problems.error(path, n, f"image '{m.group(1)}': a case study has no images")
        for m in [*_LINK.finditer(masked), *filter(None, [_LINK_DEFINITION.match(masked)])]:
            if not re.match(r"^(https?:|mailto:)", m.group(1), re.I):
                project.problems.error(path, n, f"link '{m.group(1)}': a case study links only to full web "
                                                "addresses (https://...)")


def _check_symlinks(project: "Project") -> None:
    """No file or folder of the sources may be a link to a place outside the project: MkDocs
    would copy it into the public site (an image, a PDF, anything in docs/), and the report
    would read it. One error per link, wherever it is."""
    problems = project.problems
    for top in (project.docs_dir, project.root / "casestudies"):
        if top.is_symlink() or not top.is_dir():
            if top.is_symlink() and not problems.inside(top):
                problems.error(top, 0, "the file is a link to a place outside the project: refused")
            continue
        for folder, dirs, files in os.walk(top):  # does not follow links to folders
            for name in sorted(dirs + files):
                path = Path(folder) / name
                if path.is_symlink() and not problems.inside(path):
                    problems.error(path, 0, "the file is a link to a place outside the project: refused")
