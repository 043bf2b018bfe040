"""Scratch hygiene (outputs.build_scratch): every temporary file of a build, its processes'
included, is in one folder of that build, removed however the build ends: done, stopped on an
error, interrupted (Ctrl-C), ended (SIGTERM); what a killed build left is removed by the next
one. A full disk, in any writer of the build (the site's copies included), is one message and
exit status 2."""

from __future__ import annotations

import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import BUILD_SCRIPT, copy_repo, simulated_env
from test_atomic import _in_session, leftovers, outputs


@pytest.fixture
def previous(built: Path, tmp_path: Path):
    """A copy of the sources changed since the outputs of a good build (a copy of them), and a
    temporary folder of its own for the builds (TMPDIR)."""
    root = copy_repo(tmp_path / "repo")
    # (a French sentence: an English one would leave the French page behind its source, a notice)
    drones = root / "docs" / "fr" / "drones.md"
    drones.write_text(drones.read_text("utf-8").rstrip("\n") + " Une phrase ajoutée après la dernière construction.\n",
                      "utf-8")
    out = tmp_path / "out"
    shutil.copytree(built, out)
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    return root, out, outputs(out), scratch


def start(root: Path, out: Path, scratch: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(BUILD_SCRIPT), "all", "--draft", "--no-cache", "--root", str(root),
                             "--out", str(out), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True, env={**os.environ, "PYTHONWARNINGS": "ignore", "TMPDIR": str(scratch)})


def next_build(root: Path, out: Path, scratch: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(BUILD_SCRIPT), "all", "--draft", "--root", str(root), "--out", str(out)],
                          capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONWARNINGS": "ignore", "TMPDIR": str(scratch)})


def session_ended(session: int, timeout: float = 10) -> bool:
    """Whether every process of the build's session has ended (within `timeout` seconds)."""
    deadline = time.monotonic() + timeout
    while _in_session(session, ""):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1, 2])
def test_killed_at_a_random_moment_nothing_left_after_the_next_build(previous, seed: int):
    """SIGKILL to every process of the build at once (no handler runs), at a random moment:
    the next build removes its scratch folder and staged outputs."""
    root, out, before, scratch = previous
    moment = random.Random(seed * 7919 + int(time.time())).uniform(0.2, 10.0)
    proc = start(root, out, scratch)
    time.sleep(moment)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    said = proc.stderr.read()
    assert session_ended(proc.pid)
    if proc.returncode == -signal.SIGKILL:  # (not done yet when killed: nothing changed)
        assert outputs(out) == before, said
    done = next_build(root, out, scratch)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in scratch.iterdir()) == [], f"killed after {moment:.2f} s"
    assert leftovers(out) == [], f"killed after {moment:.2f} s"


@pytest.mark.slow
@pytest.mark.parametrize("how, code, message", [
    (signal.SIGTERM, 143, "build_report: stopped (SIGTERM); the previous outputs are intact."),
    (signal.SIGINT, 130, "build_report: interrupted; the previous outputs are intact."),
])
@pytest.mark.parametrize("trigger", ["Formatting citations", "Building the website"])
def test_ended_or_interrupted_build_leaves_nothing(previous, how, code: int, message: str, trigger: str):
    """SIGTERM (the system, a CI runner's cancel) or Ctrl-C to the build command alone: it stops
    its processes, removes its scratch and staged outputs, and says so."""
    root, out, before, scratch = previous
    proc = start(root, out, scratch)
    seen = []
    try:
        for line in proc.stderr:
            seen.append(line)
            if trigger in line:
                os.kill(proc.pid, how)
                break
        seen.append(proc.stderr.read())
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    said = "".join(seen)
    assert proc.returncode == code, said
    assert said.rstrip().endswith(message), said
    assert "Traceback" not in said
    assert session_ended(proc.pid), "a process of the build outlived it"
    assert sorted(p.name for p in scratch.iterdir()) == []
    assert leftovers(out) == []
    assert outputs(out) == before


