"""The benchmark harness computes the right statistics and the baselines behave as documented.

No timing assertions: how fast anything runs is what ``make bench`` reports, not a test.
"""

import pytest

from bench import percentile, phrase_exactness, summarize, time_interleaved
from bench.baselines import Fts5Index, NaiveIndex
from bench.queries import QUERIES, grep_oracle, lone_phrase, phrase_queries

RECORDS = [
    {"id": "a", "kind": "clause", "year": 2018, "text": "推进生活垃圾分类工作，配备AED设备40台。"},
    {"id": "b", "kind": "award", "year": 2018, "text": "杭州娃哈哈集团有限公司 宗庆后 企业家"},
    {"id": "c", "kind": "clause", "year": 2017, "text": "创建全域旅游示范区，发展旅游产业。"},
]


def test_percentile_nearest_rank():
    values = list(range(1, 101))  # 1..100: the p-th percentile is p itself
    assert percentile(values, 95) == 95
    assert percentile(values, 50) == 50
    assert percentile(values, 100) == 100
    assert percentile([7.0], 95) == 7.0
    assert percentile([3, 1, 2], 95) == 3  # unsorted input; ceil(2.85) = 3rd value


def test_percentile_rejects_bad_input():
    with pytest.raises(ValueError):
        percentile([], 50)
    with pytest.raises(ValueError):
        percentile([1.0], 0)


def test_summarize_median_and_p95():
    samples = [float(x) for x in range(20, 0, -1)]  # 20..1
    stats = summarize(samples)
    assert stats == {"median": 10.5, "p95": 19.0, "n": 20}


def test_time_interleaved_warms_up_then_times_every_call_in_turn():
    calls = []
    searches = {"a": lambda q: calls.append(("a", q)), "b": lambda q: calls.append(("b", q))}
    samples = time_interleaved(searches, ["x", "y"], repeats=3)
    assert {name: len(ms) for name, ms in samples.items()} == {"a": 6, "b": 6}
    assert len(calls) == 16  # one untimed warm-up pass, then three timed passes, per engine
    assert calls[:4] == [("a", "x"), ("b", "x"), ("a", "y"), ("b", "y")]  # engines take turns
    assert all(ms >= 0 for series in samples.values() for ms in series)


def test_query_mix_phrases_and_oracle():
    assert lone_phrase('"垃圾分类"') == "垃圾分类"
    assert lone_phrase('"垃圾分类" 社区') is None
    assert lone_phrase("kind:award 宗庆后") is None
    pairs = phrase_queries()
    assert ('"分类垃圾示范"', "分类垃圾示范") in pairs
    assert len(pairs) == sum(1 for _c, q in QUERIES if q.startswith('"') and q.endswith('"'))
    assert grep_oracle(RECORDS, "垃圾分类") == {"a"}
    assert grep_oracle(RECORDS, "分类垃圾示范") == set()


@pytest.fixture(scope="module")
def naive(tmp_path_factory):
    index = NaiveIndex.build(RECORDS, tmp_path_factory.mktemp("naive"))
    yield index
    index.close()


@pytest.fixture(scope="module")
def fts5():
    index = Fts5Index.build(RECORDS)
    yield index
    index.close()


def test_naive_finds_words_names_filters_and_latin(naive):
    assert naive.search("垃圾分类", None) == ["a"]
    assert naive.search("宗庆后", None) == ["b"]
    assert naive.search("kind:award 宗庆后", None) == ["b"]
    assert naive.search("kind:clause 宗庆后", None) == []
    assert naive.search("AED", None) == ["a"]
    assert sorted(naive.search("旅游", None)) == ["c"]


def test_naive_misses_quoted_phrases(naive):
    # The documented failure: jieba's analyzer gives character offsets as positions.
    assert naive.search('"垃圾分类"', None) == []
    assert naive.search('"圾分类示"', None) == []


def test_fts5_phrases_are_exact_substrings(fts5):
    assert fts5.search('"垃圾分类"', None) == ["a"]
    assert fts5.search('"分类垃圾示范"', None) == []
    assert fts5.search("宗庆后", None) == ["b"]
    assert fts5.search("kind:award 宗庆后", None) == ["b"]
    assert fts5.search("year:2017 宗庆后", None) == []
    assert fts5.search("AED", None) == ["a"]


def test_fts5_short_terms_fall_back_to_like(fts5):
    assert Fts5Index.uses_like("旅游")
    assert not Fts5Index.uses_like("宗庆后")
    assert fts5.search("旅游", None) == ["c"]
    assert fts5.search("year:2018 旅游", None) == []
    assert sorted(fts5.search("40", None)) == ["a"]
    assert fts5.search('"', None) == []


def test_phrase_exactness_counts_engines_against_the_oracle(naive, fts5):
    pairs = [('"垃圾分类"', "垃圾分类"), ('"分类垃圾示范"', "分类垃圾示范")]

    def oracle(phrase):
        return grep_oracle(RECORDS, phrase)

    assert phrase_exactness(lambda q: fts5.search(q, None), pairs, oracle) == (2, 2)
    # The naive index gets the no-hit phrase "right" only because it finds nothing at all.
    assert phrase_exactness(lambda q: naive.search(q, None), pairs, oracle) == (1, 2)
