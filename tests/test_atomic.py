"""Nothing lost: a failed, broken or killed build leaves the previous outputs exactly as they were.

Each test starts from the outputs of a good build, changes the sources (so that new outputs
would differ from the old ones), then breaks the build in one way, and compares every output
file byte for byte with what was there before.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

# Full builds of many variants (styles; builds killed at each step): slow end-to-end tests, run by CI
# and `./run test --slow`.
pytestmark = pytest.mark.slow

from conftest import BUILD_SCRIPT, copy_repo, run_build


def outputs(folder: Path) -> dict[str, str]:
    """The outputs a reader sees (hidden scratch files of an interrupted build excluded)."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*"))
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)}


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob(".*"))


@pytest.fixture
def previous(built: Path, tmp_path: Path) -> tuple[Path, Path, dict[str, str]]:
    """A repository copy whose sources changed since its outputs (a copy of a good build) were made."""
    root = copy_repo(tmp_path / "repo")
    drones = root / "docs" / "en" / "drones.md"
    # (in its last paragraph: a paragraph more would leave the French page behind, test_parity.py)
    drones.write_text(drones.read_text("utf-8").rstrip("\n") + " A sentence added after the last build.\n", "utf-8")
    out = tmp_path / "out"
    shutil.copytree(built, out)
    return root, out, outputs(out)


def _in_session(session: int, word: str) -> list[int]:
    """The processes of the session `session` whose command line holds `word`."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if os.getsid(int(entry.name)) == session and word in (entry / "cmdline").read_bytes().decode():
                found.append(int(entry.name))
        except (OSError, UnicodeDecodeError):
            continue
    return found


@pytest.mark.parametrize("trigger, until", [
    ("Formatting citations", None),
    ("writing PDF", None),
    ("Building the website", None),
    ("Building the website", "mkdocs"),  # once MkDocs runs: killed in the middle of the site's build
])
def test_killed_build_leaves_previous_outputs(previous, trigger: str, until: str | None):
    root, out, before = previous
    proc = subprocess.Popen([sys.executable, str(BUILD_SCRIPT), "all", "--root", str(root), "--out", str(out)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True,
                            env={**os.environ, "PYTHONWARNINGS": "ignore"})
    seen = []
    try:
        for line in proc.stderr:
            seen.append(line)
            if trigger in line:
                while until is not None and not _in_session(proc.pid, until) and proc.poll() is None:
                    time.sleep(0.005)
                os.killpg(proc.pid, signal.SIGKILL)  # the build and its children, as a power cut would
                break
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    assert any(trigger in line for line in seen), "".join(seen)
    assert proc.returncode == -signal.SIGKILL
    assert outputs(out) == before

    # The next build repairs everything: new outputs in, scratch files gone.
    done = run_build("all", "--draft", "--root", str(root), "--out", str(out))
    assert done.returncode == 0, done.stderr
    after = outputs(out)
    assert after.keys() == before.keys()
    assert after != before
    assert leftovers(out) == []


# A language's process: forked, its command line is the build's; spawned, multiprocessing's.
LANGUAGE_PROCESS = "spawn_main" if os.environ.get("WCOREPORT_START_METHOD", "fork") != "fork" else "build_report.py"


@pytest.mark.parametrize("trigger, process, message", [
    ("Formatting citations", LANGUAGE_PROCESS, "build stopped (exit status -9) before it was done"),
    ("writing PDF", "typst_process", "Typst stopped before the PDF was made"),
])
def test_a_process_of_the_build_killed_is_a_clean_error(previous, trigger: str, process: str, message: str):
    """A language's process, or Typst's, killed by the system (out of memory, say): the build
    says which stopped, and changes nothing."""
    root, out, before = previous
    proc = subprocess.Popen([sys.executable, str(BUILD_SCRIPT), "all", "--draft", "--root", str(root), "--out",
                             str(out), "--no-cache"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True, env={**os.environ, "PYTHONWARNINGS": "ignore"})
    seen, killed = [], []
    try:
        for line in proc.stderr:
            seen.append(line)
            if trigger in line and not killed:
                while not (killed := [pid for pid in _in_session(proc.pid, process) if pid != proc.pid]) \
                        and proc.poll() is None:
                    time.sleep(0.005)
                for pid in killed[:1]:
                    os.kill(pid, signal.SIGKILL)
        proc.wait(timeout=120)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
    said = "".join(seen) + proc.stdout.read()
    assert killed, said
    assert proc.returncode == 2, said
    assert message in said
    assert "Traceback" not in said
    assert outputs(out) == before
    assert leftovers(out) == []


def test_typst_failure_is_a_clean_error_and_changes_nothing(previous):
    """A JPEG that Typst cannot read (the check does not decode images): the PDF fails, with
    the chapter's line and the image named."""
    root, out, before = previous
    drones = root / "docs" / "en" / "drones.md"
    lines = drones.read_text("utf-8").split("\n")
    drones.write_text("\n".join(lines) + "\n![A broken photo](broken.jpg)\n", "utf-8")
    (drones.parent / "broken.jpg").write_bytes(b"\xff\xd8 this is not a JPEG image")
    proc = run_build("all", "--draft", "--root", str(root), "--out", str(out))
    assert proc.returncode == 2
    assert f"docs/en/drones.md:{len(lines) + 1}: error: the PDF cannot be made" in proc.stderr, proc.stderr
    assert "broken.jpg" in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    assert outputs(out) == before  # not even the DOCX, made before the PDF failed
    assert leftovers(out) == []


