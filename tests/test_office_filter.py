"""The ``office:`` filter and document kinds (indexer/search/offices.py, facets.py) on the
real corpus: whole names and aliases, never any substring; ambiguity is a choice."""

import pytest

from indexer.search import QueryError
from indexer.search.offices import resolve_office


def offices_found(searcher, value: str) -> set[str]:
    """Every office of the records an ``office:`` filter finds."""
    result = searcher.search(f"office:{value}", size=100)
    (label,) = result["interpretation"]["filters"]
    return set(label["values"]), result["total"]


def test_alias_names_its_canonical_office_only(searcher):
    values, total = offices_found(searcher, "浙江省委")
    assert values == {"中共浙江省委"}
    everyone = [r for r in searcher.records() if "中共浙江省委" in (r.get("offices") or [])]
    assert total == len(everyone) == 12
    ids = {hit["id"] for hit in searcher.search("office:浙江省委", size=100)["hits"]}
    assert not any("九三学社浙江省委员会" in searcher.record(i)["offices"] or
                   "共青团浙江省委员会" in searcher.record(i)["offices"] for i in ids)


@pytest.mark.parametrize(("typed", "canonical"), [
    ("杭州市政府办公厅", "杭州市人民政府办公厅"),   # an alias of offices.tsv
    ("全国妇联", "中华全国妇女联合会"),            # as the award table printed it
    ("中央文明办", "中央精神文明建设指导委员会办公室"),
    ("上城区人民政府办公室", "杭州市上城区人民政府办公室"),
    ("人民政府办公室", "杭州市上城区人民政府办公室"),  # the one office whose name ends so
    ("九三学社浙江省委员会", "九三学社浙江省委员会"),
])
def test_names_and_aliases_resolve(searcher, typed, canonical):
    assert offices_found(searcher, typed)[0] == {canonical}


def test_a_prefix_naming_several_offices_is_a_choice(searcher):
    with pytest.raises(QueryError) as err:
        searcher.search("office:浙江省")
    assert err.value.key == "ambiguous_office"
    assert err.value.params["n"] == 57
    assert err.value.params["choices"][:2] == ["浙江省人力资源和社会保障厅",
                                               "浙江省人大常委会办公厅"]


def test_a_substring_inside_a_name_is_no_match():
    offices = ["九三学社浙江省委员会", "共青团浙江省委员会"]
    with pytest.raises(QueryError) as err:
        resolve_office(offices, "浙江省委", aliases={})
    assert err.value.key == "unknown_office"


def test_document_kinds_name_their_records(searcher):
    assert [h["id"] for h in searcher.search("卫星班 kind:policy", size=100)["hits"]] == \
        [h["id"] for h in searcher.search("卫星班 kind:clause", size=100)["hits"]]
