"""One analysis of each page: read once (includes and case studies expanded, see dialect.py),
parsed once by pandoc, checked on the tree pandoc produced, and returned as a value.

The value (`PageAnalysis`) holds the page's document tree, which the site and the report both
write from, and everything the checks need — headings and ids, links, images, citations, case
studies, figures and tables, abbreviations — each with the file and line the editor typed it
at. What a writer could not show safely is refused here, on the tree itself: raw code of any
format, attributes that are not on the allow-list, link schemes other than web and mail
addresses, images that are not files of the page's language folder.

Lines: pandoc's Markdown reader gives no source positions, so each node is found back in the
expanded text, in document order, by a piece of text it must contain (a link's address, a
citation's key, a word); the expanded text's own map then gives the file and line.
"""

from __future__ import annotations

import collections
import functools
import json
import marshal
import re
import stat
import threading
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ..pipeline.cache import Cache, digest, file_digest, results
from ..sources.diagnostics import Problems, Remembered
from ..pipeline.pandoc import WARNED, ToolError, ToolMissing
from ..text.strings import text
from . import pandoc_warnings
from .dialect import MAX_NESTING, Expanded, expand_casestudy, expand_member_text, expand_page
from ..data import DataTable, format_value
from ..data.charts import alt_text, chart_caption
from .pandoc_ast import Node, attribute, children, cites, from_json, inlines, map_inlines, plain, stringify, table

if TYPE_CHECKING:
    from ..sources.project import Project

# pandoc's Markdown, less what would let an author's text become something else: TeX and
# `$math$` (raw TeX is dropped by every writer but LaTeX; math needs alt text in PDF/UA), HTML
# tags read as Divs and Spans (their attributes would pass to the site), metadata blocks in the
# middle of a page. Raw HTML and `{=format}` stay on, so that the analysis sees them and refuses.
READER = "markdown" + "".join(f"-{ext}" for ext in (
    "raw_tex", "tex_math_dollars", "tex_math_single_backslash", "native_divs", "native_spans",
    "yaml_metadata_block", "pandoc_title_block", "latex_macros", "markdown_in_html_blocks",
    # Ids are ours to give (below): pandoc's would repeat across pages of one report.
    "auto_identifiers"))
PANDOC_API = (1, 23)
API_VERSION = [1, 23, 1, 1]  # what the passes on the tree are written for

URL_SCHEMES = {"http", "https", "mailto"}
# What every output can show: the DOCX has no SVG without a converter we cannot ship (pandoc
# wants rsvg-convert), and Word shows no WebP.
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif"}
# Attributes an author may give: an id, classes, and an image's size.
SIZE = re.compile(r"^\d+(?:\.\d+)?(?:%|px|cm|mm|in|em)?$")
CLASS = re.compile(r"^[A-Za-z][\w-]*$")
IDENT = re.compile(r"^[A-Za-z][\w:.-]*$")
XREF_KINDS = ("fig", "tbl")


@dataclass(frozen=True)
class Located:
    """Something a page refers to or defines, where the editor typed it."""

    value: str
    path: Path
    line: int


@dataclass
class Heading:
    level: int
    ident: str
    title: str
    path: Path
    line: int
    explicit: bool  # typed by the editor ({#id}), not made from the title


