"""English, pinyin, Latin and Traditional access to the Chinese text (issue 5 §2–§4)."""

import re
from pathlib import Path

import pytest

from indexer import bilingual
from indexer.analysis import normalise, query_words
from indexer.bilingual import (
    MAX_GLOSS_WORD,
    MAX_PER_WORD,
    english_key,
    english_name,
    expand_query,
    expand_query_term,
    load_glossary,
    parse_pinyin,
    segment_pinyin,
)

CORPUS = Path(__file__).resolve().parent.parent / "corpus" / "shangcheng-yearbook-2018.txt"

#: A small index vocabulary: jieba words as the index holds them (垃圾分类 is cut in two).
VOCAB = frozenset("""
垃圾 分类 生活垃圾 特殊教育 特殊 教育 卫星 班 消防安全 消防 安全 火灾 上市 旅游 医教 结合
融合 基层 党建 健康 金融 补贴 宗庆后 方红香 aed jci 方 房 放 芳 安 按 岸 变化 改变 嫦娥
""".split())


class TextVocab:
    """Index words plus every substring of a text: the search's ``Vocabulary`` in small."""

    def __init__(self, words: frozenset[str], text: str):
        """Hold the words and the normalised text."""
        self.words = words
        self.text = normalise(text)

    def __contains__(self, term: str) -> bool:
        """An index word, or a substring of the text."""
        return term in self.words or normalise(term) in self.text

    def __iter__(self):
        """The index words."""
        return iter(self.words)


#: VOCAB as the search sees it: substrings of the yearbook text are known too.
LIVE = TextVocab(VOCAB, CORPUS.read_text(encoding="utf-8"))


def terms(entries: list[dict]) -> list[str]:
    """Return the Chinese terms of expansion entries, in rank order."""
    return [e["term"] for e in entries]


# --------------------------------------------------------------------------- glossary


def test_glossary_is_well_formed():
    """Header, three tab-separated columns, known kinds, 60+ terms, every kind present."""
    lines = bilingual.GLOSSARY_PATH.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "english\tchinese\tkind"
    entries = load_glossary()
    assert len(entries) == len([line for line in lines[1:] if line.strip()])
    assert all(e.english and e.chinese for e in entries)
    kinds = {e.kind for e in entries}
    assert kinds == {"term", "office", "title", "unit"}
    assert sum(e.kind == "term" for e in entries) >= 60


def test_every_glossary_chinese_term_occurs_in_the_corpus():
    """Each Chinese side is printed in the yearbook (line breaks and spaces aside)."""
    text = "".join(normalise(CORPUS.read_text(encoding="utf-8")).split())
    missing = [e.chinese for e in load_glossary() if "".join(normalise(e.chinese).split())
               not in text]
    assert missing == []


def _aliases() -> set[frozenset[str]]:
    """Return the alias pairs of ``corpus/offices.tsv`` as unordered pairs."""
    pairs = set()
    for line in (bilingual.CORPUS_DIR / "offices.tsv").read_text(encoding="utf-8").splitlines():
        fields = line.split("\t")
        if len(fields) == 2 and not line.startswith("#"):
            pairs.add(frozenset(fields))
    return pairs


def test_one_english_key_means_one_thing_unless_the_chinese_are_aliases():
    """An English key with two Chinese sides is only allowed for office-table aliases."""
    by_key: dict[str, set[str]] = {}
    for e in load_glossary():
        by_key.setdefault(english_key(e.english), set()).add(e.chinese)
    aliases = _aliases()
    for key, chinese in by_key.items():
        if len(chinese) > 1:
            assert len(chinese) == 2 and frozenset(chinese) in aliases, (key, chinese)


def test_required_vocabulary_is_in_the_glossary():
    """The issue's examples are reviewed entries."""
    pairs = {(english_key(e.english), e.chinese) for e in load_glossary()}
    for english, chinese in [("garbage sorting", "垃圾分类"), ("waste sorting", "垃圾分类"),
                             ("special education", "特殊教育"), ("satellite class", "卫星班"),
                             ("fire safety", "消防安全"), ("listing", "上市"),
                             ("tourism", "旅游"), ("inclusive education", "融合教育"),
                             ("integration of medicine and education", "医教结合"),
                             ("grassroots party building", "基层党建"), ("health", "健康"),
                             ("finance", "金融"), ("subsidy", "补贴")]:
        assert (english, chinese) in pairs


# --------------------------------------------------------------------------- names


