"""Award level and person facets (indexer/search/state.py, facets.py) on the real corpus:
every count equals the total of the search filtered by that value."""

import pytest

from indexer.search import QueryError


def test_level_facet_counts_are_the_filtered_totals(searcher):
    facets = searcher.search("宗庆后")["facets"]
    assert [(b["value"], b["count"]) for b in facets["level"]] == [("national", 4),
                                                                  ("provincial", 2)]
    for bucket in facets["level"]:
        assert searcher.search("宗庆后", level=bucket["value"])["total"] == bucket["count"]
    every = {level: sum(r.get("level") == level for r in searcher.records())
             for level in ("national", "provincial", "municipal")}
    browse = searcher.search("")["facets"]["level"]
    assert {b["value"]: b["count"] for b in browse} == every


def test_person_facet_names_award_winners_and_listed_people(searcher):
    facets = searcher.search("宗庆后")["facets"]["person"]
    assert facets[0] == {"value": "宗庆后", "label": "宗庆后", "count": 6, "selected": False}
    assert searcher.search("person:宗庆后")["total"] == 6
    listed = searcher.search("", person="陈国昌")  # an entry of a list of people
    assert [hit["id"] for hit in listed["hits"]] == ["shangcheng-2018.l9.2.12"]


def test_bad_level_and_unknown_person_are_errors(searcher):
    with pytest.raises(QueryError) as err:
        searcher.search("", level="galactic")
    assert err.value.key == "bad_level"
    with pytest.raises(QueryError) as err:
        searcher.search("person:无名氏")
    assert err.value.key == "unknown_person"
