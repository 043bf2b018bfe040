"""Review status on the site: the badge of each chapter, the banners, and the status page.

Dates and the source version come from git when the sources are a git checkout; without git (a
tarball, a copy), from the files' modification times and "no version information": the site
builds either way.
"""

from __future__ import annotations

import datetime
import functools
import html
import json
import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import babel.dates

from ..text.strings import section
from ..translation.translations import State, Translation


def esc(text: str) -> str:
    """Escape text for an HTML text node (apostrophes stay apostrophes, for French typography)."""
    return html.escape(text, quote=False)

# Their texts, per language: strings.py (one table for the whole toolchain).
STATUS = section("status")
STATE = {lang: {State(k): v for k, v in texts.items()} for lang, texts in section("state").items()}
LANGUAGE = section("language")
TEXT = section("site")


def _git(root: Path, *args: str) -> str | None:
    try:
        proc = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None  # no git on this machine
    return proc.stdout if proc.returncode == 0 else None


@dataclass
class SourceInfo:
    """What the banners and the status page say about the sources as built."""

    build_date: datetime.date
    version: str | None  # short commit id, or None without git
    modified: bool  # uncommitted changes in the checkout
    changed: dict[Path, datetime.date]  # last change of each file under docs/

    def last_change(self, path: Path) -> datetime.date:
        found = self.changed.get(path.resolve())
        if found:
            return found
        return datetime.date.fromtimestamp(path.stat().st_mtime)


def source_info(root: Path, docs_dir: Path) -> SourceInfo:
    # SOURCE_DATE_EPOCH: the reproducible-builds convention for a fixed build date.
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        today = datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc).date()
    else:
        today = datetime.datetime.now(datetime.timezone.utc).date()
    top = _git(root, "rev-parse", "--show-toplevel")
    if top is None:
        return SourceInfo(today, None, False, {})
    top_dir = Path(top.strip())
    version = (_git(root, "rev-parse", "--short", "HEAD") or "").strip() or None
    dirty_out = _git(root, "status", "--porcelain", "--untracked-files=all", "--", str(docs_dir)) or ""
    dirty = {(top_dir / line[3:].strip().strip('"')).resolve() for line in dirty_out.splitlines() if len(line) > 3}
    changed: dict[Path, datetime.date] = {}
    log = _git(root, "log", "--format=%x00%cs", "--name-only", "--", str(docs_dir)) or ""
    date = None
    for line in log.splitlines():
        if line.startswith("\0"):
            date = datetime.date.fromisoformat(line[1:].strip())
        elif line.strip() and date is not None:
            changed.setdefault((top_dir / line.strip()).resolve(), date)
    for path in dirty:  # edited since the last commit: the file's own time is the truth
        changed.pop(path, None)
    any_dirty = bool((_git(root, "status", "--porcelain", "--untracked-files=no") or "").strip())
    return SourceInfo(today, version, any_dirty, changed)


def format_date(date: datetime.date, lang: str) -> str:
    return babel.dates.format_date(date, format="long", locale=lang)


_WORD = re.compile(r"\w+(?:['’-]\w+)*")
_NOT_PROSE = [
    re.compile(r"^\s*\{%.*%\}\s*$", re.M),  # directives
    re.compile(r"\{[#.][^}]*\}"),  # attribute lists: {#id}
    re.compile(r"\]\([^)]*\)"),  # link targets
    re.compile(r"\[@[^\]]*\]"),  # citations
    re.compile(r"<[^>]+>"),  # HTML tags
]


@functools.lru_cache(maxsize=1024)  # (the status page of each language counts every chapter)
def word_count(body: str) -> int:
    for pattern in _NOT_PROSE:
        body = pattern.sub(" ", body)
    return len(_WORD.findall(body))


def badge(status: str, lang: str) -> str:
    label = STATUS[lang][status]
    return f'<span class="wco-badge wco-badge-{status}" title="{html.escape(label)}">{esc(label)}</span>'


def stale_banner(translation: Translation, lang: str, source_href: str) -> str:
    text = TEXT[lang]
    source = LANGUAGE[lang].get(translation.source_lang, translation.source_lang)
    return (f'<div class="wco-banner wco-stale" role="note">{esc(text["stale"].format(source=source))} '
            f'<a href="{html.escape(source_href)}" hreflang="{translation.source_lang}">'
            f'{esc(text["read_source"].format(source=source))}</a></div>')


