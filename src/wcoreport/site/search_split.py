"""Search per language: one search index for each language, and each page pointed at its own.

MkDocs' search plugin (with mkdocs-static-i18n) writes one `search/search_index.json` holding
every language, and Material's search loads it from `<base>/search/search_index.json`, where
`base` is the site root given in the page's `__config` JSON. So a French page's search returned
English pages too. After the build we split that index: the default language's pages stay in
`search/search_index.json`; the pages of language `xx` (all under `xx/`) go to
`xx/search/search_index.json`, their locations made relative to `xx/`; and every page of `xx`
gets `base` = its language folder, so Material loads that index and resolves its results there.

`base` is otherwise used by Material for the sitemap of instant navigation (not enabled here)
and for its version selector, which `publish` serves in each language (site/versions.py).

Opened from the file system (Material's `offline` plugin), Material reads the index from
`search/search_index.js` beside the JSON (a script setting `__index`): with `scripts`, each
language's index gets its script too (the offline plugin wrote one, of every language, before).
"""

from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path

INDEX = "search/search_index.json"
_CONFIG = re.compile(r'(<script id="__config" type="application/json">)(.*?)(</script>)', re.S)


def split_search_index(site_dir: Path, languages: tuple[str, ...],
                       pages: dict[str, list[dict]] | None = None, scripts: bool = False) -> dict[str, int]:
    """Rewrite the index as one per language; returns the number of entries of each.

    `pages`: for the dirty reloads of `mkdocs serve` (./run serve), every page's entries as
    last indexed, by page; updated here with the pages this build indexed (the index holds only
    those then), and written whole. (Material's own merge of a dirty build's index assumes one
    page a build: with the pages a save reaches in two languages, its entries doubled at every
    save, and static-i18n's removal of duplicates, quadratic, took seconds, then minutes.)"""
    path = site_dir / INDEX
    if not path.is_file():
        return {}
    index = json.loads(path.read_text("utf-8"))
    entries = index.get("docs", [])
    if pages is not None:
        built: dict[str, list[dict]] = {}
        seen: set[tuple] = set()
        for doc in entries:  # (once each: under serve, static-i18n stacks some entries twice)
            key = (doc.get("location", ""), doc.get("title", ""), doc.get("text", ""))
            if key not in seen:
                seen.add(key)
                built.setdefault(key[0].split("#", 1)[0], []).append(doc)
        pages.update(built)
        entries = [doc for page in pages.values() for doc in page]
    default, others = languages[0], languages[1:]
    docs: dict[str, list[dict]] = {lang: [] for lang in languages}
    for doc in entries:
        location = doc.get("location", "")
        lang = next((o for o in others if location == o or location.startswith(f"{o}/")), default)
        if lang != default:
            doc = {**doc, "location": location[len(lang):].lstrip("/")}
        docs[lang].append(doc)
    counts = {}
    for lang in languages:
        config = {**index.get("config", {}), "lang": [lang]}  # lunr's stemmer of that language only
        target = path if lang == default else site_dir / lang / INDEX
        target.parent.mkdir(parents=True, exist_ok=True)
        data = json.dumps({"config": config, "docs": docs[lang]}, ensure_ascii=False, separators=(",", ":"))
        target.write_text(data, "utf-8")
        if scripts:  # (JSON is a JavaScript expression; "</" cannot end a script loaded by src)
            target.with_suffix(".js").write_text(f"var __index = {data}", "utf-8")
        counts[lang] = len(docs[lang])
    return counts


def point_search_at_language(output: str, lang: str) -> str:
    """Set the page's search base to its language folder (pages of non-default languages)."""
    match = _CONFIG.search(output)
    if not match:
        return output
    config = json.loads(match.group(2))
    base = config.get("base") or "."
    config["base"] = posixpath.join(base, lang) + "/"
    data = json.dumps(config, ensure_ascii=False).replace("</", "<\\/")
    return output[: match.start(2)] + data + output[match.end(2):]
