"""A per-build cache of whole GET responses.

Between two builds every page is a pure function of its address and language: the index
is read-only. So a successful response can be kept and replayed until the index symlink
points at another build (the build folder is part of the key, so a rebuild empties the
cache in effect). Popular searches, facet clicks and document pages then cost a dict lookup
instead of a search plus a template render. ``CACHE_SIZE = 0`` turns it off.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from datetime import date

from flask import Flask, Response, g, request

from webapp.live import IndexMissing
from webapp.views import serving


class ResponseCache:
    """A thread-safe LRU of (status 200) response bodies and their content types."""

    def __init__(self, size: int):
        """Keep at most ``size`` responses."""
        self.size = size
        self._items: OrderedDict[tuple, tuple[bytes, str]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple) -> tuple[bytes, str] | None:
        """The cached (body, mimetype) for ``key``, marking it recently used."""
        with self._lock:
            item = self._items.get(key)
            if item is not None:
                self._items.move_to_end(key)
            return item

    def put(self, key: tuple, body: bytes, mimetype: str) -> None:
        """Store a response, evicting the least recently used beyond ``size``."""
        with self._lock:
            self._items[key] = (body, mimetype)
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def __len__(self) -> int:
        """How many responses are cached."""
        return len(self._items)


def _key() -> tuple | None:
    """The cache key of this request, or None when it must not be cached."""
    if request.method != "GET" or request.endpoint in (None, "static"):
        return None
    try:
        build = serving()[0]
    except IndexMissing:
        return None
    # The day is part of the key: citations carry it as their access date ([引用日期]).
    return (build, request.url_root, request.full_path, g.lang, date.today())


def install(app: Flask) -> None:
    """Serve cached responses before the view runs; store fresh 200s after it."""
    cache = ResponseCache(app.config["CACHE_SIZE"])
    app.extensions["yearbook.cache"] = cache
    if cache.size <= 0:
        return

    @app.before_request
    def replay():
        g.cache_key = _key()
        hit = cache.get(g.cache_key) if g.cache_key else None
        if hit is not None:
            g.cache_hit = True
            return Response(hit[0], mimetype=hit[1], headers={"X-Cache": "hit"})
        return None

    @app.after_request
    def remember(response: Response):
        key = g.get("cache_key")
        if key and not g.get("cache_hit") and response.status_code == 200 \
                and not response.is_streamed:
            cache.put(key, response.get_data(), response.mimetype)
            response.headers["X-Cache"] = "miss"
        return response
