"""`python -m wcoreport.site.preflight [ROOT]`: mkdocs.yml read the core's way before `mkdocs serve`.

MkDocs checks its own options before any plugin runs: a `nav` that is an alias of itself makes
its nav check recurse until Python stops it (a traceback), other nav mistakes get a message
without a line, and it stops at the first one. `wcoreport serve` (and `./run serve`) runs this first, so that an editor
gets `mkdocs.yml:LINE: error: ...` (what `build_report.py check` says) and MkDocs is not started.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ..sources.chapters import load_site_layout
from ..sources.diagnostics import Problems


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    root = Path(args[0] if args else ".").resolve()
    problems = Problems(root)
    load_site_layout(root, problems)
    for problem in problems.errors:
        print(problem, file=sys.stderr)
    return 1 if problems.errors else 0


if __name__ == "__main__":
    sys.exit(main())
