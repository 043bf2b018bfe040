"""Shared fixtures: the repository, one real build of everything per session, scratch copies.

The full build (site, DOCX and PDF in both languages) runs once per test session through the
command line, exactly as an editor or CI runs it; the tests then read what it wrote.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
BUILD_SCRIPT = REPO_ROOT / "build_report.py"

# What a report repository consists of: the sources, without build outputs or tooling.
CONTENT = ("mkdocs.yml", "report.yml", "technologies.yml", "references.bib", "docs", "casestudies", "data",
           "translations", "assessments")

# Markup of the sources that must never reach a reader (site page, DOCX or PDF text).
LEAKS = ("!!!", "--8<--", "{%", "%}", "[@", "{ .", "{.", ":::", "===")


def nav_pages(root: Path = REPO_ROOT) -> list[str]:
    """The file names of the nav of mkdocs.yml (the chapter order), e.g. 'ai-ml.md'."""
    import yaml

    names: list[str] = []

    def walk(item):
        if isinstance(item, str):
            names.append(item)
        elif isinstance(item, (list, tuple)):
            for x in item:
                walk(x)
        elif isinstance(item, dict):
            for x in item.values():
                walk(x)

    walk(yaml.safe_load((root / "mkdocs.yml").read_text("utf-8"))["nav"])
    return [n for n in names if not n.startswith("assessments/")]  # generated pages, not chapters


def tool_pages(root: Path = REPO_ROOT) -> list[str]:
    """The self-assessment tools' pages of the nav, e.g. 'assessments/ai-ml.md'."""
    text = (root / "mkdocs.yml").read_text("utf-8")
    return [m for m in re.findall(r"assessments/[a-z0-9-]+\.md", text)]


def in_ci() -> bool:
    return os.environ.get("CI") == "true"


def require_tool(name: str) -> str:
    """The path of an external program; skip the test locally if it is missing, fail in CI."""
    path = shutil.which(name)
    if path is None:
        message = f"'{name}' is not installed"
        if in_ci():
            pytest.fail(f"{message} (CI must provide it)")
        pytest.skip(message)
    return path


# Debian's Chromium (never a downloaded browser), headless, with nothing of its own on the network.
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def launched_chromium():
    """A browser fixture's body (`yield from launched_chromium()`): Chromium through Playwright,
    closed at the fixture's end; skipped locally, failed in CI, when it or Playwright is missing."""
    if not CHROMIUM.is_file():
        unavailable(f"{CHROMIUM} is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("playwright is not installed")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def unavailable(message: str):
    """A client the test needs is missing: skip locally, fail in CI."""
    if in_ci():
        pytest.fail(f"{message} (CI must provide it)")
    pytest.skip(message)


def copy_repo(dest: Path) -> Path:
    """Copy the repository's sources into `dest` (e.g. tmp_path), to be modified by a test."""
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    for name in CONTENT:
        src = REPO_ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name)
        else:
            shutil.copy2(src, dest / name)
    return dest


