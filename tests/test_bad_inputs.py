"""A corpus of bad inputs (tests/bad_inputs/*.yml): each one found, where it is, and harmless.

Each case is a small patch applied to a scratch copy of the repository's sources:

    description: what the editor did wrong
    command: check            # or all (build_report.py COMMAND)
    strict: false            # add --strict (turns the expected warnings into a failure)
    edits:                   # applied in order; paths relative to the repository
      - {file: report.yml, replace: [old text, new text]}   # the old text must be there
      - {file: docs/en/x.md, write: "whole new content"}
      - {file: docs/en/x.md, append: "text"}
      - {file: docs/en/x.md, append_hex: "e9 0a"}            # raw bytes, e.g. not UTF-8
      - {file: docs/en/x.md, delete: true}
      - {file: docs/en/x.md, symlink: /etc/passwd}
      - {file: casestudies/a, rename: casestudies/b}
    expect:                  # each one line of the output: "PATH:LINE: error: ...MESSAGE..."
      - {at: "docs/en/x.md:12", error: "message fragment"}
      - {at: docs/en/x.md, line_of: "text on the line", warning: "..."}  # LINE: where that text is
      - {at: docs/en/x.md, error: "..."}                 # a problem with the whole file: no line
    exit: 1
    mkdocs: true             # also: `mkdocs build --strict` fails and names the same problem

Every case runs its command and checks each expected line (test_bad_input); then, among the slow
tests, `build_report.py all --out OUT` on top of the outputs of a good build, asserting that no
output file changed (test_bad_input_leaves_the_outputs).
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from conftest import copy_repo, run_build

CORPUS = Path(__file__).parent / "bad_inputs"
CASES = sorted(CORPUS.glob("*.yml"))


def load_case(path: Path) -> dict:
    return yaml.safe_load(path.read_text("utf-8"))


def apply_edits(root: Path, edits: list[dict]) -> None:
    for edit in edits:
        path = root / edit["file"]
        if "replace" in edit:
            old, new = edit["replace"]
            text = path.read_text("utf-8")
            assert old in text, f"case is stale: {old!r} is not in {edit['file']}"
            path.write_text(text.replace(old, new, 1), "utf-8")
        elif "write" in edit:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(edit["write"], "utf-8")
        elif "append" in edit:
            with path.open("a", encoding="utf-8") as f:
                f.write(edit["append"])
        elif "append_hex" in edit:
            with path.open("ab") as f:
                f.write(bytes.fromhex(edit["append_hex"]))
        elif edit.get("delete"):
            shutil.rmtree(path) if path.is_dir() else path.unlink()
        elif "symlink" in edit:
            path.symlink_to(edit["symlink"])
        elif "rename" in edit:
            path.rename(root / edit["rename"])
        else:
            raise AssertionError(f"unknown edit {edit}")


def tree_digest(folder: Path) -> dict[str, str]:
    """Every file below `folder` (hidden ones too) -> the SHA-256 of its bytes."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() or p.is_symlink()}


def expected_lines(case: dict, root: Path) -> list[re.Pattern]:
    """One pattern per expected problem, at "path:line" exactly. The line is given either in
    `at` itself, or by `line_of`: the first line of the (edited) file that contains that text,
    so that a case keeps working when the repository's content above it changes. An `at`
    without a line means the problem concerns the whole file (or folder)."""
    out = []
    for e in case["expect"]:
        kind = "error" if "error" in e else "warning"
        at = e["at"]
        if "line_of" in e:
            lines = (root / at).read_bytes().decode("utf-8", "replace").split("\n")
            numbers = [i for i, ln in enumerate(lines, start=1) if e["line_of"] in ln]
            assert numbers, f"case is stale: {e['line_of']!r} is not in {at}"
            at = f"{at}:{numbers[0]}"
        out.append(re.compile(rf"^\s*{re.escape(at)}: {kind}: .*{re.escape(e[kind])}"))
    return out


