"""Strings of the data layer shown to readers, one table per language."""

from __future__ import annotations

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "bar": "Bar chart",
        "stacked-bar": "Stacked bar chart",
        "line": "Line chart",
        "casestudies-by-technology": "Case studies by technology",
        "casestudies-by-region": "Case studies by WCO region",
        "technology": "Technology",
        "region": "Region",
        "casestudies": "Case studies",
    },
    "fr": {
        "bar": "Diagramme en barres",
        "stacked-bar": "Diagramme en barres empilées",
        "line": "Graphique linéaire",
        "casestudies-by-technology": "Études de cas par technologie",
        "casestudies-by-region": "Études de cas par région de l'OMD",
        "technology": "Technologie",
        "region": "Région",
        "casestudies": "Études de cas",
    },
}
