"""`build_report.py intake template|import|export`: the command line's side of intake/ (cli.py
parses, this runs and prints)."""

from __future__ import annotations

import sys
from pathlib import Path

from ..sources.diagnostics import UsageError

USAGE = ("use 'intake template --lang LANG', 'intake import FILE [--mapping MAPPING.yml]' "
         "or 'intake export --format xlsx|csv|json'")


def intake_command(project, args) -> int:
    root = project.root
    out_file = getattr(args, "out", None)
    default_folder = root / "build" / "intake"
    if args.verb == "template":
        from .template import write_template

        if not args.lang or len(args.lang) != 1:
            raise UsageError("intake template: name the form's language, e.g. --lang fr")
        lang = args.lang[0]
        if lang not in project.languages:
            raise UsageError(f"unknown language {lang} (the site has: {', '.join(project.languages)})")
        print(write_template(project, lang, Path(out_file or default_folder / f"casestudies-template-{lang}.xlsx")))
        return 0
    if args.verb == "export":
        from .export import export

        if not args.format or len(args.format) != 1:
            raise UsageError("intake export: name the format, --format xlsx, csv or json")
        fmt = args.format[0]
        if project.problems.errors:  # an export is of case studies that load: say which do not
            from ..sources.diagnostics import ContentError

            raise ContentError(project.problems.errors)
        try:
            written = export(project, fmt, Path(out_file or default_folder / f"casestudies.{fmt}"))
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        for path in written:
            print(path)
        return 0
    if args.verb == "import":
        from .importer import import_file
        from .mapping import load_mapping

        if len(args.files) != 1:
            raise UsageError("intake import: name one file, the survey's export (.xlsx or .csv)")
        path = args.files[0]
        if not path.is_file():
            raise UsageError(f"intake import: no file {path}")
        mapping = load_mapping(args.mapping.resolve(), root) if args.mapping else None
        result = import_file(project, path.resolve(), str(path), mapping)
        for where, message in result.warnings:
            print(f"{where}: warning: {message}", file=sys.stderr)
        for where, message in result.duplicates:
            print(f"{where}: warning: {message}", file=sys.stderr)
        for where, message in result.skipped:
            print(f"{where}: {message}", file=sys.stderr)
        for cid, where in result.created:
            print(f"casestudies/{cid}/ (from {where})")
        print(f"build_report: {len(result.created)} case-study draft(s) created, {len(result.duplicates)} likely "
              f"duplicate(s) not created, {len(result.skipped)} row(s) already imported.", file=sys.stderr)
        return 0
    raise UsageError(USAGE)
