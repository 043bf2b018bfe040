"""Editing a built DOCX as a reviewer does in Word, in raw OOXML (lxml): tracked insertions and
deletions (w:ins, w:del), edits made without tracking, comments (comments.xml + range marks).

Each edit finds its place by the text the reviewer sees, within one paragraph, splitting the
runs there as Word does when one types in the middle of a run.
"""

from __future__ import annotations

import copy
import zipfile
from pathlib import Path

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
DATE = "2026-02-01T10:00:00Z"


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


class DocxEditor:
    def __init__(self, path: Path):
        self.path = Path(path)
        with zipfile.ZipFile(self.path) as z:
            self.entries = [(info, z.read(info)) for info in z.infolist()]
        self.parts = dict((info.filename, data) for info, data in self.entries)
        self.doc = etree.fromstring(self.parts["word/document.xml"])
        self.comments = etree.fromstring(self.parts["word/comments.xml"])
        self.next_id = 9000

    # --- finding text ---------------------------------------------------------------
    def paragraph(self, text, nth: int = 0):
        """The nth paragraph (w:p) whose visible text contains `text` (or `text` itself, a w:p)."""
        if not isinstance(text, str):
            return text
        found = [p for p in self.doc.iter(w("p")) if text in self._text(p)]
        if len(found) <= nth:
            raise AssertionError(f"no paragraph with {text!r} in {self.path.name}")
        return found[nth]

    @staticmethod
    def _runs(p):
        return [r for r in p.iter(w("r")) if r.find(w("t")) is not None
                and r.getparent().tag != w("del")]

    def paragraphs(self) -> list:
        return list(self.doc.iter(w("p")))

    def _text(self, p) -> str:
        return "".join(r.find(w("t")).text or "" for r in self._runs(p))

    def _split(self, p, offset: int):
        """Split the runs of p so that a run starts at character `offset`; that run (or None at the end)."""
        pos = 0
        for run in self._runs(p):
            t = run.find(w("t"))
            text = t.text or ""
            if pos == offset:
                return run
            if pos < offset < pos + len(text):
                k = offset - pos
                second = copy.deepcopy(run)
                t.text = text[:k]
                t.set(XML_SPACE, "preserve")
                second.find(w("t")).text = text[k:]
                second.find(w("t")).set(XML_SPACE, "preserve")
                run.addnext(second)
                return second
            pos += len(text)
        return None

    def _covered(self, p, text: str, nth: int = 0):
        full = self._text(p)
        start = -1
        for _ in range(nth + 1):
            start = full.index(text, start + 1)
        end = start + len(text)
        self._split(p, start)
        self._split(p, end)
        pos, runs = 0, []
        for run in self._runs(p):
            length = len(run.find(w("t")).text or "")
            if start <= pos and pos + length <= end and length:
                runs.append(run)
            pos += length
        return runs

    def _id(self) -> str:
        self.next_id += 1
        return str(self.next_id)

    # --- edits ----------------------------------------------------------------------
    def insert(self, where: str, after: str, new: str, author: str = "Reviewer", tracked: bool = True) -> None:
        """Type `new` right after `after` in the paragraph that contains `where`."""
        p = self.paragraph(where)
        runs = self._covered(p, after)
        last = runs[-1]
        if not tracked:
            t = last.find(w("t"))
            t.text = (t.text or "") + new
            t.set(XML_SPACE, "preserve")
            return
        ins = etree.Element(w("ins"), {w("id"): self._id(), w("author"): author, w("date"): DATE})
        run = copy.deepcopy(last)
        run.find(w("t")).text = new
        run.find(w("t")).set(XML_SPACE, "preserve")
        ins.append(run)
        last.addnext(ins)

    def delete(self, where: str, old: str, author: str = "Reviewer", tracked: bool = True) -> None:
        """Delete `old` in the paragraph that contains `where`."""
        p = self.paragraph(where)
        runs = self._covered(p, old)
        if not tracked:
            for run in runs:
                run.getparent().remove(run)
            return
        deletion = etree.Element(w("del"), {w("id"): self._id(), w("author"): author, w("date"): DATE})
        runs[0].addprevious(deletion)
        for run in runs:
            t = run.find(w("t"))
            t.tag = w("delText")
            deletion.append(run)

    def replace(self, where: str, old: str, new: str, author: str = "Reviewer", tracked: bool = True) -> None:
        if tracked:
            p = self.paragraph(where)
            runs = self._covered(p, old)
            deletion = etree.Element(w("del"), {w("id"): self._id(), w("author"): author, w("date"): DATE})
            ins = etree.Element(w("ins"), {w("id"): self._id(), w("author"): author, w("date"): DATE})
            new_run = copy.deepcopy(runs[0])
            new_run.find(w("t")).text = new
            new_run.find(w("t")).set(XML_SPACE, "preserve")
            ins.append(new_run)
            runs[0].addprevious(deletion)
            for run in runs:
                run.find(w("t")).tag = w("delText")
                deletion.append(run)
            deletion.addnext(ins)
        else:
            p = self.paragraph(where)
            runs = self._covered(p, old)
            runs[0].find(w("t")).text = new
            for run in runs[1:]:
                run.getparent().remove(run)

    def comment(self, where: str, on: str, text: str, author: str = "Reviewer") -> None:
        p = self.paragraph(where)
        runs = self._covered(p, on)
        cid = self._id()
        runs[0].addprevious(etree.Element(w("commentRangeStart"), {w("id"): cid}))
        end = etree.Element(w("commentRangeEnd"), {w("id"): cid})
        runs[-1].addnext(end)
        ref = etree.Element(w("r"))
        etree.SubElement(ref, w("commentReference"), {w("id"): cid})
        end.addnext(ref)
        c = etree.SubElement(self.comments, w("comment"), {w("id"): cid, w("author"): author, w("date"): DATE,
                                                           w("initials"): author[:1]})
        cp = etree.SubElement(c, w("p"))
        cr = etree.SubElement(cp, w("r"))
        ct = etree.SubElement(cr, w("t"))
        ct.text = text

    def save(self, target: Path) -> Path:
        self.parts["word/document.xml"] = etree.tostring(self.doc, xml_declaration=True, encoding="UTF-8",
                                                          standalone=True)
        self.parts["word/comments.xml"] = etree.tostring(self.comments, xml_declaration=True, encoding="UTF-8",
                                                          standalone=True)
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
            for info, _ in self.entries:
                z.writestr(info.filename, self.parts[info.filename])
        return Path(target)
