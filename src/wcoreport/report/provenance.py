"""What a DOCX of the report carries so that its edited copy can be read back (roundtrip.py).

Two things, both invisible to a reader of the document:

- **Anchors**: each top-level block of a chapter (each block after a `// source-line` mark of
  assemble.py) is wrapped in a Div with the id `wco_src_N`, N counting the marks in document
  order. pandoc's DOCX writer makes the id a bookmark around the block. The edited copy is
  compared with a rebuild from the same sources block by block, through these bookmarks.
- **Provenance**: custom document properties with the format version, the language, the git
  commit (if the sources are a git work tree) and the sha256 of every source file the
  language's report was built from. One property a file: Word keeps custom properties of at
  most 255 characters.

Only the DOCX gets them (the PDF has no use for them), and the same sources give the same
bytes: nothing here depends on the time or the machine.
"""

from __future__ import annotations

import hashlib
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..markdown.pandoc_ast import Node
from .assemble import SOURCE_LINE

if TYPE_CHECKING:
    from ..markdown.gate import ProjectAnalysis
    from ..sources.project import Project

FORMAT = "1"
ANCHOR_PREFIX = "wco_src_"
# Custom property names (docProps/custom.xml).
P_FORMAT = "wcoreport-format"
P_LANG = "wcoreport-lang"
P_COMMIT = "wcoreport-commit"
P_SOURCE = "wcoreport-source "  # + the file's path relative to the repository
# Shared inputs of every language's report: a change in one changes the text of the report
# (citations, numbering, titles), so a DOCX built before it cannot be compared with a rebuild.
SHARED = ("mkdocs.yml", "report.yml", "technologies.yml", "references.bib")


@dataclass(frozen=True)
class Provenance:
    lang: str
    commit: str  # "" when the sources are not a git work tree
    sources: dict[str, str]  # path relative to the repository -> sha256 of its text (sha256)

    def properties(self) -> dict[str, str]:
        props = {P_FORMAT: FORMAT, P_LANG: self.lang, P_COMMIT: self.commit}
        props.update({P_SOURCE + path: digest for path, digest in sorted(self.sources.items())})
        return props

    @classmethod
    def from_properties(cls, props: dict[str, str]) -> "Provenance | None":
        if props.get(P_FORMAT) != FORMAT or P_LANG not in props:
            return None
        sources = {k[len(P_SOURCE):]: v for k, v in props.items() if k.startswith(P_SOURCE)}
        return cls(props[P_LANG], props.get(P_COMMIT, ""), sources)


def sha256(path: Path) -> str:
    """The hash of a source's text as the build reads it (yamlfile.read_text): the same file
    saved on Windows (a byte-order mark, CRLF line ends) has the same hash, and the DOCX the
    same bytes."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return hashlib.sha256(data).hexdigest()
    return hashlib.sha256(text.replace("\r\n", "\n").replace("\r", "\n").encode("utf-8")).hexdigest()


def source_files(project: "Project", analysis: "ProjectAnalysis", lang: str) -> list[Path]:
    """Every file the report of `lang` is made from."""
    files: list[Path] = [project.root / name for name in SHARED]
    found = analysis.languages[lang]
    for chapter in project.report_chapters():
        page = found.pages.get(chapter.name)
        if page is not None:
            files.append(page.path)
            files.extend(page.includes)
    for study in project.casestudies.values():
        files += [study.folder / "casestudy.yml", study.text_path(lang)]
    csl = project.metadata.csl if project.metadata else None
    if csl and (project.root / csl).is_file():
        files.append(project.root / csl)
    return [f for f in dict.fromkeys(files) if f.is_file()]


def git_commit(root: Path) -> str:
    """The commit checked out at `root`, or "" (not a git work tree, or git missing)."""
    try:
        proc = subprocess.run(["git", "rev-parse", "--verify", "-q", "HEAD"], cwd=root,
                              capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.SubprocessError):
        return ""
    return proc.stdout.strip() if proc.returncode == 0 else ""


def provenance(project: "Project", analysis: "ProjectAnalysis", lang: str) -> Provenance:
    sources = {project.problems.relative(path): sha256(path) for path in source_files(project, analysis, lang)}
    return Provenance(lang, git_commit(project.root), sources)


def changed_sources(project_root: Path, recorded: Provenance) -> list[str]:
    """The recorded files that differ now (or are gone), as paths relative to the repository."""
    changed = []
    for rel, digest in sorted(recorded.sources.items()):
        path = project_root / rel
        if not path.is_file() or sha256(path) != digest:
            changed.append(rel)
    return changed


def is_mark(block: Node) -> bool:
    return block.get("t") == "RawBlock" and block["c"][1].startswith(f"// {SOURCE_LINE} ")


def anchor_blocks(doc: dict) -> dict:
    """The document (rendered for DOCX) with every marked block inside an anchor Div.

    The marks are at the top level, and inside the Divs the DOCX rendering keeps (annexes are
    spliced at the top level by styled_blocks.py). Returns a new document; `doc` is unchanged."""
    count = 0

    def blocks(items: list[Node]) -> list[Node]:
        nonlocal count
        out: list[Node] = []
        pending = False
        for block in items:
            if is_mark(block):
                out.append(block)
                pending = True
                continue
            if pending:
                out.append({"t": "Div", "c": [[f"{ANCHOR_PREFIX}{count}", [], []], [block]]})
                count += 1
                pending = False
                continue
            if block.get("t") == "Div" and any(is_mark(b) for b in block["c"][1]):
                block = {"t": "Div", "c": [block["c"][0], blocks(block["c"][1])]}
            out.append(block)
        return out

    return {**doc, "blocks": blocks(doc["blocks"])}
