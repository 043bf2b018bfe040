#!/usr/bin/env python3
"""Build the report and the site from the sources. See `python build_report.py --help`."""

import sys

from wcoreport.cli import main

if __name__ == "__main__":
    sys.exit(main())
