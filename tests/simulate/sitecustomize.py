"""Loaded by every Python process of a build whose PYTHONPATH starts with this folder (the build
command, its language processes, MkDocs, Typst's process), to simulate in a test what Linux
does not have or does not do on demand:

    WCOREPORT_SIMULATE_WINDOWS=1    Python as on Windows: no os.fork (nor forkpty, nice,
                                    register_at_fork), and `import fcntl` fails
    WCOREPORT_SIMULATE_FULL_DISK=G  the disk is full for every file whose path matches the glob
                                    G (fnmatch): its first write raises OSError(ENOSPC), as a
                                    write to a full disk does (copies included: no sendfile)
"""

import os
import sys

if os.environ.get("WCOREPORT_SIMULATE_WINDOWS"):
    for _name in ("fork", "forkpty", "nice", "register_at_fork"):
        if hasattr(os, _name):
            delattr(os, _name)
    sys.modules["fcntl"] = None  # (import fcntl -> ImportError, as on Windows)

if os.environ.get("WCOREPORT_SIMULATE_FULL_DISK"):
    import builtins
    import errno
    import fnmatch
    import io
    import shutil

    _PATTERN = os.environ["WCOREPORT_SIMULATE_FULL_DISK"]
    _real_open = io.open
    shutil._USE_CP_SENDFILE = False  # (copies write through Python, where the disk is "full")

    class _FullDisk:
        """A file opened for writing on the full disk: its writes fail, the rest is the file's."""

        def __init__(self, file):
            self._file = file

        def write(self, data):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        def writelines(self, lines):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        def __getattr__(self, name):
            return getattr(self._file, name)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self._file.close()

        def __iter__(self):
            return iter(self._file)

    def _open(file, mode="r", *args, **kwargs):
        opened = _real_open(file, mode, *args, **kwargs)
        if isinstance(file, (str, bytes, os.PathLike)) and any(c in mode for c in "wax+") \
                and fnmatch.fnmatch(os.fsdecode(os.fspath(file)), _PATTERN):
            return _FullDisk(opened)
        return opened

    builtins.open = _open
    io.open = _open
