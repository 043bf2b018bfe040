"""Reproducible builds, and builds that never write into the sources.

Two builds of the same sources with the same SOURCE_DATE_EPOCH give byte-identical outputs:
DOCX, PDF and every file of the site (HTML, sitemap, search index). The two builds run from two
copies of the repository in different folders, so that no machine path leaks into an output.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

# Many full builds (or a browser over every page): the slow end-to-end tests, run by CI and
# `./run test --slow`.
pytestmark = pytest.mark.slow

from conftest import BUILD_SCRIPT, copy_repo

EPOCH = "1767225600"  # 2026-01-01T00:00:00Z


def digest(folder: Path, exclude: tuple[str, ...] = ()) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.relative_to(folder).as_posix().startswith(exclude)}


def build(root: Path, out: Path | None = None, epoch: str = EPOCH) -> subprocess.CompletedProcess:
    args = [sys.executable, str(BUILD_SCRIPT), "all", "--root", str(root)]
    if out is not None:
        args += ["--out", str(out)]
    return subprocess.run(args, cwd=root, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "SOURCE_DATE_EPOCH": epoch, "PYTHONWARNINGS": "ignore"})


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory) -> tuple[Path, Path, dict[str, str], dict[str, str]]:
    """Two builds; the second one into the default output folder (ROOT/build)."""
    first = copy_repo(tmp_path_factory.mktemp("first") / "a")
    second = copy_repo(tmp_path_factory.mktemp("second") / "other-name")
    sources_before = digest(second)
    proc = build(first, first.parent / "out")
    assert proc.returncode == 0, proc.stderr
    proc = build(second)
    assert proc.returncode == 0, proc.stderr
    return first.parent / "out", second / "build", sources_before, digest(second, exclude=("build/",))


def test_outputs_are_byte_identical(two_builds):
    one, two, _, _ = two_builds
    a, b = digest(one), digest(two)
    assert a.keys() == b.keys()
    differ = sorted(name for name in a if a[name] != b[name])
    assert not differ, f"these outputs differ between two builds: {differ}"
    kinds = {Path(name).suffix for name in a}
    assert {".docx", ".pdf", ".html"} <= kinds


def test_a_build_never_writes_into_the_sources(two_builds):
    _, _, before, after = two_builds
    assert after == before  # same files, same bytes: nothing added, changed or removed


def test_dates_in_outputs_follow_source_date_epoch(two_builds):
    one, _, _, _ = two_builds
    import zipfile

    docx = next((one / "report").glob("*-en.docx"))
    with zipfile.ZipFile(docx) as z:
        core = z.read("docProps/core.xml").decode("utf-8")
    assert "2026-01-01T00:00:00Z" in core
    sitemap = (one / "site" / "sitemap.xml").read_text("utf-8")
    assert "<lastmod>2026-01-01</lastmod>" in sitemap
