"""The per-build response cache (webapp/cache.py)."""

import time

import pytest
from micro_corpus import DOCS, RECORDS, YEARBOOK

from indexer.build import publish
from webapp import create_app


@pytest.fixture
def cached(built_index):
    """An app with a small cache on the real index."""
    return create_app({"INDEX_DIR": str(built_index), "CACHE_SIZE": 8}).test_client()


def test_second_request_is_replayed_with_the_same_body_and_headers(cached):
    first = cached.get("/search?q=宗庆后&lang=zh")
    second = cached.get("/search?q=宗庆后&lang=zh")
    assert (first.headers["X-Cache"], second.headers["X-Cache"]) == ("miss", "hit")
    assert first.get_data() == second.get_data()
    assert second.headers["Content-Type"] == "text/html; charset=utf-8"
    assert second.headers["Content-Security-Policy"] == first.headers["Content-Security-Policy"]


def test_at_most_cache_size_responses_are_kept_least_recently_used_first(cached):
    pages = [f"/search?q=宗庆后&page=1&size={size}" for size in range(1, 10)]
    for page in pages:
        assert cached.get(page).headers["X-Cache"] == "miss"
    # Nine pages in a cache of eight: the first is gone, the second is still there …
    assert cached.get(pages[1]).headers["X-Cache"] == "hit"
    assert cached.get(pages[0]).headers["X-Cache"] == "miss"
    # … and the first's return evicted the least recently used one, the third.
    assert cached.get(pages[2]).headers["X-Cache"] == "miss"
    assert len(cached.application.extensions["yearbook.cache"]) == 8


def test_language_and_errors_are_not_mixed_up(cached):
    zh = cached.get("/", headers={"Accept-Language": "zh"}).get_data(as_text=True)
    en = cached.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="zh">' in zh and '<html lang="en">' in en
    for _ in range(2):
        response = cached.get("/api/search?page=abc")
        assert response.status_code == 400 and "X-Cache" not in response.headers


def test_a_rebuild_is_never_served_from_the_old_cache(tmp_path, built_index):
    out = tmp_path / "var"
    out.mkdir()
    (out / "index").symlink_to(built_index.resolve())
    client = create_app({"INDEX_DIR": str(out / "index"), "CACHE_SIZE": 8}).test_client()
    assert client.get("/api/search?q=宗庆后").get_json()["total"] == 6
    publish(out, RECORDS, DOCS, [YEARBOOK], fingerprint="micro")
    # The old build answers until the new one is open; then only the new one.
    deadline = time.monotonic() + 10
    totals = []
    while time.monotonic() < deadline and totals[-1:] != [3]:
        totals.append(client.get("/api/search?q=宗庆后").get_json()["total"])
    assert totals[-1] == 3 and set(totals) <= {6, 3}
    assert [client.get("/api/search?q=宗庆后").get_json()["total"] for _ in range(3)] == [3] * 3


def test_cache_can_be_turned_off(built_index):
    client = create_app({"INDEX_DIR": str(built_index), "CACHE_SIZE": 0}).test_client()
    assert "X-Cache" not in client.get("/docs").headers
