"""What the build command hands to the MkDocs build it runs, so that the site's process does not
load, check and render every page a second time: the project as loaded, its analysis, and the
site's pages as made from the report's own citeproc runs.

The build command starts MkDocs early (`SiteBuild`): while the build checks and renders, MkDocs
imports itself, reads its configuration and loads the theme, then waits in the plugin's
`on_config` for the handover on its standard input (`received`). The environment variable
`WCOREPORT_HANDOVER`, which only the build command sets, says to wait for it. The handover
carries the fingerprint of the sources it was made from (file names, sizes and times): if they
changed since, or what comes cannot be read, the plugin loads and checks the sources itself, as
a plain `mkdocs build` does. If nothing at all comes (the build stopped, or was killed, before
its handover), the process ends: nobody wants the site any more, and it would write after the
build that started it is gone (into a staging folder the next build has to clean).
"""

from __future__ import annotations

import errno
import gc
import os
import re
import pickle
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..pipeline.pandoc import ToolError
from ..pipeline.processes import lower_priority

if TYPE_CHECKING:
    from ..markdown.gate import ProjectAnalysis
    from ..sources.project import Project
    from .render import RenderedPage

HANDOVER_ENV = "WCOREPORT_HANDOVER"


def fingerprint(root: Path) -> tuple:
    """A cheap identity of the sources (names, times and sizes of what the site is made from)."""
    items = []
    for sub in ("docs", "casestudies", "data", "assessments"):
        for path in sorted((root / sub).rglob("*")) if (root / sub).is_dir() else []:
            try:
                st = path.stat()
            except OSError:
                continue
            items.append((str(path), st.st_mtime_ns, st.st_size))
    for name in ("mkdocs.yml", "report.yml", "technologies.yml", "references.bib"):
        path = root / name
        if path.exists():
            st = path.stat()
            items.append((name, st.st_mtime_ns, st.st_size))
    return tuple(items)


@dataclass
class Handover:
    fingerprint: tuple
    project: "Project"
    analysis: "ProjectAnalysis"
    pages: dict[str, dict[str, "RenderedPage"]]  # lang -> page -> its HTML
    blocks: dict = field(default_factory=dict)  # the chapters cut into blocks (blocks.blocks_of)
    downloads: list = field(default_factory=list)  # the report files the build puts in downloads/


SITE_NICENESS = 5  # (added to the process's; 19 is the least)


def received(root: Path) -> Handover | None:
    """The build command's handover for the sources at `root`, if there is one and it is current."""
    if os.environ.get(HANDOVER_ENV) != "stdin":
        return None
    # The site is not on the build's longest way (a language's PDF is: its pages, then Typst),
    # and its process gives way to the languages' where the cores are short: a rebuild after an
    # edit is 7 % faster, a full build no slower (bench/README.md).
    lower_priority(SITE_NICENESS)
    # Millions of objects and no cycle among them: the cycle collector, run at every few
    # thousand new objects, would double the time of the load, and walk them all again and
    # again afterwards. They are kept out of its walks for good (gc.freeze), the moment they
    # are read (if refused, they are freed as any object, by their references).
    collecting = gc.isenabled()
    gc.disable()
    try:
        first = sys.stdin.buffer.peek(1)[:1] if hasattr(sys.stdin.buffer, "peek") else b"?"
        if not first:
            os._exit(3)  # (the build that started this process is gone: see above)
        handover = pickle.load(sys.stdin.buffer)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        return None
    finally:
        gc.freeze()
        if collecting:
            gc.enable()
    if not isinstance(handover, Handover) or handover.fingerprint != fingerprint(root):
        return None
    return handover


_OS_ERROR = re.compile(r"\[Errno (\d+)\] ([^:\n]+)(?:: '([^'\n]+)')?")


def _full_disk(output: str) -> OSError | None:
    """The full disk (or quota) MkDocs' process stopped on, from its last words, if that was it."""
    for found in reversed(list(_OS_ERROR.finditer(output))):
        number = int(found.group(1))
        if number in (errno.ENOSPC, getattr(errno, "EDQUOT", None)):
            return OSError(number, found.group(2), found.group(3))
    return None


class SiteBuild:
    """`mkdocs build --strict` of the sources at `root` into `target`, started at once: its
    start-up runs while the build command loads the sources. `hand_over` gives it the build's
    work, with the report files its pages link (Handover.downloads); `wait` waits for it and
    raises ToolError with MkDocs' last lines if it failed; `stop` ends it."""

    def __init__(self, root: Path, target: Path, workdir: Path):
        env = {**os.environ, "PYTHONWARNINGS": "ignore", HANDOVER_ENV: "stdin"}
        # Its messages go to a file: a pipe nobody reads while it runs could fill and stop it.
        self._log = open(workdir / "mkdocs.log", "w+b")
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-f", str(root / "mkdocs.yml"),
             "-d", str(target)],
            cwd=root, stdin=subprocess.PIPE, stdout=self._log, stderr=subprocess.STDOUT, env=env)

    def hand_over(self, handover: Handover) -> None:
        try:
            pickle.dump(handover, self._proc.stdin, protocol=pickle.HIGHEST_PROTOCOL)
        except OSError:
            pass  # it has ended already (a broken pipe): wait() says why
        self._close_input()

    def _close_input(self) -> None:
        try:
            self._proc.stdin.close()  # (nothing more comes: without a handover it loads the sources itself)
        except OSError:
            pass  # it has ended already, the rest of the handover unread

    def wait(self) -> None:
        self._close_input()
        code = self._proc.wait()
        self._log.seek(0)
        output = self._log.read().decode("utf-8", "replace")
        self._log.close()
        if code != 0:
            full = _full_disk(output)
            if full is not None:  # (said as every writer of the build says it: cli.os_error_message)
                raise full
            lines = [ln for ln in output.splitlines() if ln.strip() and "Traceback" not in ln]
            raise ToolError("the site build failed:\n" + "\n".join(lines[-30:]))

    def stop(self) -> None:
        if self._proc.poll() is None:
            self._proc.kill()
            self._proc.wait()
        if not self._log.closed:
            self._log.close()