@dataclass
class PageAnalysis:
    """What one page of one language is, once read: its tree, and all that can be checked."""

    name: str  # the page's path in its language folder, e.g. "ai-ml.md"
    lang: str
    path: Path
    blocks: list[Node]  # pandoc's tree of the page (directives expanded), after the checks
    block_lines: list[tuple[Path, int]]  # where each top-level block starts
    headings: list[Heading] = field(default_factory=list)
    ids: dict[str, Located] = field(default_factory=dict)  # every id a link may point to
    links: list[Located] = field(default_factory=list)  # local links (web addresses are not kept)
    images: list[Located] = field(default_factory=list)
    citations: list[Located] = field(default_factory=list)  # bibliography keys
    xrefs: list[Located] = field(default_factory=list)  # @fig:... / @tbl:...
    numbered: list[Located] = field(default_factory=list)  # figures and tables with an id, in order
    casestudies: list[Located] = field(default_factory=list)
    directives: set[str] = field(default_factory=set)  # casestudies, bibliography, abbreviations
    abbreviations: dict[str, tuple[str, Path, int]] = field(default_factory=dict)
    includes: list[Path] = field(default_factory=list)
    digest: str = ""  # of all it was made from (its expanded text, the project around it)

    @functools.cached_property
    def citation_key(self) -> str:
        """The page's citations as citeproc would be given them (keys, prefixes, suffixes,
        modes, in order): pages with equal keys get the same citations formatted."""
        found = [[[c["citationId"], c["citationPrefix"], c["citationSuffix"], c["citationMode"]]
                  for c in node["c"][0]] for node in cites(self.blocks)]
        return digest([json.dumps(found, separators=(",", ":"))])

    @property
    def title(self) -> str:
        first = next((h for h in self.headings if h.level == 1), None)
        return first.title if first else self.name

    # Pickled (from a language's process to the build command, and on to MkDocs'), the tree
    # goes through marshal: pandoc's JSON is dicts, lists, strings and numbers, and marshal
    # writes and reads it several times faster. It is read back only where it is used: the
    # build command passes it on as it came, and MkDocs reads the chapters' only.
    def __getstate__(self) -> dict:
        packed = self.__dict__.get("_packed")
        state = {key: value for key, value in self.__dict__.items() if key != "_packed"}
        return {**state, "blocks": packed if packed is not None else marshal.dumps(self.blocks)}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update({key: value for key, value in state.items() if key != "blocks"},
                             _packed=state["blocks"])

    def __getattr__(self, name: str):
        packed = self.__dict__.get("_packed") if name == "blocks" else None
        if packed is None:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        self.__dict__["blocks"] = blocks = marshal.loads(packed)
        del self.__dict__["_packed"]
        return blocks


def parse_pages(texts: list[str], cache: Cache | None = None) -> list[dict | ToolError]:
    """pandoc's tree of each text in the project's reader format, read in one pandoc process,
    each as a document of its own (kept in `cache`, if given); a text pandoc cannot read gets
    its ToolError."""
    made = (cache or Cache(None)).memo_pandoc("parse", ["-f", READER, "-t", "json"],
                                              [{"text": t, "from": READER, "to": "json"} for t in texts])
    return [m if isinstance(m, Exception) else _tree(m) for m in made]


class TooDeep(ToolError):
    """A page nested beyond what the passes on its tree can follow."""


def _tree(json_text: bytes) -> dict | ToolError:
    try:
        return check_pandoc_api(from_json(json_text))
    except RecursionError:
        return TooDeep("the page is nested too deeply to be read")


def check_pandoc_api(doc: dict) -> dict:
    """The passes on the tree are written for pandoc's document format PANDOC_API or later."""
    version = tuple(doc.get("pandoc-api-version", ())[:2])
    if version < PANDOC_API:
        raise ToolError(f"pandoc writes document format {'.'.join(map(str, version)) or '?'}, the project "
                        f"needs {'.'.join(map(str, PANDOC_API))} or later: install the project's packages")
    return doc


class _Locator:
    """Finds nodes back in the expanded text, moving forward only."""

    WINDOW = 400  # lines searched ahead for one node

    def __init__(self, expanded: Expanded):
        self.lines = expanded.lines
        self.origin = expanded.origin
        self.cursor = 0

    def find(self, needle: str) -> int | None:
        needle = needle.strip()
        if not needle:
            return None
        end = min(len(self.lines), self.cursor + self.WINDOW)
        for i in range(self.cursor, end):
            if needle in self.lines[i]:
                self.cursor = i
                return i
        return None

    def skip(self, paths: set[Path]) -> None:
        """Move past the lines that came from `paths`."""
        while self.cursor < len(self.origin) - 1 and self.origin[self.cursor][0] in paths:
            self.cursor += 1

    def fence_above(self) -> None:
        """A code block's first line found: the block starts at its fence, if it has one."""
        if self.cursor > 0 and re.match(r"^\s*(```|~~~)", self.lines[self.cursor - 1]):
            self.cursor -= 1

    def here(self) -> tuple[Path, int]:
        if not self.origin:
            return Path("."), 0
        return self.origin[min(self.cursor, len(self.origin) - 1)]


_WORD = re.compile(r"\w+")


@functools.lru_cache(maxsize=65536)
def _word(text: str) -> str:
    """A Str's anchor: its longest word, if it has three letters or more."""
    word = max(_WORD.findall(text), key=len, default="")
    return word if len(word) >= 3 else ""


