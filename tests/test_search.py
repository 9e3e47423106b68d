"""Search: ranked ids on the micro-corpus by query feature, then the real corpus.

Micro-corpus ids are written without their ``micro-2018-`` prefix.
"""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.queries import contains_whole
from indexer.analysis import normalise
from indexer.search import MAX_QUERY_CHARS, QueryError, highlight, parse_query
from indexer.tokens import searchable

PREFIX = "micro-2018-"


def ids(result: dict) -> list[str]:
    """Short ids of the hits of a micro-corpus result."""
    return [h["id"].removeprefix(PREFIX) for h in result["hits"]]


def all_ids(searcher, query: str, **params) -> list[str]:
    """Every hit id of a search, over all pages (pages of 100)."""
    found, page = [], 1
    while True:
        result = searcher.search(query, page=page, size=100, **params)
        found += [h["id"] for h in result["hits"]]
        if page >= result["pages"]:
            return found
        page += 1


# --------------------------------------------------------------------------- words


@pytest.mark.parametrize("query, expected", [
    ("送教上门", ["p2-3.6.4", "p2-3.6"]),          # whole word ranks the clause saying it twice
    ("送教 补贴", ["p2-3.6.4"]),                    # all words must match
    ("补贴", ["p2-3.6.4"]),
    ("提升分类水平", ["p1-4.3.3"]),                 # found through the section heading
    ("考核", ["p1-5"]),
    ("AED", ["p2-5.1"]),                            # Latin kept, full-width ＡＥＤ folded
    ("jci", ["p2-5.1"]),
    ("100元", ["p2-3.6.4"]),                        # digits kept
    ("垃圾分类", ["p1-pre", "p1-4.3.3", "t22-12", "p1-5", "p1-4.1"]),
    ("垃圾分類", ["p1-pre", "p1-4.3.3", "t22-12", "p1-5", "p1-4.1"]),  # Traditional
])
def test_words(micro, query, expected):
    assert ids(micro.search(query)) == expected


@pytest.mark.parametrize("query, expected", [
    ("宗庆后", ["t22-10", "t22-9", "p2-5.1"]),       # his award rows before a mention
    ("徐斌", ["t22-12"]),                            # printed "徐 斌"
    ("全国优秀工会工作者", ["t22-11"]),              # an honour
    ("上城区深入推进生活垃圾分类工作实施方案", ["p1-pre", "p1-4.3.3", "p1-4.1", "p1-5"]),
    ("区教育局", ["l1-13", "p2-3.6"]),               # a list entry's name
])
def test_exact_names_and_titles_come_first(micro, query, expected):
    assert ids(micro.search(query)) == expected


# --------------------------------------------------------------------------- phrases, OR, NOT


@pytest.mark.parametrize("query, expected", [
    ('"生活垃圾分类"', ["p1-pre", "p1-4.3.3"]),
    ('"垃圾分類"', ["p1-pre", "t22-12", "p1-4.3.3"]),
    ('"圾分类示"', []),
    ('"分类垃圾示范"', []),
    ('"徐 斌"', ["t22-12"]),
    ('"徐斌"', []),                                   # a phrase is exact, spaces included
    ('"送教上门" OR "督查"', ["p1-5", "p2-3.6.4"]),    # same tf, the shorter text first
    ("“生活垃圾分类”", ["p1-pre", "p1-4.3.3"]),       # Chinese quotation marks
])
def test_phrases(micro, query, expected):
    assert ids(micro.search(query)) == expected


@pytest.mark.parametrize("query, expected", [
    # the rarer 送教 weighs more; p1-4.1 matches through its document title only: last
    ("分类 OR 送教", ["p2-3.6.4", "p2-3.6", "p1-pre", "p1-4.3.3", "p1-5", "t22-12", "p1-4.1"]),
    ("垃圾 -督查", ["p1-pre", "p1-4.1", "p1-4.3.3", "t22-12"]),
    ('垃圾 -"生活垃圾"', ["p1-4.1", "t22-12", "p1-5"]),
])
def test_or_and_exclusion(micro, query, expected):
    assert ids(micro.search(query)) == expected


