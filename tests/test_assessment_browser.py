"""The self-assessment tools in a real browser (Debian's Chromium, Playwright), on the site of
the session's full build: answered with the keyboard, the result per area equal to the Python
computation for many random answer sets, no request from load to result, answers kept only on
request, exported and imported, printed, the French page French throughout, axe-core clean.
"""

from __future__ import annotations

import json
import random
import re
import unicodedata
from urllib.parse import urlparse

import pytest

from conftest import REPO_ROOT
from conftest import launched_chromium
from test_site_browser import RULES, Tab, site_url  # noqa: F401 (fixture)
from wcoreport.assessments import area_results, weakest_first
from wcoreport.sources.project import load_project
from wcoreport.text.strings import section
from wcoreport.text.typography import typography

TOOLS = ("ai-ml", "blockchain")
TEXT = section("assessment")


@pytest.fixture(scope="module")
def browser():
    """Chromium for this module only: closed at its end, since a test of another module may
    start Playwright of its own (one at a time in a process)."""
    yield from launched_chromium()


@pytest.fixture(scope="module")
def project():
    return load_project(REPO_ROOT)


def url_of(lang: str, tool: str) -> str:
    return f"assessments/{tool}/" if lang == "en" else f"{lang}/assessments/{tool}/"


@pytest.fixture
def tab(browser, site_url):  # noqa: F811
    context = browser.new_context()
    yield Tab(context, site_url)
    context.close()


def shown_results(page) -> list[tuple[str, float | None, str | None]]:
    """The result list as the page shows it, in its order: (area, score, band)."""
    return [tuple(item) for item in page.eval_on_selector_all(
        ".wco-result-area",
        "items => items.map(li => [li.dataset.area, li.dataset.score === undefined ? null : Number(li.dataset.score),"
        " li.dataset.band === undefined ? null : li.dataset.band])")]


def expected(tool, answers: dict[str, str]) -> list[tuple[str, float | None, str | None]]:
    return [(r.area, r.score, r.band) for r in weakest_first(area_results(tool, answers))]


def answer(page, answers: dict[str, str]) -> None:
    """Click each chosen radio in the page (the change events the script listens to)."""
    page.evaluate("""answers => {
        for (const [q, level] of Object.entries(answers)) {
            document.querySelector(`input[type=radio][name="${q}"][value="${level}"]`).click();
        }
    }""", answers)


def random_answers(tool, rng: random.Random, fill: float) -> dict[str, str]:
    return {q.id: rng.choice(q.levels).id for area in tool.areas for q in area.questions if rng.random() < fill}


@pytest.mark.slow
@pytest.mark.parametrize("tool_id", TOOLS)
def test_random_answer_sets_give_the_python_result(tab, project, tool_id):
    tool = project.assessments[tool_id]
    page = tab.open(url_of("en", tool_id))
    rng = random.Random(f"assessment-{tool_id}")
    checked = 0
    for n in range(60):
        page.click('[data-action="clear"]')
        answers = random_answers(tool, rng, fill=rng.choice((0.2, 0.6, 1.0)))
        answer(page, answers)
        assert shown_results(page) == expected(tool, answers), f"answer set {n}: {answers}"
        checked += bool(answers)
    assert checked > 50
    # The chart has one bar per area answered, its width the score's share of the track.
    bars = page.eval_on_selector_all(".wco-chart-bar", "bars => bars.map(b => [b.dataset.area, +b.getAttribute('width')])")
    scores = {area: score for area, score, _ in expected(tool, answers) if score is not None}
    assert {area for area, _ in bars} == set(scores)
    for area, width in bars:
        assert width == pytest.approx(max(1, 300 * scores[area] / 100))  # (the track is 300 wide)
    tab.assert_clean()


@pytest.mark.slow
def test_every_question_answered_with_the_keyboard(tab, project):
    tool = project.assessments["blockchain"]
    page = tab.open(url_of("en", "blockchain"))
    page.keyboard.press("Tab")
    for _ in range(300):  # from the top of the page to the form's first radio button, with Tab
        if page.evaluate("document.activeElement.type === 'radio'"):
            break
        page.keyboard.press("Tab")
    rng = random.Random(7)
    chosen: dict[str, str] = {}
    questions = [q for area in tool.areas for q in area.questions]
    for i, question in enumerate(questions):
        assert page.evaluate("document.activeElement.name") == question.id
        page.keyboard.press("Space")  # checks the first level
        steps = rng.randrange(len(question.levels))
        for _ in range(steps):
            page.keyboard.press("ArrowDown")  # the next level, checked
        chosen[question.id] = question.levels[steps].id
        if i < len(questions) - 1:
            page.keyboard.press("Tab")
    answered = page.evaluate("Object.fromEntries([...document.querySelectorAll('input[type=radio]:checked')]"
                             ".map(r => [r.name, r.value]))")
    assert answered == chosen
    assert page.locator("progress").get_attribute("value") == str(len(questions))
    assert shown_results(page) == expected(tool, chosen)
    # The buttons are reached with the keyboard too: Tab goes on to the first of them.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "wco-keep"
    tab.assert_clean()


