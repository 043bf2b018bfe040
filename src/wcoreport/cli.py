"""Command line: check the sources, build the report (DOCX, PDF) and the site, in every language.

The same on every system as `wcoreport COMMAND`, `python -m wcoreport COMMAND` or
`python build_report.py COMMAND` (./run and run.cmd set up the environment, then call it):

    python build_report.py            # everything: check, report, site -> build/ (also: build)
    python build_report.py check      # list every problem, as path:line: message
    python build_report.py report     # DOCX and PDF only
    python build_report.py site       # the website only
    python build_report.py translated docs/fr/x.md   # record that a translation is current
    python build_report.py import-docx EDITED.docx   # a reviewed DOCX as a Markdown diff + comments
    python build_report.py xliff export --lang fr    # the chapters for a CAT tool (build/xliff/fr/)
    python build_report.py xliff import FILES        # their translations back into docs/fr/
    python build_report.py redline --since review-1  # DOCX + PDF with the changes since a review round
    python build_report.py intake template --lang fr # the XLSX form for Members' case studies
    python build_report.py intake import FILE.xlsx   # their answers as case-study drafts (--mapping M.yml)
    python build_report.py intake export --format json  # every case study as XLSX, CSV or JSON
    python build_report.py clean      # remove the outputs and the kept results (cache.py)
    python build_report.py serve      # live preview for editors (mkdocs serve --dirty --no-strict)
    python build_report.py test       # the tests (pytest; its options follow)
    python build_report.py bench      # the benchmark (bench/README.md; its options follow)
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import gc
import os
import re
import shutil
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .pipeline.cache import file_digest
from .sources.diagnostics import ContentError, Severity, UsageError
from .pipeline.language_build import LanguageJob, start_builds
from .pipeline.outputs import atomic_directory, build_scratch, staging_folder
from .pipeline.pandoc import ToolError
from .pipeline.processes import Terminated, output_lock, terminate_as_interrupt

# Commands that run another program, given every word after the command as they are.
TOOLS = {
    "serve": ("live preview of the site for editors at http://127.0.0.1:8000 (mkdocs serve --dirty --no-strict; "
              "MkDocs' options follow)", ["-m", "mkdocs", "serve", "--dirty", "--no-strict"]),
    "test": ("run the tests (pytest; its options follow)", ["-m", "pytest"]),
    "bench": ("the benchmark against the bare tools (bench/README.md; its options follow)", ["bench/run_bench.py"]),
}
COMMANDS = ("all", "build", "check", "report", "site", "translated", "import-docx", "xliff", "redline", "intake",
            "clean", "publish", "linkcheck", "changes", *TOOLS)


def _parser(prog: str = "build_report.py") -> argparse.ArgumentParser:
    """One sub-parser a command, each with its own arguments, options and --help."""
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Build the WCO Study Report on Disruptive Technologies from its Markdown sources: "
                    "the bilingual website and the report as DOCX and PDF in each language. "
                    "Without a command: all.",
    )
    # What a command does not take reads as its neutral value (the build code asks every command).
    parser.set_defaults(pages=[], lang=None, format=None, strict=False, draft=False, since=None, patch=None,
                        apply=False, comments=None, no_cache=False, verb=None, files=[], mapping=None,
                        site_url=None, no_offline=False, site=None, path=None)
    _common_options(parser, top=True)  # also before the command: build_report.py --root R check
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, summary: str, aliases: tuple[str, ...] = ()) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=summary, description=summary, aliases=list(aliases))
        _common_options(sub, top=False)
        return sub

    for name, summary in (("all", "check, then build the report (DOCX, PDF) and the site (the default)"),
                          ("report", "check, then build the report: DOCX and PDF"),
                          ("site", "check, then build the website")):
        sub = command(name, summary, aliases=("build",) if name == "all" else ())
        if name != "site":
            _build_options(sub, formats=True)
        _check_options(sub)
        sub.add_argument("--no-cache", action="store_true",
                         help="redo everything: read and keep no results of earlier builds")
    _check_options(command("check", "list every problem in the sources, as path:line: message"))
    sub = command("translated", "record that translated pages are current with their source (translation_of)")
    sub.add_argument("pages", nargs="*", type=Path, metavar="PAGE", help="e.g. docs/fr/ai-ml.md")
    sub = command("import-docx", "a reviewed DOCX back as a diff of the Markdown sources, with its comments")
    sub.add_argument("pages", nargs="*", type=Path, metavar="DOCX", help="the DOCX a reviewer edited")
    sub.add_argument("--lang", action="append", help="the DOCX's language (default: read from the DOCX)")
    sub.add_argument("--patch", type=Path, help="write the diff to this file instead of printing it")
    sub.add_argument("--apply", action="store_true", help="apply the diff to the sources")
    sub.add_argument("--comments", type=Path, help="write the comments to this file: Markdown (.md) or CSV (.csv)")
    sub = command("xliff", "the chapters to and from a CAT tool (XLIFF 1.2)")
    verbs = sub.add_subparsers(dest="verb", metavar="VERB")
    export = verbs.add_parser("export", help="write a language's pages as XLIFF (OUT/xliff/LANG/)",
                              description="write a language's pages as XLIFF, to translate in a CAT tool")
    _common_options(export, top=False)
    export.add_argument("--lang", action="append", help="the language to translate into, e.g. fr")
    imported = verbs.add_parser("import", help="put translated XLIFF files back into the pages",
                                description="put translated XLIFF files back into the pages (checked first)")
    _common_options(imported, top=False)
    imported.add_argument("files", nargs="*", type=Path, metavar="FILE", help="XLIFF files from the CAT tool")
    sub = command("redline", "the report with the changes since a review round marked (OUT/redline/)")
    sub.add_argument("--since", metavar="REV",
                     help="the git tag (e.g. review-1) or commit to compare with")
    _build_options(sub, formats=True)
    _check_options(sub)
    _intake_parser(command("intake", "Members' case studies in and out as spreadsheets (template, import, export)"))
    command("clean", "remove the outputs and the results kept between builds")
    _publish_commands(command)
    for name, (summary, _program) in TOOLS.items():
        sub = commands.add_parser(name, help=summary, description=summary, add_help=False)
        sub.add_argument("rest", nargs="*", metavar="...", help="given to the program as they are")
    return parser


def _intake_parser(sub: argparse.ArgumentParser) -> None:
    """`intake` and its verbs (intake/): --out names the file to write, not a folder."""
    verbs = sub.add_subparsers(dest="verb", metavar="VERB")

    def verb(name: str, summary: str) -> argparse.ArgumentParser:
        parser = verbs.add_parser(name, help=summary, description=summary)
        parser.add_argument("--root", type=Path, default=argparse.SUPPRESS,
                            help="the report repository (default: the current folder)")
        parser.add_argument("-q", "--quiet", action="store_true", default=argparse.SUPPRESS,
                            help="print only problems and the outputs")
        return parser

    template = verb("template", "write the XLSX form Members fill offline, one row per case study")
    template.add_argument("--lang", action="append", help="the form's language, e.g. fr")
    template.add_argument("--out", type=Path, default=argparse.SUPPRESS,
                          help="the file to write (default: OUT/intake/casestudies-template-LANG.xlsx)")
    imported = verb("import", "a survey's answers (XLSX or CSV) as case-study drafts in casestudies/ "
                              "(checked first; nothing is written if a row is refused)")
    imported.add_argument("files", nargs="*", type=Path, metavar="FILE", help="the survey's export, .xlsx or .csv")
    imported.add_argument("--mapping", type=Path, help="which column holds which field, for a survey tool's "
                                                       "export (our own template needs none)")
    export = verb("export", "every case study as a spreadsheet or JSON (with its JSON Schema)")
    export.add_argument("--format", action="append", choices=("xlsx", "csv", "json"), help="the format")
    export.add_argument("--out", type=Path, default=argparse.SUPPRESS,
                        help="the file to write (default: build/intake/casestudies.FORMAT)")


def _publish_commands(command) -> None:
    """The commands of publishing (publish/): the versioned site, its link check, a CI summary."""
    sub = command("publish", "the site for a static host: the current version and each review round "
                             "(tag review-N) in a folder of its own, with a version selector; --out DIR "
                             "(default ROOT/build/publish) is the tree to serve")
    sub.add_argument("--site-url", metavar="URL",
                     help="where DIR is served, e.g. https://host/group/project/ (default: WCOREPORT_SITE_URL, "
                          "else site_url in mkdocs.yml)")
    sub.add_argument("--no-offline", action="store_true", help="without the offline zip of the site")
    sub = command("linkcheck", "check every link, anchor, asset and download of a built site "
                               "(outside links are listed, not fetched)")
    sub.add_argument("--site", type=Path, metavar="FOLDER", help="the built site (default: OUT/site)")
    sub.add_argument("--path", metavar="PATH", help="the path it is served under, e.g. /some/path/ (default: /)")
    sub = command("changes", "the pages changed since a revision, with counts, as Markdown (a CI job's summary)")
    sub.add_argument("--since", metavar="REV", help="the git tag or commit to compare with (e.g. origin/main)")


def _common_options(parser: argparse.ArgumentParser, top: bool) -> None:
    """Where the project is and where outputs go, before or after the command. The defaults
    live on the top parser only: a sub-parser's default would undo `--root R check`."""
    default = (lambda value: value) if top else (lambda value: argparse.SUPPRESS)
    parser.add_argument("--root", type=Path, default=default(Path.cwd()),
                        help="the report repository (default: the current folder)")
    parser.add_argument("--out", type=Path, default=default(None), help="output folder (default: ROOT/build)")
    parser.add_argument("-q", "--quiet", action="store_true", default=default(False),
                        help="print only problems and the outputs")