def test_image_the_tools_cannot_read_is_a_clean_error(previous):
    root, out, before = previous
    drones = root / "docs" / "en" / "drones.md"
    drones.write_text(drones.read_text("utf-8") + "\n![A drone](drone.png)\n", "utf-8")
    (drones.parent / "drone.png").write_bytes(b"this is not a PNG image")
    proc = run_build("all", "--draft", "--root", str(root), "--out", str(out))
    assert proc.returncode == 2
    assert "build_report: error:" in proc.stderr and "drone.png" in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    assert outputs(out) == before


def test_missing_pandoc_is_a_clean_error(previous):
    root, out, before = previous
    proc = subprocess.run([sys.executable, str(BUILD_SCRIPT), "all", "--root", str(root), "--out", str(out)],
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYPANDOC_PANDOC": str(root / "no-such-pandoc")})
    assert proc.returncode == 2
    assert "build_report: error: pandoc is not available" in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    assert outputs(out) == before


def test_missing_typst_is_a_clean_error(previous, tmp_path: Path):
    root, out, before = previous
    fake = tmp_path / "no-typst"
    fake.mkdir()
    (fake / "typst.py").write_text("raise ImportError('No module named typst')\n", "utf-8")
    # --no-cache: a PDF kept from an earlier build of the same Typst source needs no engine.
    proc = subprocess.run([sys.executable, str(BUILD_SCRIPT), "report", "--no-cache", "--root", str(root),
                           "--out", str(out)], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(fake)})
    assert proc.returncode == 2
    assert "build_report: error: the Typst engine is not installed" in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    assert outputs(out) == before


def test_failed_site_build_keeps_the_previous_reports(previous):
    """The reports are moved in only once the site is built too: one build, one set of outputs."""
    root, out, before = previous
    mkdocs = root / "mkdocs.yml"
    mkdocs.write_text(mkdocs.read_text("utf-8").replace("theme:\n  name: material", "theme:\n  name: no-such-theme"),
                      "utf-8")
    proc = run_build("all", "--draft", "--root", str(root), "--out", str(out))
    assert proc.returncode == 2, proc.stderr
    assert "the site build failed" in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    assert outputs(out) == before


def test_a_build_leaves_no_scratch_files(previous, tmp_path: Path):
    """Every process of the build removes its scratch folders, the forked ones too (they end
    without the exit handlers)."""
    root, out, _before = previous
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    proc = subprocess.run([sys.executable, str(BUILD_SCRIPT), "all", "--draft", "--no-cache", "--root", str(root),
                           "--out", str(out)], capture_output=True, text=True, timeout=300,
                          env={**os.environ, "TMPDIR": str(scratch)})
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in scratch.iterdir()) == []
