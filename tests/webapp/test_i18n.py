"""The message catalogs (webapp/translations, Flask-Babel) and the language choice."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from flask_babel import gettext

from webapp import i18n

ROOT = Path(__file__).resolve().parents[2]
CATALOGS = ROOT / "webapp" / "translations"
#: The placeholders of a python-format message: %(name)s.
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _catalog(lang: str) -> dict[str, str]:
    """msgid → msgstr of the ``lang`` catalog."""
    with open(CATALOGS / lang / "LC_MESSAGES" / "messages.po", "rb") as po:
        return {message.id: message.string for message in read_po(po) if message.id}


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> set[str]:
    """Every msgid ``pybabel extract`` finds in the web app (as ``make messages`` runs it)."""
    pot = tmp_path_factory.mktemp("pot") / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "-q", "extract",
                    "-F", "webapp/babel.cfg", "-k", "BadParam", "-o", str(pot), "."],
                   cwd=ROOT, check=True)
    with open(pot, "rb") as file:
        return {message.id for message in read_po(file) if message.id}


def test_every_extracted_message_has_both_languages(extracted):
    zh, en = _catalog("zh"), _catalog("en")
    assert len(extracted) > 150
    assert sorted(key for key in extracted if not zh.get(key, "").strip()) == []
    assert sorted(key for key in extracted if not en.get(key, "").strip()) == []
    for key in extracted:
        assert set(PLACEHOLDER.findall(zh[key])) == set(PLACEHOLDER.findall(en[key])), key


def test_the_catalogs_hold_no_message_the_code_no_longer_uses(extracted):
    assert set(_catalog("zh")) - extracted == set()
    assert set(_catalog("en")) - extracted == set()


def test_every_search_layer_key_is_worded():
    """QueryError keys, ignored reasons and notices, with the parameters the search layer
    gives them, in both languages."""
    from indexer.search import IGNORED_REASONS, MESSAGES, QUERY_ERRORS

    catalogs = _catalog("zh"), _catalog("en")
    for table, keys in ((i18n.QUERY_ERRORS, QUERY_ERRORS),
                        (i18n.IGNORED_REASONS, IGNORED_REASONS), (i18n.NOTICES, MESSAGES)):
        assert set(table) == set(keys)
        for key, params in keys.items():
            for catalog in catalogs:
                assert set(PLACEHOLDER.findall(catalog[table[key]])) == set(params), key


def test_label_tables_cover_the_values(app):
    from indexer.search import FACET_FIELDS
    from webapp.params import KINDS, SORTS

    assert set(i18n.FACETS) == set(FACET_FIELDS)
    assert set(i18n.KINDS) == set(KINDS)
    assert set(i18n.SORTS) == set(SORTS)


@pytest.mark.parametrize(("lang", "text"), [("en", "3 results in 1.5 ms"),
                                            ("zh", "共 3 条结果,用时 1.5 毫秒")])
def test_gettext_fills_placeholders(app, lang, text):
    with app.test_request_context(f"/?lang={lang}"):
        assert gettext("results_total", total=3, ms=1.5) == text


@pytest.mark.parametrize(("url", "header", "cookie", "lang"), [
    ("/?lang=en", "zh", "zh", "en"), ("/?lang=zh", "en", "en", "zh"),
    ("/?lang=fr", "en-US", None, "en"), ("/", "zh-CN", "en", "en"), ("/", "en", "zh", "zh"),
    ("/", "en", "fr", "en"), ("/", "en-US,en;q=0.9", None, "en"),
    ("/", "zh-CN,zh;q=0.9,en;q=0.8", None, "zh"), ("/", "de", None, "zh"), ("/", "", None, "zh"),
])
def test_select_locale_takes_the_address_then_the_cookie_then_the_browser(
        app, url, header, cookie, lang):
    headers = {"Accept-Language": header}
    if cookie:
        headers["Cookie"] = f"{i18n.COOKIE}={cookie}"
    with app.test_request_context(url, headers=headers):
        assert i18n.select_locale() == lang


def test_a_chosen_language_is_remembered(client):
    first = client.get("/help?lang=en")
    assert "lang=en" in first.headers["Set-Cookie"]
    assert '<html lang="en">' in client.get("/help").get_data(as_text=True)
    # Choosing the language the cookie holds sets nothing.
    assert "Set-Cookie" not in client.get("/help?lang=en").headers
    client.get("/help?lang=zh")
    assert '<html lang="zh">' in client.get("/help").get_data(as_text=True)


def test_english_names_come_from_the_glossary():
    assert i18n.english_name("杭州市上城区特殊教育提升计划(2017—2020)") == \
        "Special Education Improvement Plan of Shangcheng District, Hangzhou (2017-2020)"
    assert i18n.english_name("没有译名的名字") is None
    assert i18n.english_name("") is None


# --------------------------------------------------------------------------- search-layer messages


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


def test_a_query_error_has_a_known_key_and_its_parameters(app):
    """So every error the search layer raises can be worded (see the tests above)."""
    from indexer.search import QueryError

    with app.test_request_context("/?lang=en"):
        assert i18n.query_error(QueryError("bad_page", value=0)) == \
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
