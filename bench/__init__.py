"""Benchmarks and evaluations: ``make bench`` (``python -m bench``), ``make load``, ``make eval``.

This module holds the timing harness ``make bench`` uses: only the standard library, so the
other tools can import it cheaply.
"""

import math
import re
import shutil
import statistics
import time
from collections.abc import Callable, Iterable
from pathlib import Path


def percentile(values: Iterable[float], pct: float) -> float:
    """The ``pct``-th percentile by the nearest-rank method (a value actually observed).

    Nearest rank rather than interpolation: with 100 samples the p95 is the 95th smallest,
    which is what a reader expects from "95 % of the queries were at most this fast".
    """
    ordered = sorted(values)
    if not ordered:
        raise ValueError("percentile of no values")
    if not 0 < pct <= 100:
        raise ValueError(f"percentile must be in (0, 100], got {pct}")
    rank = math.ceil(pct / 100 * len(ordered))
    return ordered[rank - 1]


def summarize(samples_ms: list[float]) -> dict:
    """Median and p95 (milliseconds) of the latency samples, and how many there were."""
    return {
        "median": statistics.median(samples_ms),
        "p95": percentile(samples_ms, 95),
        "n": len(samples_ms),
    }


def time_once(func: Callable, *args, **kwargs) -> tuple[float, object]:
    """Call ``func`` once; return (seconds it took, its result)."""
    start = time.perf_counter()
    result = func(*args, **kwargs)
    return time.perf_counter() - start, result


def time_interleaved(searches: dict[str, Callable[[str], object]], queries: list[str],
                     repeats: int) -> dict[str, list[float]]:
    """Latency in ms of every call, per engine, over ``repeats`` passes of ``queries``.

    The engines take turns on each query, so a burst of load from another process slows
    all of them alike and the ratios stay fair. One untimed pass comes first so that caches
    (jieba's dictionary, Whoosh's readers, SQLite's pages) are warm: the figures are a
    running server's, not a cold start's.
    """
    for query in queries:
        for search in searches.values():
            search(query)
    samples: dict[str, list[float]] = {name: [] for name in searches}
    for _ in range(repeats):
        for query in queries:
            for name, search in searches.items():
                seconds, _result = time_once(search, query)
                samples[name].append(seconds * 1000)
    return samples


def phrase_exactness(search_all: Callable[[str], list[str]], pairs, oracle) -> tuple[int, int]:
    """How many ``(query, phrase)`` pairs return exactly ``oracle(phrase)``; and of how many.

    ``search_all(query)`` must return every hit's id (not a page); ``oracle(phrase)`` the set
    of ids whose text contains the phrase.
    """
    exact = sum(1 for query, phrase in pairs if set(search_all(query)) == oracle(phrase))
    return exact, len(pairs)


#: A quantity in running text: a run of digits (maybe with decimals) followed by a unit or
#: measure word, not after 第. Years, dates (月/日), numbering (1., 第3条), table and document
#: numbers are no quantity, so varying only these keeps every copy's structure and ids.
QUANTITY = re.compile(r"(?<![0-9.第])[0-9]+(?=(?:\.[0-9]+)?"
                      r"[万元个%％亿名家人项户次所辆米套岁余多倍平公千条篇场天件台张位批])")


def vary_quantities(text: str, copy: int) -> str:
    """``text`` with each :data:`QUANTITY` changed for copy number ``copy`` (0: unchanged).

    A number keeps its count of digits and a non-zero first digit; its offset within that
    range is ``copy × 7919`` (prime), so a three-digit quantity alone tells 900 copies apart.
    """
    def vary(match: re.Match) -> str:
        digits = match.group()
        low = 10 ** (len(digits) - 1) if len(digits) > 1 else 1
        span = 10 ** len(digits) - low
        return str(low + (int(digits) - low + copy * 7919) % span)

    return QUANTITY.sub(vary, text) if copy else text


def scaled_corpus(corpus_dir: Path, factor: int, dest: Path, distinct: bool = False) -> Path:
    """Write ``factor`` renamed copies of each yearbook file (and the side tables) to ``dest``.

    ``name-yearbook-2018.txt`` becomes ``name00-yearbook-2018.txt`` … so each copy parses
    to its own yearbook id and therefore distinct record ids. Copies are byte-identical
    unless ``distinct``: then copy ``n`` has its quantities varied (:func:`vary_quantities`:
    amounts, counts, areas, as yearbooks of other years and districts differ), so no parse
    or token cache entry serves two copies and a build of them is a cold build.
    """
    dest.mkdir(parents=True)
    for path in sorted(corpus_dir.iterdir()):
        if path.suffix == ".txt" and path.is_file():
            prefix, _sep, rest = path.name.partition("-")
            text = path.read_text(encoding="utf-8") if distinct else ""
            for copy in range(factor):
                target = dest / f"{prefix}{copy:02d}-{rest}"
                if distinct:
                    target.write_text(vary_quantities(text, copy), encoding="utf-8")
                else:
                    shutil.copyfile(path, target)
        elif path.suffix == ".tsv":
            shutil.copyfile(path, dest / path.name)
    return dest
