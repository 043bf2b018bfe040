"""The fields of a Member's submission: what the template asks, what a mapping names, and how a
cell's value becomes a value of the case-study model (casestudies.py, vocabulary.py).

Each resolver takes the cell's text and returns (value, None) or (None, message with a hint).
Names are accepted in either language of the site, or as ids / ISO codes.
"""

from __future__ import annotations

import datetime
import difflib
import re
import unicodedata
from dataclasses import dataclass

import babel

from ..sources.vocabulary import REGIONS, Technology


@dataclass(frozen=True)
class Field:
    key: str
    label: dict[str, str]  # the template's column header, per language
    required: bool
    help: dict[str, str]  # the instructions sheet's line, per language


FIELDS: tuple[Field, ...] = (
    Field("member", {"en": "Member", "fr": "Membre"}, True,
          {"en": "The WCO Member (country or customs territory), as in the list.",
           "fr": "Le Membre de l'OMD (pays ou territoire douanier), tel qu'il figure dans la liste."}),
    Field("administration", {"en": "Administration", "fr": "Administration"}, False,
          {"en": "The administration, when narrower than the Member (optional).",
           "fr": "L'administration, lorsqu'elle n'est pas le Membre tout entier (facultatif)."}),
    Field("region", {"en": "WCO region", "fr": "Région de l'OMD"}, True,
          {"en": "The WCO region of the Member.", "fr": "La région de l'OMD du Membre."}),
    Field("technologies", {"en": "Technologies", "fr": "Technologies"}, True,
          {"en": "One technology from the list; several are separated by semicolons (;).",
           "fr": "Une technologie de la liste ; séparez-en plusieurs par des points-virgules (;)."}),
    Field("year", {"en": "Year", "fr": "Année"}, True,
          {"en": "The year the initiative started or was reported.",
           "fr": "L'année où l'initiative a commencé ou a été présentée."}),
    Field("title", {"en": "Title of the initiative", "fr": "Titre de l'initiative"}, True,
          {"en": "A short title.", "fr": "Un titre court."}),
    Field("text", {"en": "Description", "fr": "Description"}, True,
          {"en": "What was done, why, and with what results. Paragraphs are kept; formatting is not.",
           "fr": "Ce qui a été fait, pourquoi et avec quels résultats. Les paragraphes sont conservés, "
                 "la mise en forme ne l'est pas."}),
    Field("language", {"en": "Language of the answers", "fr": "Langue des réponses"}, False,
          {"en": "The language you wrote in (by default, that of this form).",
           "fr": "La langue de vos réponses (par défaut, celle de ce formulaire)."}),
    Field("submitted", {"en": "Date", "fr": "Date"}, False,
          {"en": "The date of your answers (optional).", "fr": "La date de vos réponses (facultatif)."}),
)
FIELD = {f.key: f for f in FIELDS}
REQUIRED = tuple(f.key for f in FIELDS if f.required)

# Languages a Member may write in (the WCO's working languages and Spanish, in which many
# Members answer); a text in a language that is not a site language is kept untranslated in all.
LANGUAGES = {"en": {"en": "English", "fr": "anglais"}, "fr": {"en": "French", "fr": "français"},
             "es": {"en": "Spanish", "fr": "espagnol"}}
FIRST_YEAR = 2015  # the first year offered by the template's list
# Members the WCO names otherwise than the CLDR does (the CLDR's own names are accepted too).
MEMBER_ALIASES = {"Hong Kong, China": "HK", "Hong Kong": "HK", "Hong Kong, Chine": "HK",
                  "Macao, China": "MO", "Macau, China": "MO", "Macao, Chine": "MO", "Macao": "MO", "Macau": "MO"}