def test_fallback_to_partial_matches_is_announced(micro):
    result = micro.search("送教上门 宗庆后")
    assert ids(result) == ["p2-3.6.4", "p2-3.6", "p2-5.1", "t22-10", "t22-9"]
    assert result["interpretation"]["fallback"] is True
    assert result["interpretation"]["message_key"] == "fallback"
    assert micro.search("送教上门")["interpretation"]["fallback"] is False
    joined = micro.search("送教上门宗庆后")                # typed without a space
    assert ids(joined) == ["p2-3.6.4", "p2-3.6", "p2-5.1", "t22-10", "t22-9"]
    assert joined["interpretation"]["fallback"] is True


# --------------------------------------------------------------------------- filters, browse


@pytest.mark.parametrize("query, params, expected", [
    ("kind:award", {}, ["t22-9", "t22-10", "t22-11", "t22-12"]),   # browse: document order
    ("", {"kind": "award"}, ["t22-9", "t22-10", "t22-11", "t22-12"]),
    ("office:教育局", {}, ["p2-pre", "p2-3.6", "p2-3.6.4", "p2-5.1"]),
    # p2-3.6.4 says 送教 twice; p2-3.6 once, and once in its section heading
    ("doc:p2 送教", {}, ["p2-3.6.4", "p2-3.6"]),
    ("送教", {"year": 2017}, ["p2-3.6.4", "p2-3.6"]),
    ("送教", {"year": "2018"}, []),
    ("ref:生活垃圾分类管理规范", {}, ["p1-4.3.3"]),
    ("ref:《生活垃圾分类管理规范》", {}, ["p1-4.3.3"]),
    ("", {"doc": "l1"}, ["l1-13", "l1-14", "l1-15"]),
])
def test_filters_and_browsing(micro, query, params, expected):
    assert ids(micro.search(query, **params)) == expected


def test_empty_query_browses_everything_in_document_order(micro):
    result = micro.search("", size=100)
    assert result["total"] == 15
    assert [h["id"] for h in result["hits"]] == [r["id"] for r in micro.records()]


def test_sort_by_date_newest_first(micro):
    hits = micro.search("", kind="award", sort="date")["hits"]
    assert [h["date"] for h in hits] == ["2018-12", "2018-10", "2018-10", "2018-01"]
    assert ids({"hits": hits}) == ["t22-12", "t22-9", "t22-11", "t22-10"]


@pytest.mark.parametrize("params, key", [
    ({"doc": "nope"}, "unknown_doc"),
    ({"office": "不存在的单位"}, "unknown_office"),
    ({"year": 1999}, "no_year"),
    ({"year": "20x8"}, "bad_year"),
    ({"kind": "table"}, "bad_kind"),
    ({"page": 0}, "bad_page"),
    ({"size": 0}, "bad_size"),
    ({"size": 101}, "bad_size"),
    ({"sort": "random"}, "bad_sort"),
    ({"sort": "seq"}, "bad_sort"),
])
def test_bad_parameters_raise_query_error(micro, params, key):
    with pytest.raises(QueryError) as caught:
        micro.search("送教", **params)
    assert caught.value.key == key


def test_paging(micro):
    first = micro.search("", size=4, page=1)
    last = micro.search("", size=4, page=4)
    assert (first["total"], first["pages"], len(first["hits"]), len(last["hits"])) == (15, 4, 4, 3)
    assert micro.search("", size=4, page=9)["hits"] == []


# --------------------------------------------------------------------------- facets


def test_facets_count_the_whole_result_set(micro):
    facets = micro.search("", size=1)["facets"]
    assert [(b["value"], b["count"]) for b in facets["kind"]] == [
        ("clause", 8), ("award", 4), ("list", 3)]
    assert [(b["value"], b["count"]) for b in facets["year"]] == [("2018", 11), ("2017", 4)]
    assert facets["kind"][0]["label"] == "clause"      # interface words are the web app's
    assert not any(b["selected"] for name in facets for b in facets[name])


