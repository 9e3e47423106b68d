"""``python -m bench.cold --scale 200``: a cold full build of ×N *distinct* yearbooks.

``make bench`` scales the corpus by identical copies, so after the first copy the token
cache serves every other one and its ×200 build is mostly a warm one. Here each copy has
its own quantities (:func:`bench.scaled_corpus` with ``distinct=True``), so every file is
parsed and tokenised: the build an archive of that many different yearbooks costs.

Prints the build's phases (wall seconds), the CPU seconds of this process and of its
workers, the load average before and after (other processes inflate wall time on a
shared machine) and the target of issue 10: full build at ×200 ≤ 90 s on 2 cores.
"""

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

from bench import scaled_corpus

#: Issue 10: a full build of the ×200 archive on 2 cores.
TARGET_S = 90.0


def cpu_seconds() -> tuple[float, float]:
    """CPU seconds (user + system) so far of this process and of its finished children."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


def cold_build(factor: int, work: Path) -> dict:
    """Build ×``factor`` distinct copies of the corpus into a fresh folder under ``work``.

    Returns the build's meta plus ``wall``, ``cpu_main`` and ``cpu_workers`` (seconds).
    """
    from indexer import CORPUS_DIR
    from indexer.build import build

    corpus = scaled_corpus(CORPUS_DIR, factor, work / f"corpus-x{factor}", distinct=True)
    main0, workers0 = cpu_seconds()
    started = time.perf_counter()
    meta = build(corpus, work / "out", force=True)
    wall = time.perf_counter() - started
    main1, workers1 = cpu_seconds()
    return {**meta, "wall": wall, "cpu_main": main1 - main0, "cpu_workers": workers1 - workers0}


def report(factor: int, result: dict, load: tuple[float, float]) -> str:
    """The figures of one cold build as printed lines (the target line last)."""
    phases = ", ".join(f"{name} {s:.1f}" for name, s in result["phases"].items())
    mark = "✓" if result["wall"] <= TARGET_S else "✗"
    return "\n".join([
        f"cold build ×{factor} (distinct copies): {result['counts']['records']} records, "
        f"{result['parsed']} file(s) parsed, {result['tokenised']} tokenised",
        f"  wall {result['wall']:.1f} s (phases: {phases}); CPU: this process "
        f"{result['cpu_main']:.1f} s, workers {result['cpu_workers']:.1f} s; "
        f"{os.cpu_count()} cores, 1-min load average {load[0]:.1f} before, {load[1]:.1f} after",
        f"  similar wording: {result['similar']['pairs']} linked pair(s)",
        f"  {mark} ×{factor} cold full build ≤ {TARGET_S:.0f} s   {result['wall']:8.1f} s",
    ])


def main(argv: list[str] | None = None) -> int:
    """Parse the options, build once, print the report; 0 whatever the figures."""
    parser = argparse.ArgumentParser(prog="python -m bench.cold",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=int, default=200, help="copies of each yearbook")
    args = parser.parse_args(argv)
    before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="bench-cold-") as tmp:
        result = cold_build(args.scale, Path(tmp))
    print(report(args.scale, result, (before, os.getloadavg()[0])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
