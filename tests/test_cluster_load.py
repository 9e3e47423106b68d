"""Index management on the real cluster (``make test-cluster``): adding a yearbook writes
only its documents; the template sets shards and replicas."""

import pytest

import cluster
from indexer import ROOT
from indexer.opensearch import client
from indexer.opensearch.backend import OpenSearchSearcher
from indexer.opensearch.load import REPLICAS, SHARDS, add_yearbook, live_index, read_build, rebuild
from indexer.parse import parse_file

pytestmark = pytest.mark.cluster

ALIAS = "pytest-add"
ADDED = ROOT / "tests" / "fixtures" / "xiacheng-yearbook-2019.txt"


def versions(es, yearbook: str) -> dict[str, int]:
    """``_id`` → ``_version`` of every document of ``yearbook``."""
    found = es.search(index=ALIAS, body={"query": {"term": {"yearbook": yearbook}},
                                         "size": 10_000, "version": True, "_source": False})
    return {hit["_id"]: hit["_version"] for hit in found["hits"]["hits"]}


def test_adding_a_yearbook_writes_only_its_documents(built_index):
    es = client(cluster.urls())
    rebuild(es, *read_build(built_index), ALIAS)
    index = live_index(es, ALIAS)
    settings = es.indices.get_settings(index=index)[index]["settings"]["index"]
    assert (int(settings["number_of_shards"]), int(settings["number_of_replicas"])) \
        == (SHARDS, REPLICAS)
    searcher = OpenSearchSearcher(urls=cluster.urls(), alias=ALIAS)
    before = versions(es, "shangcheng-2018")
    records_before = searcher.meta["counts"]["records"]
    old_ids = [h["id"] for h in searcher.search("垃圾分类", size=20)["hits"]]

    yearbook = parse_file(ADDED)
    result = add_yearbook(es, yearbook.records, yearbook.docs,
                          {"id": yearbook.id, "title": yearbook.title}, "fixture", ALIAS)
    assert result == {"index": index, "deleted": 0,
                      "written": len(yearbook.records) + len(yearbook.docs) + 1}
    assert versions(es, "shangcheng-2018") == before          # not one document rewritten
    assert searcher.refresh(force=True)
    assert searcher.meta["counts"]["records"] == records_before + len(yearbook.records)
    assert yearbook.id in [y["id"] for y in searcher.meta["yearbooks"]]
    first = yearbook.records[0]
    assert first["id"] in [h["id"] for h in searcher.search(
        f'"{first["text"][:12]}"', size=100)["hits"]]
    assert searcher.record(first["id"]) == first
    assert [h["id"] for h in searcher.search("垃圾分类", size=20, year=2018)["hits"]] \
        == [i for i in old_ids if i.startswith("shangcheng-2018")]

    again = add_yearbook(es, yearbook.records, yearbook.docs,
                         {"id": yearbook.id, "title": yearbook.title}, "fixture", ALIAS)
    assert again["deleted"] == 0 and again["written"] == result["written"]
    assert searcher.refresh(force=True) is False               # same generation
