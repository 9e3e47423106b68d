"""The HTML pages (webapp/pages.py) on the real corpus, through the Flask test client."""

from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest
from webtools import (
    AWARD_TABLE,
    HONOUR_LIST,
    SEND_TEACHING_CLAUSE,
    SPECIAL_EDUCATION,
    ZONG_AWARD,
    Links,
    summary_total,
)


def get_html(client, url: str, status: int = 200, **kwargs) -> str:
    """GET ``url``, check the status, return the body as text."""
    response = client.get(url, **kwargs)
    assert response.status_code == status, url
    return response.get_data(as_text=True)


def query_of(href: str) -> dict:
    """The query arguments of a link, single-valued."""
    return {key: values[0] for key, values in parse_qs(urlsplit(href).query).items()}


def test_home_lists_every_document_and_links_examples(client):
    html = get_html(client, "/?lang=zh")
    links = Links(html).links
    doc_links = [link["href"] for link in links if "/doc/" in link["href"]]
    assert len(doc_links) == 23
    assert f"http://localhost/doc/{SPECIAL_EDUCATION}?lang=zh" in doc_links
    assert 'name="q"' in html and 'action="/search"' in html
    assert '<link rel="alternate" type="application/json" href="/api/docs?lang=zh">' in html


def test_search_page_shows_total_hits_and_interpretation(client):
    html = get_html(client, "/search?q=%22送教上门%22&lang=zh")
    assert summary_total(html) == 2
    assert html.count('class="hit"') == 2
    assert "<mark>送教上门</mark>" in html
    assert '<span class="term phrase">“送教上门”</span>' in html
    assert f'id="hit-{SEND_TEACHING_CLAUSE}"' in html
    assert '<div class="section-path">三、主要措施 › (六)加大经费投入,保障特殊教育有效实施' in html
    assert ('<link rel="alternate" type="application/json" href="http://localhost/api/search'
            '?q=%22%E9%80%81%E6%95%99%E4%B8%8A%E9%97%A8%22&amp;lang=zh">') in html


def test_every_facet_link_gives_exactly_its_count(client):
    html = get_html(client, "/search?q=宗庆后&lang=zh")
    assert summary_total(html) == 6
    followed = 0
    for facet in ("doc", "year", "office", "kind", "level", "person", "yearbook"):
        for link in Links(html).within(f"facet-{facet}"):
            target = get_html(client, link["href"])
            assert summary_total(target) == int(link["data-count"]), link["href"]
            assert query_of(link["href"])[facet] == link["data-value"]
            followed += 1
    facets = client.get("/api/search?q=宗庆后").get_json()["facets"]
    assert followed == sum(len(values) for values in facets.values()) == \
        2 + 1 + 9 + 1 + 2 + 1 + 1


def test_selected_facet_becomes_a_removable_chip(client):
    html = get_html(client, f"/search?q=宗庆后&doc={AWARD_TABLE}&lang=en")
    assert summary_total(html) == 4
    chips = Links(html).within("chips")
    assert len(chips) == 1
    assert chips[0]["data-facet"] == "doc"
    assert query_of(chips[0]["href"]) == {"q": "宗庆后", "lang": "en"}
    assert summary_total(get_html(client, chips[0]["href"])) == 6
    # The selected facet value links to the same removal.
    selected = [link for link in Links(html).within("facet-doc") if link.get("aria-current")]
    assert [query_of(link["href"]) for link in selected] == [{"q": "宗庆后", "lang": "en"}]


def test_links_keep_the_whole_state(client):
    html = get_html(client, "/search?q=卫星班&kind=clause&sort=date&size=5&lang=en")
    for link in Links(html).within("facet-year"):
        assert query_of(link["href"]) == {"q": "卫星班", "kind": "clause", "sort": "date",
                                          "size": "5", "year": "2018", "lang": "en"}
    pages = Links(html).within("pagination")
    assert [query_of(link["href"]).get("page") for link in pages] == ["2", "2"]
    assert all(query_of(link["href"])["size"] == "5" for link in pages)