@pytest.mark.slow
@pytest.mark.parametrize("lang", ("en", "fr"))
def test_no_request_from_load_to_result(browser, site_url, project, lang):  # noqa: F811
    context = browser.new_context()
    requests: list[tuple[str, str]] = []
    context.on("request", lambda r: requests.append((r.method, r.url)))
    try:
        page = context.new_page()
        page.goto(site_url + url_of(lang, "ai-ml"))
        page.wait_for_load_state("networkidle")
        loaded = list(requests)
        tool = project.assessments["ai-ml"]
        answers = random_answers(tool, random.Random(3), fill=1.0)
        answer(page, answers)
        page.check("[data-keep]")
        with page.expect_download():
            page.click('[data-action="export"]')
        page.emulate_media(media="print")
        assert shown_results(page) == expected(tool, answers)
        page.wait_for_timeout(300)
        after = requests[len(loaded):]
        assert after == [], f"requests while answering: {after}"
        # What the page loaded is the site's own static files, with GET and no query.
        origin = urlparse(site_url).netloc
        for method, url in loaded:
            parts = urlparse(url)
            assert method == "GET" and parts.netloc == origin and not parts.query, url
    finally:
        context.close()


@pytest.mark.slow
def test_answers_kept_only_on_request(tab, project):
    page = tab.open(url_of("en", "ai-ml"))
    key = "wco-assessment:ai-ml"
    answer(page, {"strategy-vision": "developing"})
    assert page.evaluate(f"localStorage.getItem('{key}')") is None
    page.reload()
    assert page.locator("input[type=radio]:checked").count() == 0  # not kept: gone
    answer(page, {"strategy-vision": "developing"})
    page.check("[data-keep]")
    answer(page, {"data-quality": "exploring"})
    stored = json.loads(page.evaluate(f"localStorage.getItem('{key}')"))
    assert stored["answers"] == {"strategy-vision": "developing", "data-quality": "exploring"}
    page.reload()
    assert page.is_checked("[data-keep]")
    assert page.is_checked("#q-strategy-vision-developing") and page.is_checked("#q-data-quality-exploring")
    page.uncheck("[data-keep]")
    assert page.evaluate(f"localStorage.getItem('{key}')") is None
    tab.assert_clean()


@pytest.mark.slow
def test_export_reload_import_restores_the_answers(tab, project, tmp_path):
    tool = project.assessments["blockchain"]
    page = tab.open(url_of("fr", "blockchain"))
    answers = random_answers(tool, random.Random(11), fill=0.7)
    answer(page, answers)
    before = shown_results(page)
    with page.expect_download() as download:
        page.click('[data-action="export"]')
    saved = tmp_path / "answers.json"
    download.value.save_as(saved)
    assert json.loads(saved.read_text("utf-8"))["answers"] == answers
    page.reload()
    assert page.locator("input[type=radio]:checked").count() == 0
    page.set_input_files("[data-import]", str(saved))
    page.wait_for_function(f"document.querySelectorAll('input[type=radio]:checked').length === {len(answers)}")
    assert shown_results(page) == before
    assert page.text_content(".wco-assessment-message") == typography(TEXT["fr"]["imported"], "fr").format(n=len(answers))
    # A file of another tool, or not JSON at all, imports nothing and says so.
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"tool": "ai-ml", "answers": {"strategy-vision": "exploring"}}), "utf-8")
    page.set_input_files("[data-import]", str(other))
    page.wait_for_function("document.querySelector('.wco-assessment-message').textContent.includes('rien')")
    assert page.text_content(".wco-assessment-message") == typography(TEXT["fr"]["import_error"], "fr")
    assert shown_results(page) == before
    tab.assert_clean()


