"""Running pandoc (the binary that `pypandoc-binary` ships; never a system pandoc)."""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
from pathlib import Path

import orjson

from .outputs import scratch_folder


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


# pandoc's Haskell runtime, told not to collect its old generation before it holds 256 MB.
# pandoc keeps all it has read until it writes (a language's pages are some 100 MB of live
# data); with the default, the runtime copies them again and again as they grow: about 45 % of
# pandoc's time went to collecting, and this saves 12 to 18 % of every conversion, for some
# 30 MB more memory (bench/README.md). The user's own GHCRTS options come after, and win.
RUNTIME_OPTIONS = "-O256m"


@functools.cache
def _version_probe() -> tuple[bytes, bool]:
    """`pandoc --version`'s output, and whether this pandoc takes the runtime options above
    (a binary built without runtime options warns of them, and would fail every conversion)."""
    probe = subprocess.run([pandoc_path(), "--version"], capture_output=True,
                           env={**os.environ, "GHCRTS": RUNTIME_OPTIONS})
    return probe.stdout, probe.returncode == 0 and not probe.stderr.strip()


def pandoc_version() -> bytes:
    """What `pandoc --version` prints (part of every cache key: cache.py)."""
    return _version_probe()[0]


def _environment(**more: str) -> dict[str, str]:
    """The environment pandoc runs in: this process's, with the runtime options above."""
    env = {**os.environ, **more}
    try:
        taken = _version_probe()[1]
    except OSError:  # (reported by the conversion that follows)
        taken = False
    if taken:
        env["GHCRTS"] = f"{RUNTIME_OPTIONS} {os.environ.get('GHCRTS', '')}".strip()
    return env


WARNED = "pandoc warned: "  # how a ToolError of pandoc's warnings starts (its warnings follow, '; ' between)


def run_pandoc(args: list[str], stdin: str | bytes | None = None, cwd: Path | None = None) -> bytes:
    """Run pandoc; its error output becomes a `ToolError`. Warnings are returned via stderr check."""
    data = stdin.encode("utf-8") if isinstance(stdin, str) else stdin
    try:
        proc = subprocess.run([pandoc_path(), *args], input=data, capture_output=True, cwd=cwd, env=_environment())
    except OSError as exc:
        raise ToolMissing(f"cannot run pandoc: {exc.strerror}") from exc
    if proc.returncode != 0:
        raise ToolError(f"pandoc failed (exit {proc.returncode}): {proc.stderr.decode('utf-8', 'replace').strip()}")
    warnings = [w for w in proc.stderr.decode("utf-8", "replace").splitlines() if w.strip()]
    if warnings:
        raise ToolError(WARNED + "; ".join(warnings))
    return proc.stdout


# A conversion of a batch that takes longer than this is stopped (an error for its page).
BATCH_TIMEOUT = 600  # seconds


_BATCH_PROGRAM: list[str] = []


def _batch_program() -> str:
    """pandoc run as pandoc's own server, in its CGI form: the same binary, named
    pandoc-server.cgi, in a scratch folder of this process (a link; where the system makes
    none, as Windows for a user without the right, a hard link or a copy)."""
    if _BATCH_PROGRAM and os.path.exists(_BATCH_PROGRAM[0]):
        return _BATCH_PROGRAM[0]
    program = pandoc_path()
    link = os.path.join(scratch_folder("wcoreport-pandoc-"), "pandoc-server.cgi" + Path(program).suffix)
    for make in (os.symlink, os.link, shutil.copy2):
        try:
            make(program, link)
            break
        except (OSError, NotImplementedError):
            continue
    _BATCH_PROGRAM[:] = [link]
    return link


def run_pandoc_batch(requests: list[dict]) -> list[str | ToolError]:
    """Many conversions in one pandoc process, each as if pandoc had been run on it alone.

    A request is an object of pandoc server's API: `text`, `from`, `to` and the options as in
    a defaults file (`wrap`, `identifier-prefix`...). The server converts without reading or
    writing any file. One process a page cost 50 ms of pandoc's start-up and memory set-up
    a page; here it is paid once. Each result is the output, or the ToolError of its request
    (an error, or a warning as run_pandoc would raise)."""
    if not requests:
        return []
    body = orjson.dumps(requests)
    env = _environment(**{"REQUEST_METHOD": "POST", "PATH_INFO": "/batch", "SCRIPT_NAME": "/pandoc-server.cgi",
           "CONTENT_TYPE": "application/json", "CONTENT_LENGTH": str(len(body)), "HTTP_ACCEPT": "application/json",
           "SERVER_NAME": "localhost", "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1",
           "REMOTE_ADDR": "127.0.0.1", "PANDOC_SERVER_TIMEOUT": str(BATCH_TIMEOUT)})
    try:
        proc = subprocess.run([_batch_program()], input=body, capture_output=True, env=env)
    except OSError as exc:
        raise ToolMissing(f"cannot run pandoc: {exc.strerror}") from exc
    head, sep, payload = proc.stdout.partition(b"\r\n\r\n")
    if not sep:
        head, sep, payload = proc.stdout.partition(b"\n\n")
    status = head.split(b"\n", 1)[0].decode("latin-1").strip()
    if proc.returncode != 0 or not status.startswith("Status: 200"):
        detail = (proc.stderr or payload or head).decode("utf-8", "replace").strip()
        raise ToolError(f"pandoc failed ({status or f'exit {proc.returncode}'}): {detail[:500]}")
    results: list[str | ToolError] = []
    for answer in orjson.loads(payload):
        if "error" in answer:
            results.append(ToolError(f"pandoc failed: {answer['error']}"))
            continue
        warnings = [m.get("message", "") for m in answer.get("messages", [])
                    if m.get("verbosity") in ("WARNING", "ERROR")]
        output = answer["output"]  # (the command line ends a text output with a newline)
        results.append(ToolError(WARNED + "; ".join(warnings)) if warnings
                       else output if output.endswith("\n") else output + "\n")
    return results
