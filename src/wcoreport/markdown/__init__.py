"""The Markdown layer that the site and the report share.

Editors write one dialect (documented in AUTHORING.md); `expand` turns a page into what each
target reads: Python-Markdown for the site, pandoc's Markdown for the report.
"""

from .preprocess import Target, expand

__all__ = ["Target", "expand"]