def _letters(text: str) -> str:
    """Only the letters and digits: a PDF's line breaks and hyphens do not count."""
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", text)).lower()  # (ligatures: ﬁ -> fi)


@pytest.mark.slow
def test_print_view_shows_every_question_the_answers_and_the_result(tab, project, tmp_path):
    from pypdf import PdfReader

    tool = project.assessments["ai-ml"]
    page = tab.open(url_of("en", "ai-ml"))
    answers = random_answers(tool, random.Random(5), fill=0.8)
    answer(page, answers)
    page.emulate_media(media="print")
    for question in (q for area in tool.areas for q in area.questions):
        assert page.is_visible(f'fieldset[data-question="{question.id}"] legend')
    assert page.is_visible(".wco-assessment-result") and page.is_visible(".wco-result-chart svg")
    assert not page.is_visible(".wco-assessment-actions") and not page.is_visible(".md-sidebar--primary")
    pdf = tmp_path / "printed.pdf"
    page.pdf(path=str(pdf))  # the browser's print to PDF, with the print style sheet
    text = _letters(" ".join(p.extract_text() for p in PdfReader(str(pdf)).pages))
    for area in tool.areas:
        assert _letters(area.title["en"]) in text
        for question in area.questions:
            assert _letters(question.text["en"]) in text
    assert _letters(TEXT["en"]["result"]) in text
    first = next(r for r in weakest_first(area_results(tool, answers)) if r.score is not None)
    assert _letters(f"Score: {first.score:.1f} of 100") in text
    # The answers are the checked radio buttons themselves, printed as they are.
    assert page.locator("input[type=radio]:checked").count() == len(answers)
    tab.assert_clean()


ENGLISH_ONLY = re.compile(r"\b(the|of|and|answers?|score|keep|export|import|print|result)\b", re.I)


@pytest.mark.slow
def test_french_page_is_french_throughout(tab, project):
    tool = project.assessments["ai-ml"]
    page = tab.open(url_of("fr", "ai-ml"))
    assert page.get_attribute("html", "lang") == "fr"
    # strategy: 0 and 1 -> 16,7 ; data: 3 -> 100,0
    answer(page, {"strategy-vision": "not-started", "strategy-budget": "exploring", "data-inventory": "established"})
    score = page.text_content('.wco-result-area[data-area="strategy"] .wco-result-score')
    assert "16,7 sur 100" in score and "16.7" not in score
    assert "100,0 sur 100" in page.text_content('.wco-result-area[data-area="data"] .wco-result-score')
    assert "16,7" in page.text_content(".wco-result-chart svg")
    visible = page.inner_text("article")
    for key in ("keep", "export", "import", "print", "clear", "result", "benchmark", "draft"):
        assert TEXT["fr"][key].replace("\u202f", " ").replace("\u00a0", " ")[:20] in \
            visible.replace("\u202f", " ").replace("\u00a0", " "), key
    english = ENGLISH_ONLY.findall(visible)
    assert not english, f"English words on the French page: {english[:10]}"
    assert page.text_content(".wco-progress-text").startswith("3 question(s) sur")
    tab.assert_clean()


@pytest.mark.slow
@pytest.mark.parametrize("lang", ("en", "fr"))
@pytest.mark.parametrize("tool_id", TOOLS)
def test_tool_page_passes_axe_with_a_result(browser, site_url, project, lang, tool_id):  # noqa: F811
    from axe_playwright_python.sync_playwright import Axe

    page = browser.new_page()
    try:
        page.goto(site_url + url_of(lang, tool_id))
        answer(page, random_answers(project.assessments[tool_id], random.Random(1), fill=0.6))
        result = Axe().run(page, options=RULES)
        found = [f"{v['id']} ({v['help']}): {[n['target'] for n in v['nodes']][:3]}"
                 for v in result.response["violations"]]
        assert not found, found
    finally:
        page.close()


@pytest.mark.slow
def test_readable_on_a_phone(browser, site_url):  # noqa: F811
    context = browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True,
                                  has_touch=True)
    try:
        page = context.new_page()
        page.goto(site_url + url_of("fr", "ai-ml"))
        page.tap("#q-strategy-vision-exploring")
        assert page.is_checked("#q-strategy-vision-exploring")
        width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert width[0] <= width[1], f"the page scrolls sideways: {width}"
        box = page.locator("#q-strategy-vision-exploring + label").bounding_box()
        assert box["height"] >= 16 and box["x"] + box["width"] <= 360
    finally:
        context.close()
