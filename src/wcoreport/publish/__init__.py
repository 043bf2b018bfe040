"""Publishing the site: review rounds as versions, the link check, the offline copy, CI summaries.

API:
- `publish_command(args, root)` — `build_report.py publish --out DIR` (tree.py)
- `linkcheck_command(args, root, out)` — `build_report.py linkcheck`: the link check of a built site
- `changes_command(args, project)` — `build_report.py changes --since REV`: Markdown summary (summary.py)
- `check_site(folder, prefix, start)` — LinkChecker on a folder served under a path (linkcheck.py)
- `serve(folder, prefix)` — a plain static server on 127.0.0.1, in a thread (serve.py)
"""

from __future__ import annotations

import sys
from pathlib import Path

from ..sources.diagnostics import UsageError
from ..pipeline.pandoc import ToolError
from .linkcheck import BrokenLink, LinkReport, check_site
from .serve import serve

__all__ = ["BrokenLink", "LinkReport", "changes_command", "check_site", "linkcheck_command", "publish_command",
           "serve"]


def _site_url(args, root: Path) -> str:
    """The site's address: --site-url, else WCOREPORT_SITE_URL, else mkdocs.yml's site_url."""
    from ..site.hosting import configured_site_url

    url = args.site_url or configured_site_url(root)
    if not url:
        raise UsageError("publish: say where the site is served: --site-url https://host/path/ "
                         "(or WCOREPORT_SITE_URL, or site_url in mkdocs.yml)")
    if not url.startswith(("http://", "https://")):
        raise UsageError(f"publish: the site's address must start with https:// or http:// (got {url!r})")
    return url if url.endswith("/") else url + "/"


def _print_links(report: LinkReport, name: str, quiet: bool) -> None:
    if not quiet:
        sys.stderr.write(f"[{name}] {report.checked} links, assets and downloads checked; "
                         f"{len(report.outside)} outside links (not fetched):\n")
        for page, link in report.outside:
            sys.stderr.write(f"  {page or '(home)'}: {link}\n")


def publish_command(args, root: Path) -> int:
    from ..sources.project import load_project
    from .tree import PublishError, publish

    out = (args.out or root / "build" / "publish").resolve()
    url = _site_url(args, root)
    project = load_project(root)
    if project.metadata is None or project.problems.errors:
        from ..sources.diagnostics import ContentError

        raise ContentError(project.problems.items)
    say = (lambda msg: None) if args.quiet else (lambda msg: sys.stderr.write(msg + "\n"))
    offline = None if args.no_offline else f"{project.metadata.output_name}-site-offline.zip"
    try:
        result = publish(root, out, url, project.languages, offline, say)
    except PublishError as exc:
        raise ToolError(f"publish: {exc}") from None
    for name, report in result.links.items():
        _print_links(report, name, args.quiet)
    print(f"Published {len(result.versions)} version{'s' if len(result.versions) != 1 else ''} "
          f"({', '.join(v.name for v in result.versions)}) into {out}, for {url}")
    return 0


def linkcheck_command(args, root: Path, out: Path) -> int:
    """The link check of a built site (OUT/site, or --site FOLDER) served at --path."""
    folder = (args.site or out / "site").resolve()
    if not (folder / "index.html").is_file():
        raise UsageError(f"linkcheck: {folder} holds no site (build it first: build_report.py site)")
    report = check_site(folder, args.path or "/")
    _print_links(report, folder.name, args.quiet)
    for broken in report.broken:
        print(broken, file=sys.stderr)
    if report.broken:
        print(f"build_report: {len(report.broken)} broken link{'s' if len(report.broken) != 1 else ''} in {folder}",
              file=sys.stderr)
        return 1
    print(f"No broken link in {folder} ({report.checked} checked)")
    return 0


def changes_command(args, project) -> int:
    """The Markdown summary of the pages changed since --since (printed on standard output)."""
    from ..pipeline.revisions import RevisionError
    from .summary import markdown_summary, page_changes

    if not args.since:
        raise UsageError("changes: say since when, e.g. --since review-1 or --since origin/main")
    from ..markdown.gate import check_project

    analysis = check_project(project, parity=None)
    if project.problems.errors or project.metadata is None:
        from ..sources.diagnostics import ContentError

        raise ContentError(project.problems.items)
    try:
        changes = page_changes(project, analysis, args.since)
    except RevisionError as exc:
        raise ToolError(f"changes --since {args.since}: {exc}") from None
    sys.stdout.write(markdown_summary(changes, args.since))
    return 0
