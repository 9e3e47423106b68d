"""The message catalog and language choice (webapp/i18n.py)."""

import re
from pathlib import Path

import pytest

from webapp import i18n

TEMPLATES = Path(i18n.__file__).parent / "templates"


def test_every_message_has_both_languages():
    for key, texts in i18n.MESSAGES.items():
        assert set(texts) == {"zh", "en"}, key
        assert texts["zh"].strip() and texts["en"].strip(), key
        fields = [set(re.findall(r"\{(\w+)\}", texts[lang])) for lang in ("zh", "en")]
        assert fields[0] == fields[1], key


def test_every_key_used_by_a_template_exists():
    used = set()
    for path in TEMPLATES.glob("*.html"):
        used |= set(re.findall(r"_\('(\w+)'\s*[,)]", path.read_text(encoding="utf-8")))
    assert used
    assert not used - set(i18n.MESSAGES)


def test_dynamic_keys_exist():
    for prefix, values in (("kind_", ("clause", "award", "list")),
                           ("doc_kind_", ("policy", "table", "list")),
                           ("facet_", ("doc", "year", "office", "kind")),
                           ("level_", ("national", "provincial", "municipal")),
                           ("sort_", ("relevance", "date")),
                           ("record_entry_", ("unit", "person"))):
        for value in values:
            assert prefix + value in i18n.MESSAGES


def test_translate_fills_placeholders():
    assert i18n.translate("results_total", "en", total=3, ms=1.5) == "3 results in 1.5 ms"
    assert i18n.translate("results_total", "zh", total=3, ms=1.5) == "共 3 条结果,用时 1.5 毫秒"


@pytest.mark.parametrize(("url", "header", "lang"), [
    ("/?lang=en", "zh", "en"), ("/?lang=zh", "en", "zh"), ("/?lang=fr", "en-US", "en"),
    ("/", "en-US,en;q=0.9", "en"), ("/", "zh-CN,zh;q=0.9,en;q=0.8", "zh"), ("/", "de", "zh"),
    ("/", "", "zh"),
])
def test_resolve_lang(app, url, header, lang):
    with app.test_request_context(url, headers={"Accept-Language": header}):
        assert i18n.resolve_lang() == lang


def test_english_names_come_from_the_glossary():
    assert i18n.english_name("杭州市上城区特殊教育提升计划(2017—2020)") == \
        "Special Education Improvement Plan of Shangcheng District, Hangzhou (2017-2020)"
    assert i18n.english_name("没有译名的名字") is None
    assert i18n.english_name("") is None


# --------------------------------------------------------------------------- search-layer messages


def test_every_search_layer_key_is_translated():
    """QueryError keys, ignored reasons and messages, with the same placeholders."""
    from indexer.search import IGNORED_REASONS, MESSAGES, QUERY_ERRORS

    for prefix, keys in (("qerr_", QUERY_ERRORS), ("ignored_", IGNORED_REASONS),
                         ("msg_", MESSAGES)):
        for key, params in keys.items():
            assert prefix + key in i18n.MESSAGES, prefix + key
            for lang in ("zh", "en"):
                assert set(re.findall(r"\{(\w+)\}", i18n.MESSAGES[prefix + key][lang])) == \
                    set(params), (key, lang)


@pytest.mark.parametrize(("query", "zh", "en"), [
    ("q=year:abc", "检索式有误:年份必须是数字,例如 2018(收到 abc)",
     "Query error: year must be a number such as 2018 (got abc)"),
    ("q=office:没有这个机关", "检索式有误:找不到机关“没有这个机关”",
     "Query error: unknown office 没有这个机关"),
    ("q=doc:nope", "检索式有误:找不到文件“nope”:请用文件编号或标题的一部分",
     "Query error: unknown document nope: use a document id or part of a title"),
    ("q=kind:poem", "检索式有误:类型只能是 clause, award, list(收到 poem)",
     "Query error: kind must be one of clause, award, list (got poem)"),
    ("q=year:1990", "检索式有误:没有 1990 年的记录", "Query error: no records from year 1990"),
    ("q=ref:《》", "检索式有误:ref: 后面需要文号或文件标题",
     "Query error: ref: needs a document number or title"),
])
def test_query_errors_are_worded_in_both_languages(client, query, zh, en):
    for lang, message in (("zh", zh), ("en", en)):
        response = client.get(f"/api/search?{query}&lang={lang}")
        assert (response.status_code, response.get_json()) == (400, {"error": message})
    page = client.get(f"/search?{query}&lang=zh")
    assert page.status_code == 400 and zh in page.get_data(as_text=True)


def test_a_query_error_has_a_known_key_and_its_parameters():
    """So every error the search layer raises can be worded (see the test above)."""
    from indexer.search import QueryError

    assert i18n.query_error(QueryError("bad_page", value=0), "en") == \
        "Query error: page must be a whole number ≥ 1 (got 0)"
    with pytest.raises(ValueError):
        QueryError("unheard_of", value=0)
    with pytest.raises(ValueError):
        QueryError("bad_page", page=0)


@pytest.mark.parametrize(("query", "text", "zh", "en"), [
    ('"送教上门', '"', "引号不成对", "unmatched quote"),
    ("送教 kind:", "kind:", "筛选条件为空:应写作 kind:值", "empty filter: write kind:value"),
    ("-office:x 送教", "-office:x", "筛选条件不能取反", "filters cannot be negated"),
    ("送教 AND 补贴", "AND", "各词之间本来就是“且”关系", "all words must match already"),
    ("OR 送教", "OR", "OR 两边都需要有检索词", "OR needs a word on both sides"),
    ("fang", "fang", "也是拼音,但对应的汉字太多,未作扩展:请加声调(如 fang1)或写出整个词",
     "also the pinyin of too many characters, so not expanded: add a tone (fang1) or write "
     "the whole word"),
])
def test_ignored_parts_give_their_reason_in_both_languages(client, query, text, zh, en):
    for lang, reason in (("zh", zh), ("en", en)):
        data = client.get("/api/search", query_string={"q": query, "lang": lang}).get_json()
        assert [(i["text"], i["reason_shown"]) for i in data["interpretation"]["ignored"]] == \
            [(text, reason)]
        html = client.get("/search", query_string={"q": query, "lang": lang}).get_data(
            as_text=True)
        assert f'<span class="reason">({reason})</span>' in html


@pytest.mark.parametrize(("lang", "message"), [
    ("zh", "没有记录同时包含 卫星 班 垃圾 分类,以下为最接近的部分匹配。"),
    ("en", "No record contains all of 卫星 班 垃圾 分类; showing the best partial matches."),
])
def test_the_fallback_message_follows_the_language(client, lang, message):
    data = client.get(f"/api/search?q=卫星班 垃圾分类&lang={lang}").get_json()
    assert (data["interpretation"]["message_shown"], data["total"]) == (message, 59)
    html = client.get(f"/search?q=卫星班 垃圾分类&lang={lang}").get_data(as_text=True)
    assert f'<p class="notice" id="notice">{message}</p>' in html