def _anchor(node: Node) -> str:
    """A piece of the source text that the node must contain, to find it back."""
    kind, c = node.get("t"), node.get("c")
    if kind == "Str":
        return _word(c)
    if kind in ("Link", "Image"):
        return c[2][0]
    if kind in ("Code", "RawInline"):
        return c[1].split("\n")[0][:40]
    if kind in ("CodeBlock", "RawBlock"):
        first = next((ln for ln in c[1].split("\n") if ln.strip()), "")
        return first[:40]
    if kind == "Cite":
        return "@" + c[0][0]["citationId"]
    if kind == "Div" and (cid := attribute(c[0], "data-casestudy")) is not None:
        return f'data-casestudy="{cid}"'  # the line of its directive (dialect.py)
    if kind == "Div":
        for key in ("data-table", "data-chart"):  # {% table %}, {% chart %}: the line of the directive too
            if (name := attribute(c[0], key)) is not None:
                return f'{key}="{name}"'
    if kind in ("Table", "Figure") and c[0][0]:
        return "#" + c[0][0]  # typed as {#tbl:id} / {#fig:id}
    for child in children(node):  # a container: the first thing in it that can be found
        for item in child:  # (not in a footnote: its text is typed elsewhere)
            if isinstance(item, dict) and item.get("t") != "Note" and (found := _anchor(item)):
                return found
    if kind == "Div" and c[0][1]:  # an empty block of a directive ({% casestudies %}): its line
        return "{." + c[0][1][0]
    return ""


_PLAIN_TEXT = {"Str", "Space", "SoftBreak", "LineBreak"}


