"""Fallback ranking (indexer/search/matching.py): when no record matches every word, the
records holding the query's most specific word come first, on the real corpus."""


def holds(record: dict, word: str) -> bool:
    """Whether the record's text, section headings or document title hold ``word`` (the
    places a word matches), spaces ignored."""
    where = [record["text"], *(record.get("section") or []), record.get("doc_title") or ""]
    return any(word in "".join(place.split()) for place in where)


def test_records_with_the_specific_word_rank_first(searcher):
    result = searcher.search("消防安全 街道办事处", size=100)
    assert result["interpretation"]["fallback"] is True
    ids = [hit["id"] for hit in result["hits"]]
    while result["page"] < result["pages"]:
        result = searcher.search("消防安全 街道办事处", size=100, page=result["page"] + 1)
        ids += [hit["id"] for hit in result["hits"]]
    has = [holds(searcher.record(i), "消防安全") for i in ids]
    # Every record with 消防安全 first, then the others: one switch from True to False.
    assert has == sorted(has, reverse=True)
    assert sum(has) == sum(holds(r, "消防安全") for r in searcher.records())
    assert ids[0] == "shangcheng-2018.20181107.3.2"
    assert ids.index("shangcheng-2018.l3.0.2") >= sum(has)  # 望江街道办事处


def test_a_query_matched_whole_is_not_reordered(searcher):
    whole = searcher.search("消防安全 街道", size=100)
    assert whole["interpretation"]["fallback"] is False
    scores_order = [hit["id"] for hit in whole["hits"]]
    assert scores_order[0] == "shangcheng-2018.20181107.3.2"
