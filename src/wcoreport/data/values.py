"""Values of data tables as a reader sees them, in each language, and references from prose.

Numbers and dates are formatted by Babel from the CLDR, as everywhere in the project, with
our typography on top (see `typography.py`): in French a no-break space U+00A0 before `%`, the
narrow no-break space U+202F between thousands, « 1er » for the first day of a month.

    English   38.8%   1,000   26 August 2025
    French    38,8 %  1 000   26 août 2025      (U+00A0 before %, U+202F in 1 000)

A reference in prose names a table, a row and a column, separated by dots, between double braces:

    {{ survey-2025.mena.participation }}    ->  38.8% (en)   38,8 % (fr)

`REFERENCE` finds them; `resolve_reference` checks the text between the braces and returns
what `format_value` needs, or a message for the editor.
"""

from __future__ import annotations

import datetime
import difflib
import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import babel
import babel.dates
import babel.numbers

from ..sources.vocabulary import REGIONS
from .tables import Column, DataTable

# Babel's locale for each language of the site: the WCO writes British English.
BABEL_LOCALES = {"en": "en_GB", "fr": "fr_FR"}

NBSP = "\u00a0"
EMPTY = "—"  # an empty optional cell, in a table

# `{{ table.row.column }}` in prose; group 1 is the reference. Braces cannot occur inside.
REFERENCE = re.compile(r"\{\{\s*([^{}\n]*?)\s*\}\}")


def babel_locale(lang: str) -> babel.Locale:
    return babel.Locale.parse(BABEL_LOCALES.get(lang, lang))


def format_value(table: DataTable, row_key: str, column: str, lang: str) -> str:
    """The value of one cell as plain text in `lang` (escape it before putting it in Markdown:
    `pipe_table.escape_markdown`). An empty optional cell gives `EMPTY`."""
    col = table.columns[column]
    return format_cell(col, table.rows[row_key][column], lang, table.technology_names)


def format_cell(col: Column, value: Any, lang: str, technology_names: dict[str, dict[str, str]] | None = None) -> str:
    if value is None:
        return EMPTY
    if col.type == "integer":
        return format_number(Decimal(value), lang, 0)
    if col.type == "decimal":
        return format_number(value, lang, col.decimals)
    if col.type == "percent":
        return format_percent(value, lang, col.decimals)
    if col.type == "date":
        return format_date(value, lang)
    if col.type == "region":
        region = REGIONS[value]
        return region[f"{lang}_abbr"] if col.display == "abbr" else region[lang]
    if col.type == "technology":
        return (technology_names or {}).get(value, {}).get(lang, value)
    if isinstance(value, dict):
        return value[lang]
    return str(value)


def format_number(value: Decimal, lang: str, decimals: int | None = None) -> str:
    """`value` with the language's decimal sign and thousands separator; `decimals` digits after
    the decimal sign (rounded half up), or as many as the value has."""
    value = Decimal(value)
    if decimals is None:
        exponent = value.as_tuple().exponent
        decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    value = value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return babel.numbers.format_decimal(value, format=pattern, locale=babel_locale(lang),
                                        decimal_quantization=True, group_separator=True)


def format_percent(value: Decimal, lang: str, decimals: int | None = None) -> str:
    """A value in percent units (38.8 -> 38.8 %): the number, then the sign where the language
    puts it, after a no-break space where it wants a space."""
    number = format_number(value, lang, decimals)
    pattern = babel_locale(lang).percent_formats[None].pattern
    spaced = re.search(r"[\s\u00a0\u202f]%", pattern) is not None
    return f"{number}{NBSP}%" if spaced else f"{number}%"


def format_date(value: datetime.date, lang: str) -> str:
    text = babel.dates.format_date(value, format="long", locale=babel_locale(lang))
    if lang == "fr" and value.day == 1:
        text = re.sub(r"^1(?=\s)", "1er", text)  # « le 1er août »
    return text


def resolve_reference(tables: dict[str, DataTable], ref: str) -> tuple[DataTable, str, str] | str:
    """`(table, row, column)` for the text between `{{` and `}}`, or a message saying what is
    wrong (the caller adds the file and line)."""
    ref = ref.strip()
    parts = ref.split(".")
    if len(parts) != 3 or not all(parts):
        return (f"data reference '{ref}' must name a table, a row and a column separated by dots, "
                "e.g. {{ survey-2025.mena.participation }}")
    name, row, column = (p.strip() for p in parts)
    if name not in tables:
        return f"data reference '{ref}': no data table '{name}'{_suggest(name, tables)}"
    table = tables[name]
    if row not in table.rows:
        return f"data reference '{ref}': table '{name}' has no row '{row}'{_suggest(row, table.rows)}"
    if column not in table.columns:
        return (f"data reference '{ref}': table '{name}' has no column '{column}'"
                f"{_suggest(column, table.columns)}")
    if table.rows[row][column] is None:
        return f"data reference '{ref}': the cell is empty in table '{name}' (no value to show)"
    return table, row, column


def _suggest(word: str, candidates) -> str:
    close = difflib.get_close_matches(word, list(candidates), n=1)
    if close:
        return f" (did you mean '{close[0]}'?)"
    return f" (known: {', '.join(list(candidates)[:12])})" if candidates else ""