class _Analyser:
    def __init__(self, project: "Project", lang: str, page: PageAnalysis, expanded: Expanded, problems: Problems):
        self.project, self.lang, self.page, self.problems = project, lang, page, problems
        self.locator = _Locator(expanded)
        self.docs = (project.docs_dir / lang).resolve()
        self.level = 0  # the last heading level, for skips
        self.casestudy: str | None = None  # inside the box of this case study
        self._start = 0  # where the current top-level block starts
        self._casestudy_texts = {study.text_path(lang) for study in project.casestudies.values()}

    def error(self, message: str) -> None:
        path, line = self.locator.here()
        self.problems.error(path, line, message)

    def blocks(self, blocks: list[Node]) -> list[tuple[Path, int]]:
        """Check the page's top-level blocks; where each one starts."""
        starts = []
        for block in blocks:
            if starts:  # a top-level block starts below the one before it
                self.locator.cursor = max(self.locator.cursor, self._start + 1)
            if self.page.path not in self._casestudy_texts:
                self.locator.skip(self._casestudy_texts)  # a chapter's block is never in a case study's text
            anchor = _anchor(block)
            if anchor:
                self.locator.find(anchor)
            self._start = self.locator.cursor
            starts.append(self.locator.here())
            self.node(block, 0)
        return starts

    def node(self, node: Any, depth: int) -> None:
        if not isinstance(node, dict):
            return
        if depth > 4 * MAX_NESTING:
            self.error(f"blocks nested more than {MAX_NESTING} levels deep")
            return
        kind = node["t"]
        if kind in _PLAIN_TEXT:  # most nodes: found back by a word, nothing to check
            if kind == "Str" and (word := _word(node["c"])):
                self.locator.find(word)
            return
        if kind == "Note":  # its text is typed further down ([^id]: ...): come back after it
            saved = self.locator.cursor
            self.locator.find(next((a for block in node["c"] if (a := _anchor(block))), ""))
            for child in children(node):
                for item in child:
                    self.node(item, depth + 1)
            self.locator.cursor = saved
            return
        anchor = _anchor(node)
        if anchor and self.locator.find(anchor) is not None and kind in ("CodeBlock", "RawBlock"):
            self.locator.fence_above()
        check = getattr(self, f"_{kind}", None)
        if check is not None and check(node) is False:
            return  # the node's own check handled its children
        for child in children(node):
            for item in child:
                self.node(item, depth + 1)

    # --- attributes, on every node that has them
    def attributes(self, node_attr: list, allowed: tuple[str, ...] = ()) -> None:
        ident, classes, pairs = node_attr
        if ident and not IDENT.match(ident):
            self.error(f"the id '{ident}' is not usable: letters, digits, '-', '_', ':' and '.' only, "
                       "starting with a letter")
        for cls in classes:
            if not CLASS.match(cls):
                self.error(f"the class '{cls}' is not usable: letters, digits, '-' and '_' only")
        for key, value in pairs:
            if key in allowed:
                if not SIZE.match(value):
                    self.error(f"{key}='{value}': give a number with a unit, e.g. {key}=\"50%\"")
                continue
            self.error(f"the attribute '{key}' is not offered"
                       + (" (allowed here: " + ", ".join(allowed) + ")" if allowed else
                          ": an id ({#id}) and classes ({.name}) are"))

    def _ident(self, ident: str) -> None:
        if ident:
            path, line = self.locator.here()
            self.page.ids.setdefault(ident, Located(ident, path, line))

    # --- raw code: never from an author
    def _RawBlock(self, node: Node) -> bool:
        self._raw(node["c"][0])
        return False

    def _RawInline(self, node: Node) -> bool:
        self._raw(node["c"][0])
        return False

    def _raw(self, fmt: str) -> None:
        if self.casestudy is not None:
            self.error(f"raw '{fmt}' code is not allowed in case-study text")
            return
        what = "HTML" if fmt == "html" else f"'{fmt}' code"
        self.error(f"raw {what} is not offered (it would reach an output unchecked): write Markdown"
                   + (" (to show a tag as text, put it in `backticks`)" if fmt == "html" else ""))

    def _Math(self, node: Node) -> None:
        self.error("math is not offered: write the formula in words or as `code`")

    # --- headings
    def _Header(self, node: Node) -> None:
        level, node_attr, content = node["c"]
        self.attributes(node_attr)
        if self.casestudy is not None:
            return
        if level > self.level + 1:
            self.error(f"heading level {level} after level {self.level}: a heading may go one level deeper at "
                       f"most ({'#' * (self.level + 1)} here)")
        self.level = level
        path, line = self.locator.here()
        explicit = bool(node_attr[0])
        if not explicit:
            node_attr[0] = self._slug(stringify(content))
        self.page.headings.append(Heading(level, node_attr[0], stringify(content), path, line, explicit))
        self._ident(node_attr[0])

    def _slug(self, title: str) -> str:
        """An id from a heading's text, as MkDocs makes them (ASCII: 'Études' -> 'etudes'),
        unique on the page."""
        ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
        base = re.sub(r"[^\w\s-]", "", ascii_title).strip().lower()
        base = re.sub(r"[-\s]+", "-", base) or "section"
        ident, n = base, 1
        while ident in self.page.ids:
            ident = f"{base}_{n}"
            n += 1
        return ident

    # --- containers with attributes
    def _Div(self, node: Node) -> bool | None:
        node_attr, content = node["c"]
        cid = attribute(node_attr, "data-casestudy")
        if cid is not None:  # a case study's box, made by the dialect
            self._casestudy_box(cid, node)
            outer, self.casestudy = self.casestudy, cid
            for block in content:
                self.node(block, 1)
            self.casestudy = outer
            return False
        for cls in node_attr[1]:
            if cls.startswith("wco-"):
                self.page.directives.add(cls[4:])
        if (name := attribute(node_attr, "data-table")) is not None:
            self._numbered(f"tbl:{name}", "tbl")
        if (name := attribute(node_attr, "data-chart")) is not None:
            self._numbered(f"fig:{name}", "fig")
        self._ident(node_attr[0])
        return None

    def _Span(self, node: Node) -> None:
        self.attributes(node["c"][0])
        self._ident(node["c"][0][0])

    def _Code(self, node: Node) -> None:
        self.attributes(node["c"][0])

    def _CodeBlock(self, node: Node) -> None:
        self.attributes(node["c"][0])
        self._ident(node["c"][0][0])

    def _Table(self, node: Node) -> None:
        node_attr = node["c"][0]
        self.attributes(node_attr)
        self._numbered(node_attr[0], "tbl")

    def _Figure(self, node: Node) -> None:
        node_attr = node["c"][0]
        self.attributes(node_attr)
        self._numbered(node_attr[0], "fig")

    def _numbered(self, ident: str, kind: str) -> None:
        if not ident:
            return
        if not ident.startswith(kind + ":"):
            self.error(f"the id of a {'figure' if kind == 'fig' else 'table'} starts with '{kind}:' "
                       f"(e.g. {{#{kind}:name}}) so that @{kind}:name can refer to it")
            return
        path, line = self.locator.here()
        self.page.numbered.append(Located(ident, path, line))
        self._ident(ident)

    # --- links, images, citations
    def _Link(self, node: Node) -> None:
        node_attr, _content, (url, _title) = node["c"]
        self.attributes(node_attr)
        self._ident(node_attr[0])
        scheme = urlsplit(url).scheme.lower() if ":" in url else ""
        if self.casestudy is not None and scheme not in URL_SCHEMES:
            self.error(f"link '{url[:60]}': a case study links only to full web addresses (https://...)")
            return
        if scheme and len(scheme) > 1:
            if scheme not in URL_SCHEMES:
                self.error(f"link '{url[:60]}': only web (https://) and e-mail (mailto:) addresses are offered")
            return
        path, line = self.locator.here()
        self.page.links.append(Located(url, path, line))

    def _Image(self, node: Node) -> None:
        node_attr, content, (src, _title) = node["c"]
        self.attributes(node_attr, allowed=("width", "height"))
        if self.casestudy is not None:
            self.error(f"image '{src[:60]}': a case study has no images")
            return
        if not stringify(content).strip():
            self.error("an image needs a text alternative: ![what it shows](file)")
        if ":" in src or src.startswith("//"):
            self.error(f"image '{src[:60]}': images are files beside the chapters (e.g. images/chart.png), "
                       "not web or data addresses")
            return
        if "%" in src or "\\" in src or " " in src:
            self.error(f"image '{src}': name image files with letters, digits, '-', '_' and '.' only")
            return
        path, line = self.locator.here()
        if Path(src).suffix.lower() not in IMAGE_SUFFIXES:
            self.error(f"image '{src}': use a PNG, JPEG or GIF file (the Word document can show no other)")
            return
        resolved = (path.parent / src).resolve()
        if not resolved.is_relative_to(self.docs):
            self.error(f"image '{src}' points outside docs/{self.lang}/: refused")
        elif not resolved.is_file():
            self.error(f"image '{src}': file not found")
        else:
            self.page.images.append(Located(src, path, line))

    def _Cite(self, node: Node) -> bool | None:
        citations, _content = node["c"]
        path, line = self.locator.here()
        for citation in citations:
            key = citation["citationId"]
            kind = key.split(":", 1)[0]
            if kind in XREF_KINDS and ":" in key:
                self.page.xrefs.append(Located(key, path, line))
            else:
                if key not in self.project.bibliography:
                    self.error(_unknown_key(key, self.project.bibliography))
                self.page.citations.append(Located(key, path, line))
        return None

    # --- a case study's box: its title and Member line filled with the metadata, as text
    def _casestudy_box(self, cid: str, node: Node) -> None:
        path, line = self.locator.here()
        self.page.casestudies.append(Located(cid, path, line))
        study = self.project.casestudies[cid]
        member = study.member_name(self.lang)
        if study.meta.administration:
            member = study.meta.administration.get(self.lang) or member
        title = text("casestudy", self.lang) + (" : " if self.lang == "fr" else ": ") + study.title(self.lang)
        for block in node["c"][1]:
            if block["t"] != "Div":
                continue
            classes = block["c"][0][1]
            if "casestudy-title" in classes:
                block["c"][1] = [{"t": "Plain", "c": inlines(title)}]
            elif "casestudy-member" in classes:
                block["c"][1] = [{"t": "Plain", "c": inlines(f"{member} · {study.meta.year}")}]
        # Headings of a Member's text are the box's own: bold lines, in every output.
        node["c"][1] = [{"t": "Para", "c": [{"t": "Strong", "c": b["c"][2]}]} if b["t"] == "Header" else b
                        for b in node["c"][1]]
        self._ident(node["c"][0][0])