def _build_options(parser: argparse.ArgumentParser, formats: bool) -> None:
    parser.add_argument("--lang", action="append", help="only this language (repeatable)")
    if formats:
        parser.add_argument("--format", action="append", choices=("docx", "pdf"),
                            help="only this report format (repeatable)")


def _check_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors (CI uses it)")
    parser.add_argument("--draft", action="store_true",
                        help="a working draft: a translation whose structure departs from its source is a "
                             "warning, not an error (not with final: true in report.yml)")


def parse_arguments(argv: list[str] | None, prog: str = "build_report.py") -> argparse.Namespace:
    """The command line; no command means `all` (`build_report.py --root R` builds everything)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if not any(word in COMMANDS or word in ("-h", "--help") for word in argv):
        argv.insert(0, "all")
    command = next((i for i, word in enumerate(argv) if word in COMMANDS), None)
    rest: list[str] = []
    if command is not None and argv[command] in TOOLS:  # (its words are the program's, --help too)
        argv, rest = argv[:command + 1], argv[command + 1:]
    args = _parser(prog).parse_args(argv)
    if args.command in (None, "build"):
        args.command = "all"
    if args.command in TOOLS:
        args.rest = rest
    if args.command == "xliff":  # the verb and its files, as the xliff code reads them
        args.pages = [Path(args.verb)] + list(getattr(args, "files", [])) if args.verb else []
    return args


def main(argv: list[str] | None = None, prog: str = "build_report.py") -> int:
    args = parse_arguments(argv, prog)
    root = args.root.resolve()
    out = (args.out or root / "build").resolve()
    if args.command in TOOLS:
        return _run_tool(args.command, args.rest, root)
    # One write a message: lines from the two language threads never run into each other.
    say = Progress(quiet=args.quiet)
    started = time.monotonic()
    if args.no_cache:
        from .pipeline.cache import NO_CACHE_ENV

        os.environ[NO_CACHE_ENV] = "1"  # this process and the MkDocs one it runs
    # The build holds millions of small objects (the documents' trees), none in a reference
    # cycle: Python's cycle collector would walk them all again and again (10 % of a build's
    # time, more as the report grows). The process ends with the build.
    gc.disable()
    try:
        # Every temporary file of the build, its processes' too, in one folder of its own,
        # removed however the build ends (outputs.build_scratch); SIGTERM ends it as Ctrl-C does.
        with terminate_as_interrupt(), build_scratch():
            return _run(args, root, out, say, started)
    except ContentError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        count = sum(1 for p in exc.problems
                    if p.severity is Severity.ERROR or (args.strict and p.severity is Severity.WARNING))
        print(f"build_report: {count} {'problem' if args.strict else 'error'}{'s' if count != 1 else ''} found"
              f"{' (--strict: warnings count)' if args.strict else ''}; nothing was written.", file=sys.stderr)
        return 1
    except UsageError as exc:
        print(f"build_report: error: {exc}", file=sys.stderr)
        return 2
    except ToolError as exc:
        message = str(exc)
        if _FULL_DISK.search(message):  # (pandoc, MkDocs, a tool of theirs, on a full disk: said as ours say it)
            print(f"build_report: error: {os_error_message(OSError(errno.ENOSPC, 'full'), root)}; "
                  "the previous outputs are intact.", file=sys.stderr)
            return 2
        if re.match(r"^[^\s:]+:\d+: error: ", message):  # names the editor's file and line first
            print(message, file=sys.stderr)
            print("build_report: error: the build stopped; the previous outputs are intact.", file=sys.stderr)
        else:
            print(f"build_report: error: {message}", file=sys.stderr)
        return 2
    except OSError as exc:  # the output folder: read-only, full, not a folder
        print(f"build_report: error: {os_error_message(exc, root)}; the previous outputs are intact.",
              file=sys.stderr)
        return 2
    except Terminated:
        print("build_report: stopped (SIGTERM); the previous outputs are intact.", file=sys.stderr)
        return 143
    except KeyboardInterrupt:
        print("build_report: interrupted; the previous outputs are intact.", file=sys.stderr)
        return 130


def _run_tool(command: str, words: list[str], root: Path) -> int:
    """Run the program of a TOOLS command in the project's folder with this Python; its exit status."""
    import subprocess

    program = TOOLS[command][1]
    if command == "serve":  # mkdocs.yml read the core's way first: MkDocs' own nav check can crash
        from .site.preflight import main as preflight

        if preflight([str(root)]):
            return 1
    if command == "bench":
        program = [str(Path(__file__).resolve().parents[2] / program[0])]  # (the toolchain's repository)
    with terminate_as_interrupt():
        try:
            proc = subprocess.Popen([sys.executable, *program, *words], cwd=root)
        except OSError as exc:
            print(f"build_report: error: cannot run {command}: {exc.strerror or exc}", file=sys.stderr)
            return 2
        while True:
            try:
                return proc.wait()
            except Terminated:  # (asked of this process only: passed on)
                proc.terminate()
            except KeyboardInterrupt:  # (Ctrl-C reached it too: it stops, and says so)
                continue


