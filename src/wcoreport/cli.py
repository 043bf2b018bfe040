"""Command line: check the sources, build the report (DOCX, PDF) and the site, in every language.

    python build_report.py            # everything: check, report, site -> build/
    python build_report.py check      # list every problem, as path:line: message
    python build_report.py report     # DOCX and PDF only
    python build_report.py site       # the website only
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from .diagnostics import ContentError
from .outputs import atomic_directory
from .pandoc import ToolError

COMMANDS = ("all", "check", "report", "site")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="build_report.py",
        description="Build the WCO Study Report on Disruptive Technologies from its Markdown sources: "
                    "the bilingual website and the report as DOCX and PDF in each language.",
    )
    parser.add_argument("command", nargs="?", default="all", choices=COMMANDS,
                        help="what to do (default: all = check, report, site)")
    parser.add_argument("--root", type=Path, default=Path.cwd(),
                        help="the report repository (default: the current folder)")
    parser.add_argument("--out", type=Path, default=None, help="output folder (default: ROOT/build)")
    parser.add_argument("--lang", action="append", help="only this language (repeatable)")
    parser.add_argument("--format", action="append", choices=("docx", "pdf"),
                        help="only this report format (repeatable)")
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors (CI uses it)")
    parser.add_argument("-q", "--quiet", action="store_true", help="print only problems and the outputs")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    root = args.root.resolve()
    out = (args.out or root / "build").resolve()
    say = (lambda msg: None) if args.quiet else (lambda msg: print(msg, file=sys.stderr, flush=True))
    started = time.monotonic()
    try:
        return _run(args, root, out, say, started)
    except ContentError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        count = len(exc.problems)
        print(f"build_report: {count} problem{'s' if count != 1 else ''} found; nothing was written.",
              file=sys.stderr)
        return 1
    except ToolError as exc:
        print(f"build_report: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("build_report: interrupted; the previous outputs are intact.", file=sys.stderr)
        return 130


def _run(args, root: Path, out: Path, say, started: float) -> int:
    from .project import load_project

    say(f"Checking the sources in {root}")
    project = load_project(root)
    for problem in project.problems.items:
        print(problem, file=sys.stderr)
    project.problems.raise_if_errors(args.strict)
    languages = tuple(args.lang) if args.lang else project.languages
    unknown = [lang for lang in languages if lang not in project.languages]
    if unknown:
        raise ToolError(f"unknown language {', '.join(unknown)} (the site has: {', '.join(project.languages)})")
    if args.command == "check":
        print(f"build_report: no errors in {len(project.chapters)} chapters, "
              f"{len(project.casestudies)} case studies.", file=sys.stderr)
        return 0
    outputs: list[Path] = []
    if args.command in ("all", "report"):
        from .report.build import build_reports

        formats = tuple(args.format) if args.format else ("docx", "pdf")
        built = build_reports(project, out / "report", languages, formats, say, args.strict)
        outputs += [o.path for o in built]
    if args.command in ("all", "site"):
        say("Building the website (mkdocs build --strict)")
        outputs.append(build_site(root, out / "site", out / "report"))
    print(f"Built in {time.monotonic() - started:.1f} s:")
    for path in outputs:
        print(f"  {path}")
    return 0


def build_site(root: Path, target: Path, reports: Path) -> Path:
    """Run a strict MkDocs build into a fresh folder, copy the reports in for download, swap."""
    with atomic_directory(target) as tmp:
        proc = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-f", str(root / "mkdocs.yml"),
             "-d", str(tmp)],
            cwd=root, capture_output=True, text=True, env={**os.environ, "PYTHONWARNINGS": "ignore"},
        )
        if proc.returncode != 0:
            lines = [ln for ln in (proc.stderr + proc.stdout).splitlines()
                     if ln.strip() and "Traceback" not in ln]
            raise ToolError("the site build failed:\n" + "\n".join(lines[-30:]))
        if reports.is_dir():
            downloads = tmp / "downloads"
            downloads.mkdir(exist_ok=True)
            for path in sorted(reports.glob("*.docx")) + sorted(reports.glob("*.pdf")):
                shutil.copy2(path, downloads / path.name)
    return target / "index.html"


if __name__ == "__main__":
    sys.exit(main())