def _unknown_key(key: str, bibliography) -> str:
    commented = getattr(bibliography, "commented", {}).get(key)
    if commented:
        return (f"unknown citation key '{key}': its entry is inside a @comment (references.bib:"
                f"{commented}), which BibTeX ignores; take it out of the comment to cite it")
    return f"unknown citation key '{key}' (not in references.bib)"


def _analyse(project: "Project", lang: str, name: str, path: Path, expanded: Expanded,
             parsed: dict | ToolError, problems: Problems) -> PageAnalysis:
    """A page's analysis from its expanded text and pandoc's reading of it (parse_pages)."""
    if isinstance(parsed, ToolMissing):
        raise parsed
    doc = parsed
    if isinstance(parsed, TooDeep):
        problems.error(path, 0, str(parsed))
        doc = {"blocks": []}
    elif isinstance(parsed, ToolError):
        warned = str(parsed).removeprefix(WARNED)
        if warned != str(parsed):
            pandoc_warnings.report(warned.split("; "), expanded, path, problems)
        else:
            problems.error(path, 0, f"pandoc could not read the page: {parsed}")
        doc = {"blocks": []}
    page = PageAnalysis(name, lang, path, doc["blocks"], [], abbreviations=expanded.abbreviations,
                        includes=expanded.includes)
    analyser = _Analyser(project, lang, page, expanded, problems)
    try:
        page.block_lines = analyser.blocks(page.blocks)
    except RecursionError:
        problems.error(path, 0, "the page is nested too deeply to be read")
        page.blocks = []
    if page.abbreviations:
        page.blocks = _mark_abbreviations(page.blocks, page.abbreviations)
    if page.directives & {"datatable", "chart"}:  # (the classes of their Divs, see _Div)
        page.blocks = data_blocks(project, lang, page.blocks)
    return page


