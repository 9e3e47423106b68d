"""The similar-wording pages and API (issues 6, 15), on the real corpus index.

``app`` and ``client`` come from tests/webapp/conftest.py; the index build writes the
links (similar.json) these pages read.
"""

import pytest
from webtools import navigate, needs_chromium

from webapp import related

WASTE_GOAL = "shangcheng-2018.20180919.3"
HEALTH_ENVIRONMENT = "shangcheng-2018.20181208.3.1.2"
HEALTH_CULTURE = "shangcheng-2018.20181208.3.5.21"
HEALTH_CITES_RIVER = "shangcheng-2018.20181208.3.1.1"
RIVER = "shangcheng-2018.20180930"
RIVER_GOAL = "shangcheng-2018.20180930.1"
HEALTH = "shangcheng-2018.20181208"
WASTE_TARGET = "省级生活垃圾分类示范小区总数20个以上、市级生活垃圾分类示范小区总数50个以上"
NANSONG = "丰富南宋御街、清河坊、二十三坊等历史街区文化内涵,持续打响南宋皇城小镇品牌"
HIT_KEYS = ["id", "doc_id", "doc_title", "section", "section_key", "yearbook", "year", "date",
            "text", "score", "clause_score", "exact_score", "exact_clause_score", "shared",
            "diff", "numbers", "url"]
REPORT_KEYS = ["paragraphs", "truncated", "checked_chars", "total_chars", "total_paragraphs",
               "max_chars", "max_paragraphs"]


@pytest.fixture(scope="module")
def texts(searcher):
    return {rid: searcher.record(rid)["text"] for rid in (HEALTH_ENVIRONMENT, RIVER_GOAL)}


def edited(text: str) -> str:
    """The clause with a few words changed, as an editor's draft would be."""
    return (
        text.replace("秉持绿色发展理念", "坚持绿色发展理念")
        .replace("深化固废集约管理", "加强固废集中管理")
        .replace("争创省级", "创建省级")
    )


def test_api_finds_the_edited_clause_first(client, texts):
    response = client.get("/api/similar", query_string={"text": edited(texts[HEALTH_ENVIRONMENT])})
    assert response.status_code == 200
    data = response.get_json()
    assert list(data) == REPORT_KEYS
    hits = data["paragraphs"][0]["hits"]
    first = hits[0]
    assert list(first) == HIT_KEYS
    assert first["id"] == HEALTH_ENVIRONMENT
    assert first["doc_id"] == HEALTH
    assert first["text"] == texts[HEALTH_ENVIRONMENT]
    assert first["url"] == f"http://localhost/c/{HEALTH_ENVIRONMENT}"
    assert (first["score"], first["clause_score"]) == (0.98, 0.98)
    assert hits[1]["id"] == WASTE_GOAL


def test_api_shared_offsets_point_into_both_texts(client):
    draft = "深化影视基地建设，丰富南宋御街、清河坊、二十三坊等历史街区文化内涵"
    report = client.get("/api/similar", query_string={"text": draft}).get_json()
    hits = report["paragraphs"][0]["hits"]
    # Both clauses holding the passage, then one sharing only 深化影视基地建设.
    assert [hit["id"] for hit in hits] == [
        RIVER_GOAL, HEALTH_CULTURE, "shangcheng-2018.20180930.3.4.19"]
    assert [hit["score"] for hit in hits] == [1.0, 0.733, 0.267]
    assert [hit["clause_score"] for hit in hits] == [0.116, 0.072, 0.444]
    passage = hits[0]["shared"][0]
    assert draft[passage["a_start"] : passage["a_end"]] == passage["text"]
    assert hits[0]["text"][passage["b_start"] : passage["b_end"]] == (
        "深化影视基地建设,丰富南宋御街、清河坊、二十三坊等历史街区文化内涵"
    )


@pytest.mark.parametrize("text", ["", "   "])
def test_api_refuses_empty_text(client, text):
    response = client.get("/api/similar", query_string={"text": text})
    assert response.status_code == 400
    assert list(response.get_json()) == ["error"]


def test_api_without_text_is_400(client):
    assert client.get("/api/similar").status_code == 400


