"""The one Markdown layer both outputs share: the dialect (dialect.py), the analysis of each
page (analysis.py), the check across pages (gate.py) and the document both outputs are
written from (document.py)."""
