"""Typography on pandoc's document tree (JSON), with the one rule of `typography.py`, for the
site and the report alike (both are written from the tree).

Runs of `Str`/`Space` inlines are joined into one text, given to `typography`, and split back
at the ordinary spaces that remain, so a no-break space never becomes a line break. Quotations
pandoc read (its `smart` extension makes "…" a `Quoted` node) take the language's marks here, so
that every writer shows the same « » or “ ”.
"""

from __future__ import annotations

from typing import Any

from ..text.typography import NNBSP, typography

_TEXT = {"Str", "Space", "SoftBreak"}
_SKIP = {"Code", "CodeBlock", "RawInline", "RawBlock", "Math"}


def _fix_run(run: list[dict], lang: str) -> list[dict]:
    text = "".join(" " if node["t"] != "Str" else node["c"] for node in run)
    fixed = typography(text, lang)
    if fixed == text:
        return run
    out: list[dict] = []
    for i, word in enumerate(fixed.split(" ")):
        if i:
            out.append({"t": "Space"})
        if word:
            out.append({"t": "Str", "c": word})
    return out


def _marks(node: dict, lang: str) -> tuple[str, str]:
    """A quotation's marks in the language (French: « » with narrow no-break spaces)."""
    if node["c"][0]["t"] == "DoubleQuote":
        return ("«" + NNBSP, NNBSP + "»") if lang == "fr" else ("“", "”")
    return "‘", "’"


def _inlines(nodes: list[Any], lang: str) -> list[Any]:
    out: list[Any] = []
    run: list[dict] = []
    for node in nodes:
        if isinstance(node, dict) and node.get("t") == "Quoted":
            opening, closing = _marks(node, lang)
            inner = node["c"][1]
            if all(isinstance(n, dict) and n.get("t") in _TEXT for n in inner):
                run += [{"t": "Str", "c": opening}, *inner, {"t": "Str", "c": closing}]
                continue
            if run:
                out.extend(_fix_run(run, lang))
                run = []
            out += [{"t": "Str", "c": opening}, *_inlines(inner, lang), {"t": "Str", "c": closing}]
            continue
        if isinstance(node, dict) and node.get("t") in _TEXT:
            run.append(node)
            continue
        if run:
            out.extend(_fix_run(run, lang))
            run = []
        out.append(_walk(node, lang))
    if run:
        out.extend(_fix_run(run, lang))
    return out


_INLINE = _TEXT | {"Emph", "Strong", "Link", "Span", "Quoted", "Cite", "Note", "Code", "RawInline", "Math",
                   "LineBreak", "Superscript", "Subscript", "SmallCaps", "Strikeout", "Underline", "Image"}


def _is_inline_list(value: list) -> bool:
    return bool(value) and all(isinstance(v, dict) and v.get("t") in _INLINE for v in value)


def _walk(node: Any, lang: str) -> Any:
    """Typeset every text below `node`, in place (inline lists are replaced by their typeset
    copies; nothing else is copied)."""
    if isinstance(node, list):
        if _is_inline_list(node):
            node[:] = _inlines(node, lang)
        else:
            for item in node:
                _walk(item, lang)
    elif isinstance(node, dict) and node.get("t") not in _SKIP:
        for value in node.values():
            if isinstance(value, (list, dict)):
                _walk(value, lang)
    return node


def typeset_blocks(blocks: list, lang: str) -> list:
    """Give all the text of a list of blocks (or of one node) the typography of `lang`, in
    place (and return it). Applied twice, it changes nothing more: a part typeset alone is
    typeset as it would be in the whole."""
    return _walk(blocks, lang)