def test_every_document_title_and_office_of_the_corpus_has_an_english_name():
    """Titles and offices as the parser reports them (canonical office names) are covered."""
    parse = pytest.importorskip("indexer.parse")
    yearbook = parse.parse_file(CORPUS)
    names = {d["title"] for d in yearbook.docs}
    names |= {o for r in yearbook.records for o in r["offices"]}
    assert len(names) > 100
    assert sorted(n for n in names if english_name(n) is None) == []


def test_english_name_examples():
    """Printed and canonical forms, stray spaces and Traditional forms all resolve."""
    office = "General Office of the Shangcheng District People's Government, Hangzhou"
    assert english_name("杭州市上城区人民政府办公室") == office
    assert english_name("上城区人民政府办公室") == office
    assert english_name("上城區人民政府辦公室") == office
    assert english_name("中共杭州市上城区委关于加强新时代 城市基层党建工作的实施意见") == (
        "Implementing Opinions of the CPC Shangcheng District Committee, Hangzhou, on "
        "Strengthening Urban Grassroots Party Building in the New Era")
    assert english_name("浙江省精神文明建设委员会办公室") == (
        "Office of the Zhejiang Spiritual Civilisation Construction Commission")
    assert english_name("垃圾分类") is None
    assert english_name("不存在的办公室") is None


# --------------------------------------------------------------------------- English


@pytest.mark.parametrize("query, first", [
    ("garbage sorting", "垃圾分类"), ("waste sorting", "垃圾分类"),
    ("special education", "特殊教育"), ("satellite class", "卫星班"),
    ("fire safety", "消防安全"), ("listing", "上市"), ("tourism", "旅游"),
    ("integration of medicine and education", "医教结合"),
    ("inclusive education", "融合教育"), ("grassroots party building", "基层党建"),
    ("health", "健康"), ("finance", "金融"), ("subsidy", "补贴"), ("subsidies", "补贴"),
    ("Fire Safety", "消防安全"),
])
def test_glossary_phrase_is_the_first_expansion(query, first):
    """The reviewed glossary translation ranks first, labelled as the interpretation shows."""
    entries = expand_query(query.split(), VOCAB)
    assert entries[0]["term"] == first
    assert entries[0]["source"] == "glossary"
    assert entries[0]["label"] == f"{query} → {first}"
    assert {e["query"] for e in entries} == {query}


def test_phrase_is_matched_before_its_words():
    """``garbage sorting`` is one glossary entry, not ``garbage`` + ``sorting``."""
    assert expand_query(["garbage", "sorting"], VOCAB) == [{
        "term": "垃圾分类", "source": "glossary", "label": "garbage sorting → 垃圾分类",
        "query": "garbage sorting"}]


def test_words_after_a_phrase_are_expanded_on_their_own():
    """``fire safety subsidy`` → the phrase, then the word, each with its own ``query``."""
    entries = expand_query(["fire", "safety", "subsidy"], VOCAB)
    assert [(e["query"], e["term"]) for e in entries][0] == ("fire safety", "消防安全")
    assert ("subsidy", "补贴") in [(e["query"], e["term"]) for e in entries]


def test_candidates_outside_the_vocabulary_are_dropped():
    """Without 卫星 in the index, ``satellite class`` has nothing to offer."""
    assert expand_query_term("satellite class", VOCAB - {"卫星"}) == []


def test_glossary_before_cedict_and_whole_gloss_before_gloss_word():
    """``education``: 教育 (glossary, whole) first; longer glossary terms only after it."""
    found = expand_query_term("education", VOCAB | {"培养"})
    assert found[0] == {"term": "教育", "source": "glossary", "label": "education → 教育",
                        "query": "education"}
    assert terms(found).index("特殊教育") > 0


def test_cedict_covers_words_outside_the_glossary():
    """``change`` is not in the glossary: CC-CEDICT's 变化/改变, both in the vocabulary."""
    found = expand_query_term("change", VOCAB)
    assert [e["source"] for e in found[:2]] == ["cedict", "cedict"]
    assert set(terms(found[:2])) == {"变化", "改变"}


def test_expansions_are_capped():
    """Glossary terms merely containing the word are capped (its head-word terms first),
    and no word brings more than MAX_PER_WORD terms, however many would fit."""
    vocab = VOCAB | {"培养", "融合教育", "个别化教育", "职业教育", "学前教育", "义务教育"}
    found = expand_query_term("education", vocab)
    assert found[0]["term"] == "教育"
    assert [e["source"] for e in found].count("glossary") <= 1 + MAX_GLOSS_WORD
    assert len(expand_query_term("building", vocab | {"建筑", "大楼", "楼宇", "房屋"})) \
        == MAX_PER_WORD


