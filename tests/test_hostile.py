"""Hostile inputs (tests/hostile/*.yml and the generated bombs below): each one is either refused
by `build_report.py check` at the file and line where it was typed, or accepted and harmless in
every output: nothing runs in the site (no handler, script, javascript:/data: URL, remote
fetch carrying the case's token), nothing is injected into the DOCX XML or PDF actions, no file
is read into an output, and the text the editor typed shows as text.

Speed: check runs once per case (fast). The cases check accepts are applied together to ONE
scratch repository and built ONCE; each case then asserts on that build. A case marked `alone`
(bombs, likely crashes) is built on its own. If the combined build fails, each case falls back
to a build of its own, so that the failure names the case that causes it.

Only the command line and the files it writes are used (see tests/hostile/README.md).
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import subprocess
import sys
import threading
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import pytest
import yaml

import gatekit
from conftest import BUILD_SCRIPT, copy_repo, in_ci, run_build
from test_bad_inputs import apply_edits

HERE = Path(__file__).parent / "hostile"
DEFAULT_SECONDS = 60


# --- generated cases ------------------------------------------------------------------------------

def _generated() -> dict[str, dict]:
    cases = {}
    depth = 1000
    cases["bomb-blockquote-1000"] = {
        "description": f"a blockquote {depth} deep",
        "token": "PWN31", "alone": True, "max_seconds": 30,
        "edits": [{"file": "docs/fr/biometrics.md", "append": "\n" + "> " * depth + "Citation profonde PWN31.\n"}],
        "refuse_at": [{"file": "docs/fr/biometrics.md", "line_of": "> > > >"}],
        "present": [{"text": "Citation profonde PWN31.", "lang": "fr", "in": ["site", "docx", "pdf"]}],
    }
    lines = [" " * (4 * i) + f"- niveau {i}" for i in range(depth)]
    lines[-1] += " PWN32FOND"
    cases["bomb-list-1000"] = {
        "description": f"a bullet list nested {depth} deep",
        "token": "PWN32", "alone": True, "max_seconds": 30,
        "edits": [{"file": "docs/fr/blockchain.md", "append": "\n" + "\n".join(lines) + "\n"}],
        "refuse_at": [{"file": "docs/fr/blockchain.md"}],
        "present": [{"text": "niveau 999 PWN32FOND", "lang": "fr", "in": ["site", "docx", "pdf"]}],
    }
    levels = 20
    edits = [{"file": "docs/fr/challenges.md", "append": "\n{% include _chain00.md %}\n"}]
    for i in range(levels):
        edits.append({"file": f"docs/fr/_chain{i:02d}.md",
                      "write": f"Niveau {i} PWN33.\n\n{{% include _chain{i + 1:02d}.md %}}\n\n"
                               f"{{% include _chain{i + 1:02d}.md %}}\n"})
    edits.append({"file": f"docs/fr/_chain{levels:02d}.md", "write": "Feuille PWN33FEUILLE.\n"})
    cases["bomb-include-chain-20"] = {
        "description": f"includes {levels} deep, each file including the next one twice (2^{levels} copies)",
        "token": "PWN33", "alone": True, "max_seconds": 10,
        "edits": edits,
        "refuse_any": ["docs/fr/challenges.md"] + [f"docs/fr/_chain{i:02d}.md" for i in range(levels + 1)],
        "present": [{"text": "Feuille PWN33FEUILLE.", "lang": "fr", "in": ["site", "docx", "pdf"]}],
    }
    sentence = "Les douanes utilisent des outils numériques pour contrôler les marchandises. "
    line = sentence * (5_000_000 // len(sentence) + 1) + "Fin de la ligne PWN34FIN."
    cases["bomb-5mb-line"] = {
        "description": "one paragraph of 5 MB on a single line",
        "token": "PWN34", "alone": True, "max_seconds": 30,
        "edits": [{"file": "docs/fr/cloud-computing.md", "append": "\n" + line + "\n"}],
        "refuse_at": [{"file": "docs/fr/cloud-computing.md", "line_of": "Fin de la ligne PWN34FIN"}],
        "present": [{"text": "Fin de la ligne PWN34FIN.", "lang": "fr", "in": ["site", "docx", "pdf"]}],
    }
    return cases


def _cases() -> dict[str, dict]:
    cases = {p.stem: yaml.safe_load(p.read_text("utf-8")) for p in sorted(HERE.glob("*.yml"))}
    cases.update(_generated())
    return cases


CASES = _cases()


def test_hostile_cases_are_well_formed():
    tokens = [c["token"] for c in CASES.values()]
    assert len(tokens) == len(set(tokens)), "two cases share a token: a hit could not be told apart"
    for token in tokens:
        assert not [t for t in tokens if t != token and t.startswith(token)], f"{token} is a prefix of another token"
    for name, case in CASES.items():
        assert case.get("refuse_at") or case.get("refuse_any"), f"{name}: where must check point?"
        assert {"description", "token", "edits"} <= set(case), name
    # the chapter cases built together must not edit the same file (they would mask one another)
    owners: dict[str, str] = {}
    for name, case in CASES.items():
        if case.get("alone"):
            continue
        for edit in case["edits"]:
            if edit["file"] in ("report.yml", "mkdocs.yml"):
                continue
            assert owners.setdefault(edit["file"], name) == name, \
                f"{name} and {owners[edit['file']]} both edit {edit['file']}"


# --- check, once per case ------------------------------------------------------------------------

class Verdict:
    def __init__(self, proc, elapsed, root, timed_out=False):
        self.proc, self.elapsed, self.root, self.timed_out = proc, elapsed, root, timed_out

    @property
    def accepted(self) -> bool:
        return not self.timed_out and self.proc.returncode == 0


def _timed_run(*args: str, timeout: float):
    started = time.monotonic()
    try:
        proc = run_build(*args, timeout=int(timeout))
        return proc, time.monotonic() - started, False
    except subprocess.TimeoutExpired as e:
        return e, time.monotonic() - started, True


@pytest.fixture(scope="module")
def verdicts(tmp_path_factory) -> dict[str, Verdict]:
    out = {}
    for name, case in CASES.items():
        root = copy_repo(tmp_path_factory.mktemp(f"hostile-{name}"))
        apply_edits(root, case["edits"])
        limit = case.get("max_seconds", DEFAULT_SECONDS)
        proc, elapsed, timed_out = _timed_run("check", "--root", str(root), timeout=limit + 5)
        out[name] = Verdict(proc, elapsed, root, timed_out)
    return out


class Build:
    def __init__(self, out: Path, proc, elapsed: float, timed_out: bool = False, note: str = ""):
        self.out, self.proc, self.elapsed, self.timed_out, self.note = out, proc, elapsed, timed_out, note

    @property
    def ok(self) -> bool:
        return not self.timed_out and self.proc.returncode == 0 and "Traceback" not in self.proc.stderr

    def failure(self) -> str:
        if self.timed_out:
            return f"the build did not finish in {self.elapsed:.0f} s"
        said = self.proc.stderr + self.proc.stdout
        if "Traceback" in said:  # the editor sees this; the test shows its end
            said = "a Python traceback ending in:\n" + "\n".join(said.strip().splitlines()[-3:])
        return f"exit {self.proc.returncode}{self.note}:\n{said[-2500:]}"


def _build(root: Path, out: Path, timeout: float, note: str = "") -> Build:
    proc, elapsed, timed_out = _timed_run("all", "--root", str(root), "--out", str(out), timeout=timeout)
    return Build(out, proc, elapsed, timed_out, note)


def _together(names: list[str], tmp_path_factory, label: str) -> Build:
    root = copy_repo(tmp_path_factory.mktemp(f"hostile-{label}"))
    for name in names:
        apply_edits(root, CASES[name]["edits"])
    proc = run_build("check", "--root", str(root), timeout=120)
    if proc.returncode != 0:
        return Build(root / "none", proc, 0, note=" (check refused the cases together, though it accepted each)")
    return _build(root, tmp_path_factory.mktemp(f"hostile-{label}-out"), 600)


@pytest.fixture(scope="module")
def builds(verdicts, tmp_path_factory) -> dict[str, Build]:
    """The build each accepted case is judged on, and under "*" the build of all the accepted
    cases that build (for the whole-site tests: browser, active content, files read).

    First one build of every accepted case (not `alone`). If it fails, each of them is built on its
    own (two at a time), so that each failure names its case; then the ones that built, together.
    `alone` cases are built on their own, one at a time (they are timed)."""
    from concurrent.futures import ThreadPoolExecutor

    names = [n for n, v in verdicts.items() if v.accepted and not CASES[n].get("alone")]
    result: dict[str, Build] = {}
    if names:
        together = _together(names, tmp_path_factory, "combined")
        result["*"] = together
        if together.ok:
            result.update({n: together for n in names})
        else:
            with ThreadPoolExecutor(max_workers=2) as pool:
                jobs = {n: pool.submit(_build, verdicts[n].root, tmp_path_factory.mktemp(f"hostile-{n}-out"), 300)
                        for n in names}
                result.update({n: job.result() for n, job in jobs.items()})
            good = [n for n in names if result[n].ok]
            if good:
                result["*"] = _together(good, tmp_path_factory, "combined-good")
    for n, v in verdicts.items():
        if v.accepted and CASES[n].get("alone"):
            limit = CASES[n].get("max_seconds", DEFAULT_SECONDS)
            result[n] = _build(v.root, tmp_path_factory.mktemp(f"hostile-{n}-out"), limit + 5)
    return result


@pytest.fixture(scope="module")
def combined(builds) -> Build | None:
    """The build of all the accepted cases that build, together (None: no such case)."""
    return builds.get("*")


# --- what counts as live ---------------------------------------------------------------------------

URL_ATTRS = {"href", "src", "srcset", "action", "formaction", "poster", "data", "xlink:href", "background",
             "ping", "codebase", "manifest", "icon"}
ACTIVE_TAGS = {"script", "iframe", "frame", "object", "embed", "base", "form", "link", "style", "applet"}


class _Live(HTMLParser):
    """Every place of an HTML document where text could act: (tag, attribute or '#data', value)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.live: list[tuple[str, str, str]] = []
        self._in: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            value = value or ""
            if (name.startswith("on") or name in URL_ATTRS or name == "style" or tag in ACTIVE_TAGS
                    or (tag == "meta" and any(a == "http-equiv" for a, _ in attrs))):
                self.live.append((tag, name, value))
        if tag in ("script", "style"):
            self._in.append(tag)

    def handle_endtag(self, tag):
        if self._in and self._in[-1] == tag:
            self._in.pop()

    def handle_data(self, data):
        if self._in:
            self.live.append((self._in[-1], "#data", data))


