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
