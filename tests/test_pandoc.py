"""How pandoc is run (pandoc.py): its runtime options, and a pandoc that takes none."""

from __future__ import annotations

import os
import stat

import pytest

from wcoreport.pipeline import pandoc


@pytest.fixture
def fresh_probe():
    pandoc._version_probe.cache_clear()
    yield
    pandoc._version_probe.cache_clear()


def test_runtime_options_given_and_the_users_kept(fresh_probe, monkeypatch):
    monkeypatch.setenv("GHCRTS", "-A2m")
    env = pandoc._environment()
    assert env["GHCRTS"] == f"{pandoc.RUNTIME_OPTIONS} -A2m"  # the user's come last, and win
    # pandoc runs with them: a conversion and a batch give their usual output
    assert pandoc.run_pandoc(["-f", "markdown", "-t", "html"], "*Hello*") == b"<p><em>Hello</em></p>\n"
    assert pandoc.run_pandoc_batch([{"text": "*Hello*", "from": "markdown", "to": "html"}]) \
        == ["<p><em>Hello</em></p>\n"]


def test_a_pandoc_without_runtime_options_is_run_without(fresh_probe, monkeypatch, tmp_path):
    """A pandoc built without runtime options warns of GHCRTS on every run, and the build would
    take that warning for a failure: such a pandoc gets no runtime options at all."""
    fake = tmp_path / "pandoc"
    fake.write_text('#!/bin/sh\n'
                    'if [ -n "$GHCRTS" ]; then echo "Warning: Ignoring GHCRTS variable" >&2; fi\n'
                    'echo "pandoc 9.9"\n')
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setattr(pandoc, "pandoc_path", lambda: str(fake))
    monkeypatch.delenv("GHCRTS", raising=False)
    assert "GHCRTS" not in pandoc._environment()
    assert pandoc.pandoc_version() == b"pandoc 9.9\n"
    assert pandoc.run_pandoc(["--version"]) == b"pandoc 9.9\n"  # no warning, so no error
    assert os.environ.get("GHCRTS") is None
