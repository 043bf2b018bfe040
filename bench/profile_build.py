#!/usr/bin/env python3
"""Where the project's build spends its time: each step of the report, then the site.

    python bench/profile_build.py --corpus DIR

Loads the project once, then builds the report one language at a time (so that every step's
time is its own, not shared with the other language's thread), timing each function of
`wcoreport.report.build` (inclusive: a function's time contains the functions it calls), then
both languages together as the build does, then the site with and without our plugin.
Wall and CPU seconds; CPU counts this process and its finished children (pandoc). The cache
of results (src/wcoreport/cache.py) is off: each step is timed doing its work.
"""

from __future__ import annotations

import argparse
import inspect
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import generate_corpus  # noqa: E402


def cpu_now() -> float:
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


class Timer:
    def __init__(self):
        self.wall: dict[str, float] = defaultdict(float)
        self.cpu: dict[str, float] = defaultdict(float)
        self.order: list[str] = []

    def measure(self, name: str, fn, *args, **kwargs):
        if name not in self.order:
            self.order.append(name)
        w, c = time.perf_counter(), cpu_now()
        try:
            return fn(*args, **kwargs)
        finally:
            self.wall[name] += time.perf_counter() - w
            self.cpu[name] += cpu_now() - c

    def wrap_module(self, module, label: str) -> None:
        """Time every function defined in `module` (called through the module's globals)."""
        for name, fn in list(vars(module).items()):
            if inspect.isfunction(fn) and fn.__module__ == module.__name__ and not name.startswith("_"):
                setattr(module, name, self._wrapped(f"{label}.{name}", fn))

    def _wrapped(self, name: str, fn):
        def timed(*args, **kwargs):
            return self.measure(name, fn, *args, **kwargs)
        return timed

    def print(self, title: str, prefix: str = "") -> None:
        print(title)
        for name in self.order:
            if name.startswith(prefix):
                print(f"  {self.wall[name]:7.2f} s wall  {self.cpu[name]:7.2f} s cpu  {name}")


def site_build(root: Path, out: Path, config: Path) -> tuple[float, float]:
    start = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet", "-f", str(config), "-d", str(out)],
                   cwd=root, check=True, env={**os.environ, "PYTHONWARNINGS": "ignore"},
                   stderr=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.perf_counter() - start, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--corpus", type=Path, help="repository to profile (default: generate the default corpus)")
    args = p.parse_args(argv)
    os.environ["WCOREPORT_NO_CACHE"] = "1"  # every step does its work: no results of earlier runs
    work = Path(tempfile.mkdtemp(prefix="wcoreport-profile-"))
    try:
        corpus = args.corpus.resolve() if args.corpus else generate_corpus.generate(
            work / "corpus", **generate_corpus.DEFAULTS, seed=1)
        from wcoreport.sources.project import load_project
        from wcoreport.report import build

        t = Timer()
        from wcoreport.markdown.gate import check_project

        project = t.measure("load_project (read)", load_project, corpus)
        analysis = t.measure("check_project (analysis: pandoc reads each page)", check_project, project)
        t.print("Loading:")
        t.wrap_module(build, "build")
        for lang in project.languages:
            t.measure(f"[{lang}] build_reports, one language", build.build_reports,
                      project, analysis, work / f"report-{lang}", languages=(lang,))
        sequential = sum(t.wall[f"[{lang}] build_reports, one language"] for lang in project.languages)
        print("\nThe report, one language at a time (inclusive times, summed over languages):")
        for name in t.order:
            if name.startswith("build."):
                print(f"  {t.wall[name]:7.2f} s wall  {t.cpu[name]:7.2f} s cpu  {name}")
        both = Timer()
        both.measure("build_reports, all languages (as the build runs it)", build.build_reports,
                     project, analysis, work / "report-all")
        print(f"\nReport, languages one after the other: {sequential:6.2f} s")
        both.print("Report, languages together:")

        site_cfg = corpus / "mkdocs.yml"
        wall, cpu = site_build(corpus, work / "site", site_cfg)
        bare = work / "bare"
        shutil.copytree(corpus / "docs", bare / "docs")
        for cid, study in project.casestudies.items():  # the same pages as the project's site
            for lang, text in study.texts.items():
                page = bare / "docs" / lang / "casestudies" / f"{cid}.md"
                page.parent.mkdir(parents=True, exist_ok=True)
                page.write_text(f"# {study.title(lang)}\n\n{text}", "utf-8")
        config = generate_corpus.load_mkdocs_config(site_cfg)
        config["plugins"] = [x for x in config["plugins"] if x != "wcoreport" and not (isinstance(x, dict) and "wcoreport" in x)]
        config["extra_css"] = [c for c in config.get("extra_css", []) if c != "assets/wcoreport.css"]
        config["strict"] = False
        (bare / "mkdocs.yml").write_text(generate_corpus.dump_mkdocs_config(config), "utf-8")
        bwall, bcpu = site_build(bare, work / "bare-site", bare / "mkdocs.yml")
        print("\nThe site (mkdocs build):")
        print(f"  {wall:7.2f} s wall  {cpu:7.2f} s cpu  with the wcoreport plugin")
        print(f"  {bwall:7.2f} s wall  {bcpu:7.2f} s cpu  without it (Material + i18n only)")

        print(f"\ncores: {len(os.sched_getaffinity(0))}   load average: {os.getloadavg()[0]:.1f}")
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
