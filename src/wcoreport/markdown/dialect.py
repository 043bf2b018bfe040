"""The project's Markdown dialect, turned into pandoc's Markdown line by line, with a map back
to the file and line each output line came from.

What editors write that pandoc's Markdown does not read natively (see AUTHORING.md):
  `{% casestudy ID %}`, `{% casestudies %}`, `{% bibliography %}`, `{% abbreviations %}`,
  `{% include FILE %}`                  directives, alone on their line
  `!!! note "Title"` / `??? note "Title"`  admonitions and collapsibles (text indented by 4)
  `=== "Tab"`                           content tabs (text indented by 4)
  `*[ABBR]: Full name`                  abbreviations
  ```` ``` yaml title="x.yml" ````      code fences with Material's attributes
Each becomes a fenced Div (or plain Markdown) that pandoc reads; the Divs carry classes that
the writers of each target render (site/, report/). Nothing here depends on the target.

Constructs that no output could show are refused here, at their line, with a hint: snippets
(`--8<--`), attribute-list lines, fenced divs typed by hand, Material's inline extensions.
Limits (nesting, include depth and count, line length) are errors too, so that pandoc is never
handed a page it would take minutes or all the memory to read.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..data import REFERENCE, escape_markdown, format_value, resolve_reference
from ..sources.diagnostics import Problems
from . import bidi_lines
from ..sources.yamlfile import read_text

if TYPE_CHECKING:
    from ..sources.project import Project

# Limits: beyond them a page is refused (a path:line error), never handed to pandoc.
MAX_LINE = 20_000  # characters on one line
MAX_NESTING = 24  # block quotes and lists inside each other
MAX_INCLUDE_DEPTH = 6
MAX_INCLUDES = 100  # include directives expanded for one page, all levels together
MAX_LINES = 200_000  # lines of one expanded page

DIRECTIVE = re.compile(r"^ {0,3}\{%\s*(?P<name>[A-Za-z][\w-]*)\s*(?P<arg>.*?)\s*%\}\s*$")
ADMONITION = re.compile(r'^(?P<indent> *)(?P<mark>!!!|\?\?\?\+?)[ \t]+(?P<type>[\w-]+)'
                        r'(?:[ \t]+(?P<modifiers>(?:inline(?:[ \t]+end)?)))?'
                        r'(?:[ \t]+"(?P<title>[^"]*)")?[ \t]*$')
ADMONITION_START = re.compile(r"^ *(!!!|\?\?\?)")
TAB = re.compile(r'^(?P<indent> *)===\+?[ \t]+"(?P<label>[^"]*)"[ \t]*$')
ABBREVIATION = re.compile(r"^\*\[(?P<abbr>[^\]]+)\]:[ \t]*(?P<full>.*)$")
FENCE = re.compile(r"^(?P<indent> *)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>.*)$")
SNIPPET = re.compile(r"^\s*(-{1,}8<-{1,}|;--8<--)")
ATTR_LINE = re.compile(r"^\s*\{:?\s*[.#:][^{}]*\}\s*$")
DIV_FENCE = re.compile(r"^\s*:{3,}")
LIST_ITEM = re.compile(r"^(?P<indent> *)(?:[-*+]|\d{1,9}[.)]|[a-zA-Z][.)]|#\.)(?:[ \t]+|$)")
DEFINITION = re.compile(r"^ {0,3}:[ \t]+")
QUOTE_PREFIX = re.compile(r"^(?:\s*>)+")
# A tag or comment of Members' HTML (dropped, its text kept: nothing of it is run or shown).
HTML_TAG = re.compile(r"<!--.*?-->|</?[A-Za-z][^<>]*>|<![^<>]*>")
CODE_SPAN = re.compile(r"(`+)(?:.+?)\1", re.S)
# Material's inline extensions, which pandoc (and so the report) would print as typed.
INLINE_UNOFFERED = [
    (re.compile(r"\+\+[\w-]+(?:\+[\w-]+)*\+\+"), "keyboard keys (++ctrl+alt++) are not offered: write the key names as text"),
    (re.compile(r"(?<![=\w])==[^=\s][^=]*==(?!=)"), "highlighting (==text==) is not offered: use *emphasis*"),
    (re.compile(r"\^\^[^\^\s][^\^]*\^\^"), "insertions (^^text^^) are not offered: use *emphasis*"),
    (re.compile(r"(?<![\w:/]):(?:material|fontawesome|octicons|simple)-[\w-]+:"),
     "icons and emoji shortcodes (:material-...:) are not offered: the report cannot show them"),
]
ADMONITION_TYPES = {"note", "abstract", "info", "tip", "success", "question", "warning", "failure",
                    "danger", "bug", "example", "quote"}


@dataclass
class Expanded:
    """A page in pandoc's Markdown, each line with the (file, line) it came from."""

    lines: list[str] = field(default_factory=list)
    origin: list[tuple[Path, int]] = field(default_factory=list)
    includes: list[Path] = field(default_factory=list)  # every file included, all levels
    abbreviations: dict[str, tuple[str, Path, int]] = field(default_factory=dict)

    def add(self, line: str, path: Path, lineno: int) -> None:
        self.lines.append(line)
        self.origin.append((path, lineno))

    @property
    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


