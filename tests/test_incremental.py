"""Incremental builds: after any kind of change, a build that reuses the kept results (cache.py)
and the last outputs (uptodate.py) writes exactly the bytes a clean build writes.

Each case changes one kind of source in a copy of a built repository, builds it again with the
cache, builds the same sources with `--no-cache` into an empty folder, and compares every file
of the report and the site. It also checks that the change reached the outputs at all (so that
an incremental build that kept the old outputs would fail).
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

# Many full builds (or a browser over every page): the slow end-to-end tests, run by CI and
# `./run test --slow`.
pytestmark = pytest.mark.slow

from conftest import REPO_ROOT, copy_repo, run_build

EPOCH = "1700000000"


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    """A fixed build date and a cache folder of this module's own."""
    saved = {k: os.environ.get(k) for k in ("SOURCE_DATE_EPOCH", "WCOREPORT_CACHE", "WCOREPORT_NO_CACHE")}
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    os.environ["WCOREPORT_CACHE"] = str(tmp_path_factory.mktemp("cache"))
    os.environ.pop("WCOREPORT_NO_CACHE", None)
    yield Path(os.environ["WCOREPORT_CACHE"])
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


def _build(root: Path, out: Path, *extra: str):
    proc = run_build("all", "--root", str(root), "--out", str(out), *extra)
    assert proc.returncode == 0, f"the build failed:\n{proc.stderr[-3000:]}"
    return proc


@pytest.fixture(scope="module")
def base(env, tmp_path_factory) -> tuple[Path, Path]:
    """The repository with a citation style of its own and an include in both languages, built."""
    root = copy_repo(tmp_path_factory.mktemp("base") / "src")
    (root / "styles").mkdir()
    shutil.copy(REPO_ROOT / "src/wcoreport/bibliography/styles/chicago-author-date.csl", root / "styles/house.csl")
    with open(root / "report.yml", "a", encoding="utf-8") as f:
        f.write("\ncsl: styles/house.csl\n")
    for lang, words in (("en", "A shared note on method."), ("fr", "Une note commune sur la méthode.")):
        (root / "docs" / lang / "_shared").mkdir()
        (root / "docs" / lang / "_shared" / "note.md").write_text(words + "\n", "utf-8")
        page = root / "docs" / lang / "methodology.md"
        page.write_text(page.read_text("utf-8").rstrip("\n") + "\n\n{% include _shared/note.md %}\n", "utf-8")
    out = root.parent / "build"
    _build(root, out)
    return root, out


def _replace(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), "utf-8")


def _sub(path: Path, pattern: str, new: str) -> None:
    text = path.read_text("utf-8")
    changed = re.sub(pattern, new, text, count=1, flags=re.M)
    assert changed != text, f"{pattern!r} not in {path}"
    path.write_text(changed, "utf-8")


CHANGES = {
    "chapter": lambda r: _replace(r / "docs/en/introduction.md", "The targeted technologies", "The selected technologies"),
    "citation": lambda r: _replace(r / "docs/en/ai-ml.md", "[@wco2025pc0790, para. 5]", "[@wco2025pc0790, para. 6]"),
    "include": lambda r: _replace(r / "docs/en/_shared/note.md", "shared note", "common note"),
    "casestudy-metadata": lambda r: _replace(r / "casestudies/br-blockchain/casestudy.yml", "year: 2025", "year: 2024"),
    "casestudy-text": lambda r: _sub(r / "casestudies/br-blockchain/en.md", r"^([A-Z][^\n]{20,}?)\.(\s*)$", r"\1, as reported.\2"),
    "reference": lambda r: _replace(r / "references.bib", "Smart Customs Survey Report", "Smart Customs Survey: Report"),
    "report.yml": lambda r: _replace(r / "report.yml", "Draft for review by the Permanent", "Draft for discussion by the Permanent"),
    "technologies.yml": lambda r: _replace(r / "technologies.yml", "en: Cloud computing", "en: Cloud services"),
    "mkdocs.yml": lambda r: _replace(r / "mkdocs.yml", "site_name: WCO Study Report", "site_name: The WCO Study Report"),
    "csl": lambda r: _replace(r / "styles/house.csl", '<layout delimiter="; " prefix="(" suffix=")">', '<layout delimiter="; " prefix="[" suffix="]">'),
    "data": lambda r: _replace(r / "data/survey-2025.yml", "participation: 38.8", "participation: 39.8"),
}


