"""``python -m bench.probe INDEX [QUERY ...]``: what one server worker costs on an index.

Run in a fresh process so that the figures are a worker's alone: seconds to open the index
and answer the first query (what a reader waits for after ``make run`` starts), then the
peak RSS after answering the queries (the bench's mix by default). Prints one JSON line.
"""

import json
import resource
import sys
import time


def probe(index: str, queries: list[str]) -> dict:
    """Open a Searcher on ``index``, answer ``queries``; return the timings and peak RSS."""
    started = time.perf_counter()
    from indexer.search import Searcher

    searcher = Searcher(index)
    searcher.search(queries[0])
    first = time.perf_counter() - started
    for query in queries:
        searcher.search(query)
    rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"first_answer_s": round(first, 3), "rss_mb": round(rss_kb / 1024, 1)}


def main(argv: list[str]) -> int:
    """Print the probe of ``argv[0]`` with the queries that follow (default: the mix)."""
    from bench.queries import QUERIES

    queries = argv[1:] or [query for _category, query in QUERIES]
    print(json.dumps(probe(argv[0], queries)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