def test_a_selected_facet_keeps_its_siblings_and_is_marked(micro):
    facets = micro.search("", kind="award")["facets"]
    assert [(b["value"], b["count"], b["selected"]) for b in facets["kind"]] == [
        ("clause", 8, False), ("award", 4, True), ("list", 3, False)]
    assert [(b["value"], b["count"]) for b in facets["doc"]] == [("t22", 4)]


FACET_PARAM = {"doc": "doc", "year": "year", "office": "office", "kind": "kind",
               "level": "level", "person": "person", "yearbook": "yearbook"}


def assert_facets_match_filtered_totals(searcher, query: str, **params) -> int:
    """Check every facet bucket's count against the filtered search; return buckets checked."""
    checked = 0
    facets = searcher.search(query, **params)["facets"]
    for name, buckets in facets.items():
        for bucket in buckets:
            filtered = {**params, FACET_PARAM[name]: bucket["value"]}
            assert searcher.search(query, **filtered)["total"] == bucket["count"], (name, bucket)
            checked += 1
    return checked


@pytest.mark.parametrize("query, params", [
    ("", {}), ("垃圾", {}), ("宗庆后", {}), ("送教", {"kind": "clause"}), ('"分类"', {}),
])
def test_micro_facet_counts_equal_filtered_totals(micro, query, params):
    assert assert_facets_match_filtered_totals(micro, query, **params) > 0


# --------------------------------------------------------------------------- highlight, hits


def test_hit_fields(micro):
    hit = micro.search("补贴")["hits"][0]
    assert set(hit) == {"id", "kind", "doc_id", "doc_title", "section", "text", "highlight",
                        "date", "year", "offices"}
    assert hit["highlight"] == ("4.落实送教上门<mark>补贴</mark>费用。设立送教上门专项经费，"
                                "每人每课时<mark>补贴</mark>100元。")


def test_highlight_marks_the_printed_characters(micro):
    assert "<mark>ＡＥＤ</mark>" in micro.search("aed")["hits"][0]["highlight"]
    assert "《<mark>生活垃圾分类</mark>管理规范》" in micro.search('"生活垃圾分類"')["hits"][1][
        "highlight"]
    assert "<mark>徐 斌</mark>" in micro.search("徐斌")["hits"][0]["highlight"]


def test_highlight_escapes_html_and_maps_traditional_offsets():
    assert highlight("a<b>垃圾分類&", ["垃圾分类"]) == "a&lt;b&gt;<mark>垃圾分類</mark>&amp;"
    assert highlight("第㈠条", ["(一)"]) == "第<mark>㈠</mark>条"


def test_long_texts_become_snippets_around_the_matches():
    text = "甲" * 300 + "送教上门" + "乙" * 300
    snippet = highlight(text, ["送教上门"])
    assert snippet == "…" + "甲" * 40 + "<mark>送教上门</mark>" + "乙" * 40 + "…"


def test_record_docs_and_doc(micro):
    assert micro.record("micro-2018-t22-9")["persons"] == ["宗庆后"]
    assert micro.record("nope") is None
    assert [d["id"] for d in micro.docs()] == ["p1", "p2", "t22", "l1"]
    assert micro.doc("p2")["year"] == 2017 and micro.doc("nope") is None


# --------------------------------------------------------------------------- hostile input


@pytest.mark.parametrize("query, total, ignored", [
    ('"', 0, ['"']),
    ("((", 0, ["(("]),
    ("AND", 0, ["AND"]),
    ("OR", 0, ["OR"]),
    ("office:", 0, ["office:"]),
    ("-", 0, ["-"]),
    ('""', 0, ['""']),
    ("*?~^", 0, ["*?~^"]),
    ("\x00\x01", 0, ["\\x00\\x01"]),
    ("\ud800", 0, ["\\ud800"]),
    ("送教\ud800上门", 2, ["\\ud800"]),
    ('"送教上门', 2, ['"']),
    ("OR 送教", 2, ["OR"]),
    ("送教 OR", 2, ["OR"]),
    ("送教 AND 补贴", 1, ["AND"]),
    ("-office:p1 送教", 2, ["-office:p1"]),
    ("--送教", 13, []),
    ("\t\n", 15, []),
    ("", 15, []),
    ("http://x.y/送教", 2, []),                       # a literal word; partial matches
])
def test_hostile_queries_are_read_literally_or_ignored(micro, query, total, ignored):
    result = micro.search(query)
    assert result["total"] == total
    assert [i["text"] for i in result["interpretation"]["ignored"]] == ignored