def live_parts(html_text: str) -> list[tuple[str, str, str]]:
    p = _Live()
    p.feed(html_text)
    return p.live


def site_documents(site: Path):
    """(name, HTML) of every page of the site and of every entry of its search indexes (Material
    renders the index's text as HTML when showing results)."""
    for page in sorted(site.rglob("*.html")):
        yield page.relative_to(site).as_posix(), page.read_text("utf-8", "replace")
    for index in sorted(site.rglob("search_index.json")):
        for doc in json.loads(index.read_text("utf-8")).get("docs", []):
            yield (f"{index.relative_to(site).as_posix()} → {doc.get('location')}",
                   f"<h1>{doc.get('title', '')}</h1>{doc.get('text', '')}")


def site_hits(site: Path, token: str) -> list[str]:
    hits = []
    for name, doc in site_documents(site):
        for tag, attr, value in live_parts(doc):
            if token in value:
                hits.append(f"site {name}: <{tag} {attr}=…{gatekit.context(value, token, 40)}…>")
    return hits


SAFE_DOCX_ATTRS = {"descr", "title"}


def docx_hits(report: Path, token: str) -> list[str]:
    hits = []
    for docx in sorted(report.glob("*.docx")):
        for part, xml in gatekit.docx_xml(docx).items():
            for tag in re.findall(r"<[^<>]*>", xml):
                if token not in tag:
                    continue
                attrs = dict(re.findall(r'([\w:]+)="([^"]*)"', tag))
                if any(token in v and k.split(":")[-1] not in SAFE_DOCX_ATTRS for k, v in attrs.items()) \
                        or token in tag.split()[0]:
                    hits.append(f"{docx.name} {part}: injected markup {tag[:160]}")
    return hits


