"""Mistakes an editor can make, each reported as `path:line: error: ...`, exit 1, nothing written.

Each test breaks one thing in a scratch copy of the repository and runs the command line
(`check`, then `report`) on it, as an editor would.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Callable

import pytest

from conftest import run_build


def append(path: Path, text: str) -> int:
    """Append `text` as new lines at the end of `path`; return the line number of its first line."""
    source = path.read_text("utf-8")
    if not source.endswith("\n"):
        source += "\n"
    line = source.count("\n") + 2  # after one blank line
    path.write_text(source + "\n" + text + "\n", "utf-8")
    return line


def line_of(path: Path, pattern: str) -> int:
    for n, line in enumerate(path.read_text("utf-8").split("\n"), start=1):
        if re.search(pattern, line):
            return n
    raise AssertionError(f"{pattern!r} not in {path}")


def replace(path: Path, old: str, new: str) -> None:
    source = path.read_text("utf-8")
    assert source.count(old) == 1, f"{old!r} in {path}"
    path.write_text(source.replace(old, new), "utf-8")


# Each case: break the copy at `root`, return what the message must contain ("path:line: error: ...").
Case = Callable[[Path], str]


def unknown_citation_key(root: Path) -> str:
    n = append(root / "docs/en/ai-ml.md", "A claim [@nokey].")
    return f"docs/en/ai-ml.md:{n}: error: unknown citation key 'nokey'"


def unknown_citation_key_in_french_casestudy(root: Path) -> str:
    n = append(root / "casestudies/cn-ai-ml/fr.md", "Une affirmation [@nokey, p. 3].")
    return f"casestudies/cn-ai-ml/fr.md:{n}: error: unknown citation key 'nokey'"


def unknown_casestudy(root: Path) -> str:
    n = append(root / "docs/fr/blockchain.md", "{% casestudy no-such-study %}")
    return f"docs/fr/blockchain.md:{n}: error: unknown case study 'no-such-study'"


def unknown_technology(root: Path) -> str:
    path = root / "casestudies/cn-ai-ml/casestudy.yml"
    replace(path, "technologies: [ai-ml]", "technologies:\n  - ai-ml\n  - teleportation")
    n = line_of(path, r"- teleportation")
    return f"casestudies/cn-ai-ml/casestudy.yml:{n}: error: unknown technology 'teleportation'"


def yaml_syntax_error(root: Path) -> str:
    path = root / "report.yml"
    n = line_of(path, r"^agenda_item:")
    replace(path, "\nagenda_item: IV.a\n", "\nagenda_item: IV.a: b\n")
    return f"report.yml:{n}: error: YAML syntax"


def missing_french_file(root: Path) -> str:
    (root / "docs/fr/drones.md").unlink()
    n = line_of(root / "mkdocs.yml", r"^\s*- Drones: drones\.md\s*$")
    return f"mkdocs.yml:{n}: error: nav entry 'drones.md': the file docs/fr/drones.md is missing"


def include_cycle(root: Path) -> str:
    (root / "docs/en/_a.md").write_text("Part A.\n\n{% include _b.md %}\n", "utf-8")
    (root / "docs/en/_b.md").write_text("Part B.\n\n\n{% include _a.md %}\n", "utf-8")
    append(root / "docs/en/iot.md", "{% include _a.md %}")
    return "docs/en/_b.md:4: error: include cycle: docs/en/iot.md -> docs/en/_a.md -> docs/en/_b.md -> docs/en/_a.md"


def include_outside_docs(root: Path) -> str:
    n = append(root / "docs/en/iot.md", "{% include ../../report.yml %}")
    return f"docs/en/iot.md:{n}: error: include '../../report.yml' points outside docs/en/"


def include_absolute_path(root: Path) -> str:
    n = append(root / "docs/fr/iot.md", "{% include /etc/passwd %}")
    return f"docs/fr/iot.md:{n}: error: include '/etc/passwd' points outside docs/fr/"


def unknown_directive(root: Path) -> str:
    n = append(root / "docs/en/drones.md", "{% figure drone.png %}")
    return f"docs/en/drones.md:{n}: error: unknown directive 'figure'"


def unclosed_directive(root: Path) -> str:
    n = append(root / "docs/en/drones.md", "{% casestudy cn-ai-ml")
    return f"docs/en/drones.md:{n}: error: a directive '{{% ... %}}' must stand alone on its line"


def unclosed_code_block(root: Path) -> str:
    path = root / "docs/en/drones.md"
    n = append(path, "```python\nprint('never closed')")
    return f"docs/en/drones.md:{n}: error: code block opened with ``` is not closed"


def admonition_without_text(root: Path) -> str:
    n = append(root / "docs/en/drones.md", '!!! note "Empty"\n\nNot indented.')
    return f"docs/en/drones.md:{n}: error: the admonition has no text"


CASES = [unknown_citation_key, unknown_citation_key_in_french_casestudy, unknown_casestudy,
         unknown_technology, yaml_syntax_error, missing_french_file, include_cycle,
         include_outside_docs, include_absolute_path, unknown_directive, unclosed_directive,
         unclosed_code_block, admonition_without_text]


def assert_clean_failure(proc, expected: str, out: Path | None = None) -> None:
    output = proc.stderr + proc.stdout
    assert proc.returncode == 1, f"exit {proc.returncode}:\n{output}"
    assert "Traceback" not in output, output
    assert expected in output, f"expected {expected!r} in:\n{output}"
    if out is not None:
        written = [p for p in out.rglob("*") if p.is_file()] if out.exists() else []
        assert not written, f"outputs written despite errors: {written}"


def test_the_unmodified_copy_has_no_errors(copy_repo, tmp_path):
    root = copy_repo(tmp_path / "repo")
    proc = run_build("check", "--root", str(root))
    assert proc.returncode == 0, proc.stderr


@pytest.mark.parametrize("case", CASES, ids=[c.__name__ for c in CASES])
def test_error_is_reported_at_its_line(copy_repo, tmp_path, case: Case):
    root = copy_repo(tmp_path / "repo")
    expected = case(root)
    assert_clean_failure(run_build("check", "--root", str(root)), expected)
    out = tmp_path / "out"
    assert_clean_failure(run_build("report", "--root", str(root), "--out", str(out)), expected, out)


def test_previous_outputs_survive_a_failed_build(copy_repo, tmp_path):
    """An error in the sources leaves the last good report in place, untouched."""
    root = copy_repo(tmp_path / "repo")
    out = tmp_path / "out"
    good = run_build("report", "--root", str(root), "--out", str(out), "--lang", "en", "--format", "docx")
    assert good.returncode == 0, good.stderr
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert before
    expected = unknown_citation_key(root)
    proc = run_build("report", "--root", str(root), "--out", str(out), "--lang", "en", "--format", "docx")
    assert proc.returncode == 1 and expected in proc.stderr
    after = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before


def test_every_error_is_listed_in_one_run(copy_repo, tmp_path):
    root = copy_repo(tmp_path / "repo")
    expected = [case(root) for case in (unknown_citation_key, unknown_technology, unknown_directive)]
    proc = run_build("check", "--root", str(root))
    for message in expected:
        assert_clean_failure(proc, message)
