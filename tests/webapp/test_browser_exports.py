"""Real Chromium: downloading a result set from the page, and reading a page's
``citation_*`` tags the way Zotero's "Embedded Metadata" translator does."""

import csv
import io
import time

from webtools import NEEDS_CHROMIUM, ZONG_AWARD

pytestmark = NEEDS_CHROMIUM

HEALTH_OPINIONS = "shangcheng-2018.20181208"

#: What Zotero's Embedded Metadata translator reads of a page: every ``citation_*`` meta
#: tag, repeated names (authors) in document order.
READ_TAGS = """
return Array.from(document.querySelectorAll('meta[name^="citation_"]'))
  .map(meta => [meta.getAttribute('name'), meta.getAttribute('content')]);
"""


def zotero_item(tags: list[list[str]]) -> dict:
    """The item Zotero would save from Highwire tags: title, creators, date, url, the
    book a part sits in."""
    item: dict = {"creators": []}
    for name, content in tags:
        if name == "citation_author":
            item["creators"].append(content)
        else:
            item.setdefault(name.removeprefix("citation_"), content)
    return item


def wait_for_file(folder, pattern: str, seconds: float = 15.0):
    """The finished download in ``folder`` matching ``pattern`` (Chromium writes a
    ``.crdownload`` first)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        done = [path for path in folder.glob(pattern) if not path.name.endswith(".crdownload")]
        if done:
            return done[0]
        time.sleep(0.1)
    raise AssertionError(f"no {pattern} downloaded into {folder}")


def test_download_the_results_as_csv(browser, base_url, tmp_path, client):
    browser.execute_cdp_cmd("Browser.setDownloadBehavior",
                            {"behavior": "allow", "downloadPath": str(tmp_path)})
    browser.get(base_url + "/search?q=宗庆后&kind=award&lang=zh")
    link = browser.find_element("css selector", '#downloads a[href*="format=csv"]')
    link.click()
    data = wait_for_file(tmp_path, "*.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM spreadsheets need for UTF-8
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    expected = [hit["id"] for hit in
                client.get("/api/search?q=宗庆后&kind=award&size=100").get_json()["hits"]]
    assert [row["id"] for row in rows] == expected
    assert {row["persons"] for row in rows} == {"宗庆后"}


def test_zotero_reads_a_document_page(browser, base_url):
    browser.get(f"{base_url}/doc/{HEALTH_OPINIONS}?lang=en")
    item = zotero_item(browser.execute_script(READ_TAGS))
    assert item == {
        "title": "关于推进健康上城建设的实施意见",
        "creators": ["中共杭州市上城区委办公室", "杭州市上城区人民政府办公室"],
        "publication_date": "2018/12/08",
        "language": "zh-CN",
        "public_url": f"{base_url}/c/{HEALTH_OPINIONS}",
        "abstract_html_url": f"{base_url}/c/{HEALTH_OPINIONS}",
    }


def test_zotero_reads_a_clause_and_an_award_page(browser, base_url):
    clause = f"{HEALTH_OPINIONS}.4.4"
    browser.get(f"{base_url}/c/{clause}")
    item = zotero_item(browser.execute_script(READ_TAGS))
    assert item["public_url"] == f"{base_url}/c/{clause}"
    assert item["creators"] == ["中共杭州市上城区委办公室", "杭州市上城区人民政府办公室"]
    browser.get(f"{base_url}/c/{ZONG_AWARD}")
    award = zotero_item(browser.execute_script(READ_TAGS))
    assert award["inbook_title"] == "上城区年鉴(2018)"
    assert award["title"].startswith("宗庆后(杭州娃哈哈集团有限公司): ")
    assert award["creators"] == []  # the awarding body is not the author
