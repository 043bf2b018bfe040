"""Data in the report: tables in `data/`, their values in prose and tables, charts from them.

    load_data(root, languages, technologies, problems) -> {name: DataTable}
    casestudy_counts(casestudies, technologies) -> (by technology, by region)
    resolve_reference(tables, "survey-2025.mena.participation") -> (table, row, column) | message
    format_value(table, row, column, lang) -> "38,8 %"
    table_markdown(table, lang, columns=None) -> a pipe table
    load_charts(root, languages, tables, problems) -> {id: ChartSpec}
    render_chart(spec, tables, lang, out_dir) -> ChartOutput(svg_path, png_path, alt_text, caption)
    remove_stale_charts(out_dir, outputs) -> the files of older drawings, deleted
"""

from .charts import ChartOutput, ChartSpec, load_charts, remove_stale_charts, render_chart
from .counts import casestudy_counts
from .pipe_table import escape_markdown, table_markdown
from .tables import COMPUTED_TABLES, Column, DataTable, load_data
from .values import REFERENCE, format_value, resolve_reference

__all__ = [
    "COMPUTED_TABLES", "REFERENCE", "ChartOutput", "ChartSpec", "Column", "DataTable",
    "casestudy_counts", "escape_markdown", "format_value", "load_charts", "load_data",
    "remove_stale_charts", "render_chart", "resolve_reference", "table_markdown",
]
