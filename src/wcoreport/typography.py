"""French typography: no-break spaces where French typesetting wants them.

One implementation for every output: the site applies it to the text of its HTML, the report to
the text of pandoc's document tree (see `report/ast.py`). It works on plain text only.
"""

from __future__ import annotations

import re

NNBSP = "\u202f"  # narrow no-break space: before : ; ! ? and inside « »
NBSP = "\u00a0"  # no-break space: before %, between a number and its unit

_UNITS = r"(?:%|‰|€|\$|km|kg|mg|m²|m³|m|cm|mm|t|h|min|s|Go|Mo|Ko|To|GB|MB|TB|ans?|jours?|heures?|USD|EUR|CHF)"

_RULES: list[tuple[re.Pattern[str], str]] = [
    # « guillemets » keep their inner spaces, even where the editor typed none.
    (re.compile(r"«[ \u00a0\u202f]*"), "«" + NNBSP),
    (re.compile(r"[ \u00a0\u202f]*»"), NNBSP + "»"),
    # High punctuation: the space before it may never break.
    (re.compile(r"[ \u00a0\u202f]+([;!?])"), NNBSP + r"\1"),
    (re.compile(r"[ \u00a0\u202f]+(:)(?=\s|$)"), NNBSP + r"\1"),
    # Thousands separated by a space: 1 000 000.
    (re.compile(r"(?<=\d) (?=\d{3}(?!\d))"), NNBSP),
    # A number and its unit or percent sign.
    (re.compile(r"(?<=\d) (?=" + _UNITS + r"(?![\w]))"), NBSP),
]


def french_spacing(text: str) -> str:
    """Return `text` with the no-break spaces of French typography."""
    if not any(ch in text for ch in "«»:;!?% "):
        return text
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    return text


def apply_to_html(html: str) -> str:
    """Apply `french_spacing` to the text of an HTML fragment, never inside code or scripts."""
    parts = re.split(r"(<[^>]*>)", html)
    skip = 0
    for i, part in enumerate(parts):
        if part.startswith("<"):
            tag = re.match(r"</?\s*([a-zA-Z0-9]+)", part)
            if tag and tag.group(1).lower() in {"code", "pre", "script", "style", "kbd", "textarea"}:
                if part.startswith("</"):
                    skip = max(0, skip - 1)
                elif not part.endswith("/>"):
                    skip += 1
        elif part and not skip:
            parts[i] = french_spacing(part)
    return "".join(parts)
