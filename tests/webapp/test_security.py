"""Hostile input on every route: never a 500, nothing echoed unescaped, safe headers."""

from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from webtools import SPECIAL_EDUCATION

ALLOWED = {200, 301, 302, 400, 404}  # 301: a permalink with a trailing / or .

HOSTILE = [
    '"', '"""', 'a"b', '"送教', "OR", "AND", "OR OR", "- -", "-", "--x", "office:", "doc:",
    "year:x", "kind:", "ref:", "office:-", "\x00", "a\x00b", "\x1b[31m", "\t\n\r", "\x7f",
    "\u202e", "\ufeff", "\ud800", "a\udfffb", "x" * 10_000, "<script>alert(1)</script>",
    '"><script>alert(1)</script>', "'onmouseover=alert(1) x='", "../../etc/passwd",
    "..\\..\\windows", "%", "%%", "%00", "*", "?", "~1", "^2", "(", ")", "[", "]", "{", "}",
    "\\", "NOT", "🙂", "垃圾分类" * 200, " ", "",
]

#: Query-string routes and the parameters each reads.
PARAM_ROUTES = {
    "/search": ("q", "doc", "year", "office", "kind", "page", "size", "sort", "lang"),
    "/api/search": ("q", "doc", "year", "office", "kind", "page", "size", "sort", "lang"),
    "/": ("lang",), "/docs": ("page", "lang"), "/api/docs": ("page", "lang"), "/help": ("lang",),
}
ID_ROUTES = ("/doc/", "/api/doc/", "/c/", "/api/record/")


def encode(value: str) -> str:
    """Percent-encode as UTF-8; lone surrogates become invalid UTF-8 bytes (%ED%A0%80)."""
    return quote(value, safe="", errors="surrogatepass")


def check(response) -> None:
    """The status is an expected one and nothing hostile comes back as live markup."""
    assert response.status_code in ALLOWED, response.status_code
    if response.mimetype == "text/html":
        body = response.get_data(as_text=True)
        assert "<script>" not in body
        assert "'onmouseover" not in body


@pytest.mark.parametrize("route", sorted(PARAM_ROUTES))
def test_hostile_parameters(client, route):
    for name in PARAM_ROUTES[route]:
        for value in HOSTILE:
            check(client.get(f"{route}?{name}={encode(value)}"))


@pytest.mark.parametrize("route", ID_ROUTES)
def test_hostile_ids(client, route):
    for value in HOSTILE + ["..%2F..%2Fetc%2Fpasswd", "%2e%2e", ".", ".."]:
        check(client.get(route + encode(value)))
    check(client.get(route + "../../etc/passwd"))
    check(client.get(route + "%ED%A0%80"))


def test_raw_invalid_utf8_in_query_string(client):
    for route in ("/search", "/api/search"):
        check(client.get(f"{route}?q=%ED%A0%80&office=%FF%FE&doc=%C0%AF"))


@pytest.mark.parametrize("query", ["q=%ED%A0%80", "q=ok&noexp=%FF", "office=%C0%AF"])
def test_invalid_utf8_is_a_clear_400_not_a_search_for_its_escapes(client, query):
    """Undecodable escapes are not searched for as the literal text ``%ED%A0%80``."""
    response = client.get(f"/api/search?{query}&lang=en")
    assert response.status_code == 400
    assert response.get_json() == {"error": "The address's parameters are not valid UTF-8 text"}
    page = client.get(f"/search?{query}&lang=zh")
    assert page.status_code == 400
    assert "网址中的参数不是有效的 UTF-8 文本" in page.get_data(as_text=True)


def test_script_is_echoed_escaped(client):
    body = client.get("/search?q=" + encode("<script>alert(1)</script>")).get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_long_query_gets_a_clear_message(client):
    response = client.get("/search?lang=en&q=" + "x" * 10_000)
    assert response.status_code == 400
    assert "The query is too long: at most 500 characters (got 10000)" in \
        response.get_data(as_text=True)


@pytest.mark.parametrize("url", ["/", "/search?q=x", "/api/search?q=x",
                                 f"/doc/{SPECIAL_EDUCATION}", "/nope", "/api/doc/nope",
                                 "/static/app.js"])
def test_security_headers(client, url):
    headers = client.get(url).headers
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "default-src 'self'" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_pages_have_no_inline_script(client):
    for url in ("/", "/search?q=垃圾分类", f"/doc/{SPECIAL_EDUCATION}", "/help", "/docs"):
        body = client.get(url).get_data(as_text=True)
        assert body.count("<script") == 1
        assert '<script src="/static/app.js" defer></script>' in body
        assert " onclick=" not in body and "javascript:" not in body


def test_post_is_rejected_not_crashed(client):
    assert client.post("/search", data={"q": "x"}).status_code == 405
    assert client.post("/api/search").get_json() == {"error": "不支持该请求方法"}


#: Any code point, lone surrogates and control characters included.
ANY_TEXT = st.text(st.characters(exclude_categories=()), max_size=60)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=ANY_TEXT, name=st.sampled_from(PARAM_ROUTES["/search"]),
       route=st.sampled_from(["/search", "/api/search"]))
def test_fuzzed_search_parameters(client, value, name, route):
    check(client.get(f"{route}?{name}={encode(value)}"))


@settings(max_examples=100, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=ANY_TEXT, route=st.sampled_from(ID_ROUTES))
def test_fuzzed_ids(client, value, route):
    check(client.get(route + encode(value)))