def pdf_actions(path: Path) -> list[str]:
    """Every action a PDF carries: link URIs and scripts of annotations, document-level actions,
    JavaScript and embedded files."""
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    found = []
    root = reader.trailer["/Root"]
    for key in ("/OpenAction", "/AA"):
        if key in root:
            found.append(f"{path.name}: document action {key}: {str(root[key])[:200]}")
    names = root.get("/Names")
    if names is not None:
        names = names.get_object()
        for key in ("/JavaScript", "/EmbeddedFiles"):
            if key in names:
                found.append(f"{path.name}: {key} in the document's name tree")
    for number, page in enumerate(reader.pages, start=1):
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            action = annot.get("/A")
            if action is None:
                continue
            action = action.get_object()
            kind = str(action.get("/S"))
            target = str(action.get("/URI") or action.get("/JS") or action.get("/F") or "")
            found.append(f"{path.name} p.{number}: {kind} {target[:200]}")
    return found


def pdf_hits(report: Path, token: str) -> list[str]:
    hits = []
    for pdf in sorted(report.glob("*.pdf")):
        for action in pdf_actions(pdf):
            if token in action or re.search(r"/(JavaScript|Launch|SubmitForm|ImportData|GoToR)\b|javascript:",
                                            action, re.I):
                hits.append(f"PDF action: {action}")
    return hits


