"""A plain static server of a folder under a path (`/some/path/`), on 127.0.0.1, in a thread.

It serves what a static host serves: the files, `index.html` for a folder, nothing else (no
folder listing: a folder without its page is a broken link, as on a forge's pages). The link
check reads the published tree through it, at the path the site will have.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import threading
from pathlib import Path
from typing import Iterator


class _StaticHandler(http.server.SimpleHTTPRequestHandler):
    prefix = "/"

    def log_message(self, *args):  # (quiet: the link check reports what matters)
        pass

    def translate_path(self, path: str) -> str:
        if not path.startswith(self.prefix):
            return str(Path(self.directory) / ".no-such-file")
        return super().translate_path("/" + path[len(self.prefix):])

    def end_headers(self):
        # LinkChecker waits 0.1 to 0.6 s between two requests to a host, unless it answers
        # with this header: ours is on this machine.
        self.send_header("LinkChecker", "no-throttle")
        super().end_headers()

    def handle(self):
        try:
            super().handle()
        except (BrokenPipeError, ConnectionResetError):  # the client had what it wanted
            pass

    def list_directory(self, path):
        self.send_error(404, "No page here")
        return None


@contextlib.contextmanager
def serve(folder: Path, prefix: str = "/") -> Iterator[str]:
    """Serve `folder` at http://127.0.0.1:PORT`prefix` while the block runs; yields that URL."""
    prefix = "/" + prefix.strip("/") + "/" if prefix.strip("/") else "/"
    handler = type("Handler", (_StaticHandler,), {"prefix": prefix})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(folder)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}{prefix}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
