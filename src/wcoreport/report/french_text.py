"""French typography on pandoc's document tree (JSON), with the shared rule of `typography`.

Runs of `Str`/`Space` inlines are joined into one text, given to `french_spacing`, and split
back at the ordinary spaces that remain, so a no-break space never becomes a line break.
"""

from __future__ import annotations

from typing import Any

from ..typography import french_spacing

_TEXT = {"Str", "Space", "SoftBreak"}
_SKIP = {"Code", "CodeBlock", "RawInline", "RawBlock", "Math"}


def _fix_run(run: list[dict]) -> list[dict]:
    text = "".join(" " if node["t"] != "Str" else node["c"] for node in run)
    fixed = french_spacing(text)
    if fixed == text:
        return run
    out: list[dict] = []
    for i, word in enumerate(fixed.split(" ")):
        if i:
            out.append({"t": "Space"})
        if word:
            out.append({"t": "Str", "c": word})
    return out


def _inlines(nodes: list[Any]) -> list[Any]:
    out: list[Any] = []
    run: list[dict] = []
    for node in nodes:
        if isinstance(node, dict) and node.get("t") in _TEXT:
            run.append(node)
            continue
        if run:
            out.extend(_fix_run(run))
            run = []
        out.append(_walk(node))
    if run:
        out.extend(_fix_run(run))
    return out


_INLINE = _TEXT | {"Emph", "Strong", "Link", "Span", "Quoted", "Cite", "Note", "Code", "RawInline", "Math",
                   "LineBreak", "Superscript", "Subscript", "SmallCaps", "Strikeout", "Underline", "Image"}


def _is_inline_list(value: list) -> bool:
    return bool(value) and all(isinstance(v, dict) and v.get("t") in _INLINE for v in value)


def _walk(node: Any) -> Any:
    if isinstance(node, list):
        if _is_inline_list(node):
            return _inlines(node)
        return [_walk(item) for item in node]
    if isinstance(node, dict):
        if node.get("t") in _SKIP:
            return node
        return {key: _walk(value) for key, value in node.items()}
    return node


def apply_french_spacing(doc: dict) -> dict:
    """Return the pandoc JSON document with French no-break spaces in all its text."""
    return {**doc, "blocks": _walk(doc["blocks"]), "meta": _walk(doc.get("meta", {}))}
