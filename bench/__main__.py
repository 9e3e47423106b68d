"""``make bench``: build time and query latency of our index against two baselines.

Runs, in one process and on the same records and queries (:mod:`bench.queries`):

- ours: ``indexer.build.build`` on the corpus folder, queried through ``indexer.search``;
- naive: Whoosh + ``jieba.analyse.ChineseAnalyzer`` (:class:`bench.baselines.NaiveIndex`);
- fts5: SQLite FTS5 with the trigram tokenizer (:class:`bench.baselines.Fts5Index`);

on the real corpus and on a ×N copy (N renamed copies of each yearbook file, so the parser
gives every copy its own yearbook and record ids). The baselines index the very records our
build wrote (its ``records.jsonl``). Prints a table, the ratios and the targets of issue 3;
never fails the build (exit status 0 whatever happens).
"""

import argparse
import cProfile
import json
import os
import pstats
import shutil
import statistics
import sys
import tempfile
import traceback
from pathlib import Path

from bench import phrase_exactness, summarize, time_interleaved, time_once
from bench.baselines import Fts5Index, NaiveIndex
from bench.queries import QUERIES, grep_oracle, phrase_queries
from indexer import CORPUS_DIR

ENGINES = ("ours", "naive", "fts5")
#: Page size used to collect every hit of a phrase query from our paged search API.
PAGE = 100
#: Targets of issue 3 §5: (label, run: first or last, figure, of "ours" or "ours/naive",
#: limit, unit). The last run is the scaled copy.
TARGETS = [
    ("corpus query median ≤ 5 ms", 0, "median", "ours", 5.0, "ms"),
    ("corpus query p95 ≤ 20 ms", 0, "p95", "ours", 20.0, "ms"),
    ("corpus median ≤ 1.5× naive", 0, "median", "ours/naive", 1.5, "×"),
    ("corpus p95 ≤ 1.5× naive", 0, "p95", "ours/naive", 1.5, "×"),
    ("scaled query p95 ≤ 100 ms", -1, "p95", "ours", 100.0, "ms"),
    ("corpus build ≤ 3 s", 0, "build", "ours", 3.0, "s"),
]


def progress(message: str) -> None:
    """One progress line on stderr (the table goes to stdout)."""
    print(f"bench: {message}", file=sys.stderr, flush=True)


class Ours:
    """Our engine behind the baselines' interface: ``search(query, limit) -> ids``."""

    name = "ours"

    def __init__(self, index_dir: Path):
        """Open a Searcher on the built index (the link ``out_dir/index``)."""
        from indexer.search import Searcher

        self._searcher = Searcher(index_dir)

    def search(self, query: str, limit: int | None = 10) -> list[str]:
        """Ids of one results page (as the web app asks), or of every hit if ``limit=None``.

        A search that fell back to partial matches has, by its own account, no exact
        result: for the phrase check it counts as the empty set it announces.
        """
        if limit is not None:
            return [hit["id"] for hit in self._searcher.search(query, size=limit)["hits"]]
        ids, page = [], 1
        while True:
            result = self._searcher.search(query, page=page, size=PAGE)
            if result["interpretation"].get("fallback"):
                return []
            ids.extend(hit["id"] for hit in result["hits"])
            if page >= result["pages"] or not result["hits"]:
                return ids
            page += 1

    def close(self) -> None:
        """Nothing to release explicitly: the Searcher's readers close with the process."""


def scaled_corpus(corpus_dir: Path, factor: int, dest: Path) -> Path:
    """Write ``factor`` renamed copies of each yearbook file (and the side tables) to ``dest``.

    ``name-yearbook-2018.txt`` becomes ``name00-yearbook-2018.txt`` … so each copy parses
    to its own yearbook id and therefore distinct record ids.
    """
    dest.mkdir(parents=True)
    for path in sorted(corpus_dir.iterdir()):
        if path.suffix == ".txt" and path.is_file():
            prefix, _sep, rest = path.name.partition("-")
            for copy in range(factor):
                shutil.copyfile(path, dest / f"{prefix}{copy:02d}-{rest}")
        elif path.suffix == ".tsv":
            shutil.copyfile(path, dest / path.name)
    return dest


def build_all(corpus_dir: Path, work: Path) -> tuple[dict, list[dict], dict]:
    """Build our index from ``corpus_dir`` and both baselines from its records.

    Returns the engines by name, the records and the build seconds by engine name.
    """
    from indexer.build import build

    seconds: dict[str, float] = {}
    seconds["ours"], meta = time_once(build, corpus_dir, work / "ours", force=True)
    index_dir = Path(meta["index"])
    with open(index_dir / "records.jsonl", encoding="utf-8") as lines:
        records = [json.loads(line) for line in lines]
    progress(f"{len(records)} records; building naive index")
    seconds["naive"], naive = time_once(NaiveIndex.build, records, work / "naive")
    progress("building FTS5 trigram table")
    seconds["fts5"], fts5 = time_once(Fts5Index.build, records, work / "fts5.sqlite")
    return {"ours": Ours(index_dir), "naive": naive, "fts5": fts5}, records, seconds


def measure(label: str, corpus_dir: Path, work: Path, repeats: int, profile: bool) -> dict:
    """Build every engine on ``corpus_dir`` and time the query mix; return the figures."""
    progress(f"{label}: building our index (parse + index, timed once)")
    engines, records, build_s = build_all(corpus_dir, work)
    queries = [query for _category, query in QUERIES]
    pairs = phrase_queries()
    oracle_cache = {phrase: grep_oracle(records, phrase) for _query, phrase in pairs}
    progress(f"{label}: timing {', '.join(ENGINES)} in turn ({repeats} × {len(queries)} queries)")
    samples = time_interleaved({name: engines[name].search for name in ENGINES}, queries, repeats)
    figures = {"records": len(records), "passes": repeats, "engines": {}}
    for name in ENGINES:
        exact, total = phrase_exactness(
            lambda q, e=engines[name]: e.search(q, None), pairs, oracle_cache.__getitem__
        )
        figures["engines"][name] = {
            "build": build_s[name], **summarize(samples[name]), "exact": (exact, total),
            "slowest": slowest(samples[name], queries),
        }
    if profile:
        profile_queries(engines["ours"], queries)
    for engine in engines.values():
        engine.close()
    return figures


