"""Expand the project's Markdown dialect into what each target reads.

Directives (one line each, `{% name argument %}`):
  `{% casestudy ID %}`   a Member's case study, as a styled box
  `{% casestudies %}`    the catalogue of case studies, as a table
  `{% bibliography %}`   the list of references
  `{% include FILE %}`   another Markdown file of the same language folder
Plus admonitions (`!!! note "Title"`) and pandoc citations (`[@key]`), which only one of the two
targets understands natively. Every rule is written once, here; `Target` says which dialect to
produce. Problems are reported with the file and line where the editor wrote the construct.
"""

from __future__ import annotations

import enum
import html
import posixpath
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable

import markdown as pymarkdown
import nh3

from ..diagnostics import Problems
from ..vocabulary import REGIONS, SOURCES
from ..yamlfile import read_text
from . import citations as cites

if TYPE_CHECKING:
    from ..project import Project


class Target(enum.Enum):
    SITE = "site"  # Python-Markdown with the extensions of mkdocs.yml
    PANDOC = "pandoc"  # pandoc's Markdown, for DOCX and Typst


LABELS = {
    "en": {"casestudy": "Case study", "member": "Member", "region": "Region",
           "technologies": "Technologies", "year": "Year", "source": "Source",
           "read": "Read the case study"},
    "fr": {"casestudy": "Étude de cas", "member": "Membre", "region": "Région",
           "technologies": "Technologies", "year": "Année", "source": "Source",
           "read": "Lire l'étude de cas"},
}

DIRECTIVE = re.compile(r"^(?P<indent>[ \t]*)\{%\s*(?P<name>[A-Za-z][\w-]*)\s*(?P<arg>.*?)\s*%\}\s*$")
ADMONITION = re.compile(r'^(?P<indent> *)!!!\s+(?P<type>[\w-]+)(?:\s+"(?P<title>[^"]*)")?\s*$')
FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
CODE_SPAN = re.compile(r"(`+)(?:.+?)\1", re.S)
ADMONITION_TYPES = {"note", "tip", "info", "warning"}
SAFE_TAGS = {"p", "em", "strong", "a", "ul", "ol", "li", "table", "thead", "tbody", "tr", "th", "td",
             "blockquote", "code", "pre", "br", "span", "sup", "sub", "h3", "h4", "div", "abbr", "hr"}


@dataclass
class Context:
    """What an expansion needs to know about the page and the project."""

    project: "Project"
    lang: str
    target: Target
    problems: Problems
    # Site only: the rendered text of each citation, and a function giving the URL, relative to
    # the current page, of another page given by its path in the language folder.
    rendered: cites.RenderedCitations | None = None
    link: Callable[[str], str] | None = None
    page: str = ""  # the page's path inside its language folder, e.g. "ai-ml.md"
    stack: list[Path] = field(default_factory=list)  # files being expanded, for include cycles
    used_casestudies: set[str] = field(default_factory=set)


def expand(text: str, path: Path, first_line: int, ctx: Context) -> str:
    """Expand one Markdown text (a page body, or an included file) for `ctx.target`."""
    ctx.stack.append(path)
    try:
        lines = text.split("\n")
        out = _expand_lines(lines, path, first_line, ctx)
    finally:
        ctx.stack.pop()
    return "\n".join(out)


def _expand_lines(lines: list[str], path: Path, first_line: int, ctx: Context) -> list[str]:
    out: list[str] = []
    fence: str | None = None
    i = 0
    while i < len(lines):
        line, lineno = lines[i], first_line + i
        if fence:
            out.append(line)
            if line.strip().startswith(fence):
                fence = None
            i += 1
            continue
        if m := FENCE.match(line):
            fence = m.group(1)
            out.append(line)
            i += 1
            continue
        if m := DIRECTIVE.match(line):
            out.extend(_directive(m.group("name"), m.group("arg"), path, lineno, ctx))
            i += 1
            continue
        if "{%" in _mask_code(line):
            ctx.problems.error(path, lineno, "a directive '{% ... %}' must stand alone on its line and end with '%}'")
            i += 1
            continue
        if m := ADMONITION.match(line):
            end = i + 1
            indent = len(m.group("indent")) + 4
            while end < len(lines) and (not lines[end].strip() or _indent(lines[end]) >= indent):
                end += 1
            while end > i + 1 and not lines[end - 1].strip():
                end -= 1
            body = [ln[indent:] for ln in lines[i + 1:end]]
            out.extend(_admonition(m, body, path, lineno, ctx))
            i = end
            continue
        out.append(_inline(line, path, lineno, ctx))
        i += 1
    if fence:
        ctx.problems.error(path, first_line + len(lines) - 1, f"code block opened with {fence} is not closed")
    return out


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _mask_code(line: str) -> str:
    return CODE_SPAN.sub(lambda m: "\0" * len(m.group(0)), line)