def site_banner(info: SourceInfo, lang: str, downloads: list[tuple[str, str | None]], status_href: str,
                final: bool) -> str:
    """The banner at the top of every page: the draft notice with the build date and source
    version (until the report is final), the report's downloads and the link to the status page.
    `downloads`: (label, href) pairs; href None when the report was not built with the site."""
    text = TEXT[lang]
    links = []
    for label, href in downloads:
        if href:
            links.append(f'<a class="wco-download" href="{html.escape(href)}" download>{esc(label)}</a>')
        else:
            links.append(f'<span class="wco-download wco-download-disabled" aria-disabled="true">'
                         f'{esc(label)}</span>')
    missing = "" if all(href for _, href in downloads) else f" {text['not_built']}"
    tail = (f'{esc(text["download"])} {" · ".join(links)}{esc(missing)} · '
            f'<a href="{html.escape(status_href)}">{esc(text["status_link"])}</a>')
    if final:
        return f'<div class="wco-banner wco-downloads" role="note">{tail}</div>'
    if info.version:
        version = f"<code>{esc(info.version)}</code>"
        if info.modified:
            version += f" ({text['modified']})"
    else:
        version = text["no_version"]
    built = text["built"].format(date=esc(format_date(info.build_date, lang)), version=version)
    return f'<div class="wco-banner wco-draft" role="note"><strong>{esc(text["draft"])}</strong> {built} {tail}</div>'


@dataclass
class StatusRow:
    name: str
    title: str
    status: str
    words: int
    changed: datetime.date
    translations: dict[str, Translation]  # every language of the chapter


def status_page(lang: str, rows: list[StatusRow], link: Callable[[str], str], languages: tuple[str, ...]) -> str:
    """The Markdown (with an HTML table) of the status page of one language."""
    text = TEXT[lang]
    states = STATE[lang]
    names = LANGUAGE[lang]
    counts = {other: {s: 0 for s in State} for other in languages}
    body = []
    for row in rows:
        own = row.translations[lang]
        for other, translation in row.translations.items():
            counts[other][translation.state] += 1
        if own.state is State.SOURCE:
            others = [f"{names.get(o, o)} : {states[row.translations[o].state]}" if lang == "fr"
                      else f"{names.get(o, o)}: {states[row.translations[o].state]}"
                      for o in languages if o != lang]
            cell = f'<span class="wco-state-source">{esc(states[State.SOURCE])}</span>'
            if others:
                cell += "<br><small>" + esc("; ".join(others)) + "</small>"
        else:
            cell = f'<span class="wco-state wco-state-{own.state.value}">{esc(states[own.state])}</span>'
        title = f'<a href="{html.escape(link(row.name))}">{esc(row.title)}</a>'
        body.append(f'<tr data-state="{own.state.value}"><td>{title}</td><td>{badge(row.status, lang)}</td>'
                    f'<td class="wco-num">{row.words}</td><td>{esc(format_date(row.changed, lang))}</td>'
                    f"<td>{cell}</td></tr>")
    summary = "".join(
        f"<li>{esc(text['summary'].format(language=names.get(other, other), stale=c[State.STALE], missing=c[State.MISSING], untracked=c[State.UNTRACKED], current=c[State.CURRENT]))}</li>"
        for other, c in counts.items() if sum(c.values()) > c[State.SOURCE])
    head = "".join(f"<th>{esc(text[k])}</th>" for k in ("chapter", "status", "words", "changed", "translation"))
    missing = [r for r in rows if any(t.state is State.MISSING for t in r.translations.values())]
    missing_html = ""
    if missing:
        items = "".join(
            f"<li>{esc(r.name)} — "
            + esc(", ".join(names.get(lg, lg) for lg, t in r.translations.items() if t.state is State.MISSING))
            + "</li>" for r in missing)
        missing_html = f'<h2 id="missing">{esc(text["missing_list"])}</h2><ul class="wco-missing">{items}</ul>'
    return (f"---\ntitle: {json.dumps(text['status_title'], ensure_ascii=False)}\n---\n\n# {text['status_title']}\n\n{text['intro']}\n\n"
            f'<ul class="wco-status-summary">{summary}</ul>\n\n'
            f'<div class="wco-status"><table><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table></div>\n\n'
            f"{missing_html}\n")