def test_similar_page_lists_hits_with_highlight_and_diff(client, texts):
    response = client.post("/similar", data={"text": edited(texts[HEALTH_ENVIRONMENT])})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    first = html.index('class="similar-hit"')
    assert html[first:].startswith(f'class="similar-hit" data-id="{HEALTH_ENVIRONMENT}"')
    # The shared passage stops where the draft's 坚持 differs from the clause's 秉持 ...
    # (the clause's own number 2. is its position, not wording)
    assert '2.<mark class="shared">全面开展环境综合治理</mark>。秉<mark class="shared">持' in html
    # ... and the diff shows the change on each side (the clause left, the draft right).
    assert "<del>秉</del>持绿色发展理念" in html and "<ins>坚</ins>持绿色发展理念" in html
    assert f"http://localhost/c/{HEALTH_ENVIRONMENT}" in html


def test_similar_page_form_and_errors(client):
    assert 'name="text"' in client.get("/similar").get_data(as_text=True)
    response = client.post("/similar", data={"text": " "})
    assert response.status_code == 400
    assert "请粘贴一段文字" in response.get_data(as_text=True)


def test_panel_lists_reuse_with_the_shared_passage(app):
    with app.test_request_context("/"):
        app.preprocess_request()
        panel = related.similar_panel(WASTE_GOAL)
        river = related.similar_panel(RIVER_GOAL)
    assert [item["id"] for item in panel] == [HEALTH_ENVIRONMENT]
    assert [p["text"] for p in panel[0]["shared"]] == [
        WASTE_TARGET, "形成可复制、可推广的生活垃圾分类模式", "全省乃至全国示范城区",
    ]
    assert panel[0]["url"] == (
        f"http://localhost/similar/compare?a={WASTE_GOAL}&b={HEALTH_ENVIRONMENT}&lang=zh"
    )
    assert HEALTH_CULTURE in [item["id"] for item in river]
    nansong = next(item for item in river if item["id"] == HEALTH_CULTURE)
    assert nansong["text"] == NANSONG


def test_doc_panel_names_both_clauses_of_each_pair(app, searcher):
    with app.test_request_context("/"):
        app.preprocess_request()
        panel = related.doc_similar(RIVER, searcher.doc(RIVER)["record_ids"])
    assert {item["other"]["doc_id"] for item in panel} == {HEALTH}
    assert len(panel) == 8
    nansong = [item for item in panel if item["other"]["id"] == HEALTH_CULTURE]
    assert [(i["this"]["id"], i["this"]["label"], i["score"]) for i in nansong] == [
        (RIVER_GOAL, "1 一、目标要求", 0.132)]
    assert nansong[0]["other"]["label"] == "3.5.21 21.推进公共文化建设"
    assert panel[3]["text"].startswith("加快推进之江文化产业带上城发展极建设")


def test_cited_by_riverside_plan(app):
    with app.test_request_context("/"):
        app.preprocess_request()
        citers = related.cited_by(RIVER)
        cites = related.cites(HEALTH)
    assert [(c["doc_id"], c["records"]) for c in citers] == [(HEALTH, [HEALTH_CITES_RIVER])]
    assert citers[0]["url"] == f"http://localhost/c/{HEALTH_CITES_RIVER}"
    river = [c for c in cites if c["doc_id"] == RIVER]
    assert [c["title"] for c in river] == ["上城区拥江发展四年行动计划（2018—2021年）"]
    assert river[0]["url"] == f"http://localhost/doc/{RIVER}?lang=zh"


def test_compare_page_highlights_both_sides(client):
    response = client.get("/similar/compare", query_string={"a": RIVER_GOAL, "b": HEALTH_CULTURE})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.count(f'<mark class="shared">{NANSONG}</mark>') == 2
    assert 'class="similar-diff"' in html


def test_compare_unknown_record_is_404(client):
    response = client.get("/similar/compare", query_string={"a": RIVER_GOAL, "b": "nope"})
    assert response.status_code == 404


# In a real browser: the form, the ranked hits, the highlight and the diff.

