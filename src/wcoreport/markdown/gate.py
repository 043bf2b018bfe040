"""The check: every page of every language analysed once, then what no single page can tell —
ids unique in a language, links and their anchors, each case study shown once, figure and
table numbers, citations used, translations up to date.

`check_project` returns the analysis (a value): the site and the report are written from it,
so what they write is exactly what was checked.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
import posixpath
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote

from ..sources.diagnostics import Problems, Severity
from ..text.strings import missing as missing_strings
from ..translation.translations import check_translations
from .analysis import (LanguageAnalysis, Located, Numbered, PageAnalysis, ProjectAnalysis, analyse_language,
                       context_digest)
from .parity import ParityRule, check_parity

if TYPE_CHECKING:
    from ..sources.project import Project

CASESTUDY_PAGES = "casestudies"  # the site's folder of case-study pages, in each language


def check_project(project: "Project", parity: "ParityRule | Severity | None" = Severity.ERROR) -> ProjectAnalysis:
    """Analyse every page and check across pages; problems go to `project.problems`.
    `parity`: how translations are compared with their sources is reported (parity.ParityRule;
    a Severity: for a departing current translation of any language; None: not at all)."""
    # The languages side by side (pandoc reads one while Python checks the other); each reports
    # into its own collector, merged in order.
    reported = {lang: Problems(project.root) for lang in project.languages}
    context = context_digest(project)
    with ThreadPoolExecutor(max_workers=2) as pool:
        checked = list(pool.map(lambda lang: check_language(project, lang, context, reported[lang]),
                                project.languages))
    for lang in project.languages:
        project.problems.extend(reported[lang])
    return check_across(project, dict(zip(project.languages, checked)), context, parity)


@dataclass
class LanguageCheck:
    """One language analysed, and checked for all that needs no other language."""

    found: LanguageAnalysis
    numbers: dict[str, Numbered]  # figure or table id -> its number
    casestudy_users: dict[str, list[str]]  # case study id -> the pages that show it
    cited: set[str]  # the bibliography keys its pages cite

    def analysis(self, context: str) -> ProjectAnalysis:
        """The language's part of the project's analysis: all its document, site pages and
        report read (language_build.py)."""
        lang = self.found.lang
        return ProjectAnalysis({lang: self.found}, {lang: self.numbers}, {lang: self.casestudy_users}, {}, context)


def check_language(project: "Project", lang: str, context: str, problems: Problems) -> LanguageCheck:
    """A language's pages analysed and checked among themselves (`context`: context_digest)."""
    found = analyse_language(project, lang, problems, context)
    numbers = _numbers(project, found, problems)
    users = _casestudies(project, found, problems)
    _ids_and_links(project, lang, found, numbers, problems)
    _directives_once(found, problems)
    cited = {c.value for page in [*found.pages.values(), *found.casestudies.values()] for c in page.citations}
    return LanguageCheck(found, numbers, users, cited)


def check_across(project: "Project", checked: dict[str, LanguageCheck], context: str,
                 parity: "ParityRule | Severity | None") -> ProjectAnalysis:
    """What no language alone can tell (the interface's strings, links out of the project,
    references cited nowhere, translations up to date and parallel), once every language is
    checked (`checked`, in the project's order); the project's analysis."""
    problems = project.problems
    for message in missing_strings(project.languages):
        problems.error(Path(__file__).parent.parent / "strings.py", 0, message)
    analysis = ProjectAnalysis({lang: c.found for lang, c in checked.items()},
                               {lang: c.numbers for lang, c in checked.items()},
                               {lang: c.casestudy_users for lang, c in checked.items()}, context=context)
    _check_symlinks(project)
    cited = set().union(*(c.cited for c in checked.values()))
    for key, line in project.bibliography.lines.items():
        if key not in cited:
            problems.warning(project.bibliography.path, line, f"entry '{key}' is cited nowhere")
    check_translations(project)
    analysis.parity = check_parity(project, analysis, parity)
    return analysis


def _numbers(project: "Project", found: LanguageAnalysis, problems) -> dict[str, Numbered]:
    """Figures and tables with an id, numbered through the report in nav order."""
    numbers: dict[str, Numbered] = {}
    first: dict[str, Located] = {}
    counts = {"fig": 0, "tbl": 0}
    for chapter in project.chapters:
        page = found.pages.get(chapter.name)
        if page is None:
            continue
        for item in page.numbered:
            if item.value in first:
                where = first[item.value]
                problems.error(item.path, item.line, f"the id '{item.value}' is already used at "
                                                     f"{problems.relative(where.path)}:{where.line}")
                continue
            first[item.value] = item
            kind = item.value.split(":")[0]
            counts[kind] += 1
            numbers[item.value] = Numbered(kind, counts[kind], chapter.name)
    for page in found.pages.values():
        for ref in page.xrefs:
            if ref.value not in numbers:
                problems.error(ref.path, ref.line, f"unknown cross-reference '@{ref.value}' (no figure or table "
                                                   f"{{#{ref.value}}} in the chapters)")
    return numbers