def test_pagination_and_sort(client):
    first = get_html(client, "/search?q=卫星班&size=5&lang=zh")
    second = get_html(client, "/search?q=卫星班&size=5&page=2&lang=zh")
    assert first.count('class="hit"') == 5 and second.count('class="hit"') == 2
    assert '<ol class="hits" start="6">' in second
    by_date = get_html(client, "/search?q=宗庆后&sort=date&lang=zh")
    assert '<strong aria-current="true">日期</strong>' in by_date


def test_empty_query_browses_everything(client):
    html = get_html(client, "/search?lang=en")
    records = sum(doc["clauses"] for doc in client.get("/api/docs").get_json()["docs"])
    assert summary_total(html) == records > 600
    assert "all records" in html


def test_no_results_offers_ways_out(client):
    html = get_html(client, "/search?q=%22送教 上门 卫星%22&doc=" + AWARD_TABLE + "&lang=zh")
    assert summary_total(html) == 0
    helps = Links(html).within("no-results")
    targets = [query_of(link["href"]) for link in helps if "q" in query_of(link["href"])]
    assert {"q": "送教 上门 卫星", "doc": AWARD_TABLE, "lang": "zh"} in targets
    assert {"q": '"送教 上门 卫星"', "lang": "zh"} in targets


def test_partial_matches_offered_with_or(client):
    html = get_html(client, "/search?q=%22送教上门%22 %22娃哈哈%22&lang=zh")
    assert summary_total(html) == 0
    targets = [query_of(link["href"])["q"] for link in Links(html).within("no-results")
               if "q" in query_of(link["href"])]
    assert "送教上门 OR 娃哈哈" in targets


def test_document_page_has_toc_anchors_and_cite_links(client):
    html = get_html(client, f"/doc/{SPECIAL_EDUCATION}?lang=zh")
    assert "<h1><span lang=\"zh\">杭州市上城区特殊教育提升计划(2017—2020)</span></h1>" in html
    assert html.count('class="clause"') == 41
    assert f'<div class="clause" id="{SEND_TEACHING_CLAUSE}">' in html
    assert html.count('<details class="cite">') == 41
    toc = Links(html).links
    assert any(link["href"] == "#s-3.6" for link in toc)
    assert 'id="s-3.6"' in html
    assert "自 2018-07-20 起施行" in html
    record = client.get(f"/api/record/{SEND_TEACHING_CLAUSE}").get_json()
    section = " › ".join(record["section"])
    assert section.startswith("三、主要措施 › (六)加大经费投入,保障特殊教育有效实施")
    assert (f"{record['offices'][0]}. 杭州市上城区特殊教育提升计划(2017—2020)[EB/OL]. "
            f"(2018-06-20): 三(六)4[{date.today().isoformat()}]. "
            f"http://localhost/c/{SEND_TEACHING_CLAUSE}</textarea>") in html


def test_document_page_in_english_shows_both_names(client):
    html = get_html(client, f"/doc/{SPECIAL_EDUCATION}?lang=en")
    assert '<html lang="en">' in html
    assert ('<span lang="en">Special Education Improvement Plan of Shangcheng District, '
            'Hangzhou (2017-2020)</span> <span class="orig" lang="zh">'
            '杭州市上城区特殊教育提升计划(2017—2020)</span>') in html


def test_award_table_and_honour_list_pages(client):
    table = get_html(client, f"/doc/{AWARD_TABLE}?lang=zh")
    assert table.count("<tr id=") == 11
    assert f'<tr id="{ZONG_AWARD}">' in table
    honours = get_html(client, f"/doc/{HONOUR_LIST}?lang=zh")
    assert honours.count('<li id="shangcheng-2018.l1.') == 25


def test_clause_permalink_is_a_page_linking_to_its_anchor(client):
    html = get_html(client, f"/c/{SEND_TEACHING_CLAUSE}?lang=en")
    assert f'href="http://localhost/doc/{SPECIAL_EDUCATION}?lang=en#{SEND_TEACHING_CLAUSE}"' \
        in html
    assert "<title>杭州市上城区特殊教育提升计划(2017—2020) 三(六)4 · " in html