@pytest.mark.parametrize("query, key", [
    ("送" * (MAX_QUERY_CHARS + 1), "query_too_long"),
    ("a" * 10_000, "query_too_long"),
    ("year:abc", "bad_year"),
    ("kind:foo", "bad_kind"),
    ("doc:nope", "unknown_doc"),
])
def test_hostile_queries_rejected_with_a_key(micro, query, key):
    with pytest.raises(QueryError) as caught:
        micro.search(query)
    assert caught.value.key == key


def test_markup_in_queries_never_reaches_the_page(micro):
    for hit in micro.search("<script>alert(1)</script> 送教")["hits"]:
        assert "<script>" not in hit["highlight"]


def test_parse_query_structure():
    parsed = parse_query('垃圾 "分类 示范" OR 送教 -督查 year:2018 kind:')
    assert [[(a.kind, a.text) for a in g] for g in parsed.groups] == [
        [("word", "垃圾")], [("phrase", "分类 示范"), ("word", "送教")]]
    assert [(a.kind, a.text) for a in parsed.excluded] == [("word", "督查")]
    assert parsed.filters == [("year", "2018")]
    assert parsed.ignored == [{"text": "kind:", "key": "empty_filter",
                               "params": {"field": "kind"}}]


# --------------------------------------------------------------------------- real corpus


def test_real_send_teaching_home_finds_the_subsidy_clause_first(searcher):
    hits = searcher.search("送教上门")["hits"]
    assert "送教上门补贴" in hits[0]["text"]


def test_real_waste_sorting_phrase_finds_the_plan(searcher):
    result = searcher.search('"生活垃圾分类"')
    plan = [d for d in searcher.docs() if "生活垃圾分类工作实施方案" in d["title"]]
    assert len(plan) == 1
    assert result["hits"][0]["doc_id"] == plan[0]["id"]
    assert all("生活垃圾分类" in h["text"] for h in result["hits"])
    assert [h["doc_id"] for h in result["hits"]].count(plan[0]["id"]) >= 5


def test_real_zong_qinghou_lists_his_award_rows_first(searcher):
    rows = {r["id"] for r in searcher.records()
            if r["kind"] == "award" and "宗庆后" in r.get("persons", [])}
    assert len(rows) >= 4
    hits = all_ids(searcher, "宗庆后")
    assert set(hits[:len(rows)]) == rows


def test_real_absent_phrase_finds_nothing(searcher):
    assert searcher.search('"分类垃圾示范"')["total"] == 0


@pytest.mark.parametrize("query, params", [
    ("", {}), ("垃圾分类", {}), ("教育", {}), ('"浙江省"', {}), ("宗庆后", {}),
    ("", {"kind": "award"}),
])
def test_real_facet_counts_equal_filtered_totals(searcher, query, params):
    assert assert_facets_match_filtered_totals(searcher, query, **params) > 0


@st.composite
def substrings(draw, records):
    """A 2–8 character substring of a random record text (no quote characters)."""
    text = draw(st.sampled_from(records))["text"]
    size = draw(st.integers(2, min(8, len(text))))
    start = draw(st.integers(0, len(text) - size))
    return text[start:start + size]


QUOTES = set('"“”＂「」')


@pytest.mark.parametrize("query, total", [
    ("5万", 1), ('"5万"', 1), ("20", 15), ("1", 90), ("2018年", 240)])
