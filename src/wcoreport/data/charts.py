"""Charts drawn from data tables: `data/charts/<id>.yml` -> an SVG and a PNG per language.

The SVG goes to the site and to the PDF (Typst reads SVG and keeps its text as text); the PNG,
at 300 dpi, to the DOCX (Word and LibreOffice do not all show SVG, see TOOLCHAIN.md). Each
chart also gets a text alternative generated from its data, in the page's language.

Why vl-convert (Vega-Lite compiled and rendered by the Vega team's Rust/Deno package) rather than
matplotlib. Both were measured on a two-core build machine with `bench/chart_libraries.py` (one
bar chart; ranges over runs on a loaded machine):

|                                 | vl-convert 1.9           | matplotlib 3.11                       |
|---------------------------------|--------------------------|---------------------------------------|
| first chart of a fresh process  | 0.4-1.0 s (V8 start-up)  | 0.5-1.5 s (import, font cache)        |
| each further SVG                | 0.02-0.05 s              | 0.03-0.06 s                           |
| each further PNG at 300 dpi     | 0.07-0.15 s              | 0.08-0.19 s                           |
| installed size                  | 84 MB, one package       | 166 MB (numpy, pillow, fonttools...)  |
| offline (no network namespace)  | yes; `allowed_base_urls=[]` refuses any URL | yes                |
| SVG text                        | `<text font-family>`     | `<text>` with `svg.fonttype: none`    |
| Typst keeps the text in the PDF | yes                      | yes                                   |
| same bytes on every run         | yes                      | yes, once `svg.hashsalt` and metadata are fixed |

Both draw real text in Liberation Serif and pass the Typst test. vl-convert wins on the rest:
- the chart is a declarative JSON document, built from data alone; hashing it names the output
  (content addressing) with nothing else to capture, and it needs no global state (matplotlib's
  rcParams and font cache are process-wide);
- numbers on the axes use a locale we give it, built here from Babel's CLDR symbols and our
  typography (U+202F between thousands, U+00A0 before %), and value labels are the strings of
  `values.py`: one formatting rule for prose, tables and charts;
- half the installed size, no native numeric stack.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal
from xml.sax.saxutils import escape, quoteattr

import vl_convert

from ..sources.diagnostics import Problems
from ..pipeline.outputs import atomic_write
from ..text.typography import french_spacing
from ..sources.yamlfile import Schema, load_declared
from .labels import LABELS
from .pipe_table import one_line
from .tables import ID_PATTERN, DataTable
from .values import babel_locale, format_cell, format_number, format_percent

PPI = 300  # the PNG's resolution: print quality in the DOCX
FONT_FAMILY = "Liberation Serif"  # the report's body font (see report/fonts)
# The site's readers may not have it: a browser then takes the next family.
FONT_STACK = f"{FONT_FAMILY}, 'Times New Roman', serif"
FONTS_DIR = Path(__file__).resolve().parent.parent / "report" / "fonts"
# Bump when this module draws differently, so that every cached chart is drawn again.
DRAWING_VERSION = 1
PALETTE = ["#1f4e79", "#5b9bd5", "#ed7d31", "#70ad47", "#a5a5a5", "#ffc000"]


class ChartSchema(Schema):
    table: str
    kind: Literal["bar", "stacked-bar", "line"]
    x: str  # the column along the x axis (the categories of a bar chart)
    y: str | list[str]  # the numeric column(s): one per series
    rows: list[str] | None = None  # which rows, in this order; by default all, in the table's order
    horizontal: bool = False  # bars drawn left to right (for long category names)
    title: dict[str, str]  # becomes the caption
    note: dict[str, str] | None = None  # added to the caption and to the text alternative
    x_label: dict[str, str] | None = None  # by default the x column's label
    y_label: dict[str, str] | None = None  # by default the y column's label (one series)


@dataclass(frozen=True)
class ChartSpec:
    id: str
    path: Path
    schema: ChartSchema

    @property
    def y_columns(self) -> list[str]:
        y = self.schema.y
        return [y] if isinstance(y, str) else list(y)


@dataclass(frozen=True)
class ChartOutput:
    svg_path: Path
    png_path: Path
    alt_text: str  # plain text: escape it for Markdown
    caption: str  # plain text


def load_charts(root: Path, languages: tuple[str, ...], tables: dict[str, DataTable],
                problems: Problems) -> dict[str, ChartSpec]:
    """Every chart of `root/data/charts/`, checked against the tables it draws."""
    folder = root / "data" / "charts"
    charts: dict[str, ChartSpec] = {}
    if not folder.is_dir():
        return charts
    for path in sorted([*folder.glob("*.yml"), *folder.glob("*.yaml")]):
        if not ID_PATTERN.match(path.stem):
            problems.error(path, 0, f"chart id '{path.stem}' (the file name) must be lower-case ASCII "
                                    "letters a-z, digits and '-'")
            continue
        declared = load_declared(ChartSchema, path, problems)
        if declared is None:
            continue
        schema, yd = declared
        ok = True
        for key in ("title", "note", "x_label", "y_label"):
            texts = getattr(schema, key)
            for lang in languages if texts is not None else ():
                if not (texts.get(lang) or "").strip():
                    problems.error(path, yd.line((key,)), f"{key}: the text in '{lang}' is missing")
                    ok = False
        table = tables.get(schema.table)
        if table is None:
            problems.error(path, yd.line(("table",)), f"no data table '{schema.table}' "
                                                      f"(tables: {', '.join(tables) or 'none'})")
            continue
        spec = ChartSpec(path.stem, path, schema)
        if schema.x not in table.columns:
            problems.error(path, yd.line(("x",)), f"table '{table.name}' has no column '{schema.x}'")
            ok = False
        for i, col in enumerate(spec.y_columns):
            loc = ("y",) if isinstance(schema.y, str) else ("y", i)
            if col not in table.columns:
                problems.error(path, yd.line(loc), f"table '{table.name}' has no column '{col}'")
                ok = False
            elif not table.columns[col].numeric:
                problems.error(path, yd.line(loc), f"column '{col}' is {table.columns[col].type}: "
                                                   "a chart draws numbers (integer, decimal, percent)")
                ok = False
        if schema.kind == "bar" and len(spec.y_columns) != 1:
            problems.error(path, yd.line(("y",)), "a bar chart draws one column: use 'stacked-bar' for several")
            ok = False
        if schema.horizontal and schema.kind == "line":
            problems.error(path, yd.line(("horizontal",)), "a line chart cannot be horizontal")
            ok = False
        for i, row in enumerate(schema.rows or []):
            if row not in table.rows:
                problems.error(path, yd.line(("rows", i)), f"table '{table.name}' has no row '{row}'")
                ok = False
        if not ok:
            continue
        for row in schema.rows or list(table.rows):
            empty = [c for c in spec.y_columns if table.rows[row][c] is None]
            if empty:
                where = yd.line(("rows", schema.rows.index(row))) if schema.rows else yd.line(("table",))
                problems.error(path, where, f"row '{row}' has no value in '{empty[0]}': a chart cannot draw "
                                            "it; choose the rows to draw with 'rows:'")
                ok = False
        if ok:
            charts[spec.id] = spec
    return charts


def render_chart(spec: ChartSpec, tables: dict[str, DataTable], lang: str, out_dir: Path) -> ChartOutput:
    """Draw `spec` in `lang` into `out_dir`, unless the same drawing is there already.

    The file names carry a hash of everything that makes the drawing (the Vega-Lite document
    with its data and texts, the locale, the library's and our drawing version, the font), so
    an unchanged chart is not drawn again and a changed one never shows a stale file."""
    table = tables[spec.schema.table]
    vega_lite, locale = vega_lite_spec(spec, table, lang), format_locale(lang)
    alt, caption = alt_text(spec, table, lang), chart_caption(spec, lang)
    identity = {"vega-lite": vega_lite, "locale": locale, "ppi": PPI, "alt": alt, "lang": lang,
                "vl-convert": vl_convert.__version__, "drawing": DRAWING_VERSION, "font": _font_digest()}
    digest = hashlib.sha256(json.dumps(identity, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16]
    stem = f"{spec.id}.{lang}.{digest}"
    svg_path, png_path = Path(out_dir) / f"{stem}.svg", Path(out_dir) / f"{stem}.png"
    if not (svg_path.is_file() and png_path.is_file()):
        _register_fonts()
        options = {"format_locale": locale, "allowed_base_urls": []}
        svg = vl_convert.vegalite_to_svg(vega_lite, **options)
        png = vl_convert.vegalite_to_png(vega_lite, ppi=PPI, **options)
        with atomic_write(svg_path) as tmp:
            tmp.write_text(_label_svg(svg, alt, lang), encoding="utf-8")
        with atomic_write(png_path) as tmp:
            tmp.write_bytes(png)
    return ChartOutput(svg_path, png_path, alt, caption)


_OUTPUT_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*\.[a-z]{2,3}(?:-[A-Za-z]+)?\.[0-9a-f]{16}\.(?:svg|png)$")


def remove_stale_charts(out_dir: Path, current: list[ChartOutput]) -> list[Path]:
    """Delete the drawings in `out_dir` that no chart of this build uses (an older version of
    a chart, a chart removed); return them. Other files are left alone."""
    keep = {p.name for out in current for p in (out.svg_path, out.png_path)}
    removed = []
    for path in sorted(Path(out_dir).glob("*")):
        if path.is_file() and _OUTPUT_NAME.match(path.name) and path.name not in keep:
            path.unlink()
            removed.append(path)
    return removed


# --- what is drawn -------------------------------------------------------------------------

def _points(spec: ChartSpec, table: DataTable, lang: str) -> list[dict[str, Any]]:
    x_col = table.columns[spec.schema.x]
    points = []
    for order, row in enumerate(spec.schema.rows or list(table.rows)):
        x = format_cell(x_col, table.rows[row][x_col.id], lang, table.technology_names)
        for series, col_id in enumerate(spec.y_columns):
            col, value = table.columns[col_id], table.rows[row][col_id]
            points.append({"x": x, "order": order, "series": col.label[lang], "series_order": series,
                           "y": float(value), "label": format_cell(col, value, lang)})
    return points


def vega_lite_spec(spec: ChartSpec, table: DataTable, lang: str) -> dict[str, Any]:
    """The Vega-Lite document of the chart in `lang`: data inline, every text translated."""
    s = spec.schema
    y_cols = [table.columns[c] for c in spec.y_columns]
    x_title = (s.x_label or table.columns[s.x].label)[lang]
    y_title = (s.y_label or (y_cols[0].label if len(y_cols) == 1 else None) or {}).get(lang)
    percent = all(c.type == "percent" for c in y_cols)
    # The percent sign as `format_percent` writes it (after U+00A0 in French).
    sign = format_percent(Decimal(1), lang)[len(format_number(Decimal(1), lang)):] if percent else ""
    points = _points(spec, table, lang)
    categories = list(dict.fromkeys(p["x"] for p in points))
    series = [c.label[lang] for c in y_cols]
    category = {"field": "x", "type": "ordinal" if s.kind == "line" else "nominal", "sort": categories,
                "title": x_title, "axis": {"labelAngle": 0, "labelLimit": 260}}
    measure = {"field": "y", "type": "quantitative", "title": y_title,
               "axis": {"labelExpr": f"format(datum.value, ',~f') + '{sign}'", "tickMinStep": 1}}
    encoding: dict[str, Any] = {"x": category, "y": measure}
    if s.horizontal:
        encoding = {"y": category, "x": measure}
    several = len(y_cols) > 1
    if several:
        encoding["color"] = {"field": "series", "type": "nominal", "sort": series, "title": None,
                             "scale": {"range": PALETTE}, "legend": {"orient": "bottom"}}
    if s.kind == "stacked-bar":
        measure["stack"] = "zero"
        encoding["order"] = {"field": "series_order", "type": "quantitative"}
    layers: list[dict[str, Any]]
    if s.kind == "line":
        layers = [{"mark": {"type": "line", "point": True, "color": None if several else PALETTE[0]}}]
    else:
        layers = [{"mark": {"type": "bar", "color": None if several else PALETTE[0]}}]
        if not several:
            # The value on each bar, written as in the text (one formatting rule everywhere).
            label_mark = ({"type": "text", "align": "left", "dx": 4} if s.horizontal
                          else {"type": "text", "baseline": "bottom", "dy": -3})
            layers.append({"mark": label_mark, "encoding": {"text": {"field": "label"}}})
    for layer in layers:  # None means "not set": Vega-Lite wants the key absent
        # No ARIA of Vega's own on the marks: the SVG as a whole is one image with our text.
        layer["mark"] = {k: v for k, v in layer["mark"].items() if v is not None} | {"aria": False}
    size = {"width": 440, "height": 260}
    if s.horizontal:
        size = {"width": 360, "height": {"step": 26}}
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        **size,
        "data": {"values": points},
        "encoding": encoding,
        "layer": layers,
        "config": {"font": FONT_STACK, "background": "white", "view": {"stroke": None},
                   "axis": {"labelFontSize": 11, "titleFontSize": 12, "titleFontWeight": "normal"},
                   "legend": {"labelFontSize": 11}, "text": {"fontSize": 11},
                   # Vega's generated ARIA descriptions are English only: the SVG gets ours.
                   "aria": False},
    }


@functools.cache
def format_locale(lang: str) -> dict[str, Any]:
    """The d3-format locale of `lang`, from Babel's CLDR symbols and our typography."""
    symbols = babel_locale(lang).number_symbols["latn"]
    return {"decimal": symbols["decimal"], "thousands": symbols["group"], "grouping": [3],
            "currency": ["", ""]}


def alt_text(spec: ChartSpec, table: DataTable, lang: str) -> str:
    """The chart said in words from its data: kind, title, every value, the note."""
    s = spec.schema
    points = _points(spec, table, lang)
    colon = " : " if lang == "fr" else ": "  # French puts a space before it (made no-break below)
    if len(spec.y_columns) == 1:
        values = ", ".join(f"{p['x']} {p['label']}" for p in points)
    else:
        by_x: dict[str, list[str]] = {}
        for p in points:
            by_x.setdefault(p["x"], []).append(f"{p['series']} {p['label']}")
        values = (" ; " if lang == "fr" else "; ").join(f"{x}{colon}{', '.join(items)}" for x, items in by_x.items())
    text = f"{LABELS[lang][s.kind]}{colon}{_sentence(s.title[lang])} {values}."
    if s.note:
        text += f" {_sentence(s.note[lang])}"
    return french_spacing(text) if lang == "fr" else text


def chart_caption(spec: ChartSpec, lang: str) -> str:
    s = spec.schema
    text = one_line(s.title[lang])
    if s.note:
        text = f"{_sentence(text)} {_sentence(s.note[lang])}"
    return french_spacing(text) if lang == "fr" else text


def _sentence(text: str) -> str:
    text = one_line(text)
    return text if text.endswith((".", "!", "?")) else text + "."


def _label_svg(svg: str, alt: str, lang: str) -> str:
    """The text alternative inside the SVG too (`<title>`, `aria-label`), for a page that
    inlines it, and its language, so that a screen reader pronounces it right."""
    match = re.match(r"<svg\b[^>]*>", svg)
    if not match:
        return svg
    head = match.group()[:-1] + f' lang="{lang}" role="img" aria-label={quoteattr(alt)}>'
    return head + f"<title>{escape(alt)}</title>" + svg[match.end():]


@functools.cache
def _register_fonts() -> None:
    vl_convert.register_font_directory(str(FONTS_DIR))


@functools.cache
def _font_digest() -> str:
    digest = hashlib.sha256()
    for font in sorted(FONTS_DIR.glob("LiberationSerif-*.ttf")):
        digest.update(font.name.encode() + font.read_bytes())
    return digest.hexdigest()[:16]
