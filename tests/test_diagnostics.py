"""diagnostics.py: how a problem is named (`path:line: error: message`), sorted, kept once, and
handed back by `Remembered` without the work being done again."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from wcoreport.sources.diagnostics import ContentError, Problem, Problems, Remembered, Severity


# --- one problem ---------------------------------------------------------------------------------

def test_problem_reads_path_line_kind_message():
    assert str(Problem("docs/en/index.md", 12, "unknown directive 'x'")) == \
        "docs/en/index.md:12: error: unknown directive 'x'"
    assert str(Problem("report.yml", 3, "an old key", Severity.WARNING)) == "report.yml:3: warning: an old key"


def test_problem_about_a_whole_file_has_no_line():
    assert str(Problem("references.bib", 0, "cannot read the file")) == "references.bib: error: cannot read the file"


def test_problems_sort_by_path_then_line_as_a_number_then_message():
    problems = [Problem("b.md", 1, "z"), Problem("a.md", 10, "a"), Problem("a.md", 2, "b"),
                Problem("a.md", 2, "a"), Problem("a.md", 0, "whole file")]
    assert [str(p) for p in sorted(problems)] == [
        "a.md: error: whole file",
        "a.md:2: error: a",
        "a.md:2: error: b",
        "a.md:10: error: a",
        "b.md:1: error: z",
    ]


def test_errors_and_warnings_are_listed_together_in_place_order():
    problems = [Problem("a.md", 1, "z error"), Problem("a.md", 1, "a warning", Severity.WARNING),
                Problem("a.md", 3, "b warning", Severity.WARNING), Problem("a.md", 2, "c error")]
    assert [p.message for p in sorted(problems)] == ["a warning", "z error", "c error", "b warning"]
    assert Severity.ERROR > Severity.WARNING


# --- the collector -------------------------------------------------------------------------------

def test_problems_name_files_relative_to_the_root_with_forward_slashes(tmp_path):
    problems = Problems(tmp_path)
    problems.error(tmp_path / "docs" / "en" / "page.md", 4, "broken")
    problems.warning(tmp_path / "report.yml", 0, "old key")
    assert [str(p) for p in problems.items] == ["docs/en/page.md:4: error: broken", "report.yml: warning: old key"]
    assert all("\\" not in p.path and not p.path.startswith("/") for p in problems.items)


def test_relative_accepts_a_path_relative_to_the_working_folder(tmp_path, monkeypatch):
    (tmp_path / "docs").mkdir()
    monkeypatch.chdir(tmp_path / "docs")
    assert Problems(tmp_path).relative("en/page.md") == "docs/en/page.md"
    assert Problems(tmp_path).relative(Path("..") / "report.yml") == "report.yml"


def test_relative_outside_the_root_keeps_the_whole_path(tmp_path):
    root = tmp_path / "repo"
    root.mkdir()
    outside = tmp_path / "elsewhere" / "x.md"
    assert Problems(root).relative(outside) == outside.as_posix()


def test_relative_names_a_symlink_by_its_own_path_not_its_target(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "real.md").write_text("x", "utf-8")
    (tmp_path / "docs" / "alias.md").symlink_to(tmp_path / "docs" / "real.md")
    assert Problems(tmp_path).relative(tmp_path / "docs" / "alias.md") == "docs/alias.md"


def test_relative_when_the_root_itself_is_reached_through_a_symlink(tmp_path):
    real = tmp_path / "real"
    (real / "docs").mkdir(parents=True)
    link = tmp_path / "link"
    link.symlink_to(real)
    # Root given through the link, file through the real folder, and the other way round.
    assert Problems(link).relative(real / "docs" / "a.md") == "docs/a.md"
    assert Problems(real).relative(link / "docs" / "a.md") == "docs/a.md"


def test_inside_follows_symlinks(tmp_path):
    root = tmp_path / "repo"
    root.mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_text("x", "utf-8")
    (root / "leak.md").symlink_to(secret)
    (root / "fine.md").write_text("x", "utf-8")
    problems = Problems(root)
    assert problems.inside(root / "fine.md")
    assert not problems.inside(root / "leak.md")


def test_the_same_problem_reported_twice_is_listed_once(tmp_path):
    problems = Problems(tmp_path)
    for _ in range(3):
        problems.error(tmp_path / "a.md", 1, "same")
    problems.error(Path(os.path.relpath(tmp_path / "a.md")), 1, "same")  # the same file, named otherwise
    assert [str(p) for p in problems.items] == ["a.md:1: error: same"]


def test_errors_and_warnings_are_kept_apart_each_sorted(tmp_path):
    problems = Problems(tmp_path)
    problems.warning(tmp_path / "b.md", 1, "w2")
    problems.error(tmp_path / "b.md", 5, "e2")
    problems.error(tmp_path / "a.md", 9, "e1")
    problems.warning(tmp_path / "a.md", 1, "w1")
    assert [str(p) for p in problems.errors] == ["a.md:9: error: e1", "b.md:5: error: e2"]
    assert [str(p) for p in problems.warnings] == ["a.md:1: warning: w1", "b.md:1: warning: w2"]
    assert [p.message for p in problems.items] == ["w1", "e1", "w2", "e2"]


def test_extend_and_add_merge_problems_found_elsewhere(tmp_path):
    main, other = Problems(tmp_path), Problems(tmp_path)
    main.error(tmp_path / "a.md", 1, "mine")
    other.error(tmp_path / "b.md", 2, "theirs")
    main.extend(other)
    main.add([Problem("c.md", 3, "from another process", Severity.WARNING)])
    assert [str(p) for p in main.items] == ["a.md:1: error: mine", "b.md:2: error: theirs",
                                            "c.md:3: warning: from another process"]
    assert [str(p) for p in other.items] == ["b.md:2: error: theirs"]  # not changed by the merge


def test_raise_if_errors_carries_every_error_sorted(tmp_path):
    problems = Problems(tmp_path)
    problems.warning(tmp_path / "a.md", 1, "only a warning")
    problems.raise_if_errors()  # warnings alone do not fail a build...
    with pytest.raises(ContentError) as strict:
        problems.raise_if_errors(strict=True)  # ...unless asked to
    assert str(strict.value) == "a.md:1: warning: only a warning"

    problems.error(tmp_path / "z.md", 2, "second")
    problems.error(tmp_path / "b.md", 7, "first")
    with pytest.raises(ContentError) as raised:
        problems.raise_if_errors()
    assert str(raised.value) == "b.md:7: error: first\nz.md:2: error: second"
    assert [p.line for p in raised.value.problems] == [7, 2]


def test_content_error_sorts_what_it_is_given():
    error = ContentError([Problem("b", 1, "x"), Problem("a", 2, "y")])
    assert str(error) == "a:2: error: y\nb:1: error: x"


# --- Remembered ----------------------------------------------------------------------------------

def test_remembered_gives_back_the_result_and_its_problems_without_the_work(tmp_path):
    remembered = Remembered()
    calls = []

    def make(found: Problems):
        calls.append(1)
        found.error(tmp_path / "a.yml", 3, "bad value")
        return {"value": 1}

    first, second = Problems(tmp_path), Problems(tmp_path)
    result1 = remembered("key", first, make)
    result2 = remembered("key", second, make)
    assert calls == [1]
    assert result1 == result2 == {"value": 1}
    assert [str(p) for p in first.items] == [str(p) for p in second.items] == ["a.yml:3: error: bad value"]


def test_remembered_keeps_a_result_of_none(tmp_path):
    remembered = Remembered()
    calls = []

    def make(found: Problems):
        calls.append(1)
        found.error(tmp_path / "a.yml", 1, "syntax")
        return None

    for _ in range(2):
        problems = Problems(tmp_path)
        assert remembered("k", problems, make) is None
        assert [p.message for p in problems.items] == ["syntax"]
    assert calls == [1]


def test_remembered_does_work_again_for_another_key_and_forgets_beyond_its_size(tmp_path):
    remembered = Remembered(size=2)
    calls: list[str] = []

    def maker(key):
        def make(found):
            calls.append(key)
            return key.upper()
        return make

    problems = Problems(tmp_path)
    assert remembered("a", problems, maker("a")) == "A"
    assert remembered("b", problems, maker("b")) == "B"
    assert remembered("a", problems, maker("a")) == "A"
    assert calls == ["a", "b"]
    remembered("c", problems, maker("c"))  # a third: all are dropped, then c is kept
    remembered("a", problems, maker("a"))
    assert calls == ["a", "b", "c", "a"]


def test_remembered_of_size_one_keeps_the_last(tmp_path):
    remembered = Remembered(size=1)
    calls: list[str] = []
    problems = Problems(tmp_path)
    for key in ("x", "x", "y", "y", "x"):
        remembered(key, problems, lambda found, key=key: calls.append(key))
    assert calls == ["x", "y", "x"]


def test_remembered_problems_are_not_shared_between_keys(tmp_path):
    remembered = Remembered()
    problems = Problems(tmp_path)
    remembered("bad", problems, lambda found: found.error(tmp_path / "a.md", 1, "bad"))
    clean = Problems(tmp_path)
    remembered("good", clean, lambda found: "ok")
    assert problems.items and not clean.items