def test_numbers_match_whole(searcher, query, total):
    """A match never begins or ends inside a longer number: 5万 is not 15万 or 50万, 20 is
    not in 2020, 1 not in 2017 — for words and quoted phrases alike."""
    from indexer.analysis import exact_key
    from indexer.tokens import searchable

    unit = query.strip('"')
    if query.startswith('"'):
        strings = {r["id"]: [normalise(r["text"])] for r in searcher.records()}
    else:
        strings = {r["id"]: [searchable(r), exact_key(r["doc_title"] or "")]
                   for r in searcher.records()}
    expected = {rid for rid, texts in strings.items()
                if any(contains_whole(text, unit) for text in texts)}
    found = all_ids(searcher, query)
    assert (set(found), len(found)) == (expected, total)


def test_grep_oracle_quoted_substrings_return_exactly_the_records_containing_them(searcher):
    """The oracle is substring search with digit boundaries: no match begins or ends inside
    a longer number."""
    records = [r for r in searcher.records() if len(r["text"]) >= 2]
    norm = {r["id"]: normalise(r["text"]) for r in searcher.records()}

    @settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
    @given(substrings([r for r in records if r["kind"] == "clause"] + records))
    def check(sub):
        if QUOTES & set(sub) or not sub.strip():
            return
        expected = {rid for rid, text in norm.items() if contains_whole(text, normalise(sub))}
        assert set(all_ids(searcher, f'"{sub}"')) == expected

    check()


# --------------------------------------------------------------------------- bilingual seam


def test_unknown_latin_words_are_expanded_below_direct_matches(micro):
    result = micro.search("zongqinghou")
    assert ids(result)[:2] == ["t22-10", "t22-9"]
    assert {e["term"] for e in result["interpretation"]["expansions"]} >= {"宗庆后"}
    assert micro.search("aed")["interpretation"]["expansions"] == []   # in the index


def test_a_run_of_words_is_expanded_as_one_unit(micro):
    result = micro.search("Zong Qinghou")
    assert ids(result)[:2] == ["t22-10", "t22-9"]
    assert [e["word"] for e in result["interpretation"]["expansions"]] == ["Zong Qinghou"]
    # tones; an expansion finds and ranks what its Chinese term typed would (issue 12 §1)
    assert ids(micro.search("lājī")) == ids(micro.search("垃圾"))


# ------------------------------------------------------------- what happened (issue 5 §4)
#
# drop_expansions: the web app's noexp=<term>; accented Latin words; words that read as
# English and as pinyin.


def terms(result: dict, key: str = "expansions") -> list[str]:
    """The Chinese terms of the expansions (or ``dropped``) of a result."""
    return [e["term"] for e in result["interpretation"][key]]


@pytest.mark.parametrize("drop, kept, dropped", [
    (None, ["垃圾", "生活垃圾"], []),
    (["垃圾"], ["生活垃圾"], ["垃圾"]),
    # dropped ones are listed in expansion order, whatever the order given
    (["生活垃圾", "垃圾"], [], ["垃圾", "生活垃圾"]),
    ({"生活垃圾", "垃圾"}, [], ["垃圾", "生活垃圾"]),
])
def test_drop_expansions_searches_without_them(micro, drop, kept, dropped):
    """What is kept finds what those Chinese terms typed with OR would (the order may differ
    by the expansions' whole-name boosts); nothing if none is kept."""
    result = micro.search("garbage", drop_expansions=drop)
    assert sorted(ids(result)) == (sorted(ids(micro.search(" OR ".join(kept)))) if kept else [])
    assert (terms(result), terms(result, "dropped")) == (kept, dropped)
    assert result["interpretation"]["ignored"] == []


def test_a_dropped_expansion_keeps_its_word_and_label(micro):
    result = micro.search("garbage sorting", drop_expansions=["垃圾分类"])
    assert result["total"] == 0
    assert result["interpretation"]["dropped"] == [
        {"word": "garbage sorting", "term": "垃圾分类", "source": "glossary",
         "query": "garbage sorting", "label": "garbage sorting → 垃圾分类"}]
    assert result["interpretation"]["terms"] == ["garbage", "sorting"]


@pytest.mark.parametrize("drop", [["垃圾分類"], [" 垃圾 分类 "], ["垃圾分类", "垃圾分类"],
                                  ["垃\x00圾分类"], ["", "\ud800", "垃圾分类"]])
