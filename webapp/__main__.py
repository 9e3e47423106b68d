"""Serve the site with waitress: ``python -m webapp --host 127.0.0.1 --port 8000``.

Never Flask's debug server: waitress is a production WSGI server with a thread pool. One
Python process runs one request at a time on one core (the GIL), so on a machine with
several cores ``--workers N`` forks N waitress processes that accept on one shared socket.
"""

from __future__ import annotations

import argparse
import gc
import logging
import os
import signal
import socket
import sys
import time
import traceback

from waitress.server import create_server

from webapp import create_app
from webapp.live import IndexMissing

#: Waitress threads per worker process. ``make load`` on 2 cores (2 workers, no cache,
#: 20 clients): 2 threads 646–679 req/s, p99 69–70 ms; 4 threads 714–773 req/s, p99
#: 72–84 ms; 8 threads 687–765 req/s, p99 93–95 ms; 16 threads 683 req/s, p99 89 ms.
#: The requests are CPU-bound (waitress's own thread does the socket I/O), so threads
#: beyond a few only share one core's GIL: longer requests, no more throughput.
DEFAULT_THREADS = 4
#: Worker processes: one per core, as each runs Python code on one core at a time; at
#: most 4, since each holds its own copy of the index (and of what it touches of the
#: dictionaries) in memory.
DEFAULT_WORKERS = min(os.cpu_count() or 1, 4)
#: A worker that exits sooner than this many seconds after its start is not replaced (a
#: broken index or configuration would only make it exit again): the server stops.
MIN_WORKER_LIFE = 60.0


def main(argv: list[str] | None = None) -> int:
    """Parse the address, workers and threads; warm up, print the URL, serve until stopped."""
    parser = argparse.ArgumentParser(prog="python -m webapp", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8000, help="TCP port (0: any free port)")
    parser.add_argument("--threads", type=int, default=DEFAULT_THREADS,
                        help="threads per worker process")
    parser.add_argument("--workers", type=int, default=DEFAULT_WORKERS,
                        help="worker processes (default: one per core; 1: no fork)")
    parser.add_argument("--index", help="index folder (default: $YEARBOOK_INDEX_DIR or "
                        "var/index)")
    parser.add_argument("--cache-size", type=int, help="responses cached per build and "
                        "worker (0: no cache)")
    args = parser.parse_args(argv)
    config = {"INDEX_DIR": args.index} if args.index else {}
    if args.cache_size is not None:
        config["CACHE_SIZE"] = args.cache_size
    app = create_app(config)
    freeze_static(app)
    sock = socket.create_server((args.host, args.port))
    if args.workers > 1 and hasattr(os, "fork"):
        return _serve_forked(app, sock, args)
    warm_up(app)
    _announce(sock)
    _serve(app, sock, args.threads)
    return 0


def freeze_static(app) -> None:
    """Load what never changes while serving, then exempt it from garbage collection.

    jieba's dictionary, CC-CEDICT, the glossary, pinyin tables, modules and compiled
    templates are some 400 000 objects; a full collection walking them stalls every
    request of the process for 200 ms or more. ``gc.freeze`` moves them out of the
    collector's reach (and keeps forked workers from copying their pages). The index is
    dropped before freezing and opened again afterwards, so the objects of a build stay
    collectable once a rebuild replaces it.
    """
    warm_up(app)
    app.extensions["yearbook.searcher"].forget()
    gc.collect()
    gc.freeze()


def warm_up(app) -> None:
    """Open the index, load the dictionaries and compile every template before serving.

    One request of each kind of page, in both languages, so no reader pays for a first
    template compilation or dictionary load.
    """
    client = app.test_client()
    paths = ["/", "/search", "/search?q=垃圾分类", "/api/search?q=special+education",
             "/search?q=laji+fenlei", "/docs", "/api/docs", "/help", "/doc/-"]
    try:
        engine = app.extensions["yearbook.searcher"].get()
    except IndexMissing:
        engine = None
    if engine is not None:
        docs = engine.docs()
        paths += [f"/doc/{doc['id']}" for doc in docs[:1] + docs[-1:]]
        first = next((d["record_ids"][0] for d in docs if d.get("record_ids")), None)
        paths += [f"/c/{first}"] if first else []
    for path in paths:
        for lang in ("zh", "en"):
            client.get(f"{path}{'&' if '?' in path else '?'}lang={lang}")


def _announce(sock: socket.socket) -> None:
    """Print the URL with the real port (``--port 0`` picks a free one)."""
    host, port = sock.getsockname()[:2]
    print(f"Serving yearbook search on http://{host}:{port}/  (Ctrl-C to stop)", flush=True)


def _serve(app, sock: socket.socket, threads: int) -> None:
    """Serve ``app`` on the listening socket ``sock`` until interrupted."""
    # Waitress warns each time a request waits for a free thread; with a few threads per
    # worker (DEFAULT_THREADS) that is the design under load, not news: hundreds of lines a
    # second on stderr.
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    server = create_server(app, sockets=[sock], threads=threads, ident="yearbook")
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()


def _serve_forked(app, sock: socket.socket, args: argparse.Namespace) -> int:
    """Fork ``args.workers`` processes serving ``sock``; replace any that dies; 0 on stop.

    The workers are forked after :func:`freeze_static`, so they share the loaded
    dictionaries and compiled templates; each then opens the index itself (its own file
    handles and its own swap on rebuild, see webapp/live.py). The URL is printed once
    every worker is ready.
    """
    ready_read, ready_write = os.pipe()
    workers = {_fork_worker(app, sock, args.threads, ready_write): time.monotonic()
               for _ in range(args.workers)}
    os.close(ready_write)
    ready = b""
    while len(ready) < args.workers and (chunk := os.read(ready_read, args.workers)):
        ready += chunk
    os.close(ready_read)
    _announce(sock)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        return _supervise(app, sock, args.threads, workers)
    except (KeyboardInterrupt, SystemExit):
        return 0
    finally:
        _stop(workers)


def _supervise(app, sock: socket.socket, threads: int, workers: dict[int, float]) -> int:
    """Replace each worker that exits; give up (1) when one did not last a minute."""
    while True:
        pid, status = os.wait()
        started = workers.pop(pid, None)
        if started is None:
            continue
        print(f"worker {pid} exited with status {status}", file=sys.stderr, flush=True)
        if time.monotonic() - started < MIN_WORKER_LIFE:
            return 1
        pid = _fork_worker(app, sock, threads, None)
        workers[pid] = time.monotonic()


def _fork_worker(app, sock: socket.socket, threads: int, ready: int | None) -> int:
    """Fork one worker: it opens the index, writes a byte to ``ready``, then serves."""
    pid = os.fork()
    if pid:
        return pid
    status = 0
    try:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        warm_up(app)
        if ready is not None:
            os.write(ready, b"1")
            os.close(ready)
        _serve(app, sock, threads)
    except BaseException:
        traceback.print_exc()
        status = 1
    # Never return into the parent's code: the forked process ends here.
    os._exit(status)


def _stop(workers: dict[int, float]) -> None:
    """Terminate the workers and wait for them."""
    for pid in workers:
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    for pid in workers:
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:
            pass


if __name__ == "__main__":
    sys.exit(main())
