"""Downloads of results and citations (webapp/exports.py), read back with the parser of
each format: csv, json, rispy, bibtexparser."""

import csv
import io
import json

import bibtexparser
import pytest
import rispy
from webtools import ZONG_AWARD

from webapp.cite import citation

#: 宗庆后 on the real corpus: six award rows (table 22) and one honour-list entry.
ZONG_QUERY = "/api/search?q=宗庆后"


def download(client, url: str, mimetype: str) -> str:
    """GET a download, check its type and that it is an attachment; return its text."""
    response = client.get(url)
    assert response.status_code == 200, url
    assert response.mimetype == mimetype
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")
    return response.get_data().decode("utf-8")


def all_ids(client, url: str) -> list[str]:
    """The ids of every hit of a search, walking every page of the JSON API (one hit per
    record: exports are never grouped)."""
    ids, page = [], 1
    while True:
        body = client.get(f"{url}&group=none&size=100&page={page}").get_json()
        ids += [hit["id"] for hit in body["hits"]]
        if page >= body["pages"]:
            return ids
        page += 1


def test_csv_has_a_bom_every_page_and_reads_back(client):
    text = download(client, "/api/search?q=上城区&kind=clause&format=csv", "text/csv")
    assert text.startswith("\ufeffid,kind,")
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    expected = all_ids(client, "/api/search?q=上城区&kind=clause")
    assert len(expected) > 100  # more than one page of the largest page size
    assert [row["id"] for row in rows] == expected
    assert {row["kind"] for row in rows} == {"clause"}


def test_csv_row_holds_the_record_fields(client, searcher):
    text = download(client, ZONG_QUERY + "&format=csv", "text/csv")
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(text[1:]))}
    row = rows[ZONG_AWARD]
    assert (row["unit"], row["persons"], row["honour"], row["awarders"], row["date"]) == (
        "杭州娃哈哈集团有限公司", "宗庆后", "第十二届人民企业社会责任奖年度人物奖", "人民网",
        "2018-01")
    assert row["permalink"] == f"http://localhost/c/{ZONG_AWARD}"
    assert row["citation"] == citation(searcher.record(ZONG_AWARD), row["permalink"])


def test_jsonl_is_one_object_per_record_with_the_filters(client):
    text = download(client, ZONG_QUERY + "&kind=award&format=jsonl", "application/x-ndjson")
    lines = [json.loads(line) for line in text.splitlines()]
    assert [line["id"] for line in lines] == all_ids(client, ZONG_QUERY + "&kind=award")
    assert len(lines) == 6 and {line["persons"][0] for line in lines} == {"宗庆后"}


def test_ris_reads_back_with_rispy(client):
    text = download(client, ZONG_QUERY + "&kind=award&format=ris",
                    "application/x-research-info-systems")
    entries = rispy.loads(text)
    assert [entry["id"] for entry in entries] == all_ids(client, ZONG_QUERY + "&kind=award")
    first = next(entry for entry in entries if entry["id"] == ZONG_AWARD)
    assert first["type_of_reference"] == "CHAP"
    assert first["title"] == "宗庆后(杭州娃哈哈集团有限公司): 第十二届人民企业社会责任奖年度人物奖"
    assert first["secondary_title"] == "上城区年鉴(2018)"
    assert first["notes"] == ["颁奖单位: 人民网"]
    assert first["urls"] == [f"http://localhost/c/{ZONG_AWARD}"]


def test_bibtex_reads_back_with_bibtexparser(client):
    text = download(client, "/api/search?q=凤凰行动&format=bibtex", "application/x-bibtex")
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks
    assert [entry.key for entry in library.entries] == all_ids(client, "/api/search?q=凤凰行动")
    entry = library.entries[0]
    assert entry.entry_type == "misc"
    assert entry["title"] == "上城区深入推进“凤凰行动”更好服务实体经济扶持政策"
    assert entry["author"] == "{杭州市上城区人民政府办公室}"
    assert entry["date"] == "2018-09-05"


def test_csl_json_is_an_array_of_items(client):
    text = download(client, ZONG_QUERY + "&format=csl",
                    "application/vnd.citationstyles.csl+json")
    items = json.loads(text)
    assert [item["id"] for item in items] == all_ids(client, ZONG_QUERY)
    award = next(item for item in items if item["id"] == ZONG_AWARD)
    assert award["type"] == "entry" and award["container-title"] == "上城区年鉴(2018)"
    assert award["authority"] == "人民网"
    assert award["event-date"] == {"date-parts": [[2018, 1]]}


@pytest.mark.parametrize("fmt", ["ris", "bibtex", "csl", "gbt"])
def test_record_citation_in_every_format(client, fmt):
    response = client.get(f"/api/record/shangcheng-2018.20181208.4.4?format={fmt}")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    if fmt == "ris":
        (entry,) = rispy.loads(text)
        assert entry["type_of_reference"] == "GOVDOC"
        assert entry["authors"] == ["中共杭州市上城区委办公室", "杭州市上城区人民政府办公室"]
        assert (entry["date"], entry["section"]) == ("2018/12/08/", "四(四)")
    elif fmt == "bibtex":
        (entry,) = bibtexparser.parse_string(text).entries
        assert entry["author"] == "{中共杭州市上城区委办公室} and {杭州市上城区人民政府办公室}"
    elif fmt == "csl":
        (item,) = json.loads(text)
        assert item["section"] == "四(四)"
    else:
        assert text.startswith("中共杭州市上城区委办公室, 杭州市上城区人民政府办公室. 关于推进"
                               "健康上城建设的实施意见[EB/OL]. (2018-12-08): 四(四)[")


def test_yearbook_citation_without_an_invented_imprint(client):
    (entry,) = rispy.loads(client.get("/api/record/shangcheng-2018?format=ris")
                           .get_data(as_text=True))
    assert entry["type_of_reference"] == "BOOK" and entry["title"] == "上城区年鉴(2018)"
    assert not {"publisher", "place_published", "year", "urls"} & set(entry)


def test_bad_format_is_a_json_400(client):
    response = client.get("/api/search?q=x&format=pdf")
    assert response.status_code == 400
    assert "format" in response.get_json()["error"]
    assert client.get("/api/record/nope?format=ris").status_code == 404
