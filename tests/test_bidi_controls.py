"""Bidirectional control characters: refused in names (tests/bad_inputs/bidi-*.yml), a warning in
running text, where they only reorder what readers see."""

from __future__ import annotations

from conftest import copy_repo, run_build


def test_a_bidi_mark_in_running_text_is_a_warning_at_its_line(tmp_path):
    root = copy_repo(tmp_path / "repo")
    page = root / "docs" / "en" / "drones.md"
    text = page.read_text("utf-8")
    page.write_text(text.replace("*Draft — to be written by the chapter editor.* This section will describe",
                                 "*Draft — to be written by the chapter editor.*\u200f This section will describe", 1),
                    "utf-8")
    line = next(i for i, ln in enumerate(page.read_text("utf-8").splitlines(), 1) if "\u200f" in ln)
    proc = run_build("check", "--root", str(root), timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert (f"docs/en/drones.md:{line}: warning: the text holds U+200F (RIGHT-TO-LEFT MARK) at column 47: "
            "an invisible character that reorders") in proc.stderr
    strict = run_build("check", "--root", str(root), "--strict", timeout=120)
    assert strict.returncode == 1


def test_a_bidi_override_in_a_code_block_is_an_error(tmp_path):
    """Trojan Source itself: code that reads one way and is another."""
    root = copy_repo(tmp_path / "repo")
    page = root / "docs" / "en" / "drones.md"
    page.write_text(page.read_text("utf-8") + '\n```yaml\naccess: "user\u202e \u2066# admin\u2069 \u2066"\n```\n', "utf-8")
    line = next(i for i, ln in enumerate(page.read_text("utf-8").splitlines(), 1) if "\u202e" in ln)
    proc = run_build("check", "--root", str(root), timeout=120)
    assert proc.returncode == 1
    assert f"docs/en/drones.md:{line}: error: the code block holds U+202E (RIGHT-TO-LEFT OVERRIDE) at column 14" \
        in proc.stderr, proc.stderr
