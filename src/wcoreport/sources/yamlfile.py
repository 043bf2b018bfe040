"""Reading our YAML files (and Markdown front matter) with the line of every value.

PyYAML's composer keeps each node's position; we build plain Python data from the nodes and
keep a map from key path to line, so a schema error can name the line an editor has to fix.
Schemas are declared with pydantic; `validate` turns its errors into `Problems`.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pydantic
import yaml

from .diagnostics import Problems, Remembered

Loc = tuple[Any, ...]
M = TypeVar("M", bound=pydantic.BaseModel)


@dataclass
class YamlData:
    data: Any
    lines: dict[Loc, int] = field(default_factory=dict)
    line_offset: int = 0  # lines before the YAML text in its file (front matter)

    def line(self, loc: Loc) -> int:
        """The line of the value at `loc`, or of its nearest parent that has one."""
        loc = tuple(loc)
        while loc:
            if loc in self.lines:
                return self.lines[loc] + self.line_offset
            loc = loc[:-1]
        return self.lines.get((), 0) + self.line_offset


class _Loader(yaml.SafeLoader):
    """A safe loader that tolerates the tags some tools put in their YAML (e.g. mkdocs.yml's
    `!!python/name:`), returning their text instead of failing; and that refuses values nested
    more than MAX_DEPTH deep before PyYAML's composer, which recurses, ends in a RecursionError."""

    def __init__(self, stream):
        super().__init__(stream)
        self.depth = 0

    def compose_node(self, parent, index):
        opens = self.check_event(yaml.CollectionStartEvent)
        if opens:
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise _TooDeep(self.peek_event().start_mark)
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= opens


class _TooDeep(Exception):
    def __init__(self, mark):
        super().__init__(_TOO_DEEP)
        self.mark = mark


def _unknown_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return node.value
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)


_Loader.add_multi_constructor("", _unknown_tag)
_Loader.add_multi_constructor("!", _unknown_tag)
_Loader.add_multi_constructor("tag:yaml.org,2002:python/", _unknown_tag)


def _build(node: yaml.Node, loader: _Loader, loc: Loc, lines: dict[Loc, int], problems, path, offset,
           built: dict[int, Any] | None = None, open_: set[int] | None = None) -> Any:
    # Where this value is written: its key's line (set by its mapping), else its list's line.
    written_at = lines.get(loc) or lines.get(loc[:-1], node.start_mark.line + 1)
    lines.setdefault(loc, node.start_mark.line + 1)
    built = {} if built is None else built
    open_ = set() if open_ is None else open_
    if id(node) in open_:
        # An alias inside the very list or mapping it names: a value that contains itself.
        # (PyYAML gives an alias the node it names, so the line is the anchor's, '&name')
        inside = ".".join(str(part) for part in loc)
        problems.error(path, node.start_mark.line + 1 + offset,
                       "this value refers to itself (a YAML alias inside its own anchor"
                       + (f", used at '{inside}'" if inside else "") + "): write it out")
        return None
    if id(node) in built:
        sizes = built.setdefault("sizes", {})  # type: ignore[call-overload]
        expanded = built.setdefault("expanded", [0])  # type: ignore[call-overload]
        expanded[0] += sizes.get(id(node), 1)
        if expanded[0] > MAX_EXPANDED and not built.get("reported"):  # type: ignore[call-overload]
            built["reported"] = True  # type: ignore[index]
            problems.error(path, node.start_mark.line + 1 + offset,
                           f"YAML aliases here expand to more than {MAX_EXPANDED} values (an alias bomb?): "
                           "write the values out, or use fewer aliases")
        # The composer bounds the nesting of what is written, but an alias of a nested value
        # put deep inside another adds the two (a chain of them could reach any depth).
        deepest = built.setdefault("deepest", [0])  # type: ignore[call-overload]
        reach = len(loc) + built.setdefault("heights", {}).get(id(node), 1)  # type: ignore[call-overload]
        if reach > MAX_DEPTH:
            if not built.get("too deep"):  # type: ignore[call-overload]
                built["too deep"] = True  # type: ignore[index]
                problems.error(path, written_at + offset, _TOO_DEEP)
            return None
        deepest[0] = max(deepest[0], reach)
        # An alias (*name) of a list or mapping seen before: the same object, as PyYAML does.
        # Building it again would make a "billion laughs" file take forever.
        return built[id(node)]
    if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
        open_.add(id(node))
        expanded = built.setdefault("expanded", [0])  # type: ignore[call-overload]
        before = expanded[0]
        deepest = built.setdefault("deepest", [0])  # type: ignore[call-overload]
        outer, deepest[0] = deepest[0], len(loc) + 1
        try:
            return _build_container(node, loader, loc, lines, problems, path, offset, built, open_)
        finally:
            # How many levels of lists and mappings this value holds, itself included.
            built.setdefault("heights", {})[id(node)] = deepest[0] - len(loc)  # type: ignore[call-overload]
            deepest[0] = max(outer, deepest[0])
            open_.discard(id(node))
            # What this value is worth once every alias in it is expanded (tools such as MkDocs
            # expand them: a "billion laughs" file would take them minutes and all the memory).
            built.setdefault("sizes", {})[id(node)] = expanded[0] - before + 1  # type: ignore[call-overload]
            expanded[0] += 1
    try:
        value = loader.construct_object(node, deep=True)
    except ValueError:
        # A value YAML recognises but cannot build, e.g. the date 2026-13-45: keep its text and
        # let the schema say what is expected there.
        return node.value
    if isinstance(value, str) and _SURROGATE.search(value):
        # "\uD800" in a double-quoted string: half a character, which no output can encode.
        problems.error(path, node.start_mark.line + 1 + offset, "an escaped character is not a whole character "
                                                                "(\\uD800-\\uDFFF): write the character itself")
        return _SURROGATE.sub("\ufffd", value)
    return value