def run_build(*args: str, cwd: Path = REPO_ROOT, timeout: int = 300) -> subprocess.CompletedProcess:
    """Run `build_report.py ARGS` as a user would, in a fresh interpreter."""
    return subprocess.run(
        [sys.executable, str(BUILD_SCRIPT), *args],
        cwd=cwd, capture_output=True, text=True, timeout=timeout,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


def shared_once(tmp_path_factory, name: str, make) -> Path:
    """A folder made once for the whole test run, by `make(folder)`: under pytest-xdist the
    workers share it (the first makes it, the others wait for it), so a full build shared by
    the tests is built once, not once a worker."""
    from filelock import FileLock

    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # the run's folder, common to all workers
    folder, done = base / f"shared-{name}", base / f"shared-{name}.done"
    with FileLock(str(base / f"shared-{name}.lock")):
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            make(folder)
            done.touch()
    return folder


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """The output folder of one `build_report.py all` of the repository: site/ and report/."""

    def build(out: Path) -> None:
        proc = run_build("all", "--out", str(out))
        assert proc.returncode == 0, f"the build failed ({proc.returncode}):\n{proc.stderr}\n{proc.stdout}"
        assert (out / "site" / "index.html").is_file()

    return shared_once(tmp_path_factory, "build", build)


@pytest.fixture(scope="session")
def report_dir(built: Path) -> Path:
    return built / "report"


@pytest.fixture(scope="session")
def site_dir(built: Path) -> Path:
    return built / "site"


@pytest.fixture(scope="session")
def output_name(repo_root: Path) -> str:
    import yaml

    return yaml.safe_load((repo_root / "report.yml").read_text("utf-8"))["output_name"]


@pytest.fixture(scope="session")
def report_meta(repo_root: Path) -> dict:
    import yaml

    return yaml.safe_load((repo_root / "report.yml").read_text("utf-8"))


@pytest.fixture(scope="session")
def bib_keys(repo_root: Path) -> list[str]:
    """The keys of references.bib, read with a plain pattern (independent of the code tested)."""
    import re

    text = (repo_root / "references.bib").read_text("utf-8")
    return re.findall(r"^@\w+\s*\{\s*([^,\s]+)\s*,", text, re.M)


@pytest.fixture(name="copy_repo")
def copy_repo_fixture():
    """`copy_repo(tmp_path)`: a scratch copy of the sources (see the module function)."""
    return copy_repo


@pytest.fixture(name="require_tool")
def require_tool_fixture():
    """`require_tool(name)`: skip locally, fail in CI, when a program is missing."""
    return require_tool


# The simulations of tests/simulate/sitecustomize.py, in every Python process of a build.
SIMULATE = Path(__file__).resolve().parent / "simulate"
EPOCH = "1767225600"  # 2026-01-01T00:00:00Z: the date of reproducible builds (test_reproducible.py)


def simulated_env(**variables: str) -> dict[str, str]:
    """The environment of a build in which tests/simulate/sitecustomize.py does what `variables`
    say (e.g. WCOREPORT_SIMULATE_WINDOWS="1"), its outputs dated by EPOCH."""
    path = os.pathsep.join(filter(None, [str(SIMULATE), os.environ.get("PYTHONPATH")]))
    return {**os.environ, "PYTHONWARNINGS": "ignore", "SOURCE_DATE_EPOCH": EPOCH, "PYTHONPATH": path, **variables}


def tree_digests(folder: Path) -> dict[str, str]:
    """Every file below `folder` -> the SHA-256 of its bytes."""
    import hashlib

    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="session")
def dated_build(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    """A copy of the sources (not a git work tree) and the digests of its outputs, built once
    with SOURCE_DATE_EPOCH: what builds of the same text in other ways must equal, byte for byte."""

    def build(folder: Path) -> None:
        root = copy_repo(folder / "repo")
        proc = subprocess.run([sys.executable, str(BUILD_SCRIPT), "all", "--root", str(root), "--out",
                               str(folder / "out")], capture_output=True, text=True, timeout=300, env=simulated_env())
        assert proc.returncode == 0, proc.stderr

    folder = shared_once(tmp_path_factory, "dated", build)
    return folder / "repo", tree_digests(folder / "out")


# --- how the suite runs ------------------------------------------------------------------------
# `./run test` runs on every core (pytest-xdist) and leaves out the tests marked slow (real
# clients, builds of many variants): five minutes on two cores. CI, and `--slow`, run them all.

def pytest_addoption(parser):
    parser.addoption("--slow", action="store_true", help="also run the tests marked slow (CI always does)")


def pytest_collection_modifyitems(config, items):
    run_slow = config.getoption("--slow") or in_ci() or config.getoption("-m")
    if not run_slow:
        kept = [item for item in items if item.get_closest_marker("slow") is None]
        if len(kept) != len(items):
            config.hook.pytest_deselected(items=[item for item in items if item not in kept])
            items[:] = kept
    # Under xdist (--dist loadgroup), the tests of a module that builds something once for the
    # module (a fixture of scope "module") run on one worker, which builds it once; the others
    # are dealt out one by one.
    for item in items:
        module = item.module.__name__ if item.module else ""
        for defs in item._fixtureinfo.name2fixturedefs.values():
            if defs and defs[-1].scope == "module" and defs[-1].baseid.split("::")[0].endswith(f"{module}.py"):
                item.add_marker(pytest.mark.xdist_group(module))
                break


def pytest_report_header(config):
    if not (config.getoption("--slow") or in_ci() or config.getoption("-m")):
        return "tests marked slow are left out: run them with --slow (CI runs everything)"
