"""``make eval``: retrieval quality of the built index on the labelled query set (issues 5, 12).

Reads ``tests/eval/queries.tsv`` (``group<TAB>query<TAB>relevant ids<TAB>note``; the ids were
judged relevant by reading the text), runs every query through
:class:`indexer.search.Searcher` on ``var/index`` and prints, per group, recall@10, MRR@10
and nDCG@10, the targets of the issues, and the queries that miss relevant records.

A query answered with a "did you mean" is scored on the suggested query: the reader takes
it in one click (the ``typos`` group measures exactly that).

Cross-language parity: for every English query with a Chinese twin — named in the note as
``twin: "…"``, or the Chinese query judged with the same relevant records — the share of
the twin's top 10 that the English query also finds in its top 10, averaged.

It measures and never gates: the exit status is 0 whatever the figures (or errors) are.
"""

import argparse
import math
import re
import sys
import traceback
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from indexer import VAR_DIR

QUERIES_PATH = Path(__file__).resolve().parent.parent / "tests" / "eval" / "queries.tsv"
K = 10
GROUPS = ("chinese", "phrase", "names", "english", "pinyin", "traditional",
          "paraphrase", "mixed", "initials", "synonyms", "typos")
#: Groups whose twins (Chinese queries) parity compares them with.
TWIN_GROUPS = ("english", "paraphrase", "mixed")
CHINESE_GROUPS = ("chinese", "phrase", "names")
#: Issue 5 targets: every group's recall@10 at least this; English this close to Chinese.
RECALL_TARGET = 0.9
ENGLISH_GAP = 0.1
#: Issue 12 target: English finds this share of what its Chinese twin finds.
PARITY_TARGET = 0.8
_TWIN = re.compile(r'twin: "([^"]+)"')


@dataclass(frozen=True)
class LabelledQuery:
    """One line of the query set."""

    group: str
    query: str
    relevant: tuple[str, ...]
    note: str = ""


def load_queries(path: Path = QUERIES_PATH) -> list[LabelledQuery]:
    """Read the labelled query set (header line first; blank lines ignored)."""
    out = []
    lines = path.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) < 3 or fields[0] not in GROUPS or not fields[2].split():
            raise ValueError(f"{path}:{number}: expected group<TAB>query<TAB>ids[<TAB>note]")
        note = fields[3] if len(fields) > 3 else ""
        out.append(LabelledQuery(fields[0], fields[1], tuple(fields[2].split()), note))
    return out


def recall_at(ranked: list[str], relevant: set[str], k: int = K) -> float:
    """Share of the relevant records in the top ``k``, out of at most ``k`` (1.0 is reachable)."""
    return len(set(ranked[:k]) & relevant) / min(len(relevant), k)


def reciprocal_rank(ranked: list[str], relevant: set[str], k: int = K) -> float:
    """1 / rank of the first relevant record in the top ``k``; 0 when there is none."""
    for rank, rid in enumerate(ranked[:k], start=1):
        if rid in relevant:
            return 1.0 / rank
    return 0.0


def ndcg_at(ranked: list[str], relevant: set[str], k: int = K) -> float:
    """Binary-gain nDCG over the top ``k``."""
    dcg = sum(1.0 / math.log2(rank + 1)
              for rank, rid in enumerate(ranked[:k], start=1) if rid in relevant)
    ideal = sum(1.0 / math.log2(rank + 1) for rank in range(1, min(len(relevant), k) + 1))
    return dcg / ideal


@dataclass
class Outcome:
    """What one query returned and how it scored."""

    item: LabelledQuery
    ranked: list[str]
    recall: float
    rr: float
    ndcg: float
    expansions: list[str]
    error: str = ""
    taken: str = ""


def run_query(searcher, item: LabelledQuery) -> Outcome:
    """Run one labelled query (top ``K``) and score it; a search error scores zero.

    When the answer offers a spelling suggestion, the suggested query is run and scored
    instead (``taken``): the one click the reader makes.
    """
    relevant = set(item.relevant)
    taken = ""
    try:
        result = searcher.search(item.query, size=K)
        suggestions = result.get("interpretation", {}).get("suggestions") or []
        if suggestions:
            taken = suggestions[0]["query"]
            result = searcher.search(taken, size=K)
    except ValueError as exc:  # QueryError: a rejected query finds nothing
        return Outcome(item, [], 0.0, 0.0, 0.0, [], error=str(exc))
    ranked = [hit["id"] for hit in result["hits"]]
    expansions = [e.get("label", "") for e in result.get("interpretation", {})
                  .get("expansions", [])]
    return Outcome(item, ranked, recall_at(ranked, relevant), reciprocal_rank(ranked, relevant),
                   ndcg_at(ranked, relevant), expansions, taken=taken)


def twins(items: list[LabelledQuery]) -> list[tuple[LabelledQuery, str]]:
    """Return (English query, its Chinese twin's query) for every English query with one."""
    chinese = {q.relevant: q.query for q in items if q.group in CHINESE_GROUPS}
    out = []
    for q in items:
        if q.group in TWIN_GROUPS:
            named = _TWIN.search(q.note)
            twin = named.group(1) if named else chinese.get(q.relevant)
            if twin:
                out.append((q, twin))
    return out


