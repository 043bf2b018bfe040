"""One BibTeX/biblatex entry as a CSL JSON item: what pandoc's citeproc reads.

We give citeproc a bibliography we made rather than the editors' `.bib`, so that what it formats
is what we checked: macros, `#` concatenation and crossrefs resolved, LaTeX decoded to Unicode,
math as plain text. The mapping follows pandoc's own BibTeX reader wherever that is right, so
that a style formats the same references from either (see `tests/test_bibliography.py`).
"""

from __future__ import annotations

import calendar
import re
from typing import Any

from .latex_text import decode, plain_text

# biblatex / BibTeX entry type -> CSL type.
TYPES = {
    "article": "article-journal", "book": "book", "mvbook": "book", "bookinbook": "chapter",
    "inbook": "chapter", "incollection": "chapter", "suppbook": "chapter", "suppcollection": "chapter",
    "collection": "book", "mvcollection": "book", "proceedings": "book", "mvproceedings": "book",
    "inproceedings": "paper-conference", "conference": "paper-conference", "booklet": "pamphlet",
    "manual": "report", "report": "report", "techreport": "report", "thesis": "thesis",
    "phdthesis": "thesis", "mastersthesis": "thesis", "online": "webpage", "www": "webpage",
    "electronic": "webpage", "patent": "patent", "periodical": "periodical",
    "unpublished": "manuscript", "misc": "", "dataset": "dataset", "software": "software",
    "standard": "standard", "legislation": "legislation", "legal": "legislation",
    "jurisdiction": "legal_case", "letter": "personal_communication", "review": "review",
    "video": "motion_picture", "movie": "motion_picture", "audio": "song", "music": "song",
    "artwork": "graphic", "image": "graphic", "map": "map", "interview": "interview",
    "performance": "performance", "report-generic": "report",
}

# langid (babel/polyglossia names) -> BCP 47. citeproc keeps the case of titles whose language is
# not English; for English ones it applies the style's title case.
LANGUAGES = {
    "english": "en-US", "american": "en-US", "usenglish": "en-US", "british": "en-GB",
    "ukenglish": "en-GB", "canadian": "en-CA", "australian": "en-AU", "newzealand": "en-NZ",
    "french": "fr-FR", "francais": "fr-FR", "canadien": "fr-CA", "acadian": "fr-CA",
    "swissfrench": "fr-CH", "german": "de-DE", "ngerman": "de-DE", "austrian": "de-AT",
    "naustrian": "de-AT", "swissgerman": "de-CH", "nswissgerman": "de-CH", "spanish": "es-ES",
    "portuguese": "pt-PT", "brazil": "pt-BR", "brazilian": "pt-BR", "italian": "it-IT",
    "dutch": "nl-NL", "russian": "ru-RU", "arabic": "ar", "chinese": "zh-CN", "japanese": "ja-JP",
    "korean": "ko-KR", "polish": "pl-PL", "swedish": "sv-SE", "danish": "da-DK",
    "norwegian": "nb-NO", "finnish": "fi-FI", "greek": "el-GR", "turkish": "tr-TR",
}

# Plain text fields: field -> CSL variable (types decide a few more below).
_TEXT = {
    "edition": "edition", "volume": "volume", "volumes": "number-of-volumes", "pages": "page",
    "pagetotal": "number-of-pages", "chapter": "chapter-number", "version": "version",
    "isbn": "ISBN", "issn": "ISSN", "pmid": "PMID", "pmcid": "PMCID", "eventtitle": "event-title",
    "venue": "event-place", "type": "genre", "abstract": "abstract",
    "annote": "annote", "addendum": "note", "note": "note", "shorttitle": "title-short",
    "series": "collection-title", "journal": "container-title", "journaltitle": "container-title",
    "booktitle": "container-title", "maintitle": "container-title", "eprint": "number",
}
# Fields whose text is a title: English ones are stored in sentence case (as CSL wants and as
# pandoc's reader does), the style then applies its own case.
_TITLES = {"title", "booktitle", "maintitle", "shorttitle", "subtitle", "titleaddon"}
# Fields read verbatim (no LaTeX), except the escapes exporters put in them.
_VERBATIM = {"url": "URL", "doi": "DOI"}
_NAMES = {"author": "author", "editor": "editor", "translator": "translator",
          "bookauthor": "container-author", "holder": "author", "director": "director",
          "organizer": "organizer", "commentator": "commentator"}
