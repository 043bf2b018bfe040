"""mkdocs.yml's mistakes that MkDocs itself reports without a line (or not at all) get one on
the editors' paths: `./run serve` (site/preflight.py) and a plain `mkdocs build`."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import copy_repo


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


def _line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text("utf-8").splitlines(), 1) if needle in line)


def test_serve_preflight_names_a_nav_that_is_an_alias_of_itself(tmp_path):
    root = copy_repo(tmp_path / "repo")
    config = root / "mkdocs.yml"
    _edit(config, "nav:\n  - Home: index.md\n", "nav: &chapters\n  - Home: index.md\n  - More: *chapters\n")
    proc = subprocess.run([sys.executable, "-m", "wcoreport.site.preflight", str(root)],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    line = _line_of(config, "nav: &chapters")
    assert proc.stderr.splitlines() == [
        f"mkdocs.yml:{line}: error: this value refers to itself (a YAML alias inside its own anchor, "
        "used at 'nav.1.More'): write it out"]
    # The good configuration passes (serve then starts MkDocs).
    ok = subprocess.run([sys.executable, "-m", "wcoreport.site.preflight", str(copy_repo(tmp_path / "good"))],
                        capture_output=True, text=True, timeout=60)
    assert ok.returncode == 0 and ok.stderr == ""


def test_mkdocs_build_names_a_docs_dir_outside_the_project(tmp_path):
    """MkDocs accepts any existing folder; the plugin refuses it, at its line, and writes nothing."""
    root = copy_repo(tmp_path / "repo")
    shutil.copytree(root / "docs", tmp_path / "elsewhere")
    _edit(root / "mkdocs.yml", "docs_dir: docs", "docs_dir: ../elsewhere")
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "site")],
                          cwd=root, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONWARNINGS": "ignore"})
    assert proc.returncode != 0
    line = _line_of(root / "mkdocs.yml", "docs_dir:")
    assert f"mkdocs.yml:{line}: error: docs_dir '../elsewhere' is outside the project" in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "site" / "index.html").exists()


def test_the_serve_command_stops_at_the_preflight(tmp_path):
    """`wcoreport serve` (what ./run serve and run.cmd call) does not start MkDocs on such a nav."""
    root = copy_repo(tmp_path / "repo")
    config = root / "mkdocs.yml"
    _edit(config, "nav:\n  - Home: index.md\n", "nav: &chapters\n  - Home: index.md\n  - More: *chapters\n")
    proc = subprocess.run([sys.executable, "-m", "wcoreport", "serve", "--root", str(root)],
                          capture_output=True, text=True, timeout=60, cwd=root)
    assert proc.returncode == 1
    assert f"mkdocs.yml:{_line_of(config, 'nav: &chapters')}: error: this value refers to itself" in proc.stderr
    assert "Traceback" not in proc.stderr and "Serving on" not in proc.stderr