def test_award_permalink_has_its_own_page(client):
    html = get_html(client, f"/c/{ZONG_AWARD}?lang=zh")
    assert f'data-id="{ZONG_AWARD}"' in html
    assert "宗庆后" in html
    assert f'href="/api/record/{ZONG_AWARD}?lang=zh"' in html
    assert f"http://localhost/c/{ZONG_AWARD}</textarea>" in html


def test_docs_page_lists_sizes(client):
    html = get_html(client, "/docs?lang=zh")
    assert html.count("<tr>") == 24  # header + 23 documents
    assert '<td class="num">41</td><td class="num">4120</td>' in html.replace("\n", "") \
        .replace("    ", "")


def test_docs_page_is_paged(client, monkeypatch):
    """A page of /docs lists its documents and links the other pages; a page past the last
    is a 400 page saying how many there are."""
    from webapp import views

    monkeypatch.setattr(views, "DOCS_PAGE", 10)
    html = get_html(client, "/docs?page=3&lang=zh")
    assert html.count("<tr>") == 4  # header + documents 21–23
    pager = [link for link in Links(html).links if link["href"].startswith("http://localhost/docs")]
    assert [(link["text"], link["href"]) for link in pager] == [
        ("‹ 上一页", "http://localhost/docs?page=2&lang=zh"),
        ("1", "http://localhost/docs?lang=zh"), ("2", "http://localhost/docs?page=2&lang=zh")]
    assert '<strong aria-current="page">3</strong>' in html
    assert 'href="http://localhost/api/docs?page=3&amp;lang=zh"' in html
    error = get_html(client, "/docs?page=4&lang=zh", status=400)
    assert '<p class="message" id="error-message">页码超出范围:共 3 页</p>' in error


def test_help_page_examples_are_search_links(client):
    html = get_html(client, "/help?lang=en")
    examples = [link for link in Links(html).links if link["href"].startswith("/search?q=")]
    assert len(examples) == 8
    for link in examples:
        assert summary_total(get_html(client, link["href"])) > 0, link["href"]


@pytest.mark.parametrize("url", ["/", "/search?q=x", f"/doc/{SPECIAL_EDUCATION}", "/docs",
                                 "/help", f"/c/{ZONG_AWARD}"])
def test_language_switch_on_every_page(client, url):
    html = get_html(client, url, headers={"Accept-Language": "zh-CN,zh;q=0.9"})
    assert '<html lang="zh">' in html
    switch = next(link for link in Links(html).links if link.get("id") == "lang-switch")
    assert switch["text"] == "English"
    assert query_of(switch["href"])["lang"] == "en"
    english = get_html(client, switch["href"])
    assert '<html lang="en">' in english


def test_accept_language_picks_the_default(client):
    assert '<html lang="en">' in get_html(client, "/", headers={"Accept-Language": "en-GB"})
    assert '<html lang="zh">' in get_html(client, "/", headers={"Accept-Language": "fr"})
    assert '<html lang="zh">' in get_html(client, "/?lang=zh",
                                          headers={"Accept-Language": "en"})


def test_every_internal_link_keeps_the_language(client):
    html = get_html(client, "/search?q=宗庆后&lang=en")
    for link in Links(html).links:
        href = link["href"]
        if href.startswith("/") and not href.startswith("/static/"):
            assert query_of(href).get("lang") == ("zh" if link.get("id") == "lang-switch"
                                                  else "en"), href


def test_cited_documents_link_to_the_document_or_the_records_citing_them(client):
    html = get_html(client, "/doc/shangcheng-2018.20180919?lang=zh")
    cited = [link for link in Links(html).links if link["text"].startswith("《")]
    first = next(link for link in cited if "浙江省城镇生活垃圾分类实施方案" in link["text"])
    assert "浙委办发〔2017〕85号" in first["text"]
    target = get_html(client, first["href"])
    assert summary_total(target) >= 1
    assert 'id="hit-shangcheng-2018.20180919.0"' in target
