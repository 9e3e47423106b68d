"""The JSON API (webapp/api.py): same dicts as the pages, UTF-8, exact errors."""

import pytest
from webtools import AWARD_TABLE, SEND_TEACHING_CLAUSE, SPECIAL_EDUCATION, ZONG_AWARD

HIT_KEYS = {"id", "kind", "doc_id", "doc_title", "section", "text", "highlight", "url", "doc_url",
            "date", "year", "offices", "permalink", "citation"}


def test_search_keys_and_hits(client):
    response = client.get("/api/search?q=%22送教上门%22")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    data = response.get_json()
    assert list(data) == ["query", "total", "page", "size", "pages", "took_ms", "grouped",
                          "hits", "facets", "facets_hidden", "facet_pages", "chips", "sorts",
                          "pagination",
                          "alternatives", "interpretation", "links"]
    assert (data["query"], data["total"], data["page"], data["size"]) == ('"送教上门"', 2, 1, 10)
    assert {hit["id"] for hit in data["hits"]} == {SEND_TEACHING_CLAUSE,
                                                   "shangcheng-2018.20180620.3.1.6"}
    for hit in data["hits"]:
        assert set(hit) == HIT_KEYS
        assert hit["kind"] == "clause"
        assert "送教上门" in hit["text"]
        assert hit["permalink"] == f"http://localhost/c/{hit['id']}"
    assert set(data["facets"]) == {"doc", "year", "office", "kind", "level", "person",
                                   "yearbook"}
    assert data["interpretation"]["phrases"] == ["送教上门"]


def test_utf8_without_escapes(client):
    response = client.get("/api/search?q=宗庆后")
    body = response.get_data()
    assert b"\\u" not in body
    assert "宗庆后".encode() in body
    assert response.headers["Content-Type"] == "application/json"


@pytest.mark.parametrize("facet", ["doc", "year", "office", "kind"])
def test_facet_value_filters_to_exactly_count(client, facet):
    facets = client.get("/api/search?q=宗庆后").get_json()["facets"][facet]
    assert facets
    for bucket in facets:
        data = client.get("/api/search", query_string={"q": "宗庆后", facet: bucket["value"]})
        assert data.get_json()["total"] == bucket["count"], bucket


def test_selected_facet_is_marked(client):
    facets = client.get(f"/api/search?q=宗庆后&doc={AWARD_TABLE}").get_json()["facets"]
    assert [(b["value"], b["selected"]) for b in facets["doc"] if b["selected"]] == [
        (AWARD_TABLE, True)]


def test_facet_buckets_carry_their_links_and_the_chips_their_removal(client):
    """The JSON twin holds what the page shows: each bucket's toggle link, the chips, the
    facet pages, the sort and page links; following a link gives the state it names."""
    data = client.get(f"/api/search?q=宗庆后&doc={AWARD_TABLE}&lang=en").get_json()
    selected = [b for b in data["facets"]["doc"] if b["selected"]]
    assert [b["value"] for b in selected] == [AWARD_TABLE]
    # A selected bucket's link removes the filter, the chip's link does the same.
    assert selected[0]["toggle_url"] == data["chips"][0]["remove_url"] == \
        "http://localhost/search?q=%E5%AE%97%E5%BA%86%E5%90%8E&lang=en"
    assert [(c["facet"], c["value"]) for c in data["chips"]] == [("doc", AWARD_TABLE)]
    for bucket in data["facets"]["kind"] + data["facets"]["year"]:
        target = client.get(as_api(bucket["toggle_url"])).get_json()
        assert target["total"] == bucket["count"]
        assert [(c["facet"], str(c["value"])) for c in target["chips"]] == [
            ("doc", AWARD_TABLE), (bucket_facet(data, bucket), str(bucket["value"]))]
    assert data["facet_pages"]["office"] == (
        f"http://localhost/search/facet/office?q=%E5%AE%97%E5%BA%86%E5%90%8E&doc={AWARD_TABLE}"
        "&lang=en")
    assert [(s["value"], s["selected"]) for s in data["sorts"]] == [("relevance", True),
                                                                    ("date", False)]
    assert data["pagination"] == [{"page": 1, "current": True, "url": data["links"]["html"]}]


def bucket_facet(data: dict, bucket: dict) -> str:
    """The facet whose buckets hold ``bucket``."""
    return next(name for name, items in data["facets"].items() if bucket in items)


def as_api(url: str) -> str:
    """The JSON twin of a page address (path and query only, for the test client)."""
    return url.replace("http://localhost/search", "/api/search")


