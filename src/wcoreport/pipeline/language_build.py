"""Each language's build in a process of its own: its pages analysed and checked, its citations
formatted, its site pages, its DOCX and PDF.

The build command loads the project, then starts one process a language (`start_builds`), by
the system's start method (processes.start_method): forked on Linux, spawned on Windows and
macOS; nothing in it relies on memory inherited through a fork (the job is pickled to it). Each
checks its language (gate.check_language) and sends the result back: the build command checks
across languages (gate.check_across) and decides, on every problem of the project, whether the
build goes on. The language's process does not wait for that: it goes on with its outputs, into
the staged folders that only a successful build moves in (a failed check stops it). The
languages' Python work runs on two cores, not in turns under one interpreter's lock; and each
process holds one language's trees only, and gives them back to the system when it ends (a
build holding both languages' trees and Typst's compilations took three times the memory of
the bare tools).

The process gets its job (LanguageJob, with the project as loaded) as the argument of its start
(inherited by a fork, pickled to a spawned process); its messages come back pickled on a
multiprocessing Pipe, one at a time:

    ("say", message, step)       a line of the build's progress (cli.Progress)
    ("checked", check, problems, blocks)
                                 the language checked (gate.LanguageCheck), the problems found,
                                 its chapters cut into blocks (blocks.blocks_of)
    ("pages", pages)             the site's pages of the language (render.RenderedPage by name)
    ("done", outputs, problems)  the report files written (build.Output), the problems found
    ("failed", kind, payload)    "tool": ToolError's message; "content": the problems;
                                 "os": the OSError; "bug": the traceback
"""

from __future__ import annotations

import importlib
import multiprocessing
import os
import pickle
import sys
import threading
import traceback
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from ..sources.diagnostics import ContentError, Problems
from ..markdown.blocks import remember
from .outputs import remove_scratch_folders
from .pandoc import ToolError
from .processes import start_method

if TYPE_CHECKING:
    from ..markdown.analysis import ProjectAnalysis
    from ..sources.project import Project


@dataclass
class LanguageJob:
    project: "Project"
    lang: str
    context: str  # analysis.context_digest of the project
    site: bool  # make the site's pages
    formats: tuple[str, ...]  # the report files to write ("docx", "pdf"), if any
    reports: Path | None  # where


def run_job(job: LanguageJob, analysis: "ProjectAnalysis", say: Callable[..., None],
            send_pages: Callable[[dict], None]) -> list:
    """The language's outputs from its analysis: its document where first needed (made once,
    shared by the site and the report), its site pages, then its report files (build.Output,
    in `job.reports`)."""
    from ..markdown.document import kept_document
    from ..report.build import build_reports
    from ..site.render import language_site

    project, lang = job.project, job.lang
    made: list = []

    def document_of() -> list:
        if not made:
            say(f"Formatting citations (pandoc + citeproc): {lang}", False)
            made.append(kept_document(project, analysis, lang))
        return made[0]

    if job.site:
        send_pages(language_site(project, analysis, lang, document_of))
    if not job.formats:
        return []
    return build_reports(project, analysis, job.reports, {lang: document_of()}, (lang,), job.formats, say)


def _serve(job: LanguageJob, channel) -> None:
    """The language's process: check, then build, each step's messages sent on `channel` (a
    multiprocessing Connection; the caller then ends the process)."""
    os.dup2(2, 1)  # anything printed goes with the build's messages, not into the channel
    lock = threading.Lock()

    def send(*message) -> None:
        with lock:
            try:
                channel.send(message)
            except (OSError, ValueError):  # the build command is gone (killed): nobody wants the work
                os._exit(1)

    from ..markdown.blocks import blocks_of
    from ..markdown.gate import check_language

    try:
        project = job.project
        found = Problems(project.root)
        checked = check_language(project, job.lang, job.context, found)
        # The chapters cut into blocks here, in parallel, not in turn by the build command's
        # comparison of translations and the side-by-side pages of MkDocs' process.
        send("checked", checked, found.items, blocks_of(checked.found.pages.values()))
        if found.errors or project.metadata is None:
            send("done", [], [])  # the build command stops on them
        else:
            before = set(project.problems.items)
            outputs = run_job(job, checked.analysis(job.context), lambda message, step=True: send("say", message, step),
                              lambda pages: send("pages", pages))
            send("done", outputs, [p for p in project.problems.items if p not in before])
    except ContentError as exc:
        send("failed", "content", exc.problems)
    except ToolError as exc:
        send("failed", "tool", str(exc))
    except OSError as exc:
        send("failed", "os", exc)
    except KeyboardInterrupt:  # the build was interrupted too: it says so
        pass
    except BaseException:  # noqa: BLE001 (a bug of ours: its traceback, for the build to show)
        send("failed", "bug", traceback.format_exc())
    with lock:
        channel.close()
    sys.stdout.flush()
    sys.stderr.flush()