# Where the publisher of a work is named, by field; several given: the first one found.
_PUBLISHER = ("publisher", "institution", "school", "organization", "howpublished")

# biblatex's keys for the `type` field, in the document's language (as pandoc's reader does).
GENRES = {
    "phdthesis": {"en": "PhD thesis", "fr": "thèse de doctorat"},
    "mathesis": {"en": "Master’s thesis", "fr": "mémoire de master"},
    "mastersthesis": {"en": "Master’s thesis", "fr": "mémoire de master"},
    "techreport": {"en": "technical report", "fr": "rapport technique"},
    "resreport": {"en": "research report", "fr": "rapport scientifique"},
}
MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_abbr) if name}
MONTHS.update({name.lower(): number for number, name in enumerate(calendar.month_name) if name})


class BadDate(ValueError):
    """A date that cannot be: month 19, 30 February. The message names what is wrong."""


_DATE = re.compile(r"^(-?\d{1,4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:T[\d:+Z.-]*)?$")


def date_parts(value: str) -> list[list[int]] | None:
    """ISO 8601 / EDTF dates as CSL date parts: `2019-06` -> [[2019, 6]]; a range
    `2019-06/2019-08` -> two parts. None when the text is no date at all (e.g. `forthcoming`)."""
    parts = []
    for side in value.strip().split("/")[:2]:
        side = side.strip().rstrip("?~%")
        if not side or side == "..":
            continue
        match = _DATE.match(side)
        if not match:
            return None
        year, month, day = (int(g) if g else None for g in match.groups())
        if month is not None and not 1 <= month <= 12:
            if 21 <= month <= 24:  # EDTF seasons: spring .. winter
                parts.append([year, month])
                continue
            raise BadDate(f"month {month} does not exist")
        if day is not None:
            last = calendar.monthrange(year, month)[1] if year > 0 else 31
            if not 1 <= day <= last:
                raise BadDate(f"day {day} does not exist in month {month}")
        parts.append([p for p in (year, month, day) if p is not None])
    return parts or None


def month_number(value: str) -> int | None:
    value = plain_text(value).strip().lower().rstrip(".")
    if value.isdigit():
        return int(value) if 1 <= int(value) <= 12 else None
    return MONTHS.get(value)


def language(fields: dict[str, str]) -> str | None:
    """BCP 47 language of the entry, from `langid` (or `language` when it is a name or code)."""
    for name in ("langid", "language"):
        value = plain_text(fields.get(name, "")).strip()
        if not value:
            continue
        if value.lower() in LANGUAGES:
            return LANGUAGES[value.lower()]
        if re.fullmatch(r"[a-z]{2,3}(?:[-_][A-Za-z]{2,4})?", value):
            return value.replace("_", "-")
    return None


def is_english(lang: str | None) -> bool:
    # Without a language, pandoc's reader takes an entry for English (its default locale).
    return lang is None or lang.lower().startswith("en")


# --- names ---------------------------------------------------------------------------------------

def _split_depth0(text: str, separator: re.Pattern[str]) -> list[str]:
    """Split at matches of `separator` that are outside braces."""
    out, depth, start, i = [], 0, 0, 0
    while i < len(text):
        ch = text[i]
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth = max(0, depth - 1)
        elif depth == 0:
            match = separator.match(text, i)
            if match and match.end() > i:
                out.append(text[start:i])
                start = i = match.end()
                continue
        i += 1
    out.append(text[start:])
    return [part.strip() for part in out]


_AND = re.compile(r"\s+and\s+", re.I)
_COMMA = re.compile(r",")
_SPACE = re.compile(r"[\s~]+")


