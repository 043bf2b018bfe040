""""Edit this page" and "comment on paragraph N": links to the forge, configured, off without one.

A site built with a forge set (WCOREPORT_REPO_URL, WCOREPORT_EDIT_URI: what the workflows set)
gets, on each chapter, Material's edit button to the forge's web editor and, at the end of each
numbered paragraph, a link to the forge's new-issue form with the page and the paragraph's
number filled in: the number the report's DOCX gives the same paragraph. Without a forge, none.
"""

from __future__ import annotations

import re
import zipfile
from urllib.parse import parse_qs, urlsplit

import pytest

from conftest import copy_repo, run_build

REPO = "https://github.com/wco/report"


def comment_links(html: str) -> list[tuple[int, str, str]]:
    """(number, the link, the text of its paragraph) of each comment link."""
    out = []
    for match in re.finditer(r"<p>((?:(?!</p>).)*?)<a class=\"wco-comment\" href=\"([^\"]+)\"[^>]*>¶&#xA0;(\d+)</a></p>",
                             html, re.S):
        words = " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())
        out.append((int(match.group(3)), match.group(2).replace("&amp;", "&"), words))
    return out


@pytest.fixture(scope="module")
def forge_site(tmp_path_factory):
    root = copy_repo(tmp_path_factory.mktemp("forge") / "repo")
    out = root / "build"
    import os

    env = {"WCOREPORT_REPO_URL": REPO, "WCOREPORT_EDIT_URI": "edit/main/docs/"}
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        proc = run_build("all", "--root", str(root), "--out", str(out), "--format", "docx", cwd=root)
    finally:
        for key, value in old.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    assert proc.returncode == 0, proc.stderr
    return out


def docx_paragraphs(docx) -> dict[int, str]:
    """The report's numbered paragraphs: number -> text."""
    xml = zipfile.ZipFile(docx).read("word/document.xml").decode("utf-8")
    out = {}
    for p in re.findall(r"<w:p[ >].*?</w:p>", xml, re.S):
        if 'w:val="NumberedParagraph"' in p:
            text = "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", p))
            m = re.match(r"^(\d+)\.\s*(.*)", text)
            if m:
                out[int(m.group(1))] = " ".join(m.group(2).split())
    return out


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_each_numbered_paragraph_links_to_the_forges_issue_form_with_its_report_number(forge_site, lang):
    folder = forge_site / "site" / ("" if lang == "en" else "fr")
    numbered = docx_paragraphs(next((forge_site / "report").glob(f"*-{lang}.docx")))
    seen = 0
    for chapter in ("introduction", "methodology", "blockchain"):
        links = comment_links((folder / chapter / "index.html").read_text("utf-8"))
        assert links, chapter
        for number, href, words in links:
            # The DOCX's paragraph of that number starts as the site's paragraph does.
            first = " ".join(re.sub(r"[^\w ]", " ", words).split()[:4])
            assert " ".join(re.sub(r"[^\w ]", " ", numbered[number]).split()[:4]) == first, (number, words)
            url = urlsplit(href)
            assert f"{url.scheme}://{url.netloc}{url.path}" == f"{REPO}/issues/new"
            query = parse_qs(url.query)
            assert query["title"][0].endswith(f"{'paragraph' if lang == 'en' else 'paragraphe'} {number}")
            assert f"{chapter}/" in query["body"][0]
            seen += 1
    assert seen > 10


@pytest.mark.slow
def test_edit_this_page_opens_the_forges_editor_on_the_chapters_source(forge_site):
    html = (forge_site / "site" / "fr" / "ai-ml" / "index.html").read_text("utf-8")
    assert f'href="{REPO}/edit/main/docs/fr/ai-ml.md"' in html
    study = (forge_site / "site" / "fr" / "casestudies" / "br-blockchain" / "index.html").read_text("utf-8")
    assert f'href="{REPO}/edit/main/casestudies/br-blockchain/fr.md"' in study  # its own source
    status = (forge_site / "site" / "status" / "index.html").read_text("utf-8")
    assert "/edit/main/" not in status  # a page the site generates has no source to edit


def test_without_a_forge_there_are_no_edit_or_comment_links(site_dir):
    html = (site_dir / "introduction" / "index.html").read_text("utf-8")
    assert "wco-comment" not in html and "md-content__button" not in html


def test_a_comment_target_that_is_no_address_is_refused(tmp_path):
    root = copy_repo(tmp_path / "repo")
    config = root / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace(
        "  - wcoreport            # must come before i18n: it adds the case-study pages\n",
        "  - wcoreport:\n      comments: issue-form\n", 1), "utf-8")
    proc = run_build("site", "--root", str(root), "--out", str(tmp_path / "out"), cwd=root)
    assert proc.returncode != 0
    assert "issue-form" in proc.stderr and "mailto:ADDRESS" in proc.stderr and "Traceback" not in proc.stderr


def test_comments_by_email(tmp_path):
    from wcoreport.site.comments import form_url

    url = form_url("mailto:ptc@example.org", None, "Introduction, paragraph 3", "Comment on paragraph 3")
    assert url.startswith("mailto:ptc@example.org?subject=Introduction%2C%20paragraph%203&body=")
    assert form_url("issues", None, "t", "b") is None and form_url("off", REPO, "t", "b") is None
    assert form_url("issues", "https://gitlab.example.org/wco/report", "t", "b").startswith(
        "https://gitlab.example.org/wco/report/-/issues/new?issue%5Btitle%5D=t&")