@dataclass
class _Page:
    """What one expansion needs: where it is and what it may do."""

    project: "Project"
    lang: str
    problems: Problems
    out: Expanded
    member_text: bool = False  # a Member's case-study text: no directives, no includes
    stack: list[Path] = field(default_factory=list)
    includes: int = 0


def expand_page(project: "Project", lang: str, body: str, path: Path, first_line: int,
                problems: Problems) -> Expanded:
    """A chapter's body (front matter removed), its includes and case studies expanded."""
    page = _Page(project, lang, problems, Expanded())
    page.stack.append(path)
    _lines(body.split("\n"), path, first_line, "", page)
    return page.out


def expand_casestudy(project: "Project", lang: str, cid: str, problems: Problems) -> Expanded:
    """A case study's box on its own (the site's case-study page; the report's site-only part)."""
    page = _Page(project, lang, problems, Expanded())
    _casestudy_box(cid, Path(project.root / "casestudies" / cid / f"{lang}.md"), 0, "", page)
    return page.out


def _mask_code(line: str) -> str:
    return CODE_SPAN.sub(lambda m: "\0" * len(m.group(0)), line)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


_MARKERS = re.compile(r"^(?:\s*(?:[-*+]|\d{1,9}[.)])(?=\s))+")
_MARKER = re.compile(r"[-*+]|\d{1,9}[.)]")


def _nesting(line: str) -> int:
    """How many block containers a line opens or sits in: quote marks, list markers, indent."""
    if line[:1].isalpha():  # (most lines: no quote, no marker, no indent)
        return 0
    quotes = QUOTE_PREFIX.match(line)
    depth = quotes.group(0).count(">") if quotes else 0
    rest = line[quotes.end():] if quotes else line
    markers = _MARKERS.match(rest)
    if markers:
        depth += len(_MARKER.findall(markers.group(0)))
    return depth + _indent(rest.replace("\t", "    ")) // 4


