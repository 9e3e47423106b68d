"""A clause's history and a draft's paragraph report on the website (issue 15).

The app here serves the 2018 corpus together with the three consecutive Yuhang
yearbooks of tests/fixtures/yuhang/ (2019–2021), built once into a temporary folder.
"""

import csv
import io
import shutil
import threading

import pytest
from webtools import navigate, needs_chromium

from indexer import CORPUS_DIR
from indexer.build import build
from webapp import create_app

YUHANG = CORPUS_DIR.parent / "tests" / "fixtures" / "yuhang"
RECYCLING_2021 = "yuhang-2021.20210305.2.3"
RECYCLING = ["shangcheng-2018.20180919.4.1.4", "yuhang-2019.20190315.2.3",
             "yuhang-2020.20200310.2.3"]
GOAL_2019, GOAL_2020 = "yuhang-2019.20190315.1", "yuhang-2020.20200310.1"
FACILITIES_2019, FACILITIES_2020 = "yuhang-2019.20190315.2.2", "yuhang-2020.20200310.2.2"
LIBRARY_2020 = "yuhang-2020.20200408.1.4"
BUDGET_2019 = "yuhang-2019.20190315.3.2"


@pytest.fixture(scope="module")
def collection_index(tmp_path_factory):
    """The corpus and the Yuhang yearbooks built into one index."""
    corpus = tmp_path_factory.mktemp("collection")
    for path in [*CORPUS_DIR.glob("*.txt"), *YUHANG.glob("*.txt")]:
        shutil.copyfile(path, corpus / path.name)
    shutil.copyfile(CORPUS_DIR / "offices.tsv", corpus / "offices.tsv")
    out = tmp_path_factory.mktemp("collection-var")
    build(corpus, out)
    return out / "index"


@pytest.fixture(scope="module")
def app(collection_index):
    return create_app({"INDEX_DIR": str(collection_index), "TESTING": True, "CACHE_SIZE": 0})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture(scope="module")
def texts(app):
    with app.test_client() as c:
        return {rid: c.get(f"/api/record/{rid}").get_json()["text"]
                for rid in (GOAL_2020, FACILITIES_2020, LIBRARY_2020, BUDGET_2019)}


def test_record_json_carries_the_history_oldest_first(client):
    data = client.get(f"/api/record/{RECYCLING_2021}").get_json()
    history = data["history"]
    assert [(e["id"], e["date"]) for e in history["entries"]] == [
        (RECYCLING[0], "2018-09-19"), (RECYCLING[1], "2019-03-15"), (RECYCLING[2], "2020-03-10")]
    assert history["first"] == RECYCLING[0]
    assert [e["first"] for e in history["entries"]] == [True, False, False]
    entry = history["entries"][1]
    assert entry["url"] == f"http://localhost/c/{RECYCLING[1]}"
    assert entry["yearbook"] == "yuhang-2019"
    assert entry["numbers"] == [{"a": "1~2个", "b": "2~3个"}]
    assert {"op": "insert", "text": "2~3个", "number": True} in entry["diff"]["b"]


def history_html(client, record_id: str) -> str:
    """The history panel of a clause on its document page."""
    doc_id = client.get(f"/api/record/{record_id}").get_json()["doc_id"]
    html = client.get(f"/doc/{doc_id}").get_data(as_text=True)
    clause = html[html.index(f'<div class="clause" id="{record_id}">'):]
    panel = clause[clause.index('<details class="history"'):]
    return panel[:panel.index("</details>")]


def test_clause_page_shows_the_history_with_numbers_standing_out(client):
    panel = history_html(client, GOAL_2020)
    assert [GOAL_2019, "yuhang-2021.20210305.1"] == [
        chunk.split('"')[0] for chunk in panel.split('data-id="')[1:]]
    # this clause's side of the diff against 2019, then against 2021
    assert '<ins class="num">2020年</ins>' in panel and '<ins class="num">30个</ins>' in panel
    assert "20个 → 30个" in panel and "40个 → 30个" in panel
    assert panel.count('class="first"') == 1


def test_doc_panel_names_each_clause_by_number_and_section_with_its_score(client):
    data = client.get("/api/doc/yuhang-2020.20200310").get_json()
    pairs = [(p["this"]["id"], p["other"]["id"], p["score"]) for p in data["similar"]
             if p["other"]["id"].startswith("yuhang-2019")]
    assert (FACILITIES_2020, FACILITIES_2019, 1.0) in pairs
    html = client.get("/doc/yuhang-2020.20200310").get_data(as_text=True)
    panel = html[html.index('<section class="related doc-similar"'):]
    panel = panel[:panel.index("</section>")]
    assert f"<a href=\"#{FACILITIES_2020}\">2.2 (二) 完善分类设施</a>" in panel
    assert "› 2.2 (二) 完善分类设施</a>\n      <span class=\"score\">100%" in panel


def test_compare_view_makes_revised_numbers_stand_out(client):
    html = client.get("/similar/compare", query_string={"a": GOAL_2019, "b": GOAL_2020,
                                                        "lang": "en"}).get_data(as_text=True)
    assert '<del class="num">20个</del>' in html and '<ins class="num">30个</ins>' in html
    numbers = html[html.index('<p class="numbers">'):]
    numbers = numbers[:numbers.index("</p>")]
    assert [part.split("</span>")[0] for part in numbers.split('class="number-change">')[1:]] \
        == ["2019年 → 2020年", "20个 → 30个", "40个 → 60个", "45% → 50%", "90% → 95%"]
    assert "Score 98% (numbers as printed: 87%)" in html


