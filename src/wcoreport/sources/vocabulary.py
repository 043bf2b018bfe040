"""Controlled vocabularies: technologies (from `technologies.yml`), WCO regions, sources."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .diagnostics import Problems
from .yamlfile import load_yaml_file

# The six WCO regions, with the names and abbreviations the WCO uses in each language.
REGIONS: dict[str, dict[str, str]] = {
    "esa": {"en": "East and Southern Africa", "fr": "Afrique orientale et australe",
            "en_abbr": "ESA", "fr_abbr": "AOA"},
    "wca": {"en": "West and Central Africa", "fr": "Afrique occidentale et centrale",
            "en_abbr": "WCA", "fr_abbr": "AOC"},
    "mena": {"en": "North of Africa, Near and Middle East",
             "fr": "Afrique du Nord, Proche et Moyen-Orient", "en_abbr": "MENA", "fr_abbr": "MENA"},
    "eur": {"en": "Europe", "fr": "Europe", "en_abbr": "EUR", "fr_abbr": "EUR"},
    "ap": {"en": "Asia/Pacific", "fr": "Asie/Pacifique", "en_abbr": "A/P", "fr_abbr": "A/P"},
    "ams": {"en": "Americas and Caribbean", "fr": "Amériques et Caraïbes",
            "en_abbr": "AMS", "fr_abbr": "AMS"},
}

# Where a case study came from.
SOURCES: dict[str, dict[str, str]] = {
    "survey": {"en": "Survey", "fr": "Enquête"},
    "portal": {"en": "Smart Customs Community Portal", "fr": "Portail communautaire Douanes intelligentes"},
    "study-mission": {"en": "Study mission", "fr": "Mission d'étude"},
    "project-report": {"en": "Project report", "fr": "Rapport du projet"},
    "meeting": {"en": "Meeting", "fr": "Réunion"},
}


# A case study's review status, in the order it goes through: `submitted` is a Member's text as
# imported from a survey (intake/), not yet taken up by an editor; it may not appear in the
# Council documents (markdown/gate.py). Chapters have the last three (chapters.py).
CASESTUDY_STATUSES = ("submitted", "draft", "review", "approved")


TECHNOLOGY_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass(frozen=True)
class Technology:
    id: str
    names: dict[str, str]


def load_technologies(path: Path, languages: tuple[str, ...], problems: Problems) -> dict[str, Technology]:
    if not path.is_file():
        problems.error(path, 0, "the technology vocabulary file is missing")
        return {}
    yd = load_yaml_file(path, problems)
    if yd is None:
        return {}
    if not isinstance(yd.data, dict) or not yd.data:
        problems.error(path, yd.line(()), "expected a mapping of technology ids to their names")
        return {}
    technologies: dict[str, Technology] = {}
    for tech_id, names in yd.data.items():
        line = yd.line((tech_id,))
        if not isinstance(tech_id, str) or not TECHNOLOGY_ID.match(tech_id):
            # Ids are written in case studies and become filter values of the site's catalogue.
            problems.error(path, line, f"technology id '{tech_id}' must be lower-case ASCII letters a-z, "
                                       "digits and '-', starting with a letter or digit")
            continue
        if not isinstance(names, dict):
            problems.error(path, line, f"technology '{tech_id}': expected its name in each language")
            continue
        for lang in languages:
            if not isinstance(names.get(lang), str) or not names[lang].strip():
                problems.error(path, line, f"technology '{tech_id}': the name in '{lang}' is missing")
        for key in names:
            if key not in languages:
                problems.error(path, yd.line((tech_id, key)), f"technology '{tech_id}': unknown key '{key}'")
        technologies[tech_id] = Technology(tech_id, {k: str(v) for k, v in names.items()})
    return technologies
