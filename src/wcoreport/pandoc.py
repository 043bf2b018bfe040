"""Running pandoc (the binary that `pypandoc-binary` ships; never a system pandoc)."""

from __future__ import annotations

import functools
import subprocess
from pathlib import Path


class ToolError(Exception):
    """An external tool (pandoc, Typst) failed or is missing; the message says which and why."""


class ToolMissing(ToolError):
    """The tool cannot be run at all: nothing about the sources can be learnt from it."""


@functools.cache
def pandoc_path() -> str:
    try:
        import pypandoc
    except ImportError as exc:  # pragma: no cover - an install problem
        raise ToolMissing("pandoc is not installed: install the project's packages (pypandoc-binary)") from exc
    try:
        return pypandoc.get_pandoc_path()
    except OSError as exc:
        raise ToolMissing(f"pandoc is not available: {exc}") from exc


def run_pandoc(args: list[str], stdin: str | bytes | None = None, cwd: Path | None = None) -> bytes:
    """Run pandoc; its error output becomes a `ToolError`. Warnings are returned via stderr check."""
    data = stdin.encode("utf-8") if isinstance(stdin, str) else stdin
    try:
        proc = subprocess.run([pandoc_path(), *args], input=data, capture_output=True, cwd=cwd)
    except OSError as exc:
        raise ToolMissing(f"cannot run pandoc: {exc.strerror}") from exc
    if proc.returncode != 0:
        raise ToolError(f"pandoc failed (exit {proc.returncode}): {proc.stderr.decode('utf-8', 'replace').strip()}")
    warnings = [w for w in proc.stderr.decode("utf-8", "replace").splitlines() if w.strip()]
    if warnings:
        raise ToolError("pandoc warned: " + "; ".join(warnings))
    return proc.stdout