def _inline(line: str, path: Path, lineno: int, ctx: Context) -> str:
    """Citations in a line of text: checked for both targets, formatted for the site."""
    masked = _mask_code(line)
    found = cites.find_citations(masked)
    if not found:
        return line
    for citation in found:
        for key in citation.keys:
            if key not in ctx.project.bibliography:
                ctx.problems.error(path, lineno, f"unknown citation key '{key}' (not in references.bib)")
    if ctx.target is Target.PANDOC or ctx.rendered is None:
        return line
    pieces, last = [], 0
    for citation in found:
        pieces.append(line[last:citation.start])
        pieces.append(ctx.rendered.citations.get(line[citation.start:citation.end], html.escape(citation.text)))
        last = citation.end
    pieces.append(line[last:])
    return "".join(pieces)


def _admonition(m: re.Match, body: list[str], path: Path, lineno: int, ctx: Context) -> list[str]:
    kind, title = m.group("type"), m.group("title")
    if kind not in ADMONITION_TYPES:
        ctx.problems.error(path, lineno, f"unknown admonition type '{kind}' (use one of: {', '.join(sorted(ADMONITION_TYPES))})")
    if not any(b.strip() for b in body):
        ctx.problems.error(path, lineno, "the admonition has no text: indent its text by 4 spaces")
    inner = _expand_lines(body, path, lineno + 1, ctx)
    if ctx.target is Target.SITE:
        head = f'{m.group("indent")}!!! {kind}' + (f' "{title}"' if title is not None else "")
        return [head] + [(m.group("indent") + "    " + ln) if ln.strip() else "" for ln in inner]
    out = [f"::::: {{.admonition .{kind}}}"]
    if title:
        out += [f"::: {{.admonition-title}}", _inline(title, path, lineno, ctx), ":::", ""]
    return out + inner + [":::::", ""]


def _directive(name: str, arg: str, path: Path, lineno: int, ctx: Context) -> list[str]:
    handler = DIRECTIVES.get(name)
    if handler is None:
        ctx.problems.error(path, lineno, f"unknown directive '{name}' (known: {', '.join(sorted(DIRECTIVES))})")
        return []
    try:
        args = shlex.split(arg)
    except ValueError:
        ctx.problems.error(path, lineno, f"directive '{name}': unbalanced quotes")
        return []
    return handler(args, path, lineno, ctx)


def _one_arg(name: str, args: list[str], path: Path, lineno: int, ctx: Context) -> str | None:
    if len(args) != 1:
        ctx.problems.error(path, lineno, f"directive '{name}' takes one argument, e.g. {{% {name} ID %}}")
        return None
    return args[0]


def _no_args(name: str, args: list[str], path: Path, lineno: int, ctx: Context) -> bool:
    if args:
        ctx.problems.error(path, lineno, f"directive '{name}' takes no argument")
        return False
    return True


def _casestudy(args: list[str], path: Path, lineno: int, ctx: Context) -> list[str]:
    cid = _one_arg("casestudy", args, path, lineno, ctx)
    if cid is None:
        return []
    study = ctx.project.casestudies.get(cid)
    if study is None:
        ctx.problems.error(path, lineno, f"unknown case study '{cid}' (no folder casestudies/{cid}/)")
        return []
    ctx.used_casestudies.add(cid)
    return casestudy_box(cid, ctx)


def casestudy_text(cid: str, ctx: Context) -> str:
    """A case study's text in the context's language, expanded (citations) for the target."""
    study = ctx.project.casestudies[cid]
    text = study.texts.get(ctx.lang, "")
    path = study.text_path(ctx.lang)
    for n, line in enumerate(text.split("\n"), start=1):
        if re.match(r"^#{1,2}\s", line):
            ctx.problems.error(path, n, "headings in a case study start at level 3 ('### ')")
        if DIRECTIVE.match(line):
            ctx.problems.error(path, n, "directives are not allowed in case-study text")
    return "\n".join(_expand_lines(text.split("\n"), path, 1, ctx))


def sanitize(fragment: str) -> str:
    """Members' text may carry HTML: keep harmless formatting, drop scripts, handlers, styles."""
    return nh3.clean(fragment, tags=SAFE_TAGS,
                     attributes={"a": {"href", "title"}, "span": {"class"}, "div": {"class"},
                                 "abbr": {"title"}, "td": {"align"}, "th": {"align"}},
                     url_schemes={"http", "https", "mailto"}, link_rel="noopener")


