"""Translations: which page translates which, what changed in the source since, and the exchange
with CAT tools (XLIFF 1.2).

    translations.py: a translation's state (current, behind, never recorded) and translation_of
    drift.py: which source blocks changed since a translation was recorded (translations/)
    translatable.py: a chapter or a case study, as the exchange sees it
    xliff.py, xliff_markup.py: export and import of XLIFF
    xliff_check.py: an import checked as `check` would, before it writes
"""