def folded(text: str) -> str:
    """Text compared without case, accents, punctuation or extra spaces."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def _closest(value: str, names: dict[str, str]) -> str:
    """A hint: the known name closest to `value` (`names`: folded name -> shown name)."""
    close = difflib.get_close_matches(folded(value), list(names), n=1, cutoff=0.5)
    return f" (did you mean '{names[close[0]]}'?)" if close else ""


class Resolvers:
    """Cell text -> model values, for one project's vocabulary and languages."""

    def __init__(self, technologies: dict[str, Technology], languages: tuple[str, ...]):
        self.languages = languages
        self.technologies: dict[str, str] = {}  # folded id or name -> id
        self.tech_shown: dict[str, str] = {}  # folded -> what the hint shows
        for tech in technologies.values():
            for name in (tech.id, *tech.names.values()):
                self.technologies[folded(name)] = tech.id
                self.tech_shown[folded(name)] = name
        self.regions: dict[str, str] = {}
        for rid, names in REGIONS.items():
            for name in (rid, *names.values()):
                self.regions[folded(name)] = rid
        self.members: dict[str, str] = {}
        self.member_shown: dict[str, str] = {}  # folded name -> the name as the hint shows it
        for lang in dict.fromkeys(("en", *languages)):
            for code, name in babel.Locale.parse(lang).territories.items():
                if re.fullmatch(r"[A-Z]{2}", code):
                    self.members.setdefault(folded(name), code)
                    self.members.setdefault(folded(code), code)
                    self.member_shown.setdefault(folded(name), name)
        self.members |= {folded(name): code for name, code in MEMBER_ALIASES.items()}
        self.language_names = {folded(n): code for code, names in LANGUAGES.items()
                               for n in (code, *names.values())}
        self.language_names |= {folded(babel.Locale.parse(code).get_display_name(code) or code): code
                                 for code in LANGUAGES}

    def member(self, text: str) -> tuple[str | None, str | None]:
        code = self.members.get(folded(text))
        if code:
            return code, None
        return None, (f"unknown Member '{text}'{_closest(text, self.member_shown)}: give its name as in the "
                      "list, or its ISO code")

    def region(self, text: str) -> tuple[str | None, str | None]:
        rid = self.regions.get(folded(text))
        if rid:
            return rid, None
        shown = {folded(n): n for names in REGIONS.values() for n in names.values()}
        return None, f"unknown WCO region '{text}'{_closest(text, shown)}"

    def technologies_of(self, text: str) -> tuple[list[str] | None, str | None]:
        found: list[str] = []
        for part in re.split(r"[;\n]+", text):
            part = part.strip()
            if not part:
                continue
            tid = self.technologies.get(folded(part))
            if tid is None:
                return None, (f"unknown technology '{part}'{_closest(part, self.tech_shown)}: "
                              "use a technology of technologies.yml (separate several with ';')")
            if tid not in found:
                found.append(tid)
        if not found:
            return None, "no technology given"
        return found, None

    def language(self, text: str) -> tuple[str | None, str | None]:
        code = self.language_names.get(folded(text))
        if code:
            return code, None
        return None, f"unknown language '{text}' (known: {', '.join(LANGUAGES)}, or their names)"


def year_of(value: object) -> tuple[int | None, str | None]:
    """A year from a number, a date, an Excel serial day number or text."""
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.year, None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        if 1952 <= value <= 2100:
            return value, None
        if 18264 <= value <= 73051:  # an Excel serial day number (1950..2099) shown without a date format
            return serial_date(value).year, None
        return None, f"'{value}' is not a year"
    text = str(value).strip()
    match = re.fullmatch(r"(?:\d{1,2}[./-]\d{1,2}[./-])?(\d{4})(?:[./-]\d{1,2}[./-]\d{1,2})?(?:[ T].*)?", text)
    if match and 1952 <= int(match.group(1)) <= 2100:
        return int(match.group(1)), None
    if text.isdigit():
        return year_of(int(text))
    return None, f"'{text}' is not a year (write e.g. 2025)"


def serial_date(number: float) -> datetime.date:
    """An Excel serial day number as a date (the 1900 system, with its fictitious 29 Feb 1900)."""
    return (datetime.datetime(1899, 12, 30) + datetime.timedelta(days=float(number))).date()
