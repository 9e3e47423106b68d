"""``search(facet_size=k)``: each facet lists its first ``k`` values and the selected ones,
exactly as the whole list would, and ``facets_hidden`` counts the rest (the backend picks
them by top-k; the oracle is the whole list, counted from the hits themselves)."""

from collections import Counter

import pytest

from indexer.search import FACET_FIELDS

#: Browsing, a broad word, a name, and two words no record has both of (the fallback).
QUERIES = ("", "教育", "宗庆后", "消防安全 街道办事处")


def _expected(items: list[dict], size: int) -> tuple[list[dict], int]:
    """The first ``size`` of the whole list and the selected ones; how many are left."""
    shown = [item for n, item in enumerate(items) if n < size or item["selected"]]
    return shown, len(items) - len(shown)


def _least_office(searcher) -> str:
    """The office listed last when browsing (the rarest): a selection past the first."""
    return searcher.search("")["facets"]["office"][-1]["value"]


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("size", [0, 1, 3, 10])
def test_first_values_are_those_of_the_whole_list(searcher, query, size):
    for filters in ({}, {"office": _least_office(searcher)}, {"kind": "award"}):
        whole = searcher.search(query, **filters)
        cut = searcher.search(query, facet_size=size, **filters)
        assert [h["id"] for h in cut["hits"]] == [h["id"] for h in whole["hits"]]
        assert whole["facets_hidden"] == dict.fromkeys(FACET_FIELDS, 0)
        for name in FACET_FIELDS:
            shown, hidden = _expected(whole["facets"][name], size)
            assert cut["facets"][name] == shown, (query, filters, name)
            assert cut["facets_hidden"][name] == hidden, (query, filters, name)


def test_whole_lists_count_the_hits(searcher):
    """Each facet's counts are those of the hits (offices: each of a record's offices), in
    the facet's order: by count, then label; years newest first."""
    records = []
    page = 1
    while True:
        result = searcher.search("教育", page=page, size=100)
        records += [searcher.record(hit["id"]) for hit in result["hits"]]
        if page >= result["pages"]:
            break
        page += 1
    facets = result["facets"]
    assert {b["value"]: b["count"] for b in facets["doc"]} == \
        Counter(r["doc_id"] for r in records)
    assert {b["value"]: b["count"] for b in facets["office"]} == \
        Counter(o for r in records for o in r.get("offices") or [])
    titles = {d["id"]: d["title"] for d in searcher.docs()}
    assert [b["value"] for b in facets["doc"]] == sorted(
        Counter(r["doc_id"] for r in records),
        key=lambda d: (-Counter(r["doc_id"] for r in records)[d], titles[d]))
    assert [b["value"] for b in facets["year"]] == sorted(
        {str(r["year"]) for r in records if r.get("year")}, reverse=True)


def test_a_selected_value_nothing_matches_is_listed(searcher):
    office = _least_office(searcher)
    cut = searcher.search("宗庆后", office=office, facet_size=1)
    whole = searcher.search("宗庆后", office=office)
    assert cut["total"] == 0
    assert cut["facets"]["office"] == _expected(whole["facets"]["office"], 1)[0]
    assert {"value": office, "label": office, "count": 0, "selected": True} in \
        cut["facets"]["office"]
