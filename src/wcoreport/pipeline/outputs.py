"""Writing outputs so that a failed or interrupted build never leaves a half-written file.

Each output is written beside its final place, then moved in with one atomic rename.
"""

from __future__ import annotations

import atexit
import contextlib
import glob
import os
import re
import shutil
import tempfile
import zipfile
from pathlib import Path
from typing import Iterator

# Names of the report files the site links to for download (os.pathsep-separated), given by the
# build command to the MkDocs build it runs; the command copies the files in once all are built.
DOWNLOADS_ENV = "WCOREPORT_DOWNLOADS"


_SCRATCH: list[tuple[int, str]] = []  # (the process that made it, the folder)

# The folder of the build's scratch, given to every process the build starts (with TMPDIR, TEMP
# and TMP, so that their temporary files land in it too, whatever made them).
SCRATCH_ENV = "WCOREPORT_SCRATCH"
_ROOT_PREFIX = "wcoreport-"
_ROOT_NAME = re.compile(r"wcoreport-(\d+)-[^/\\]+$")
_TEMP_VARIABLES = ("TMPDIR", "TEMP", "TMP")
_root: list[Path] = []  # this process's scratch root, once made (build_scratch or scratch_folder)


@contextlib.contextmanager
def build_scratch() -> Iterator[Path]:
    """One folder, `wcoreport-<pid>-*` in the system's temporary folder, for every temporary
    file and folder of a build: its own, its processes' (language builds, MkDocs, pandoc,
    Typst) and whatever the libraries it calls make. Removed when the block ends, however it
    ends (an error, Ctrl-C, the build command's SIGTERM handler); what a killed build left
    (its process gone) is removed by the next one. Inside a process of the build (or a build
    within a build), the build's folder is used as it is."""
    inherited = os.environ.get(SCRATCH_ENV)
    if inherited and os.path.isdir(inherited):
        yield Path(inherited)
        return
    saved = {name: os.environ.get(name) for name in (SCRATCH_ENV, *_TEMP_VARIABLES)}
    saved_tempdir, saved_root = tempfile.tempdir, list(_root)
    root = _make_root()
    made = len(_SCRATCH)
    os.environ[SCRATCH_ENV] = str(root)
    for name in _TEMP_VARIABLES:
        os.environ[name] = str(root)
    tempfile.tempdir = str(root)
    _root[:] = [root]
    try:
        yield root
    finally:
        for _pid, folder in _SCRATCH[made - 1:]:
            shutil.rmtree(folder, ignore_errors=True)
        del _SCRATCH[made - 1:]
        tempfile.tempdir = saved_tempdir
        _root[:] = saved_root
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _make_root() -> Path:
    base = Path(tempfile.gettempdir())
    remove_abandoned_scratch(base)
    root = Path(tempfile.mkdtemp(prefix=f"{_ROOT_PREFIX}{os.getpid()}-", dir=base))
    _SCRATCH.append((os.getpid(), str(root)))  # (removed at exit, if the block could not)
    return root


def _scratch_root() -> Path:
    """Where this process's scratch folders go: the build's folder, else one of its own."""
    if not _root:
        inherited = os.environ.get(SCRATCH_ENV)
        _root.append(Path(inherited) if inherited and os.path.isdir(inherited) else _make_root())
    return _root[0]


def remove_abandoned_scratch(base: Path) -> None:
    """Remove the scratch folders of builds whose process is gone (killed: no exit handler ran)."""
    try:
        entries = list(os.scandir(base))
    except OSError:
        return
    for entry in entries:
        found = _ROOT_NAME.match(entry.name)
        if found is None or not entry.is_dir(follow_symlinks=False):
            continue
        try:
            if hasattr(os, "getuid") and entry.stat(follow_symlinks=False).st_uid != os.getuid():
                continue  # (another user's)
        except OSError:
            continue
        if not process_alive(int(found.group(1))):
            shutil.rmtree(entry.path, ignore_errors=True)


