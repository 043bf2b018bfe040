"""`build_report.py publish --out DIR`: the tree a static host serves, one folder a version.

    DIR/index.html          leads to the current version
    DIR/versions.json       the versions, newest first (mike's contract: site/versions.py)
    DIR/current/            the sources as they are (site, downloads/ with the DOCX and PDF,
                            and downloads/<name>-site-offline.zip, the site for the file system)
    DIR/review-2/ ...       each review round (git tag review-N) as it was at its tag

Each version is a whole build (`build_report.py all`) of its sources, run with the address of
its folder (WCOREPORT_SITE_URL, hosting.py) and the version selector on. A review round is
built once from its tag (extracted by revisions.sources_at) and kept in the user's cache
folder by its commit, its address and the toolchain's version (cache.toolchain): the next
publish copies it. The tree is made beside DIR and
moved in whole (outputs.atomic_directory), after the link check of every version found
nothing broken.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..pipeline.cache import digest, toolchain, user_cache_dir
from ..pipeline.outputs import atomic_directory
from ..pipeline.revisions import RevisionError, resolve, review_tags, sources_at
from ..site.hosting import OFFLINE_ENV, SITE_URL_ENV, VERSION_ENV
from ..site.versions import VERSIONS, Version, add_language_files, redirect_page, versions_json
from .linkcheck import LinkReport, check_site

CURRENT = "current"
KEPT = "versions"  # below the user's cache folder


class PublishError(Exception):
    """A version cannot be built, or the published tree has a broken link."""


@dataclass
class Published:
    versions: list[Version]
    links: dict[str, LinkReport]  # version -> its link check
    built: list[str]  # versions built by this run (the others were kept from an earlier one)


def _build(source: Path, out: Path, env: dict[str, str], command: str = "all") -> None:
    """One build of the sources at `source` into `out`, in a process of its own."""
    proc = subprocess.run([sys.executable, "-m", "wcoreport.cli", command, "--root", str(source), "--out", str(out),
                           "-q"], cwd=source, capture_output=True, text=True, env={**os.environ, **env})
    if proc.returncode != 0:
        lines = [ln for ln in (proc.stderr + proc.stdout).splitlines() if ln.strip()]
        raise PublishError("\n".join(lines[-20:]))


def _build_version(source: Path, scratch: Path, name: str, site_url: str, offline: str | None) -> Path:
    """The site of one version with its downloads (and, if `offline` names it, the offline zip)."""
    out = scratch / name
    url = f"{site_url}{name}/"
    _build(source, out, {SITE_URL_ENV: url, VERSION_ENV: name})
    site = out / "site"
    if offline:
        flat = scratch / f"{name}-offline"
        _build(source, flat, {SITE_URL_ENV: url, OFFLINE_ENV: "true"}, command="site")
        zip_site(flat / "site", site / "downloads" / offline)
    return site


def zip_site(site: Path, target: Path) -> None:
    """The site as a zip, its files under one folder, in a fixed order (equal sites, equal zips)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    folder = target.stem
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(p for p in site.rglob("*") if p.is_file()):
            rel = path.relative_to(site).as_posix()
            if rel.startswith("downloads/"):  # (the documents are downloaded on their own)
                continue
            info = zipfile.ZipInfo(f"{folder}/{rel}", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, path.read_bytes())


def publish(root: Path, out: Path, site_url: str, languages: tuple[str, ...], offline_name: str,
            say: Callable[[str], None]) -> Published:
    """Build every version into the tree `out` (see the module's docstring)."""
    import tempfile
    from urllib.parse import urlsplit

    site_url = site_url if site_url.endswith("/") else site_url + "/"
    prefix = urlsplit(site_url).path or "/"
    try:
        tags = review_tags(root)
        revisions = [resolve(root, tag) for tag in tags]
    except RevisionError as exc:
        raise PublishError(str(exc)) from None
    versions = [Version(CURRENT, CURRENT, ("latest",))] + [Version(r.name, r.name) for r in reversed(revisions)]
    kept_root = user_cache_dir() / KEPT
    built: list[str] = []
    links: dict[str, LinkReport] = {}
    with tempfile.TemporaryDirectory(prefix="wcoreport-publish-") as tmp, atomic_directory(out) as staged:
        scratch = Path(tmp)
        say(f"[{CURRENT}] building the sources as they are")
        shutil.copytree(_build_version(root, scratch, CURRENT, site_url, offline_name), staged / CURRENT)
        built.append(CURRENT)
        for revision in reversed(revisions):
            kept = kept_root / f"{revision.name}-{revision.commit[:16]}-{digest([site_url, toolchain()])[:12]}"
            if not (kept / ".complete").is_file():
                say(f"[{revision.name}] building the sources of commit {revision.commit[:12]}")
                with sources_at(root, revision) as old_root:
                    try:
                        site = _build_version(old_root, scratch, revision.name, site_url, None)
                    except PublishError as exc:
                        raise PublishError(f"{revision.name} (commit {revision.commit[:12]}) does not build:\n{exc}") from None
                shutil.rmtree(kept, ignore_errors=True)
                shutil.copytree(site, kept)
                (kept / ".complete").write_text(revision.commit + "\n", "utf-8")
                built.append(revision.name)
            else:
                say(f"[{revision.name}] kept from an earlier publish (commit {revision.commit[:12]})")
            shutil.copytree(kept, staged / revision.name, ignore=shutil.ignore_patterns(".complete"))
        for version in versions:
            add_language_files(staged / version.name, versions, version, languages)
        (staged / VERSIONS).write_text(versions_json(versions), "utf-8")
        (staged / "index.html").write_text(redirect_page(f"{CURRENT}/"), "utf-8")
        for version in versions:
            say(f"[{version.name}] checking every link (outside links are listed, not fetched)")
            links[version.name] = check_site(staged, prefix, start=f"{version.name}/", own_url=site_url)
        broken = [str(b) for report in links.values() for b in report.broken]
        if broken:
            raise PublishError("broken links; nothing was published:\n" + "\n".join(broken))
    return Published(versions, links, built)
