"""The words of a WCO working document's title block, written each language's way."""

from __future__ import annotations

import datetime

from babel.dates import format_date

MASTHEAD = (
    "WORLD CUSTOMS ORGANIZATION — ORGANISATION MONDIALE DES DOUANES",
    "Established in 1952 as the Customs Co-operation Council — "
    "Créée en 1952 sous le nom de Conseil de coopération douanière",
)


def masthead_lines() -> tuple[str, ...]:
    """The bilingual masthead: the same in both language versions."""
    return MASTHEAD


def ordinal(n: int, lang: str) -> str:
    """An ordinal with its suffix as a pandoc superscript: 249^th^, 249^e^, 1^er^."""
    if lang == "fr":
        return f"{n}^{'er' if n == 1 else 'e'}^"
    if n % 100 in (11, 12, 13):
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}^{suffix}^"


def sessions_line(sessions: list[int], lang: str) -> str:
    numbers = "/".join(ordinal(n, lang) for n in sessions)
    word = ("Session" if lang == "en" else "session") + ("s" if len(sessions) > 1 else "")
    return f"{numbers} {word}"


def date_line(place: str, date: datetime.date, lang: str) -> str:
    """'Brussels, 12 September 2025' / 'Bruxelles, le 12 septembre 2025' (1er for the first)."""
    if lang == "fr":
        day = "1^er^" if date.day == 1 else str(date.day)
        return f"{place}, le {day} {format_date(date, 'MMMM y', locale='fr')}"
    return f"{place}, {format_date(date, 'd MMMM y', locale=lang)}"


def meeting_line(start: datetime.date, end: datetime.date, lang: str) -> str:
    """The dates of the sessions: 'Du 28 au 30 octobre 2025' / '28 to 30 October 2025'."""
    def day(d: datetime.date) -> str:
        return "1^er^" if lang == "fr" and d.day == 1 else str(d.day)

    if (start.year, start.month) == (end.year, end.month):
        first = day(start)
    elif start.year == end.year:
        first = f"{day(start)} {format_date(start, 'MMMM', locale=lang)}"
    else:
        first = f"{day(start)} {format_date(start, 'MMMM y', locale=lang)}"
    last = f"{day(end)} {format_date(end, 'MMMM y', locale=lang)}"
    if start == end:
        return last
    return f"Du {first} au {last}" if lang == "fr" else f"{first} to {last}"


def _french_of(body: str) -> str:
    """'du Comité technique permanent', 'de la Commission des finances', 'de l'Assemblée'."""
    if body[:1].lower() in "aeiouhéèêàâîôû":
        return f"de l'{body}"
    if body.split(" ")[0].lower() in ("commission", "sous-commission", "session", "réunion", "conférence"):
        return f"de la {body}"
    return f"du {body}"


def summary_labels(committee: str, lang: str) -> tuple[str, str, str]:
    """The summary's heading and its two sub-headings, as in the seed document."""
    if lang == "fr":
        return "SYNTHÈSE", "Objet du document", f"Mesure requise de la part {_french_of(committee)}"
    return "SUMMARY", "Purpose of the document", "Action required"


def agenda_line(item: str, lang: str) -> str:
    if lang == "fr":
        return f"(Point {item} de l'Ordre du jour)"
    return f"(Item {item} on the Agenda)"
