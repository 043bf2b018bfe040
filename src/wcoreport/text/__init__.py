"""What readers see as text: the strings of every language, and each language's typography.

    strings.py: text(key, lang), every string the toolchain shows readers, one table per language
    typography.py: each language's typography (French no-break spaces...)
"""