def test_dropped_terms_are_compared_normalised(micro, drop):
    """Traditional, spaced, repeated or control-laden spellings drop the same term."""
    result = micro.search("garbage sorting", drop_expansions=drop)
    assert (result["total"], terms(result, "dropped")) == (0, ["垃圾分类"])
    assert result["interpretation"]["ignored"] == []


def test_a_term_that_is_no_expansion_is_ignored_with_a_reason(micro):
    result = micro.search("送教", drop_expansions=["补贴", "垃圾"])
    assert ids(result) == ["p2-3.6.4", "p2-3.6"]
    assert result["interpretation"]["ignored"] == [
        {"text": "补贴", "key": "not_an_expansion", "params": {}},
        {"text": "垃圾", "key": "not_an_expansion", "params": {}}]
    assert result["interpretation"]["dropped"] == []


@pytest.mark.parametrize("drop, key, params", [
    ("垃圾", "bad_drop", {"value": "str"}),
    (5, "bad_drop", {"value": "int"}),
    ([1], "bad_drop", {"value": "list"}),
    (["x"] * 21, "drop_too_many", {"max": 20, "n": 21}),
    (["x" * 10_000], "drop_too_long", {"max": 100, "n": 10_000}),
])
def test_bad_drop_expansions_raise_query_error(micro, drop, key, params):
    with pytest.raises(QueryError) as caught:
        micro.search("garbage", drop_expansions=drop)
    assert (caught.value.key, caught.value.params) == (key, params)


@pytest.mark.parametrize("params, key, values, message", [
    ({"doc": "nope"}, "unknown_doc", {"value": "nope"}, "unknown_doc {'value': 'nope'}"),
    ({"year": "20x8"}, "bad_year", {"value": "20x8"}, "bad_year {'value': '20x8'}"),
    ({"page": 0}, "bad_page", {"value": 0}, "bad_page {'value': 0}"),
    ({"sort": "random"}, "bad_sort", {"choices": "relevance, date", "value": "random"},
     "bad_sort {'choices': 'relevance, date', 'value': 'random'}"),
])
def test_query_errors_carry_a_key_and_parameters(micro, params, key, values, message):
    """The search layer words nothing: ``str(err)`` is the key and parameters, for logs."""
    with pytest.raises(QueryError) as caught:
        micro.search("送教", **params)
    assert (caught.value.key, caught.value.params, str(caught.value)) == (key, values, message)


def test_the_fallback_message_has_a_key_and_parameters(micro):
    interp = micro.search("送教 督查")["interpretation"]
    assert (interp["message_key"], interp["message_params"]) == ("fallback", {"terms": "送教 督查"})
    assert "message" not in interp
    assert micro.search("")["interpretation"]["message_key"] == "browse"
    assert micro.search("((")["interpretation"]["message_key"] == "nothing"
    assert micro.search("送教")["interpretation"]["message_key"] is None


def test_an_accented_latin_word_is_one_token(micro):
    """Tone-marked pinyin is not cut into letters: no letter matches the corpus's Latin."""
    result = micro.search("lājī", drop_expansions=["垃圾"])
    assert (result["total"], result["interpretation"]["terms"]) == (0, ["lājī"])
    assert result["interpretation"]["fallback"] is False
    assert micro.search("bǎibèi")["total"] == 0


def test_real_english_and_pinyin_at_once_does_not_drown(searcher):
    """``an`` finds only the records printing Latin ``an`` (the corpus's stray "and");
    ``fang`` finds nothing rather than every 方/房/放; a tone or the next syllable makes
    it pinyin, with at most two readings of the lone syllable."""
    holding = [r["id"] for r in searcher.records()
               if "an" in "".join(normalise(" ".join([r["text"], r["doc_title"] or "",
                                                      *r["section"]])).split())]
    an = searcher.search("an", size=100)
    assert sorted(h["id"] for h in an["hits"]) == sorted(holding) == [
        "shangcheng-2018.20180801.1.3", "shangcheng-2018.20181208.2.2"]
    assert an["interpretation"]["expansions"] == []
    fang = searcher.search("fang")
    assert (fang["total"], fang["interpretation"]["expansions"]) == (0, [])
    assert fang["interpretation"]["ignored"] == [{
        "text": "fang", "key": "pinyin_held_back", "params": {"word": "fang"}}]
    assert terms(searcher.search("fang1")) == terms(searcher.search("fāng")) == ["方", "坊"]
    assert terms(searcher.search("fang an")) == ["方案"]
    assert terms(searcher.search("an4")) == ["按"]


