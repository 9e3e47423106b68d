"""Issue 12 through the search: operators, the fields an expansion searches, intent words,
Chinese synonyms, pinyin initials and "did you mean", each with a case that must not expand.

Oracles rather than fixed lists where one exists: an expanded query is compared with its
Chinese twin typed, an operator with the form it stands for.
"""

import pytest

from indexer import bilingual

P = "shangcheng-2018."


def ids(searcher, query: str, **params) -> list[str]:
    """All hit ids of ``query``, in rank order."""
    return [h["id"] for h in searcher.search(query, size=100, **params)["hits"]]


def expansions(result: dict) -> list[tuple[str, str]]:
    """(term, source) of each expansion of a result."""
    return [(e["term"], e["source"]) for e in result["interpretation"]["expansions"]]


# --------------------------------------------------------------------------- operators


@pytest.mark.parametrize("query, same_as", [
    ("fire safety NOT hazards", "fire safety -风险 -火灾隐患"),
    ("fire safety NOT 隐患", "fire safety -隐患"),
    ("消防安全 NOT 隐患", "消防安全 -隐患"),
    ("xiaofang anquan NOT yinhuan", "xiaofang anquan -yinhuan"),
    ('消防安全 NOT "火灾隐患"', '消防安全 -"火灾隐患"'),
])
def test_not_in_capitals_excludes_like_a_minus(searcher, query, same_as):
    """NOT excludes the next word or phrase in every language, and is never translated."""
    result = searcher.search(query, size=100)
    assert [h["id"] for h in result["hits"]] == ids(searcher, same_as)
    assert result["total"] < searcher.search(query.split(" NOT ")[0])["total"]
    assert all(e["word"] != "NOT" for e in result["interpretation"]["expansions"])
    assert "not" not in result["interpretation"]["terms"]


def test_or_and_and_are_operators_in_english_queries(searcher):
    """``smoking OR museums`` is the union of the two; AND is what words do anyway."""
    union = set(ids(searcher, "smoking")) | set(ids(searcher, "museums"))
    result = searcher.search("smoking OR museums", size=100)
    assert {h["id"] for h in result["hits"]} == union and result["total"] == 4
    assert {e["word"] for e in result["interpretation"]["expansions"]} == {"smoking", "museums"}
    both = searcher.search("fire safety AND volunteers")
    assert both["total"] == searcher.search("fire safety volunteers")["total"] == 4
    assert [i["key"] for i in both["interpretation"]["ignored"]] == ["redundant_and"]


def test_a_lonely_not_is_ignored_with_a_reason(searcher):
    """``消防安全 NOT`` searches 消防安全 and says why NOT did nothing; lower-case is a word."""
    result = searcher.search("消防安全 NOT")
    assert result["total"] == searcher.search("消防安全")["total"] == 29
    assert [i["key"] for i in result["interpretation"]["ignored"]] == ["lonely_not"]
    assert searcher.search("not")["interpretation"]["ignored"] == []


# --------------------------------------------------------------------------- same fields


def test_an_expansion_searches_document_titles(searcher):
    """凤凰行动 is printed in one preamble and the document title: the English finds what the
    Chinese finds, the records of that document included (their text never names it)."""
    english = ids(searcher, "Phoenix Action")
    assert english == ids(searcher, "凤凰行动")
    assert len(english) == 31
    assert P + "20180905.1.1" in english


def test_an_expansion_searches_section_headings(searcher):
    """The subsidy clause 3.6.4 says 特殊教育 only in its section heading."""
    clause = searcher.record(P + "20180620.3.6.4")
    assert "特殊教育" not in clause["text"] and "特殊教育" in "".join(clause["section"])
    assert P + "20180620.3.6.4" in ids(searcher, "special education subsidy")


# --------------------------------------------------------------------------- intent words


def test_an_intent_word_does_not_remove_a_relevant_record(searcher):
    """``fire safety measures`` keeps every fire-safety record, 措施 or not (t20.27, an
    honour with no 措施, among them); the word adds to the score of those that say it."""
    found = ids(searcher, "fire safety measures")
    plain = ids(searcher, "消防安全")
    assert set(found) == set(plain) and len(found) == 29
    assert P + "t20.27" in found
    with_measures = ids(searcher, "消防安全 措施")
    assert len(with_measures) == 6
    assert sum(found.index(i) for i in with_measures) < sum(plain.index(i) for i in with_measures)