def test_stop_words_expand_to_nothing():
    """Function words are not translated (``the`` would match half the dictionary)."""
    assert expand_query_term("the", VOCAB) == []
    assert expand_query_term("of", VOCAB) == []


# --------------------------------------------------------------------------- Latin


def test_latin_token_of_the_corpus_ranks_first_as_written():
    """AED is printed in the yearbook: searched as it is, before any translation."""
    found = expand_query_term("AED", VOCAB)
    assert found[0] == {"term": "aed", "source": "latin", "label": "AED (as written)",
                        "query": "AED"}


def test_latin_token_unknown_to_the_index_is_not_kept_as_written():
    """A Latin word absent from the index is never offered as itself."""
    assert "latin" not in [e["source"] for e in expand_query_term("ppp", VOCAB)]


# --------------------------------------------------------------------------- pinyin


def test_parse_pinyin_tone_marks_and_numbers():
    """Marks are recorded at their vowel, numbers where their syllable ends; ü is v."""
    assert parse_pinyin("lājī") == ("laji", frozenset({(1, 1), (3, 1)}), frozenset())
    assert parse_pinyin("la4ji1") == ("laji", frozenset(), frozenset({(2, 4), (4, 1)}))
    assert parse_pinyin("lǜ")[0] == "lv"


def test_segment_pinyin():
    """Unspaced pinyin splits into the fewest syllables; English words usually do not."""
    assert segment_pinyin("zongqinghou") == ["zong", "qing", "hou"]
    assert segment_pinyin("lajifenlei") == ["la", "ji", "fen", "lei"]
    assert segment_pinyin("english") is None


@pytest.mark.parametrize("words", [["laji"], ["lājī"], ["la4ji1"], ["la1ji1"], ["LAJI"]])
def test_pinyin_variants_give_the_same_word(words):
    """With or without tone marks or numbers (even a wrong tone), laji → 垃圾."""
    assert terms(expand_query(words, VOCAB)) == ["垃圾"]
    assert expand_query(words, VOCAB)[0]["source"] == "pinyin"


@pytest.mark.parametrize("words", [["laji", "fenlei"], ["lājī", "fēnlèi"], ["la1ji1", "fen1lei4"]])
def test_spaced_pinyin_words_each_find_their_word(words):
    """``laji fenlei``: 垃圾 then 分类, each for its word (the search wants both)."""
    pairs = [(e["query"], e["term"]) for e in expand_query(words, LIVE)]
    assert pairs == list(zip(words, ["垃圾", "分类"], strict=True))


def test_pinyin_words_with_one_reading_together_are_one_word():
    """``xiaofang anquan`` is the index word 消防安全, read whole."""
    entries = expand_query(["xiaofang", "anquan"], LIVE)
    assert [(e["query"], e["term"]) for e in entries] == [("xiaofang anquan", "消防安全")]


def test_compound_follows_the_typed_tones():
    """``zi2yuan2 jiao4shi4`` is 资源 + 教室 (jiàoshì), not the commoner 教师 (jiàoshī)."""
    vocab = TextVocab(VOCAB | {"资源", "教室", "教师"}, LIVE.text)
    assert terms(expand_query_term("zi2yuan2jiao4shi4", vocab)) == ["资源教室"]
    assert terms(expand_query_term("ziyuanjiaoshi", vocab)) == ["资源教师"]


def test_unspaced_pinyin_of_several_index_words_reads_as_one_phrase():
    """``lajifenlei`` is read as 垃圾 + 分类 and offered as the phrase 垃圾分类."""
    assert terms(expand_query_term("lajifenlei", LIVE)) == ["垃圾分类"]
    assert expand_query_term("lajifenlei", VOCAB) == []  # no text: no guessing


@pytest.mark.parametrize("words", [["zongqinghou"], ["zong", "qing", "hou"], ["Zōng", "Qìnghòu"]])
def test_pinyin_finds_peoples_names(words):
    """A person's name, spaced or not, with or without tones."""
    assert terms(expand_query(words, VOCAB)) == ["宗庆后"]


def test_names_outside_the_vocabulary_can_be_supplied():
    """Names the index cut into pieces (朱新民 → 朱 新民) are found when passed as names."""
    vocab = VOCAB | {"朱", "新民"}
    assert expand_query_term("zhuxinmin", vocab) == []
    assert terms(expand_query_term("zhuxinmin", vocab, names=("朱新民",))) == ["朱新民"]


def test_english_reading_ranks_before_pinyin():
    """``change`` is English and the pinyin of 嫦娥: the translations come first."""
    found = expand_query_term("change", VOCAB)
    assert [e["source"] for e in found] == ["cedict", "cedict", "pinyin"]
    assert found[-1]["term"] == "嫦娥"


