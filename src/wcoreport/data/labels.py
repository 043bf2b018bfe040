"""Strings of the data layer shown to readers: their texts are in strings.py (one table for the
whole toolchain), read here by language."""

from __future__ import annotations

from ..text.strings import section

LABELS: dict[str, dict[str, str]] = section("chart")