def test_api_checks_each_paragraph(client, texts):
    draft = f"{texts[LIBRARY_2020]}\n\n{texts[BUDGET_2019]}"
    data = client.post("/api/similar", data={"text": draft}).get_json()
    assert [p["n"] for p in data["paragraphs"]] == [1, 2]
    firsts = [p["hits"][0] for p in data["paragraphs"]]
    assert [(h["id"], h["score"], h["clause_score"]) for h in firsts] == [
        (LIBRARY_2020, 1.0, 1.0), (BUDGET_2019, 1.0, 1.0)]
    assert data["truncated"] is False
    assert firsts[0]["url"] == f"http://localhost/c/{LIBRARY_2020}"
    same = client.get("/api/similar", query_string={"text": draft}).get_json()
    assert same == data


def test_api_says_when_a_draft_was_cut(client):
    line = "加强组织领导，研究解决推进中的重大问题。" * 25
    draft = "\n".join([line] * 60)
    data = client.post("/api/similar", data={"text": draft}).get_json()
    assert data["truncated"] is True
    assert data["total_paragraphs"] == 60 and len(data["paragraphs"]) < 60
    assert data["checked_chars"] < data["total_chars"] == len(draft)


@pytest.mark.parametrize("text", ["", "   "])
def test_api_refuses_an_empty_draft(client, text):
    response = client.post("/api/similar", data={"text": text})
    assert response.status_code == 400
    assert list(response.get_json()) == ["error"]


def test_report_exports_as_csv(client, texts):
    draft = f"{texts[GOAL_2020].replace('30个', '50个')}\n{texts[LIBRARY_2020]}"
    response = client.post("/similar/report.csv", data={"text": draft})
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    first = [r for r in rows if r["paragraph"] == "1"][0]
    assert (first["clause_id"], first["score"], first["clause_score"]) == (GOAL_2020, "1.0",
                                                                            "1.0")
    assert first["numbers"] == "30个 → 50个"
    assert [r["clause_id"] for r in rows if r["paragraph"] == "2"][0] == LIBRARY_2020


def test_report_has_a_printable_page(client, texts):
    response = client.post("/similar/report", data={"text": texts[LIBRARY_2020]})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<article class="report"' in html and "<form" not in html
    assert f'data-id="{LIBRARY_2020}"' in html


def test_similar_page_textarea_does_not_cut_at_two_thousand(client):
    html = client.get("/similar").get_data(as_text=True)
    box = html[html.index("<textarea"):html.index("</textarea>")]
    assert "maxlength" not in box


# In a real browser: the history panel and the paragraph report.

@pytest.fixture(scope="module")
def base_url(collection_index):
    """The collection served by waitress in a background thread."""
    from waitress.server import create_server

    server = create_server(create_app({"INDEX_DIR": str(collection_index)}),
                           host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"
    server.close()


@pytest.mark.browser
@needs_chromium
def test_browser_history_panel(browser, base_url):
    from selenium.webdriver.common.by import By

    browser.get(f"{base_url}/doc/yuhang-2021.20210305?lang=zh#{RECYCLING_2021}")
    clause = browser.find_element(By.ID, RECYCLING_2021)
    panel = clause.find_element(By.CSS_SELECTOR, "details.history")
    entries = panel.find_elements(By.CSS_SELECTOR, "li.history-entry")
    assert [e.get_attribute("data-id") for e in entries] == RECYCLING
    assert [e.find_element(By.CSS_SELECTOR, ".date").text for e in entries] == [
        "2018-09-19", "2019-03-15", "2020-03-10"]
    assert entries[0].find_element(By.CSS_SELECTOR, ".first").is_displayed()
    changed = entries[1].find_elements(By.CSS_SELECTOR, "ins.num")
    assert [c.text for c in changed] == ["2~3个"]
    assert changed[0].value_of_css_property("font-weight") == "700"
    panel.find_element(By.CSS_SELECTOR, "summary").click()  # folds the panel
    assert not entries[0].is_displayed()


@pytest.mark.browser
@needs_chromium
def test_browser_paragraph_report(browser, base_url, texts):
    from selenium.webdriver.common.by import By

    draft = texts[GOAL_2020].replace("30个", "50个") + "\n" + texts[LIBRARY_2020]
    browser.get(f"{base_url}/similar?lang=zh")
    box = browser.find_element(By.ID, "similar-text")
    browser.execute_script("arguments[0].value = arguments[1]", box, draft)
    navigate(browser, box, "submit")
    paragraphs = browser.find_elements(By.CSS_SELECTOR, "section.draft-paragraph")
    assert [p.get_attribute("data-n") for p in paragraphs] == ["1", "2"]
    first = paragraphs[0].find_element(By.CSS_SELECTOR, "li.similar-hit")
    assert first.get_attribute("data-id") == GOAL_2020
    assert first.find_element(By.CSS_SELECTOR, ".of-clause").text.startswith("100%")
    assert first.find_element(By.CSS_SELECTOR, ".number-change").text == "30个 → 50个"
    second = paragraphs[1].find_element(By.CSS_SELECTOR, "li.similar-hit")
    assert second.get_attribute("data-id") == LIBRARY_2020
    # the textarea kept the whole draft, and the printable page opens from the same form
    assert browser.find_element(By.ID, "similar-text").get_attribute("value") == draft
    browser.find_element(By.ID, "report-print").click()
    browser.switch_to.window(browser.window_handles[-1])
    report = browser.find_element(By.CSS_SELECTOR, "article.report")
    assert [e.get_attribute("data-id") for e in
            report.find_elements(By.CSS_SELECTOR, "section.draft-paragraph li.similar-hit")][:1] \
        == [GOAL_2020]
    browser.close()
    browser.switch_to.window(browser.window_handles[0])
