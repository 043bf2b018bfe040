"""For reviewers of translations: each chapter's source and translation side by side, and what
changed in the source since the translation was recorded as current.

The side-by-side page of a chapter shows the two pages' top-level blocks as the parity check
aligned them (markdown/parity.py), each with its paragraph number in the report, the blocks
that changed in the source since the translation (drift.py) highlighted with a word-level
diff, and those without a matching counterpart marked. The stale banner of a translation lists
the changed blocks; the status page links to every side-by-side page.

Each block is shown as readers see it on its page (rendered_blocks.py: the HTML the site made
of it, its words changed since the translation marked), its Markdown a click away for
translators (<details>). Everything else from the sources is escaped here (`html.escape`).
"""

from __future__ import annotations

import html
import json
from typing import TYPE_CHECKING, Callable

from ..translation.drift import Change, page_drift
from ..markdown.blocks import page_blocks
from ..markdown.parity import ChapterParity
from ..text.strings import STRINGS, text
from ..translation.translations import Translation

if TYPE_CHECKING:
    from ..markdown.gate import ProjectAnalysis
    from ..sources.project import Project

FOLDER = "side-by-side"  # the generated pages: side-by-side/<chapter>.md in each language


def page_name(chapter: str) -> str:
    return f"{FOLDER}/{chapter}"


def _esc(value: str) -> str:
    """Text for HTML, its line breaks kept as characters a raw HTML block of Markdown keeps."""
    return html.escape(value, quote=False).replace("\n", "&#10;")


def _language(code: str, lang: str) -> str:
    key = f"lang_{code}"
    return text(key, lang) if key in STRINGS else code


def paragraph_numbers(project: "Project", analysis: "ProjectAnalysis", lang: str) -> dict[tuple[str, int], int]:
    """(chapter, block index) -> the paragraph's number in the report of `lang` (numbering.py:
    the top-level paragraphs of the report's chapters that are not annexes, through the report)."""
    numbers: dict[tuple[str, int], int] = {}
    n = 0
    for chapter in project.report_chapters():
        page = analysis.page(lang, chapter.name)
        if page is None or chapter.annex:
            continue
        for block in page_blocks(page).blocks:  # (cut once, in the language's process: blocks.blocks_of)
            if block.numbered:
                n += 1
                numbers[(chapter.name, block.index)] = n
    return numbers


def source_blocks_by_line(analysis: "ProjectAnalysis", translations, name: str, lang: str) -> dict:
    state = translations.get(name, {}).get(lang)
    page = analysis.page(state.source_lang, name) if state is not None else None
    return {b.line: b for b in page_blocks(page).blocks} if page is not None else {}


def chapter_drift(project: "Project", analysis: "ProjectAnalysis", translations: dict[str, dict[str, Translation]],
                  name: str, lang: str) -> list[Change] | None:
    """The source blocks that changed since the translation `lang` of a chapter was current."""
    state = translations.get(name, {}).get(lang)
    chapter = next((c for c in project.chapters if c.name == name), None)
    if state is None or chapter is None:
        return None
    source = analysis.page(state.source_lang, name)
    if source is None:
        return None
    return page_drift(project, chapter, lang, source, state)


def _words(change: Change) -> str:
    out = []
    for op, part in change.words():
        if op == "=":
            out.append(_esc(part))
        elif op == "-":
            out.append(f"<del>{_esc(part)}</del>")
        else:
            out.append(f"<ins>{_esc(part)}</ins>")
    return "".join(out)


def _label(change: Change, blocks: dict, lang: str) -> str:
    """What a changed block is, in the reader's language (as recorded, for a removed one)."""
    block = blocks.get(change.line) if change.kind != "removed" else None
    if block is None:
        return change.label
    if block.kind == "para":
        return text("block_paragraph", lang).format(n=block.number_in_section, section=block.section)
    if block.kind == "heading":
        return text("block_heading", lang).format(section=block.section)
    return text("block_other", lang).format(section=block.section)


def drift_banner(changes: list[Change] | None, lang: str, side_by_side_href: str, blocks: dict | None = None) -> str:
    """Below the stale banner: the count and each changed source block, with its diff.
    `blocks`: the source page's blocks by line, to name them."""
    link = f'<a href="{html.escape(side_by_side_href)}">{_esc(text("sbs_title", lang))}</a>'
    if changes is None:
        return (f'<div class="wco-banner wco-drift" role="note">{_esc(text("sbs_not_recorded", lang))}. '
                f"{link}</div>")
    items = "".join(
        f'<li class="wco-drift-{c.kind}"><strong>{_esc(text("drift_" + c.kind, lang))}</strong> — '
        f"{_esc(_label(c, blocks or {}, lang))}<div class=\"wco-diff\">{_words(c)}</div></li>" for c in changes)
    return (f'<div class="wco-banner wco-drift" role="note"><p>{_esc(text("drift_count", lang).format(n=len(changes)))} '
            f"{link}</p><ol class=\"wco-drift-list\">{items}</ol></div>")


