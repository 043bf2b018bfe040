"""Source names that cannot both exist on Windows and macOS.

Their file systems ignore case: `Introduction.md` and `introduction.md` are one file there, two
in git on Linux. A repository holding both checks out on an editor's laptop with one of them
lost (whichever git writes last), and builds there another report than on Linux: both are
refused, each at its path.
"""

from __future__ import annotations

import os
from collections import defaultdict
from pathlib import Path

from .diagnostics import Problems

# The folders of a report repository the build reads (uptodate.py reads everything; these are
# the ones editors write in), and the files at its top.
SOURCE_FOLDERS = ("docs", "casestudies", "data", "translations")


def check_case_collisions(root: Path, problems: Problems) -> None:
    """An error at each source path (file or folder) whose name differs from another's by case only."""
    found: dict[str, list[str]] = defaultdict(list)
    try:
        top = sorted(os.scandir(root), key=lambda e: e.name)
    except OSError:
        return
    for entry in top:
        if entry.is_file(follow_symlinks=False) and not entry.name.startswith("."):
            found[entry.name.casefold()].append(entry.name)
    for folder in SOURCE_FOLDERS:
        base = root / folder
        if not base.is_dir():
            continue
        for current, dirs, files in os.walk(base):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in [*dirs, *sorted(files)]:
                rel = Path(current, name).relative_to(root).as_posix()
                found[rel.casefold()].append(rel)
    for names in found.values():
        if len(names) < 2:
            continue
        for name in names:
            others = ", ".join(other for other in names if other != name)
            problems.error(root / name, 0, f"its name differs only by case from {others}: on Windows and macOS "
                                           "they are one file (rename one of them)")
