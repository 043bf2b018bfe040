"""Where the site is served, read in one place: its address, its version, its forge, offline.

(Environment variables, not `!ENV` tags in `mkdocs.yml`: that file stays plain YAML that any
reader loads.)

The address of the site (`site_url`) is the one of `mkdocs.yml`, unless the environment
variable WCOREPORT_SITE_URL gives it: the CI workflows set it to the address of the forge's
pages (a project's pages are served under a sub-path, `https://host/group/project/`); the
`publish` command sets it to each version's folder under that address. MkDocs writes it into
the sitemap and the canonical links only: every link of the pages stays relative, so the site
works under any path.

WCOREPORT_VERSION (set by `publish`, never by hand) names the version being built: Material's
version selector is turned on (`extra.version.provider: mike`, the contract of the
`versions.json` that `publish` and mike write).

The forge (`repo_url`, `edit_uri` of `mkdocs.yml`: Material's "edit this page", our comment
links) likewise: WCOREPORT_REPO_URL and WCOREPORT_EDIT_URI, which the workflows set.

WCOREPORT_OFFLINE=true (set by `publish` for its zip) turns on Material's `offline` plugin
(listed, off, in `mkdocs.yml`); its search in a page opened from the file system runs in an iframe through the
`iframe-worker` shim, which Material would load from a CDN: we ship it (assets/iframe-worker.js).
"""

from __future__ import annotations

import os

SITE_URL_ENV = "WCOREPORT_SITE_URL"
REPO_URL_ENV = "WCOREPORT_REPO_URL"
EDIT_URI_ENV = "WCOREPORT_EDIT_URI"
VERSION_ENV = "WCOREPORT_VERSION"
OFFLINE_ENV = "WCOREPORT_OFFLINE"
IFRAME_WORKER = "assets/iframe-worker.js"  # the iframe-worker shim (npm package iframe-worker 1.0.4, MIT)


def site_url() -> str | None:
    """The address given by the environment, with its final slash; None: that of mkdocs.yml."""
    url = os.environ.get(SITE_URL_ENV, "").strip()
    if not url:
        return None
    return url if url.endswith("/") else url + "/"


def configured_site_url(root) -> str | None:
    """The address the site is given: the environment's, else `site_url` of `mkdocs.yml` (read
    as MkDocs reads it, its `!ENV` tags resolved)."""
    url = site_url()
    if url is not None:
        return url
    from mkdocs.utils.yaml import yaml_load

    try:
        with open(root / "mkdocs.yml", encoding="utf-8") as f:
            config = yaml_load(f)
    except Exception:  # (mkdocs.yml's own problems are the check's and MkDocs' to report)
        return None
    value = config.get("site_url") if isinstance(config, dict) else None
    return value if isinstance(value, str) and value.strip() else None


def _offline_plugin(config):
    return config.plugins.get("material/offline") or config.plugins.get("offline")


def offline(config) -> bool:
    """Whether Material's offline plugin is on for this build."""
    plugin = _offline_plugin(config)
    return bool(plugin is not None and plugin.config.get("enabled"))


def configure(config) -> list[str]:
    """Apply the environment to MkDocs' configuration; returns the assets to add (our files)."""
    url = site_url()
    if url is not None:
        config.site_url = url
    for key, env in (("repo_url", REPO_URL_ENV), ("edit_uri", EDIT_URI_ENV)):
        if os.environ.get(env, "").strip():
            config[key] = os.environ[env].strip()
    if config.repo_url and not config.repo_name:  # (MkDocs names it when it reads mkdocs.yml only)
        from urllib.parse import urlsplit

        host = urlsplit(config.repo_url).hostname or ""
        config.repo_name = ("GitHub" if host.endswith("github.com") else "GitLab" if "gitlab" in host
                            else urlsplit(config.repo_url).path.rstrip("/").rsplit("/", 1)[-1] or host)
    if os.environ.get(OFFLINE_ENV, "").strip().lower() in ("1", "true", "yes"):
        plugin = _offline_plugin(config)
        if plugin is None:
            from mkdocs.exceptions import PluginError

            raise PluginError("WCOREPORT_OFFLINE: mkdocs.yml lists no `offline` plugin (Material's) to turn on")
        plugin.config.enabled = True  # (its own on_config, after ours, then does its work)
    if os.environ.get(VERSION_ENV):
        extra_version = dict(config.extra.get("version") or {})
        extra_version.setdefault("provider", "mike")
        config.extra["version"] = extra_version
    assets = []
    if offline(config):
        # Before the offline plugin's own on_config, which adds the CDN's copy unless one is there.
        polyfills = [p for p in config.extra.get("polyfills", []) if "iframe-worker" not in str(p)]
        config.extra["polyfills"] = [*polyfills, IFRAME_WORKER]
        assets.append(IFRAME_WORKER)
    return assets


def source_edit_url(config, root, path) -> str | None:
    """The forge's editor for a source file outside the docs folder (a case study's text):
    `edit_uri` names the docs folder's place in the repository (edit/main/docs/)."""
    from pathlib import Path
    from urllib.parse import urljoin

    if not config.repo_url or not config.edit_uri:
        return None
    docs = Path(config.docs_dir).resolve()
    edit_uri = config.edit_uri if config.edit_uri.endswith("/") else config.edit_uri + "/"
    try:
        docs_rel = docs.relative_to(Path(root).resolve()).as_posix() + "/"
        rel = Path(path).resolve().relative_to(Path(root).resolve()).as_posix()
    except ValueError:
        return None
    if not edit_uri.endswith(docs_rel):  # (an edit_uri that does not end in the docs folder: unknown layout)
        return None
    base = urljoin(config.repo_url.rstrip("/") + "/", edit_uri[: -len(docs_rel)])
    return base + rel


def settings_key() -> list[str]:
    """What of the environment changes the site (a part of the build's up-to-date key)."""
    return [f"{name}={os.environ.get(name, '')}" for name in (SITE_URL_ENV, VERSION_ENV, OFFLINE_ENV,
                                                               REPO_URL_ENV, EDIT_URI_ENV)]