def assert_reported(output: str, case: dict, root: Path, prefix: str = "") -> None:
    """Each expected problem is a line of `output` (after `prefix`, e.g. MkDocs' log level)."""
    for pattern in expected_lines(case, root):
        lines = [re.sub(prefix, "", ln, count=1) for ln in output.splitlines()]
        assert any(pattern.search(ln) for ln in lines), f"no line matches {pattern.pattern!r} in:\n{output}"


@pytest.mark.parametrize("case_path", CASES, ids=[p.stem for p in CASES])
def test_bad_input(case_path: Path, tmp_path: Path):
    case = load_case(case_path)
    root = copy_repo(tmp_path / "repo")
    apply_edits(root, case["edits"])
    strict = ["--strict"] if case.get("strict") else []

    # Without --strict, warnings alone let the check pass.
    if case.get("strict"):
        proc = run_build("check", "--root", str(root), timeout=60)
        assert proc.returncode == 0, proc.stderr
        assert_reported(proc.stderr, case, root)

    started = time.monotonic()
    proc = run_build(case.get("command", "check"), "--root", str(root), *strict, timeout=60)
    assert time.monotonic() - started < 30
    assert proc.returncode == case["exit"], proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    assert_reported(proc.stderr, case, root)
    where = [(m[1], int(m[2] or 0)) for m in re.finditer(r"^(\S+?)(?::(\d+))?: (?:error|warning): ", proc.stderr, re.M)]
    assert where and where == sorted(where), "problems are listed in path and line order"


@pytest.mark.slow  # (a full build and a site build a case: CI and `./run test --slow`)
@pytest.mark.parametrize("case_path", CASES, ids=[p.stem for p in CASES])
def test_bad_input_leaves_the_outputs(case_path: Path, tmp_path: Path, built: Path):
    """The case's problem stops a full build on top of good outputs, which stay as they were,
    and (mkdocs: true) the site's own build."""
    case = load_case(case_path)
    root = copy_repo(tmp_path / "repo")
    apply_edits(root, case["edits"])
    strict = ["--strict"] if case.get("strict") else []
    # A full build on top of good outputs: refused, and not one output file touched.
    out = tmp_path / "out"
    shutil.copytree(built, out, symlinks=True)  # the outputs of a good build
    before = tree_digest(out)
    proc = run_build("all", "--root", str(root), "--out", str(out), *strict, timeout=120)
    assert proc.returncode == case["exit"], proc.stderr
    assert tree_digest(out) == before

    if case.get("mkdocs"):
        # The site build alone (as `mkdocs serve`/`build` run it) fails on the same problem.
        proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "site")],
                              cwd=root, capture_output=True, text=True, timeout=120,
                              env={**os.environ, "PYTHONWARNINGS": "ignore"})
        assert proc.returncode != 0
        assert_reported(proc.stderr, case, root, prefix=r"^WARNING\s+-\s+(?:\[?wcoreport\]?:?\s*)?")
        if all("error" in e for e in case["expect"]):  # (warnings abort only at the end, MkDocs' way)
            assert not (tmp_path / "site" / "index.html").exists()


def test_corpus_is_large_enough():
    assert len(CASES) >= 30


def test_large_chapter_is_checked_quickly(tmp_path: Path):
    """A 5 MB chapter (an editor pasting a whole document) is checked, not hung on."""
    root = copy_repo(tmp_path / "repo")
    paragraph = ("Customs administrations use drones to watch borders [@wco2019study]. " * 12).strip()
    body = "\n\n".join(f"## Part {i} {{#drones-part-{i}}}\n\n{paragraph}" for i in range(6000))
    with (root / "docs/en/drones.md").open("a", encoding="utf-8") as f:
        f.write("\n" + body + "\n")
    assert (root / "docs/en/drones.md").stat().st_size > 5_000_000
    started = time.monotonic()
    # --draft: the French page lacks those parts, one parity warning (test_parity.py), not 6000.
    proc = run_build("check", "--draft", "--root", str(root), timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert len(re.findall(r"^docs/fr/drones\.md:\d+: ", proc.stderr, re.M)) == 1, proc.stderr
    assert time.monotonic() - started < 60
