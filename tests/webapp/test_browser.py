"""Real-browser tests: Debian's Chromium driven by Selenium against the app on 127.0.0.1.

Skipped, with the reason printed, only where /usr/bin/chromium or chromedriver is missing.
"""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from webtools import NEEDS_CHROMIUM, SEND_TEACHING_CLAUSE, SPECIAL_EDUCATION, navigate

pytestmark = NEEDS_CHROMIUM


def by_css(driver, selector):
    """The first element matching ``selector``."""
    from selenium.webdriver.common.by import By

    return driver.find_element(By.CSS_SELECTOR, selector)


def all_css(driver, selector):
    """Every element matching ``selector``."""
    from selenium.webdriver.common.by import By

    return driver.find_elements(By.CSS_SELECTOR, selector)


def by_id(driver, element_id):
    """The element with id ``element_id`` (record ids hold dots, awkward in CSS)."""
    from selenium.webdriver.common.by import By

    return driver.find_element(By.ID, element_id)


def total(driver) -> int:
    """The result count of the search page in the browser."""
    return int(re.search(r"\d+", by_css(driver, "#summary").text).group())


def args(driver) -> dict:
    """The query arguments of the current address."""
    return {k: v[0] for k, v in parse_qs(urlsplit(driver.current_url).query).items()}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_search_facet_and_chip(browser, base_url, lang):
    browser.get(base_url + f"/?lang={lang}")
    box = by_css(browser, "#q")
    box.send_keys("宗庆后")
    navigate(browser, box, "submit")
    assert args(browser) == {"q": "宗庆后", "lang": lang}
    assert total(browser) == 6
    facet = all_css(browser, "#facet-doc a")[0]
    expected = int(facet.get_attribute("data-count"))
    value = facet.get_attribute("data-value")
    navigate(browser, facet)
    assert args(browser) == {"q": "宗庆后", "doc": value, "lang": lang}
    assert total(browser) == expected == len(all_css(browser, "li.hit"))
    chip = by_css(browser, "#chips a.chip")
    assert chip.get_attribute("data-facet") == "doc"
    navigate(browser, chip)
    assert args(browser) == {"q": "宗庆后", "lang": lang}
    assert total(browser) == 6
    assert all_css(browser, "#chips") == []


def test_open_a_document_and_follow_a_permalink(browser, base_url):
    browser.get(base_url + "/search?q=%22送教上门%22&lang=zh")
    hit = by_id(browser, f"hit-{SEND_TEACHING_CLAUSE}")
    navigate(browser, hit.find_element("css selector", "a.permalink"))
    assert browser.current_url == f"{base_url}/c/{SEND_TEACHING_CLAUSE}"
    navigate(browser, by_css(browser, "a.in-document"))  # the clause in its document
    assert browser.current_url == (f"{base_url}/doc/{SPECIAL_EDUCATION}?lang=zh"
                                   f"#{SEND_TEACHING_CLAUSE}")
    target = browser.execute_script("return document.querySelector(':target').id")
    assert target == SEND_TEACHING_CLAUSE
    assert by_css(browser, "h1").text == "杭州市上城区特殊教育提升计划(2017—2020)"
    browser.get(base_url + "/search?q=%22送教上门%22&lang=zh")
    navigate(browser, by_css(browser, "li.hit a.doc-title"))
    assert urlsplit(browser.current_url).path == f"/doc/{SPECIAL_EDUCATION}"
    assert len(all_css(browser, ".toc a")) > 30


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_copy_a_citation(browser, base_url, lang):
    """The citation cites the Chinese source in both interfaces; its permalink keeps the
    reader's language."""
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(f"{base_url}/doc/{SPECIAL_EDUCATION}?lang={lang}")
    clause = by_id(browser, SEND_TEACHING_CLAUSE)
    clause.find_element("css selector", "details.cite summary").click()
    textarea = clause.find_element("css selector", "textarea.cite-text")
    button = clause.find_element("css selector", "button.copy")
    assert button.is_displayed()
    button.click()
    copied = WebDriverWait(browser, 5).until(lambda _: button.get_attribute("data-copied"))
    assert copied == textarea.get_attribute("value")
    assert copied.startswith("杭州市上城区人民政府办公室. 杭州市上城区特殊教育提升计划(2017—2020)"
                             "[EB/OL]. (2018-06-20): 三(六)4[")
    assert copied.endswith(f"]. {base_url}/c/{SEND_TEACHING_CLAUSE}")


def test_switch_language_in_one_click(browser, base_url):
    browser.get(base_url + "/search?q=卫星班&lang=zh")
    assert by_css(browser, "html").get_attribute("lang") == "zh"
    navigate(browser, by_css(browser, "#lang-switch"))
    assert args(browser) == {"q": "卫星班", "lang": "en"}
    assert by_css(browser, "html").get_attribute("lang") == "en"
    assert by_css(browser, "#summary").text.startswith("7 results in")
    assert "Special Education Improvement Plan" in by_css(browser, "li.hit a.doc-title").text


def test_the_chosen_language_is_remembered(browser, base_url):
    """After the switch to English, an address without ``lang`` stays English (the
    cookie), until the reader switches back."""
    browser.get(base_url + "/search?q=卫星班&lang=zh")
    navigate(browser, by_css(browser, "#lang-switch"))
    browser.get(base_url + "/help")
    assert by_css(browser, "html").get_attribute("lang") == "en"
    assert by_css(browser, "h1").text == "Query syntax"
    navigate(browser, by_css(browser, "#lang-switch"))
    browser.get(base_url + "/help")
    assert by_css(browser, "h1").text == "检索语法"


def test_no_javascript_errors_and_no_csp_violations(browser, base_url):
    browser.get(f"{base_url}/doc/{SPECIAL_EDUCATION}?lang=en")
    logs = browser.get_log("browser")
    assert [entry for entry in logs if entry["level"] == "SEVERE"] == []


def test_drop_an_expansion_and_restore_it(browser, base_url):
    browser.get(base_url + "/?lang=en")
    box = by_css(browser, "#q")
    box.send_keys("garbage sorting")
    navigate(browser, box, "submit")
    assert args(browser) == {"q": "garbage sorting", "lang": "en"}
    assert total(browser) == 30   # what 垃圾分类 typed finds (issue 12 §1)
    chip = by_css(browser, "#expansions li.expansion")
    assert chip.get_attribute("data-term") == "垃圾分类"
    assert chip.find_element("css selector", "a.exp-search").text == "垃圾分类"
    navigate(browser, chip.find_element("css selector", "a.exp-drop"))
    assert args(browser) == {"q": "garbage sorting", "noexp": "垃圾分类", "lang": "en"}
    assert total(browser) == 0
    assert all_css(browser, "#expansions") == []
    dropped = by_css(browser, "#dropped .expansion")
    assert dropped.get_attribute("data-term") == "垃圾分类"
    assert dropped.find_element("css selector", "del").text == "垃圾分类"
    navigate(browser, dropped.find_element("css selector", "a.exp-restore"))
    assert args(browser) == {"q": "garbage sorting", "lang": "en"}
    assert total(browser) == 30
    assert all_css(browser, "#dropped") == []
