"""Every text the toolchain itself shows to readers, in each language: one table.

A string missing in a language is a build error (`text` raises), never a silent fallback to
English: `check_strings` reports it for every language of the site before anything is built.
"""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    # Case studies (box, catalogue, own page)
    "casestudy": {"en": "Case study", "fr": "Étude de cas"},
    "member": {"en": "Member", "fr": "Membre"},
    "region": {"en": "Region", "fr": "Région"},
    "technologies": {"en": "Technologies", "fr": "Technologies"},
    "year": {"en": "Year", "fr": "Année"},
    "source": {"en": "Source", "fr": "Source"},
    "used_in": {"en": "Used in", "fr": "Cité dans"},
    # Figures and tables
    "fig": {"en": "Figure", "fr": "Figure"},
    "tbl": {"en": "Table", "fr": "Tableau"},
    # The report's front matter
    "toc_title": {"en": "Contents", "fr": "Table des matières"},
    "draft_notice": {"en": "DRAFT — not for citation", "fr": "PROJET — ne pas citer"},
    # Abbreviations (the report's generated list)
    "abbreviations": {"en": "Abbreviations", "fr": "Abréviations"},
    # Charts on the site: the disclosure that holds the chart's data as a table
    "chart_data": {"en": "Data of the chart", "fr": "Données du graphique"},
    # Footnotes on the site
    "footnotes": {"en": "Notes", "fr": "Notes"},
    "back_to_text": {"en": "Back to the text", "fr": "Retour au texte"},
}


class MissingString(KeyError):
    """A reader-facing string has no text in a language."""


def text(key: str, lang: str) -> str:
    try:
        return STRINGS[key][lang]
    except KeyError:
        raise MissingString(f"no text for '{key}' in language '{lang}' (add it to strings.py)") from None


def missing(languages: tuple[str, ...]) -> list[str]:
    """The (key, language) pairs without a text, as messages."""
    return [f"'{key}' has no text in '{lang}'" for key, texts in STRINGS.items()
            for lang in languages if not texts.get(lang)]
