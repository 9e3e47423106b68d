"""``make eval``, group "wording history": similar-wording links on the labelled fixtures.

Parses the consecutive Gongshu yearbooks of ``tests/fixtures/gongshu/`` (2019, 2020,
2021, whose plans revise each other), links their clauses with
:func:`indexer.similar.build_links` and compares the links between clauses of different
years with ``revisions.tsv`` (labelled by hand; a chain of revisions is one wording's
history, so its closure is the expected set). Prints precision, recall, the wrong links
and the missed ones.
"""

from __future__ import annotations

import sys
from itertools import combinations
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "gongshu"
LABELS = FIXTURES / "revisions.tsv"


def load_lineages(path: Path = LABELS) -> set[frozenset[str]]:
    """Expected links: every pair of clauses on one chain of revisions (``later<TAB>
    earlier`` lines; ``#`` comments and the header skipped)."""
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#") or line.startswith("later\t"):
            continue
        later, earlier = line.split("\t")[:2]
        parent[root(later)] = root(earlier)
    chains: dict[str, list[str]] = {}
    for clause in list(parent):
        chains.setdefault(root(clause), []).append(clause)
    return {frozenset(pair) for members in chains.values()
            for pair in combinations(sorted(members), 2)}


def predicted_links(folder: Path = FIXTURES) -> tuple[set[frozenset[str]], dict[str, dict]]:
    """Links between clauses of different years among the yearbooks of ``folder``, and
    the clause records by id."""
    from indexer.parse import parse_corpus
    from indexer.similar import build_links

    records = [r for yb in parse_corpus(folder) for r in yb.records]
    by_id = {r["id"]: r for r in records}
    links = build_links(records)
    return ({frozenset((a, lk["id"])) for a, ls in links.items() for lk in ls
             if lk["year"] != by_id[a]["year"]}, by_id)


def evaluate(folder: Path = FIXTURES, labels: Path = LABELS) -> dict:
    """``{"precision", "recall", "predicted", "expected", "wrong", "missed"}`` (the last two
    sorted lists of id pairs)."""
    expected = load_lineages(labels)
    predicted, _ = predicted_links(folder)
    right = predicted & expected
    return {
        "precision": len(right) / len(predicted) if predicted else 1.0,
        "recall": len(right) / len(expected) if expected else 1.0,
        "predicted": len(predicted),
        "expected": len(expected),
        "wrong": sorted(sorted(p) for p in predicted - expected),
        "missed": sorted(sorted(p) for p in expected - predicted),
    }


def print_report(out=None) -> dict:
    """Print the "wording history" group; return the figures."""
    out = out or sys.stdout
    result = evaluate()
    print("\nwording history (links between years on tests/fixtures/gongshu/revisions.tsv)",
          file=out)
    print(f"  precision {result['precision']:.3f} ({result['predicted']} links), "
          f"recall {result['recall']:.3f} ({result['expected']} labelled pairs)", file=out)
    for name in ("wrong", "missed"):
        for a, b in result[name]:
            print(f"  {name}: {a} ~ {b}", file=out)
    return result


if __name__ == "__main__":
    print_report()
