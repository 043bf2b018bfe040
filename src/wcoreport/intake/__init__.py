"""Members' case studies in and out as spreadsheets (`build_report.py intake ...`).

- `write_template(project, lang, target)` — the XLSX form Members fill offline (template.py).
- `import_file(project, path, shown, mapping)` — a survey's answers (XLSX/CSV) as case-study
  drafts, checked before anything is written (importer.py); `load_mapping(path, root)` reads a
  survey tool's column names (mapping.py; an example in `mappings/`).
- `export(project, fmt, target)` — every case study as XLSX, CSV or JSON; `json_schema()` the
  published schema of the JSON (export.py).
- `read_grid` (sheets.py): spreadsheets read as untrusted input; `escape_markdown` (drafts.py):
  a Member's text as Markdown that shows exactly that text.
"""

from .drafts import escape_markdown
from .export import export, json_schema
from .importer import ImportResult, import_file
from .mapping import Mapping, load_mapping
from .sheets import SheetError, read_grid
from .template import write_template

__all__ = ["ImportResult", "Mapping", "SheetError", "escape_markdown", "export", "import_file", "json_schema",
           "load_mapping", "read_grid", "write_template"]
