"""Typography of running text: one rule for every output.

The site applies `typography` to the text of its HTML (`apply_to_html`), the report to the text
of pandoc's document tree. It works on plain text only, and gives the characters pandoc's
`smart` extension gives the report (’ “ ” – — …), plus French spacing:

- French: a narrow no-break space (U+202F) before ; : ! ? and inside « », whether or not the
  editor typed a space (never in URLs, times 12:30, ratios 2:1, `::` or emoticons); a no-break
  space between a number and its unit or % sign; "straight quotes" become « guillemets ».
- English: "straight quotes" become “curly” ones.
- Both: ' becomes ’ (‘ ’ around a quotation), -- and --- become – and —, ... becomes ….
"""

from __future__ import annotations

import re

NNBSP = "\u202f"  # narrow no-break space: before : ; ! ? and inside « »
NBSP = "\u00a0"  # no-break space: before %, between a number and its unit

_SPACES = "[ \u00a0\u202f]"
_UNITS = r"(?:%|‰|€|\$|km|kg|mg|m²|m³|m|cm|mm|t|h|min|s|Go|Mo|Ko|To|GB|MB|TB|ans?|jours?|heures?|USD|EUR|CHF)"

# Text that typography must leave alone: web and e-mail addresses, HTML character references.
_VERBATIM = re.compile(
    r"(?:\b(?:https?|ftp|mailto|file|tel):[^\s<>«»\"]+|\bwww\.[^\s<>«»\"]+|[\w.+-]+@[\w-]+\.[\w.-]+"
    r"|&(?:#\d+|#x[0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);)")
# A URL's last character is rarely punctuation that ends the sentence around it.
_TRAILING = ".,;:!?)»"

# What may stand right before high punctuation that gets its space: the end of a word, a
# number, a closing bracket or quotation mark.
_BEFORE = r"(?<=[\w)\]»”’%…°*\ue001])"
# What follows it: a space, the end, a closing quotation mark, or more punctuation (?!).
_AFTER = r"(?=$|\s|[»”\"!?…]|\.{3})"

_FRENCH: list[tuple[re.Pattern[str], str]] = [
    # « guillemets » keep their inner spaces, even where the editor typed none.
    (re.compile(r"«" + _SPACES + "*"), "«" + NNBSP),
    (re.compile(_SPACES + r"*»"), NNBSP + "»"),
    # High punctuation: a typed space becomes a no-break one...
    (re.compile(_SPACES + r"+([;!?])" + _AFTER), NNBSP + r"\1"),
    (re.compile(_SPACES + r"+(:)(?=\s|$)"), NNBSP + r"\1"),
    # ...and where none was typed, one is added (not in 12:30, 2:1, ::, :-) or a?b).
    (re.compile(_BEFORE + r"([;!?])" + _AFTER), NNBSP + r"\1"),
    (re.compile(_BEFORE + r"(:)" + _AFTER), NNBSP + r"\1"),
    # Thousands separated by a space: 1 000 000.
    (re.compile(r"(?<=\d) (?=\d{3}(?!\d))"), NNBSP),
    # A number and its unit or percent sign; 73% gets its space too.
    (re.compile(r"(?<=\d) (?=" + _UNITS + r"(?!\w))"), NBSP),
    (re.compile(r"(?<=\d)(?=[%‰](?!\w))"), NBSP),
]

# What any rule needs to find in a text to change it: dashes, an ellipsis, quotation marks and
# apostrophes; in French also guillemets, high punctuation, %/‰ and a digit before a space.
_SMART_TRIGGER = r"--|\.\.\.|[\"']"
_TRIGGERS = {"en": re.compile(_SMART_TRIGGER),
             "fr": re.compile(_SMART_TRIGGER + r"|[«»;:!?%‰]|\d[ \u00a0\u202f]")}

_QUOTES = {"fr": ("«" + NNBSP, NNBSP + "»"), "en": ("“", "”")}


def _smart(text: str, lang: str) -> str:
    """pandoc's `smart` characters: dashes, ellipsis, curly quotes and apostrophes."""
    text = text.replace("---", "—").replace("--", "–")
    text = re.sub(r"(?<!\.)\.\.\.(?!\.)", "…", text)
    opening, closing = _QUOTES.get(lang, _QUOTES["en"])
    # "quoted text": a quotation mark after a space or an opening bracket opens.
    # So does one right after an elided article: l'"opérateur", qu'"il".
    text = re.sub(r'(?:(?<=^)|(?<=[\s(\[{—–-])|(?<=(?<!\w)\w[\'’])|(?<=(?<!\w)qu[\'’]))"(?=\S)', opening, text)
    text = text.replace('"', closing)
    # 'quoted text' in single quotes (English), the rest are apostrophes: l'OMD, don't, '90s.
    text = re.sub(r"(?:(?<=^)|(?<=[\s(\[{“—–]))'(?=\w)([^'\n]*?[\w.,!?])'(?!\w)", r"‘\1’", text)
    return text.replace("'", "’")


def _french_spacing(text: str) -> str:
    if not any(ch in text for ch in "«»:;!?%‰ "):
        return text
    for pattern, replacement in _FRENCH:
        text = pattern.sub(replacement, text)
    return text


def _outside_verbatim(text: str, rule) -> str:
    """Apply `rule` to the text but its URLs, e-mail addresses and character references: each
    is set aside (a private-use placeholder stands in its place, which counts as the end of a
    word), and put back after."""
    kept: list[str] = []

    def set_aside(match: re.Match[str]) -> str:
        found, end = match.group(), len(match.group())
        if not found.startswith("&"):
            while end and found[end - 1] in _TRAILING:  # "(see https://x.org)."
                end -= 1
        kept.append(found[:end])
        return f"\ue000{len(kept) - 1}\ue001" + found[end:]

    text = _VERBATIM.sub(set_aside, text)
    text = rule(text)
    return re.sub("\ue000(\\d+)\ue001", lambda m: kept[int(m.group(1))], text) if kept else text


def typography(text: str, lang: str) -> str:
    """Return `text` (plain text, not HTML) with the typography of language `lang` ("fr", "en"
    or a locale such as "fr-FR"). Applied twice, it changes nothing more."""
    lang = lang[:2].lower()
    if not _TRIGGERS["fr" if lang == "fr" else "en"].search(text):
        return text  # (most runs of text: no rule below can change them)

    def rule(part: str) -> str:
        part = _smart(part, lang)
        return _french_spacing(part) if lang == "fr" else part

    return _outside_verbatim(text, rule)


def french_spacing(text: str) -> str:
    """Return `text` with the no-break spaces of French typography (and nothing else)."""
    return _outside_verbatim(text, _french_spacing)


def apply_to_html(html: str, lang: str = "fr") -> str:
    """Apply `typography` to the text of an HTML fragment, never inside code or scripts."""
    parts = re.split(r"(<[^>]*>)", html)
    skip = 0
    for i, part in enumerate(parts):
        if part.startswith("<"):
            tag = re.match(r"</?\s*([a-zA-Z0-9]+)", part)
            if tag and tag.group(1).lower() in {"code", "pre", "script", "style", "kbd", "textarea", "samp"}:
                if part.startswith("</"):
                    skip = max(0, skip - 1)
                elif not part.endswith("/>"):
                    skip += 1
        elif part and not skip:
            parts[i] = typography(part, lang)
    return "".join(parts)
