"""``python -m cluster.bench --scale 50``: the embedded engine against the cluster.

On the real corpus and on a ×N copy (``bench``'s renamed copies): the embedded build
(parse + Whoosh), the cluster load of the same records (our analysis + bulk + replicas),
and the latency of ``bench.queries`` through each searcher, in turn (one untimed pass
first). The cluster of ``make cluster`` must be running; each scale gets its own alias.
Measures, never fails.
"""

import argparse
import sys
import tempfile
import time
from pathlib import Path

import cluster
from bench import summarize, time_interleaved
from bench.__main__ import scaled_corpus
from bench.queries import QUERIES
from indexer import CORPUS_DIR


def measure(scale: int, repeats: int, work: Path) -> dict:
    """Build, load and time one scale; return the figures."""
    from indexer.build import build
    from indexer.opensearch import client
    from indexer.opensearch.backend import OpenSearchSearcher
    from indexer.opensearch.load import read_build, rebuild
    from indexer.search import Searcher

    corpus = CORPUS_DIR if scale == 1 else scaled_corpus(CORPUS_DIR, scale, work / "corpus")
    started = time.perf_counter()
    meta = build(corpus, work / "out", force=True)
    built = time.perf_counter() - started
    alias = f"bench-x{scale}"
    started = time.perf_counter()
    loaded = rebuild(client(cluster.urls()), *read_build(Path(meta["index"])), alias)
    load_s = time.perf_counter() - started
    engines = {"embedded": Searcher(meta["index"]),
               "cluster": OpenSearchSearcher(urls=cluster.urls(), alias=alias)}
    queries = [query for _category, query in QUERIES]
    samples = time_interleaved({name: e.search for name, e in engines.items()}, queries, repeats)
    return {"scale": scale, "records": loaded["records"], "build": {"embedded": built,
                                                                    "cluster": load_s},
            **{name: summarize(samples[name]) for name in engines}}


def main(argv: list[str] | None = None) -> int:
    """Measure each scale asked for and print one line per scale and engine."""
    parser = argparse.ArgumentParser(prog="python -m cluster.bench", description=__doc__)
    parser.add_argument("--scale", type=int, action="append", help="copies (repeatable)")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    print(f"{'scale':>5} {'records':>8} {'engine':<9} {'build s':>8} {'p50 ms':>7} {'p95 ms':>7}")
    for scale in args.scale or [1]:
        with tempfile.TemporaryDirectory(prefix=f"cluster-bench-x{scale}-") as tmp:
            row = measure(scale, args.repeats, Path(tmp))
        for name in ("embedded", "cluster"):
            print(f"×{scale:<4} {row['records']:>8} {name:<9} {row['build'][name]:>8.1f} "
                  f"{row[name]['median']:>7.1f} {row[name]['p95']:>7.1f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
