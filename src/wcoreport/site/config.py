"""Options of the `wcoreport` MkDocs plugin, declared (MkDocs validates them)."""

from mkdocs.config import base
from mkdocs.config import config_options as c


class ReportPluginConfig(base.Config):
    # Folder of the report repository (report.yml, casestudies/, references.bib);
    # by default the folder of mkdocs.yml.
    root = c.Optional(c.Dir(exists=True))
    # `mkdocs serve`: hear of a save from the system's file events (site/watch.py), not by
    # looking at the files every half second. Set it to false where the system tells nothing
    # of edits made elsewhere (a folder shared with a virtual machine or a container).
    file_events = c.Type(bool, default=True)
