"""Results kept between builds, named by the hash of everything that made them.

A rebuild redoes only what a change reaches: pandoc's reading of a page, a language's citeproc
run, a site page's HTML, the Typst source and the DOCX/PDF bytes of a language are each stored
under a key that hashes all their inputs — the text given to the tool, the content (never the
path) of the files it reads, the tool's version and this package's own files (so a change of
the toolchain is a change of every key). Nothing is invalidated by hand: a changed input is a
new key; an old entry is just never asked for again.

Entries live in the user's cache folder (`Project.cache_dir`, beside the drawn charts). Each
entry starts with a header naming the format version, its key and the hash of its payload; an
entry that is truncated, corrupt, or written by another version is ignored (and rebuilt).
`WCOREPORT_NO_CACHE=1` (the build's `--no-cache`) turns the cache off: everything is redone,
nothing is read or written.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import shutil
import tempfile
from pathlib import Path
from typing import Callable, Iterable

FORMAT = b"wcoreport-cache 1"  # bump when an entry's layout or meaning changes
NO_CACHE_ENV = "WCOREPORT_NO_CACHE"
FOLDER = "results"  # below Project.cache_dir


def user_cache_dir() -> Path:
    """The user's cache folder for this toolchain: WCOREPORT_CACHE, else XDG_CACHE_HOME or
    ~/.cache, then wcoreport (see Project.cache_dir)."""
    if os.environ.get("WCOREPORT_CACHE"):
        return Path(os.environ["WCOREPORT_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "wcoreport"


def build_date() -> str:
    """The date the outputs carry: SOURCE_DATE_EPOCH, else today (UTC). Without a fixed date,
    a DOCX or PDF made earlier the same day from the same inputs is reused with its time."""
    import datetime

    return os.environ.get("SOURCE_DATE_EPOCH") or datetime.datetime.now(datetime.timezone.utc).date().isoformat()


def digest(parts: Iterable[str | bytes]) -> str:
    """One hash of several inputs; each is length-prefixed, so ("ab", "c") != ("a", "bc")."""
    h = hashlib.sha256(FORMAT)
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else bytes(part)
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()


def file_digest(path: Path) -> str:
    """The hash of a file's content ('-' if it does not exist)."""
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except (FileNotFoundError, IsADirectoryError):
        return "-"


@functools.cache
def toolchain() -> str:
    """What every key includes: this package's files (code, templates, fonts), the pandoc
    binary's version and the Typst package's version."""
    from importlib.metadata import PackageNotFoundError, version

    from .pandoc import pandoc_version

    package = Path(__file__).resolve().parent.parent  # (the whole package: this file is in pipeline/)
    parts: list[str | bytes] = []
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            parts += [path.relative_to(package).as_posix(), file_digest(path)]
    try:
        parts.append(pandoc_version())
    except Exception:  # the build itself reports a missing pandoc
        parts.append("pandoc ?")
    for name in ("typst", "mkdocs", "mkdocs-material", "mkdocs-static-i18n", "pymdown-extensions"):
        try:
            parts.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            parts.append(f"{name} ?")
    return digest(parts)


def enabled() -> bool:
    return os.environ.get(NO_CACHE_ENV, "") in ("", "0")


class Cache:
    """A folder of entries `<kind>/<key[:2]>/<key>`; `folder=None`: a cache that keeps nothing."""

    def __init__(self, folder: Path | None):
        self.folder = Path(folder) if folder is not None else None

    def key(self, kind: str, parts: Iterable[str | bytes]) -> str:
        return digest([kind, toolchain(), *parts])

    def _path(self, kind: str, key: str) -> Path:
        return self.folder / kind / key[:2] / key

    def get(self, kind: str, key: str) -> bytes | None:
        """The entry's payload, or None if it is missing, damaged or not of this format."""
        if self.folder is None:
            return None
        try:
            data = self._path(kind, key).read_bytes()
        except OSError:
            return None
        header, sep, payload = data.partition(b"\n")
        expected = b" ".join([FORMAT, kind.encode(), key.encode(), hashlib.sha256(payload).hexdigest().encode()])
        if not sep or header != expected:
            return None  # rebuilt and written again by the caller
        return payload

    def put(self, kind: str, key: str, payload: bytes) -> None:
        """Store an entry (atomically: a reader sees the whole entry or none). A cache that
        cannot be written is no error: the build just does the work again next time."""
        if self.folder is None:
            return
        target = self._path(kind, key)
        header = b" ".join([FORMAT, kind.encode(), key.encode(), hashlib.sha256(payload).hexdigest().encode()])
        name = None
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(prefix=".", suffix=".part", dir=target.parent)
            with os.fdopen(fd, "wb") as out:
                out.write(header + b"\n" + payload)
            os.replace(name, target)
        except OSError:  # (a full disk, say: the part written goes)
            if name is not None:
                with contextlib.suppress(OSError):
                    os.unlink(name)

    def memo(self, kind: str, parts: Iterable[str | bytes], compute: Callable[[], bytes]) -> bytes:
        """The stored result for these inputs, or `compute()`'s, stored."""
        key = self.key(kind, parts)
        found = self.get(kind, key)
        if found is not None:
            return found
        result = compute()
        self.put(kind, key, result)
        return result

    def memo_many(self, kind: str, inputs: list[list[str | bytes]],
                  compute: Callable[[list[int]], list[bytes | Exception]]) -> list[bytes | Exception]:
        """`memo` for many results at once: `compute(missing)` makes those of the inputs at the
        indices `missing` in one go (a result may be an Exception, which is not stored)."""
        keys = [self.key(kind, parts) for parts in inputs]
        found: list[bytes | Exception | None] = [self.get(kind, key) for key in keys]
        missing = [i for i, result in enumerate(found) if result is None]
        for i, result in zip(missing, compute(missing) if missing else []):
            found[i] = result
            if not isinstance(result, Exception):
                self.put(kind, keys[i], result)
        return found  # type: ignore[return-value]

    def memo_pandoc(self, kind: str, args: list[str], requests: list[dict]) -> list[bytes | Exception]:
        """`memo_many` for conversions in one pandoc process (pandoc.run_pandoc_batch), each
        kept by the command line `args` it stands for and its request's text."""
        from .pandoc import run_pandoc_batch

        def convert(missing: list[int]) -> list[bytes | Exception]:
            answers = run_pandoc_batch([requests[i] for i in missing])
            return [a if isinstance(a, Exception) else a.encode("utf-8") for a in answers]

        return self.memo_many(kind, [[*args, request["text"]] for request in requests], convert)

    def clear(self) -> None:
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)


def results(project) -> Cache:
    """The project's cache of results (off with WCOREPORT_NO_CACHE)."""
    return Cache(project.cache_dir / FOLDER if enabled() else None)


def folder_digest(folder: Path, skip_suffix: str = "") -> str:
    """The hash of every file below `folder` (names and contents), e.g. the images a writer
    may read from a language folder."""
    parts: list[str] = []
    if Path(folder).is_dir():
        for path in sorted(Path(folder).rglob("*")):
            if path.is_file() and not (skip_suffix and path.name.endswith(skip_suffix)):
                parts += [path.relative_to(folder).as_posix(), file_digest(path)]
    return digest(parts)