def entry(prog: str | None = None) -> None:
    """The `wcoreport` command and `python -m wcoreport`: main(), then a quick exit. A build holds
    millions of small objects; freeing them one by one at exit takes half a second. Everything
    is written and closed: flush, run the exit handlers, and leave the memory to the system."""
    import atexit

    code = main(prog=prog or os.path.basename(sys.argv[0]) or "wcoreport")
    sys.stdout.flush()
    sys.stderr.flush()
    atexit._run_exitfuncs()
    os._exit(code)


# How a tool's message says the disk is full (the C library's words, which pandoc's runtime repeats).
_FULL_DISK = re.compile(r"No space left on device|Disk quota exceeded")


def os_error_message(exc: OSError, root: Path) -> str:
    """An OSError as one line: what could not be written, where (relative to the project, with
    `/`, when inside it), and why ("no space left on the disk" for a full disk)."""
    if isinstance(exc, shutil.Error) and exc.args and isinstance(exc.args[0], list) and exc.args[0]:
        # A copy of a folder (shutil.copytree) lists each file it could not copy: the first says.
        _source, target, why = exc.args[0][0]
        number = int(found.group(1)) if (found := re.search(r"\[Errno (\d+)\]", str(why))) else None
        exc = OSError(number, re.sub(r"^\[Errno \d+\] ", "", str(why)), target)
    where = ""
    if exc.filename:
        # (a file of a staged folder, outputs.staging_folder: named by the place it was made for)
        path = Path(re.sub(r"(^|[\\/])\.([^\\/]+)\.[^\\/.]+\.part(?=[\\/]|$)", r"\1\2", os.fsdecode(exc.filename)))
        try:
            where = path.resolve().relative_to(root).as_posix()
        except (ValueError, OSError):
            where = path.as_posix()
        where = f" ({where})"
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", None)):
        return f"no space left on the disk: cannot write the outputs{where}"
    return f"cannot write the outputs{where}: {exc.strerror or exc}"


