"""The site adapter: a thin MkDocs plugin over the content core (the only code importing MkDocs)."""