def _is_lower_token(token: str) -> bool:
    """BibTeX's 'von' test: the first letter outside braces is lowercase (a special character
    such as `{\\'e}` counts as its letter)."""
    if token.startswith("{\\"):
        letters = [ch for ch in plain_text(token) if ch.isalpha()]
        return bool(letters) and letters[0].islower()
    depth = 0
    for ch in token:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif depth == 0 and ch.isalpha():
            return ch.islower()
    return False


def _name(raw: str) -> dict[str, str] | None:
    raw = raw.strip()
    if not raw or raw.lower() == "others":  # "and others": citeproc has no way to say it
        return None
    if raw.startswith("{") and raw.endswith("}") and _balanced(raw[1:-1]):
        return {"literal": plain_text(raw[1:-1])}  # {{World Customs Organization}}: one name
    parts = _split_depth0(raw, _COMMA)
    if len(parts) == 1:
        tokens = [t for t in _split_depth0(parts[0], _SPACE) if t]
        if len(tokens) == 1:
            return {"family": plain_text(tokens[0])}
        first_von = next((i for i, t in enumerate(tokens[:-1]) if _is_lower_token(t)), None)
        if first_von is None:
            given, von, family = tokens[:-1], [], tokens[-1:]
        else:
            last_von = max(i for i, t in enumerate(tokens[:-1]) if _is_lower_token(t))
            given, von, family = tokens[:first_von], tokens[first_von:last_von + 1], tokens[last_von + 1:]
        suffix = ""
    else:
        head = [t for t in _split_depth0(parts[0], _SPACE) if t]
        von_end = 0
        while von_end < len(head) - 1 and _is_lower_token(head[von_end]):
            von_end += 1
        von, family = head[:von_end], head[von_end:]
        suffix = parts[1] if len(parts) == 3 else ""
        given = [t for t in _split_depth0(parts[-1], _SPACE) if t]
    name = {"family": plain_text(" ".join(family)), "given": plain_text(" ".join(given)),
            "dropping-particle": plain_text(" ".join(von)), "suffix": plain_text(suffix)}
    return {k: v for k, v in name.items() if v}


def _balanced(text: str) -> bool:
    depth = 0
    for ch in text:
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth < 0:
            return False
    return depth == 0


def names(value: str) -> list[dict[str, str]]:
    """`Doe, Jane and {{World Customs Organization}}` -> CSL names."""
    return [n for n in (_name(part) for part in _split_depth0(value, _AND)) if n]


# --- text ----------------------------------------------------------------------------------------

_WORD = re.compile(r"[^\W\d_]+(?:[’'][^\W\d_]+)*")
_TAG = re.compile(r"<[^>]*>")


