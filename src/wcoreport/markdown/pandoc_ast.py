"""Small helpers for pandoc's document tree (its JSON form, held as Python dicts and lists).

Text that comes from data (YAML values, a Member's name, a label) enters the tree only as
`Str` and `Space` nodes made here: each writer (HTML, DOCX, Typst) then escapes it as text, so
no character of it can become markup, raw code or a citation in any output.
"""

from __future__ import annotations

import marshal
from typing import Any, Callable, Collection, Iterator

import orjson

Node = dict[str, Any]


def to_json(tree: Any) -> str:
    """Compact JSON text of a tree (orjson: six times faster than the json module on a
    report, the same text as json.dumps with compact separators and ensure_ascii=False)."""
    return orjson.dumps(tree).decode("utf-8")


def from_json(text: bytes | str) -> Any:
    """A tree from pandoc's JSON (orjson: four times as fast as the json module on a language's
    pages). Nested beyond orjson's 1024 levels, it raises RecursionError as the json module does."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        if str(exc).startswith("depth limit exceeded"):
            raise RecursionError(str(exc)) from exc
        raise


def words_joined(tree: Any, whole_runs: bool = True) -> Any:
    """A tree for a writer, with fewer nodes and the same text: each run of words and spaces
    (`Str`, `Space`) made one `Str`; with `whole_runs` off, only each space joined to the word
    before it ("word "). The tree given stays as it was (the new one shares its other leaves).

    pandoc reads a tree a third of the size three times as fast. Its HTML is then the same,
    byte for byte, and its DOCX the same text in fewer runs. Its Typst writer escapes a word
    that holds a character of Typst's markup character by character: a paragraph made one
    word would be slower to write, so Typst gets its spaces joined only (its text is the same,
    but for line ends and a few more escapes)."""
    if type(tree) is dict:
        return {key: value if type(value) is str else words_joined(value, whole_runs) for key, value in tree.items()}
    if type(tree) is not list:
        return tree
    out: list = []
    words: list[str] | None = None  # the text of the Str being made, out[-1]

    def close() -> None:
        out[-1] = {"t": "Str", "c": "".join(words)}

    for item in tree:
        kind = item.get("t") if type(item) is dict else None
        if words is not None and (kind == "Space" or (kind == "Str" and whole_runs)):
            words.append(item["c"] if kind == "Str" else " ")
            continue
        if words is not None:
            close()
            words = None
        if kind == "Str" or (kind == "Space" and whole_runs):
            words = [item["c"] if kind == "Str" else " "]
            out.append(None)
        elif kind in LEAVES or type(item) is str:
            out.append(item)  # (shared with the tree given: nothing is changed in it)
        else:
            out.append(words_joined(item, whole_runs))
    if words is not None:
        close()
    return out


def copy_tree(tree: Any) -> Any:
    """A deep copy of a pandoc JSON tree (dicts, lists, strings, numbers): through marshal,
    about ten times faster than copy.deepcopy on a page."""
    return marshal.loads(marshal.dumps(tree))


def inlines(text: str) -> list[Node]:
    """Plain text as inline nodes: words and spaces, nothing else."""
    out: list[Node] = []
    for i, word in enumerate(" ".join(text.split()).split(" ")):
        if i:
            out.append({"t": "Space"})
        if word:
            out.append({"t": "Str", "c": word})
    return out


def plain(text: str) -> Node:
    return {"t": "Plain", "c": inlines(text)}


def para(text: str) -> Node:
    return {"t": "Para", "c": inlines(text)}


def attr(ident: str = "", classes: list[str] | None = None, pairs: dict[str, str] | None = None) -> list:
    return [ident, list(classes or []), [[k, v] for k, v in (pairs or {}).items()]]


def div(classes: list[str], blocks: list[Node], ident: str = "", pairs: dict[str, str] | None = None) -> Node:
    return {"t": "Div", "c": [attr(ident, classes, pairs), blocks]}


def table(headers: list[str], rows: list[list[str]], ident: str = "", caption: str = "",
          right: set[int] = frozenset()) -> Node:
    """A table of plain text cells (columns in `right` aligned right: numbers)."""
    def align(i: int) -> dict:
        return {"t": "AlignRight" if i in right else "AlignDefault"}

    def row(values: list[str]) -> list:
        return [["", [], []], [[["", [], []], align(i), 1, 1, [plain(v)]] for i, v in enumerate(values)]]

    specs = [[align(i), {"t": "ColWidthDefault"}] for i in range(len(headers))]
    long = [plain(caption)] if caption else []
    return {"t": "Table", "c": [[ident, [], []], [None, long], specs, [["", [], []], [row(headers)]],
                                [[["", [], []], 0, [], [row(r) for r in rows]]], [["", [], []], []]]}


def attribute(node_attr: list, key: str) -> str | None:
    return next((v for k, v in node_attr[2] if k == key), None)


def stringify(node: Any) -> str:
    """The plain text of a node or a list of nodes (as pandoc's `stringify`)."""
    if isinstance(node, list):
        return "".join(stringify(n) for n in node)
    if not isinstance(node, dict):
        return ""
    kind, content = node.get("t"), node.get("c")
    if kind == "Str":
        return content
    if kind in ("Space", "SoftBreak", "LineBreak"):
        return " "
    if kind in ("Code", "Math"):
        return content[1]
    if kind in ("RawInline", "RawBlock", "Note"):
        return ""
    if kind == "Quoted":
        return "“" + stringify(content[1]) + "”"
    if kind in ("Link", "Image", "Span", "Div"):
        return stringify(content[1])
    if kind == "Cite":
        return stringify(content[1])
    return stringify(content)


# Where each kind of node keeps its children: inline lists, block lists, lists of either.
def children(node: Node) -> Iterator[list]:
    """Every list of child nodes (blocks or inlines) of a node, in document order."""
    kind, c = node.get("t"), node.get("c")
    if kind in ("Para", "Plain", "Emph", "Strong", "Strikeout", "Superscript", "Subscript",
                "SmallCaps", "Underline", "BlockQuote"):
        yield c
    elif kind in ("Span", "Div", "Link", "Image"):
        yield c[1]
    elif kind == "Header":
        yield c[2]
    elif kind == "Quoted":
        yield c[1]
    elif kind == "Cite":
        for citation in c[0]:
            yield citation["citationPrefix"]
            yield citation["citationSuffix"]
        yield c[1]
    elif kind == "Note":
        yield c
    elif kind == "LineBlock":
        yield from c
    elif kind in ("BulletList",):
        yield from c
    elif kind == "OrderedList":
        yield from c[1]
    elif kind == "DefinitionList":
        for term, definitions in c:
            yield term
            yield from definitions
    elif kind == "Figure":
        yield from _caption_lists(c[1])
        yield c[2]
    elif kind == "Table":
        yield from _caption_lists(c[1])
        yield from table_cells(c)


def _caption_lists(caption: list) -> Iterator[list]:
    short, long = caption
    if short:
        yield short
    yield long


def table_cells(c: list) -> Iterator[list]:
    """The block lists of a table's cells (head, bodies, foot), from its content `c`."""
    _attr, _caption, _specs, head, bodies, foot = c
    rows = list(head[1])
    for body in bodies:
        rows += body[2] + body[3]
    rows += foot[1]
    for row in rows:
        for cell in row[1]:
            yield cell[4]


# Nodes with no child nodes (most of a tree: words and spaces): the walks skip children() there.
LEAVES = frozenset({"Str", "Space", "SoftBreak", "LineBreak", "Code", "CodeBlock", "RawBlock", "RawInline",
                    "Math", "HorizontalRule", "Null"})


def walk(nodes: list, visit: Callable[[Node, int], None], depth: int = 0) -> None:
    """Call `visit(node, depth)` on every node below `nodes`, in document order (pre-order)."""
    for node in nodes:
        if not isinstance(node, dict):
            continue
        visit(node, depth)
        if node.get("t") not in LEAVES:
            for child in children(node):
                walk(child, visit, depth + 1)


def block_children(node: Node) -> Iterator[list]:
    """The lists of blocks directly below a block (not its inlines, nor the notes in them)."""
    kind, c = node.get("t"), node.get("c")
    if kind == "Div":
        yield c[1]
    elif kind == "BlockQuote":
        yield c
    elif kind == "BulletList":
        yield from c
    elif kind == "OrderedList":
        yield from c[1]
    elif kind == "DefinitionList":
        for _term, definitions in c:
            yield from definitions
    elif kind == "Figure":
        yield c[1][1]
        yield c[2]
    elif kind == "Table":
        yield c[1][1]
        yield from table_cells(c)


def walk_blocks(blocks: list, visit: Callable[[Node], None]) -> None:
    """Call `visit(block)` on every block below `blocks`, in document order, without going into
    inlines: several times faster than `walk` where only Divs, figures or tables matter."""
    for node in blocks:
        if isinstance(node, dict):
            visit(node)
            for child in block_children(node):
                walk_blocks(child, visit)


def cites(nodes: list) -> list[Node]:
    """Every citation (Cite node) below `nodes`, in document order."""
    found: list[Node] = []

    def visit(nodes: list) -> None:
        for node in nodes:
            if isinstance(node, dict) and node.get("t") not in LEAVES:
                if node["t"] == "Cite":
                    found.append(node)
                for child in children(node):
                    visit(child)

    visit(nodes)
    return found


def map_inlines(nodes: list, change: Callable[[Node], list | None], kinds: Collection[str] | None = None) -> list:
    """A copy-free rewrite of every node, children first (blocks as well as inlines): each node
    for which `change` returns a list is replaced by that list. `kinds`: the only kinds of node
    `change` is given (the others are left as they are, the words first: most of a tree).
    Lists with nothing replaced are kept as they are (the one given, too)."""
    out: list | None = None  # made at the first node replaced
    for i, node in enumerate(nodes):
        if type(node) is dict:
            kind = node.get("t")
            if kind not in LEAVES:
                for child in children(node):
                    mapped = map_inlines(child, change, kinds)
                    if mapped is not child:
                        child[:] = mapped
            if kinds is None or kind in kinds:
                replaced = change(node)
                if replaced is not None:
                    if out is None:
                        out = nodes[:i]
                    out.extend(replaced)
                    continue
        if out is not None:
            out.append(node)
    return nodes if out is None else out
