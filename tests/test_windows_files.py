"""Sources as Windows editors save them: a UTF-8 byte-order mark and CRLF line ends give the
outputs of the same text saved on Linux, byte for byte (yamlfile.read_text, provenance.sha256);
the commands that write a source keep its BOM and line ends. (Two names differing only by case:
tests/bad_inputs/name-differs-only-by-case.yml.)"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import BUILD_SCRIPT, copy_repo, run_build, simulated_env, tree_digests

BOM = b"\xef\xbb\xbf"


def as_windows_saves(path: Path) -> None:
    data = path.read_bytes()
    assert not data.startswith(BOM) and b"\r\n" not in data
    path.write_bytes(BOM + data.replace(b"\n", b"\r\n"))


@pytest.mark.slow
def test_bom_and_crlf_build_the_same_outputs(dated_build, tmp_path: Path):
    """A chapter, a case study (its record and its text), report.yml, references.bib, a data
    table and a translation record, each with a BOM and CRLF line ends."""
    source, expected = dated_build
    root = tmp_path / "repo"
    shutil.copytree(source, root)
    study = sorted(p for p in (root / "casestudies").iterdir() if p.is_dir())[0]
    saved = [root / "docs/en/drones.md", root / "docs/fr/drones.md", study / "casestudy.yml", study / "en.md",
             root / "report.yml", root / "references.bib", root / "technologies.yml", root / "mkdocs.yml",
             sorted((root / "data").glob("*.yml"))[0], sorted((root / "translations/fr").glob("*.json"))[0]]
    for path in saved:
        as_windows_saves(path)
    proc = subprocess.run([sys.executable, str(BUILD_SCRIPT), "all", "--root", str(root), "--out",
                           str(tmp_path / "out")], capture_output=True, text=True, timeout=300, env=simulated_env())
    assert proc.returncode == 0, proc.stderr
    got = tree_digests(tmp_path / "out")
    assert got.keys() == expected.keys()
    assert sorted(name for name in got if got[name] != expected[name]) == []
    assert all(path.read_bytes().startswith(BOM) for path in saved)  # (the sources untouched)


def test_translated_keeps_the_bom_and_line_ends(tmp_path: Path):
    """`translated` rewrites one front-matter line of a page saved on Windows: its BOM and CRLF
    stay, and the page reads as before."""
    root = copy_repo(tmp_path / "repo")
    page = root / "docs/fr/drones.md"
    before = page.read_bytes()
    as_windows_saves(page)
    proc = run_build("translated", "docs/fr/drones.md", "--root", str(root), cwd=root)
    assert proc.returncode == 0, proc.stderr
    after = page.read_bytes()
    assert after.startswith(BOM + b"---\r\n")
    assert b"\n" not in after.replace(b"\r\n", b"")
    assert after.count(b"translation_of:") == 1
    proc = run_build("check", "--root", str(root), cwd=root)
    assert proc.returncode == 0, proc.stderr
    assert "docs/fr/drones.md" not in proc.stderr
    # The same text as before, the translation_of line aside.
    lines = lambda data: [ln for ln in data.decode("utf-8-sig").replace("\r\n", "\n").split("\n")
                          if not ln.startswith("translation_of:")]
    assert lines(after) == lines(before)
