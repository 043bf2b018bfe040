"""Helpers for the gate tests (test_gate.py, test_hostile.py): read what a build wrote as a reader
sees it, and read what `check` said, through files and the command line only (never through
the toolchain's modules, which may change).

The gate: whatever passes `build_report.py check` builds in every output and both languages with
nothing leaked, dropped or executed; whatever would not is refused by `check` with
`path:line: error: message` (exit 1, no traceback).
"""

from __future__ import annotations

import html
import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path

# Source markup that must never reach a reader. Beyond conftest.LEAKS: the Material/pymdownx
# syntaxes editors copy (collapsibles, abbreviations, keys, mark/ins/del, emoji, inline
# highlighting, attribute lists, code fences).
LEAKS = ("!!!", "???", "===", "*[", "--8<--", "{ .", "{.", "{:", "{%", "%}", "[@", ":::", "++ctrl", "++slash",
         "```", "==", "^^", "~~", ":material-", ":fontawesome-", ":smile:", "#!python", "{=typst}", "{=openxml}")

ERROR_LINE = re.compile(r"^(?P<path>\S+?):(?P<line>\d+): error: (?P<message>.+)$")


# --- check's output -------------------------------------------------------------------------------

def error_lines(stderr: str) -> list[str]:
    """Every line of the output that reports an error (whatever its form)."""
    return [ln.strip() for ln in stderr.splitlines() if re.search(r"\berror\b", ln, re.I)
            and not ln.lstrip().startswith("build_report:")]


def refusal_problems(proc, root: Path, allowed_files: set[str] | None = None) -> list[str]:
    """What is wrong with a refusal by `check`, as the editor would meet it (empty: a good refusal).

    A good refusal: exit 1, no traceback, at least one `PATH:LINE: error: message` line, and each
    error line names a file of the repository (one of `allowed_files` when given) and a line that
    exists in it."""
    problems = []
    out = proc.stderr + proc.stdout
    if "Traceback" in out:
        problems.append(f"check crashed with a Python traceback instead of naming the line:\n{out[-3000:]}")
    if proc.returncode != 1:
        problems.append(f"check exited {proc.returncode}, not 1")
    errors = error_lines(proc.stderr)
    located = []
    for ln in errors:
        m = ERROR_LINE.match(ln)
        if not m:
            problems.append(f"an error without 'path:line: error:' — the editor cannot find it: {ln!r}")
            continue
        path, line = m["path"], int(m["line"])
        located.append((path, line))
        if allowed_files is not None and path not in allowed_files:
            problems.append(f"error points at {path}, not at the file the editor changed "
                            f"({', '.join(sorted(allowed_files))}): {ln!r}")
            continue
        file = root / path
        if not file.is_file():
            problems.append(f"error names a file that does not exist: {ln!r}")
            continue
        count = len(file.read_bytes().split(b"\n"))
        if not 1 <= line <= count:
            problems.append(f"error points at line {line}, but {path} has {count} lines: {ln!r}")
    if not located and not problems:
        problems.append(f"check refused without any 'path:line: error:' line:\n{out[-3000:]}")
    return problems


def refused_at(proc, root: Path, path: str, line_of: str) -> list[str]:
    """Problems with a refusal that must point at the line of `path` containing `line_of`
    (or, when `line_of` is empty, at any line of `path`)."""
    problems = refusal_problems(proc, root)
    lines = (root / path).read_bytes().decode("utf-8", "replace").split("\n")
    if line_of:
        wanted = {i for i, ln in enumerate(lines, start=1) if line_of in ln}
        assert wanted, f"test is stale: {line_of!r} is not in {path}"
        wanted_text = f"{path}:{min(wanted)}"
    else:
        wanted = set(range(1, len(lines) + 1))
        wanted_text = f"{path}:<any line>"
    hits = [m for m in map(ERROR_LINE.match, error_lines(proc.stderr))
            if m and m["path"] == path and int(m["line"]) in wanted]
    if not hits:
        problems.append(f"no error at {wanted_text} (where the editor typed it); check said:\n"
                        f"{proc.stderr[-3000:]}")
    return problems


# --- what a reader sees ---------------------------------------------------------------------------

class _Text(HTMLParser):
    """Visible text of an HTML page (no script/style), and the attribute values a reader meets
    (title, alt, aria-label), kept apart."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.attrs: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self._skip += 1
        for name, value in attrs:
            if name in ("title", "alt", "aria-label") and value:
                self.attrs.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)


def html_text(path: Path) -> tuple[str, str]:
    """(visible text, reader-facing attribute values) of an HTML file."""
    p = _Text()
    p.feed(path.read_text("utf-8", "replace"))
    return " ".join(p.text), " ".join(p.attrs)


def docx_text(path: Path) -> str:
    """The text of a DOCX: body, footnotes, endnotes, headers and footers, tags stripped."""
    parts = []
    with zipfile.ZipFile(path) as z:
        for name in sorted(z.namelist()):
            if re.fullmatch(r"word/(document|footnotes|endnotes|header\d*|footer\d*)\.xml", name):
                xml = z.read(name).decode("utf-8")
                xml = re.sub(r"</w:p>|<w:tab/>|<w:br/>", " ", xml)
                parts.append(html.unescape(re.sub(r"<[^>]+>", "", xml)))
    return " ".join(parts)


def docx_xml(path: Path) -> dict[str, str]:
    """Every XML part of a DOCX, raw."""
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith((".xml", ".rels"))}


def pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)


def compact(text: str) -> str:
    """Text without whitespace, soft hyphens or hyphens, upper-cased: a word broken across lines
    or hyphenated by the typesetter is still found."""
    return re.sub(r"[\s\u00ad\u200b\-‐]", "", text).upper()


def normalise_quotes(text: str) -> str:
    """Typographic quotes back to straight ones, no-break spaces to spaces."""
    for a, b in (("“", '"'), ("”", '"'), ("„", '"'), ("«", '"'), ("»", '"'), ("‘", "'"), ("’", "'"),
                 ("\u00a0", " "), ("\u202f", " ")):
        text = text.replace(a, b)
    return re.sub(r"\s+", " ", text)


def leak_counts(text: str) -> dict[str, int]:
    return {leak: text.count(leak) for leak in LEAKS}


def new_leaks(text: str, baseline: str) -> list[str]:
    """Markup that occurs more often in `text` than in the baseline (the repository's own build,
    whose outputs are assumed clean or, at least, not this test's business)."""
    now, before = leak_counts(text), leak_counts(baseline)
    return [f"{leak!r} ×{now[leak] - before[leak]}" for leak in LEAKS if now[leak] > before[leak]]


def context(text: str, needle: str, width: int = 80) -> str:
    i = text.find(needle)
    return text[max(0, i - width): i + len(needle) + width].replace("\n", " ") if i >= 0 else ""
