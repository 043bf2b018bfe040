"""How much of a realistic review survives `import-docx --apply`.

    python bench/roundtrip_survival.py [--edits 60] [--seed 1] [--lang en] [--libreoffice]

Builds the DOCX of a scratch copy of the repository, makes random edits a reviewer makes
(tracked insertions, deletions and replacements of words, and the same without tracking,
anywhere in body paragraphs, list items, table cells, headings and boxes, next to citations
too), optionally saves the file through LibreOffice, imports it with --apply, rebuilds the
report from the patched sources, and compares each block's text with the reviewer's:

- applied exactly: the rebuilt block reads as the reviewer left it;
- reported: not applied, and listed by the import (e.g. an edit in a case-study box);
- lost or wrong: neither (the number that must stay at 0);
- collateral: blocks the reviewer did not touch that changed (must be 0).
"""

from __future__ import annotations

import argparse
import random
import re
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from conftest import copy_repo, run_build  # noqa: E402
from docx_edits import DocxEditor  # noqa: E402

WORDS = ["notably", "revised", "regional", "digital", "(draft)", "new", "several"]


def make_edits(editor: DocxEditor, count: int, rng: random.Random) -> int:
    """Random word edits in distinct paragraphs; the number made."""
    candidates = [p for p in editor.paragraphs() if len(re.findall(r"\w{4,}", editor._text(p))) >= 3]
    made = 0
    for p in rng.sample(candidates, min(count, len(candidates))):
        text = editor._text(p)
        words = [m for m in re.finditer(r"[^\W\d_]{4,}", text)]
        target = rng.choice(words[1:] if len(words) > 1 else words).group(0)
        if text.count(target) != 1:
            continue
        kind = rng.choice(["insert", "delete", "replace"])
        tracked = rng.random() < 0.7
        try:
            if kind == "insert":
                editor.insert(p, target, " " + rng.choice(WORDS), tracked=tracked)
            elif kind == "delete":
                editor.delete(p, " " + target if (" " + target) in text else target, tracked=tracked)
            else:
                editor.replace(p, target, rng.choice(WORDS), tracked=tracked)
        except (AssertionError, ValueError, IndexError):
            continue
        made += 1
    return made


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--edits", type=int, default=60)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--lang", default="en")
    parser.add_argument("--libreoffice", action="store_true", help="save the edited DOCX through LibreOffice")
    args = parser.parse_args()
    sys.path.insert(0, str(HERE.parent / "src"))
    from wcoreport.markdown.gate import check_project
    from wcoreport.sources.project import load_project
    from wcoreport.report.edited_docx import read_edited
    from wcoreport.report.provenance import provenance
    from wcoreport.report.roundtrip import rebuild
    from wcoreport.report.source_tokens import rendered_tokens

    with tempfile.TemporaryDirectory() as work:
        root = copy_repo(Path(work) / "repo")
        proc = run_build("report", "--format", "docx", "--lang", args.lang, "--root", str(root), cwd=root)
        assert proc.returncode == 0, proc.stderr
        built = next((root / "build" / "report").glob(f"*-{args.lang}.docx"))
        original = read_edited(built.read_bytes())
        editor = DocxEditor(built)
        made = make_edits(editor, args.edits, random.Random(args.seed))
        edited = editor.save(Path(work) / "edited.docx")
        if args.libreoffice:
            out = Path(work) / "lo"
            subprocess.run(["soffice", "--headless", "--convert-to", "docx:MS Word 2007 XML", "--outdir",
                            str(out), str(edited)], capture_output=True, check=True, timeout=300)
            edited = out / edited.name
        proc = run_build("import-docx", str(edited), "--apply", "--root", str(root), cwd=root)
        if proc.returncode != 0:
            print(proc.stderr)
            return 1
        reported = [ln for ln in proc.stderr.splitlines() if "not imported" in ln]
        wanted = read_edited(edited.read_bytes())
        project = load_project(root)
        analysis = check_project(project)
        if project.problems.errors:
            print("the patched sources have errors:", *project.problems.items, sep="\n  ")
        rebuilt, anchors = rebuild(project, analysis, args.lang, provenance(project, analysis, args.lang))

        def words(text: str) -> list[str]:
            return [t.norm for t in rendered_tokens(text)]

        edited_blocks = [k for k in original.regions if words(original.regions[k]) != words(wanted.regions.get(k, ""))]
        exact = [k for k in edited_blocks if words(rebuilt.regions.get(k, "")) == words(wanted.regions.get(k, ""))]
        collateral = [k for k in original.regions if k not in edited_blocks
                      and words(rebuilt.regions.get(k, "")) != words(original.regions[k])]
        missed = len(edited_blocks) - len(exact)
        print(f"edits made: {made} in {len(edited_blocks)} blocks ({args.lang}"
              f"{', saved by LibreOffice' if args.libreoffice else ''})")
        print(f"applied exactly: {len(exact)}/{len(edited_blocks)} blocks")
        print(f"reported as not imported: {len(reported)}; not applied: {missed}")
        print(f"lost without a report: {max(0, missed - len(reported))}")
        print(f"collateral changes in untouched blocks: {len(collateral)}")
        for line in reported:
            print("  ", line.strip()[:160])
        for k in edited_blocks:
            if k not in exact:
                where = anchors[k].where if k >= 0 else "front matter"
                print(f"   not applied at {where}:\n     wanted:  {wanted.regions.get(k, '')[:300]!r}"
                      f"\n     rebuilt: {rebuilt.regions.get(k, '')[:300]!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