def _lines(lines: list[str], path: Path, first_line: int, prefix: str, page: _Page) -> None:
    """Expand `lines` of `path` (its line `first_line` first) into page.out, each output line
    prefixed with `prefix` (the indentation of the container they are in)."""
    out, problems = page.out, page.problems
    fence: tuple[str, int, int] | None = None  # (fence chars, indent, line) of an open code block
    listy = False  # inside a list or definition: indented text is its content, not code
    indented_code = False
    previous_blank = True
    i = 0
    while i < len(lines):
        line, lineno = lines[i], first_line + i
        if len(out.lines) > MAX_LINES:
            problems.error(path, lineno, f"the page is longer than {MAX_LINES} lines once its includes are expanded")
            return
        if len(line) > MAX_LINE:
            problems.error(path, lineno, f"line longer than {MAX_LINE} characters: break it into paragraphs")
            out.add(prefix, path, lineno)
            i += 1
            continue
        if "\t" in line[: _indent(line) + 1]:
            line = line.expandtabs(4)
        for is_error, message in bidi_lines.check(line, in_code=fence is not None):
            (problems.error if is_error else problems.warning)(path, lineno, message)
        if fence is not None:
            out.add(prefix + line, path, lineno)
            chars, _indent_, _ = fence
            stripped = line.strip()
            if stripped.startswith(chars) and set(stripped) == {chars[0]}:
                fence = None
            i += 1
            continue
        blank = not line.strip()
        if blank:
            out.add(prefix, path, lineno)
            previous_blank = True
            i += 1
            continue
        indent = _indent(line)
        if indent >= 4 and (indented_code or (previous_blank and not listy)):
            indented_code = True  # an indented code block: verbatim
            out.add(prefix + line, path, lineno)
            previous_blank = False
            i += 1
            continue
        indented_code = False
        if _nesting(line) > MAX_NESTING:
            problems.error(path, lineno, f"lists or quotes nested more than {MAX_NESTING} levels deep")
            out.add(prefix, path, lineno)
            i += 1
            continue
        if LIST_ITEM.match(line) or DEFINITION.match(line):
            listy = True
        elif indent == 0 and previous_blank:
            listy = False
        previous_blank = False
        if m := FENCE.match(line):
            fence = (m.group("fence"), len(m.group("indent")), lineno)
            out.add(prefix + _fence_line(m, path, lineno, page), path, lineno)
            i += 1
            continue
        if m := DIRECTIVE.match(line):
            _directive(m.group("name"), m.group("arg"), path, lineno, prefix, page)
            i += 1
            continue
        masked = _mask_code(line)
        if "{%" in masked:
            problems.error(path, lineno, "a directive '{% ... %}' must stand alone on its line and end with '%}'")
            i += 1
            continue
        if m := ADMONITION.match(line):
            i = _admonition(m, lines, i, path, first_line, prefix, page)
            continue
        if ADMONITION_START.match(line):
            problems.error(path, lineno, 'an admonition starts with a line like: !!! note "Title" '
                                         f"(kinds: {', '.join(sorted(ADMONITION_TYPES))})")
            i += 1
            continue
        if m := TAB.match(line):
            i = _tabs(lines, i, path, first_line, prefix, page)
            continue
        if m := ABBREVIATION.match(line):
            _abbreviation(m, path, lineno, page)
            out.add(prefix, path, lineno)
            i += 1
            continue
        if refusal := _refused_line(line):
            problems.error(path, lineno, refusal)
            out.add(prefix, path, lineno)
            i += 1
            continue
        line = _inline(line, masked, path, lineno, page)
        if page.member_text and re.match(r"^ {0,3}#{1,2}(\s|$)", line):
            problems.error(path, lineno, "headings in a case study start at level 3 ('### ')")
        out.add(prefix + line, path, lineno)
        i += 1
    if fence is not None:
        # Reported where it was opened; closed here so that what follows stays outside.
        problems.error(path, fence[2], f"code block opened with {fence[0]} is not closed")
        out.add(prefix + " " * fence[1] + fence[0], path, first_line + len(lines) - 1)


def _refused_line(line: str) -> str | None:
    """Why a whole line is not offered (dropped, with this message at its line), or None."""
    if SNIPPET.match(line):
        return "snippets (--8<--) are not offered: use {% include _file.md %}"
    if ATTR_LINE.match(line):
        return (f"the attribute line '{line.strip()[:60]}' is not offered: the report cannot show it "
                "(an id goes at the end of a heading: ## Title {#id})")
    if DIV_FENCE.match(line):
        return "':::' blocks are not offered: use an admonition (!!! note \"Title\")"
    return None


def _inline(line: str, masked: str, path: Path, lineno: int, page: _Page) -> str:
    """A line of text (or a title) with its values from data/ filled in; Material's inline
    extensions refused."""
    for pattern, message in INLINE_UNOFFERED:
        if pattern.search(masked):
            page.problems.error(path, lineno, message)
    if "{{" in masked:
        line = _values(line, masked, path, lineno, page)
    return line