@functools.lru_cache(maxsize=None)
def _texts(out: Path) -> dict[tuple[str, str], str]:
    """(output, lang) -> the text a reader sees; output in site, docx, pdf."""
    texts = {}
    site = out / "site"
    for lang in ("en", "fr"):
        pages = [p for p in sorted(site.rglob("*.html"))
                 if (p.relative_to(site).parts[0] == "fr") == (lang == "fr")]
        texts[("site", lang)] = " ".join(" ".join(gatekit.html_text(p)) for p in pages)
        texts[("docx", lang)] = " ".join(gatekit.docx_text(p) for p in (out / "report").glob(f"*-{lang}.docx"))
        texts[("pdf", lang)] = " ".join(gatekit.pdf_text(p) for p in (out / "report").glob(f"*-{lang}.pdf"))
    return texts


def harm(case: dict, out: Path) -> list[str]:
    """What is wrong with the outputs of a build that contains `case` (empty: harmless)."""
    token = case["token"]
    problems = [f"live: {h}" for h in site_hits(out / "site", token) + docx_hits(out / "report", token)]
    problems += [f"live: {h}" for h in pdf_hits(out / "report", token)]
    texts = _texts(out)
    raw = b"".join(p.read_bytes() for p in out.rglob("*") if p.is_file() and p.stat().st_size < 50_000_000)
    for secret in case.get("absent", []):
        where = [f"{o}/{lang}" for (o, lang), t in texts.items() if secret in t]
        if secret.encode() in raw:
            where.append("the bytes of an output file")
        if where:
            problems.append(f"a file was read into the output: {secret!r} shows in {', '.join(where)}")
    for want in case.get("present", []):
        needle = gatekit.compact(gatekit.normalise_quotes(want["text"]))
        for output in want["in"]:
            shown = gatekit.compact(gatekit.normalise_quotes(texts[(output, want["lang"])]))
            if needle not in shown:
                problems.append(f"{output}/{want['lang']}: the reader does not see the text typed: {want['text']!r}")
    return problems


# --- the tests ----------------------------------------------------------------------------------

def _refusal_problems(case: dict, v: Verdict) -> list[str]:
    problems = []
    for where in case.get("refuse_at", []):
        problems += gatekit.refused_at(v.proc, v.root, where["file"], where.get("line_of", ""))
    if case.get("refuse_any"):
        problems += gatekit.refusal_problems(v.proc, v.root, allowed_files=set(case["refuse_any"]))
    return list(dict.fromkeys(problems))


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile(name: str, verdicts, builds):
    case, v = CASES[name], verdicts[name]
    limit = case.get("max_seconds", DEFAULT_SECONDS)
    assert not v.timed_out, f"check did not finish within {v.elapsed:.0f} s: the editor's command hangs ({case['description']})"
    assert v.elapsed < limit, f"check took {v.elapsed:.1f} s (limit {limit} s) on: {case['description']}"

    if not v.accepted:
        problems = _refusal_problems(case, v)
        assert not problems, (f"check refused {name!r} ({case['description']}), but not where the editor typed "
                              f"it:\n- " + "\n- ".join(problems))
        return

    # Accepted: it must build, and be harmless.
    build = builds[name]
    assert build.ok, (f"check accepted {name!r} ({case['description']}) but the build failed — the editor "
                      f"is told all is well, then gets no report: {build.failure()}")
    if case.get("alone"):
        assert build.elapsed < limit, f"the build took {build.elapsed:.1f} s (limit {limit} s) on: {case['description']}"
    problems = harm(case, build.out)
    assert not problems, (f"check accepted {name!r} ({case['description']}), and the outputs are not "
                          f"harmless:\n- " + "\n- ".join(problems))


