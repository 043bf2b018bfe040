"""Organizations cited in the document's language (organization_names.py, report.yml's
`organizations`): the CSL JSON citeproc gets for a language names them in that language."""

from __future__ import annotations

import copy

from wcoreport.sources.metadata import Metadata
from wcoreport.bibliography.organization_names import localize_names

NAMES = [{"en": "World Customs Organization", "fr": "Organisation mondiale des douanes"},
         {"en": "World Trade Organization", "fr": "Organisation mondiale du commerce"}]


def _meta() -> Metadata:
    return Metadata.model_validate({
        "title": {"en": "T", "fr": "T"}, "code": {"en": "C", "fr": "C"}, "committee": {"en": "C", "fr": "C"},
        "sessions": [1], "place": {"en": "P", "fr": "P"}, "date": "2026-01-01", "agenda_item": "I",
        "summary": {"purpose": {"en": "p", "fr": "p"}, "action": {"en": "a", "fr": "a"}},
        "author": {"en": "World Customs Organization", "fr": "Organisation mondiale des douanes"},
        "organizations": NAMES})


def test_names_in_each_direction():
    meta = _meta()
    assert meta.organization_names("fr") == {"World Customs Organization": "Organisation mondiale des douanes",
                                             "World Trade Organization": "Organisation mondiale du commerce"}
    assert meta.organization_names("en") == {"Organisation mondiale des douanes": "World Customs Organization",
                                             "Organisation mondiale du commerce": "World Trade Organization"}
    assert meta.author_in("fr") == "Organisation mondiale des douanes"


def test_authors_and_publishers_are_named_in_the_language():
    items = [{"id": "a", "type": "report",
              "author": [{"literal": "World Customs Organization"}, {"literal": "World Trade Organization"},
                         {"family": "Okafor", "given": "Ada"}],
              "editor": [{"literal": "World Customs Organizations Network"}],
              "publisher": "World Customs Organization and World Trade Organization",
              "title": "A report of the World Customs Organization"}]
    given = copy.deepcopy(items)
    out = localize_names(items, _meta().organization_names("fr"))
    assert items == given  # not changed in place
    assert out[0]["author"] == [{"literal": "Organisation mondiale des douanes"},
                                {"literal": "Organisation mondiale du commerce"}, {"family": "Okafor", "given": "Ada"}]
    assert out[0]["editor"] == [{"literal": "World Customs Organizations Network"}]  # another name
    assert out[0]["publisher"] == "Organisation mondiale des douanes and Organisation mondiale du commerce"
    assert out[0]["title"] == "A report of the World Customs Organization"  # a title is the work's own words


def test_without_declared_names_nothing_changes():
    items = [{"id": "a", "type": "book", "author": [{"literal": "World Customs Organization"}]}]
    assert localize_names(items, {}) is items
