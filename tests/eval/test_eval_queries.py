"""The labelled query set of ``make eval`` and its metrics (issue 5 §5)."""

import io
import math
from pathlib import Path

import pytest

from bench.evaluate import (
    GROUPS,
    LabelledQuery,
    Outcome,
    load_queries,
    ndcg_at,
    print_report,
    recall_at,
    reciprocal_rank,
    summarise,
)
from indexer.analysis import normalise, query_words

CORPUS = Path(__file__).resolve().parents[2] / "corpus" / "shangcheng-yearbook-2018.txt"
QUERIES = load_queries()


@pytest.fixture(scope="module")
def records() -> dict[str, dict]:
    """The parsed records of the 2018 yearbook, by id."""
    parse = pytest.importorskip("indexer.parse")
    return {r["id"]: r for r in parse.parse_file(CORPUS).records}


def flat(text: str) -> str:
    """Normalised text without spaces (names are printed padded: ``徐 斌``)."""
    return "".join(normalise(text).split())


# --------------------------------------------------------------------------- the set


def test_query_set_size_and_groups():
    """At least 60 queries, every group with at least eight, no query twice."""
    assert len(QUERIES) >= 60
    for group in GROUPS:
        assert sum(q.group == group for q in QUERIES) >= 8, group
    assert len({(q.group, q.query) for q in QUERIES}) == len(QUERIES)


def test_every_labelled_id_is_a_parsed_record(records):
    """Labels name records that exist (ids are stable across parses)."""
    missing = {rid for q in QUERIES for rid in q.relevant if rid not in records}
    assert missing == set()


def test_phrase_labels_are_exactly_the_records_containing_the_phrase(records):
    """An exact phrase is relevant in precisely the records whose text holds it."""
    for q in QUERIES:
        if q.query.startswith('"'):
            phrase = flat(q.query.strip('"'))
            holding = {rid for rid, r in records.items() if phrase in flat(r["text"])}
            assert set(q.relevant) == holding, q.query


def test_keyword_labels_contain_every_query_word(records):
    """A relevant record of a Chinese keyword or name query contains all its words."""
    for q in QUERIES:
        if q.group in ("chinese", "names"):
            for rid in q.relevant:
                text = flat(records[rid]["text"])
                assert all(w in text for w in query_words(q.query)), (q.query, rid)


def test_translated_queries_share_the_labels_of_a_chinese_query():
    """English, pinyin and Traditional queries are judged like their Chinese twin."""
    chinese = {q.relevant for q in QUERIES if q.group in ("chinese", "phrase", "names")}
    for q in QUERIES:
        if q.group in ("english", "pinyin", "traditional"):
            assert q.relevant in chinese, q.query


def test_loader_rejects_a_malformed_line(tmp_path):
    """An unknown group or a line without ids is an error, with its line number."""
    bad = tmp_path / "q.tsv"
    bad.write_text("group\tquery\trelevant\tnote\nklingon\tx\tid-1\t\n", encoding="utf-8")
    with pytest.raises(ValueError, match=":2:"):
        load_queries(bad)


# --------------------------------------------------------------------------- metrics


def test_recall_is_capped_at_k():
    """Twelve relevant records: ten of them in the top ten is full recall."""
    relevant = {f"r{i}" for i in range(12)}
    assert recall_at([f"r{i}" for i in range(10)], relevant) == 1.0
    assert recall_at(["x", "r1", "y"], {"r1", "r2"}) == 0.5
    assert recall_at(["x"] * 10 + ["r1"], {"r1"}) == 0.0


def test_reciprocal_rank():
    """1/rank of the first relevant hit within the top ten, else 0."""
    assert reciprocal_rank(["x", "y", "r"], {"r"}) == pytest.approx(1 / 3)
    assert reciprocal_rank(["r"], {"r", "s"}) == 1.0
    assert reciprocal_rank([], {"r"}) == 0.0


def test_ndcg():
    """Binary gains, log2 discount, ideal over min(|relevant|, 10)."""
    assert ndcg_at(["a", "b"], {"a", "b"}) == 1.0
    expected = (1 / math.log2(3)) / (1 + 1 / math.log2(3))
    assert ndcg_at(["x", "a"], {"a", "b"}) == pytest.approx(expected)
    assert ndcg_at(["x"], {"a"}) == 0.0


def test_summary_and_report_name_groups_targets_and_failures():
    """Means per group and overall; the report flags a missed target and the failing query."""
    ok = LabelledQuery("chinese", "卫星班", ("a",))
    bad = LabelledQuery("english", "satellite class", ("a", "b"))
    outcomes = [Outcome(ok, ["a"], 1.0, 1.0, 1.0, []),
                Outcome(bad, ["a"], 0.5, 1.0, 0.6, ["satellite class → 卫星班"])]
    table = summarise(outcomes)
    assert table["all"] == {"n": 2, "recall": 0.75, "mrr": 1.0, "ndcg": 0.8}
    out = io.StringIO()
    print_report(outcomes, out=out)
    report = out.getvalue()
    assert "[MISS] english recall@10 ≥ 0.9" in report
    assert "[MISS] english recall@10 within 0.1 of chinese (gap +0.500)" in report
    assert "'satellite class': recall 0.50, missing 1/2: b" in report
    assert "'卫星班'" not in report


def test_evaluate_runs_on_the_real_index_and_never_fails(built_index, capsys):
    """``python -m bench.evaluate`` prints the per-group table and exits 0."""
    from bench.evaluate import main

    assert main(["--index", str(built_index)]) == 0
    out = capsys.readouterr().out
    for group in GROUPS:
        assert f"\n{group:<12} " in out
    assert "failing queries" in out


def test_evaluate_without_an_index_says_how_to_build_one(tmp_path, capsys):
    """No index yet: a hint, still exit 0."""
    from bench.evaluate import main

    assert main(["--index", str(tmp_path / "none")]) == 0
    assert "make index" in capsys.readouterr().out
