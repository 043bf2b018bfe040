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

from .pandoc_ast import LEAVES, Node, children, copy_tree, to_json

_STYLE_CLASS = re.compile(rb"<style\b[^>]*\bclass=\"([^\"]+)\"")


def repeats_alike(csl: Path) -> bool:
    """Whether the style formats a citation the same wherever it is repeated: it never asks for
    a citation's position (first, subsequent, ibid...). Then citeproc is given each distinct
    citation once (the year suffixes, names and numbers it disambiguates by depend on which
    works are cited, not on how often)."""
    try:
        return b"position=" not in Path(csl).read_bytes()
    except OSError:
        return False


def in_text_style(csl: Path) -> bool:
    try:
        m = _STYLE_CLASS.search(Path(csl).read_bytes()[:4096])
    except OSError:
        return False
    return bool(m) and m.group(1) == b"in-text"


class CitationsOnly:
    """The citations of a document and its reference-list Div, and the way back."""

    def __init__(self, doc: dict, refs_id: str, alike: bool = False):
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
        # `alike` (repeats_alike): each distinct citation is given once, in the order of its first use.
        self.given: list[int] = []  # each citation's place among those given to citeproc
        distinct: dict[str, int] = {}
        given: list[Node] = []
        for n, cite in enumerate(self.cites):
            key = to_json([[c["citationId"], c["citationPrefix"], c["citationSuffix"], c["citationMode"]]
                           for c in cite["c"][0]]) if alike else str(n)  # (not alike: each its own)
            if key not in distinct:
                distinct[key] = len(given)
                given.append(cite)
            self.given.append(distinct[key])
        self.doc = {"pandoc-api-version": doc["pandoc-api-version"], "meta": doc["meta"],
                    "blocks": [{"t": "Para", "c": [cite]} for cite in given] + copy_tree(self.refs)}

    def put_back(self, out: dict) -> bool:
        """Citeproc's output (of `self.doc`) into the document's nodes; False if its shape is
        not the one expected (then the caller runs citeproc on the whole document)."""
        blocks = out.get("blocks", [])
        count = len(blocks) - len(self.refs)
        if count != len(set(self.given)):
            return False
        formatted = []
        for block in blocks[:count]:
            if block.get("t") != "Para" or len(block["c"]) != 1 or block["c"][0].get("t") != "Cite":
                return False
            formatted.append(block["c"][0])
        divs = blocks[count:]
        if any(d.get("t") != "Div" for d in divs):
            return False
        put: set[int] = set()
        for node, i in zip(self.cites, self.given):
            if i in put:  # a repeated citation: its own citations, a copy of the text citeproc made
                node["c"] = [node["c"][0], copy_tree(formatted[i]["c"][1])]
            else:
                node["c"] = formatted[i]["c"]
                put.add(i)
        for node, new in zip(self.refs, divs):
            node["c"] = new["c"]
        return True

