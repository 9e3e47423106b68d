"""Parameter validation (webapp/params.py)."""

import pytest

from webapp.params import BadParam, clean_text, search_params, valid_id


def test_defaults():
    assert search_params({}) == {"q": "", "doc": None, "year": None, "office": None,
                                 "kind": None, "level": None, "person": None,
                                 "yearbook": None, "noexp": (), "group": None,
                                 "sort": "relevance", "size": 10, "page": 1}


def test_values_are_parsed_and_cleaned():
    state = search_params({"q": "  垃圾\x00分类\t督查 ", "year": "2018", "page": "3",
                           "size": "20", "sort": "date", "kind": "award", "office": " 教育局 "})
    assert state == {"q": "垃圾 分类 督查", "doc": None, "year": 2018, "office": "教育局",
                     "kind": "award", "level": None, "person": None, "yearbook": None,
                     "noexp": (), "group": None, "sort": "date", "size": 20, "page": 3}


def test_clean_text_drops_controls_and_surrogates():
    assert clean_text("a\ud800b\x1bc\x7fd") == "a b c d"
    assert clean_text("\x00\x01") == ""


@pytest.mark.parametrize(("args", "key", "values"), [
    ({"page": "abc"}, "err_int", {"name": "page"}),
    ({"page": "1.5"}, "err_int", {"name": "page"}),
    ({"page": "0"}, "err_range", {"name": "page", "lo": 1, "hi": 1000}),
    ({"size": "100000"}, "err_range", {"name": "size", "lo": 1, "hi": 100}),
    ({"size": "9" * 30}, "err_int", {"name": "size"}),
    ({"year": "abc"}, "err_int", {"name": "year"}),
    ({"sort": "x"}, "err_choice", {"name": "sort", "choices": "relevance, date"}),
    ({"kind": "doc"}, "err_choice", {"name": "kind", "choices": "clause, award, list, policy"}),
    ({"q": "字" * 501}, "err_q_long", {"name": "q", "max": 500, "n": 501}),
    ({"doc": "d" * 201}, "err_value_long", {"name": "doc", "max": 200, "n": 201}),
])
def test_bad_values(args, key, values):
    with pytest.raises(BadParam) as caught:
        search_params(args)
    assert (caught.value.key, caught.value.values) == (key, values)


def test_query_at_the_limit_is_accepted():
    assert search_params({"q": "字" * 500})["q"] == "字" * 500


@pytest.mark.parametrize(("value", "ok"), [
    ("shangcheng-2018.20180620.3.6.4", True), ("shangcheng-2018.t22.8", True),
    ("", False), ("a\x00b", False), ("<script>", False), ("x" * 201, False), (" x", False),
])
def test_valid_id(value, ok):
    assert valid_id(value) is ok
