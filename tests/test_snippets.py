"""Snippets (indexer/search/highlight.py) are cut between phrases, never inside one
(增…识), on the real corpus: every piece of every snippet starts at the text's start or
after a punctuation mark, and ends at the text's end or with one."""

import html
import re
import unicodedata

import pytest

from indexer.search.highlight import highlight

QUERIES = ["消防安全 街道办事处", "意识", "安全", '"送教上门"', "资源教室", "特殊教育", "上城区",
           "企业", "教育", "服务", "卫星班"]


def pieces(snippet: str) -> list[str]:
    """The shown pieces of a snippet, as plain text."""
    plain = html.unescape(re.sub(r"</?mark>", "", snippet))
    return [piece for piece in plain.split("…") if piece]


def punctuation(ch: str) -> bool:
    """A punctuation mark or a space."""
    return ch.isspace() or unicodedata.category(ch).startswith("P")


@pytest.mark.parametrize("query", QUERIES)
def test_snippets_cut_between_phrases(searcher, query):
    for hit in searcher.search(query, size=100)["hits"]:
        text = searcher.record(hit["id"])["text"]
        for piece in pieces(hit["highlight"]):
            start = text.index(piece)
            end = start + len(piece)
            assert start == 0 or punctuation(text[start - 1]), (hit["id"], piece[:12])
            assert end == len(text) or punctuation(text[end - 1]), (hit["id"], piece[-12:])


def test_the_reported_cut_is_gone():
    around = "把消防工作纳入社区网格化管理,建立网格消防职责清单和网格员巡查工作清单。" * 3
    text = around + "进一步增强辖区居民的消防安全意识和自防自救能力。" + around
    snippet = highlight(text, ["安全"])
    assert snippet == ("…建立网格消防职责清单和网格员巡查工作清单。进一步增强辖区居民的消防"
                       "<mark>安全</mark>意识和自防自救能力。把消防工作纳入社区网格化管理,"
                       "建立网格消防职责清单和网格员巡查工作清单。…")