@pytest.mark.parametrize("word", ["fang", "an", "Fang"])
def test_ambiguous_single_syllable_without_tone_is_not_read_as_pinyin(word):
    """``fang``/``an`` are English too: not expanded to every 方/房/放/芳 or 安/按/岸."""
    assert [e for e in expand_query_term(word, VOCAB) if e["source"] == "pinyin"] == []


def test_single_syllable_with_tone_reads_only_matching_characters():
    """``fang2`` is 房 only; ``fāng`` is 方 and 芳, not 房 or 放."""
    assert terms(expand_query_term("fang2", VOCAB)) == ["房"]
    assert set(terms(expand_query_term("fāng", VOCAB))) == {"方", "芳"}
    assert set(terms(expand_query_term("an4", VOCAB))) == {"按", "岸"}


def test_vocabulary_that_only_answers_in_uses_the_corpus_words():
    """The search passes a container with ``in`` only; pinyin still finds corpus words."""

    class SubstringVocab:
        """``in`` = substring of the normalised corpus text, like the search's vocabulary."""

        text = normalise(CORPUS.read_text(encoding="utf-8"))

        def __contains__(self, term: str) -> bool:
            return normalise(term) in self.text

    vocab = SubstringVocab()
    assert terms(expand_query_term("zongqinghou", vocab)) == ["宗庆后"]
    assert terms(expand_query_term("weixingban", vocab)) == ["卫星班"]
    assert terms(expand_query_term("satellite class", vocab))[0] == "卫星班"


def test_chinese_input_is_left_to_the_analyzer():
    """Han characters (Simplified or Traditional) are not expanded here."""
    assert expand_query_term("垃圾分類", VOCAB) == []


# --------------------------------------------------------------------------- Traditional


@pytest.mark.parametrize("traditional, simplified", [
    ("垃圾分類", "垃圾分类"), ("醫教結合", "医教结合"), ("消防安全", "消防安全"),
    ("衛星班", "卫星班"), ("融合教育", "融合教育"), ("健康上城", "健康上城"),
])
def test_traditional_query_normalises_to_the_simplified_text(traditional, simplified):
    """The analyzer's t2s normalisation maps Traditional queries onto the printed text."""
    assert normalise(traditional) == simplified
    assert query_words(traditional) == query_words(simplified)
    assert simplified in re.sub(r"\s", "", CORPUS.read_text(encoding="utf-8"))


def test_dictionary_senses_do_not_crowd_out_the_glossary():
    """``building`` alone keeps 党建 (glossary ``party building``) among CEDICT's senses,
    but not 楼长 (``building leader``: a building leader is no building)."""
    vocab = VOCAB | {"楼长", "建筑", "大楼", "楼宇", "房屋", "馆"}
    found = expand_query_term("building", vocab)
    assert "党建" in terms(found) and "楼长" not in terms(found)
    assert [e["source"] for e in found].count("cedict") >= bilingual.CEDICT_SLOTS


def test_spaced_syllables_of_several_words_read_as_one_phrase():
    """``la ji fen lei``: the run of syllables is read whole, as 垃圾 + 分类."""
    entries = expand_query(["la", "ji", "fen", "lei"], LIVE)
    assert [(e["query"], e["term"]) for e in entries] == [("la ji fen lei", "垃圾分类")]


def test_phrase_reading_with_wrong_tones_falls_back_to_words():
    """``fāng àn`` is not 方案 read whole if the tones disagree; the words go one by one."""
    vocab = VOCAB | {"方案"}
    assert terms(expand_query(["fāng", "àn"], vocab)) == ["方案"]
    assert "方案" not in terms(expand_query(["fáng", "ān"], vocab))


def test_english_key_folds_case_accents_width_and_punctuation():
    """One key for the many ways of typing the same English or pinyin."""
    assert english_key("All-for-One  Tourism") == "all for one tourism"
    assert english_key("People's") == "peoples"
    assert english_key("lājī") == "laji"
    assert english_key("ＡＥＤ") == "aed"


def test_a_cedict_character_gives_way_to_a_word():
    """``school``: 学校 and 学院 are offered, not 宗 or 校 (one sense of many, found everywhere)."""
    found = expand_query_term("school", frozenset({"学校", "学院", "宗", "校"}))
    assert terms(found) == ["学校", "学院"]


def test_a_cedict_character_stays_when_nothing_longer_fits():
    """With no word of its glosses in the index, the main-sense characters are offered,
    the one the corpus prints more often first."""
    assert terms(expand_query_term("school", frozenset({"宗", "校"}))) == ["校", "宗"]
