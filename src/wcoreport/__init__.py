"""Publishing toolchain of the WCO Study Report on Disruptive Technologies.

The content core (model, checks, the shared Markdown layer) lives in this package's top-level
modules and in `markdown/`; `site/` adapts it to MkDocs and `report/` to pandoc, DOCX and Typst.
The core never imports MkDocs.
"""

from .sources.diagnostics import ContentError, Problem, Problems, Severity
from .sources.project import Project, load_project

__all__ = ["ContentError", "Problem", "Problems", "Project", "Severity", "load_project"]
