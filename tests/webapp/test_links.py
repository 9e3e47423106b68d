"""State links, chips, pagination numbers and snippets (webapp/links.py)."""

import pytest

from webapp.links import page_numbers, snippet, state_args


def test_defaults_are_left_out():
    state = {"q": "x", "doc": None, "year": None, "office": None, "kind": None,
             "sort": "relevance", "size": 10, "page": 1}
    assert state_args(state) == {"q": "x"}
    assert state_args(state, sort="date") == {"q": "x", "sort": "date"}


def test_changing_a_filter_goes_back_to_page_one():
    state = {"q": "x", "year": 2018, "page": 4, "size": 20, "sort": "date"}
    assert state_args(state, kind="award") == {"q": "x", "year": 2018, "kind": "award",
                                              "sort": "date", "size": 20}
    assert state_args(state, page=5) == {"q": "x", "year": 2018, "sort": "date", "size": 20,
                                         "page": 5}


@pytest.mark.parametrize(("page", "pages", "numbers"), [
    (1, 1, [1]),
    (1, 3, [1, 2, 3]),
    (1, 10, [1, 2, 3, None, 10]),
    (5, 10, [1, None, 3, 4, 5, 6, 7, None, 10]),
    (10, 10, [1, None, 8, 9, 10]),
    (4, 7, [1, 2, 3, 4, 5, 6, 7]),
])
def test_page_numbers(page, pages, numbers):
    assert page_numbers(page, pages) == numbers


def test_snippet_trusts_only_mark_tags():
    assert str(snippet({"highlight": "a &lt;b&gt; <mark>c</mark>", "text": "a <b> c"})) == \
        "a &lt;b&gt; <mark>c</mark>"
    assert str(snippet({"highlight": "<img src=x onerror=alert(1)>", "text": "<i>t</i>"})) == \
        "&lt;i&gt;t&lt;/i&gt;"
    assert str(snippet({"highlight": "", "text": "a & b"})) == "a &amp; b"


def test_facet_links_equal_the_state_link_with_the_value(app):
    """A facet's pattern gives exactly search_url's link, for any value."""
    from webapp.links import search_url, state_pattern

    state = {"q": "a b&c", "doc": None, "year": 2018, "office": None, "kind": None,
             "noexp": ("垃圾",), "sort": "date", "size": 20, "page": 3}
    with app.test_request_context("/search?lang=en"):
        for facet, value in [("office", "教育部"), ("office", "A & B/C?"), ("doc", "x.1"),
                             ("kind", "award"), ("year", 2017), ("office", "+ %20"),
                             ("office", "!$'()*,/:;?@~#[]=")]:
            assert state_pattern(state, facet)(value) == \
                search_url(state, _external=True, **{facet: value})
        assert "lang=en" in state_pattern(state, "office")("教育部")


WEIRD = ["教育部", "A & B/C?", "x.1", "+ %20", "!$'()*,/:;?@~#[]=", 2017, "a b\tc"]


@pytest.mark.parametrize("value", WEIRD)
def test_url_patterns_give_exactly_url_for(app, value):
    """A pattern filled with a value equals url_for's link, in a path or query position."""
    from flask import url_for

    from webapp.links import state_pattern, url_pattern

    state = {"q": "a b&c", "year": 2018, "noexp": ("垃圾",), "sort": "date", "page": 3}
    with app.test_request_context("/search?lang=en"):
        assert url_pattern("pages.permalink", "record_id", _external=True)(value) == \
            url_for("pages.permalink", record_id=value, _external=True)
        assert url_pattern("pages.facet", "name", q="x y", year=2018)(value) == \
            url_for("pages.facet", name=value, q="x y", year=2018)
        assert state_pattern(state, "page")(value) == \
            url_for("pages.search", q="a b&c", year=2018, noexp=("垃圾",), sort="date",
                    page=value, _external=True)


@pytest.mark.parametrize("value", WEIRD)
def test_built_links_are_url_fors(app, value):
    """build_url gives url_for's link for any values, in path and query positions, lists
    (repeated arguments) and None (left out) included, whatever request asks: the cached
    templates are keyed by host, script root and language."""
    from flask import url_for

    from webapp.links import build_url

    calls = [("pages.search", {"q": value, "year": 2018, "noexp": (value, "垃圾"),
                               "doc": None}),
             ("pages.search", {"q": value, "_external": True}),
             ("pages.doc", {"doc_id": value, "_external": True}),
             ("pages.permalink", {"record_id": value, "lang": None}),
             ("api.record", {"record_id": value, "format": "ris"}),
             ("pages.facet", {"name": value, "q": value, "noexp": []}),
             ("static", {"filename": "style.css"}),
             ("pages.doc", {"doc_id": value, "_anchor": str(value)})]
    for path, base in [("/search?lang=en", "http://localhost/"),
                       ("/search?lang=zh", "http://localhost/"),
                       ("/search?lang=en", "https://example.org/sub/"),
                       ("/search", "http://localhost/")]:
        with app.test_request_context(path, base_url=base):
            for endpoint, values in calls:
                assert build_url(endpoint, **values) == url_for(endpoint, **values), \
                    (path, base, endpoint, values)
