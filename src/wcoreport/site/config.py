"""Options of the `wcoreport` MkDocs plugin, declared (MkDocs validates them)."""

from mkdocs.config import base
from mkdocs.config import config_options as c


class _CommentTarget(c.Type):
    """`issues`, `off` or `mailto:ADDRESS`."""

    def __init__(self):
        super().__init__(str, default="issues")

    def run_validation(self, value):
        value = super().run_validation(value)
        if value not in ("issues", "off") and not (value.startswith("mailto:") and "@" in value):
            raise c.ValidationError(f"'{value}' is not one of: issues (the forge's new-issue form), "
                                    "mailto:ADDRESS (an e-mail), off")
        return value


class ReportPluginConfig(base.Config):
    # Folder of the report repository (report.yml, casestudies/, references.bib);
    # by default the folder of mkdocs.yml.
    root = c.Optional(c.Dir(exists=True))
    # `mkdocs serve`: hear of a save from the system's file events (site/watch.py), not by
    # looking at the files every half second. Set it to false where the system tells nothing
    # of edits made elsewhere (a folder shared with a virtual machine or a container).
    file_events = c.Type(bool, default=True)
    # A link at the end of each numbered paragraph to comment on it (site/comments.py): `issues`
    # opens the new-issue form of the forge at `repo_url` (none without one), `mailto:ADDRESS`
    # an e-mail, `off` nothing.
    comments = _CommentTarget()
