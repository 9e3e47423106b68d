"""Tokenizer invariants: ordinal positions, offsets into the original text, nothing dropped."""

from collections import Counter

import jieba
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer import CORPUS_DIR
from indexer.analysis import (
    jieba_spans,
    normalise,
    normalise_with_offsets,
    query_chars,
    query_words,
    span_to_original,
)
from indexer.parse import parse_corpus
from indexer.tokens import words

SAMPLE = "上城区配置AED设备40台，推进JCI认证。送教上门补贴費用；生活垃圾分类示范小区 ㈠ Ⅲ期"

# Corpus-like text plus characters whose normalisation changes length or case.
_ALPHABET = st.sampled_from(list("上城区送教上门补贴垃圾分类生活示范小區費用教育局"
                                 "AEDJCIaed0123456789 ，。、（）()《》“”\t\n") +
                            ["㈠", "Ⅲ", "ß", "ﬁ", "Ａ", "４", "臺", "灣", "\u3000"])
TEXTS = st.lists(_ALPHABET, max_size=40).map("".join)


def tokens(text: str, subwords: bool = True) -> list[tuple[int, str, int, int]]:
    """Return (pos, token, start, end) of every jieba token of ``text``: the token and its
    offsets into the printed text (mapped back from the normalised one)."""
    norm, origin = normalise_with_offsets(text)
    return [(pos, norm[s:e], *span_to_original(origin, s, e, len(text)))
            for pos, s, e in jieba_spans(norm, subwords)]


def test_sample_tokens_keep_latin_digits_and_single_characters():
    assert query_words(SAMPLE) == ["上", "城区", "配置", "aed", "设备", "40", "台", "推进", "jci",
                                   "认证", "送教", "上门", "补贴", "费用", "生活", "垃圾", "分类",
                                   "示范", "小区", "一", "iii", "期"]


def test_offsets_point_into_the_text_as_printed():
    for _, text, start, end in tokens(SAMPLE):
        assert normalise(SAMPLE[start:end]) == text or SAMPLE[start:end] in "㈠Ⅲ"
    spans = {text: SAMPLE[s:e] for _, text, s, e in tokens(SAMPLE)}
    assert spans["aed"] == "AED"
    assert spans["费用"] == "費用"
    assert spans["一"] == "㈠"
    assert spans["iii"] == "Ⅲ"


def test_search_mode_sub_words_only_in_the_index_and_at_their_word_position():
    text = "中华人民共和国"
    index = tokens(text)
    assert tokens(text, subwords=False) == [(0, "中华人民共和国", 0, 7)]
    assert index[0] == (0, "中华人民共和国", 0, 7)
    assert {t[1] for t in index[1:]} >= {"中华", "人民", "共和国"}
    assert all(pos == 0 and 0 <= s < e <= 7 and text[s:e] == t for pos, t, s, e in index)
    assert words(text) == Counter({t: 1 for _, t, _, _ in index})


@settings(max_examples=200, deadline=None)
@given(TEXTS)
def test_jieba_tokens_are_ordinal_and_map_back(text):
    toks = tokens(text)
    main = tokens(text, subwords=False)
    assert [pos for pos, *_ in main] == list(range(len(main)))
    assert {pos for pos, *_ in toks} == {pos for pos, *_ in main}
    for _, token, start, end in toks:
        assert 0 <= start < end <= len(text)
        assert token in normalise(text[start:end])
        assert any(ch.isalnum() for ch in token)


@settings(max_examples=200, deadline=None)
@given(TEXTS, TEXTS)
def test_normalise_is_per_character(a, b):
    assert normalise(a + b) == normalise(a) + normalise(b)
    norm, origin = normalise_with_offsets(a)
    assert norm == normalise(a)
    assert origin is None or len(origin) == len(norm)


def test_normalisation_folds_width_script_and_case():
    assert normalise("垃圾分類ＡＥＤ４０") == "垃圾分类aed40"
    assert query_words("垃圾分類") == query_words("垃圾分类")
    assert query_chars("徐 斌") == ["徐", "斌"]


def _whole_text_spans(norm: str) -> list[tuple[int, int, int]]:
    """The spans jieba gives ``norm`` cut whole (``jieba.tokenize``), with sub-words: the
    oracle of the block-by-block cut of :func:`jieba_spans`."""
    spans, pos = [], 0
    for word, start, end in jieba.tokenize(norm, HMM=True):
        if any(ch.isalnum() for ch in word):
            spans.append((pos, start, end))
            spans += [(pos, start + s, start + s + n) for n in (2, 3) if len(word) > n
                      for s in range(len(word) - n + 1) if jieba.dt.FREQ.get(word[s:s + n])]
            pos += 1
    return spans


def test_block_by_block_cut_equals_cutting_each_record_whole():
    records = [r for yb in parse_corpus(CORPUS_DIR) for r in yb.records]
    texts = [normalise(r["text"]) for r in records] + [normalise(SAMPLE)]
    assert len(texts) == 668
    for norm in texts:
        assert list(jieba_spans(norm, subwords=True)) == _whole_text_spans(norm), norm


@settings(max_examples=200, deadline=None)
@given(TEXTS)
def test_block_by_block_cut_equals_cutting_whole(text):
    norm = normalise(text)
    assert list(jieba_spans(norm, subwords=True)) == _whole_text_spans(norm)
