"""What an English or pinyin query became, on the page and in the JSON (issue 5 §4).

Each expansion links to a search for its Chinese term and to the same page without it
(``noexp=<term>``, repeatable, part of the citable URL); dropped ones link back.
"""

from urllib.parse import quote

import pytest
from webtools import Links, summary_total

GARBAGE = quote("垃圾")
SORTING = quote("垃圾分类")


def api(client, url: str) -> dict:
    """The JSON of a successful /api/search call."""
    response = client.get(url)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def hit_ids(data: dict) -> list[str]:
    """The hit ids of an /api/search result."""
    return [hit["id"] for hit in data["hits"]]


def as_api(url: str) -> str:
    """The JSON twin of an absolute search page URL."""
    return url.replace("http://localhost/search?", "/api/search?")


# --------------------------------------------------------------------------- the page


def test_each_expansion_links_to_its_chinese_and_to_dropping_it(client):
    html = client.get("/search?q=garbage+sorting&lang=en").get_data(as_text=True)
    links = Links(html).within("expansions")
    assert [(link["class"], link["href"], link["text"].strip()) for link in links] == [
        ("exp-search", f"http://localhost/search?q={SORTING}&lang=en", "垃圾分类"),
        ("exp-drop", f"http://localhost/search?q=garbage+sorting&noexp={SORTING}&lang=en",
         "×Drop the expansion 垃圾分类"),
    ]
    assert '<span lang="en">garbage sorting</span> → <a class="exp-search"' in html
    assert 'id="dropped"' not in html


def test_following_drop_then_restore_gives_back_the_original_results(client):
    url = "/search?q=garbage&year=2018&lang=zh"
    before = client.get(url).get_data(as_text=True)
    drop = next(link["href"] for link in Links(before).within("expansions")
                if link["class"] == "exp-drop" and f"noexp={GARBAGE}&" in link["href"])
    assert drop == f"http://localhost/search?q=garbage&year=2018&noexp={GARBAGE}&lang=zh"
    after = client.get(drop).get_data(as_text=True)
    # an expansion finds what its Chinese term typed finds (issue 12 §1)
    assert (summary_total(before), summary_total(after)) == (30, 29)
    assert summary_total(before) == api(client, "/api/search?q=垃圾&year=2018")["total"]
    restore = Links(after).within("dropped")
    assert [(link["class"], link["href"], link["text"]) for link in restore] == [
        ("exp-restore", "http://localhost/search?q=garbage&year=2018&lang=zh", "恢复")]
    assert '<del lang="zh">垃圾</del>' in after
    assert 'data-term="垃圾"' not in after.split('id="dropped"')[0]
    again = client.get(restore[0]["href"]).get_data(as_text=True)
    assert summary_total(again) == 30
    assert hit_ids(api(client, as_api(restore[0]["href"]))) == \
        hit_ids(api(client, "/api/search?q=garbage&year=2018&lang=zh"))


def test_searching_the_chinese_term_keeps_filters_and_language_but_not_drops(client):
    data = api(client, f"/api/search?q=garbage&kind=clause&noexp={GARBAGE}&lang=en")
    first = data["interpretation"]["expansions"][0]
    assert first["term"] == "生活垃圾"
    assert first["search_url"] == \
        f"http://localhost/search?q={quote('生活垃圾')}&kind=clause&lang=en"
    chinese = api(client, as_api(first["search_url"]))
    assert (chinese["query"], chinese["total"]) == ("生活垃圾", 29)
    assert chinese["facets"]["kind"] == [
        {"value": "clause", "label": "clause", "count": 29, "selected": True,
         "toggle_url": f"http://localhost/search?q={quote('生活垃圾')}&lang=en"}]


def test_a_page_with_noexp_is_citable(client):
    """Its own links (html, json, next page, language switch) keep every noexp."""
    url = f"/search?q=garbage&noexp={GARBAGE}&noexp={SORTING}&lang=zh"
    html = client.get(url).get_data(as_text=True)
    data = api(client, url.replace("/search", "/api/search"))
    state = f"q=garbage&noexp={GARBAGE}&noexp={SORTING}"
    assert data["links"] == {
        "html": f"http://localhost/search?{state}&lang=zh",
        "json": f"http://localhost/api/search?{state}&lang=zh",
        "next": f"http://localhost/search?{state}&page=2&lang=zh",
    }
    switch = next(link["href"] for link in Links(html).links if link.get("id") == "lang-switch")
    assert switch == f"/search?lang=en&q=garbage&noexp={GARBAGE}&noexp={SORTING}"
    assert hit_ids(api(client, as_api(data["links"]["html"]))) == hit_ids(data)
    assert data["total"] == summary_total(html) == 29
    # a new query typed into the box starts again with every expansion
    assert 'name="noexp"' not in html