def test_the_next_build_removes_only_the_scratch_of_builds_gone(tmp_path: Path):
    """A scratch folder whose build is gone is removed; one whose build runs stays."""
    root = copy_repo(tmp_path / "repo")
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    abandoned = scratch / f"wcoreport-{int(gone.stdout)}-abcd1234"
    (abandoned / "wcoreport-pages-x").mkdir(parents=True)
    (abandoned / "wcoreport-pages-x" / "page.md").write_text("left by a killed build")
    running = scratch / f"wcoreport-{os.getpid()}-efgh5678"  # (this process runs)
    running.mkdir()
    other = scratch / "wcoreport-pages-not-a-build"
    other.mkdir()
    proc = subprocess.run([sys.executable, str(BUILD_SCRIPT), "check", "--root", str(root)], capture_output=True,
                          text=True, timeout=120, env={**os.environ, "PYTHONWARNINGS": "ignore", "TMPDIR": str(scratch)})
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in scratch.iterdir()) == sorted([running.name, other.name])


# Each writer of a build, on a full disk: the files whose path matches, as the build writes them.
WRITERS = {
    "docx": "*.docx",  # python-docx's reference document, the DOCX moved in
    "pdf": "*.pdf",
    "site-pages": "*/index.html",  # MkDocs' process writing the site
    "site-copy": "*.css",  # MkDocs' process copying the theme's files
    "site-downloads": "*/downloads/*",  # the build command copying the reports into the site
}


@pytest.mark.slow
@pytest.mark.parametrize("writer", list(WRITERS))
def test_full_disk_is_one_message_and_exit_2(previous, writer: str):
    root, out, before, scratch = previous
    env = simulated_env(WCOREPORT_SIMULATE_FULL_DISK=WRITERS[writer], TMPDIR=str(scratch))
    proc = subprocess.run([sys.executable, str(BUILD_SCRIPT), "all", "--draft", "--no-cache", "-q", "--root",
                           str(root), "--out", str(out)], capture_output=True, text=True, timeout=300, env=env)
    assert proc.returncode == 2, proc.stderr
    assert len(proc.stderr.splitlines()) == 1, proc.stderr
    assert re.fullmatch(r"build_report: error: no space left on the disk: cannot write the outputs( \(\S+\))?; "
                        r"the previous outputs are intact\.\n", proc.stderr), proc.stderr
    assert ".part" not in proc.stderr
    assert proc.stdout == ""
    assert outputs(out) == before
    assert leftovers(out) == []
    assert sorted(p.name for p in scratch.iterdir()) == []


FULL_PANDOC = """#!/bin/bash
# pandoc, on a disk that is full for the file it is asked to write (-o FILE)
for word in "$@"; do
  if [ "$word" = "-o" ]; then
    echo "pandoc: withBinaryFile: resource exhausted (No space left on device)" >&2
    exit 1
  fi
done
exec -a "$0" "$REAL_PANDOC" "$@"
"""


@pytest.mark.slow
def test_pandoc_on_a_full_disk_is_the_same_message(previous, tmp_path: Path):
    """pandoc writing the DOCX on a full disk says so in its own words: the build says what it
    says of its own writers."""
    import pypandoc

    root, out, before, scratch = previous
    fake = tmp_path / "pandoc"
    fake.write_text(FULL_PANDOC, "utf-8")
    fake.chmod(0o755)
    env = {**os.environ, "PYTHONWARNINGS": "ignore", "TMPDIR": str(scratch), "PYPANDOC_PANDOC": str(fake),
           "REAL_PANDOC": pypandoc.get_pandoc_path()}
    proc = subprocess.run([sys.executable, str(BUILD_SCRIPT), "report", "--format", "docx", "--no-cache", "-q",
                           "--root", str(root), "--out", str(out)], capture_output=True, text=True, timeout=300,
                          env=env)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr == ("build_report: error: no space left on the disk: cannot write the outputs; "
                           "the previous outputs are intact.\n")
    assert outputs(out) == before
    assert sorted(p.name for p in scratch.iterdir()) == []