_SURROGATE = re.compile("[\ud800-\udfff]")
MAX_EXPANDED = 100_000  # values of one YAML file once its aliases are expanded
# Lists and mappings inside each other. PyYAML's composer and our building of the values recurse:
# `[[[[...]]]]` a few hundred deep would end in a RecursionError, a traceback instead of a line.
MAX_DEPTH = 64
_TOO_DEEP = f"lists and mappings nested more than {MAX_DEPTH} levels deep: write the data flatter"


def _build_container(node, loader, loc, lines, problems, path, offset, built, open_) -> Any:
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        built[id(node)] = out
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if isinstance(key, (list, dict)):
                problems.error(path, key_node.start_mark.line + 1 + offset, "a key must be a plain value")
                continue
            if key in out:
                problems.error(path, key_node.start_mark.line + 1 + offset, f"duplicate key '{key}'")
            lines[loc + (key,)] = key_node.start_mark.line + 1
            out[key] = _build(value_node, loader, loc + (key,), lines, problems, path, offset, built, open_)
            # An error about a value names the line of its key, where editors look.
            lines[loc + (key,)] = key_node.start_mark.line + 1
        return out
    items: list[Any] = []
    built[id(node)] = items
    items.extend(_build(item, loader, loc + (i,), lines, problems, path, offset, built, open_)
                 for i, item in enumerate(node.value))
    return items


def parse_yaml(text: str, path: Path, problems: Problems, line_offset: int = 0) -> YamlData | None:
    """Parse YAML text; report a syntax error with its line and return None. A text parsed
    before in this process (a reload of `mkdocs serve`) is not parsed again: its result is
    given as a copy, with the problems it had."""
    parsed = _PARSED((text, str(path), line_offset), problems,
                     lambda found: _parse_yaml(text, path, found, line_offset))
    return copy.deepcopy(parsed)


_PARSED = Remembered()


def _parse_yaml(text: str, path: Path, problems: Problems, line_offset: int = 0) -> YamlData | None:
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except _TooDeep as exc:
        problems.error(path, exc.mark.line + 1 + line_offset, _TOO_DEEP)
        return None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 if mark else 0) + line_offset
        message = f"YAML syntax: {exc.problem or exc.context}"
        if exc.context and exc.context_mark and exc.problem_mark and exc.context_mark.line != exc.problem_mark.line:
            # e.g. an unclosed [list]: the parser notices on a later line; name where it began.
            message += f" ({exc.context} started at line {exc.context_mark.line + 1 + line_offset})"
        source_lines = text.split("\n")
        if mark and mark.line < len(source_lines) and source_lines[mark.line].startswith("\t"):
            message += " (a tab is used for indentation: YAML allows only spaces)"
        problems.error(path, line, message)
        return None
    except yaml.YAMLError as exc:
        problems.error(path, line_offset + 1, f"YAML syntax: {exc}")
        return None
    lines: dict[Loc, int] = {}
    if node is None:
        return YamlData(None, {(): 1}, line_offset)
    loader = _Loader("")
    try:
        data = _build(node, loader, (), lines, problems, path, line_offset)
    except yaml.YAMLError as exc:
        problems.error(path, line_offset + 1, f"YAML: {exc}")
        return None
    return YamlData(data, lines, line_offset)