@pytest.mark.slow
def test_combined_hostile_build_succeeds(verdicts, builds):
    """Everything check accepted, together, builds (else each case is built alone, slowly)."""
    names = [n for n, v in verdicts.items() if v.accepted and not CASES[n].get("alone")]
    if not names:
        pytest.skip("check refused every hostile case")
    together = builds[names[0]] if all(builds[n] is builds[names[0]] for n in names) else None
    if together is None:  # the first combined build failed; say why (each case says its own)
        failing = [n for n in names if not builds[n].ok]
        pytest.fail(f"check accepted each of {names} but they do not build together; alone, these fail: {failing}")
    assert together.ok, (f"check accepted each of {names} but the build of them together failed: "
                         f"{together.failure()}")


def _actives(site: Path) -> set[tuple[str, str, str]]:
    """Script elements, handlers and javascript:/data: URLs of a site, values normalised."""
    found = set()
    for _, doc in site_documents(site):
        for tag, attr, value in live_parts(doc):
            v = re.sub(r"[\s\x00-\x1f]", "", value).lower()
            if attr.startswith("on") or (tag == "script") or v.startswith(("javascript:", "vbscript:", "data:text")):
                found.add((tag, attr, re.sub(r"\d+", "N", value)[:200]))
    return found


@pytest.mark.slow
def test_hostile_site_has_no_new_active_content(combined, built):
    """Whatever the token: no script, handler or javascript: URL that the repository's own site
    does not have (catches a payload that lost its token on the way)."""
    if combined is None or not combined.ok:
        pytest.skip("no combined hostile build")
    new = _actives(combined.out / "site") - _actives(built / "site")
    assert not new, "the hostile site has active content the good site does not:\n" + "\n".join(map(str, sorted(new)))


@pytest.mark.slow
def test_hostile_outputs_read_no_file(combined, built):
    """No output of the hostile build contains a line of a file that a payload tries to read."""
    if combined is None or not combined.ok:
        pytest.skip("no combined hostile build")
    secrets = ["root:x:0:0", "markdown_extensions:", "site_description:", "translation_of:"]
    texts = _texts(combined.out)
    leaked = [f"{s!r} in {o}/{lang}" for s in secrets for (o, lang), t in texts.items() if s in t]
    assert not leaked, "a file of the machine or the repository was read into the outputs: " + ", ".join(leaked)


# --- output folder -------------------------------------------------------------------------------

def test_out_under_a_regular_file(tmp_path: Path):
    """--out where no folder can be made (under a regular file): a clear error, exit 2."""
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    for out in (blocker / "inside", blocker):
        proc = run_build("all", "--out", str(out), timeout=300)
        said = proc.stderr + proc.stdout
        assert "Traceback" not in said, f"--out {out}: the user sees a Python traceback:\n{said[-3000:]}"
        assert proc.returncode == 2, f"--out {out}: exit {proc.returncode}, expected 2 (a usage/output error):\n{said[-2000:]}"
        assert str(blocker.name) in said, f"--out {out}: the message does not say which path is the problem:\n{said[-2000:]}"
        assert blocker.read_text() == "not a folder", "the build overwrote a file the user gave as --out"


def test_read_only_output_folder(tmp_path: Path):
    """--out into a folder without write permission: a clear error, exit 2 (skipped if the
    permission does not stop us, e.g. as root)."""
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        try:
            (folder / "probe").write_text("x")
        except PermissionError:
            pass
        else:
            pytest.skip("a 0555 folder is writable here (running as root)")
        proc = run_build("all", "--out", str(folder / "out"), timeout=300)
        said = proc.stderr + proc.stdout
        assert "Traceback" not in said, f"the user sees a Python traceback:\n{said[-3000:]}"
        assert proc.returncode == 2, f"exit {proc.returncode}, expected 2:\n{said[-2000:]}"
    finally:
        folder.chmod(0o755)


