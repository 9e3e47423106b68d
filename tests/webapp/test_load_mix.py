"""The URL mix of ``make load`` (bench/mix.py): seeded, distinct, and every address valid."""

from bench.mix import url_mix


def test_mix_is_seeded_distinct_and_every_address_answers(searcher, client):
    paths = url_mix(searcher, 300, seed=7)
    assert paths == url_mix(searcher, 300, seed=7)
    assert paths != url_mix(searcher, 300, seed=8)
    assert len(set(paths)) == 300
    for prefix in ("/search?", "/api/search?", "/doc/", "/c/", "/api/record/"):
        assert any(path.startswith(prefix) for path in paths), prefix
    assert any("page=3" in path for path in paths)
    assert any("lang=en" in path for path in paths)
    for path in paths:
        # A clause's permalink redirects to its document; everything else is a page.
        assert client.get(path).status_code in (200, 302), path