# --------------------------------------------------------------------------- the JSON twin


def test_json_keys_of_expansions_and_dropped(client):
    data = api(client, "/api/search?q=garbage+sorting&noexp=x&lang=en")
    interp = data["interpretation"]
    assert list(interp) == ["terms", "phrases", "excluded", "filters", "expansions", "dropped",
                            "suggestions", "ignored", "fallback", "message_key",
                            "message_params", "message_shown"]
    assert interp["expansions"] == [{
        "word": "garbage sorting", "term": "垃圾分类", "source": "glossary",
        "query": "garbage sorting", "label": "garbage sorting → 垃圾分类",
        "search_url": f"http://localhost/search?q={SORTING}&lang=en",
        "drop_url": f"http://localhost/search?q=garbage+sorting&noexp=x&noexp={SORTING}&lang=en",
    }]
    assert interp["ignored"] == [{
        "text": "x", "key": "not_an_expansion", "params": {},
        "reason_shown": "not an expansion of this query: nothing to drop"}]
    dropped = api(client, f"/api/search?q=garbage+sorting&noexp={SORTING}&noexp=x&lang=en")
    assert dropped["total"] == 0
    assert dropped["interpretation"]["dropped"] == [{
        "word": "garbage sorting", "term": "垃圾分类", "source": "glossary",
        "query": "garbage sorting", "label": "garbage sorting → 垃圾分类",
        "restore_url": "http://localhost/search?q=garbage+sorting&noexp=x&lang=en"}]


# --------------------------------------------------------------------------- hostile noexp


@pytest.mark.parametrize("noexp", ["", "%00%01", "%20%09", "%EF%BF%BF"])
def test_empty_or_junk_noexp_changes_nothing_else(client, noexp):
    """Empty and control-only values vanish; other junk is ignored with a reason."""
    data = api(client, f"/api/search?q=garbage&noexp={noexp}&lang=en")
    assert data["total"] == 30
    assert len(data["interpretation"]["expansions"]) == 2
    assert all(item["key"] == "not_an_expansion" for item in data["interpretation"]["ignored"])


@pytest.mark.parametrize("query, message", [
    ("noexp=" + "x" * 10_000, "noexp is too long"),
    ("noexp=" + "垃" * 101, "noexp is too long"),
    ("&".join(f"noexp=t{i}" for i in range(21)), "noexp may be given at most 20 times (got 21)"),
])
def test_oversized_noexp_is_400(client, query, message):
    for path in ("/api/search", "/search"):
        response = client.get(f"{path}?q=garbage&{query}&lang=en")
        assert response.status_code == 400
    assert client.get(f"/api/search?q=garbage&{query}&lang=en").get_json() == {"error": message}


def test_noexp_at_the_limits_is_accepted(client):
    many = "&".join(f"noexp=t{i}" for i in range(20))
    assert client.get(f"/api/search?q=garbage&{many}").status_code == 200
    assert client.get("/api/search?q=garbage&noexp=" + "垃" * 100).status_code == 200


def test_markup_in_noexp_is_escaped(client):
    html = client.get("/search?q=garbage&noexp=%3Cscript%3Ex&lang=zh").get_data(as_text=True)
    assert "<script>x" not in html
    assert '<span class="term">&lt;script&gt;x</span> ' \
           '<span class="reason">(不是本次检索的扩展词,无需取消)</span>' in html


# --------------------------------------------------------------------------- did you mean


def test_did_you_mean_is_one_click_to_the_corrected_query(client):
    """A misspelt English word: the page offers the corrected query as a link (issue 12 §6)."""
    html = client.get("/search?q=recyclng&lang=en").get_data(as_text=True)
    links = Links(html).within("did-you-mean")
    assert [(link["href"], link["text"]) for link in links] == [
        ("http://localhost/search?q=recycling&lang=en", "recycling")]
    assert "did-you-mean" not in client.get("/search?q=recycling&lang=en").get_data(as_text=True)