def _run(args, root: Path, out: Path, say, started: float) -> int:
    from .sources.project import load_project

    if args.command == "clean":
        return _clean(root, out)
    if args.command in ("publish", "linkcheck"):
        from .publish import linkcheck_command, publish_command

        return publish_command(args, root) if args.command == "publish" else linkcheck_command(args, root, out)
    key = _sources_key(args, root, out)
    if key is not None:
        from .pipeline.uptodate import current

        with output_lock(out, say):
            last = current(out, key)
        if last is not None:
            say("Nothing changed since the last build: its outputs are current", step=False)
            for line in last["problems"]:
                print(line, file=sys.stderr)
            print(f"Built in {time.monotonic() - started:.1f} s:")
            for path in last["outputs"]:
                print(f"  {path}")
            return 0
    say(f"Checking the sources in {root}")
    from .site.handover import fingerprint

    sources = fingerprint(root)  # what the site's process checks the handover against (before loading)
    with contextlib.ExitStack() as stack:
        site = None
        if args.command in ("all", "site") and not args.pages:
            # MkDocs starts first: its start-up (imports, configuration) runs on the other core
            # while this process loads the sources. The output folder is ours from now on.
            stack.enter_context(output_lock(out, say))
            site = _start_site(stack, root, out)
        return _run_loaded(args, out, say, started, key, sources, load_project(root), site)


