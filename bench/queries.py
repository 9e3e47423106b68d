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
    """Ids of the records whose text contains ``phrase`` verbatim, not beginning or ending
    inside a longer number (``5万`` is not in 15万): the exact answer."""
    return {rec["id"] for rec in records if contains_whole(rec["text"], phrase)}


def _in_number(text: str, i: int, step: int) -> bool:
    """True when ``text[i]`` continues a number: a digit, or a point followed (in the
    direction ``step``) by a digit."""
    if not 0 <= i < len(text):
        return False
    if text[i].isascii() and text[i].isdigit():
        return True
    j = i + step
    return text[i] == "." and 0 <= j < len(text) and text[j].isascii() and text[j].isdigit()


def contains_whole(text: str, needle: str) -> bool:
    """``needle in text``, except where the occurrence begins or ends inside a longer number.

    Written independently of the engine's regex (``indexer.search.verify``): it tries
    every occurrence, overlapping ones included.
    """
    head = needle[:1].isascii() and needle[:1].isdigit()
    tail = needle[-1:].isascii() and needle[-1:].isdigit()
    pos = text.find(needle)
    while pos >= 0:
        end = pos + len(needle)
        if not (head and _in_number(text, pos - 1, -1)) and not (tail and _in_number(text, end, 1)):
            return True
        pos = text.find(needle, pos + 1)
    return False
