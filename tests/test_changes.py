"""site/changes.py: the pages of a review round are made once, kept by the round's commit.

A review round's sources never change, so a build (or a preview reload) after the first one
must not extract, load and check them again: with three review tags, every build used to cost
2.3x a build without them."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from conftest import copy_repo


def git(root: Path, *args: str) -> str:
    proc = subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", *args],
                          cwd=root, capture_output=True, text=True, check=True)
    return proc.stdout


@pytest.fixture()
def tagged(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("WCOREPORT_CACHE", str(tmp_path / "cache"))
    root = copy_repo(tmp_path / "repo")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "first review round")
    git(root, "tag", "review-1")
    return root


def test_a_round_is_made_once_and_then_read_back(tagged, monkeypatch):
    from wcoreport.sources.project import load_project
    from wcoreport.site import changes

    project = load_project(tagged)
    changes._rounds.clear()
    made = changes._round_blocks(project, "review-1")
    assert made is not None and set(made) == {"en", "fr"}
    assert "introduction.md" in made["en"] and made["en"]["introduction.md"], "the round's pages have their blocks"

    # A new process (nothing in memory): the round comes from the kept results, its sources
    # are not extracted again.
    changes._rounds.clear()

    def refuse(*_args, **_kwargs):
        raise AssertionError("the round's sources were extracted again")

    monkeypatch.setattr(changes, "sources_at", refuse)
    assert changes._round_blocks(project, "review-1") == made

    # Another commit under the same tag name is another round: made again.
    (tagged / "docs/en/introduction.md").write_text(
        (tagged / "docs/en/introduction.md").read_text("utf-8") + "\nA paragraph of the second round.\n", "utf-8")
    git(tagged, "commit", "-q", "-a", "-m", "second")
    git(tagged, "tag", "-f", "review-1")
    changes._rounds.clear()
    with pytest.raises(AssertionError, match="extracted again"):
        changes._round_blocks(project, "review-1")


def test_a_round_whose_sources_do_not_build_is_kept_as_such(tagged, monkeypatch):
    from wcoreport.sources.project import load_project
    from wcoreport.site import changes

    (tagged / "report.yml").write_text("title: [unclosed\n", "utf-8")
    git(tagged, "commit", "-q", "-a", "-m", "broken")
    git(tagged, "tag", "review-2")
    project = load_project(tagged)
    changes._rounds.clear()
    assert changes._round_blocks(project, "review-2") is None
    changes._rounds.clear()
    monkeypatch.setattr(changes, "sources_at", lambda *a, **k: (_ for _ in ()).throw(AssertionError("again")))
    assert changes._round_blocks(project, "review-2") is None
