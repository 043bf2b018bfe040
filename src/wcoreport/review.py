"""The review commands of build_report.py: `import-docx` (a reviewed DOCX back into the sources).

The work is done in report/roundtrip.py; here are the arguments, what is printed and written.
Bad input (not our DOCX, a damaged one, another language, sources changed since it was built)
is refused with one message before anything is written.
"""

from __future__ import annotations

import sys

from .sources.diagnostics import ContentError, UsageError
from .pipeline.outputs import atomic_write
from .pipeline.pandoc import ToolError

COMMENT_FORMATS = (".md", ".csv")


def import_docx_command(args, project) -> int:
    from .markdown.gate import check_project
    from .report.roundtrip import (apply, check_docx, comments_csv, comments_markdown, comments_text,
                                   import_docx)

    if len(args.pages) != 1:
        raise UsageError("import-docx takes one DOCX file: build_report.py import-docx EDITED.docx")
    docx = args.pages[0]
    if args.lang and len(args.lang) > 1:
        raise UsageError("import-docx: a DOCX is in one language: give --lang once, or not at all")
    if args.comments and args.comments.suffix.lower() not in COMMENT_FORMATS:
        raise UsageError(f"--comments {args.comments}: give a .md or .csv file name")
    lang = args.lang[0] if args.lang else None
    check_docx(project, docx, lang)  # refused here, before the rebuild, if it is not importable
    analysis = check_project(project)
    if project.problems.errors:
        raise ContentError(project.problems.items)
    result = import_docx(project, analysis, docx, lang)
    diff = result.diff()
    err = sys.stderr
    built = f"commit {result.stamp.commit[:12]}" if result.stamp.commit else "uncommitted sources"
    err.write(f"{docx.name}: the '{result.stamp.lang}' report, built from {built}; "
              f"{result.changed_blocks} block{'s' if result.changed_blocks != 1 else ''} changed, "
              f"{len(result.comments)} comment{'s' if len(result.comments) != 1 else ''}\n")
    if result.not_mapped:
        err.write(f"Not imported ({len(result.not_mapped)}): make these changes by hand\n")
        for item in result.not_mapped:
            err.write(f"  {item}\n")
    if result.comments:
        err.write(comments_text(result))
    if args.patch:
        with atomic_write(args.patch.resolve()) as tmp:
            tmp.write_text(diff, "utf-8")
        err.write(f"Diff written to {args.patch}\n")
    elif diff:
        sys.stdout.write(diff)
    if args.comments:
        text = comments_csv(result) if args.comments.suffix.lower() == ".csv" else comments_markdown(result, docx.name)
        with atomic_write(args.comments.resolve()) as tmp:
            tmp.write_text(text, "utf-8")
        err.write(f"Comments written to {args.comments}\n")
    if args.apply:
        written = apply(project, result)
        err.write(("Applied to: " + ", ".join(written)) if written else "Nothing to apply: the text is unchanged")
        err.write("\n")
    elif not diff:
        err.write("No change to the sources.\n")
    return 0


def redline_command(args, project, out) -> int:
    """`redline --since REV`: the report's DOCX and PDF with the changes since REV marked."""
    import time

    from .sources.diagnostics import Severity
    from .markdown.gate import check_project
    from .markdown.parity import ParityRule
    from .report.redline import build_redlines
    from .pipeline.revisions import RevisionError, resolve

    started = time.monotonic()
    if args.pages:
        raise UsageError("redline takes no file names: build_report.py redline --since REV")
    if not args.since:
        raise UsageError("redline: say since when, e.g. --since review-1 (a tag of a review round, or a commit)")
    try:
        revision = resolve(project.root, args.since)
        now = resolve(project.root, "HEAD").date
    except RevisionError as exc:
        raise ToolError(f"redline --since {args.since}: {exc}; nothing was written") from None
    # Parity as for `report` (cli.parity_rule): a redline of one language is not refused for another's pages.
    rule = ParityRule(Severity.WARNING) if args.draft else ParityRule(Severity.ERROR, frozenset(args.lang or ()) or None)
    analysis = check_project(project, rule)
    if project.problems.failing(args.strict) or project.metadata is None:
        raise ContentError(project.problems.items)
    for problem in project.problems.items:
        print(problem, file=sys.stderr)
    languages = tuple(args.lang) if args.lang else project.languages
    unknown = [lang for lang in languages if lang not in project.languages]
    if unknown:
        raise UsageError(f"unknown language {', '.join(unknown)} (the site has: {', '.join(project.languages)})")
    formats = tuple(args.format) if args.format else ("docx", "pdf")
    say = (lambda msg: None) if args.quiet else (lambda msg: sys.stderr.write(msg + "\n"))
    try:
        results = build_redlines(project, analysis, revision, now, out / "redline", languages, formats, say)
    except RevisionError as exc:
        raise ToolError(f"redline --since {args.since}: {exc}") from None
    for result in results:
        c = result.counts
        say(f"[{result.lang}] since {revision.name}: {c.changed_blocks} blocks changed, {c.inserted_blocks} "
            f"inserted, {c.deleted_blocks} deleted ({c.inserted_words} words inserted, {c.deleted_words} deleted)")
    print(f"Built in {time.monotonic() - started:.1f} s:")
    for result in results:
        for output in result.outputs:
            print(f"  {output.path}")
    return 0
