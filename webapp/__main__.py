"""Serve the site with waitress: ``python -m webapp --host 127.0.0.1 --port 8000``.

Never Flask's debug server: waitress is a production WSGI server with a thread pool.
"""

from __future__ import annotations

import argparse
import sys

from waitress.server import create_server

from webapp import create_app

#: Waitress worker threads (see README "The website" for the measurements behind it).
DEFAULT_THREADS = 8


def main(argv: list[str] | None = None) -> int:
    """Parse the address and thread count, print the URL, serve until interrupted."""
    parser = argparse.ArgumentParser(prog="python -m webapp", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8000, help="TCP port (0: any free port)")
    parser.add_argument("--threads", type=int, default=DEFAULT_THREADS, help="worker threads")
    parser.add_argument("--index", help="index folder (default: $YEARBOOK_INDEX_DIR or "
                        "var/index)")
    parser.add_argument("--cache-size", type=int, help="responses cached per build "
                        "(0: no cache)")
    args = parser.parse_args(argv)
    config = {"INDEX_DIR": args.index} if args.index else {}
    if args.cache_size is not None:
        config["CACHE_SIZE"] = args.cache_size
    app = create_app(config)
    warm_up(app)
    _serve(app, args)
    return 0


def warm_up(app) -> None:
    """Open (and so warm up) the index and compile the templates before serving."""
    client = app.test_client()
    for path in ("/", "/search", "/docs", "/help"):
        client.get(path)


def _serve(app, args: argparse.Namespace) -> None:
    """Bind the socket first so the printed URL carries the real port, then serve."""
    server = create_server(app, host=args.host, port=args.port, threads=args.threads,
                           ident="yearbook")
    host, port = server.effective_host, server.effective_port
    print(f"Serving yearbook search on http://{host}:{port}/  (Ctrl-C to stop)", flush=True)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()


if __name__ == "__main__":
    sys.exit(main())
