#!/usr/bin/env python3
"""Build the report and the site from the sources. See `python build_report.py --help`
(the same command as `wcoreport` and `python -m wcoreport`)."""

from wcoreport.cli import entry

if __name__ == "__main__":  # (not when a spawned process of the build imports the main module)
    entry("build_report.py")