def _process_main(job: LanguageJob, channel, inherited: bool) -> None:
    """The language's process from its start (the target of multiprocessing.Process). With
    `spawn`, it is a new interpreter: the job (the project as loaded) came pickled, the modules
    are imported here. With `fork` (`inherited`), it is a copy of the build command: only the
    channel, the standard streams and the line to the parent stay open (no pipe of the build's,
    MkDocs' input or another language's channel, may wait for this process to end)."""
    parent = multiprocessing.parent_process()
    if inherited and hasattr(os, "closerange"):
        keep = sorted({channel.fileno(), *([parent.sentinel] if parent is not None else [])})
        low = 3
        for fd in keep:
            os.closerange(low, fd)
            low = fd + 1
        os.closerange(low, _max_fd())
    if parent is not None:  # the build command killed: this process ends too, its work unwanted
        threading.Thread(target=_end_with, args=(parent.sentinel,), daemon=True).start()
    try:
        _serve(job, channel)
    finally:
        remove_scratch_folders()  # (its own: the exit handlers are the build command's)
        os._exit(0)  # (the trees are left to the system, not freed one by one)


def _end_with(sentinel) -> None:
    from multiprocessing.connection import wait

    wait([sentinel])
    os._exit(1)


def _max_fd() -> int:
    try:
        return os.sysconf("SC_OPEN_MAX")
    except (AttributeError, ValueError, OSError):
        return 4096


def start_builds(jobs: list[LanguageJob], say: Callable[..., None]) -> list["LanguageBuild"]:
    """A process for each job, started by the system's method (processes.start_method): forked
    (it has the project and the modules loaded already), or spawned (the job is pickled to it:
    Windows, macOS, and WCOREPORT_START_METHOD=spawn). All are started before any thread of
    this process starts (a thread holding a lock at a fork would leave it held for good in the
    child)."""
    method = start_method()
    if method == "fork":
        for module in ("markdown.gate", "markdown.document", "report.build", "site.render"):
            importlib.import_module(f"wcoreport.{module}")  # once here, not in each process
    context = multiprocessing.get_context(method)
    builds = [LanguageBuild(job, say, context) for job in jobs]
    for build in builds:
        build._reader.start()
    return builds


class LanguageBuild:
    """The build of one language in a process of its own (start_builds). `checked()` waits for
    its check, `pages()` for its site pages, `outputs()` for its report files; each raises what
    stopped it. Its progress lines go to `say`. Use as a context manager: leaving stops it if
    it is still running."""

    def __init__(self, job: LanguageJob, say: Callable[..., None], context=None):
        context = context or multiprocessing.get_context(start_method())
        self.lang, self._say = job.lang, say
        self._checked: Future = Future()
        self._pages: Future = Future()
        self._done: Future = Future()
        self.blocks: dict = {}  # its chapters cut into blocks, once checked() (blocks.blocks_of)
        self._channel, write_end = context.Pipe(duplex=False)
        sys.stdout.flush()
        sys.stderr.flush()
        inherited = context.get_start_method() == "fork"
        self._process = context.Process(target=_process_main, args=(job, write_end, inherited),
                                         name=f"wcoreport-{job.lang}", daemon=False)
        self._process.start()
        write_end.close()  # (the process holds its end: at its end, the channel ends)
        self._code = None
        self._reader = threading.Thread(target=self._read, daemon=True)

    def _read(self) -> None:
        failure: BaseException | None = None
        try:
            while True:
                try:
                    message = self._channel.recv()
                except (EOFError, OSError, pickle.UnpicklingError):
                    break
                kind = message[0]
                if kind == "say":
                    self._say(message[1], message[2])
                elif kind == "checked":
                    self._checked.set_result(message[1:])
                elif kind == "pages":
                    self._pages.set_result(message[1])
                elif kind == "done":
                    self._pages.done() or self._pages.set_result({})
                    self._checked.done() or self._checked.set_result(None)
                    self._done.set_result((message[1], message[2]))
                    return
                elif kind == "failed":
                    failure = _failure(self.lang, message[1], message[2])
                    break
        except Exception as exc:  # noqa: BLE001 (a message that cannot be read: the process broke)
            failure = exc
        code = self._wait()
        if failure is None:
            failure = ToolError(f"the {self.lang} build stopped (exit status {code}) before it was done")
        for future in (self._checked, self._pages, self._done):
            if not future.done():
                future.set_exception(failure)

    def _wait(self) -> int:
        if self._code is None:
            self._process.join()
            self._code = self._process.exitcode
        return self._code

    def checked(self, problems):
        """The language checked (gate.LanguageCheck); the problems found join `problems`,
        and its chapters cut into blocks are remembered (blocks.remember)."""
        checked, found, self.blocks = self._checked.result()
        problems.add(found)
        remember(self.blocks)
        return checked

    def pages(self) -> dict:
        return self._pages.result()

    def outputs(self, problems) -> list:
        """The report files written; the problems the language's build found join `problems`."""
        outputs, found = self._done.result()
        problems.add(found)
        return outputs

    def __enter__(self) -> "LanguageBuild":
        return self

    def __exit__(self, *exc) -> None:
        if not self._done.done() or self._done.exception() is not None:
            if self._process.exitcode is None:
                self._process.kill()  # (the build stopped: its work is not wanted any more)
        if self._reader.ident is not None:  # (started)
            self._reader.join()
        self._wait()
        self._channel.close()


def _failure(lang: str, kind: str, payload) -> BaseException:
    if kind == "content":
        return ContentError(payload)
    if kind == "tool":
        return ToolError(payload)
    if kind == "os":
        return payload
    sys.stderr.write(payload)
    return ToolError(f"the {lang} build stopped on an error of this program (above): please report it")


