"""``make bench``: build time, query latency and memory of our index against two baselines.

Runs, in one process and on the same records and queries (:mod:`bench.queries`):

- ours: ``indexer.build.build`` on the corpus folder, queried through ``indexer.search``;
- naive: Whoosh + ``jieba.analyse.ChineseAnalyzer`` (:class:`bench.baselines.NaiveIndex`);
- fts5: SQLite FTS5 with the trigram tokenizer (:class:`bench.baselines.Fts5Index`);

on the real corpus (×1), a ×50 copy and, with ``--scale 200``, a ×200 copy (N renamed
copies of each yearbook file, so the parser gives every copy its own yearbook and record
ids; each copy's quantities varied, so no parse or token cache entry serves two copies and
the build is a cold one — ``--identical`` for byte-identical copies, as the issue
measured). The baselines index the very records our build wrote (its ``records.jsonl``).
For ours it also measures adding one yearbook (tests/fixtures' xiacheng-2019) to the built
index, and, in a fresh process (:mod:`bench.probe`), the first answer and the peak RSS of
one worker. Prints a table, the ratios and the targets of issue 10; never fails the build
(exit status 0 whatever happens).
"""

import argparse
import cProfile
import json
import os
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import traceback
from pathlib import Path

from bench import phrase_exactness, scaled_corpus, summarize, time_interleaved, time_once
from bench.baselines import Fts5Index, NaiveIndex
from bench.queries import QUERIES, grep_oracle, phrase_queries
from indexer import CORPUS_DIR