@pytest.mark.browser
@needs_chromium
def test_browser_paste_finds_clause_and_shows_diff(browser, base_url, texts):
    from selenium.webdriver.common.by import By

    browser.get(f"{base_url}/similar?lang=zh")
    box = browser.find_element(By.ID, "similar-text")
    box.send_keys(edited(texts[HEALTH_ENVIRONMENT]))
    navigate(browser, box, "submit")
    hits = browser.find_elements(By.CSS_SELECTOR, "li.similar-hit")
    assert hits[0].get_attribute("data-id") == HEALTH_ENVIRONMENT
    marks = hits[0].find_elements(By.CSS_SELECTOR, "blockquote mark.shared")
    assert marks[0].text == "全面开展环境综合治理"
    diff = hits[0].find_element(By.CSS_SELECTOR, "table.similar-diff")
    assert not diff.is_displayed()
    hits[0].find_element(By.CSS_SELECTOR, "details.diff summary").click()
    assert diff.is_displayed()
    assert [d.text for d in diff.find_elements(By.TAG_NAME, "ins")] == ["坚", "加强", "中", "创建"]
    navigate(browser, hits[0].find_element(By.CSS_SELECTOR, "a.permalink"))
    # A clause's permalink is its page, which opens its document at the clause.
    assert browser.current_url.endswith(f"/c/{HEALTH_ENVIRONMENT}")
    navigate(browser, browser.find_element(By.CSS_SELECTOR, "a.in-document"))
    assert browser.current_url.endswith(f"/doc/{HEALTH}?lang=zh#{HEALTH_ENVIRONMENT}")


@pytest.mark.browser
@needs_chromium
def test_browser_compare_page(browser, base_url):
    from selenium.webdriver.common.by import By

    browser.get(f"{base_url}/similar/compare?a={RIVER_GOAL}&b={HEALTH_CULTURE}")
    marks = browser.find_elements(By.CSS_SELECTOR, "table.similar-pair mark.shared")
    assert [m.text for m in marks] == [NANSONG, NANSONG]


def test_document_page_shows_similar_wording_and_cited_by(client):
    html = client.get(f"/doc/{RIVER}").get_data(as_text=True)
    clause = html[html.index(f'<div class="clause" id="{RIVER_GOAL}">'):]
    panel = clause[clause.index('<section class="related similar-links">'):
                   clause.index("</section>")]
    assert f"a={RIVER_GOAL}&amp;b={HEALTH_CULTURE}" in panel
    assert f'<span class="related-text">{NANSONG}</span>' in panel
    cited = html[html.index('<div class="cited-by">'):]  # beside "Documents cited"
    assert f'href="http://localhost/c/{HEALTH_CITES_RIVER}"' in cited


def test_document_json_carries_the_panels(client):
    data = client.get(f"/api/doc/{HEALTH}").get_json()
    environment = next(r for r in data["records"] if r["id"] == HEALTH_ENVIRONMENT)
    assert [item["id"] for item in environment["similar"]] == [WASTE_GOAL]
    # Other documents only: the opinions' own repeated wording shows on its clauses.
    assert [item["other"]["doc_id"] for item in data["similar"]] == [RIVER] * 5 + [
        "shangcheng-2018.20180919", RIVER, RIVER, RIVER]
    river = next(c for c in data["cites"] if c["doc_id"] == RIVER)
    assert river["title"] == "上城区拥江发展四年行动计划（2018—2021年）"


def test_similar_pages_name_documents_in_english_with_the_chinese(client, texts):
    """In the English interface the hit and compare headings carry the curated title."""
    english = "Implementing Opinions on Building a Healthy Shangcheng"
    page = client.post("/similar?lang=en", data={"text": edited(texts[HEALTH_ENVIRONMENT])})
    html = page.get_data(as_text=True)
    assert (f'<span lang="en">{english}</span> '
            '<span class="orig" lang="zh">关于推进健康上城建设的实施意见') in html
    compare = client.get("/similar/compare",
                         query_string={"a": RIVER_GOAL, "b": HEALTH_CULTURE, "lang": "en"})
    assert f'<span lang="en">{english}</span>' in compare.get_data(as_text=True)
    chinese = client.post("/similar?lang=zh", data={"text": edited(texts[HEALTH_ENVIRONMENT])})
    assert f'<span lang="en">{english}</span>' not in chinese.get_data(as_text=True)
