#!/usr/bin/env python3
"""Build the report and the site from the sources. See `python build_report.py --help`."""

import atexit
import os
import sys

from wcoreport.cli import main

if __name__ == "__main__":
    code = main()
    # A build holds millions of small objects; freeing them one by one at exit takes half a
    # second. Everything is written and closed: flush, run the exit handlers (scratch
    # folders), and leave the memory to the system.
    sys.stdout.flush()
    sys.stderr.flush()
    atexit._run_exitfuncs()
    os._exit(code)
