"""`python -m wcoreport COMMAND`: the build command on every system (see cli.py, `--help`)."""

from wcoreport.cli import entry

if __name__ == "__main__":  # (not when a spawned process of the build imports the main module)
    entry("python -m wcoreport")