def test_an_intent_word_alone_is_the_topic(searcher):
    """Alone, ``measures`` must match: its records, not the whole corpus."""
    result = searcher.search("measures")
    assert 0 < result["total"] == len(set(ids(searcher, "措施 OR 举措 OR 分量")))


# --------------------------------------------------------------------------- synonyms


def test_a_reviewed_synonym_finds_the_texts_word(searcher):
    """垃圾箱 (not printed) finds the three records that say 垃圾桶, marked as a synonym."""
    result = searcher.search("垃圾箱", size=100)
    assert expansions(result) == [("垃圾桶", "synonyms")]
    assert sorted(h["id"] for h in result["hits"]) == sorted(ids(searcher, "垃圾桶"))
    assert result["total"] == 3


def test_synonyms_score_below_the_words_typed(searcher):
    """特殊教育 also searches the abbreviation 特教, but its own records come first."""
    result = searcher.search("特殊教育", size=100)
    assert ("特教", "synonyms") in expansions(result)
    own = set(ids(searcher, '"特殊教育"'))
    found = [h["id"] for h in result["hits"]]
    assert set(found[:len(own)]) == own


def test_cilin_gives_a_rare_word_its_synonyms(searcher):
    """救火 is not printed: 同义词词林 offers 灭火 and 扑救, which are."""
    result = searcher.search("救火")
    assert expansions(result) == [("灭火", "cilin"), ("扑救", "cilin")]
    assert result["total"] == 3


@pytest.mark.parametrize("word", ["垃圾分类", "消防安全", "社区", "凤凰行动"])
def test_a_word_the_text_uses_gets_no_thesaurus_noise(searcher, word):
    """A word printed often is searched as typed: 词林 is not asked about it."""
    assert searcher.search(word)["interpretation"]["expansions"] == []


def test_a_dropped_synonym_is_not_searched(searcher):
    """× on a synonym works like on a translation."""
    result = searcher.search("垃圾箱", drop_expansions=["垃圾桶"])
    assert result["total"] == 0
    assert [e["term"] for e in result["interpretation"]["dropped"]] == ["垃圾桶"]


# --------------------------------------------------------------------------- initials


@pytest.mark.parametrize("initials, word", [("ljfl", "垃圾分类"), ("qyly", "全域旅游"),
                                            ("wxxfz", "微型消防站"), ("xfaq", "消防安全")])
def test_pinyin_initials_find_the_word(searcher, initials, word):
    """Initials of a word of three or more characters read as that word, shown as such."""
    result = searcher.search(initials, size=100)
    assert expansions(result) == [(word, "initials")]
    assert [h["id"] for h in result["hits"]] == ids(searcher, word)


@pytest.mark.parametrize("query", ["AED", "PPP", "help", "dsj"])
def test_initials_leave_acronyms_english_and_ambiguous_letters_alone(searcher, query):
    """AED/PPP are printed in the text, ``help`` is English, and dsj stands for 第三届,
    地税局, 第三季 and 第四届 alike: none is read as initials."""
    result = searcher.search(query)
    assert "initials" not in {e["source"] for e in result["interpretation"]["expansions"]}


# --------------------------------------------------------------------------- did you mean


@pytest.mark.parametrize("query, suggested", [
    ("recyclng", "recycling"), ("fire safty", "fire safety"), ("musuems", "museums"),
    ("zongqinhou", "zongqinghou"), ("weixingbna", "weixingban"),
    ("lajii fenlei", "laji fenlei"),
])
def test_did_you_mean_offers_the_query_to_take(searcher, query, suggested):
    """A word that expands to nothing gets the nearest spelling that does; the corrected
    query is given whole, for one click."""
    result = searcher.search(query)
    assert [s["query"] for s in result["interpretation"]["suggestions"]] == [suggested]
    assert searcher.search(suggested)["total"] > 0


@pytest.mark.parametrize("query", ["recycling", "evacuation", "垃圾分类", "AED", "zone",
                                   "fang", "ljfl"])
def test_no_suggestion_for_words_that_are_right(searcher, query):
    """Correct English (found or not), Chinese, acronyms, pinyin and initials get none."""
    assert searcher.search(query)["interpretation"]["suggestions"] == []


def test_suggestions_come_from_the_corpus_vocabulary():
    """The speller corrects towards spellings that expand in this vocabulary only."""
    vocab = frozenset({"垃圾", "回收"})
    assert bilingual.suggest("recyclng", vocab) == "recycle"     # CC-CEDICT's 回收
    assert bilingual.suggest("recyclng", frozenset({"垃圾"})) is None