def overlap(english: list[str], chinese: list[str], k: int = K) -> float | None:
    """Share of ``chinese``'s top ``k`` also in ``english``'s top ``k`` (None: it found nothing)."""
    if not chinese[:k]:
        return None
    return len(set(english[:k]) & set(chinese[:k])) / len(chinese[:k])


def parity(searcher, outcomes: list[Outcome]) -> tuple[float, list[tuple[str, str, float]]]:
    """Return the mean overlap of English queries with their twins, and the
    (query, twin, share) of each."""
    ranked = {o.item.query: o.ranked for o in outcomes}
    rows = []
    for item, twin in twins([o.item for o in outcomes]):
        found = [hit["id"] for hit in searcher.search(twin, size=K)["hits"]]
        share = overlap(ranked[item.query], found)
        if share is not None:
            rows.append((item.query, twin, share))
    return (sum(r[2] for r in rows) / len(rows) if rows else 0.0), rows


def summarise(outcomes: list[Outcome]) -> dict[str, dict[str, float]]:
    """Return group → {n, recall, mrr, ndcg} (means), plus ``all``."""
    by_group: dict[str, list[Outcome]] = defaultdict(list)
    for o in outcomes:
        by_group[o.item.group].append(o)
        by_group["all"].append(o)
    return {group: {"n": len(items),
                    "recall": sum(o.recall for o in items) / len(items),
                    "mrr": sum(o.rr for o in items) / len(items),
                    "ndcg": sum(o.ndcg for o in items) / len(items)}
            for group, items in by_group.items()}


def print_report(outcomes: list[Outcome], out=None,
                 parity_rows: list[tuple[str, str, float]] | None = None) -> None:
    """Print the per-group table, the targets, parity and the failing queries (to ``out``)."""
    out = out or sys.stdout
    table = summarise(outcomes)
    print(f"{'group':<12} {'n':>3} {'recall@10':>10} {'MRR':>6} {'nDCG@10':>8}", file=out)
    for group in [g for g in GROUPS if g in table] + ["all"]:
        row = table[group]
        print(f"{group:<12} {row['n']:>3} {row['recall']:>10.3f} {row['mrr']:>6.3f} "
              f"{row['ndcg']:>8.3f}", file=out)
    print(file=out)
    for group in [g for g in GROUPS if g in table]:
        ok = table[group]["recall"] >= RECALL_TARGET
        print(f"[{'ok' if ok else 'MISS'}] {group} recall@10 ≥ {RECALL_TARGET}", file=out)
    if "english" in table and "chinese" in table:
        gap = table["chinese"]["recall"] - table["english"]["recall"]
        print(f"[{'ok' if gap <= ENGLISH_GAP else 'MISS'}] english recall@10 within "
              f"{ENGLISH_GAP} of chinese (gap {gap:+.3f})", file=out)
    if parity_rows:
        mean = sum(r[2] for r in parity_rows) / len(parity_rows)
        print(f"[{'ok' if mean >= PARITY_TARGET else 'MISS'}] cross-language parity "
              f"{mean:.3f} ≥ {PARITY_TARGET} ({len(parity_rows)} English queries with a "
              f"Chinese twin)", file=out)
        for query, twin, share in parity_rows:
            if share < 1.0:
                print(f"      {query!r} finds {share:.0%} of {twin!r}'s top {K}", file=out)
    failing = [o for o in outcomes if o.recall < 1.0]
    print(f"\nfailing queries ({len(failing)} with recall@10 < 1):", file=out)
    for o in failing:
        missing = [rid for rid in o.item.relevant if rid not in o.ranked[:K]]
        print(f"  {o.item.group:<12} {o.item.query!r}: recall {o.recall:.2f}, "
              f"missing {len(missing)}/{len(o.item.relevant)}: {' '.join(missing[:4])}"
              f"{' …' if len(missing) > 4 else ''}", file=out)
        if o.taken:
            print(f"      took the suggestion: {o.taken!r}", file=out)
        if o.error:
            print(f"      error: {o.error}", file=out)
        elif o.expansions:
            print(f"      expansions: {'; '.join(o.expansions)}", file=out)


def main(argv: list[str] | None = None) -> int:
    """Run the query set against the index and print the report; always returns 0."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, default=VAR_DIR / "index",
                        help="index folder (default: var/index)")
    parser.add_argument("--queries", type=Path, default=QUERIES_PATH)
    args = parser.parse_args(argv)
    try:
        from indexer.backends import backend_name, searcher_factory

        if not args.index.exists():
            print(f"no index at {args.index}: run `make index` first")
            return 0
        # SEARCH_BACKEND=opensearch evaluates the cluster (loaded from the same build).
        print(f"backend: {backend_name()}")
        searcher = searcher_factory()(args.index)
        outcomes = [run_query(searcher, item) for item in load_queries(args.queries)]
        print_report(outcomes, parity_rows=parity(searcher, outcomes)[1])
        from bench import wording

        wording.print_report()
    except Exception:  # noqa: BLE001 - the evaluation reports, it never fails the build
        traceback.print_exc()
    return 0


if __name__ == "__main__":
    sys.exit(main())
