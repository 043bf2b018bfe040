"""Whether the outputs of the last build are already those of the sources as they are now.

A rebuild with nothing changed does nothing: the build command hashes everything a build reads
— every file of the repository (contents), this toolchain and its tools' versions (cache.py),
the git state and file times that the site's status page shows, the build date, the command
and its options — and compares it with what the last successful build into the same folder
recorded, together with the hash of each output it wrote. If both match, the outputs are
current and only the problems the last build reported are printed again.

The record is removed before a build starts and written only once its outputs are in place: a
failed or interrupted build can never leave a record that vouches for outputs it did not make.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from .cache import build_date, digest, file_digest, toolchain, user_cache_dir

BUILDS = "builds"  # in the user's cache folder: one record per output folder, named by its path
# Folders of a repository that no build reads: tools' own state and caches (and hidden ones);
# at its top, the default output folders of the build and of a plain `mkdocs build`.
SKIPPED = {"venv", "node_modules", "__pycache__"}
SKIPPED_AT_TOP = {"build", "site"}


def _git(root: Path, *args: str) -> str:
    try:
        return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return ""


def sources_key(root: Path, out: Path, options: list[str]) -> str:
    """One hash of all a build reads from `root`, and of how it was asked for."""
    out = out.resolve()
    parts: list[str] = [toolchain(), str(root), str(out), *options]
    parts.append(build_date())  # without a fixed build date, the site shows today's
    for folder, dirs, files in os.walk(root):
        here = Path(folder)
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED and not d.startswith(".")
                         and not (here == root and d in SKIPPED_AT_TOP) and (here / d).resolve() != out)
        for name in sorted(files):
            path = here / name
            rel = path.relative_to(root).as_posix()
            try:
                mtime = path.stat().st_mtime_ns  # the status page shows an uncommitted file's time
            except OSError:
                continue
            parts += [rel, file_digest(path), str(mtime) if rel.startswith("docs/") else ""]
    # The status page shows the commit, whether the checkout is modified, each file's last change.
    parts += [_git(root, "rev-parse", "HEAD"), _git(root, "status", "--porcelain", "--untracked-files=all")]
    return digest(parts)


def _record_path(out: Path) -> Path:
    """Kept out of the output folder, which holds the outputs only."""
    return user_cache_dir() / BUILDS / f"{digest([str(out.resolve())])}.json"


def _outputs(out: Path, names: list[str]) -> dict[str, str]:
    """Each output file below the folders `names` of `out`, and the hash of its content."""
    found: dict[str, str] = {}
    for name in names:
        for sub in sorted((out / name).rglob("*")):
            if sub.is_file():
                found[sub.relative_to(out).as_posix()] = file_digest(sub)
    return found


def current(out: Path, key: str) -> dict | None:
    """The last build's record (its printed problems and outputs) if its outputs are current."""
    try:
        record = json.loads(_record_path(out).read_text("utf-8"))
        if record.get("key") != key:
            return None
        if not record["files"] or _outputs(out, record["roots"]) != record["files"]:
            return None  # an output was removed or changed since
        return record
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None  # no record, or a damaged one: build


def forget(out: Path) -> None:
    _record_path(out).unlink(missing_ok=True)


def record(out: Path, key: str, roots: list[Path], outputs: list[Path], problems: list[str]) -> None:
    """Vouch for the outputs just written (call only once they are all in place)."""
    names = [r.relative_to(out).as_posix() for r in roots]
    data = {"key": key, "roots": names, "files": _outputs(out, names),
            "outputs": [str(p) for p in outputs], "problems": problems}
    target = _record_path(out)
    tmp = target.with_suffix(f".{os.getpid()}.part")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps(data), "utf-8")
        os.replace(tmp, target)
    except OSError:  # (a full disk, say: the outputs are in; the next build makes them again)
        tmp.unlink(missing_ok=True)
