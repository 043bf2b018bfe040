#!/usr/bin/env python3
"""Time ways of scheduling the build's parts, each part a `build_report.py` process.

    python bench/schedules.py --corpus DIR [--repeat N]

Answers two questions with numbers: do two processes (one per language) beat the report's
threads, and what would building the site alongside the report, instead of after it, save?
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def together(*commands: list[str]) -> tuple[float, float]:
    """Run the commands side by side; (wall, CPU of all of them)."""
    logs = [tempfile.TemporaryFile() for _ in commands]  # a file, not a pipe: never blocks
    start = time.perf_counter()
    procs = [subprocess.Popen(c, stdout=subprocess.DEVNULL, stderr=log) for c, log in zip(commands, logs)]
    cpu = 0.0
    for proc, log in zip(procs, logs):
        _, status, usage = os.wait4(proc.pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            log.seek(0)
            raise SystemExit(f"schedules: failed: {' '.join(proc.args)}\n{log.read().decode()[-2000:]}")
        cpu += usage.ru_utime + usage.ru_stime
    wall = time.perf_counter() - start
    for log in logs:
        log.close()
    return wall, cpu


def one_after_the_other(*commands: list[str]) -> tuple[float, float]:
    runs = [together(c) for c in commands]
    return sum(w for w, _ in runs), sum(c for _, c in runs)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--corpus", type=Path, required=True, help="repository to build (see generate_corpus.py)")
    p.add_argument("--repeat", type=int, default=1)
    args = p.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="wcoreport-schedules-"))

    def build(what: str, out: str, *extra: str) -> list[str]:
        return [sys.executable, str(REPO / "build_report.py"), what, "--root", str(args.corpus.resolve()),
                "--out", str(work / out), "-q", *extra]

    schedules = {
        "all (as the build runs today)": lambda: together(build("all", "a")),
        "report: languages in threads": lambda: together(build("report", "r")),
        "report: one process per language, side by side": lambda: together(
            build("report", "en", "--lang", "en"), build("report", "fr", "--lang", "fr")),
        "site alone": lambda: together(build("site", "s")),
        "report, then site": lambda: one_after_the_other(build("report", "rs"), build("site", "rs")),
        "report and site side by side": lambda: together(build("report", "p1"), build("site", "p2")),
    }
    try:
        results: dict[str, list[tuple[float, float]]] = {name: [] for name in schedules}
        for _ in range(max(1, args.repeat)):
            for name, schedule in schedules.items():
                results[name].append(schedule())
        print(f"{'wall s':>7}  {'cpu s':>7}  schedule (median of {max(1, args.repeat)})")
        for name, runs in results.items():
            print(f"{statistics.median(w for w, _ in runs):7.2f}  {statistics.median(c for _, c in runs):7.2f}  {name}")
        print(f"cores: {len(os.sched_getaffinity(0))}   load average (1 min): {os.getloadavg()[0]:.1f}")
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