def _values(line: str, masked: str, path: Path, lineno: int, page: _Page) -> str:
    """`{{ table.row.column }}`: the value from data/, formatted for the page's language, as
    literal text (a value can never become markup)."""
    pieces, last = [], 0
    for m in REFERENCE.finditer(masked):
        pieces.append(line[last:m.start()])
        last = m.end()
        found = resolve_reference(page.project.tables, m.group(1))
        if isinstance(found, str):
            page.problems.error(path, lineno, found)
            pieces.append(escape_markdown(m.group(1)))
            continue
        table, row, column = found
        pieces.append(escape_markdown(format_value(table, row, column, page.lang)))
    if "{{" in REFERENCE.sub("", masked):
        page.problems.error(path, lineno, "'{{' opens a value from data/ and needs its '}}': "
                                          "{{ table.row.column }}")
    return "".join(pieces) + line[last:]


def _fence_line(m: re.Match, path: Path, lineno: int, page: _Page) -> str:
    """An opening code fence. Material's form (```` ``` yaml title="x" linenums="1" ````) is
    read by pandoc as inline code swallowing the block: keep the language, drop the rest
    (line numbers and highlights are presentation); a title is refused with a hint."""
    info = m.group("info").strip()
    head = m.group("indent") + m.group("fence")
    if not info or info.startswith("{"):
        return m.group(0)
    try:
        words = shlex.split(info)
    except ValueError:
        words = info.split()
    language = words[0] if words and "=" not in words[0] else ""
    for word in words[1 if language else 0:]:
        key = word.split("=", 1)[0]
        if key == "title":
            page.problems.error(path, lineno, "a code block title is not offered: put the file name in the "
                                              "sentence before the block")
        elif key not in ("linenums", "hl_lines", "anchor_linenums", "linenums_style"):
            page.problems.error(path, lineno, f"code block option '{key}' is not offered: write ``` {language}")
    if language and not re.fullmatch(r"[\w+#.-]+", language):
        page.problems.error(path, lineno, f"code block language '{language}' is not a language name")
        language = ""
    return head + (" " + language if language else "")


def _block(lines: list[str], start: int, indent: int) -> int:
    """The end (exclusive) of the block of lines indented by `indent` after line `start`."""
    end = start + 1
    while end < len(lines) and (not lines[end].strip() or _indent(lines[end].expandtabs(4)) >= indent):
        end += 1
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1
    return end


def _admonition(m: re.Match, lines: list[str], i: int, path: Path, first_line: int, prefix: str,
                page: _Page) -> int:
    """`!!! kind "Title"` (or `???` collapsible) and its indented text, as a fenced Div."""
    lineno = first_line + i
    kind, title = m.group("type"), m.group("title")
    if kind not in ADMONITION_TYPES:
        page.problems.error(path, lineno, f"unknown admonition type '{kind}' "
                                          f"(use one of: {', '.join(sorted(ADMONITION_TYPES))})")
    classes = f".admonition .{kind}" + (" .collapsible" if m.group("mark").startswith("?") else "")
    return _titled_box(m, lines, i, path, first_line, prefix, page, classes, title, "admonition")


def _titled_box(m: re.Match, lines: list[str], i: int, path: Path, first_line: int, prefix: str, page: _Page,
                classes: str, title: str | None, what: str) -> int:
    """A head line at line `i` and the text indented by 4 below it, as a fenced Div with a title
    (admonitions and tabs alike); returns the index after the box."""
    lineno = first_line + i
    indent = len(m.group("indent")) + 4
    end = _block(lines, i, indent)
    body = [ln.expandtabs(4)[indent:] for ln in lines[i + 1:end]]
    if not any(b.strip() for b in body):
        page.problems.error(path, lineno, f"the {what} has no text: indent its text by 4 spaces")
    inner = prefix + m.group("indent")
    if title:
        title = _inline(title, _mask_code(title), path, lineno, page)
    _open_div(classes, title, path, lineno, inner, page)
    _lines(body, path, lineno + 1, inner, page)
    _close_div(path, first_line + end - 1, inner, page)
    return end


