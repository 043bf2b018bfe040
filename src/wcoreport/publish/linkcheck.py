"""The link check of a built site: every internal link, anchor, asset and download, by LinkChecker.

LinkChecker (the `linkchecker` package) crawls the site from its home page, as served by a
plain static server under the path it will have (serve.py): each page, stylesheet, script,
image and download is requested, each `#anchor` looked for in its page (its AnchorCheck
plugin). Outside links are not fetched (no network): they are listed. A link that stays on the
server but leaves the site's path (e.g. `/assets/x.css` on a site served at `/some/path/`) is
broken: on the forge's pages it would be.

Used in-process, not through its command: run as root, the command drops to the user `nobody`,
who may not read the folder being checked.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

from .serve import serve


@dataclass(frozen=True)
class BrokenLink:
    page: str  # the page that links, relative to the site's root ("" for the start)
    line: int
    link: str  # the link as written
    reason: str

    def __str__(self) -> str:
        where = f"{self.page}:{self.line}" if self.line else (self.page or "(start)")
        return f"{where}: broken link {self.link}: {self.reason}"


@dataclass
class LinkReport:
    checked: int = 0  # URLs of the site checked
    broken: list[BrokenLink] = field(default_factory=list)
    outside: list[tuple[str, str]] = field(default_factory=list)  # (page, outside link), not fetched


def _collector(results: list, lock: threading.Lock):
    from linkcheck.logger import _Logger

    class Collector(_Logger):
        LoggerName = "wcoreport"
        LoggerArgs: dict = {}

        def start_output(self):
            pass

        def log_url(self, url_data):
            with lock:
                results.append(url_data)

        def end_output(self, **kwargs):
            pass

    return Collector()


def check_site(folder: Path, prefix: str = "/", start: str = "", threads: int = 4, own_url: str = "") -> LinkReport:
    """Check the site in `folder` as served at `prefix`, from its page `start` (a path below
    `prefix`): that page and all it leads to below it. `own_url`: the site's public address
    (its canonical links are not outside links)."""
    from linkcheck import checker, configuration, director

    results: list = []
    lock = threading.Lock()
    report = LinkReport()
    with serve(folder, prefix) as root:
        config = configuration.Configuration()
        config["logger"] = _collector(results, lock)
        config["fileoutput"] = []
        config["verbose"] = True  # every URL reaches the logger, the good ones too (counted)
        config["checkextern"] = False
        config["threads"] = threads
        config["timeout"] = 20
        config["status"] = False
        config["enabledplugins"] = ["AnchorCheck"]
        config["robotstxt"] = False  # (our own server: no robots.txt to ask)
        config["maxrequestspersecond"] = 1000  # (its default, 10 a second, is for others' servers)
        config.sanitize()
        aggregate = director.get_aggregate(config)
        aggregate.urlqueue.put(checker.get_url_from(root + start, 0, aggregate, extern=(0, 0)))
        director.check_urls(aggregate)
        origin = root[: root.index("/", len("http://"))]
    for data in results:
        url = data.url or ""
        page = data.parent_url[len(root):] if (data.parent_url or "").startswith(root) else (data.parent_url or "")
        link = data.base_url or url
        if url.startswith(("data:", "mailto:", "javascript:")):
            continue
        if data.extern:
            if url.startswith(origin):  # the same server, outside the part checked
                report.broken.append(BrokenLink(page, data.line or 0, link, f"leads off the site (its path: {prefix}{start})"))
            elif not (own_url and url.startswith(own_url)):
                report.outside.append((page, url))
            continue
        report.checked += 1
        anchors = [message.split(". Available anchors")[0] for _tag, message in (data.warnings or [])
                   if str(message).startswith("Anchor")]  # (AnchorCheck's warning has no tag)
        if not data.valid:
            report.broken.append(BrokenLink(page, data.line or 0, link, str(data.result or "not found")))
        elif anchors:
            report.broken.append(BrokenLink(page, data.line or 0, link, "; ".join(anchors)))
    report.broken.sort(key=lambda b: (b.page, b.line, b.link))
    report.outside = sorted(set(report.outside))
    return report
