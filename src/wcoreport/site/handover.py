"""What the build command hands to the MkDocs build it runs, so that the site's process does not
load, check and render every page a second time: the project as loaded, its analysis, and the
site's pages as made from the report's own citeproc runs.

The handover is a file named by an environment variable that only the build command sets
(cli.build_site), written just before MkDocs starts. It carries the fingerprint of the sources
it was made from (file names, sizes and times): if they changed since, or the file cannot be
read, the plugin loads and checks the sources itself, as a plain `mkdocs build` does.
"""

from __future__ import annotations

import gc
import os
import pickle
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..markdown.gate import ProjectAnalysis
    from ..project import Project
    from .render import RenderedPage

HANDOVER_ENV = "WCOREPORT_HANDOVER"


def fingerprint(root: Path) -> tuple:
    """A cheap identity of the sources (names, times and sizes of what the site is made from)."""
    items = []
    for sub in ("docs", "casestudies", "data"):
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


def save(path: Path, handover: Handover) -> None:
    with open(path, "wb") as f:
        pickle.dump(handover, f, protocol=pickle.HIGHEST_PROTOCOL)


def received(root: Path) -> Handover | None:
    """The build command's handover for the sources at `root`, if there is one and it is current."""
    path = os.environ.get(HANDOVER_ENV)
    if not path:
        return None
    # Millions of objects and no cycle among them: the cycle collector, run at every few
    # thousand new objects, would double the time of the load.
    collecting = gc.isenabled()
    gc.disable()
    try:
        with open(path, "rb") as f:
            handover = pickle.load(f)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        return None
    finally:
        if collecting:
            gc.enable()
    if not isinstance(handover, Handover) or handover.fingerprint != fingerprint(root):
        return None
    return handover