def _start_site(stack: contextlib.ExitStack, root: Path, out: Path) -> tuple:
    """MkDocs started into the site's staging folder, which _build moves in with the other
    outputs (outputs.atomic_directory); stopped and removed when `stack` closes, if not."""
    from .site.handover import SiteBuild

    staged = staging_folder(out / "site")
    stack.callback(shutil.rmtree, staged, ignore_errors=True)  # (moved in by then, if all went well)
    workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="wcoreport-")))
    site = SiteBuild(root, staged, workdir)
    stack.callback(site.stop)
    return site, staged


def _run_loaded(args, out: Path, say, started: float, key, sources: tuple, project, site: tuple | None) -> int:
    """_run once the project is loaded (`site`: MkDocs started, for the commands that build it)."""
    from .markdown.gate import check_project

    if args.command == "translated":
        return _mark_translated(project, args.pages)
    if args.command == "import-docx":
        from .review import import_docx_command

        return import_docx_command(args, project)
    if args.command == "redline":
        from .review import redline_command

        return redline_command(args, project, out)
    if args.command == "xliff":
        return _xliff(project, args, out)
    if args.command == "intake":
        from .intake.command import intake_command

        return intake_command(project, args)
    if args.command == "changes":
        from .publish import changes_command

        return changes_command(args, project)
    if args.pages:
        raise UsageError(f"'{args.command}' takes no file names (only 'translated' does)")
    if args.draft and project.metadata is not None and project.metadata.final:
        raise UsageError("--draft: report.yml says final: true; a final document is no working draft")
    parity = parity_rule(args, project)
    if args.command == "check" or project.metadata is None:  # (without report.yml: nothing to build)
        check_project(project, parity)
        _gate(args, project)
        from .translation.translations import drift_lines

        for line in drift_lines(project):
            print(line, file=sys.stderr)
        print(f"build_report: no errors in {len(project.chapters)} chapters, "
              f"{len(project.casestudies)} case studies.", file=sys.stderr)
        return 0
    languages = tuple(args.lang) if args.lang else project.languages
    unknown = [lang for lang in languages if lang not in project.languages]
    if unknown:
        raise UsageError(f"unknown language {', '.join(unknown)} (the site has: {', '.join(project.languages)})")
    with output_lock(out, say) if site is None else contextlib.nullcontext():  # (held since MkDocs started)
        from .pipeline.uptodate import record

        outputs = _build(args, project, parity, languages, out, say, sources, site)
        if key is not None:
            roots = [out / "report"] if args.command in ("all", "report") else []
            roots += [out / "site"] if args.command in ("all", "site") else []
            record(out, key, roots, outputs, [str(p) for p in project.problems.items])
    print(f"Built in {time.monotonic() - started:.1f} s:")
    for path in outputs:
        print(f"  {path}")
    return 0


def parity_rule(args, project):
    """How parity is reported for this command (markdown/parity.py's ParityRule): the
    reviewers' site and a working draft show departures as warnings; a command that builds some
    languages refuses the departures of those languages only; the final documents refuse any."""
    from .markdown.parity import ParityRule

    final = project.metadata is not None and project.metadata.final and args.command in ("check", "all", "report")
    if args.draft or args.command == "site":
        return ParityRule(Severity.WARNING)
    languages = frozenset(args.lang) if args.lang and args.command != "check" else None
    return ParityRule(Severity.ERROR, languages, final)


def _gate(args, project) -> None:
    """The check's verdict, on every problem of the project: the build stops on an error (on
    a warning too with --strict), with all of them listed; else the warnings are printed."""
    if project.problems.failing(args.strict) or project.metadata is None:
        raise ContentError(project.problems.items)  # every problem, warnings too, printed once
    for problem in project.problems.items:
        print(problem, file=sys.stderr)


