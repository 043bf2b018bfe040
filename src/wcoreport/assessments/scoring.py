"""The scoring rule of a tool, written once: declared in the tool's file (each level's score,
`scoring.max`, the bands), applied here for the paper's scoring key and the tests, and given to
the site's script as JSON (`rule`), which applies the same steps (site/assets/assessment.js):

    area score = 100 × (sum of the scores of the questions answered) / (answered × max),
    rounded half up to one decimal; no answer in an area: no score.
    band = the last band whose `from` is at most the rounded score.
    result order: the weakest area first (lowest score; areas in the file's order on a tie).

The same arithmetic in both (IEEE doubles, the same order of operations), so equal results.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .model import Assessment, Band

DECIMALS = 1


@dataclass(frozen=True)
class AreaResult:
    area: str
    answered: int
    total: int
    score: float | None  # 0-100, rounded to DECIMALS; None when nothing in the area is answered
    band: str | None


def round_half_up(value: float) -> float:
    """As the script's Math.round(x * 10) / 10."""
    factor = 10 ** DECIMALS
    return math.floor(value * factor + 0.5) / factor


def band_of(tool: Assessment, score: float) -> Band:
    found = tool.bands[0]
    for band in tool.bands:
        if band.start <= score:
            found = band
    return found


def area_results(tool: Assessment, answers: dict[str, str]) -> list[AreaResult]:
    """Each area's result for `answers` (question id -> level id), in the file's order."""
    results = []
    for area in tool.areas:
        total, answered = 0.0, 0
        for question in area.questions:
            level = next((x for x in question.levels if x.id == answers.get(question.id)), None)
            if level is not None:
                total += level.score
                answered += 1
        if answered:
            score = round_half_up(100 * total / (answered * tool.max_score))
            results.append(AreaResult(area.id, answered, len(area.questions), score, band_of(tool, score).id))
        else:
            results.append(AreaResult(area.id, 0, len(area.questions), None, None))
    return results


def weakest_first(results: list[AreaResult]) -> list[AreaResult]:
    """The scored areas, lowest score first (the file's order on a tie); unanswered ones last."""
    order = {r.area: i for i, r in enumerate(results)}
    return sorted(results, key=lambda r: (r.score is None, r.score or 0.0, order[r.area]))


def rule(tool: Assessment) -> dict:
    """The rule and the questions' level scores, as the site's script reads them (JSON)."""
    return {
        "tool": tool.id,
        "max": tool.max_score,
        "decimals": DECIMALS,
        "bands": [{"id": b.id, "from": b.start} for b in tool.bands],
        "areas": [{"id": a.id, "questions": [{"id": q.id, "levels": {x.id: x.score for x in q.levels}}
                                             for q in a.questions]} for a in tool.areas],
    }
