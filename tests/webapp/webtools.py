"""Helpers and corpus facts shared by the web app tests (HTML scraping, known ids)."""

import os
import re
from html.parser import HTMLParser

import pytest

#: Ids of the 2018 corpus used across the tests.
SPECIAL_EDUCATION = "shangcheng-2018.20180620"
SEND_TEACHING_CLAUSE = "shangcheng-2018.20180620.3.6.4"
ZONG_AWARD = "shangcheng-2018.t22.8"
AWARD_TABLE = "shangcheng-2018.t22"
HONOUR_LIST = "shangcheng-2018.l1"

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
MISSING = [path for path in (CHROMIUM, CHROMEDRIVER) if not os.path.exists(path)]

#: Real-browser tests are skipped, with the reason printed, only where Chromium or its driver
#: is missing.
needs_chromium = pytest.mark.skipif(bool(MISSING), reason=f"not installed: {', '.join(MISSING)}")
NEEDS_CHROMIUM = [pytest.mark.browser, needs_chromium]


def summary_total(html: str) -> int:
    """The result count printed in the summary line of a search page (zh or en)."""
    match = re.search(r'id="summary">(?:共 )?(\d+)', html)
    assert match, "no summary line on the page"
    return int(match.group(1))


_CONTAINERS = ("section", "aside", "nav", "ul", "div", "article")


class Links(HTMLParser):
    """Collects every <a>: its attributes, its text and the id of the enclosing section."""

    def __init__(self, html: str):
        super().__init__()
        self.links: list[dict] = []
        self._sections: list[str | None] = []
        self._open: dict | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in _CONTAINERS:
            self._sections.append(attrs.get("id"))
        if tag == "a":
            section = next((s for s in reversed(self._sections) if s), None)
            self._open = {**attrs, "section": section, "text": ""}
            self.links.append(self._open)

    def handle_endtag(self, tag):
        if tag in _CONTAINERS and self._sections:
            self._sections.pop()
        if tag == "a":
            self._open = None

    def handle_data(self, data):
        if self._open is not None:
            self._open["text"] += data

    def within(self, section: str) -> list[dict]:
        """The links inside the element with id ``section``."""
        return [link for link in self.links if link["section"] == section]


def navigate(driver, element, how: str = "click") -> None:
    """Click (or submit) ``element`` and wait until the next page has replaced this one.

    WebDriver may return from a click before the navigation it starts has loaded; reading
    the address or the page at that moment sees the old page. The old document element
    going stale marks the new page's arrival.
    """
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    old = driver.find_element("tag name", "html")
    getattr(element, how)()
    wait = WebDriverWait(driver, 15)
    wait.until(expected_conditions.staleness_of(old))
    wait.until(lambda d: d.execute_script("return document.readyState") == "complete")
