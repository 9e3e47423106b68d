"""Results grouped by document and the search within results (二次检索), on the real
corpus: webapp/grouping.py, webapp/params.py, the result page."""

from webtools import NEEDS_CHROMIUM, navigate

PHOENIX = "shangcheng-2018.20180905"  # 上城区深入推进“凤凰行动”更好服务实体经济扶持政策


def test_a_query_naming_a_document_shows_it_once(client):
    grouped = client.get("/api/search?q=凤凰行动").get_json()
    flat = client.get("/api/search?q=凤凰行动&group=none&size=100").get_json()
    assert grouped["grouped"] is True and flat["grouped"] is False
    assert grouped["total"] == flat["total"] == 31
    assert [(g["doc_id"], g["total"]) for g in grouped["groups"]] == [(PHOENIX, 31)]
    assert grouped["total_groups"] == 1 and grouped["pages"] == 1
    # The document's best hits, in the order of the flat list, five of them.
    assert [hit["id"] for hit in grouped["groups"][0]["hits"]] == \
        [hit["id"] for hit in flat["hits"][:5]]


def test_groups_follow_each_documents_best_hit(client):
    flat = client.get("/api/search?q=垃圾分类&group=none&size=100").get_json()
    first_seen = list(dict.fromkeys(hit["doc_id"] for hit in flat["hits"]))
    grouped = client.get("/api/search?q=垃圾分类").get_json()
    assert [g["doc_id"] for g in grouped["groups"]] == first_seen
    assert sum(g["total"] for g in grouped["groups"]) == flat["total"] == grouped["total"]


def test_other_queries_are_not_grouped_unless_asked(client):
    zong = client.get("/api/search?q=宗庆后").get_json()
    assert zong["grouped"] is False and "groups" not in zong
    asked = client.get("/api/search?q=宗庆后&group=doc").get_json()
    assert [(g["doc_id"], g["total"]) for g in asked["groups"]] == [
        ("shangcheng-2018.t22", 4), ("shangcheng-2018.t23", 2)]


def test_grouped_page_paginates_documents(client):
    body = client.get("/api/search?q=上城区&group=doc&size=3&page=2").get_json()
    every = client.get("/api/search?q=上城区&group=doc&size=100").get_json()
    assert body["pages"] == -(-every["total_groups"] // 3)
    assert [g["doc_id"] for g in body["groups"]] == \
        [g["doc_id"] for g in every["groups"]][3:6]


def test_search_within_results_keeps_query_and_filters(client):
    within = client.get("/api/search?q=垃圾分类&kind=clause&within=督查").get_json()
    typed = client.get("/api/search?q=垃圾分类 督查&kind=clause").get_json()
    assert within["query"] == "垃圾分类 督查"
    assert [h["id"] for h in within["hits"]] == [h["id"] for h in typed["hits"]]
    assert within["total"] == 2 < client.get("/api/search?q=垃圾分类&kind=clause") \
        .get_json()["total"]
    long = client.get("/api/search", query_string={"q": "垃" * 499, "within": "督查"})
    assert long.status_code == 400 and "502" in long.get_json()["error"]


def test_browser_grouped_page_and_search_within(browser, base_url):
    from selenium.webdriver.common.by import By

    browser.get(base_url + "/search?q=凤凰行动&lang=zh")
    groups = browser.find_elements(By.CSS_SELECTOR, "#groups > li.group")
    assert [g.get_attribute("data-doc-id") for g in groups] == [PHOENIX]
    assert len(groups[0].find_elements(By.CSS_SELECTOR, "li.hit")) == 5
    assert groups[0].find_element(By.CSS_SELECTOR, ".group-count").text == "31 条匹配"
    more = groups[0].find_element(By.CSS_SELECTOR, ".group-more a")
    navigate(browser, more)
    assert len(browser.find_elements(By.CSS_SELECTOR, "li.hit")) == 10  # a page of 31
    assert not browser.find_elements(By.CSS_SELECTOR, "#groups")
    box = browser.find_element(By.ID, "within-words")
    box.send_keys("上市")
    navigate(browser, box, "submit")
    assert browser.find_element(By.ID, "q").get_attribute("value") == "凤凰行动 上市"
    chips = browser.find_elements(By.CSS_SELECTOR, "#chips a.chip")
    assert [chip.get_attribute("data-facet") for chip in chips] == ["doc"]


test_browser_grouped_page_and_search_within.pytestmark = NEEDS_CHROMIUM


def test_a_word_of_most_titles_names_no_document(client):
    assert client.get("/api/search?q=上城区").get_json()["grouped"] is False
    assert client.get("/api/search?q=2018").get_json()["grouped"] is False
