"""The package's own command, the same on every system (cli.py): `wcoreport` (the console
script) and `python -m wcoreport` do what ./run and run.cmd do once set up."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO_ROOT

COMMANDS = ("all (build)", "check", "report", "site", "translated", "import-docx", "xliff", "redline", "clean",
            "serve", "test", "bench")


def console_script() -> Path:
    folder = Path(sys.executable).parent
    found = [p for p in (folder / "wcoreport", folder / "wcoreport.exe") if p.exists()]
    if not found:
        pytest.skip("the project is not installed in this Python's environment (pip install -e .)")
    return found[0]


@pytest.mark.parametrize("command", [["-m", "wcoreport"], "script"], ids=["python -m wcoreport", "wcoreport"])
def test_help_lists_every_command(command):
    argv = [str(console_script())] if command == "script" else [sys.executable, *command]
    proc = subprocess.run([*argv, "--help"], capture_output=True, text=True, timeout=60, cwd=REPO_ROOT)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith(f"usage: {'wcoreport' if command == 'script' else 'python -m wcoreport'} ")
    for name in COMMANDS:
        assert f"    {name}" in proc.stdout, name


def test_a_command_has_its_own_help():
    proc = subprocess.run([sys.executable, "-m", "wcoreport", "redline", "--help"], capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0
    assert "--since REV" in proc.stdout and "--format {docx,pdf}" in proc.stdout


def test_serve_is_mkdocs_serve_dirty(tmp_path: Path):
    """`serve` runs `mkdocs serve --dirty --no-strict` in the project's folder, with the words
    after it given to MkDocs (here its --help)."""
    proc = subprocess.run([sys.executable, "-m", "wcoreport", "serve", "--help"], capture_output=True, text=True,
                          timeout=60, cwd=REPO_ROOT)
    assert proc.returncode == 0, proc.stderr
    assert "Run the builtin development server" in proc.stdout
    assert "--dirty" in proc.stdout


def test_test_runs_pytest_with_its_options():
    proc = subprocess.run([sys.executable, "-m", "wcoreport", "test", "--version"], capture_output=True, text=True,
                          timeout=60, cwd=REPO_ROOT)
    assert proc.returncode == 0, proc.stderr
    assert "pytest" in proc.stdout + proc.stderr


def test_build_is_all_and_the_default(tmp_path: Path):
    """`build` is `all`; a bad option is argparse's usage error (exit 2), not a traceback."""
    proc = subprocess.run([sys.executable, "-m", "wcoreport", "build", "--no-such-option"], capture_output=True,
                          text=True, timeout=60, env={**os.environ, "PYTHONWARNINGS": "ignore"})
    assert proc.returncode == 2
    assert "unrecognized arguments: --no-such-option" in proc.stderr
    assert "Traceback" not in proc.stderr