def read_text(path: Path, problems: Problems) -> str | None:
    """Read a UTF-8 source file; a BOM and CRLF line ends are accepted and normalised.

    A file that is a symlink to somewhere outside the repository is refused: a source must
    never pull another file of the machine into a public output."""
    if not problems.inside(path):
        problems.error(path, 0, "the file is a link to a place outside the project: refused")
        return None
    try:
        raw = path.read_bytes()
    except OSError as exc:
        problems.error(path, 0, f"cannot read the file: {exc.strerror}")
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problems.error(path, line, f"not UTF-8 text (byte 0x{raw[exc.start]:02x}); save the file as UTF-8")
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    for found in _CONTROL.finditer(text):
        line = text.count("\n", 0, found.start()) + 1
        column = found.start() - text.rfind("\n", 0, found.start())
        problems.error(path, line, f"invisible control character U+{ord(found.group()):04X} at column {column} "
                                   "(pasted from another program?): remove it")
    return text


# Characters no output can hold (XML forbids most; Typst has no glyph): C0 and C1 controls
# other than tab and line ends, DEL, and the non-characters U+FFFE and U+FFFF.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def load_yaml_file(path: Path, problems: Problems) -> YamlData | None:
    text = read_text(path, problems)
    if text is None:
        return None
    return parse_yaml(text, path, problems)



def load_declared(model: type[M], path: Path, problems: Problems) -> tuple[M, YamlData] | None:
    """A YAML file read (load_yaml_file) and validated against its declared schema (validate):
    the value and the data whose lines the caller's own checks name; None when either failed."""
    yd = load_yaml_file(path, problems)
    if yd is None:
        return None
    value = validate(model, yd, path, problems)
    return None if value is None else (value, yd)


_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)


@dataclass
class MarkdownSource:
    meta: YamlData
    body: str
    body_line: int  # line number, in the file, of the body's first line


def split_front_matter(text: str, path: Path, problems: Problems) -> MarkdownSource | None:
    """Split a Markdown file into its YAML front matter and body."""
    match = _FRONT_MATTER.match(text)
    if not match:
        if text.startswith("---\n"):
            start = _text_start(text.split("\n")[1:])
            where = f"before line {start + 2}, where the text starts" if start is not None else "after it"
            problems.error(path, 1, f"front matter is not closed: add a line '---' {where}")
            return None
        return MarkdownSource(YamlData({}, {(): 1}), text, 1)
    found = Problems(problems.root)
    meta = parse_yaml(match.group(1) or "", path, found, line_offset=1)
    lines = (match.group(1) or "").split("\n")
    if meta is None or not isinstance(meta.data, (dict, type(None))) \
            or (any(_HEADING.match(ln) for ln in lines) and not all(_YAML_LINE.match(ln) or _HEADING.match(ln) for ln in lines)):
        # Not front matter (or a heading, then text that YAML happened to read): the closing line
        # may be missing and a '---' rule of the text taken for it.
        start = _text_start(lines)
        if start is not None:
            end = text[: match.end()].rstrip("\n").count("\n") + 1
            problems.error(path, 1, f"front matter is not closed: add a line '---' before line {start + 2}, "
                                    f"where the text starts (the '---' at line {end} is a rule of the text, "
                                    "not the end of the front matter)")
            return None
    problems.extend(found)
    if meta is None:
        return None
    if meta.data is None:
        meta.data = {}
    if not isinstance(meta.data, dict):
        problems.error(path, 2, "front matter must be a mapping of 'key: value' lines")
        return None
    return MarkdownSource(meta, text[match.end():], text[: match.end()].count("\n") + 1)


_YAML_LINE = re.compile(r"^(?:\s*$|\s|[\w-]+\s*:(?:\s|$)|-(?:\s|$)|#(?!#*\s+\S))")
_HEADING = re.compile(r"^#{1,6}\s+\S")


def _text_start(lines: list[str]) -> int | None:
    """Where the Markdown text starts in what should be front matter (0-based), or None: the
    first heading, or else the first line that no front matter has."""
    for i, line in enumerate(lines):
        if _HEADING.match(line):
            return i
    for i, line in enumerate(lines):
        if not _YAML_LINE.match(line):
            return i
    return None


def validate(model: type[M], yd: YamlData, path: Path, problems: Problems) -> M | None:
    """Validate data against a declared schema; each error names its line."""
    try:
        # An empty file is an empty mapping: the schema then names each missing key.
        return model.model_validate({} if yd.data is None else yd.data)
    except pydantic.ValidationError as exc:
        for err in exc.errors():
            loc = tuple(err["loc"])
            where = ".".join(str(part) for part in loc)
            if err["type"] == "extra_forbidden":
                message = f"unknown key '{loc[-1]}'"
            elif err["type"] == "missing":
                message = f"missing required key '{where}'"
                loc = loc[:-1]
            else:
                msg = err["msg"].removeprefix("Value error, ")
                message = f"{where}: {msg}" if where else msg
            problems.error(path, yd.line(loc), message)
        return None


class Schema(pydantic.BaseModel):
    """Base of our declared schemas: unknown keys are errors, not silently ignored."""

    model_config = pydantic.ConfigDict(extra="forbid", frozen=True)
