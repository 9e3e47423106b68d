"""The fixed query mix of ``make bench``: the same queries for every engine and every run.

Each entry is ``(category, query)``. The categories cover what editors and researchers type:
single words, several words, quoted phrases (some cut across jieba's words, one absent from
the corpus), names, filtered searches and Latin acronyms.
"""

import re

QUERIES: list[tuple[str, str]] = [
    ("word", "旅游"),
    ("word", "送教上门"),
    ("word", "残疾"),
    ("word", "教育"),
    ("multi", "垃圾分类 社区"),
    ("multi", "特殊教育 补贴"),
    ("multi", "基层党建 街道 社区"),
    ("phrase", '"垃圾分类"'),
    ("phrase", '"生活垃圾分类"'),
    ("phrase", '"送教上门"'),
    ("phrase", '"圾分类示"'),
    ("phrase", '"基层党组织"'),
    ("phrase", '"社会主义核心价值"'),
    ("phrase", '"全域旅游示范区"'),
    ("name", "宗庆后"),
    ("name", "杭州娃哈哈集团有限公司"),
    ("filter", "kind:award 宗庆后"),
    ("filter", "year:2018 旅游"),
    ("nohit", '"分类垃圾示范"'),
    ("latin", "AED"),
]

# A query made of exactly one quoted phrase and nothing else: the grep oracle applies.
_LONE_PHRASE = re.compile(r'^"([^"]+)"$')


def lone_phrase(query: str) -> str | None:
    """Return the phrase when ``query`` is a single quoted phrase, else ``None``."""
    match = _LONE_PHRASE.match(query.strip())
    return match.group(1) if match else None


def phrase_queries(queries: list[tuple[str, str]] = QUERIES) -> list[tuple[str, str]]:
    """The ``(query, phrase)`` pairs of the mix whose exact result set the oracle knows."""
    pairs = []
    for _category, query in queries:
        phrase = lone_phrase(query)
        if phrase is not None:
            pairs.append((query, phrase))
    return pairs


def grep_oracle(records: list[dict], phrase: str) -> set[str]:
    """Ids of the records whose text contains ``phrase`` verbatim: the exact answer."""
    return {rec["id"] for rec in records if phrase in rec["text"]}
