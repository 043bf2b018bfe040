"""The check is the gate, on realistic pages (tests/realworld/).

Each page is written in the shape of pages editors really copy: from the Material for MkDocs
documentation (admonitions, collapsibles, tabs, snippets, attribute lists, abbreviations, keys,
emoji …) and a careless bilingual government page. Each one replaces the body of the Drones
chapter in both languages (keeping its front matter), then:

- EITHER `build_report.py check` refuses it: exit 1, no traceback, and every error is
  `docs/<lang>/drones.md:LINE: error: …` (or a file the page brought along) at a line that exists;
- OR check accepts it, and then `build_report.py all` succeeds and in the site page, the DOCX
  text and the PDF text of each language, no source markup shows (conftest's list and more: see
  gatekit.LEAKS) and every marker word the page carries (ZEBRA…) is there: nothing dropped.

Layout of tests/realworld/: `NAME.md` is installed in both languages; `NAME.en.md` + `NAME.fr.md`
are a bilingual pair; `_*.md` are files the pages include (copied into both language folders);
`*.png` go to `docs/<lang>/images/`.

Pages in MUST_BUILD use only what AUTHORING.md offers: check must accept them (a gate that
refuses everything is not a gate).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

import gatekit
from conftest import copy_repo, run_build

HERE = Path(__file__).parent / "realworld"
TARGET = "drones.md"  # no other page links to it, so replacing its body breaks nothing else
MARKER = re.compile(r"\bZEBRA[A-Z]+\d+\b")

# Which construct each marker word sits in, so that a failure says what was dropped.
CONSTRUCTS = {
    # material-admonitions.md
    "ZEBRAADMON1": "admonition !!! note \"Title\", first paragraph",
    "ZEBRAADMON2": "admonition !!! note, second paragraph (pandoc alone makes it a code block)",
    "ZEBRAADMON3": "bullet list inside an admonition",
    "ZEBRAADMON4": "admonition !!! warning without a title",
    "ZEBRAADMON5": "admonition !!! info with inline code",
    "ZEBRAADMON6": "fenced code block inside an admonition",
    "ZEBRAADMON7": "admonition with modifiers: !!! tip inline end",
    "ZEBRACOLLAPSE1": "collapsible ??? tip (closed)",
    "ZEBRACOLLAPSE2": "collapsible ???+ note (open)",
    "ZEBRACOLLAPSE3": "collapsible ??? nested inside ???+",
    "ZEBRAPLAIN1": "plain paragraph after the admonitions (swallowed by one?)",
    # material-tabs-code.md
    "ZEBRATAB1": "content tab === \"Windows\"",
    "ZEBRATAB2": "content tab === \"Linux\", paragraph",
    "ZEBRATAB3": "numbered list inside a content tab",
    "ZEBRATAB4": "fenced code inside a content tab",
    "ZEBRACODE1": "fenced code with title=\"mkdocs.yml\"",
    "ZEBRACODE2": "fenced code with linenums=\"1\" hl_lines=\"2\"",
    "ZEBRACODE3": "plain ```python fenced code",
    "ZEBRACODE4": "text after inline code with #!python highlighting",
    "ZEBRASNIPPET1": "text of a --8<-- snippet (_rw-disclaimer.md)",
    "ZEBRAPLAIN2": "plain paragraph after a --8<-- snippet line",
    # material-formatting.md
    "ZEBRAABBR1": "paragraph that uses abbreviations (HTML, SAFE)",
    "ZEBRAABBR2": "abbreviation definition *[HTML]: …",
    "ZEBRAABBR3": "abbreviation definition *[SAFE]: …",
    "ZEBRAMARK1": "==mark==",
    "ZEBRAINS1": "^^ins^^",
    "ZEBRADEL1": "~~del~~",
    "ZEBRAKEYS1": "text after keys ++ctrl+alt+del++",
    "ZEBRASUBSUP1": "text after H~2~O and 2^10^",
    "ZEBRAEMOJI1": "text after emoji shortcodes :material-check: :smile:",
    "ZEBRATASK1": "task list item - [x]",
    "ZEBRATASK2": "task list item - [ ]",
    "ZEBRATASK3": "nested task list item",
    "ZEBRALIST1": "nested list, level 1",
    "ZEBRALIST2": "nested list, level 2",
    "ZEBRALIST3": "nested list, level 3",
    "ZEBRAFOOT1": "footnote [^replies]",
    "ZEBRAFOOT2": "footnote [^q], first paragraph",
    "ZEBRAFOOT3": "footnote [^q], second (indented) paragraph",
    "ZEBRAPLAIN3": "paragraph under a heading with {#id .class}",
    # material-lists-tables.md
    "ZEBRADEF1": "definition list, definition",
    "ZEBRADEFADMON1": "admonition inside a definition list",
    "ZEBRADEF2": "definition list, second term",
    "ZEBRADEF3": "definition list, second paragraph of a definition",
    "ZEBRATABLE1": "table cell (aligned columns)",
    "ZEBRATABLE2": "table caption (Table: … {#tbl:…})",
    "ZEBRAIMAGE1": "image caption with { width=\"300\" }",
    "ZEBRAIMAGE2": "image caption with { align=left loading=lazy }",
    "ZEBRABUTTON1": "link text with { .md-button .md-button--primary }",
    "ZEBRABUTTON2": "link text with {:target=\"_blank\"}",
    "ZEBRAATTR1": "paragraph followed by a {: .class } line",
    "ZEBRAGRID1": "grid cards (<div class=\"grid cards\" markdown>), first card",
    "ZEBRAGRID2": "grid cards, second card",
    # material-mixed.md
    "ZEBRAMIX1": "admonition !!! note at the top of the page",
    "ZEBRAMIX2": "admonition inside a numbered list item",
    "ZEBRAMIX3": "content tab inside a numbered list item, first tab",
    "ZEBRAMIX4": "content tab inside a numbered list item, second tab",
    "ZEBRAMIX5": "footnote referenced from a list item",
    "ZEBRAMIX6": "table cell",
    "ZEBRAMIX7": "<details markdown> summary",
    "ZEBRAMIX8": "<details markdown> body",
    "ZEBRAPLAIN4": "last plain paragraph",
    # gouv-douane.en.md / gouv-douane.fr.md
    "ZEBRAGOUVEN1": "EN paragraph with a link to methodology.md#method-sources",
    "ZEBRAGOUVEN2": "EN table caption",
    "ZEBRAGOUVEN3": "EN list item glued to ';'",
    "ZEBRAROWEN1": "EN last (30th) row of the long table",
    "ZEBRAGOUVFR1": "FR paragraph with a link to methodology.md#method-sources",
    "ZEBRAGOUVFR2": "FR table caption",
    "ZEBRAGOUVFR3": "FR list item glued to ';' after « »",
    "ZEBRAROWFR1": "FR last (30th) row of the long table",
}

# Pages that use only what AUTHORING.md offers: check must accept them, and they must build.
MUST_BUILD = {"gouv-douane"}


def _pages() -> dict[str, dict[str, Path]]:
    """page name -> {lang: source file}"""
    pages: dict[str, dict[str, Path]] = {}
    for path in sorted(HERE.glob("*.md")):
        if path.name.startswith("_"):
            continue
        m = re.fullmatch(r"(.+)\.(en|fr)\.md", path.name)
        if m:
            pages.setdefault(m[1], {})[m[2]] = path
        else:
            pages[path.stem] = {"en": path, "fr": path}
    return pages


PAGES = _pages()


def _split_front_matter(text: str) -> tuple[str, str]:
    m = re.match(r"---\n.*?\n---\n", text, re.S)
    assert m, "a page without front matter"
    return m.group(0), text[m.end():]


def install(root: Path, sources: dict[str, Path]) -> set[str]:
    """Put the page's body into docs/<lang>/drones.md (keeping that file's front matter), and the
    files it brings along. Returns the paths (relative to root) the page consists of."""
    files = set()
    for lang, src in sources.items():
        target = root / "docs" / lang / TARGET
        front, _ = _split_front_matter(target.read_text("utf-8"))
        _, body = _split_front_matter(src.read_text("utf-8"))
        target.write_text(front + body, "utf-8")
        files.add(f"docs/{lang}/{TARGET}")
        for extra in HERE.glob("_*.md"):
            shutil.copy(extra, root / "docs" / lang / extra.name)
            files.add(f"docs/{lang}/{extra.name}")
        (root / "docs" / lang / "images").mkdir(exist_ok=True)
        for image in HERE.glob("*.png"):
            shutil.copy(image, root / "docs" / lang / "images" / image.name)
    # The editor who replaced both pages records the French one as the translation of the
    # English one, as AUTHORING.md says (else the page is "out of date" and its banner quotes
    # the English source as typed, for the translator).
    run_build("translated", f"docs/fr/{TARGET}", "--root", str(root), cwd=root)
    return files


def test_every_marker_is_explained():
    """Each ZEBRA… word of the corpus says which construct it belongs to (CONSTRUCTS)."""
    found = {w for p in HERE.glob("*.md") for w in MARKER.findall(p.read_text("utf-8"))}
    assert found, "no marker in tests/realworld"
    assert found <= set(CONSTRUCTS), f"markers without an entry in CONSTRUCTS: {sorted(found - set(CONSTRUCTS))}"
    assert set(CONSTRUCTS) <= found, f"CONSTRUCTS lists markers no page has: {sorted(set(CONSTRUCTS) - found)}"


def _site_page(site: Path, lang: str) -> Path:
    return site / ("" if lang == "en" else "fr") / TARGET[:-3] / "index.html"


def _report_file(report: Path, lang: str, ext: str) -> Path:
    found = sorted(report.glob(f"*-{lang}.{ext}"))
    assert len(found) == 1, f"expected one {lang} {ext} in {report}: {found}"
    return found[0]


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(PAGES))
def test_gate(name: str, tmp_path: Path, built: Path):
    sources = PAGES[name]
    root = copy_repo(tmp_path / "repo")
    files = install(root, sources)

    proc = run_build("check", "--root", str(root), timeout=120)
    if proc.returncode != 0 and name not in MUST_BUILD:
        problems = gatekit.refusal_problems(proc, root, allowed_files=files)
        assert not problems, (f"check refused the page {name!r}, but the editor could not act on it:\n- "
                              + "\n- ".join(problems))
        return
    assert proc.returncode == 0, (f"check refused {name!r}, a page that uses only what AUTHORING.md offers "
                                  f"(the editor is told their valid page is wrong):\n{proc.stderr[-4000:]}")
    assert "Traceback" not in proc.stderr + proc.stdout, proc.stderr

    out = tmp_path / "out"
    proc = run_build("all", "--root", str(root), "--out", str(out), timeout=300)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr + proc.stdout, (
        f"check accepted {name!r} but the build failed (exit {proc.returncode}): the editor is told "
        f"all is well, then gets no report:\n{proc.stderr[-4000:]}")

    problems = []
    for lang, src in sources.items():
        markers = sorted(set(MARKER.findall(src.read_text("utf-8"))))
        # the snippet's marker counts for pages that include it
        if "--8<--" in src.read_text("utf-8"):
            for extra in HERE.glob("_*.md"):
                markers += MARKER.findall(extra.read_text("utf-8"))
        site_page = _site_page(out / "site", lang)
        if not site_page.is_file():
            problems.append(f"[{lang}] site: no page {site_page.relative_to(out)}")
            continue
        text, attrs = gatekit.html_text(site_page)
        base_text, _ = gatekit.html_text(_site_page(built / "site", lang))
        outputs = {
            "site HTML": (text, text + " " + attrs, base_text),
            "DOCX": (gatekit.docx_text(_report_file(out / "report", lang, "docx")),) * 2
                    + (gatekit.docx_text(_report_file(built / "report", lang, "docx")),),
            "PDF": (gatekit.pdf_text(_report_file(out / "report", lang, "pdf")),) * 2
                   + (gatekit.pdf_text(_report_file(built / "report", lang, "pdf")),),
        }
        for output, (shown, searchable, baseline) in outputs.items():
            for leak in gatekit.new_leaks(shown, baseline):
                needle = leak.split("'")[1]
                problems.append(f"[{lang}] {output}: the reader sees source markup {leak}, e.g. "
                                f"…{gatekit.context(shown, needle, 50)}…")
            haystack = gatekit.compact(searchable)
            for marker in markers:
                if marker not in haystack:
                    problems.append(f"[{lang}] {output}: {marker} is missing — dropped: {CONSTRUCTS.get(marker, '?')}")
    assert not problems, (f"check accepted {name!r}, but the outputs are not what the editor wrote:\n- "
                          + "\n- ".join(problems))