def casestudy_box(cid: str, ctx: Context) -> list[str]:
    study = ctx.project.casestudies[cid]
    labels = LABELS[ctx.lang]
    title = study.title(ctx.lang)
    member = study.member_name(ctx.lang)
    if study.meta.administration:
        member = study.meta.administration[ctx.lang]
    body = casestudy_text(cid, ctx)
    if ctx.target is Target.SITE:
        rendered = pymarkdown.markdown(body, extensions=["tables", "footnotes", "sane_lists"])
        href = ctx.link(f"casestudies/{cid}.md") if ctx.link else "#"
        box = (
            f'<div class="wco-casestudy" id="casestudy-{cid}">'
            f'<p class="wco-casestudy-title"><span class="wco-casestudy-label">{labels["casestudy"]}</span> '
            f'<a href="{html.escape(href)}">{html.escape(title)}</a></p>'
            f'<p class="wco-casestudy-member">{html.escape(member)} · {study.meta.year}</p>'
            f"{sanitize(rendered)}</div>"
        )
        # Blank lines would end the raw HTML block in Python-Markdown.
        return ["", "\n".join(ln for ln in box.split("\n") if ln.strip()), ""]
    # pandoc: raw HTML from Members is dropped, its text kept.
    body = nh3.clean(body, tags=set()) if "<" in body else body
    return ["", f":::::: {{.casestudy #casestudy-{cid}}}",
            "::: {.casestudy-title}", f"{labels['casestudy']}\u00a0: {title}" if ctx.lang == "fr"
            else f"{labels['casestudy']}: {title}", ":::", "",
            "::: {.casestudy-member}", f"{member} · {study.meta.year}", ":::", "",
            body.strip(), "", "::::::", ""]


def _casestudies(args: list[str], path: Path, lineno: int, ctx: Context) -> list[str]:
    if not _no_args("casestudies", args, path, lineno, ctx):
        return []
    labels = LABELS[ctx.lang]
    rows = [f"| {labels['casestudy']} | {labels['member']} | {labels['region']} | "
            f"{labels['technologies']} | {labels['year']} | {labels['source']} |",
            "|---|---|---|---|---|---|"]
    for cid, study in sorted(ctx.project.casestudies.items(), key=lambda kv: (kv[1].meta.year, kv[0])):
        title = study.title(ctx.lang).replace("|", "\\|")
        if ctx.target is Target.SITE:
            # A Markdown link to the generated page's source: MkDocs resolves and checks it.
            target = posixpath.relpath(f"casestudies/{cid}.md", posixpath.dirname(ctx.page) or ".")
            title = f"[{title}]({target})"
        techs = ", ".join(ctx.project.technologies[t].names[ctx.lang]
                          for t in study.meta.technologies if t in ctx.project.technologies)
        region = REGIONS[study.meta.region][ctx.lang]
        source = SOURCES[study.meta.source][ctx.lang]
        rows.append(f"| {title} | {study.member_name(ctx.lang)} | {region} | {techs} | "
                    f"{study.meta.year} | {source} |")
    return ["", *rows, ""]


def _bibliography(args: list[str], path: Path, lineno: int, ctx: Context) -> list[str]:
    if not _no_args("bibliography", args, path, lineno, ctx):
        return []
    if ctx.target is Target.SITE:
        refs = ctx.rendered.bibliography if ctx.rendered else ""
        return ["", "\n".join(ln for ln in refs.split("\n") if ln.strip()), ""]
    return ["", "::: {#refs}", ":::", ""]


def _include(args: list[str], path: Path, lineno: int, ctx: Context) -> list[str]:
    name = _one_arg("include", args, path, lineno, ctx)
    if name is None:
        return []
    root = (ctx.project.docs_dir / ctx.lang).resolve()
    target = (path.parent / name)
    resolved = target.resolve()
    if not resolved.is_relative_to(root):
        ctx.problems.error(path, lineno, f"include '{name}' points outside docs/{ctx.lang}/: refused")
        return []
    if not resolved.is_file():
        ctx.problems.error(path, lineno, f"include '{name}': file not found")
        return []
    if resolved in [p.resolve() for p in ctx.stack]:
        chain = " -> ".join(ctx.problems.relative(p) for p in [*ctx.stack, resolved])
        ctx.problems.error(path, lineno, f"include cycle: {chain}")
        return []
    text = read_text(resolved, ctx.problems)
    if text is None:
        return []
    if text.startswith("---\n"):
        ctx.problems.error(resolved, 1, "an included file has no front matter")
        return []
    return expand(text, resolved, 1, ctx).split("\n")


DIRECTIVES = {
    "casestudy": _casestudy,
    "casestudies": _casestudies,
    "bibliography": _bibliography,
    "include": _include,
}
