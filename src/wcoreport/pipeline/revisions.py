"""Earlier versions of the sources, from git: what a redline compares the current sources with.

`redline --since REV` (report/redline.py) and the site's "changes since" view (site/changes.py)
both read the sources as they were at a git revision (a review round's tag, e.g. `review-1`).
They are extracted with `git archive` into a scratch folder: the repository, its work tree and
its list of work trees stay untouched. A folder that is not a git work tree, or a revision git
does not know, is refused with one sentence (RevisionError), before anything is built.
"""

from __future__ import annotations

import contextlib
import io
import re
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

REVIEW_TAG = re.compile(r"^review-[A-Za-z0-9._-]+$")


class RevisionError(Exception):
    """The sources at a revision cannot be had (not a git work tree, unknown revision)."""


@dataclass(frozen=True)
class Revision:
    name: str  # as the user gave it: review-1, a commit, HEAD~2
    commit: str  # the full hash
    date: str  # commit date, UTC, ISO 8601 (2026-03-01T10:00:00Z)


def _git(root: Path, *args: str, binary: bool = False) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["git", *args], cwd=root, capture_output=True, text=not binary, timeout=120)
    except FileNotFoundError:
        raise RevisionError("git is not installed: a redline needs the sources' git history") from None
    except subprocess.TimeoutExpired:
        raise RevisionError(f"git {args[0]} took too long") from None


def resolve(root: Path, rev: str) -> Revision:
    """The commit `rev` names in the repository at `root`, or RevisionError."""
    if not rev or rev.startswith("-"):
        raise RevisionError(f"'{rev}' is not a revision: give a tag (e.g. review-1) or a commit")
    inside = _git(root, "rev-parse", "--is-inside-work-tree")
    if inside.returncode != 0 or inside.stdout.strip() != "true":
        raise RevisionError(f"{root} is not a git work tree: a redline compares with an earlier commit "
                            "of the sources (e.g. the tag of a review round)")
    found = _git(root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}")
    if found.returncode != 0:
        tags = review_tags(root)
        known = f" (review rounds: {', '.join(tags)})" if tags else " (no tag review-N in this repository)"
        raise RevisionError(f"unknown revision '{rev}'{known}")
    commit = found.stdout.strip()
    date = _git(root, "show", "-s", "--format=%ct", commit).stdout.strip()
    stamp = ""
    if date.isdigit():
        import datetime

        stamp = datetime.datetime.fromtimestamp(int(date), datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return Revision(rev, commit, stamp)


def review_tags(root: Path) -> list[str]:
    """The review rounds: tags named review-N, oldest first."""
    proc = _git(root, "tag", "--list", "review-*", "--sort=creatordate")
    if proc.returncode != 0:
        return []
    return [t for t in proc.stdout.split() if REVIEW_TAG.match(t)]


def project_folder(root: Path) -> str:
    """The project's folder within its repository ("" at the top; e.g. "examples/pc0790/")."""
    return _git(root, "rev-parse", "--show-prefix").stdout.strip()


@contextlib.contextmanager
def sources_at(root: Path, revision: Revision) -> Iterator[Path]:
    """A scratch folder holding the project as it was at `revision` (the same folder of the
    repository as `root`); removed on exit."""
    prefix = project_folder(root)
    args = ["archive", "--format=tar", revision.commit]
    if prefix:
        args += ["--", prefix]
    proc = _git(root, *args, binary=True)
    if proc.returncode != 0:
        raise RevisionError(f"git archive {revision.name} failed: "
                            f"{proc.stderr.decode('utf-8', 'replace').strip()}")
    with tempfile.TemporaryDirectory(prefix="wcoreport-since-") as tmp:
        with tarfile.open(fileobj=io.BytesIO(proc.stdout)) as archive:
            archive.extractall(tmp, filter="data")
        old_root = Path(tmp) / prefix if prefix else Path(tmp)
        if not (old_root / "mkdocs.yml").is_file():
            raise RevisionError(f"at {revision.name} there is no report here (no mkdocs.yml)")
        yield old_root
