"""The theme's templates, made cheaper for a site of many pages; what they write is unchanged.

- *Compiled once per process* (`CompiledTemplates`): `mkdocs serve` makes a new template
  environment on each reload, which compiled every template again (a fifth of a reload).
- *The navigation written once per folder* (`navigation_once`): Material writes the whole
  navigation into every page. Most of our pages are not in it (a case study's page, the
  side-by-side pages), and for those the navigation differs only by its links, which are
  relative to the page's folder: pages side by side in one folder get the same text. It is
  written once for each such folder and build, and copied into the others. Pages in the
  navigation (one item is theirs, marked active), the home page, and a page with an item of the
  navigation below its own folder get their own, as before. With the navigation's table of
  contents (Material's `toc.integrate`), every page gets its own. On the 4x corpus this was 7 of
  the 20 s of MkDocs' CPU time: the text of the navigation grows with the chapters, and so does
  the number of pages.
"""

from __future__ import annotations

import posixpath

import jinja2
from markupsafe import Markup

NAV = "partials/nav.html"
_THEMES_NAV = "wcoreport:theme/" + NAV  # the theme's own (or the site's override of it)


class CompiledTemplates(jinja2.BytecodeCache):
    """A template is found by its name and the hash of its source (Jinja's own bucket key)."""

    def __init__(self) -> None:
        self._compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        code = self._compiled.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket) -> None:
        self._compiled[bucket.key] = bucket.bytecode_to_string()


class _NavigationOnce(jinja2.BaseLoader):
    """The theme's loader, with `partials/nav.html` calling `wcoreport_navigation()`, which
    renders the theme's own under another name."""

    def __init__(self, inner: jinja2.BaseLoader):
        self.inner = inner

    def get_source(self, environment, template):
        if template == NAV:
            return "{{ wcoreport_navigation() }}", None, lambda: True
        return self.inner.get_source(environment, NAV if template == _THEMES_NAV else template)

    def list_templates(self):
        return self.inner.list_templates()


def install(env: jinja2.Environment, compiled: CompiledTemplates) -> jinja2.Environment:
    """The environment of one build (a new one for each language and each reload)."""
    env.bytecode_cache = compiled
    if env.loader is not None and not isinstance(env.loader, _NavigationOnce):
        env.loader = _NavigationOnce(env.loader)
        written: dict[tuple, str] = {}  # (folder of the page's folder, depth) -> the navigation

        @jinja2.pass_context
        def navigation(context) -> Markup:
            key = _shared(context)
            if key is not None and key in written:
                return Markup(written[key])
            text = context.environment.get_template(_THEMES_NAV).render(context.get_all())
            if key is not None:
                written[key] = text
            return Markup(text)

        env.globals["wcoreport_navigation"] = navigation
    return env


def _shared(context) -> tuple | None:
    """The key under which pages share their navigation's text, or None: this page's own."""
    page, nav = context.get("page"), context.get("nav")
    if page is None or nav is None or "toc.integrate" in (context.get("features") or ()):
        return None
    url = page.url or ""
    folder = url.rstrip("/") if url.endswith("/") or not url else posixpath.dirname(url)
    if not folder or any(item.active for item in nav.pages) or page in nav.pages:
        return None  # the home page's folder is the root; a page in the navigation is marked in it
    targets = [item.url or "" for item in nav.pages]
    homepage = getattr(nav, "homepage", None)
    if homepage is not None:
        targets.append(homepage.url or "")
    if any(target == folder or target.startswith(folder + "/") for target in targets):
        return None  # a link into the page's own folder is written differently from a sibling's
    return (posixpath.dirname(folder), folder.count("/"))