def _tabs(lines: list[str], i: int, path: Path, first_line: int, prefix: str, page: _Page) -> int:
    """Consecutive `=== "Label"` blocks: one titled block each, in every output."""
    while i < len(lines) and (m := TAB.match(lines[i])):
        i = _titled_box(m, lines, i, path, first_line, prefix, page, ".admonition .tab", m.group("label"), "tab")
        while i < len(lines) and not lines[i].strip():
            page.out.add(prefix, path, first_line + i)
            i += 1
    return i


# Our own Divs use more colons than anything inside them can (typed ':::' lines are refused).
_DIV = ":" * 12


def _open_div(classes: str, title: str | None, path: Path, lineno: int, prefix: str, page: _Page,
              ident: str = "", attrs: str = "") -> None:
    out = page.out
    head = "{" + (f"#{ident} " if ident else "") + classes + (f" {attrs}" if attrs else "") + "}"
    out.add("", path, lineno)
    out.add(f"{prefix}{_DIV} {head}", path, lineno)
    if title:
        # The title is a line of Markdown of its own (it may hold emphasis or a citation).
        out.add(f"{prefix}{_DIV} {{.admonition-title}}", path, lineno)
        out.add(prefix + title, path, lineno)
        out.add(f"{prefix}{_DIV}", path, lineno)
    out.add(prefix, path, lineno)


def _close_div(path: Path, lineno: int, prefix: str, page: _Page) -> None:
    page.out.add(prefix, path, lineno)
    page.out.add(f"{prefix}{_DIV}", path, lineno)
    page.out.add(prefix, path, lineno)


def _abbreviation(m: re.Match, path: Path, lineno: int, page: _Page) -> None:
    abbr, full = m.group("abbr").strip(), m.group("full").strip()
    if not full:
        page.problems.error(path, lineno, f"abbreviation '{abbr}' has no definition: *[{abbr}]: Full name")
        return
    known = page.out.abbreviations.get(abbr)
    if known and known[0] != full:
        page.problems.error(path, lineno, f"abbreviation '{abbr}' is already defined differently at "
                                          f"{page.problems.relative(known[1])}:{known[2]}")
        return
    page.out.abbreviations.setdefault(abbr, (full, path, lineno))


def _directive(name: str, arg: str, path: Path, lineno: int, prefix: str, page: _Page) -> None:
    problems = page.problems
    if page.member_text:
        problems.error(path, lineno, "directives are not allowed in case-study text")
        return
    try:
        args = shlex.split(arg)
    except ValueError:
        problems.error(path, lineno, f"directive '{name}': unbalanced quotes")
        return
    takes_one = {"casestudy", "include", "table", "chart"}
    if name not in takes_one | {"casestudies", "bibliography", "abbreviations"}:
        problems.error(path, lineno, f"unknown directive '{name}' (known: abbreviations, bibliography, "
                                     "casestudies, casestudy, chart, include, table)")
        return
    if name in takes_one and len(args) != 1:
        problems.error(path, lineno, f"directive '{name}' takes one argument, e.g. {{% {name} ID %}}")
        return
    if name not in takes_one and args:
        problems.error(path, lineno, f"directive '{name}' takes no argument")
        return
    if name == "include":
        _include(args[0], path, lineno, prefix, page)
    elif name == "casestudy":
        _casestudy_box(args[0], path, lineno, prefix, page)
    elif name in ("table", "chart"):  # made from data/ (analysis.data_blocks)
        known = page.project.tables if name == "table" else page.project.charts
        if args[0] not in known:
            where = "tables of data/" if name == "table" else "charts of data/charts/"
            what = "data table" if name == "table" else "chart"
            problems.error(path, lineno, f"unknown {what} '{args[0]}' ({where}: {', '.join(sorted(known)) or 'none'})")
            return
        css = ".wco-datatable" if name == "table" else ".wco-chart"
        _open_div(css, None, path, lineno, prefix, page, attrs=f'data-{name}="{args[0]}"')
        _close_div(path, lineno, prefix, page)
    else:
        # Filled by each target's writer (a table, citeproc's list, the abbreviations).
        _open_div(f".wco-{name}", None, path, lineno, prefix, page)
        _close_div(path, lineno, prefix, page)