def _sentence_case(pieces: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    """Lowercase the capitalised words of an English title but its first and those after `:`,
    `.`, `?` or `!`; braced (protected) parts, acronyms and mixed-case words stay as they are."""
    out, start = [], True
    for text, protected in pieces:
        if protected:
            out.append((text, True))
            start = False
            continue
        pos, result = 0, []
        for match in _WORD.finditer(_TAG.sub(lambda m: "\0" * len(m.group()), text)):
            between = text[pos:match.start()]
            keep = start or re.search(r"[:.?!]\s+$", between) is not None
            word = match.group()
            letters = word.replace("’", "").replace("'", "")
            if not keep and word[0].isupper() and (len(letters) == 1 or letters[1:].islower()):
                word = word.lower()
            result += [between, word]
            pos, start = match.end(), False
        result.append(text[pos:])
        out.append(("".join(result), False))
    return out


def rich_text(value: str, title_case_english: bool = False) -> str:
    """A field as CSL rich text: protected parts in `<span class="nocase">`."""
    pieces = decode(value).pieces
    if title_case_english:
        pieces = _sentence_case(pieces)
    return "".join(f'<span class="nocase">{t}</span>' if protected and t.strip() else t
                   for t, protected in pieces).strip()


def verbatim(value: str) -> str:
    return re.sub(r"\\([_%#&$~])", r"\1", value).strip().strip("{}").strip()


def _list_field(value: str) -> str:
    """biblatex list fields (institution, location, publisher): `A and B` -> `A; B`."""
    return "; ".join(plain_text(part) for part in _split_depth0(value, _AND) if part)


# --- the item ------------------------------------------------------------------------------------

def issued(fields: dict[str, str]) -> dict[str, Any] | None:
    if "date" in fields:
        try:
            parts = date_parts(plain_text(fields["date"]))
        except BadDate:
            parts = None
        if parts:
            return {"date-parts": parts}
    year = plain_text(fields.get("year", "")).strip()
    if not year:
        text = plain_text(fields.get("date", "")).strip()
        return {"literal": text} if text else None
    if not re.fullmatch(r"-?\d{1,4}", year):
        return {"literal": year}
    parts = [int(year)]
    month = month_number(fields.get("month", ""))
    if month:
        parts.append(month)
        day = plain_text(fields.get("day", "")).strip()
        if day.isdigit():
            parts.append(int(day))
    return {"date-parts": [parts]}


def csl_type(entry_type: str, fields: dict[str, str]) -> str:
    if entry_type == "article":
        subtype = plain_text(fields.get("entrysubtype", "")).lower()
        return {"magazine": "article-magazine", "newspaper": "article-newspaper"}.get(subtype, "article-journal")
    return TYPES.get(entry_type, "")


def csl_item(key: str, entry_type: str, fields: dict[str, str], lang: str = "en") -> dict[str, Any]:
    """The CSL JSON item of one entry. `fields`: lowercase name -> value (LaTeX, macros and
    crossrefs resolved, outer braces removed). `lang`: the document's language, which counts
    for entries without `langid` (English titles are stored in sentence case) and for the words
    biblatex's `type` keys stand for (`phdthesis`)."""
    doc_lang = lang[:2].lower()
    entry_lang = language(fields)
    english = is_english(entry_lang or doc_lang)
    kind = csl_type(entry_type, fields)
    item: dict[str, Any] = {"id": key, "type": kind}
    for field, variable in _NAMES.items():
        if field in fields and variable not in item:
            found = names(fields[field])
            if found:
                item[variable] = found
    if "title" in fields:
        title = rich_text(fields["title"], english)
        if "subtitle" in fields:
            title += ": " + rich_text(fields["subtitle"], english)
        if "titleaddon" in fields:
            title += ". " + rich_text(fields["titleaddon"], english)
        item["title"] = title
    for field, variable in _TEXT.items():
        if field in fields and variable not in item and field not in ("type",):
            value = fields[field]
            if field in ("pages", "pagetotal"):
                item[variable] = plain_text(value).replace("–", "-").replace("—", "-")
            elif field in _TITLES:
                item[variable] = rich_text(value, english)
            elif field == "eprint" and kind not in ("report", "document"):
                continue
            else:
                item[variable] = rich_text(value)
    genre = plain_text(fields.get("type", "")).strip() or (entry_type if entry_type.endswith("thesis") else "")
    if genre:
        item["genre"] = GENRES.get(genre.lower(), {}).get(doc_lang, GENRES.get(genre.lower(), {}).get("en", genre))
    if "number" in fields:
        item["issue" if kind.startswith("article") else "number"] = plain_text(fields["number"])
    if "issue" in fields and "issue" not in item:
        item["issue"] = plain_text(fields["issue"])
    for field in _PUBLISHER:
        if field in fields:
            item["publisher"] = _list_field(fields[field])
            break
    for field in ("location", "address"):
        if field in fields:
            if kind == "patent":
                item["jurisdiction"] = _list_field(fields[field])
            else:
                item["publisher-place"] = _list_field(fields[field])
            break
    for field, variable in _VERBATIM.items():
        if field in fields:
            item[variable] = verbatim(fields[field])
    if entry_lang:
        item["language"] = entry_lang
    date = issued(fields)
    if date:
        item["issued"] = date
    if "urldate" in fields:
        try:
            accessed = date_parts(plain_text(fields["urldate"]))
        except BadDate:
            accessed = None
        if accessed:
            item["accessed"] = {"date-parts": accessed}
    if "eventdate" in fields:
        try:
            event = date_parts(plain_text(fields["eventdate"]))
        except BadDate:
            event = None
        if event:
            item["event-date"] = {"date-parts": event}
    return {k: v for k, v in item.items() if k == "type" or v not in ("", [], None)}