def _build(args, project, parity, languages: tuple[str, ...], out: Path, say, sources: tuple,
           started_site: tuple | None) -> list[Path]:
    from .markdown.analysis import context_digest
    from .markdown.gate import check_across
    from .pipeline.uptodate import forget

    outputs: list[Path] = []
    reports = out / "report"
    with_site = args.command in ("all", "site")
    build_report_files = args.command in ("all", "report")
    formats = tuple(args.format) if args.format else ("docx", "pdf")
    # The steps: the check, the site's pages and MkDocs, then per language the report's
    # assembly and each file. (Citations are formatted where first needed: not a step of its own.)
    say.expect(1 + (2 if with_site else 0) + (len(languages) * (1 + len(formats)) if build_report_files else 0)
               + (len(languages) * len(project.assessments) if build_report_files else 0))
    if build_report_files:
        from .report.build import output_path

        from .report.assessment_paper import paper_path

        downloads = [output_path(project, reports, lang, fmt).name for lang in languages for fmt in formats]
        # The self-assessment tools on paper, for workshops (report/assessment_paper.py).
        downloads += [paper_path(project, reports, tool, lang, fmt).name for tool in project.assessments.values()
                      for lang in languages for fmt in formats]
    else:  # the site alone offers the reports (and paper questionnaires) of the last build, if any
        downloads = sorted(p.name for p in reports.glob("*") if p.suffix in (".docx", ".pdf"))
    with contextlib.ExitStack() as stack, ThreadPoolExecutor(max_workers=1) as pool:
        # Every output is made beside its place and moved in only when ALL are made: a failed
        # or interrupted build leaves the previous outputs as they were (outputs.py).
        staged_reports = stack.enter_context(atomic_directory(reports, keep=True)) if build_report_files else None
        site, staged_site = None, None
        if with_site:
            # MkDocs was started before the sources were loaded (_start_site) and waits for the
            # site's pages (handover.py); they come first: MkDocs builds while the reports are made.
            site, staged = started_site
            staged_site = stack.enter_context(atomic_directory(out / "site", staged=staged))
        # Each language is checked and built in a process of its own (language_build.py); the
        # site needs every language's pages, the reports only those asked for.
        context = context_digest(project)
        jobs = [LanguageJob(project, lang, context, with_site,
                            formats if build_report_files and lang in languages else (), staged_reports)
                for lang in project.languages]
        builds = {build.lang: stack.enter_context(build) for build in start_builds(jobs, say)}
        checked = {lang: build.checked(project.problems) for lang, build in builds.items()}
        analysis = check_across(project, checked, context, parity)
        _gate(args, project)
        forget(out)  # (the outputs are about to change)
        site_job = None
        if with_site:
            from .site.handover import Handover

            say("Rendering the site's pages (pandoc)")
            pages = {lang: builds[lang].pages() for lang in project.languages}
            blocks = {key: value for build in builds.values() for key, value in build.blocks.items()}
            say("Building the website (mkdocs build --strict)")
            handover = Handover(sources, project, analysis, pages, blocks, downloads)
            site_job = pool.submit(lambda: (site.hand_over(handover), site.wait()))
        if build_report_files and project.assessments:
            from .report.assessment_paper import build_papers

            # The paper questionnaires, beside the report's files (moved in with them).
            papers = build_papers(project, staged_reports, languages, formats, say)
        for build in builds.values():
            outputs += [reports / o.path.name for o in build.outputs(project.problems)]
        if build_report_files and project.assessments:
            outputs += [reports / path.name for path in papers]
        if site_job is not None:
            site_job.result()
            copy_downloads(staged_reports or reports, staged_site / "downloads", downloads)
            outputs.append(out / "site" / "index.html")
    return outputs


class Progress:
    """The build's steps as it goes, one line each on standard error (a terminal and CI alike):
    which step, how many are left, the time so far: `[5/12 3.2 s] [en] writing DOCX`.
    One write a line: lines from the language threads never run into each other."""

    def __init__(self, quiet: bool = False):
        self.quiet, self.total, self.done = quiet, 0, 0
        self.started = time.monotonic()
        self._lock = threading.Lock()

    def expect(self, total: int) -> None:
        """The number of steps (the lines said so far count as steps done)."""
        self.total = total

    def __call__(self, message: str, step: bool = True) -> None:
        if self.quiet:
            return
        with self._lock:
            self.done += step
            elapsed = time.monotonic() - self.started
            where = f"[{min(self.done, self.total)}/{self.total} {elapsed:.1f} s] " if self.total else ""
            sys.stderr.write(f"{where}{message}\n")
            sys.stderr.flush()