def _include(name: str, path: Path, lineno: int, prefix: str, page: _Page) -> None:
    problems = page.problems
    root = (page.project.docs_dir / page.lang).resolve()
    resolved = (path.parent / name).resolve()
    if not resolved.is_relative_to(root):
        problems.error(path, lineno, f"include '{name}' points outside docs/{page.lang}/: refused")
        return
    if not resolved.is_file():
        problems.error(path, lineno, f"include '{name}': file not found")
        return
    if resolved in [p.resolve() for p in page.stack]:
        chain = " -> ".join(problems.relative(p) for p in [*page.stack, resolved])
        problems.error(path, lineno, f"include cycle: {chain}")
        return
    if len(page.stack) > MAX_INCLUDE_DEPTH:
        problems.error(path, lineno, f"includes nested more than {MAX_INCLUDE_DEPTH} levels deep")
        return
    page.includes += 1
    if page.includes > MAX_INCLUDES:
        if page.includes == MAX_INCLUDES + 1:
            problems.error(path, lineno, f"more than {MAX_INCLUDES} includes in one page")
        return
    text = read_text(resolved, problems)
    if text is None:
        return
    if text.startswith("---\n"):
        problems.error(resolved, 1, "an included file has no front matter")
        return
    page.out.includes.append(resolved)
    page.stack.append(resolved)
    try:
        _lines(text.split("\n"), resolved, 1, prefix, page)
    finally:
        page.stack.pop()


def _casestudy_box(cid: str, path: Path, lineno: int, prefix: str, page: _Page) -> None:
    """The box of a case study: an empty title and member line (the analysis fills them with
    the metadata as text) and the Member's text, checked as untrusted text."""
    project, problems = page.project, page.problems
    study = project.casestudies.get(cid)
    if study is None:
        if (project.root / "casestudies" / cid / "casestudy.yml").is_file():
            problems.error(path, lineno, f"case study '{cid}' cannot be shown: its files have errors")
        else:
            problems.error(path, lineno, f"unknown case study '{cid}' (no folder casestudies/{cid}/)")
        return
    _open_div(".casestudy", None, path, lineno, prefix, page, ident=f"casestudy-{cid}",
              attrs=f'data-casestudy="{cid}"')
    for part in ("casestudy-title", "casestudy-member"):
        page.out.add(f"{prefix}{_DIV} {{.{part}}}", path, lineno)
        page.out.add(f"{prefix}{_DIV}", path, lineno)
        page.out.add(prefix, path, lineno)
    text_path = study.text_path(page.lang)
    member = _Page(project, page.lang, problems, page.out, member_text=True, stack=page.stack)
    _member_lines(study.texts.get(page.lang, ""), text_path, prefix, member)
    _close_div(path, lineno, prefix, page)


def expand_member_text(project: "Project", lang: str, text: str, path: Path, problems: Problems) -> Expanded:
    """A Member's case-study text alone, as in its box (its blocks at the top level): for the
    translation tools, which compare and exchange its blocks (drift.casestudy_page)."""
    page = _Page(project, lang, problems, Expanded(), member_text=True)
    _member_lines(text, path, "", page)
    return page.out


def _member_lines(text: str, text_path: Path, prefix: str, member: _Page) -> None:
    """A Member's text, checked as untrusted text; HTML tags dropped (with a warning)."""
    if "<" in text:
        lines = text.split("\n")
        for n, line in enumerate(lines):
            masked = _mask_code(line)
            if HTML_TAG.search(masked):
                member.problems.warning(text_path, n + 1, "HTML in a case study is not shown: its tags are "
                                                          "dropped, its text kept")
                lines[n] = HTML_TAG.sub("", line)
        text = "\n".join(lines)
    _lines(text.split("\n"), text_path, 1, prefix, member)
