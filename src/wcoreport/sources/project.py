"""The whole content model of a report repository, loaded and checked in one pass."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..assessments import FOLDER as ASSESSMENTS, Assessment, load_assessments
from ..bibliography.bibtex import Bibliography, load_bibliography
from .casestudies import CaseStudy, load_casestudies
from .chapters import Chapter, SiteLayout, load_chapters, load_site_layout
from ..data import ChartSpec, DataTable, casestudy_counts, load_charts, load_data
from .diagnostics import Problems
from .metadata import Metadata, load_metadata
from .source_names import check_case_collisions
from .vocabulary import Technology, load_technologies

# citeproc locale of each language.
LOCALES = {"en": "en-GB", "fr": "fr-FR"}


@dataclass
class Project:
    root: Path
    layout: SiteLayout
    metadata: Metadata
    technologies: dict[str, Technology]
    casestudies: dict[str, CaseStudy]
    chapters: list[Chapter]
    bibliography: Bibliography
    problems: Problems
    tables: dict[str, DataTable]  # data/*.yml|csv, and the counts of the case studies
    charts: dict[str, ChartSpec]  # data/charts/*.yml
    assessments: dict[str, Assessment] = field(default_factory=dict)  # assessments/*.yml

    @property
    def languages(self) -> tuple[str, ...]:
        return self.layout.languages

    @property
    def docs_dir(self) -> Path:
        return self.layout.docs_dir

    def locale(self, lang: str) -> str:
        return LOCALES.get(lang, lang)

    @property
    def cache_dir(self) -> Path:
        """Where drawings and other reusable results are kept between builds: neither in the
        sources nor among the outputs, but in the user's cache folder (WCOREPORT_CACHE, else
        XDG_CACHE_HOME or ~/.cache). Its files are named by the hash of what made them, so
        projects can share it; deleting it costs only time."""
        from ..pipeline.cache import user_cache_dir

        return user_cache_dir()

    def report_chapters(self) -> list[Chapter]:
        return [c for c in self.chapters if c.in_report]


def load_project(root: Path | str) -> Project:
    """Load every source file of the repository at `root` (each checked on its own; the checks
    across pages are `markdown.gate.check_project`'s).

    Never raises for problems in the sources: they are in `project.problems`. Callers decide
    (`problems.raise_if_errors()`); with no usable metadata it raises `ContentError`.
    """
    root = Path(root).resolve()
    problems = Problems(root)
    layout = load_site_layout(root, problems)
    if layout is None:
        raise_early(problems)
    languages = layout.languages
    metadata = load_metadata(root / "report.yml", languages, problems)
    technologies = load_technologies(root / "technologies.yml", languages, problems)
    casestudies = load_casestudies(root, languages, technologies, problems)
    bibliography = load_bibliography(root / "references.bib", problems)
    chapters = load_chapters(layout, problems)
    tables = load_data(root, languages, technologies, problems)
    tables |= {t.name: t for t in casestudy_counts(casestudies, technologies, languages)}
    charts = load_charts(root, languages, tables, problems)
    check_case_collisions(root, problems)
    assessments = load_assessments(root, languages, {c.name for c in chapters}, set(casestudies), problems)
    _check_tool_nav(root, layout, problems)
    # Without valid metadata nothing can be built, but the pages are still checked, so that one
    # run lists every problem.
    project = Project(root, layout, metadata, technologies, casestudies, chapters, bibliography,  # type: ignore[arg-type]
                      problems, tables, charts, assessments)
    return project


def _check_tool_nav(root: Path, layout: SiteLayout, problems: Problems) -> None:
    """A nav entry of a generated page names a tool of assessments/."""
    for name, line in layout.generated:
        folder, _, file = name.partition("/")
        if folder == ASSESSMENTS and not (file.endswith(".md") and (root / ASSESSMENTS / f"{file[:-3]}.yml").is_file()):
            problems.error(layout.path, line, f"nav entry '{name}': no tool assessments/{file[:-3]}.yml "
                                              "(a tool's page is assessments/<id>.md)")


def raise_early(problems: Problems) -> None:
    from .diagnostics import ContentError

    raise ContentError(problems.items)
