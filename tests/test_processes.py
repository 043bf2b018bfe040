"""The build where Python has no fork and no fcntl (Windows), and with processes started by
`spawn` (Windows, macOS): the same outputs, byte for byte, as on Linux (processes.py,
language_build.py)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import BUILD_SCRIPT, copy_repo, simulated_env, tree_digests


def build(root: Path, out: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(BUILD_SCRIPT), "all", "--root", str(root), "--out", str(out), *args],
                          capture_output=True, text=True, timeout=300, env=env)


@pytest.mark.slow
def test_build_as_on_windows_without_fork_and_fcntl(dated_build, tmp_path: Path):
    """No os.fork, os.nice, fcntl in any process of the build (as Windows' Python): it builds,
    and its outputs are those of the build on Linux."""
    root, expected = dated_build
    probe = subprocess.run([sys.executable, "-c", "import os\ntry:\n import fcntl\nexcept ImportError:\n"
                            " print('no fcntl', hasattr(os, 'fork'))"],
                           capture_output=True, text=True, env=simulated_env(WCOREPORT_SIMULATE_WINDOWS="1"))
    assert probe.stdout.strip() == "no fcntl False"  # (the simulation is in force)
    proc = build(root, tmp_path / "out", simulated_env(WCOREPORT_SIMULATE_WINDOWS="1"), "--no-cache")
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert tree_digests(tmp_path / "out") == expected


@pytest.mark.slow
def test_build_with_processes_spawned(dated_build, tmp_path: Path):
    """WCOREPORT_START_METHOD=spawn: the language processes start as new interpreters (as on
    Windows and macOS), and nothing they need comes from memory inherited through a fork.
    (The whole suite runs so with `WCOREPORT_START_METHOD=spawn ./run test`.)"""
    root, expected = dated_build
    proc = build(root, tmp_path / "out", simulated_env(WCOREPORT_START_METHOD="spawn"), "--no-cache")
    assert proc.returncode == 0, proc.stderr
    assert tree_digests(tmp_path / "out") == expected


def test_unknown_start_method_is_a_usage_error(tmp_path: Path):
    root = copy_repo(tmp_path / "repo")
    proc = build(root, tmp_path / "out", simulated_env(WCOREPORT_START_METHOD="teleport"))
    assert proc.returncode == 2
    assert "build_report: error: WCOREPORT_START_METHOD=teleport: this system starts processes by" in proc.stderr
    assert "Traceback" not in proc.stderr


HOLD_THE_LOCK = """
import sys, time
from pathlib import Path
from wcoreport.pipeline.processes import output_lock
with output_lock(Path(sys.argv[1]), lambda message, step=True: print(message, flush=True)):
    print("locked", flush=True)
    time.sleep(float(sys.argv[2]))
print("released", flush=True)
"""


@pytest.mark.parametrize("windows", [False, True], ids=["flock", "without-fcntl"])
def test_one_build_at_a_time_into_an_output_folder(tmp_path: Path, windows: bool):
    """A second build into the same folder waits for the first, with fcntl and without it
    (filelock's own lock file), and the output folder holds no lock file."""
    env = simulated_env(**({"WCOREPORT_SIMULATE_WINDOWS": "1"} if windows else {}))
    out = tmp_path / "out"
    first = subprocess.Popen([sys.executable, "-c", HOLD_THE_LOCK, str(out), "3"], stdout=subprocess.PIPE,
                             text=True, env=env)
    assert first.stdout.readline().strip() == "locked"
    started = time.monotonic()
    second = subprocess.run([sys.executable, "-c", HOLD_THE_LOCK, str(out), "0"], capture_output=True, text=True,
                            env=env, timeout=60)
    assert first.wait(timeout=60) == 0
    assert second.returncode == 0, second.stderr
    assert second.stdout.splitlines()[0] == f"Another build is writing into {out}: waiting for it to finish"
    assert second.stdout.splitlines()[1:] == ["locked", "released"]
    assert time.monotonic() - started > 1.5
    assert list(out.iterdir()) == []