def test_real_drop_expansion_of_garbage_sorting(searcher):
    kept = searcher.search("garbage sorting")
    gone = searcher.search("garbage sorting", drop_expansions=["垃圾分类"])
    assert (kept["total"], terms(kept), terms(kept, "dropped")) == (30, ["垃圾分类"], [])
    assert kept["total"] == searcher.search("垃圾分类")["total"]
    assert (gone["total"], terms(gone), terms(gone, "dropped")) == (0, [], ["垃圾分类"])


@given(st.text(alphabet="垃圾分类徐斌20185万.", min_size=1, max_size=5))
@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
def test_candidates_then_exact_check_find_exactly_the_records_holding_a_string(micro, needle):
    """The character postings give a superset; after the check, ``holds`` agrees with a
    scan of every record's searchable string (whole numbers only)."""
    backend = micro.backend
    expected = any(contains_whole(searchable(r), needle) for r in backend.records())
    assert backend.holds(needle) == expected


@pytest.mark.parametrize("query, held_back", [
    ("fang", ["fang"]), ("men fang", ["men", "fang"]), ("fang an", []), ("fang1", []),
    ("fāng", []), ("an", ["an"]), ("zongqinghou", []), ("xyz", []), ("AED", [])])
def test_words_read_as_english_and_one_syllable_say_so(micro, query, held_back):
    """Only unknown words left unexpanded for that reason are noted."""
    ignored = micro.search(query)["interpretation"]["ignored"]
    assert [(i["text"], i["key"]) for i in ignored] == [(w, "pinyin_held_back") for w in held_back]


@given(st.text(alphabet="徐斌 \t\u3000a㈠(一)", max_size=30),
       st.text(alphabet="徐斌a(一) ", min_size=1, max_size=4))
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
def test_highlight_spans_match_the_needle_with_spaces_between_its_characters(text, needle):
    """Normalised.find_all finds what a regex allowing whitespace between the needle's
    characters finds in the normalised text (left to right, not overlapping)."""
    import re

    from indexer.search import Normalised

    squeezed = "".join(needle.split())
    if not squeezed:
        return
    prepared = Normalised.of(text)
    pattern = re.compile(r"\s*".join(map(re.escape, squeezed)))
    assert list(prepared.find_all(squeezed)) == \
        [m.span() for m in pattern.finditer(prepared.norm)]


def test_no_character_normalises_to_nothing():
    """Highlighting reads equal lengths of a text and its normalised form as one
    character for each (``Normalised.of``); that needs every character to normalise to at
    least one. Unassigned and private-use characters normalise to themselves."""
    import sys
    import unicodedata

    chars = "".join(ch for ch in map(chr, range(sys.maxunicode + 1))
                    if unicodedata.category(ch) not in ("Cn", "Co", "Cs"))
    assert [ch for ch in chars if not normalise(ch)] == []


@pytest.mark.parametrize("query, params", [
    ("社区", {}), ("垃圾分类", {"sort": "date"}), ("教育", {"kind": "clause"}),
    ("laji fenlei", {}), ("消防安全 街道办事处", {}),
])
def test_ranked_lists_every_hit_in_order_with_its_document(searcher, query, params):
    """What a grouped page reads of every hit: the ids in the search's order (the paged
    search is the oracle) and each record's document."""
    ranked = searcher.ranked(query, **params)
    assert [rid for rid, _doc in ranked] == all_ids(searcher, query, **params)
    assert [doc for _rid, doc in ranked] == [searcher.record(rid)["doc_id"] for rid, _ in ranked]
    page = searcher.search(query, size=3, **params)["hits"]
    assert searcher.hits([hit["id"] for hit in page], query) == page