def chapter_page(project: "Project", analysis: "ProjectAnalysis", translations: dict[str, dict[str, Translation]],
                 parity: ChapterParity, lang: str, title: str,
                 numbers: dict[str, dict[tuple[str, int], int]] | None = None,
                 rendered: dict[str, dict] | None = None, directory_urls: bool = True) -> str:
    """The Markdown (one raw HTML block) of a chapter's side-by-side page, in `lang`.
    `numbers`: paragraph_numbers by language, if already counted (one count serves all pages);
    `rendered`: the site's HTML of the pages (language -> page -> render.RenderedPage), to show
    the blocks as on their page (else their Markdown)."""
    from .render import page_url
    from .rendered_blocks import mark_words, rebased, split_blocks

    here, there = page_url(page_name(parity.chapter), directory_urls), page_url(parity.chapter, directory_urls)
    shown: dict[str, list[str] | None] = {}
    for side, blocks in ((parity.source_lang, parity.source), (parity.lang, parity.translation)):
        page = (rendered or {}).get(side, {}).get(parity.chapter)
        shown[side] = split_blocks(page.html, len(blocks.blocks)) if page is not None else None
    changes = chapter_drift(project, analysis, translations, parity.chapter, parity.lang) or []
    changed_at = {c.line: c for c in changes if c.kind != "removed"}
    numbers = numbers if numbers is not None else {}
    for side in (parity.source_lang, parity.lang):
        if side not in numbers:
            numbers[side] = paragraph_numbers(project, analysis, side)
    numbers_s, numbers_t = numbers[parity.source_lang], numbers[parity.lang]
    short = text("paragraph_short", lang)
    rows = []
    for pair in parity.pairs:
        s, t = pair.source, pair.translation
        classes = []
        change = changed_at.get(s.line) if s is not None else None
        if change is not None:
            classes.append("wco-sbs-changed")
        if not pair.matches:
            classes.append("wco-sbs-differs")

        def cell(block, numbers, side_lang, with_diff):
            if block is None:
                return f'<td class="wco-sbs-none">{_esc(text("sbs_no_counterpart", lang))}</td>'
            number = numbers.get((parity.chapter, block.index))
            num = f'<span class="wco-sbs-num">{_esc(short)} {number}</span>' if number else ""
            markdown = _words(with_diff) if with_diff is not None else _esc(block.text or block.kind)
            blocks_html = shown.get(side_lang)
            if blocks_html is None or block.index >= len(blocks_html):  # (not rendered: the Markdown)
                return f'<td lang="{html.escape(side_lang)}">{num}<div class="wco-sbs-text">{markdown}</div></td>'
            body = rebased(blocks_html[block.index], there, here)
            if with_diff is not None:
                body = mark_words(body, with_diff.old)
            source = (f'<details class="wco-sbs-markdown"><summary>{_esc(text("sbs_markdown", lang))}</summary>'
                      f'<div class="wco-sbs-text">{markdown}</div></details>')
            return f'<td lang="{html.escape(side_lang)}">{num}<div class="wco-sbs-page">{body}</div>{source}</td>'

        flags = []
        if change is not None:
            flags.append(text("sbs_changed", lang))
        if not pair.matches and s is not None and t is not None:
            flags.append(text("sbs_differs", lang))
        flag = f'<td class="wco-sbs-flag">{_esc("; ".join(flags))}</td>'
        rows.append(f'<tr class="{" ".join(classes)}">{cell(s, numbers_s, parity.source_lang, change)}'
                    f"{cell(t, numbers_t, parity.lang, None)}{flag}</tr>")
    head = (f"<tr><th>{_esc(_language(parity.source_lang, lang))}</th><th>{_esc(_language(parity.lang, lang))}</th>"
            "<th></th></tr>")
    intro = text("sbs_intro", lang).format(source=_language(parity.source_lang, lang),
                                           target=_language(parity.lang, lang))
    heading = f"{text('sbs_title', lang)} — {title}"
    # The theme writes the page title into the page and the search index unescaped.
    # The page's whole width: two columns of text need it (Material hides its side bars).
    return (f"---\ntitle: {json.dumps(html.escape(heading), ensure_ascii=False)}\nhide:\n  - navigation\n  - toc\n---\n\n"
            f'<h1 id="side-by-side">{_esc(heading)}</h1>\n\n<p>{_esc(intro)}</p>\n\n'
            f'<div class="wco-sbs"><table><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table></div>\n')


def status_section(project: "Project", analysis: "ProjectAnalysis", translations: dict[str, dict[str, Translation]],
                   lang: str, link: Callable[[str], str]) -> str:
    """The status page's list of side-by-side pages, with what each shows."""
    items = []
    for chapter in project.chapters:
        for (name, target), parity in analysis.parity.items():
            if name != chapter.name or lang not in chapter.texts:
                continue
            changes = chapter_drift(project, analysis, translations, name, target)
            differs = sum(1 for p in parity.pairs if not p.matches)
            counts = text("sbs_counts", lang).format(changed=len(changes) if changes is not None else "?",
                                                     differs=differs)
            items.append(f'<li data-chapter="{html.escape(name)}"><a href="{html.escape(link(page_name(name)))}">'
                         f"{_esc(chapter.texts[lang].title)}</a> ({_esc(_language(target, lang))}) — "
                         f"{_esc(counts)}</li>")
    if not items:
        return ""
    return (f'\n<h2 id="side-by-side">{_esc(text("sbs_status", lang))}</h2>\n\n<p>{_esc(text("sbs_status_intro", lang))}</p>\n\n'
            f'<ul class="wco-sbs-list">{"".join(items)}</ul>\n')
