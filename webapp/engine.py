"""The searcher of an app, like flaskr's ``db.py``: ``init_app`` attaches it, and
:func:`serving` / :func:`searcher` hand the request its build.

One :class:`~webapp.live.LiveSearcher` per app follows the ``index`` symlink, so every
worker process swaps to a rebuilt index on its own (see webapp/live.py).
"""

from __future__ import annotations

from flask import Flask, current_app, g

from indexer.backends import searcher_factory
from webapp.live import LiveSearcher

EXTENSION = "yearbook.searcher"


def init_app(app: Flask) -> None:
    """Attach the live searcher of ``app.config["INDEX_DIR"]`` (nothing is opened yet), of
    the backend ``app.config["SEARCH_BACKEND"]`` names (None: ``$SEARCH_BACKEND``, else
    the embedded index)."""
    app.extensions[EXTENSION] = LiveSearcher(
        app.config["INDEX_DIR"], factory=searcher_factory(app.config.get("SEARCH_BACKEND")),
        warm_up=app.config["WARM_UP_QUERIES"])


def live(app: Flask | None = None) -> LiveSearcher:
    """The live searcher of ``app`` (default: the current app)."""
    return (app or current_app).extensions[EXTENSION]


def serving() -> tuple[str, object]:
    """The (build folder, Searcher) of this request, chosen once: one request, one build."""
    if "serving" not in g:
        g.serving = live().current()
    return g.serving


def searcher():
    """The Searcher this request reads (see :func:`serving`)."""
    return serving()[1]
