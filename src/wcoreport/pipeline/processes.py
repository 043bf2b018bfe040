"""What the system offers for the build's processes, and what to do where it offers nothing:
how processes are started, the priority of one that may wait, the end of a build asked for by
the system (SIGTERM), and one build at a time into an output folder.

Windows has no fork, no fcntl, no os.nice; macOS has fork but starts Python's processes by
`spawn` (a new interpreter that imports what it needs). The build's processes are started so
that they work with `spawn` (language_build.py: nothing comes from memory inherited through a
fork); on Linux, `fork` stays the default (the process starts with the modules loaded).
WCOREPORT_START_METHOD=spawn forces `spawn` anywhere, so that the tests catch a path that
works only with fork.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
import threading
import warnings
from pathlib import Path
from typing import Callable, Iterator

START_METHOD_ENV = "WCOREPORT_START_METHOD"


def start_method() -> str:
    """`spawn`, `forkserver` or `fork`: WCOREPORT_START_METHOD if set, else `fork` on Linux where
    there is one (cheapest: the modules are loaded), else the system's default (`spawn`)."""
    methods = multiprocessing.get_all_start_methods()
    asked = os.environ.get(START_METHOD_ENV, "").strip()
    if asked:
        if asked not in methods:
            from ..sources.diagnostics import UsageError

            raise UsageError(f"{START_METHOD_ENV}={asked}: this system starts processes by "
                             f"{', '.join(methods)} only")
        return asked
    if sys.platform.startswith("linux") and "fork" in methods and hasattr(os, "fork"):
        return "fork"
    return "spawn"


def lower_priority(niceness: int) -> None:
    """Let this process give way to the others where the cores are short (os.nice; on
    Windows, the below-normal priority class); nothing where the system offers neither."""
    if hasattr(os, "nice"):
        try:
            os.nice(niceness)
        except OSError:
            pass
        return
    if os.name == "nt":
        try:
            import ctypes

            kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
            kernel32.SetPriorityClass(kernel32.GetCurrentProcess(), 0x4000)  # BELOW_NORMAL_PRIORITY_CLASS
        except (OSError, AttributeError):
            pass


class Terminated(KeyboardInterrupt):
    """The system asked the build to end (SIGTERM): it ends as on Ctrl-C, cleaning up."""


@contextlib.contextmanager
def terminate_as_interrupt() -> Iterator[None]:
    """Within the block, SIGTERM raises Terminated in the main thread (default: the process
    ends on the spot, its processes and scratch left behind). Elsewhere than in the main
    thread, or without SIGTERM, nothing changes."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "SIGTERM"):
        yield
        return

    def terminated(signum, frame):
        raise Terminated()

    try:
        previous = signal.signal(signal.SIGTERM, terminated)
    except (OSError, ValueError):
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def lock_path(out: Path) -> Path:
    """The lock of an output folder: kept out of it (it holds the outputs only), in the user's
    cache folder beside the record of its last build (uptodate.py)."""
    from .cache import digest, user_cache_dir

    return user_cache_dir() / "locks" / f"{digest([str(out.resolve())])[:32]}.lock"


@contextlib.contextmanager
def output_lock(out: Path, say: Callable[..., None]) -> Iterator[None]:
    """One build at a time into an output folder: a second one waits for the first. Through
    filelock: an OS lock (flock, or msvcrt's on Windows) that the system releases when the
    process ends, however it ends."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (without fcntl it says it falls back to a lock file of its own)
        import filelock

    out.mkdir(parents=True, exist_ok=True)
    path = lock_path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = filelock.FileLock(str(path))
    try:
        lock.acquire(timeout=0)
    except filelock.Timeout:
        say(f"Another build is writing into {out}: waiting for it to finish", step=False)
        lock.acquire()
    try:
        yield
    finally:
        lock.release()
