"""A per-build cache of whole GET responses.

Between two builds every page is a pure function of its address and language: the index
is read-only. So a successful response can be kept and replayed until the index symlink
points at another build (the build folder is part of the key, so a rebuild empties the
cache in effect). Popular searches, facet clicks and document pages then cost a dict lookup
instead of a search plus a template render. ``CACHE_SIZE = 0`` turns it off.
"""

from __future__ import annotations

import threading
from datetime import date

from cachetools import LRUCache
from flask import Flask, Response, g, request

from webapp import i18n
from webapp.engine import serving
from webapp.live import IndexMissing


def _key() -> tuple | None:
    """The cache key of this request, or None when it must not be cached."""
    if request.method != "GET" or request.endpoint in (None, "static"):
        return None
    try:
        build = serving()[0]
    except IndexMissing:
        return None
    # The day is part of the key: citations carry it as their access date ([引用日期]).
    return (build, request.url_root, request.full_path, i18n.select_locale(), date.today())


def install(app: Flask) -> None:
    """Serve cached responses before the view runs; store fresh 200s after it (an LRU of
    ``CACHE_SIZE`` responses; 0 turns the cache off)."""
    size = app.config["CACHE_SIZE"]
    if size <= 0:
        return
    # (body, mimetype) by key; cachetools' LRU is not thread-safe, the lock makes it so.
    cache: LRUCache = LRUCache(maxsize=size)
    lock = threading.Lock()
    app.extensions["yearbook.cache"] = cache

    @app.before_request
    def replay():
        g.cache_key = _key()
        if not g.cache_key:
            return None
        with lock:
            hit = cache.get(g.cache_key)
        if hit is not None:
            g.cache_hit = True
            return Response(hit[0], mimetype=hit[1], headers={"X-Cache": "hit"})
        return None

    @app.after_request
    def remember(response: Response):
        key = g.get("cache_key")
        if key and not g.get("cache_hit") and response.status_code == 200 \
                and not response.is_streamed:
            with lock:
                cache[key] = (response.get_data(), response.mimetype)
            response.headers["X-Cache"] = "miss"
        return response