def test_pagination_marks_gaps(client):
    data = client.get("/api/search?q=&size=10&page=5").get_json()
    numbers = [item and item["page"] for item in data["pagination"]]
    assert numbers == [1, None, 3, 4, 5, 6, 7, None, data["pages"]]
    assert data["pagination"][4]["current"] is True
    assert data["pagination"][5]["url"] == data["links"]["next"]
    assert data["pagination"][0]["url"] == "http://localhost/search?lang=zh"  # no page=1


def test_paging_links(client):
    data = client.get("/api/search?q=卫星班&size=5&page=2&lang=en").get_json()
    assert (data["page"], data["pages"], len(data["hits"])) == (2, 2, 2)
    assert data["links"]["prev"] == "http://localhost/search?q=%E5%8D%AB%E6%98%9F%E7%8F%AD" \
        "&size=5&lang=en"
    assert "next" not in data["links"]


def test_docs(client):
    docs = client.get("/api/docs").get_json()["docs"]
    assert len(docs) == 23
    special = next(doc for doc in docs if doc["id"] == SPECIAL_EDUCATION)
    assert special["title"] == "杭州市上城区特殊教育提升计划(2017—2020)"
    assert special["date"] == "2018-06-20"
    assert special["offices"] == ["杭州市上城区人民政府办公室"]
    assert special["clauses"] == 41
    assert special["url"] == f"http://localhost/doc/{SPECIAL_EDUCATION}?lang=zh"
    assert {"id", "title", "date", "offices", "clauses", "url"} <= set(special)


def test_doc_has_sections_and_records_in_order(client):
    doc = client.get(f"/api/doc/{SPECIAL_EDUCATION}").get_json()
    assert [r["id"] for r in doc["records"]] == doc["record_ids"]
    assert len(doc["records"]) == 41
    assert doc["sections"][0] == {"key": "1", "label": "一、总体目标", "depth": 1}
    assert all(r["citation"].endswith(r["permalink"]) for r in doc["records"])


def test_record(client):
    record = client.get(f"/api/record/{ZONG_AWARD}?lang=en").get_json()
    assert record["id"] == ZONG_AWARD
    assert record["kind"] == "award"
    assert "宗庆后" in record["persons"]
    assert record["permalink"] == f"http://localhost/c/{ZONG_AWARD}"
    assert record["doc_url"] == f"http://localhost/doc/{AWARD_TABLE}?lang=en#{ZONG_AWARD}"


@pytest.mark.parametrize(("query", "message"), [
    ("page=abc", "page must be a whole number"),
    ("page=0", "page must be between 1 and 1000"),
    ("size=100000", "size must be between 1 and 100"),
    ("year=abc", "year must be a whole number"),
    ("year=1800", "year must be between 1949 and 2100"),
    ("sort=random", "sort must be one of: relevance, date"),
    ("kind=poem", "kind must be one of: clause, award, list, policy"),
    ("q=" + "x" * 501, "The query is too long: at most 500 characters (got 501)"),
    ("office=" + "x" * 201, "office is too long"),
    ("q=宗庆后&page=3", "page is past the last page (1)"),
])
def test_bad_parameters_are_400_with_a_message(client, query, message):
    response = client.get(f"/api/search?{query}&lang=en")
    assert response.status_code == 400
    assert response.get_json() == {"error": message}


@pytest.mark.parametrize(("query", "message"), [
    ("office=没有这个机关", "参数 office 的值在索引中不存在:没有这个机关"),
    ("doc=no-such-doc", "参数 doc 的值在索引中不存在:no-such-doc"),
    ("year=1990", "参数 year 的值在索引中不存在:1990"),
    ("q=宗庆后&kind=clause&office=没有", "参数 office 的值在索引中不存在:没有"),
])
def test_unknown_facet_values_are_400(client, query, message):
    response = client.get(f"/api/search?{query}&lang=zh")
    assert response.status_code == 400
    assert response.get_json() == {"error": message}


def test_filters_the_search_layer_resolves_are_accepted(client):
    """Part of an office name or a title is a valid filter (the search layer widens it)."""
    assert client.get("/api/search?office=人民政府办公室").status_code == 200
    assert client.get("/api/search?doc=特殊教育").get_json()["total"] == 41


def test_query_errors_of_the_search_layer_are_400(client):
    response = client.get("/api/search?q=office:没有这个机关&lang=en")
    assert response.status_code == 400
    assert response.get_json()["error"].startswith("Query error: ")


def test_errors_follow_the_language(client):
    response = client.get("/api/search?size=0&lang=zh")
    assert response.get_json() == {"error": "参数 size 必须在 1 到 100 之间"}