def process_alive(pid: int) -> bool:
    """Whether a process of this id runs (in doubt: yes)."""
    if pid == os.getpid():
        return True
    if os.name == "nt":  # (os.kill would end it)
        import ctypes

        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return kernel32.GetLastError() == 5  # access denied: it exists
        code = ctypes.c_ulong()
        try:
            return not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)) or code.value == 259  # STILL_ACTIVE
        finally:
            kernel32.CloseHandle(handle)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # (not ours to signal: it exists)
        return True
    return True


def scratch_folder(prefix: str) -> Path:
    """A folder for this process's scratch files, inside the build's scratch folder
    (build_scratch), removed when the process ends (a process of the build ends without exit
    handlers: it calls remove_scratch_folders)."""
    folder = tempfile.mkdtemp(prefix=prefix, dir=_scratch_root())
    _SCRATCH.append((os.getpid(), folder))
    return Path(folder)


@atexit.register
def remove_scratch_folders() -> None:
    """The scratch folders of this process, not those of the process it was forked from."""
    for pid, folder in reversed(_SCRATCH):
        if pid == os.getpid():
            shutil.rmtree(folder, ignore_errors=True)
    _SCRATCH[:] = [(pid, folder) for pid, folder in _SCRATCH if pid != os.getpid()]


def _remove_leftovers(target: Path, staged: Path | None = None) -> None:
    """Remove what an interrupted build left beside `target` (the outputs are never touched).

    If a build was killed between the two renames of `atomic_directory`, the previous folder
    is still complete under its `.old` name: it is put back."""
    old = target.parent / f".{target.name}.old"
    if old.is_dir() and not target.exists():
        os.replace(old, target)
    for leftover in target.parent.glob(f".{glob.escape(target.name)}.*.part"):
        if leftover == staged:
            continue
        if leftover.is_dir() and not leftover.is_symlink():
            shutil.rmtree(leftover, ignore_errors=True)
        else:
            leftover.unlink(missing_ok=True)
    shutil.rmtree(old, ignore_errors=True)


@contextlib.contextmanager
def atomic_write(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside `target`; on success it replaces `target` at once."""
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(target)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def staging_folder(target: Path) -> Path:
    """A fresh folder beside `target`, to be made into it by atomic_directory (a leftover of an
    interrupted build is removed by the next)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent))


@contextlib.contextmanager
def atomic_directory(target: Path, keep: bool = False, staged: Path | None = None) -> Iterator[Path]:
    """Yield a fresh folder beside `target`; on success it takes the place of `target`.

    With `keep`, the folder starts as a copy of `target`'s files, so that a build of some of
    the outputs (one language, one format) keeps the others. `staged`: the folder, made
    earlier by staging_folder (and written into already)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(target, staged)
    tmp = staged or staging_folder(target)
    old = target.parent / f".{target.name}.old"
    try:
        if keep and target.is_dir():
            shutil.copytree(target, tmp, symlinks=True, dirs_exist_ok=True)
        yield tmp
        os.chmod(tmp, 0o755)
        if target.exists():
            os.replace(target, old)
        os.replace(tmp, target)  # a kill between the two renames is repaired by the next build
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


# 1980-01-01, the earliest time a ZIP entry can carry.
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def normalize_zip(path: Path) -> None:
    """Rewrite a ZIP file (a DOCX) with fixed entry times, so equal content gives equal bytes.

    python-docx stamps each entry with the time of saving, and pandoc keeps the times of the
    entries it copies from the reference document: without this, two builds always differ.
    """
    with zipfile.ZipFile(path) as source:
        entries = [(info, source.read(info)) for info in source.infolist()]
    with atomic_write(path) as tmp:
        with zipfile.ZipFile(tmp, "w") as target:
            for info, data in entries:
                fixed = zipfile.ZipInfo(info.filename, date_time=_ZIP_EPOCH)
                fixed.compress_type = zipfile.ZIP_DEFLATED
                fixed.external_attr = 0o644 << 16
                target.writestr(fixed, data)
