"""The preview's watcher: told of a save at once, not up to half a second later.

MkDocs' server watches the sources with watchdog's polling observer: every half second it lists
every watched folder and compares. A save waits a quarter of a second on average before it is
even seen, and each look walks the whole tree. Where the system says when a file changes
(inotify on Linux), watchdog's native observer is used instead, for the same paths and with the
server's own handlers (`LiveReloadServer.watch`).

The switch is made before the server starts, after a trial: the native observer is started on
the same paths and stopped again. If that fails (no inotify, or its limit of watches reached),
or if the server is not built the way this expects, MkDocs' polling stays as it was.
"""

from __future__ import annotations

import logging

log = logging.getLogger("mkdocs.plugins.wcoreport")


def native_observer(server) -> bool:
    """Make MkDocs' live-reload `server` use the system's file events; True if it now does."""
    try:
        from watchdog.observers import Observer
        from watchdog.observers.polling import PollingObserver
    except ImportError:
        return False
    if Observer is PollingObserver:
        return False
    changes = _changes()

    class ChangesOnly(Observer):
        """The native observer, told of changes only: not of a file opened or closed unwritten
        (the build reads every source; the server rebuilds on any event it is told of)."""

        def schedule(self, event_handler, path, *, recursive=False, event_filter=None, follow_symlink=False):
            return super().schedule(event_handler, path, recursive=recursive,
                                    event_filter=event_filter or changes, follow_symlink=follow_symlink)

    old = getattr(server, "observer", None)
    watched = getattr(server, "_watched_paths", None)
    refs = getattr(server, "_watch_refs", None)
    if not isinstance(old, PollingObserver) or old.is_alive() \
            or not isinstance(watched, dict) or not isinstance(refs, dict) or not watched:
        return False
    if not _works(ChangesOnly, list(watched)):
        return False
    counts, saved_refs = dict(watched), dict(refs)
    server.observer = ChangesOnly()
    watched.clear()
    refs.clear()
    try:
        for path, count in counts.items():
            for _ in range(count):
                server.watch(path)
    except Exception as exc:  # noqa: BLE001 (anything: the server must keep its own watcher)
        server.observer = old
        watched.clear()
        watched.update(counts)
        refs.clear()
        refs.update(saved_refs)
        log.debug(f"file events: kept polling ({exc})")
        return False
    log.debug("file events: the system's, not polling")
    return True


def _works(observer_class, paths: list[str]) -> bool:
    """Whether the native observer can watch all `paths` (a trial run, stopped at once)."""
    from watchdog.events import FileSystemEventHandler

    trial = observer_class()
    try:
        for path in paths:
            trial.schedule(FileSystemEventHandler(), path, recursive=True)
        trial.start()
    except Exception as exc:  # noqa: BLE001
        log.debug(f"file events: not available ({exc})")
        return False
    finally:
        if trial.is_alive():
            trial.stop()
            trial.join(timeout=5)
    return True


def _changes() -> list:
    """The events that are a change of the sources: written, created, removed, moved."""
    from watchdog import events

    return [events.FileModifiedEvent, events.FileCreatedEvent, events.FileDeletedEvent, events.FileMovedEvent,
            events.FileClosedEvent, events.DirCreatedEvent, events.DirDeletedEvent, events.DirMovedEvent]
