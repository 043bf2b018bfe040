"""A page's HTML, as the site shows it, cut into its top-level blocks; words marked in it.

The side-by-side view (sidebyside.py) shows each block as readers see it on the page —
citations formatted, links, emphasis, lists — not its Markdown. The page's HTML is the one
pandoc wrote for the site (render.py) from the page's blocks, one top-level element a
top-level block (the footnotes come after, in a section of their own): so the n-th element is
the n-th block. When that does not hold (a count that differs), None says so and the caller
shows the Markdown instead.

`mark_words` marks, in a block's HTML, the words added since an older text (<ins>) and puts
the words removed (<del>) where they were: on words only (punctuation and the formatting of
citations aside), so the old Markdown and the new HTML can be compared.
"""

from __future__ import annotations

import difflib
import re

from lxml import etree, html as lxml_html

_WORD = re.compile(r"\w+", re.UNICODE)
# Markdown that is not a word of the text: a link's address, ids and attributes, citations
# (shown formatted), footnote references, directives, values from data.
_MARKUP = re.compile(r"\]\([^)]*\)|\{[#.%][^{}]*\}|\{%[^%]*%\}|\{\{[^}]*\}\}|\[@[^\]]*\]|@[\w:.-]+|\[\^[^\]]*\]"
                     r"|^\s*(?:#{1,6}|[-*+]|\d+[.)]|[a-z][.)]|\|)\s", re.M)


def split_blocks(page_html: str, count: int) -> list[str] | None:
    """The HTML of each of a page's `count` top-level blocks, or None if they cannot be told apart."""
    try:
        parts = lxml_html.fragments_fromstring(page_html) if page_html.strip() else []
    except (etree.ParserError, ValueError):
        return None
    if parts and isinstance(parts[0], str):  # text before the first element: not a block
        return None
    elements = [p for p in parts if not (p.tag == "section" and "footnotes" in (p.get("class") or ""))]
    if len(elements) != count:
        return None
    return [lxml_html.tostring(e, encoding="unicode", with_tail=False) for e in elements]


def plain_words(markdown: str) -> list[str]:
    """The words a Markdown text shows, its markup aside."""
    return _WORD.findall(_MARKUP.sub(" ", markdown))


def mark_words(block_html: str, old_markdown: str) -> str:
    """The block's HTML with the words not in `old_markdown` in <ins>, and those no longer
    there in <del> where they were."""
    try:
        root = lxml_html.fragment_fromstring(block_html, create_parent="div")
    except (etree.ParserError, ValueError):
        return block_html
    slots = []  # (element, "text" | "tail") of every text node with words, in reading order

    def visit(element) -> None:
        skip = "citation" in (element.get("class") or "").split()
        if element.text and not skip:
            slots.append((element, "text"))
        for child in element:
            if isinstance(child.tag, str):
                visit(child)
            if child.tail:
                slots.append((child, "tail"))

    visit(root)
    pieces = []  # (slot index, token, is_word)
    for n, (element, attr) in enumerate(slots):
        for token in re.findall(r"\w+|\W+", getattr(element, attr), re.UNICODE):
            pieces.append((n, token, bool(_WORD.fullmatch(token))))
    new_words = [k for k, piece in enumerate(pieces) if piece[2]]
    old = plain_words(old_markdown)
    new = [pieces[k][1] for k in new_words]
    inserted, removed_before = set(), {}
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag in ("replace", "insert"):
            inserted.update(new_words[j1:j2])
        if tag in ("replace", "delete"):
            at = new_words[j1] if j1 < len(new_words) else len(pieces)
            removed_before.setdefault(at, []).extend(old[i1:i2])
    if not inserted and not removed_before:
        return block_html
    by_slot: dict[int, list] = {}
    for k, (n, token, _word) in enumerate(pieces):
        by_slot.setdefault(n, []).append((k, token))
    last_slot = len(slots) - 1
    for n, (element, attr) in reversed(list(enumerate(slots))):
        parts = []
        for k, token in by_slot.get(n, []):
            if k in removed_before:
                parts.append(("del", " ".join(removed_before[k]) + " "))
            parts.append(("ins" if k in inserted else "", token))
        if n == last_slot and len(pieces) in removed_before:
            parts.append(("del", " " + " ".join(removed_before[len(pieces)])))
        _write(element, attr, parts)
    return "".join(lxml_html.tostring(child, encoding="unicode") if isinstance(child.tag, str) else ""
                   for child in root) if len(root) else lxml_html.tostring(root, encoding="unicode")


def _write(element, attr: str, parts: list[tuple[str, str]]) -> None:
    """A text node replaced by its pieces, the marked ones as <ins>/<del> elements."""
    leading, made = [], []
    for mark, value in parts:
        if not mark:
            if made:
                made[-1].tail = (made[-1].tail or "") + value
            else:
                leading.append(value)
            continue
        node = etree.Element(mark)
        node.text = value
        made.append(node)
    if attr == "text":
        element.text = "".join(leading)
        for position, node in enumerate(made):
            element.insert(position, node)
    else:
        element.tail = "".join(leading)
        parent = element.getparent()
        at = parent.index(element) + 1
        for offset, node in enumerate(made):
            parent.insert(at + offset, node)


def rebased(block_html: str, page_url: str, here_url: str) -> str:
    """A block of one page shown in another (`here_url`): its addresses made relative to it,
    its ids dropped (the other page shows both languages: an id would be there twice), a link
    inside the page pointing to that page."""
    import posixpath

    from .render import relative_url

    try:
        root = lxml_html.fragment_fromstring(block_html, create_parent="div")
    except (etree.ParserError, ValueError):
        return block_html
    base = page_url if page_url.endswith("/") or not page_url else posixpath.dirname(page_url) + "/"
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        element.attrib.pop("id", None)
        for attr in ("href", "src"):
            value = element.get(attr)
            if value is None or re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:|^/", value):
                continue
            if value.startswith("#"):
                element.set(attr, relative_url(here_url, page_url) + value)
                continue
            path, _, fragment = value.partition("#")
            target = posixpath.normpath(posixpath.join(base, path)) + ("/" if path.endswith("/") else "")
            element.set(attr, relative_url(here_url, target.lstrip("./") if target != "." else "")
                        + (f"#{fragment}" if fragment else ""))
    return "".join(lxml_html.tostring(child, encoding="unicode") for child in root)
