"""A reviewer's comment on a numbered paragraph: a link at the end of each, to the forge's
new-issue form (or an e-mail) with the page and the paragraph's number filled in.

The number is the paragraph's number in the report (sidebyside.paragraph_numbers: the one the
DOCX and PDF show), so a comment made on the site names the paragraph as the Council document
does. The links are put on the page's HTML from the shared document: its top-level paragraphs,
in order, are the page's numbered paragraphs (a paragraph of an image alone is none); if the
two counts differ, the page gets no links rather than wrong numbers.

Configured by the plugin's `comments` option (config.py) and MkDocs' `repo_url`: `issues` (the
default) opens the new-issue form of the forge at `repo_url` (GitHub's form, or GitLab's for
any other host); `mailto:ADDRESS` opens an e-mail instead; `off` adds nothing. Without a forge
(no repo_url) and no address, nothing is added.
"""

from __future__ import annotations

import html
import re
from typing import Callable
from urllib.parse import quote, urlencode, urlsplit

from ..text.strings import text

_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)\b[^>]*?(/?)>")
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}


def _top_paragraphs(body: str) -> list[tuple[int, int]]:
    """(start of the content, position of the closing `</p>`) of each top-level paragraph that
    holds text."""
    found: list[tuple[int, int]] = []
    depth, start = 0, -1
    for match in _TAG.finditer(body):
        closing, name, self_closing = match.group(1), match.group(2).lower(), match.group(3)
        if name in _VOID or self_closing:
            continue
        if not closing:
            if name == "p" and depth == 0:
                start = match.end()
            depth += 1
        else:
            depth = max(0, depth - 1)
            if name == "p" and depth == 0 and start >= 0:
                if re.sub(r"<[^>]*>", "", body[start:match.start()]).strip():
                    found.append((start, match.start()))
                start = -1
    return found


def form_url(target: str, repo_url: str | None, title: str, body: str) -> str | None:
    """The link that opens a comment: an e-mail (`mailto:…`) or the forge's new-issue form."""
    if target.startswith("mailto:"):
        return f"{target}?{urlencode({'subject': title, 'body': body}, quote_via=quote)}"
    if target != "issues" or not repo_url:
        return None
    repo = repo_url.rstrip("/")
    if urlsplit(repo).hostname == "github.com" or urlsplit(repo).hostname.endswith(".github.com"):
        return f"{repo}/issues/new?{urlencode({'title': title, 'body': body}, quote_via=quote)}"
    return f"{repo}/-/issues/new?{urlencode({'issue[title]': title, 'issue[description]': body}, quote_via=quote)}"


def add_comment_links(body: str, numbers: list[int], lang: str, page_title: str, page_address: str,
                      link: Callable[[str, str], str | None]) -> str:
    """The page's HTML with a comment link at the end of each numbered paragraph.
    `link(title, body)`: the link for a comment (form_url with the site's settings)."""
    spots = _top_paragraphs(body)
    if not numbers or len(spots) != len(numbers):
        return body
    out, last = [], 0
    for (_start, end), number in zip(spots, numbers):
        title = text("comment_title", lang).format(page=page_title, n=number)
        href = link(title, text("comment_body", lang).format(page=page_title, n=number, address=page_address))
        if href is None:
            return body
        label = text("comment_link", lang).format(n=number)
        out.append(body[last:end])
        out.append(f' <a class="wco-comment" href="{html.escape(href, quote=True)}" rel="nofollow" '
                   f'title="{html.escape(label, quote=True)}">¶&#xA0;{number}</a>')
        last = end
    out.append(body[last:])
    return "".join(out)
