"""Each language's build in a process of its own: its pages analysed and checked, its citations
formatted, its site pages, its DOCX and PDF.

The build command loads the project, then forks one process a language (`start_builds`). Each
checks its language (gate.check_language) and sends the result back: the build command checks
across languages (gate.check_across) and decides, on every problem of the project, whether the
build goes on. The language's process does not wait for that: it goes on with its outputs, into
the staged folders that only a successful build moves in (a failed check stops it). The
languages' Python work runs on two cores, not in turns under one interpreter's lock; and each
process holds one language's trees only, and gives them back to the system when it ends (a
build holding both languages' trees and Typst's compilations took three times the memory of
the bare tools).

The process has its job from the fork; its messages come back pickled on a pipe, one at a time:

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
import os
import pickle
import signal
import sys
import threading
import traceback
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from .diagnostics import ContentError, Problems
from .markdown.blocks import remember
from .outputs import remove_scratch_folders
from .pandoc import ToolError

if TYPE_CHECKING:
    from .markdown.analysis import ProjectAnalysis
    from .project import Project


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
    from .markdown.document import kept_document
    from .report.build import build_reports
    from .site.render import language_site

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


def _serve(job: LanguageJob, channel_fd: int) -> None:
    """The language's process: check, then build, each step's messages sent on `channel_fd`
    (the caller then ends the process)."""
    channel = os.fdopen(channel_fd, "wb")
    os.dup2(2, 1)  # anything printed goes with the build's messages, not into the channel
    lock = threading.Lock()

    def send(*message) -> None:
        with lock:
            try:
                pickle.dump(message, channel, protocol=pickle.HIGHEST_PROTOCOL)
                channel.flush()
            except OSError:  # the build command is gone (killed): nobody wants the work
                os._exit(1)

    from .markdown.blocks import blocks_of
    from .markdown.gate import check_language

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


def start_builds(jobs: list[LanguageJob], say: Callable[..., None]) -> list["LanguageBuild"]:
    """A process for each job, forked from this one: it has the project and the modules loaded
    already, nothing to import or to be sent. All are forked before any thread of this process
    starts (a thread holding a lock at the fork would leave it held for good in the child)."""
    for module in ("markdown.gate", "markdown.document", "report.build", "site.render"):
        importlib.import_module(f"{__package__}.{module}")  # once here, not in each process

    builds = [LanguageBuild(job, say) for job in jobs]
    for build in builds:
        build._reader.start()
    return builds


class LanguageBuild:
    """The build of one language in a process of its own (start_builds). `checked()` waits for
    its check, `pages()` for its site pages, `outputs()` for its report files; each raises what
    stopped it. Its progress lines go to `say`. Use as a context manager: leaving stops it if
    it is still running."""

    def __init__(self, job: LanguageJob, say: Callable[..., None]):
        self.lang, self._say = job.lang, say
        self._checked: Future = Future()
        self._pages: Future = Future()
        self._done: Future = Future()
        self.blocks: dict = {}  # its chapters cut into blocks, once checked() (blocks.blocks_of)
        read_end, write_end = os.pipe()
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # the language's process
            try:
                # Only the channel and the standard streams stay open: no pipe of the build's
                # (MkDocs' input, another language's channel) may wait for this process to end.
                os.closerange(3, write_end)
                os.closerange(write_end + 1, os.sysconf("SC_OPEN_MAX"))
                _serve(job, write_end)
            finally:
                remove_scratch_folders()  # (its own: the exit handlers are the build command's)
                os._exit(0)  # (the trees are left to the system, not freed one by one)
        os.close(write_end)
        self._pid, self._code = pid, None
        self._channel = os.fdopen(read_end, "rb")
        self._reader = threading.Thread(target=self._read, daemon=True)

    def _read(self) -> None:
        failure: BaseException | None = None
        try:
            while True:
                try:
                    message = pickle.load(self._channel)
                except (EOFError, pickle.UnpicklingError):
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
            self._code = os.waitstatus_to_exitcode(os.waitpid(self._pid, 0)[1])
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
            try:
                os.kill(self._pid, signal.SIGKILL)  # (the build stopped: its work is not wanted any more)
            except ProcessLookupError:
                pass
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


