"""Expand the project's Markdown dialect into what each target reads.

Directives (one line each, `{% name argument %}`):
  `{% casestudy ID %}`   a Member's case study, as a styled box
  `{% casestudies %}`    the catalogue of case studies, as a table
  `{% bibliography %}`   the list of references
  `{% include FILE %}`   another Markdown file of the same language folder
Plus admonitions (`!!! note "Title"`) and pandoc citations (`[@key]`), which only one of the two
targets understands natively; lettered lists (`a) text`) and numbered figures and tables with
their cross-references (`{#fig:id}`, `Table: ... {#tbl:id}`, `@fig:id`, see xrefs.py).
Every rule is written once, here; `Target` says which dialect to produce. Problems are
reported with the file and line where the editor wrote the construct.
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
from . import xrefs

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
# An image without a text alternative (refused: PDF/UA and the site's readers need one).
NO_ALT_TEXT = re.compile(r"!\[\s*\]\(")
# A lettered list item, "a) text", as in WCO documents. pandoc reads these lists natively
# (fancy_lists); Python-Markdown does not, so the site gets them as an HTML list.
LETTERED = re.compile(r"^(?P<letter>[a-z])\)[ \t]+(?P<text>\S.*)$")
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
    fence_line = 0
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
            fence, fence_line = m.group(1), lineno
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
        if (ctx.target is Target.SITE and (m := LETTERED.match(line)) and m.group("letter") == "a"
                and (i == 0 or not lines[i - 1].strip())):
            end, items = _lettered_list(lines, i, path, first_line, ctx)
            out.extend(items)
            i = end
            continue
        if m := xrefs.FIGURE.match(line):
            out.extend(_figure(m, path, lineno, ctx))
            i += 1
            continue
        if m := xrefs.TABLE_CAPTION.match(line):
            out.extend(_table_caption(m, path, lineno, ctx))
            i += 1
            continue
        out.append(_inline(line, path, lineno, ctx))
        i += 1
    if fence:
        # Reported where it was opened: the end of the file is not where the editor has to look.
        ctx.problems.error(path, fence_line, f"code block opened with {fence} is not closed")
    return out


def _lettered_list(lines: list[str], start: int, path: Path, first_line: int, ctx: Context
                   ) -> tuple[int, list[str]]:
    """Site: the lettered list "a) ... b) ..." starting at `start`, as an HTML list whose items
    Python-Markdown still reads as Markdown (md_in_html). Returns the index after the list."""
    items: list[list[str]] = []
    i = start
    while i < len(lines):
        m = LETTERED.match(lines[i])
        if m and m.group("letter") == chr(ord("a") + len(items)):
            items.append([_inline(m.group("text"), path, first_line + i, ctx)])
        elif lines[i].strip() and not LETTERED.match(lines[i]):
            items[-1].append(_inline(lines[i].strip(), path, first_line + i, ctx))  # continuation
        elif not lines[i].strip() and i + 1 < len(lines) and (n := LETTERED.match(lines[i + 1])) \
                and n.group("letter") == chr(ord("a") + len(items)):
            pass  # a blank line between two items
        else:
            break
        i += 1
    html_items = [f'<li markdown="span">{" ".join(item)}</li>' for item in items]
    return i, ["", '<ol class="wco-lettered" type="a" markdown>', *html_items, "</ol>", ""]


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _mask_code(line: str) -> str:
    return CODE_SPAN.sub(lambda m: "\0" * len(m.group(0)), line)


def _numbered(ident: str, path: Path, lineno: int, ctx: Context) -> xrefs.Numbered | None:
    """The number of the figure or table `ident` defined at path:lineno (None: not in the report)."""
    index = xrefs.xref_index(ctx.project, ctx.lang)
    item = index.items.get(ident)
    if item is not None and (item.path.resolve(), item.line) != (path.resolve(), lineno):
        if any(dup[1].resolve() == path.resolve() and dup[2] == lineno for dup in index.duplicates):
            ctx.problems.error(path, lineno, f"the id '{ident}' is already used at "
                               f"{ctx.problems.relative(item.path)}:{item.line}")
        return None
    return item


def _caption_text(item: xrefs.Numbered | None, caption: str, ctx: Context) -> str:
    if item is None:
        return caption
    # French spacing (typography.py) makes the space before the colon a no-break one.
    return f"{item.label(ctx.lang)}{' :' if ctx.lang == 'fr' else ':'} {caption}"


def _figure(m: re.Match, path: Path, lineno: int, ctx: Context) -> list[str]:
    """A figure with an id: its caption numbered ("Figure 3: ..."), for the target."""
    item = _numbered(m.group("id"), path, lineno, ctx)
    caption = _inline(_caption_text(item, m.group("caption"), ctx), path, lineno, ctx)
    title = m.group("title") or ""
    if ctx.target is Target.PANDOC:
        attrs = f"{m.group('before')}#{m.group('id')}{m.group('after')}".strip()
        return [f"{m.group('indent')}![{caption}]({m.group('src')}{title}){{{attrs}}}"]
    alt = html.escape(re.sub(r"[*_`\[\]]", "", m.group("caption")), quote=True)
    return ["", f'<figure class="wco-figure" id="{m.group("id")}" markdown>', "",
            f"![{alt}]({m.group('src')}{title})", "",
            f'<figcaption markdown="span">{caption}</figcaption>', "</figure>", ""]


def _table_caption(m: re.Match, path: Path, lineno: int, ctx: Context) -> list[str]:
    """A table's caption ("Table: ... {#tbl:id}"), numbered when it has an id."""
    ident = m.group("id")
    item = _numbered(ident, path, lineno, ctx) if ident else None
    caption = _inline(_caption_text(item, m.group("caption"), ctx), path, lineno, ctx)
    if ctx.target is Target.PANDOC:
        return [f"Table: {caption}" + (f" {{#{ident}}}" if ident else "")]
    id_attr = f' id="{ident}"' if ident else ""
    return [f'<p class="wco-caption"{id_attr} markdown="span">{caption}</p>']