@pytest.mark.slow
def test_two_builds_into_one_out_at_once(tmp_path: Path, output_name: str):
    """Two `all --out SAME` at once (two editors, or CI and a person): both succeed, or one stops
    with a clear message; either way the final site/ and report/ are complete and come from ONE
    of the two builds (each source copy carries its own stamp in the Drones chapter)."""
    out = tmp_path / "out"
    procs = {}
    for stamp in ("STAMPALPHA", "STAMPBRAVO"):
        root = copy_repo(tmp_path / stamp)
        for lang in ("en", "fr"):  # in both languages: the French page keeps its structure (parity)
            page = root / f"docs/{lang}/drones.md"
            page.write_text(page.read_text("utf-8") + f"\nThis build is {stamp}.\n", "utf-8")
        procs[stamp] = subprocess.Popen(
            [sys.executable, str(BUILD_SCRIPT), "all", "--root", str(root), "--out", str(out)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env={**os.environ, "PYTHONWARNINGS": "ignore"})
    results = {s: (p.wait(timeout=600), *p.communicate()) for s, p in procs.items()}
    for stamp, (code, stdout, stderr) in results.items():
        assert "Traceback" not in stdout + stderr, f"build {stamp} crashed with a traceback:\n{stderr[-3000:]}"
        if code != 0:
            assert re.search(r"\S+.*(busy|lock|another|running|already|in use)", stderr, re.I), (
                f"build {stamp} failed (exit {code}) without saying another build is using {out}:\n{stderr[-2000:]}")
    assert any(code == 0 for code, _, _ in results.values()), "neither build succeeded"

    site_page = out / "site" / "drones" / "index.html"
    assert (out / "site" / "index.html").is_file() and site_page.is_file(), "the final site/ is incomplete"
    reports = {f"{output_name}-{lang}.{ext}" for lang in ("en", "fr") for ext in ("docx", "pdf")}
    have = {p.name for p in (out / "report").iterdir()} if (out / "report").is_dir() else set()
    assert reports <= have, f"the final report/ is incomplete: {sorted(reports - have)} missing"
    for name in reports:
        assert (out / "report" / name).stat().st_size > 1000, f"{name} is truncated"

    def stamps(text: str) -> set[str]:
        return {s for s in procs if s in text}

    found = {
        "site": stamps(gatekit.html_text(site_page)[0]),
        "DOCX": stamps(gatekit.docx_text(out / "report" / f"{output_name}-en.docx")),
        "PDF": stamps(gatekit.pdf_text(out / "report" / f"{output_name}-en.pdf")),
        "site download": stamps(gatekit.docx_text(out / "site" / "downloads" / f"{output_name}-en.docx"))
        if (out / "site" / "downloads" / f"{output_name}-en.docx").is_file() else None,
    }
    found = {k: v for k, v in found.items() if v is not None}
    assert all(len(v) == 1 for v in found.values()) and len(set().union(*found.values())) == 1, (
        f"the outputs in {out} mix the two builds (the reader gets a site from one and a report from the "
        f"other): {found}")


# --- in a browser --------------------------------------------------------------------------------

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
SEARCH_BOX = 'input[data-md-component="search-query"]'


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.mark.slow
def test_hostile_site_in_a_browser(combined):
    """Every page of the hostile build, opened in Chromium, then tabbed through and searched:
    no dialog opens, nothing sets window.__pwned, no request leaves the local server."""
    if combined is None or not combined.ok:
        pytest.skip("no combined hostile build")
    if not CHROMIUM.is_file():
        (pytest.fail if in_ci() else pytest.skip)(f"{CHROMIUM} is not installed")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        (pytest.fail if in_ci() else pytest.skip)("playwright is not installed")

    site = combined.out / "site"
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}/"
    events: list[str] = []
    remote: set[str] = set()
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
            context = browser.new_context()
            context.route(re.compile(r"^(?!http://127\.0\.0\.1:%d/).*" % server.server_port),
                          lambda route: (remote.add(route.request.url), route.abort()))
            page = context.new_page()
            page.on("dialog", lambda d: (events.append(f"{page.url}: a {d.type} dialog: {d.message!r}"), d.dismiss()))

            def pwned(where: str):
                value = page.evaluate("() => window.__pwned")
                if value:
                    events.append(f"{where}: window.__pwned = {value!r}")

            pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("index.html"))
            for rel in pages:
                page.goto(urljoin(base, rel[: -len("index.html")]), wait_until="load")
                page.wait_for_timeout(150)
                for _ in range(3):  # focus moves fire onfocus/onblur handlers
                    page.keyboard.press("Tab")
                pwned(rel)
            for start in ("", "fr/"):
                page.goto(urljoin(base, start), wait_until="load")
                box = page.locator(SEARCH_BOX)
                if box.count() == 0:
                    events.append(f"/{start}: no search box to type in")
                    continue
                for word in ("PWN", "alert", "script", "onerror", "javascript", "img"):
                    box.click()
                    box.fill("")
                    box.press_sequentially(word, delay=10)
                    page.wait_for_timeout(400)
                    pwned(f"/{start} search {word!r}")
            browser.close()
    finally:
        server.shutdown()
    assert not events, "a hostile input ran in the reader's browser:\n" + "\n".join(events)
    assert not remote, f"the hostile site made the reader's browser call other hosts: {sorted(remote)}"
