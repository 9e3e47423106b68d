"""What researchers, editors and citers found wrong in the pages (issue 11 §B, §C, §E),
each checked on the real corpus through the Flask test client."""

from html.parser import HTMLParser

import pytest
from webtools import AWARD_TABLE, HONOUR_LIST, SEND_TEACHING_CLAUSE, ZONG_AWARD, Links

RIVERSIDE_PLAN = "shangcheng-2018.20180930"  # 上城区拥江发展四年行动计划
HEALTH_OPINIONS = "shangcheng-2018.20181208"
HEALTH_CLAUSE = "shangcheng-2018.20181208.4.4"


class Meta(HTMLParser):
    """The ``<meta name=… content=…>`` tags of a page, in order."""

    def __init__(self, html: str):
        super().__init__()
        self.tags: list[tuple[str, str]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and attrs.get("name"):
            self.tags.append((attrs["name"], attrs.get("content")))


def html_of(client, url: str, status: int = 200, **kwargs) -> str:
    """GET ``url``, check the status, return the text."""
    response = client.get(url, **kwargs)
    assert response.status_code == status, url
    return response.get_data(as_text=True)


def test_one_result_is_singular_in_english(client):
    assert 'id="summary">1 result in ' in html_of(client, "/search?q=青春的墨痕&lang=en")
    assert 'id="summary">6 results in ' in html_of(client, "/search?q=宗庆后&lang=en")


def test_document_kinds_name_their_records(client):
    by_doc_kind = client.get("/api/search?q=卫星班&kind=policy").get_json()
    by_record_kind = client.get("/api/search?q=卫星班&kind=clause").get_json()
    assert [h["id"] for h in by_doc_kind["hits"]] == [h["id"] for h in by_record_kind["hits"]]
    assert by_doc_kind["total"] == by_record_kind["total"] > 0


def test_award_table_labels_awarding_bodies_and_counts_them_all(client):
    html = html_of(client, "/doc/shangcheng-2018.t19?lang=zh")
    assert "<dt>颁奖单位</dt>" in html and "<dt>发文机关</dt>" not in html
    assert "等 41 个单位" in html and "等 38 个单位" not in html
    assert "… 41 in all" in html_of(client, "/doc/shangcheng-2018.t19?lang=en")
    assert "<th>发文或颁奖机关</th>" in html_of(client, "/docs?lang=zh")


def test_a_plan_does_not_cite_itself(client):
    doc = client.get(f"/api/doc/{RIVERSIDE_PLAN}").get_json()
    assert RIVERSIDE_PLAN not in [cite["doc_id"] for cite in doc["cites"]]
    assert doc["cites"][0]["title"] == "杭州市拥江发展四年行动计划(2018—2021年)"
    assert len(doc["cites"]) == 7


def test_cited_by_sits_beside_documents_cited(client):
    html = html_of(client, f"/doc/{RIVERSIDE_PLAN}?lang=en")
    start = html.index('<header class="doc-head">')
    header = html[start:html.index("</header>", start)]
    assert "<h2>Documents cited</h2>" in header and "<h3>Cited by</h3>" in header
    assert header.index("Documents cited") < header.index("Cited by")


def test_award_page_is_headed_by_the_person_and_honour(client):
    html = html_of(client, f"/c/{ZONG_AWARD}?lang=zh")
    assert "<title>宗庆后(杭州娃哈哈集团有限公司): 第十二届人民企业社会责任奖年度人物奖 · " in html
    assert ('<h1>宗庆后(杭州娃哈哈集团有限公司)<span class="sep">: </span>'
            '第十二届人民企业社会责任奖年度人物奖</h1>') in html
    titles = {html_of(client, f"/c/{row}?lang=zh").split("<title>")[1].split(" · ")[0]
              for row in [hit["id"] for hit in client.get(
                  "/api/search?q=宗庆后&kind=award").get_json()["hits"]]}
    assert len(titles) == 6


def test_honour_list_entry_does_not_repeat_heading_as_section(client):
    html = html_of(client, "/c/shangcheng-2018.l1.1.1?lang=en")
    assert html.count("综合考评优胜单位</dd>") == 1
    assert "<dt>Section</dt><dd>综合考评优胜单位</dd>" in html


@pytest.mark.parametrize(("path", "location"), [
    (f"/c/{HEALTH_OPINIONS}", f"/doc/{HEALTH_OPINIONS}"),
    (f"/c/{HEALTH_OPINIONS}?lang=en", f"/doc/{HEALTH_OPINIONS}?lang=en"),
    (f"/c/{ZONG_AWARD}/", f"/c/{ZONG_AWARD}"),
    (f"/c/{ZONG_AWARD}.", f"/c/{ZONG_AWARD}"),
    (f"/c/{ZONG_AWARD}。", f"/c/{ZONG_AWARD}"),
    (f"/c/{AWARD_TABLE}/", f"/c/{AWARD_TABLE}"),
])
def test_permalinks_of_documents_and_with_trailing_punctuation(client, path, location):
    response = client.get(path, headers={"Accept-Language": "zh"})
    assert response.status_code in (301, 302)
    assert response.headers["Location"] == "http://localhost" + location \
        or response.headers["Location"] == location
    assert client.get(path, follow_redirects=True).status_code == 200


def test_permalink_carries_no_language_and_the_cookie_chooses_it(client):
    assert '<html lang="en">' in html_of(client, f"/c/{ZONG_AWARD}",
                                         headers={"Accept-Language": "en"})
    response = client.get(f"/c/{ZONG_AWARD}?lang=en", headers={"Accept-Language": "zh"})
    assert "lang=en" in response.headers["Set-Cookie"]
    # The cookie now outranks Accept-Language on the address without ?lang=.
    assert '<html lang="en">' in html_of(client, f"/c/{ZONG_AWARD}",
                                         headers={"Accept-Language": "zh"})
    client.get("/?lang=zh")
    assert '<html lang="zh">' in html_of(client, f"/c/{ZONG_AWARD}",
                                         headers={"Accept-Language": "en"})
    record = client.get(f"/api/record/{ZONG_AWARD}?lang=en").get_json()
    assert record["permalink"] == f"http://localhost/c/{ZONG_AWARD}"


def test_long_pasted_query_is_not_cut_and_goes_to_similar_wording(client):
    pasted = "推进普通学校资源教室建设。" * 40  # 520 characters
    html = html_of(client, "/search", status=400, query_string={"q": pasted, "lang": "en"})
    assert "at most 500 characters (got 520)" in html
    assert "the pasted text has 520" in html
    assert f'<textarea name="text" rows="4" aria-label="Similar wording">{pasted}</textarea>' \
        in html
    assert 'action="/similar?lang=en" method="post"' in html
    assert f'value="{pasted}"' in html  # the search box keeps every character
    assert "maxlength" not in html_of(client, "/?lang=en").split('id="q"')[1].split(">")[0]
    similar = client.post("/similar?lang=en", data={"text": pasted})
    assert similar.status_code == 200


def test_document_and_clause_pages_carry_highwire_tags(client):
    doc = Meta(html_of(client, f"/doc/{HEALTH_OPINIONS}?lang=en")).tags
    assert [tag for tag in doc if tag[0].startswith("citation_")] == [
        ("citation_title", "关于推进健康上城建设的实施意见"),
        ("citation_author", "中共杭州市上城区委办公室"),
        ("citation_author", "杭州市上城区人民政府办公室"),
        ("citation_publication_date", "2018/12/08"),
        ("citation_language", "zh-CN"),
        ("citation_public_url", f"http://localhost/c/{HEALTH_OPINIONS}"),
        ("citation_abstract_html_url", f"http://localhost/c/{HEALTH_OPINIONS}"),
    ]
    clause = dict(Meta(html_of(client, f"/c/{HEALTH_CLAUSE}")).tags)
    assert clause["citation_public_url"] == f"http://localhost/c/{HEALTH_CLAUSE}"
    assert clause["citation_title"] == "关于推进健康上城建设的实施意见"


def test_pages_link_their_exports(client):
    links = [link["href"] for link in Links(html_of(client, "/search?q=宗庆后&kind=award")).links]
    for fmt in ("csv", "jsonl", "ris", "bibtex", "csl"):
        href = next(h for h in links if h.startswith("/api/search?") and f"format={fmt}" in h)
        assert "kind=award" in href and client.get(href).status_code == 200
    record_links = [link["href"] for link in Links(html_of(client, f"/c/{ZONG_AWARD}")).links]
    for fmt in ("ris", "bibtex", "csl", "gbt"):
        assert f"/api/record/{ZONG_AWARD}?format={fmt}&lang=zh" in record_links
    doc_links = [link["href"] for link in Links(html_of(client, f"/doc/{HONOUR_LIST}")).links]
    assert f"/api/record/{HONOUR_LIST}?format=ris&lang=zh" in doc_links


def test_clause_page_names_document_and_clause_number(client):
    html = html_of(client, f"/c/{SEND_TEACHING_CLAUSE}?lang=zh")
    assert '<span class="clause-number">三(六)4</span>' in html


def test_awarding_bodies_as_printed_with_the_canonical_beside(client):
    row = "shangcheng-2018.t19.19"
    record = client.get(f"/api/record/{row}").get_json()
    assert record["bodies"][:2] == [
        {"printed": "共青团中央", "canonical": "共青团中央"},
        {"printed": "中央文明办", "canonical": "中央精神文明建设指导委员会办公室"}]
    expected = ('<span lang="zh">中央文明办</span> <span class="canonical">(<span lang="zh">'
                '中央精神文明建设指导委员会办公室</span>)</span>')
    assert expected in html_of(client, f"/c/{row}?lang=zh")
    assert expected in html_of(client, "/doc/shangcheng-2018.t19?lang=zh")
    assert expected in html_of(client, '/search?q="全国妇联"&lang=zh')
    assert "中央文明办, " in record["citation"]  # cited as printed


def test_ambiguous_office_is_offered_as_links(client):
    html = html_of(client, "/search?q=卫星班 office:浙江省&lang=zh", status=400)
    choices = [link for link in Links(html).links if link["section"] == "choices"]
    assert len(choices) == 12 and choices[0]["text"] == "浙江省人力资源和社会保障厅"
    assert choices[0]["href"].startswith("/search?q=%E5%8D%AB%E6%98%9F%E7%8F%AD+office:")
    body = client.get("/api/search?q=office:浙江省").get_json()
    assert body["choices"][0]["label"] == "浙江省人力资源和社会保障厅"
    assert client.get(body["choices"][0]["json"]).status_code == 200


def test_level_and_person_facets_on_the_page(client):
    html = html_of(client, "/search?q=宗庆后&lang=en")
    level = html[html.index('id="facet-level"'):html.index('id="facet-person"')]
    assert ">National</a> <span class=\"count\">4</span>" in level
    assert 'data-value="宗庆后" data-count="6"' in html[html.index('id="facet-person"'):]
    chosen = html_of(client, "/search?q=宗庆后&level=provincial&lang=en")
    assert 'data-facet="level">Award level: Provincial' in chosen
    assert 'id="summary">2 results' in chosen
