"""Problems found in the sources, each with the file and line an editor has to open.

Every check of the project reports into a `Problems` collector instead of raising at the first
mistake, so that one run lists everything that is wrong, sorted, as `path:line: message`.
"""

from __future__ import annotations

import enum
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, TypeVar

T = TypeVar("T")


class Severity(enum.IntEnum):
    NOTICE = 0  # printed as a warning, but not one --strict counts: the normal lag of a translation
    WARNING = 1
    ERROR = 2


@dataclass(frozen=True, order=True)
class Problem:
    path: str  # relative to the repository, with forward slashes
    line: int  # 1-based; 0 when the problem concerns the whole file
    message: str
    severity: Severity = field(default=Severity.ERROR, compare=False)

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        kind = "error" if self.severity is Severity.ERROR else "warning"
        return f"{where}: {kind}: {self.message}"


class UsageError(Exception):
    """The command line asks for something that cannot be done as asked; the message says how
    to ask (exit 2, like argparse's own errors)."""


class ContentError(Exception):
    """Raised when the sources have errors; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class Problems:
    """Collects problems found in files below one root folder."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self._items: set[Problem] = set()

    def relative(self, path: Path | str) -> str:
        """The path as the editor sees it in the repository (a symlink is not followed)."""
        path = Path(os.path.abspath(path))
        for root in (Path(os.path.abspath(self.root)), self.root.resolve()):
            if path.is_relative_to(root):
                return path.relative_to(root).as_posix()
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return path.as_posix()

    def inside(self, path: Path | str) -> bool:
        """Whether the file really is in the repository, once symlinks are followed."""
        return Path(path).resolve().is_relative_to(self.root.resolve())

    def error(self, path: Path | str, line: int, message: str) -> None:
        self._items.add(Problem(self.relative(path), line, message, Severity.ERROR))

    def warning(self, path: Path | str, line: int, message: str) -> None:
        self._items.add(Problem(self.relative(path), line, message, Severity.WARNING))

    def notice(self, path: Path | str, line: int, message: str) -> None:
        """A warning that --strict does not make an error: the sources are as they should be
        (a translation behind its source, in a bilingual report's normal state)."""
        self._items.add(Problem(self.relative(path), line, message, Severity.NOTICE))

    def extend(self, problems: "Problems") -> None:
        self._items |= problems._items

    def add(self, items: "Iterable[Problem]") -> None:
        """Problems found elsewhere (another process of the build), as they were reported."""
        self._items.update(items)

    @property
    def items(self) -> list[Problem]:
        return sorted(self._items)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity is Severity.WARNING]

    def failing(self, strict: bool = False) -> list[Problem]:
        """The problems that stop a build: the errors, and with --strict the warnings."""
        return [p for p in self.items if p.severity is Severity.ERROR or (strict and p.severity is Severity.WARNING)]

    def raise_if_errors(self, strict: bool = False) -> None:
        failing = self.failing(strict)
        if failing:
            raise ContentError(failing)


class Remembered:
    """Results of work that reports its problems, kept in this process by what they were made
    from: asked again with the same key (a reload of `mkdocs serve`), the result is given back
    with the problems it had, without the work. At most `size` results are kept (then all are
    dropped); `size=1` keeps the last one."""

    def __init__(self, size: int = 4096):
        self.size = size
        self._kept: dict = {}
        self._lock = threading.Lock()

    def __call__(self, key, problems: Problems, make: Callable[[Problems], T]) -> T:
        with self._lock:
            known = self._kept.get(key)
        if known is None:
            found = Problems(problems.root)
            known = (make(found), found)
            with self._lock:
                if len(self._kept) >= self.size:
                    self._kept.clear()
                self._kept[key] = known
        problems.extend(known[1])
        return known[0]