@pytest.mark.parametrize("url", ["/api/doc/nope", "/api/record/nope", "/api/nope",
                                 f"/api/doc/{SEND_TEACHING_CLAUSE}",
                                 f"/api/record/{SPECIAL_EDUCATION}"])
def test_unknown_ids_are_404_json(client, url):
    response = client.get(url + "?lang=en")
    assert response.status_code == 404
    assert response.get_json() == {"error": "Not found"}


def test_api_and_page_show_the_same_hits(client):
    data = client.get("/api/search?q=卫星班&lang=zh").get_json()
    html = client.get("/search?q=卫星班&lang=zh").get_data(as_text=True)
    positions = [html.index(f'id="hit-{hit["id"]}"') for hit in data["hits"]]
    assert positions == sorted(positions)
    assert len(positions) == data["total"] == 7


def test_a_bad_filter_typed_in_q_is_not_blamed_on_a_valid_parameter(client):
    """office:没有 in the query is the query's error, though ?office= is also given."""
    response = client.get("/api/search?q=office:没有&office=人民政府办公室&lang=zh")
    assert response.status_code == 400
    assert response.get_json() == {"error": "检索式有误:找不到机关“没有”"}


def test_docs_is_one_page_at_x1(client):
    data = client.get("/api/docs?lang=en").get_json()
    assert list(data) == ["total", "page", "size", "pages", "docs", "pagination", "links"]
    assert (data["total"], data["page"], data["size"], data["pages"], len(data["docs"])) == \
        (23, 1, 100, 1, 23)
    assert data["pagination"] == [{"page": 1, "current": True,
                                   "url": "http://localhost/docs?lang=en"}]
    assert data["links"] == {"html": "http://localhost/docs?lang=en",
                             "json": "http://localhost/api/docs?lang=en"}


def test_docs_pages(client, monkeypatch):
    """With 10 documents a page the 23 documents take 3 pages, in the order of the whole
    list; each page links its neighbours, its HTML page and itself."""
    from webapp import views

    every = [doc["id"] for doc in client.get("/api/docs").get_json()["docs"]]
    monkeypatch.setattr(views, "DOCS_PAGE", 10)
    data = client.get("/api/docs?page=2&lang=en").get_json()
    assert (data["total"], data["page"], data["size"], data["pages"]) == (23, 2, 10, 3)
    assert [doc["id"] for doc in data["docs"]] == every[10:20]
    assert data["links"] == {"html": "http://localhost/docs?page=2&lang=en",
                             "json": "http://localhost/api/docs?page=2&lang=en",
                             "prev": "http://localhost/docs?lang=en",
                             "next": "http://localhost/docs?page=3&lang=en"}
    assert [item["url"] for item in data["pagination"]] == [
        "http://localhost/docs?lang=en", "http://localhost/docs?page=2&lang=en",
        "http://localhost/docs?page=3&lang=en"]
    assert [item["current"] for item in data["pagination"]] == [False, True, False]
    last = client.get("/api/docs?page=3").get_json()
    assert [doc["id"] for doc in last["docs"]] == every[20:]
    assert set(last["links"]) == {"html", "json", "prev"}


@pytest.mark.parametrize(("page", "error"), [
    ("4", "page is past the last page (3)"), ("abc", "page must be a whole number"),
    ("0", "page must be between 1 and 1000")])
def test_docs_bad_page_is_a_400(client, monkeypatch, page, error):
    from webapp import views

    monkeypatch.setattr(views, "DOCS_PAGE", 10)
    response = client.get(f"/api/docs?page={page}&lang=en")
    assert response.status_code == 400
    assert response.get_json() == {"error": error}


def test_docs_sizes_come_from_the_build_not_the_records(client, monkeypatch):
    """/api/docs gives each document's record count and characters from docs.json: the same
    figures its records give, and no record is read to list them (a ×200 archive has 133 400)."""
    from indexer.search.searcher import Searcher

    special = client.get(f"/api/doc/{SPECIAL_EDUCATION}").get_json()
    expected = (len(special["records"]), sum(len(r["text"]) for r in special["records"]))

    def no_record(self, record_id):
        raise AssertionError(f"record {record_id} read to list the documents")

    monkeypatch.setattr(Searcher, "record", no_record)
    docs = client.get("/api/docs").get_json()["docs"]
    found = next(doc for doc in docs if doc["id"] == SPECIAL_EDUCATION)
    assert (found["clauses"], found["chars"]) == expected == (41, expected[1])
    assert client.get("/docs").status_code == 200
