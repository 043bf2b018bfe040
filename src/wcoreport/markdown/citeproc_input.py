"""citeproc given the citations alone, so that an edit that changes no citation reuses its run.

With a style of class `in-text` (author-date, numeric: no notes), what citeproc writes for a
citation depends on the citations before it, in order, and on the bibliography, never on the
text around it; the reference list depends on the citations and `nocite`. So citeproc is given
a document of only the citations, one a paragraph in document order, and the `#refs` Div; its
output is put back in place of each citation and of the Div. The run is then kept by the
content of that document (cache.py): a text edit that moves, adds or removes no citation finds
it. A note style (citations become footnotes, punctuation moves around them) gets the whole
document, as before.
"""

from __future__ import annotations

import re
from pathlib import Path

from .pandoc_ast import LEAVES, Node, children, copy_tree

_STYLE_CLASS = re.compile(rb"<style\b[^>]*\bclass=\"([^\"]+)\"")


def in_text_style(csl: Path) -> bool:
    try:
        m = _STYLE_CLASS.search(Path(csl).read_bytes()[:4096])
    except OSError:
        return False
    return bool(m) and m.group(1) == b"in-text"


class CitationsOnly:
    """The citations of a document and its reference-list Div, and the way back."""

    def __init__(self, doc: dict, refs_id: str):
        self.cites: list[Node] = []
        self.refs: list[Node] = []
        # A citation inside another's prefix or suffix, or in the Div, would be formatted twice.
        self.nested = False

        def visit(nodes: list, inside: bool) -> None:  # (in document order, the words passed over)
            for node in nodes:
                if type(node) is not dict or node.get("t") in LEAVES:
                    continue
                below = inside
                if node["t"] == "Cite":
                    self.cites.append(node)
                    self.nested |= inside
                    below = True
                elif node["t"] == "Div" and node["c"][0][0] == refs_id:
                    self.refs.append(node)
                    below = True
                for child in children(node):
                    visit(child, below)

        visit(doc["blocks"], False)
        self.usable = not self.nested and len(self.refs) <= 1
        self.doc = {"pandoc-api-version": doc["pandoc-api-version"], "meta": doc["meta"],
                    "blocks": [{"t": "Para", "c": [cite]} for cite in self.cites] + copy_tree(self.refs)}

    def put_back(self, out: dict) -> bool:
        """Citeproc's output (of `self.doc`) into the document's nodes; False if its shape is
        not the one expected (then the caller runs citeproc on the whole document)."""
        blocks = out.get("blocks", [])
        if len(blocks) != len(self.cites) + len(self.refs):
            return False
        formatted = []
        for block in blocks[:len(self.cites)]:
            if block.get("t") != "Para" or len(block["c"]) != 1 or block["c"][0].get("t") != "Cite":
                return False
            formatted.append(block["c"][0])
        divs = blocks[len(self.cites):]
        if any(d.get("t") != "Div" for d in divs):
            return False
        for node, new in zip(self.cites, formatted):
            node["c"] = new["c"]
        for node, new in zip(self.refs, divs):
            node["c"] = new["c"]
        return True

