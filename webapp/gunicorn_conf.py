"""The gunicorn settings of ``make run``: ``gunicorn -c python:webapp.gunicorn_conf``.

Pre-forked gthread workers, one per core (each runs Python on one core at a time, the GIL),
with a few threads each. gunicorn replaces a worker that dies and stops gracefully on
SIGTERM (requests in flight finish, within ``graceful_timeout``).

``preload_app``: the master builds the app, loads the dictionaries and compiles the
templates once (:func:`when_ready`), then freezes those objects out of the garbage
collector's reach, so the forked workers share their pages. Each worker then opens the
index itself (:func:`post_worker_init`): its own file handles, and its own swap to a new
build when the index symlink moves (webapp/live.py).
"""

from __future__ import annotations

import gc
import logging
import os

from webapp import engine
from webapp.live import IndexMissing

wsgi_app = "webapp:create_app()"
worker_class = "gthread"
#: One worker per core; at most 4, since each holds its own copy of the index (and of
#: what it touches of the dictionaries) in memory.
workers = min(os.cpu_count() or 1, 4)
#: Threads per worker. Measured under ``make load`` on 2 cores (2 workers, no cache,
#: 20 clients) with the former waitress server: 2 threads 646–679 req/s, p99 69–70 ms;
#: 4 threads 714–773 req/s, p99 72–84 ms; 8 threads 687–765 req/s, p99 93–95 ms. The
#: requests are CPU-bound, so threads beyond a few only share one core's GIL.
threads = 4
#: No keep-alive: every request is accepted afresh by whichever worker is free. A kept-alive
#: connection stays with the worker that accepted it, and 20 clients that connected at once
#: were shared unevenly (one worker's GIL busy, the other's idle): on a ×200 archive,
#: without the response cache, 20 s of ``make load`` without rebuild gave 70 req/s (p99
#: 651 ms, the server at 117 % of a core) with gunicorn's 2 s keep-alive and 157 req/s
#: (p99 528 ms, 192 %) without. A reverse proxy in front keeps its own client connections.
keepalive = 0
preload_app = True
graceful_timeout = 10
#: No control socket: nothing here uses it, and every server on the machine would share
#: its default path (~/.gunicorn/gunicorn.ctl).
control_socket_disable = True
#: gunicorn's default; ``make run`` and ``bench/load.py`` pass ``--bind``.
bind = ["127.0.0.1:8000"]


def when_ready(server) -> None:
    """In the master, before the workers fork: warm the app up, then freeze what stays.

    jieba's dictionary, CC-CEDICT, the glossary, pinyin tables, modules and compiled
    templates are some 400 000 objects; a full collection walking them stalls every
    request of the process for 200 ms or more. ``gc.freeze`` moves them out of the
    collector's reach (and keeps the workers from copying their pages). The index is
    dropped before freezing, so each worker opens its own and the objects of a build stay
    collectable once a rebuild replaces it.
    """
    app = server.app.wsgi()
    warm_up(app)
    engine.live(app).forget()
    gc.collect()
    gc.freeze()


def post_worker_init(worker) -> None:
    """In each worker, before it accepts: open the index and render each kind of page,
    then log the address (``bench/load.py`` waits for this line)."""
    warm_up(worker.wsgi)
    host, port = worker.sockets[0].getsockname()[:2]
    worker.log.info("Serving yearbook search on http://%s:%s/", host, port)


def warm_up(app) -> None:
    """Open the index, load the dictionaries and compile every template.

    One request of each kind of page, in both languages, so no reader pays for a first
    template compilation or dictionary load.
    """
    client = app.test_client()
    paths = ["/", "/search", "/search?q=垃圾分类", "/api/search?q=special+education",
             "/search?q=laji+fenlei", "/docs", "/api/docs", "/help", "/doc/-", "/similar"]
    try:
        searcher = engine.live(app).get()
    except IndexMissing:
        logging.getLogger(__name__).warning("no index yet: run make index")
        searcher = None
    if searcher is not None:
        docs = searcher.docs()
        paths += [f"/doc/{doc['id']}" for doc in docs[:1] + docs[-1:]]
        first = next((d["record_ids"][0] for d in docs if d.get("record_ids")), None)
        paths += [f"/c/{first}"] if first else []
    for path in paths:
        for lang in ("zh", "en"):
            client.get(f"{path}{'&' if '?' in path else '?'}lang={lang}")