def _mark_abbreviations(blocks: list[Node], abbreviations: dict[str, tuple[str, Path, int]]) -> list[Node]:
    """Each word that is an abbreviation becomes a Span(.abbr, title=its full name)."""
    from .pandoc_ast import map_inlines

    pattern = re.compile(r"(?<!\w)(" + "|".join(re.escape(a) for a in sorted(abbreviations, key=len, reverse=True))
                         + r")(?!\w)")

    def change(node: Node):
        if node.get("t") != "Str" or not pattern.search(node["c"]):
            return None
        out = []
        last = 0
        for m in pattern.finditer(node["c"]):
            if m.start() > last:
                out.append({"t": "Str", "c": node["c"][last:m.start()]})
            out.append({"t": "Span", "c": [["", ["abbr"], [["title", abbreviations[m.group(1)][0]]]],
                                           [{"t": "Str", "c": m.group(1)}]]})
            last = m.end()
        if last < len(node["c"]):
            out.append({"t": "Str", "c": node["c"][last:]})
        return out

    def skip_code(nodes):
        return map_inlines(nodes, change, {"Str"})

    return skip_code(blocks)


CHART_SCHEME = "chart:"  # the source of a chart's image: drawn by each output (site/, report/)


def data_blocks(project: "Project", lang: str, blocks: list[Node]) -> list[Node]:
    """The `{% table %}` and `{% chart %}` of a page, made from data/ (after the checks: an
    author cannot write these nodes, only the directives that ask for them)."""
    def made(block: Node) -> list[Node] | None:
        if block.get("t") != "Div":
            return None
        node_attr = block["c"][0]
        if (name := attribute(node_attr, "data-table")) is not None:
            return [data_table(project.tables[name], lang, f"tbl:{name}")]
        if (name := attribute(node_attr, "data-chart")) is not None:
            spec = project.charts[name]
            source = project.tables[spec.schema.table]
            alt = alt_text(spec, source, lang)
            image = {"t": "Image", "c": [["", ["wco-chart"], []], inlines(alt), [CHART_SCHEME + name, ""]]}
            figure = {"t": "Figure", "c": [[f"fig:{name}", [], []], [None, [plain(chart_caption(spec, lang))]],
                                           [{"t": "Plain", "c": [image]}]]}
            rows = list(spec.schema.rows or source.rows)
            columns = [spec.schema.x, *spec.y_columns]
            data = data_table(source, lang, "", columns=columns, rows=rows)
            # One block for one directive: the page's blocks keep their source lines (block_lines).
            return [{"t": "Div", "c": [["", ["wco-chart-block"], []],
                                       [figure, {"t": "Div", "c": [["", ["wco-chart-data"], []], [data]]}]]}]
        return None

    return map_inlines(blocks, made, {"Div"})  # (blocks too, children first)


def data_table(source: DataTable, lang: str, ident: str, columns: list[str] | None = None,
               rows: list[str] | None = None) -> Node:
    """A table of data/ as a table of the document: translated headers, formatted values."""
    columns = columns or list(source.columns)
    rows = rows or list(source.rows)
    headers = [source.columns[c].label[lang] for c in columns]
    cells = [[format_value(source, r, c, lang) for c in columns] for r in rows]
    right = {i for i, c in enumerate(columns) if source.columns[c].numeric}
    return table(headers, cells, ident=ident, caption=source.title[lang] if ident else "", right=right)


