"""A chapter's front matter whose closing '---' is missing, with a '---' rule further down: the
rule was taken for the closing line and the text read as YAML (an error at a line inside the
text, or a key made of a sentence). It is reported at the opening line, saying where the text
starts. (Through a build: tests/bad_inputs/chapter-front-matter-not-closed*.yml.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from wcoreport.sources.diagnostics import Problems
from wcoreport.sources.yamlfile import split_front_matter

NOT_CLOSED = "x.md:1: error: front matter is not closed: add a line '---' before line {start}, where the text starts"


@pytest.mark.parametrize("text, start, rule", [
    ("---\nstatus: draft\n# Drones {#drones}\n\nDrones watch borders.\n\n---\n\nMore.\n", 3, 7),
    # YAML reads the sentence as a key: still text
    ("---\nstatus: draft\n# Drones {#drones}\n\nUses of drones: many\n\n---\n", 3, 7),
    ("---\n# Drones\n\nText.\n\n---\n\nMore.\n", 2, 6),
])
def test_not_closed_with_a_rule_below_is_reported_at_the_opening_line(text, start, rule):
    problems = Problems(Path("/tmp"))
    assert split_front_matter(text, Path("/tmp/x.md"), problems) is None
    assert [str(p) for p in problems.items] == [
        NOT_CLOSED.format(start=start) + f" (the '---' at line {rule} is a rule of the text, not the end "
                                         "of the front matter)"]


@pytest.mark.parametrize("text", [
    "---\nstatus: draft\n---\n# Drones\n\n---\n\nMore.\n",
    "---\n# reviewed in May\nstatus: review\nannex: true\n---\n# Drones\n",  # a YAML comment is no heading
])
def test_closed_front_matter_with_a_rule_or_a_comment_is_read(text):
    problems = Problems(Path("/tmp"))
    source = split_front_matter(text, Path("/tmp/x.md"), problems)
    assert problems.items == [] and source is not None and source.meta.data["status"] in ("draft", "review")


def test_yaml_mistakes_stay_at_their_line():
    problems = Problems(Path("/tmp"))
    assert split_front_matter("---\nstatus: [draft\n---\n# T\n", Path("/tmp/x.md"), problems) is None
    assert [p.line for p in problems.items] == [3]