ENGINES = ("ours", "naive", "fts5")
#: The yearbook added to a built index to time an incremental build.
ADDED = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "xiacheng-yearbook-2019.txt"
#: Page size used to collect every hit of a phrase query from our paged search API.
PAGE = 100
#: Targets of issue 10: (label, run: first or last, figure, of "ours" or "ours/fts5",
#: limit, unit). The last run is the largest copy.
TARGETS = [
    ("×1 query p95 ≤ 1.5 ms", 0, "p95", "ours", 1.5, "ms"),
    ("×1 build ≤ 2 s", 0, "build", "ours", 2.0, "s"),
    ("largest: query p95 ≤ 30 ms", -1, "p95", "ours", 30.0, "ms"),
    ("largest: p95 ≤ 2× FTS5", -1, "p95", "ours/fts5", 2.0, "×"),
    ("largest: median ≤ 3× FTS5", -1, "median", "ours/fts5", 3.0, "×"),
    ("largest: full build ≤ 90 s", -1, "build", "ours", 90.0, "s"),
    ("largest: one yearbook added ≤ 5 s", -1, "added", "ours", 5.0, "s"),
    ("largest: RSS per worker ≤ 1 GB", -1, "rss_mb", "ours", 1024.0, "MB"),
    ("largest: first answer ≤ 5 s", -1, "first_answer_s", "ours", 5.0, "s"),
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
    progress(f"{label}: one worker's first answer and RSS (fresh process)")
    figures["engines"]["ours"].update(probe_worker(work / "ours" / "index"))
    progress(f"{label}: adding one yearbook to our index")
    figures["engines"]["ours"]["added"] = add_one(corpus_dir, work)
    return figures


def probe_worker(index_dir: Path) -> dict:
    """``first_answer_s`` and ``rss_mb`` of a fresh process serving ``index_dir``."""
    result = subprocess.run([sys.executable, "-m", "bench.probe", str(index_dir)],
                            capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def add_one(corpus_dir: Path, work: Path) -> float:
    """Seconds to rebuild our index after one yearbook file was added to its corpus.

    The corpus is copied first when it is the project's own (never written to).
    """
    from indexer.build import build

    grown = work / "corpus-grown"
    shutil.copytree(corpus_dir, grown)
    shutil.copy(ADDED, grown)
    seconds, _meta = time_once(build, grown, work / "ours")
    return seconds


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


def _cell(fig: dict, key: str, width: int, digits: int) -> str:
    """``fig[key]`` right-aligned in ``width`` (``-`` where the engine has no such figure)."""
    return f"{fig[key]:>{width}.{digits}f}" if key in fig else f"{'-':>{width}}"


def print_table(results: dict[str, dict], load: tuple[float, float]) -> None:
    """Print engine × (build, add one, median, p95, RSS, first answer, phrases) per scale,
    then the ratios."""
    n_queries = len(QUERIES)
    like = sum(1 for _c, q in QUERIES if Fts5Index.uses_like(q))
    passes = ", ".join(f"{label} {figures['passes']}" for label, figures in results.items())
    print(f"\nmake bench — {n_queries} queries, timed passes after one warm-up pass: {passes}; "
          "engines take turns on each query.\nLatency per query; ours returns the full result "
          "dict (page of 10, facets, highlights), the baselines 10 ids.")
    print(f"Machine: {os.cpu_count()} cores, 1-min load average {load[0]:.1f} at start, "
          f"{load[1]:.1f} at end (other processes inflate wall-clock figures).")
    print(f"{'scale':<8}{'engine':<8}{'records':>9}{'build s':>10}{'add 1 s':>9}{'median ms':>11}"
          f"{'p95 ms':>9}{'RSS MB':>8}{'first s':>8}  phrases exact")
    for label, figures in results.items():
        for name, fig in figures["engines"].items():
            exact, total = fig["exact"]
            print(f"{label:<8}{name:<8}{figures['records']:>9}{fig['build']:>10.2f}"
                  f"{_cell(fig, 'added', 9, 2)}{fig['median']:>11.2f}{fig['p95']:>9.2f}"
                  f"{_cell(fig, 'rss_mb', 8, 0)}{_cell(fig, 'first_answer_s', 8, 2)}"
                  f"  {exact}/{total}")
    print("phrases exact: lone quoted phrases whose hits equal the grep oracle's records "
          "(substring with digit boundaries); the no-hit phrase counts for any engine that "
          "finds nothing.\n"
          f"fts5: {like} of {n_queries} queries have a term under 3 characters, answered by "
          "a LIKE scan instead of the trigram index. ours' build includes parsing; add 1: "
          "rebuild after one yearbook file is added; RSS and first answer: one fresh worker "
          "process (open + first query; peak RSS after the mix).")
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
    """Print each target of issue 10 with our figure and ✓ or ✗ (phrases: every scale)."""
    runs = list(results.values())
    print("\ntargets (issue 10):")
    for text, run_index, key, what, limit, unit in TARGETS:
        if run_index == -1 and len(runs) < 2:
            continue  # no scaled run this time
        engines = runs[run_index]["engines"]
        value = engines["ours"][key]
        if what == "ours/fts5":
            value /= engines["fts5"][key]
        mark = "✓" if value <= limit else "✗"
        print(f"  {mark} {text:<36} {value:8.2f} {unit}")
    exact = all(r["engines"]["ours"]["exact"][0] == r["engines"]["ours"]["exact"][1]
                for r in runs)
    print(f"  {'✓' if exact else '✗'} phrases exact at every scale")


def scales(largest: int) -> list[int]:
    """The copies measured: ×1, ×50 (when ``largest`` ≥ 50) and ×``largest``."""
    return sorted({1, *([50] if largest >= 50 else []), max(1, largest)})


def run(scale: int, repeats: int, profile: bool, identical: bool = False) -> None:
    """Measure ×1, ×50 and ×``scale`` (see :func:`scales`), on distinct copies unless
    ``identical``; print the report."""
    results = {}
    load_start = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        work = Path(tmp)
        for factor in scales(scale):
            label = f"×{factor}"
            corpus = CORPUS_DIR if factor == 1 else \
                scaled_corpus(CORPUS_DIR, factor, work / f"corpus-x{factor}",
                              distinct=not identical)
            # Fewer passes at scale: the big builds dominate the run time already.
            results[label] = measure(label, corpus, work / f"x{factor}",
                                     repeats if factor == 1 else max(1, repeats // 2), profile)
            progress(f"{label} done, 1-min load average {os.getloadavg()[0]:.1f}")
    print_table(results, (load_start, os.getloadavg()[0]))
    print("scaled copies: " + ("byte-identical (caches warm after the first copy)" if identical
                               else "distinct quantities per copy (a cold build)"))
    print_targets(results)


def main(argv: list[str] | None = None) -> int:
    """Parse the options, run the benchmark; always return 0 (a benchmark reports, not gates)."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=int, default=50,
                        help="largest copy measured (×1 and ×50 always; 200 for the issue's)")
    parser.add_argument("--repeats", type=int, default=10, help="timed passes over the query mix")
    parser.add_argument("--profile", action="store_true", help="cProfile our query mix")
    parser.add_argument("--identical", action="store_true",
                        help="scale by byte-identical copies (warm caches after the first copy)")
    args = parser.parse_args(argv)
    try:
        run(args.scale, args.repeats, args.profile, args.identical)
    except Exception:  # noqa: BLE001 - report and carry on: make bench must not fail the build
        traceback.print_exc()
        print("bench: incomplete (see the error above)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