def _expand_chapter(project: "Project", lang: str, name: str, problems: Problems) -> tuple[Path, Expanded] | None:
    chapter = next((c for c in project.chapters if c.name == name), None)
    text_ = chapter.texts.get(lang) if chapter else None
    if text_ is None:
        return None
    return text_.path, expand_page(project, lang, text_.body, text_.path, text_.body_line, problems)


def _expand_casestudy(project: "Project", lang: str, cid: str, problems: Problems) -> tuple[Path, Expanded]:
    """A case study's box alone (its own page on the site)."""
    return project.casestudies[cid].text_path(lang), expand_casestudy(project, lang, cid, problems)


def analyse_chapter(project: "Project", lang: str, name: str, problems: Problems) -> PageAnalysis | None:
    """One chapter alone (the language's analysis reads all its pages at once)."""
    expanded = _expand_chapter(project, lang, name, problems)
    if expanded is None:
        return None
    path, text_ = expanded
    return _analyse(project, lang, name, path, text_, parse_pages([text_.text], results(project))[0], problems)


def analyse_casestudy(project: "Project", lang: str, cid: str, problems: Problems) -> PageAnalysis:
    """One case study's text alone (the language's analysis reads them all at once)."""
    path, expanded = _expand_casestudy(project, lang, cid, problems)
    return _analyse(project, lang, f"casestudies/{cid}.md", path, expanded,
                    parse_pages([expanded.text], results(project))[0], problems)


def analyse_text(project: "Project", lang: str, name: str, path: Path, body: str, body_line: int,
                 problems: Problems, member_text: bool = False) -> PageAnalysis:
    """A chapter's page from a text that is not its file (yet): what an XLIFF import would
    write, analysed as the check analyses the file, before anything is written. `member_text`:
    a Member's case-study text, under its stricter rules (dialect.expand_member_text)."""
    expanded = expand_member_text(project, lang, body, path, problems) if member_text else \
        expand_page(project, lang, body, path, body_line, problems)
    return _analyse(project, lang, name, path, expanded, parse_pages([expanded.text], results(project))[0], problems)


@dataclass
class LanguageAnalysis:
    lang: str
    pages: dict[str, PageAnalysis]  # chapters, in nav order
    casestudies: dict[str, PageAnalysis]  # each case study's box alone, by id


def analyse_language(project: "Project", lang: str, problems: Problems, context: str) -> LanguageAnalysis:
    """Every chapter and case study of a language, analysed: expanded, then read by pandoc
    all at once (parse_pages), then checked page by page. `context`: context_digest(project)."""
    names = [c.name for c in project.chapters if lang in c.texts]
    # A reload of `mkdocs serve` whose edit is in another language reads nothing of this one.
    whole = digest([lang, context, _sources_digest(project, lang), *names, *project.casestudies])
    return _LAST_LANGUAGE[lang](whole, problems, lambda found: _analyse_pages(project, lang, names, found, context))


def _analyse_pages(project: "Project", lang: str, names: list[str], problems: Problems,
                   context: str) -> LanguageAnalysis:
    # Each page reports into its own collector, merged in order.
    jobs: list[tuple[str, str, Problems]] = [("page", n, Problems(project.root)) for n in names]
    jobs += [("casestudy", cid, Problems(project.root)) for cid in project.casestudies]
    expanded = [_expand_chapter(project, lang, name, found) if kind == "page"
                else _expand_casestudy(project, lang, name, found) for kind, name, found in jobs]
    # (the origin map too: the lines of a page move when its front matter grows)
    keys = [digest([lang, kind, name, e[1].text, context, _origin(e[1].origin)]) if e is not None
            else None for (kind, name, _), e in zip(jobs, expanded)]
    # Pages analysed before in this process, from the same inputs (a reload of `mkdocs serve`),
    # are taken as they were; the others are read by pandoc all at once.
    memo = {key: _MEMO[key] for key in keys if key is not None and key in _MEMO}
    todo = [i for i, key in enumerate(keys) if key is not None and key not in memo]
    parsed = dict(zip(todo, parse_pages([expanded[i][1].text for i in todo], results(project))))
    pages: dict[str, PageAnalysis] = {}
    studies: dict[str, PageAnalysis] = {}
    for i, ((kind, name, found), page) in enumerate(zip(jobs, expanded)):
        if page is not None:
            if keys[i] in memo:
                result, reported = memo[keys[i]]
                found.extend(reported)
            else:
                path, text_ = page
                page_name = name if kind == "page" else f"casestudies/{name}.md"
                reported = Problems(project.root)
                result = _analyse(project, lang, page_name, path, text_, parsed[i], reported)
                result.digest = keys[i]
                memo[keys[i]] = (result, reported)
                found.extend(reported)
            (pages if kind == "page" else studies)[name] = result
        problems.extend(found)
    _remember(lang, memo)
    return LanguageAnalysis(lang, pages, studies)


