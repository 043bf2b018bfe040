"""A data table as a pipe table of pandoc Markdown, in one language.

Both outputs read pipe tables alike (see TOOLCHAIN.md), so the site and the report show the
same table. The caller adds the caption line (`Table: … {#tbl:id}`).
"""

from __future__ import annotations

import re

from .tables import DataTable
from .values import format_value

# Characters that could start markup, raw code or a citation in pandoc's Markdown or in
# Python-Markdown. The same rule as `plain_text` of the Markdown layer; kept here so that the
# data layer does not depend on the preprocessor.
_MARKUP = re.compile(r"([\\`*_{}\[\]<>#$@^~|=])")
# Line ends and ordinary spaces only: str.split() would also eat the no-break spaces of
# French typography (38,8 U+00A0 %, 1 U+202F 000), which must survive.
_SPACES = re.compile(r"[ \t\n\r\f\v]+")


def one_line(text: str) -> str:
    """`text` on one line, runs of spaces made one; no-break spaces kept."""
    return _SPACES.sub(" ", text).strip(" ")


def escape_markdown(text: str) -> str:
    """`text` (a value or a label from a data file) as literal text on one line of Markdown."""
    return _MARKUP.sub(r"\\\1", one_line(text))


def table_markdown(table: DataTable, lang: str, columns: list[str] | None = None) -> str:
    """The pipe table of `table` in `lang`: translated headers, formatted values, numbers
    aligned right. `columns` chooses and orders the columns (by default all of them).

    Raises ValueError naming an unknown column (report it at the line that asked for it)."""
    columns = list(table.columns) if columns is None else list(columns)
    unknown = [c for c in columns if c not in table.columns]
    if unknown:
        raise ValueError(f"table '{table.name}' has no column '{unknown[0]}' "
                         f"(columns: {', '.join(table.columns)})")
    if not columns:
        raise ValueError(f"table '{table.name}': no column chosen")
    header = [escape_markdown(table.columns[c].label[lang]) for c in columns]
    rule = ["---:" if table.columns[c].numeric else ":---" for c in columns]
    lines = [_row(header), _row(rule)]
    for key in table.rows:
        lines.append(_row([escape_markdown(format_value(table, key, c, lang)) for c in columns]))
    return "\n".join(lines) + "\n"


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"