def _files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes()
            for name in ("report", "site") for p in sorted((out / name).rglob("*")) if p.is_file()}


def _differences(a: dict[str, bytes], b: dict[str, bytes]) -> list[str]:
    return sorted(name for name in a.keys() | b.keys() if a.get(name) != b.get(name))


@pytest.mark.parametrize("kind", sorted(CHANGES))
def test_incremental_build_is_a_clean_build(kind, base, tmp_path):
    root, out = base
    work, inc = tmp_path / "src", tmp_path / "build"
    shutil.copytree(root, work)
    shutil.copytree(out, inc)
    before = _files(inc)
    CHANGES[kind](work)
    _build(work, inc)
    _build(work, tmp_path / "clean", "--no-cache")
    after, clean = _files(inc), _files(tmp_path / "clean")
    assert _differences(before, after), f"changing the {kind} changed no output"
    assert not _differences(after, clean), f"after a change of the {kind}, the incremental build differs"


def test_another_build_date_is_a_change(base, tmp_path, monkeypatch):
    """The DOCX and PDF carry SOURCE_DATE_EPOCH: kept ones of another date are not reused."""
    root, out = base
    inc = tmp_path / "build"
    shutil.copytree(out, inc)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    _build(root, inc)
    _build(root, tmp_path / "clean", "--no-cache")
    after, clean = _files(inc), _files(tmp_path / "clean")
    assert any(name.endswith(".docx") for name in _differences(_files(out), after))
    assert not _differences(after, clean)


def test_nothing_changed_rebuilds_nothing(base, tmp_path):
    root, out = base
    work, inc = tmp_path / "src", tmp_path / "build"
    shutil.copytree(root, work)
    _build(work, inc)
    first = _files(inc)
    proc = _build(work, inc)
    assert "Nothing changed" in proc.stderr
    assert _files(inc) == first
    (inc / "report" / next(iter(sorted(p.name for p in (inc / "report").glob("*.pdf"))))).write_bytes(b"damaged")
    proc = _build(work, inc)  # an output changed since: built again
    assert "Nothing changed" not in proc.stderr
    assert _files(inc) == first


def test_damaged_cache_entries_are_rebuilt(env, base, tmp_path):
    root, _out = base
    work = tmp_path / "src"
    shutil.copytree(root, work)
    CHANGES["chapter"](work)
    _build(work, tmp_path / "first")  # fills the cache for these sources
    entries = [p for p in (env / "results").rglob("*") if p.is_file()]
    assert entries
    for n, path in enumerate(entries):  # truncated, foreign, or with a payload that does not match
        data = path.read_bytes()
        path.write_bytes([data[: len(data) // 2], b"not an entry\n" + data, data[:-1] + b"!"][n % 3])
    _build(work, tmp_path / "again")
    _build(work, tmp_path / "clean", "--no-cache")
    assert not _differences(_files(tmp_path / "again"), _files(tmp_path / "clean"))


def test_cache_ignores_foreign_and_corrupt_entries(tmp_path):
    from wcoreport.pipeline.cache import Cache

    cache = Cache(tmp_path)
    key = cache.key("parse", ["text"])
    cache.put("parse", key, b"payload")
    assert cache.get("parse", key) == b"payload"
    assert cache.get("html", key) is None  # an entry of another kind under the same name
    entry = tmp_path / "parse" / key[:2] / key
    entry.write_bytes(entry.read_bytes()[:-1] + b"X")
    assert cache.get("parse", key) is None
    entry.write_bytes(b"wcoreport-cache 0 parse " + key.encode() + b" x\npayload")
    assert cache.get("parse", key) is None
    assert cache.memo("parse", ["text"], lambda: b"again") == b"again"
    assert cache.get("parse", key) == b"again"
    assert Cache(None).memo("parse", ["text"], lambda: b"fresh") == b"fresh"


def test_clean_removes_outputs_and_cache(env, base, tmp_path):
    root, out = base
    work, inc = tmp_path / "src", tmp_path / "build"
    shutil.copytree(root, work)
    shutil.copytree(out, inc)
    proc = run_build("clean", "--root", str(work), "--out", str(inc))
    assert proc.returncode == 0, proc.stderr
    assert not (inc / "report").exists() and not (inc / "site").exists()
    assert not (env / "results").exists()