def _sources_digest(project: "Project", lang: str) -> str:
    """The text of every Markdown file a language's pages can read: its folder of docs/ (pages
    and includes) and the case studies' texts. (What else they read is in context_digest.)"""
    parts: list[str | bytes] = []
    for folder in (project.docs_dir / lang, project.root / "casestudies"):
        for path in sorted(folder.rglob("*.md")) if folder.is_dir() else []:
            parts.append(str(path))
            try:
                parts.append(path.read_bytes())
            except OSError:
                parts.append("-")
    return digest(parts)


def _origin(origin: list[tuple[Path, int]]) -> str:
    """The line map of a page, as text (part of its digest, which the results kept between
    builds are named by: nothing that changes from one process to the next)."""
    return "\n".join(f"{path}\t{line}" for path, line in origin)


# The pages last analysed in this process, per language, by what they were made from: a
# long-running process (`mkdocs serve`) reads again only the pages that changed. Entries are
# values nobody changes (the document copies their trees: document.py).
_MEMO: dict[str, tuple["PageAnalysis", Problems]] = {}
_MEMO_LANG: dict[str, set[str]] = {}
_MEMO_LOCK = threading.Lock()
# The last analysis of each language, by all it was made from (analyse_language).
_LAST_LANGUAGE: dict[str, Remembered] = collections.defaultdict(lambda: Remembered(size=1))


def _remember(lang: str, memo: dict) -> None:
    with _MEMO_LOCK:
        for key in _MEMO_LANG.get(lang, set()) - set(memo):
            _MEMO.pop(key, None)
        _MEMO.update(memo)
        _MEMO_LANG[lang] = set(memo)


def context_digest(project: "Project") -> str:
    """What a page's analysis reads besides its own expanded text: the bibliography's keys,
    the case studies, data tables and charts, technologies, report metadata, and the other
    files of the docs folder (images, pages that links point to)."""
    parts: list[str] = [" ".join(sorted(project.bibliography.lines)) if project.bibliography else ""]
    for name in ("report.yml", "technologies.yml", "mkdocs.yml"):
        parts.append(file_digest(project.root / name))
    for sub in ("casestudies", "data", "docs"):
        folder = project.root / sub
        for path in sorted(folder.rglob("*")) if folder.is_dir() else []:
            try:
                st = path.stat()
            except OSError:
                continue
            if stat.S_ISDIR(st.st_mode):
                continue  # (a folder's time changes when an editor saves a file in it)
            if path.suffix != ".md":  # (the text of a page, or of a case study, is in the expanded text)
                parts.append(f"{path.relative_to(project.root)} {st.st_mtime_ns} {st.st_size}")
            else:
                parts.append(str(path.relative_to(project.root)))
    return digest(parts)


# The analysis of the whole project (gate.check_project returns it): values, read by the site,
# the report and the checks of translations.
@dataclass(frozen=True)
class Numbered:
    """A figure or table with an id: its number through the report of a language."""

    kind: str  # "fig" or "tbl"
    number: int
    page: str

    def label(self, lang: str) -> str:
        return f"{text(self.kind, lang)} {self.number}"


@dataclass
class ProjectAnalysis:
    languages: dict[str, LanguageAnalysis]
    numbers: dict[str, dict[str, Numbered]] = field(default_factory=dict)  # lang -> id -> number
    casestudy_users: dict[str, dict[str, list[str]]] = field(default_factory=dict)  # lang -> id -> pages
    parity: dict = field(default_factory=dict)  # (chapter, lang) -> parity.ChapterParity
    context: str = ""  # context_digest of the project the pages were analysed in

    def page(self, lang: str, name: str) -> PageAnalysis | None:
        return self.languages[lang].pages.get(name)
