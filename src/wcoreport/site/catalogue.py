"""The case-study catalogue (`{% casestudies %}`) on the site: a plain HTML table that reads
without JavaScript, with the data a small script needs to filter and sort it client-side
(`site/assets/catalogue.js`), and the counts by technology and by region.

Each row carries its values as ids (`data-region="eur"`, `data-technologies="ai-ml cloud"`), so
the script filters on ids while the cells show names in the page's language. The filter form is
generated here too, with its labels translated, and stays `hidden` until the script runs.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections import Counter
from typing import TYPE_CHECKING, Callable

from ..text.strings import section
from ..text.strings import text as label
from ..text.strings import section as strings_section
from ..sources.vocabulary import CASESTUDY_STATUSES, REGIONS, SOURCES

if TYPE_CHECKING:
    from ..sources.project import Project

TEXT = section("catalogue")  # its texts, per language: strings.py
STATUS = strings_section("status")
SUMMARY_CHARS = 400  # of a case study's text, searched by the text filter


def searchable(text: str) -> str:
    """Text as the text filter compares it: no case, no accents (catalogue.js folds the query alike)."""
    text = unicodedata.normalize("NFD", text.casefold())
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).split())


def summary(markdown: str) -> str:
    """The start of a case study's text, without its Markdown punctuation (for the text filter)."""
    text = re.sub(r"\[@[^\]]*\]", " ", markdown)  # citations
    text = re.sub(r"\\(.)", r"\1", re.sub(r"(?<!\\)[*_`#|]", " ", text))  # emphasis, code, headings
    return " ".join(html.unescape(text).split())[:SUMMARY_CHARS]


def catalogue_html(project: "Project", lang: str, link: Callable[[str], str]) -> str:
    """The catalogue, as HTML made here (every value escaped); `link` gives the URL of a page
    of the language folder from the current page."""
    labels = {k: label(k, lang) for k in ("casestudy", "member", "region", "technologies", "year", "source")}
    text = TEXT[lang]
    labels["status"] = text["status"]
    esc = html.escape
    studies = sorted(project.casestudies.items(), key=lambda kv: (kv[1].meta.year, kv[0]))
    tech_name = {tid: t.names.get(lang, tid) for tid, t in project.technologies.items()}

    rows = []
    for cid, study in studies:
        meta = study.meta
        techs = [t for t in meta.technologies if t in tech_name]
        href = link(f"casestudies/{cid}.md")
        search = searchable(" ".join((study.title(lang), study.member_name(lang),
                                      summary(study.texts.get(lang, "")))))
        rows.append(
            f'<tr data-region="{esc(meta.region)}" data-technologies="{esc(" ".join(techs))}" '
            f'data-year="{meta.year}" data-status="{esc(meta.status)}" data-search="{esc(search)}">'
            f'<td><a href="{esc(href)}">{esc(study.title(lang))}</a></td>'
            f'<td><span class="wco-status wco-status-{esc(meta.status)}">{esc(STATUS[lang][meta.status])}</span></td>'
            f"<td>{esc(study.member_name(lang))}</td>"
            f"<td>{esc(REGIONS[meta.region][lang])}</td>"
            f"<td>{esc(', '.join(tech_name[t] for t in techs))}</td>"
            f"<td>{meta.year}</td>"
            f"<td>{esc(SOURCES[meta.source][lang])}</td></tr>")
    columns = [("casestudy", "text"), ("status", "text"), ("member", "text"), ("region", "text"), ("technologies", "text"),
               ("year", "number"), ("source", "text")]
    head = "".join(f'<th scope="col" data-sort="{kind}">{esc(labels[key])}</th>' for key, kind in columns)
    # Classes go on a wrapper: Material styles (and makes scrollable) only tables without one.
    table = (f'<div class="wco-catalogue" data-sort-label="{esc(text["sort"])}">'
             f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>")

    tech_counts = Counter(t for _, s in studies for t in s.meta.technologies if t in tech_name)
    region_counts = Counter(s.meta.region for _, s in studies)
    years = sorted({s.meta.year for _, s in studies}, reverse=True)

    def select(key: str, options: list[tuple[str, str]]) -> str:
        opts = f'<option value="">{esc(text["all"])}</option>' + "".join(
            f'<option value="{esc(value)}">{esc(name)}</option>' for value, name in options)
        return (f'<label class="wco-filter">{esc(labels[key])} '
                f'<select data-filter="{"technologies" if key == "technologies" else key}">{opts}</select></label>')

    tech_options = sorted(((t, tech_name[t]) for t in tech_counts), key=lambda kv: kv[1].casefold())
    region_options = sorted(((r, REGIONS[r][lang]) for r in region_counts), key=lambda kv: kv[1].casefold())
    form = (f'<form class="wco-filters" aria-label="{esc(text["filter"])}" '
            f'data-shown="{esc(text["shown"])}" hidden>'
            + select("technologies", tech_options) + select("region", region_options)
            + select("year", [(str(y), str(y)) for y in years])
            + select("status", [(s, STATUS[lang][s]) for s in CASESTUDY_STATUSES
                                if any(st.meta.status == s for _, st in studies)])
            + f'<label class="wco-filter">{esc(text["search"])} '
              f'<input type="search" data-search="" autocomplete="off"></label>'
            + '<output class="wco-filter-count" aria-live="polite"></output></form>')

    def counts_table(caption: str, key: str, items: list[tuple[str, str, int]]) -> str:
        body = "".join(f'<tr data-{key}="{esc(value)}"><td>{esc(name)}</td><td class="wco-num">{n}</td></tr>'
                       for value, name, n in items)
        return (f'<div class="wco-counts"><table><caption>{esc(caption)}</caption><thead><tr>'
                f'<th scope="col">{esc(labels[key if key != "technology" else "technologies"])}</th>'
                f'<th scope="col">{esc(text["count"])}</th></tr></thead><tbody>{body}</tbody></table></div>')

    by_tech = counts_table(text["by_technology"], "technology",
                           sorted(((t, tech_name[t], n) for t, n in tech_counts.items()), key=lambda x: (-x[2], x[1])))
    by_region = counts_table(text["by_region"], "region",
                             sorted(((r, REGIONS[r][lang], n) for r, n in region_counts.items()),
                                    key=lambda x: (-x[2], x[1])))
    return f'{form}\n{table}\n<div class="wco-counts-group">{by_tech}{by_region}</div>'



def submissions_section(project: "Project", lang: str, link: Callable[[str], str]) -> str:
    """The status page's list of the submissions waiting for an editor (status: submitted)."""
    esc = html.escape
    waiting = sorted((cid, s) for cid, s in project.casestudies.items() if s.meta.status == "submitted")
    items = "".join(f'<li data-casestudy="{esc(cid)}"><a href="{esc(link(f"casestudies/{cid}.md"))}">'
                    f"{esc(study.title(lang))}</a> — {esc(study.member_name(lang))}, {study.meta.year}</li>"
                    for cid, study in waiting)
    body = f'<ul class="wco-submissions">{items}</ul>' if items else f"<p>{esc(label('intake.none', lang))}</p>"
    return (f'\n<h2 id="submissions">{esc(label("intake.waiting", lang))}</h2>\n\n'
            f"<p>{esc(label('intake.waiting_intro', lang))}</p>\n\n{body}\n")