def _casestudies(project: "Project", found: LanguageAnalysis, problems) -> dict[str, list[str]]:
    """Each case study shown once a language; which pages show it; unused ones."""
    users: dict[str, list[str]] = {}
    shown: dict[str, Located] = {}
    for name, page in found.pages.items():
        for use in page.casestudies:
            if use.value in shown:
                where = shown[use.value]
                problems.error(use.path, use.line, f"case study '{use.value}' is already shown at "
                                                   f"{problems.relative(where.path)}:{where.line}: show it once "
                                                   "per language, and link to it elsewhere")
                continue
            shown[use.value] = use
            users.setdefault(use.value, []).append(name)
            study = project.casestudies.get(use.value)
            if study is not None and study.meta.status == "submitted":
                # A Member's text as imported (intake/): no editor has taken it up yet.
                problems.error(use.path, use.line, f"case study '{use.value}' is a submission no editor has taken "
                                                   "up yet (status: submitted in "
                                                   f"{problems.relative(study.folder / 'casestudy.yml')}): it may "
                                                   "not appear in the Council documents; set its status to draft "
                                                   "once edited")
    for cid, study in project.casestudies.items():
        if cid not in users and study.meta.status != "submitted":  # (a submission waits for an editor)
            problems.warning(study.folder / "casestudy.yml", 1,
                             f"case study '{cid}' is used in no chapter in '{found.lang}'")
    return users


def _directives_once(found: LanguageAnalysis, problems) -> None:
    seen: dict[str, str] = {}
    for name, page in found.pages.items():
        for directive in ("bibliography", "abbreviations"):
            if directive in page.directives:
                if directive in seen and seen[directive] != name:
                    problems.error(page.path, 0, f"{{% {directive} %}} is already used in "
                                                 f"docs/{found.lang}/{seen[directive]}: once per language")
                seen.setdefault(directive, name)


def _ids_and_links(project: "Project", lang: str, found: LanguageAnalysis, numbers: dict[str, Numbered],
                   problems) -> None:
    """Ids unique in a language (the report is one document); local links and their anchors."""
    owner: dict[str, Located] = {}
    for page in found.pages.values():
        for heading in page.headings:
            if not heading.explicit:
                continue
            where = owner.get(heading.ident)
            if where is not None and (where.path, where.line) != (heading.path, heading.line):
                problems.error(heading.path, heading.line, f"duplicate id '{heading.ident}' (first used at "
                                                           f"{problems.relative(where.path)}:{where.line})")
            else:
                owner[heading.ident] = Located(heading.ident, heading.path, heading.line)
    docs = (project.docs_dir / lang).resolve()
    for page in [*found.pages.values()]:
        for link in page.links:
            _check_link(project, lang, docs, page, link, found, problems)


def resolve_link(docs: Path, source: Path, url: str) -> tuple[str | None, str]:
    """A local link's target: (page path in the language folder, or None for this page; anchor)."""
    file_part, _, anchor = url.partition("#")
    if not file_part:
        return None, anchor
    resolved = (source.parent / unquote(file_part)).resolve()
    try:
        return resolved.relative_to(docs).as_posix(), anchor
    except ValueError:
        return "..", anchor


def _check_link(project: "Project", lang: str, docs: Path, page: PageAnalysis, link: Located,
                found: LanguageAnalysis, problems) -> None:
    target, anchor = resolve_link(docs, link.path, link.value)
    if target == "..":
        problems.error(link.path, link.line, f"link '{link.value}' points outside docs/{lang}/: refused")
        return
    if target is None:
        target_page = page
    elif target.startswith(CASESTUDY_PAGES + "/") and target.endswith(".md"):
        cid = posixpath.basename(target)[:-3]
        if cid not in project.casestudies:
            problems.error(link.path, link.line, f"link '{link.value}': no case study '{cid}'")
        elif anchor:
            problems.error(link.path, link.line, f"link '{link.value}': link to the case study itself, "
                                                 "without '#...'")
        return
    elif target in found.pages:
        target_page = found.pages[target]
    elif (docs / target).is_file() and not target.endswith(".md"):
        problems.error(link.path, link.line, f"link '{link.value}': a link goes to a chapter (a .md file of "
                                             "the nav) or a web address; files are not part of the report")
        return
    else:
        problems.error(link.path, link.line, f"link '{link.value}': file not found (no chapter docs/{lang}/{target})")
        return
    if anchor and anchor not in target_page.ids:
        problems.error(link.path, link.line, f"link '{link.value}': no heading with the anchor '#{anchor}' "
                                             f"in docs/{lang}/{target_page.name}")


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
