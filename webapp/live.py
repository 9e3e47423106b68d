"""One Searcher per process, swapped for a new one when the index symlink is repointed.

``indexer.build`` writes each build into its own folder and then atomically repoints the
``index`` symlink. Each request resolves the symlink (one readlink per path component, no
file reads); when the target changed, a new Searcher is opened on the new folder in a
background thread while requests keep using the old one, so a rebuild neither fails nor
stalls a request.
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

log = logging.getLogger(__name__)


class IndexMissing(RuntimeError):
    """The index folder does not exist (``make index`` has not been run)."""


class LiveSearcher:
    """Hands out the Searcher for the build the index symlink currently points at."""

    def __init__(self, index_dir: str | os.PathLike, factory=None,
                 warm_up: tuple[str, ...] = ()):
        """Remember the (symlinked) index folder; open nothing until the first request.

        ``factory`` opens a searcher on a build folder; it defaults to
        ``indexer.search.Searcher`` (imported late so the app starts without an index).
        ``warm_up`` queries are run on each newly opened searcher before it serves: the
        first English or pinyin query of a build loads dictionaries for about a second.
        """
        self.index_dir = Path(index_dir)
        self._factory = factory
        self._warm_up = warm_up
        self._lock = threading.Lock()
        # (build folder, searcher) replaced as one tuple so readers never see a mixed pair.
        self._current: tuple[str, object] | None = None
        self._opening: str | None = None

    def _open(self, target: str):
        """Open a Searcher on the resolved build folder ``target`` and warm it up."""
        factory = self._factory
        if factory is None:
            from indexer.search import Searcher as factory
        searcher = factory(target)
        for query in self._warm_up:
            searcher.search(query)
        return searcher

    def target(self) -> str:
        """The build folder the index path resolves to now; IndexMissing if there is none."""
        target = os.path.realpath(self.index_dir)
        if not os.path.isdir(target):
            raise IndexMissing(str(self.index_dir))
        return target

    def current(self) -> tuple[str, object]:
        """The (build folder, searcher) to serve this request with.

        When the symlink has moved, the new build is opened in a background thread and
        the old searcher keeps serving until it is ready, so no reader waits for the
        second or so an open takes. Only the very first request has to wait.
        """
        target = self.target()
        current = self._current
        if current is None:
            with self._lock:
                # Another thread may have opened it while this one waited for the lock.
                if self._current is None:
                    self._current = (target, self._open(target))
                return self._current
        if current[0] != target:
            self._open_in_background(target)
        return current

    def forget(self) -> None:
        """Drop the open searcher: the next request opens the build again.

        A process forked from this one calls it to get file handles of its own.
        """
        with self._lock:
            self._current = None
            self._opening = None

    def get(self):
        """The searcher to serve this request with (see :meth:`current`)."""
        return self.current()[1]

    def _open_in_background(self, target: str) -> None:
        """Start opening ``target`` unless that is already under way."""
        with self._lock:
            if self._opening == target:
                return
            self._opening = target
        threading.Thread(target=self._finish_open, args=(target,), daemon=True,
                         name="open-index").start()

    def _finish_open(self, target: str) -> None:
        """Open ``target`` and make it current; on failure keep the old one and log."""
        try:
            fresh = self._open(target)
        except Exception:
            log.exception("could not open the rebuilt index %s; still serving %s",
                          target, self._current[0] if self._current else None)
            fresh = None
        with self._lock:
            if fresh is not None:
                self._current = (target, fresh)
            self._opening = None
