"""Tables computed from the content model rather than read from a file.

`casestudy_counts` counts the case studies per technology and per WCO region, for a chart or a
table in the case-study annex. The tables are named `casestudies-by-technology` and
`casestudies-by-region` (`tables.COMPUTED_TABLES`); charts refer to them by these names like to any data table (merge them
into the tables given to `load_charts`). A data file may not take these names.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..sources.vocabulary import REGIONS, Technology
from .labels import LABELS
from .tables import Column, DataTable

if TYPE_CHECKING:
    from ..sources.casestudies import CaseStudy


def casestudy_counts(casestudies: dict[str, "CaseStudy"], technologies: dict[str, Technology],
                     languages: tuple[str, ...] = tuple(LABELS)) -> tuple[DataTable, DataTable]:
    """(by technology, by region): every technology of the vocabulary and every region, in
    their declared order, with the number of case studies (a study counts once for each of its
    technologies)."""
    by_tech = {t: 0 for t in technologies}
    by_region = {r: 0 for r in REGIONS}
    for study in casestudies.values():
        by_region[study.meta.region] += 1
        for tech in dict.fromkeys(study.meta.technologies):
            if tech in by_tech:
                by_tech[tech] += 1
    names = {t.id: dict(t.names) for t in technologies.values()}

    def text(key: str) -> dict[str, str]:
        return {lang: LABELS[lang][key] for lang in languages}

    count = Column("casestudies", "integer", text("casestudies"))
    tech_table = DataTable(
        "casestudies-by-technology", text("casestudies-by-technology"),
        {"technology": Column("technology", "technology", text("technology")), "casestudies": count},
        "technology", {t: {"technology": t, "casestudies": n} for t, n in by_tech.items()},
        technology_names=names)
    region_table = DataTable(
        "casestudies-by-region", text("casestudies-by-region"),
        {"region": Column("region", "region", text("region")), "casestudies": count},
        "region", {r: {"region": r, "casestudies": n} for r, n in by_region.items()})
    return tech_table, region_table
