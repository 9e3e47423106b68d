"""One Searcher per process, swapped for a new one when the index symlink is repointed.

``indexer.build`` writes each build into its own folder and then atomically repoints the
``index`` symlink. Each request resolves the symlink (one readlink per path component, no
file reads); when the target changed, a new Searcher is opened on the new folder under a
lock while other threads keep using the old one, so a rebuild never fails a request.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path


class IndexMissing(RuntimeError):
    """The index folder does not exist (``make index`` has not been run)."""


class LiveSearcher:
    """Hands out the Searcher for the build the index symlink currently points at."""

    def __init__(self, index_dir: str | os.PathLike, factory=None):
        """Remember the (symlinked) index folder; open nothing until the first request.

        ``factory`` opens a searcher on a build folder; it defaults to
        ``indexer.search.Searcher`` (imported late so the app starts without an index).
        """
        self.index_dir = Path(index_dir)
        self._factory = factory
        self._lock = threading.Lock()
        # (build folder, searcher) replaced as one tuple so readers never see a mixed pair.
        self._current: tuple[str, object] | None = None

    def _open(self, target: str):
        """Open a Searcher on the resolved build folder ``target``."""
        factory = self._factory
        if factory is None:
            from indexer.search import Searcher as factory
        return factory(target)

    def target(self) -> str:
        """The build folder the index path resolves to now; IndexMissing if there is none."""
        target = os.path.realpath(self.index_dir)
        if not os.path.isdir(target):
            raise IndexMissing(str(self.index_dir))
        return target

    def get(self):
        """Return the current Searcher, opening a new one first if the index was rebuilt."""
        target = self.target()
        current = self._current
        if current is not None and current[0] == target:
            return current[1]
        with self._lock:
            # Another thread may have opened it while this one waited for the lock.
            if self._current is None or self._current[0] != target:
                self._current = (target, self._open(target))
            return self._current[1]