def _sources_key(args, root: Path, out: Path) -> str | None:
    """The hash of all a build of the outputs reads (uptodate.py); None: always build."""
    from .pipeline.cache import enabled
    from .pipeline.uptodate import sources_key

    if args.command not in ("all", "report", "site") or args.pages or not enabled():
        return None
    from .site.hosting import settings_key

    options = [args.command, *sorted(args.lang or []), *sorted(args.format or []), f"draft={args.draft}",
               f"strict={args.strict}", *settings_key()]
    if args.command == "site":  # the site offers the report files of the last build
        options += [f"{p.name} {file_digest(p)}" for p in sorted((out / "report").glob("*"))
                    if p.suffix in (".docx", ".pdf")]
    return sources_key(root, out, options)


def _clean(root: Path, out: Path) -> int:
    """Remove the build's outputs and the results kept between builds."""
    from .pipeline.cache import FOLDER, Cache, user_cache_dir
    from .pipeline.uptodate import forget

    with output_lock(out, lambda msg, step=True: None):
        forget(out)
        for name in ("report", "site"):
            shutil.rmtree(out / name, ignore_errors=True)
    Cache(user_cache_dir() / FOLDER).clear()  # the project's cache_dir, even if its sources do not load
    print(f"Removed the outputs in {out} and the results kept between builds.")
    return 0


def _mark_translated(project, pages: list[Path]) -> int:
    """The one command that writes to the sources, on request: one front-matter line a page."""
    from .translation.drift import mark_translated
    from .translation.translations import MarkError

    if not pages:
        raise UsageError("name the translated pages to mark as current, e.g. docs/fr/ai-ml.md")
    for page in pages:
        try:
            digest, before, record = mark_translated(project, page)
        except MarkError as exc:
            raise ToolError(str(exc)) from None
        rel = project.problems.relative(page.resolve())
        source = f"docs/{before.source_lang}/{before.chapter}"
        if before.chapter.startswith("casestudies/"):  # (drift.mark_casestudy)
            source = f"{before.chapter[:-3]}/{before.source_lang}.md"
        what = "translation_of" if any(c.name == before.chapter for c in project.chapters) else "recorded current"
        print(f"{rel}: {what}: {digest} (was {before.state.value}; translates "
              f"{source}; its paragraphs in {project.problems.relative(record)})")
    return 0


def _xliff(project, args, out: Path) -> int:
    """CAT-tool exchange (xliff.py): export a language's chapters, or import translated files."""
    from .markdown.gate import check_project
    from .translation.xliff import ExchangeError, export_language, import_files

    action = str(args.pages[0]) if args.pages else ""
    files = args.pages[1:]
    try:
        if action == "export" and not files:
            if not args.lang or len(args.lang) != 1:
                raise UsageError("xliff export: name the language to translate into, e.g. --lang fr")
            lang = args.lang[0]
            if lang not in project.languages:
                raise UsageError(f"unknown language {lang} (the site has: {', '.join(project.languages)})")
            analysis = check_project(project, parity=None)  # a page that departs from its source is what gets fixed
            if project.problems.errors:
                raise ContentError(project.problems.errors)
            written, warnings = export_language(project, analysis, lang, out / "xliff")
            for warning in warnings:
                print(f"{warning}", file=sys.stderr)
            for path in written:
                print(path)
            return 0
        if action == "import" and files:
            for imported, what in import_files(project, [f.resolve() for f in files]):
                print(f"{project.problems.relative(imported.path)}: {what}")
            return 0
    except ExchangeError as exc:
        print(f"build_report: error: {exc}", file=sys.stderr)
        print("build_report: nothing was written.", file=sys.stderr)
        return 1
    raise UsageError("use 'xliff export --lang LANG' or 'xliff import FILE...'")


def copy_downloads(reports: Path, target: Path, names: list[str]) -> None:
    """Put the report files the site links to into its downloads folder."""
    present = [name for name in names if (reports / name).is_file()]
    if present:
        target.mkdir(exist_ok=True)
    for name in present:
        shutil.copy2(reports / name, target / name)


if __name__ == "__main__":
    sys.exit(main())
