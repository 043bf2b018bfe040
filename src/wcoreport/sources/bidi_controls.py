"""Unicode bidirectional control characters: invisible, and they change the order in which the
text around them is shown ("Trojan Source"). In a name that a machine compares (a heading id, a
file name, a citation key), what the editor sees is then not what is there: a link or citation
that looks right points elsewhere, two keys that look alike differ. The checks of those names
refuse them; `find` says which one and where.
"""

from __future__ import annotations

import re
import unicodedata

# Embeddings and overrides (U+202A-U+202E), isolates (U+2066-U+2069), and the marks
# (LRM U+200E, RLM U+200F, Arabic letter mark U+061C).
BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")

HINT = ("an invisible character that reorders how the text around it is shown, so that what "
        "you see is not what is there; delete it (retype the name)")


def describe(char: str) -> str:
    """'U+202E (RIGHT-TO-LEFT OVERRIDE)'."""
    return f"U+{ord(char):04X} ({unicodedata.name(char, 'bidirectional control')})"


def find(text: str) -> str | None:
    """The description of the first bidirectional control character in `text`, if any."""
    found = BIDI.search(text)
    return describe(found.group()) if found else None


def shown(text: str) -> str:
    """`text` as it can be printed in a message: each control character as <U+XXXX>."""
    return BIDI.sub(lambda m: f"<U+{ord(m.group()):04X}>", text)
