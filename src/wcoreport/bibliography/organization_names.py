"""Organizations cited in the document's language (report.yml's `organizations`).

references.bib names an organization once, in one language (`author = {{World Customs
Organization}}`); a French report must cite it as "(Organisation mondiale des douanes 2025)".
BibTeX has no standard field for a name in several languages, so the names are declared once
in report.yml, and the CSL JSON that citeproc gets for a language (bibliography.write_csl_json)
has each declared name in that language: an author, editor... given as one name (`literal`),
and the publisher (publisher, institution, organization) where the name stands as a whole.
"""

from __future__ import annotations

import re
from typing import Any

# The CSL variables that hold names (csl_json._NAMES' targets) and those that hold a publisher.
NAME_VARIABLES = ("author", "editor", "translator", "container-author", "director", "organizer", "commentator")
TEXT_VARIABLES = ("publisher", "authority")


def localize_names(items: list[dict[str, Any]], names: dict[str, str]) -> list[dict[str, Any]]:
    """`items` (CSL JSON) with every name of `names` (a name -> the name in the document's
    language) replaced; the items given are not changed."""
    if not names:
        return items
    # The longest name first: "World Customs Organization Secretariat" before its start.
    pattern = re.compile("|".join(rf"(?<!\w){re.escape(n)}(?!\w)" for n in sorted(names, key=len, reverse=True)))
    out = []
    for item in items:
        item = dict(item)
        for variable in NAME_VARIABLES:
            if variable in item:
                item[variable] = [{**n, "literal": names[n["literal"]]} if n.get("literal") in names else n
                                  for n in item[variable]]
        for variable in TEXT_VARIABLES:
            if isinstance(item.get(variable), str):
                item[variable] = pattern.sub(lambda m: names[m.group(0)], item[variable])
        out.append(item)
    return out