def _references(line: str, path: Path, lineno: int, ctx: Context) -> str:
    """@fig:id and @tbl:id: "Figure 3" / « Tableau 2 », linked to the figure or table."""
    index = xrefs.xref_index(ctx.project, ctx.lang)
    masked = _mask_code(line)
    pieces, last = [], 0
    for m in xrefs.REFERENCE.finditer(masked):
        ident = m.group("id")
        item = index.items.get(ident)
        pieces.append(line[last:m.start()])
        last = m.end()
        if item is None:
            ctx.problems.error(path, lineno, f"unknown cross-reference '@{ident}' (no figure or table "
                               f"{{#{ident}}} in the report's chapters)")
            pieces.append(ident)
            continue
        if ctx.target is Target.PANDOC:
            target = f"#{ident}"
        else:
            here = posixpath.dirname(ctx.page) or "."
            target = f"#{ident}" if item.page == ctx.page else f"{posixpath.relpath(item.page, here)}#{ident}"
        pieces.append(f"[{item.label(ctx.lang)}]({target})")
    pieces.append(line[last:])
    return "".join(pieces)


def _inline(line: str, path: Path, lineno: int, ctx: Context) -> str:
    """Citations in a line of text: checked for both targets, formatted for the site. Before them,
    cross-references to figures and tables (their syntax, @fig:id, looks like a citation)."""
    if "@fig:" in line or "@tbl:" in line:
        line = _references(line, path, lineno, ctx)
    masked = _mask_code(line)
    if NO_ALT_TEXT.search(masked):  # the PDF (PDF/UA) and the site's readers need it
        ctx.problems.error(path, lineno, "an image needs a text alternative: ![what it shows](file)")
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
        if title:  # citations in the title: their text, as plain text (the title is one line)
            title = re.sub(r"<[^>]*>", "", _inline(title, path, lineno, ctx))
        head = f'{m.group("indent")}!!! {kind}' + (f' "{title}"' if title is not None else "")
        return [head] + [(m.group("indent") + "    " + ln) if ln.strip() else "" for ln in inner]
    out = [f"::::: {{.admonition .{kind}}}"]
    if title:
        out += ["::: {.admonition-title}", _inline(title, path, lineno, ctx), ":::", ""]
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
        if (ctx.project.root / "casestudies" / cid / "casestudy.yml").is_file():
            ctx.problems.error(path, lineno, f"case study '{cid}' cannot be shown: its files have errors")
        else:
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


_MARKUP = re.compile(r"([\\`*_{}\[\]<>#$@^~|=])")


def plain_text(text: str) -> str:
    """A Member's one-line value (a title, an administration) as literal text for pandoc: no
    character of it may start markup, raw code (`x`{=typst}) or a citation."""
    return _MARKUP.sub(r"\\\1", " ".join(text.split()))


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
    title, member = plain_text(title), plain_text(member)
    return ["", f":::::: {{.casestudy #casestudy-{cid}}}",
            "::: {.casestudy-title}", f"{labels['casestudy']}\u00a0: {title}" if ctx.lang == "fr"
            else f"{labels['casestudy']}: {title}", ":::", "",
            "::: {.casestudy-member}", f"{member} · {study.meta.year}", ":::", "",
            body.strip(), "", "::::::", ""]


def _casestudies(args: list[str], path: Path, lineno: int, ctx: Context) -> list[str]:
    if not _no_args("casestudies", args, path, lineno, ctx):
        return []
    labels = LABELS[ctx.lang]
    if ctx.target is Target.SITE:  # an HTML table the site's script can filter and sort
        from .catalogue import catalogue_html

        return catalogue_html(ctx, labels)
    rows = [f"| {labels['casestudy']} | {labels['member']} | {labels['region']} | "
            f"{labels['technologies']} | {labels['year']} | {labels['source']} |",
            "|---|---|---|---|---|---|"]
    for cid, study in sorted(ctx.project.casestudies.items(), key=lambda kv: (kv[1].meta.year, kv[0])):
        title = plain_text(study.title(ctx.lang))
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
