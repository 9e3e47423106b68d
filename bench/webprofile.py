"""``python -m bench.load --profile``: where an uncached request spends its time.

Runs the load mix once through the Flask test client in this process (no response cache,
no sockets, one thread), first untimed on a sample to warm what a running server has
warm, then under cProfile. Prints the mean time per route, the share spent inside
``Searcher.search``, and the top functions by own time and by cumulative time.
"""

from __future__ import annotations

import cProfile
import io
import pstats
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit

from bench import percentile
from indexer.search import Searcher
from webapp import create_app

#: Rows of each cProfile listing.
TOP = 25


def route_of(path: str) -> str:
    """The route an address goes to, for the per-route means (``/api/search``, ``/c`` …)."""
    parts = urlsplit(path).path.split("/")
    return "/".join(parts[:3]) if parts[1] == "api" else "/" + parts[1]


def profile(index: Path, paths: list[str]) -> None:
    """Profile ``paths`` against the index at ``index``; print the report."""
    app = create_app({"INDEX_DIR": str(index), "CACHE_SIZE": 0})
    client = app.test_client()
    _time_plain(client, paths)
    timer = _SearchTimer()
    per_route: dict[str, list[float]] = defaultdict(list)
    profiler = cProfile.Profile()
    with timer:
        started = time.perf_counter()
        for path in paths:
            begin = time.perf_counter()
            profiler.runcall(client.get, path)
            per_route[route_of(path)].append(time.perf_counter() - begin)
        total = time.perf_counter() - started
    print(f"{len(paths)} requests in {total:.1f} s under cProfile "
          f"({total / len(paths) * 1000:.2f} ms each); "
          f"Searcher.search {timer.seconds / total:.0%} of it ({timer.calls} calls)")
    for route, times in sorted(per_route.items(), key=lambda item: -sum(item[1])):
        print(f"  {route:<14}{len(times):>6} requests {sum(times) / len(times) * 1000:>7.2f} ms"
              f" mean, {sum(times) / total:>4.0%} of the time")
    _print_stats(profiler)


def _time_plain(client, paths: list[str]) -> None:
    """Request every path once without the profiler; print mean, p50 and p99 CPU time.

    This pass also warms what a running server has warm (templates, dictionaries).
    """
    times = []
    for path in paths:
        # CPU time, not wall-clock: other processes on the machine do not inflate it.
        begin = time.process_time()
        client.get(path)
        times.append((time.process_time() - begin) * 1000)
    print(f"{len(paths)} requests, one at a time, no profiler, CPU time: mean "
          f"{sum(times) / len(times):.2f} ms, p50 {percentile(times, 50):.2f} ms, "
          f"p99 {percentile(times, 99):.2f} ms")


class _SearchTimer:
    """Wraps ``Searcher.search`` while active, adding up its wall time and calls."""

    def __init__(self):
        """Nothing measured yet."""
        self.seconds = 0.0
        self.calls = 0
        self._original = Searcher.search

    def __enter__(self):
        """Install the timing wrapper."""
        original = self._original

        def timed(searcher, *args, **kwargs):
            begin = time.perf_counter()
            try:
                return original(searcher, *args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - begin
                self.calls += 1

        Searcher.search = timed
        return self

    def __exit__(self, *exc):
        """Put the real method back."""
        Searcher.search = self._original


def _print_stats(profiler: cProfile.Profile) -> None:
    """The top functions by own time, then by cumulative time."""
    for order in ("tottime", "cumulative"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(order).print_stats(TOP)
        lines = out.getvalue().splitlines()
        start = next(i for i, line in enumerate(lines) if line.lstrip().startswith("ncalls"))
        print(f"\nby {order}:")
        print("\n".join(lines[start:start + TOP + 1]))
