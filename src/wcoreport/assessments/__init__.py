"""The readiness self-assessment tools (AI/ML, blockchain...): the questionnaire format and its
checks (model.py) and the names of its paper files, the scoring rule written once (scoring.py), the paper questionnaire as
pandoc's tree for the report's writers (paper.py). The site's pages are site/assessment_pages.py.
No MkDocs here."""

from .model import FOLDER, Area, Assessment, Band, Level, Link, Question, load_assessments, paper_name
from .scoring import AreaResult, area_results, band_of, round_half_up, rule, weakest_first

__all__ = ["FOLDER", "Area", "AreaResult", "Assessment", "Band", "Level", "Link", "Question", "area_results", "paper_name",
           "band_of", "load_assessments", "round_half_up", "rule", "weakest_first"]