def slowest(samples: list[float], queries: list[str], top: int = 3) -> list[tuple[str, float]]:
    """The ``top`` queries with the highest median latency (samples are in pass order)."""
    per_query = {
        query: statistics.median(samples[i::len(queries)]) for i, query in enumerate(queries)
    }
    return sorted(per_query.items(), key=lambda item: -item[1])[:top]


def profile_queries(engine: Ours, queries: list[str]) -> None:
    """Print where one pass of the query mix spends its time: our functions, then leaves."""
    profiler = cProfile.Profile()
    profiler.runcall(lambda: [engine.search(q) for q in queries])
    stats = pstats.Stats(profiler, stream=sys.stdout)
    stats.sort_stats("cumulative").print_stats(r"indexer/", 8)
    stats.sort_stats("tottime").print_stats(8)


def ratio(a: float, b: float) -> str:
    """``a / b`` formatted as ``1.23×`` (``n/a`` when ``b`` is zero)."""
    return f"{a / b:.2f}×" if b else "n/a"


def print_table(results: dict[str, dict], load: tuple[float, float]) -> None:
    """Print engine × (build, median, p95, phrase exactness) per scale, then the ratios."""
    n_queries = len(QUERIES)
    like = sum(1 for _c, q in QUERIES if Fts5Index.uses_like(q))
    passes = ", ".join(f"{label} {figures['passes']}" for label, figures in results.items())
    print(f"\nmake bench — {n_queries} queries, timed passes after one warm-up pass: {passes}; "
          "engines take turns on each query.\nLatency per query; ours returns the full result "
          "dict (page of 10, facets, highlights), the baselines 10 ids.")
    print(f"Machine: {os.cpu_count()} cores, 1-min load average {load[0]:.1f} at start, "
          f"{load[1]:.1f} at end (other processes inflate wall-clock figures).")
    print(f"{'scale':<8}{'engine':<8}{'records':>9}{'build s':>10}{'median ms':>11}"
          f"{'p95 ms':>9}  phrases exact")
    for label, figures in results.items():
        for name, fig in figures["engines"].items():
            exact, total = fig["exact"]
            print(f"{label:<8}{name:<8}{figures['records']:>9}{fig['build']:>10.2f}"
                  f"{fig['median']:>11.2f}{fig['p95']:>9.2f}  {exact}/{total}")
    print("phrases exact: lone quoted phrases whose hits equal the grep oracle's records; "
          "the no-hit phrase counts for any engine that finds nothing.\n"
          f"fts5: {like} of {n_queries} queries have a term under 3 characters, answered by "
          "a LIKE scan instead of the trigram index. ours' build includes parsing.")
    for label, figures in results.items():
        ours = figures["engines"]["ours"]
        parts = []
        for other in ("naive", "fts5"):
            fig = figures["engines"][other]
            parts.append(f"ours/{other}: " + ", ".join(
                f"{key} {ratio(ours[key], fig[key])}" for key in ("median", "p95", "build")
            ))
        print(f"{label:<8}" + " | ".join(parts))
        top = ", ".join(f"{q} {ms:.1f} ms" for q, ms in ours["slowest"])
        print(f"{'':<8}ours' slowest: {top}")


def print_targets(results: dict[str, dict]) -> None:
    """Print each target of issue 3 with our figure and ✓ or ✗."""
    runs = list(results.values())
    print("\ntargets (issue 3 §5):")
    for text, run_index, key, what, limit, unit in TARGETS:
        if run_index == -1 and len(runs) < 2:
            continue  # no scaled run this time
        engines = runs[run_index]["engines"]
        value = engines["ours"][key]
        if what == "ours/naive":
            value /= engines["naive"][key]
        mark = "✓" if value <= limit else "✗"
        print(f"  {mark} {text:<30} {value:8.2f} {unit}")


def run(scale: int, repeats: int, profile: bool) -> None:
    """Measure the corpus and (if ``scale`` > 1) the ×``scale`` copy; print the report."""
    results = {}
    load_start = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        work = Path(tmp)
        results["corpus"] = measure("corpus", CORPUS_DIR, work / "x1", repeats, profile)
        if scale > 1:
            big = scaled_corpus(CORPUS_DIR, scale, work / f"corpus-x{scale}")
            # Fewer passes at scale: the big builds dominate the run time already.
            results[f"×{scale}"] = measure(
                f"×{scale}", big, work / f"x{scale}", max(1, repeats // 2), profile
            )
    print_table(results, (load_start, os.getloadavg()[0]))
    print_targets(results)


def main(argv: list[str] | None = None) -> int:
    """Parse the options, run the benchmark; always return 0 (a benchmark reports, not gates)."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=int, default=50, help="copies for the scaled run (1: skip)")
    parser.add_argument("--repeats", type=int, default=10, help="timed passes over the query mix")
    parser.add_argument("--profile", action="store_true", help="cProfile our query mix")
    args = parser.parse_args(argv)
    try:
        run(args.scale, args.repeats, args.profile)
    except Exception:  # noqa: BLE001 - report and carry on: make bench must not fail the build
        traceback.print_exc()
        print("bench: incomplete (see the error above)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
