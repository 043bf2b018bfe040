"""Pages the site generates from the content model: one page per case study and language."""

from __future__ import annotations

import html
import json

import markdown as pymarkdown

from ..markdown.preprocess import LABELS, Context, casestudy_text, sanitize
from ..vocabulary import REGIONS, SOURCES

USED_IN = {"en": "Used in", "fr": "Cité dans"}


def casestudy_page(cid: str, ctx: Context, chapter_titles: dict[str, str]) -> str:
    """The Markdown of a case study's own page; its text is Members' and gets sanitized."""
    project = ctx.project
    study = project.casestudies[cid]
    labels = LABELS[ctx.lang]
    techs = ", ".join(project.technologies[t].names[ctx.lang] for t in study.meta.technologies
                      if t in project.technologies)
    member = study.member_name(ctx.lang)
    if study.meta.administration:
        member = f"{member} ({study.meta.administration[ctx.lang]})"
    rows = [
        (labels["member"], member),
        (labels["region"], REGIONS[study.meta.region][ctx.lang]),
        (labels["technologies"], techs),
        (labels["year"], str(study.meta.year)),
        (labels["source"], SOURCES[study.meta.source][ctx.lang]),
    ]
    table = "".join(f"<tr><th>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>" for k, v in rows)
    body = sanitize(pymarkdown.markdown(casestudy_text(cid, ctx), extensions=["tables", "footnotes", "sane_lists"]))
    users = project.casestudy_users.get(ctx.lang, {}).get(cid, [])
    used = ""
    if users and ctx.link:
        items = "".join(f'<li><a href="{html.escape(ctx.link(name))}">{html.escape(chapter_titles.get(name, name))}</a></li>'
                        for name in users)
        used = f'<h2 id="used-in">{USED_IN[ctx.lang]}</h2><ul class="wco-used-in">{items}</ul>'
    # The theme puts the title into the nav and <title> as HTML, unescaped: escape it here.
    return (f"---\ntitle: {json.dumps(html.escape(study.title(ctx.lang)), ensure_ascii=False)}\n---\n\n"
            f"# {html.escape(study.title(ctx.lang))}\n\n"  # a Member's plain text, never markup
            f'<table class="wco-casestudy-meta">{table}</table>\n\n'
            f'<div class="wco-casestudy-text">{body}</div>\n\n{used}\n')

