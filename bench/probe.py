"""``python -m bench.probe INDEX [QUERY ...]``: what one server worker costs on an index.

Run in a fresh process so that the figures are a worker's alone: seconds to open the index
and answer the first query (what a reader waits for after ``make run`` starts), then the
peak RSS after answering the queries (the bench's mix by default). Prints one JSON line.
"""

import json
import sys
import time
from pathlib import Path


def probe(index: str, queries: list[str]) -> dict:
    """Open a Searcher on ``index``, answer ``queries``; return the timings and peak RSS."""
    started = time.perf_counter()
    from indexer.search import Searcher

    searcher = Searcher(index)
    searcher.search(queries[0])
    first = time.perf_counter() - started
    for query in queries:
        searcher.search(query)
    return {"first_answer_s": round(first, 3), "rss_mb": round(peak_rss_kb() / 1024, 1)}


def peak_rss_kb() -> int:
    """This process's peak resident set in kB: ``VmHWM`` of /proc/self/status.

    Not ``getrusage(...).ru_maxrss``: Linux carries that over ``exec`` from the parent's
    address space (subprocess vforks), so a probe started by the bench reported the bench's
    own peak — 1.3 GB at ×200 for a worker that holds about half of it.
    """
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError("no VmHWM in /proc/self/status")


def main(argv: list[str]) -> int:
    """Print the probe of ``argv[0]`` with the queries that follow (default: the mix)."""
    from bench.queries import QUERIES

    queries = argv[1:] or [query for _category, query in QUERIES]
    print(json.dumps(probe(argv[0], queries)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
