"""Similar wording across a collection (issue 15): boilerplate measured per year, numbers
folded, links kept up to date as yearbooks are added, a clause's history and a draft
checked paragraph by paragraph. Expectations on the Yuhang fixtures (three consecutive
yearbooks, tests/fixtures/yuhang/) and on small made-up collections."""

from pathlib import Path

import pytest

from bench import wording
from indexer import CORPUS_DIR, similar
from indexer.parse import parse_corpus

YUHANG = wording.FIXTURES
REUSED = "加快再生资源回收网络建设，深化推广“互联网+再生资源回收”模式，打通回收处置产业链。"
FORMULA = "经区楼宇经济发展领导小组认定，给予符合条件的企业一次性奖励。"


def clause(cid: str, year: int, doc: str, text: str) -> dict:
    """A clause record with the keys the links read."""
    return {"id": cid, "kind": "clause", "yearbook": cid.split(".")[0], "doc_id": doc,
            "doc_title": doc, "section": [], "section_key": cid.rsplit(".", 1)[-1],
            "text": text, "date": f"{year}-03-01", "year": year}


def pairs(links: dict) -> set[tuple[str, str]]:
    """The linked pairs, each sorted."""
    return {tuple(sorted((a, lk["id"]))) for a, ls in links.items() for lk in ls}


@pytest.fixture(scope="module")
def collection_records() -> list[dict]:
    """The 2018 corpus and the three Yuhang yearbooks."""
    yearbooks = parse_corpus(CORPUS_DIR) + parse_corpus(YUHANG)
    return [r for yb in yearbooks for r in yb.records]


@pytest.fixture(scope="module")
def collection_links(collection_records) -> dict:
    return similar.build_links(collection_records)


def test_sentence_reused_in_four_yearbooks_links_all_four():
    records = [clause(f"d{y}.1", y, f"d{y}", f"{lead}{REUSED}")
               for y, lead in ((2018, "一是"), (2019, "二要"), (2020, "三是"), (2021, "同时"))]
    assert pairs(similar.build_links(records, stock=[])) == {
        ("d2018.1", "d2019.1"), ("d2018.1", "d2020.1"), ("d2018.1", "d2021.1"),
        ("d2019.1", "d2020.1"), ("d2019.1", "d2021.1"), ("d2020.1", "d2021.1")}


def test_set_formula_in_many_clauses_of_one_year_does_not_link():
    subjects = ("对新引进的总部企业", "对首次上规的企业", "对新认定的税收亿元楼宇",
                "对引进的高层次人才", "对实施智能化改造的楼宇", "对境内外上市的企业")
    records = [clause(f"p.{n}", 2019, "p", s + FORMULA) for n, s in enumerate(subjects)]
    records.append(clause("q.1", 2020, "q", "对新引进的总部企业" + FORMULA))
    assert similar.build_links(records, stock=[]) == {}


def test_reused_sentence_survives_many_documents_across_years():
    # once a year for eight years: rare in every year, so linked everywhere
    records = [clause(f"d{y}.1", y, f"d{y}", REUSED) for y in range(2014, 2022)]
    links = similar.build_links(records, stock=[])
    assert len(pairs(links)) == 8 * 7 // 2


def test_corpus_sentence_reused_in_four_yearbooks(collection_links):
    holders = ["shangcheng-2018.20180919.4.1.4", "yuhang-2019.20190315.2.3",
               "yuhang-2020.20200310.2.3", "yuhang-2021.20210305.2.3"]
    linked = pairs(collection_links)
    assert [(a, b) for n, a in enumerate(holders) for b in holders[n + 1:]
            if tuple(sorted((a, b))) not in linked] == []


def test_fixture_formula_policy_clauses_are_not_linked(collection_links):
    policy = [f"yuhang-2019.20190520.1.{n}" for n in range(1, 7)]
    assert [rid for rid in policy if rid in collection_links] == []


def test_revised_numbers_link_with_both_scores():
    a = clause("a.1", 2019, "a", "到2019年底，创建省级生活垃圾分类示范小区20个、市级示范小区40个。")
    b = clause("b.1", 2020, "b", "到2020年底，创建省级生活垃圾分类示范小区30个、市级示范小区60个。")
    link = similar.build_links([a, b], stock=[])["a.1"][0]
    assert (link["id"], link["score"]) == ("b.1", 1.0)
    # as printed only 年底创建省级生活垃圾分类示范小区 (16 of 33 characters) is a long
    # enough shared run: 个、市级示范小区 (7) is shorter than MIN_SECONDARY
    assert link["exact_score"] == round(16 / 33, 3)
    assert [(p["text"], b["text"][p["b_start"]:p["b_end"]]) for p in link["shared"]] == [
        (a["text"][:-1], b["text"][:-1])]


def test_adding_yearbooks_one_by_one_equals_a_full_build(collection_records):
    yearbooks = parse_corpus(CORPUS_DIR) + parse_corpus(YUHANG)
    collection = similar.new_collection()
    for yearbook in yearbooks:
        collection.add(yearbook.records)
    assert collection.link_lists() == similar.build_links(collection_records)


def test_addition_that_makes_a_passage_boilerplate_unlinks_older_clauses():
    first = [clause("a.1", 2019, "a", "甲" + REUSED), clause("b.1", 2019, "b", "乙" + REUSED)]
    collection = similar.Collection(similar.new_collection().index)
    collection.add(first)
    assert pairs(collection.link_lists()) == {("a.1", "b.1")}
    more = [clause(f"{d}.1", 2019, d, d + REUSED) for d in ("c", "e", "f")]
    stats = collection.add(more)
    assert stats["rechecked"] == 1
    assert collection.link_lists() == {} == similar.build_links(first + more)


def test_history_oldest_first_with_the_first_wording(collection_links, collection_records):
    by_id = {r["id"]: r for r in collection_records}
    record = by_id["yuhang-2021.20210305.2.3"]
    hist = similar.history(record, collection_links[record["id"]])
    assert [(e["id"], e["date"]) for e in hist["entries"]] == [
        ("shangcheng-2018.20180919.4.1.4", "2018-09-19"),
        ("yuhang-2019.20190315.2.3", "2019-03-15"),
        ("yuhang-2020.20200310.2.3", "2020-03-10")]
    assert hist["first"] == "shangcheng-2018.20180919.4.1.4"
    own = by_id["yuhang-2019.20190520.1.1"]
    assert similar.history(own, []) == {"entries": [], "first": own["id"]}


def test_diff_makes_a_changed_number_one_change():
    diff = similar.diff_segments("创建示范小区20个以上，投入600万元",
                                 "创建示范小区30个以上，投入200万元")
    assert diff["b"] == [
        {"op": "equal", "text": "创建示范小区", "number": False},
        {"op": "insert", "text": "30个", "number": True},
        {"op": "equal", "text": "以上，投入", "number": False},
        {"op": "insert", "text": "200万元", "number": True}]
    mixed = similar.diff_segments("到2019年底创建餐厅15家。全面推行无纸化办公。（责任单位",
                                  "到2020年底创建餐厅20家。推广使用可循环快递包装。（责任单位")
    assert [(s["text"], s["number"]) for s in mixed["b"] if s["op"] == "insert"] == [
        ("2020年", True), ("20家", True), ("。推广使用可循环快递包装", False)]
    assert similar.number_changes("到2019年底完成20个。", "到2020年底完成30个，新增5家。") == [
        {"a": "2019年", "b": "2020年"}, {"a": "20个", "b": "30个"}, {"a": None, "b": "5家"}]


def test_wording_history_evaluation_on_the_labels():
    result = wording.evaluate()
    assert (result["predicted"], result["expected"]) == (35, 35)
    assert (result["wrong"], result["missed"]) == ([], [])


def test_short_clause_revised_inside_its_sentence_still_links():
    # 缓解居民小区和医院周边停车难问题 → 缓解居民小区、医院和学校周边停车难问题: no run of
    # 20 characters survives, but the shared passages cover most of the short clause
    a = clause("a.1", 2020, "a", "3. 新增公共停车泊位2000个，缓解居民小区和医院周边停车难问题。")
    b = clause("b.1", 2021, "b",
               "1. 新增公共停车泊位2500个，缓解居民小区、医院和学校周边停车难问题。")
    link = similar.build_links([a, b], stock=[])["a.1"][0]
    assert [p["text"] for p in link["shared"]] == ["新增公共停车泊位2000个，缓解居民小区"]
    assert link["score"] == round(16 / 26, 3)  # of the shorter clause's 26 characters
    c = clause("c.1", 2021, "c", "新增公共停车泊位2500个，全面推进智慧停车系统建设和运营管理。")
    assert similar.build_links([a, c], stock=[]) == {}


@pytest.fixture(scope="module")
def model(collection_records) -> similar.Collection:
    """The paste index of the corpus and the fixtures."""
    return similar.build_model(collection_records)


def texts_of(records: list[dict], *ids: str) -> list[str]:
    by_id = {r["id"]: r for r in records}
    return [by_id[i]["text"] for i in ids]


TWO = ("shangcheng-2018.20180919.4.5.1", "yuhang-2020.20200408.1.4")


def test_draft_paragraphs_each_find_their_clause(model, collection_records):
    first, second = texts_of(collection_records, *TWO)
    report = similar.check_draft(f"{first}\n\n  {second}\n", model)
    assert [(p["n"], p["text"]) for p in report["paragraphs"]] == [(1, first), (2, second)]
    best = [p["hits"][0] for p in report["paragraphs"]]
    assert [(h["id"], h["score"], h["clause_score"]) for h in best] == [
        (TWO[0], 1.0, 1.0), (TWO[1], 1.0, 1.0)]
    assert report["truncated"] is False


def test_two_verbatim_clauses_in_one_paragraph_each_score_fully_against_the_clause(
        model, collection_records):
    first, second = texts_of(collection_records, *TWO)
    hits = similar.check_draft(first + second, model)["paragraphs"][0]["hits"]
    assert [(h["id"], h["clause_score"]) for h in hits[:2]] == [(TWO[0], 1.0), (TWO[1], 1.0)]
    total = similar.normalise(first + second, fold_numbers=True).length
    assert hits[0]["score"] == round(similar.normalise(first).length / total, 3)


def test_revised_draft_reports_the_changed_numbers(model):
    draft = ("到2022年底，全区生活垃圾分类小区覆盖率保持100%，创建省级生活垃圾分类示范小区50个、"
             "市级生活垃圾分类示范小区90个，生活垃圾回收利用率达到60%以上，资源化利用率达到100%，"
             "无害化处理率保持100%，力争创建全省乃至全国示范城区。")
    hit = similar.check_draft(draft, model)["paragraphs"][0]["hits"][0]
    assert (hit["id"], hit["score"]) == ("yuhang-2021.20210305.1", 1.0)
    assert hit["exact_score"] < 1.0
    assert hit["numbers"] == [{"a": "2021年", "b": "2022年"}, {"a": "40个", "b": "50个"},
                              {"a": "80个", "b": "90个"}, {"a": "55%", "b": "60%"}]


def test_a_pasted_stock_phrase_is_still_found(model):
    phrase = "以习近平新时代中国特色社会主义思想为指导"  # in corpus/stock_phrases.tsv
    hits = similar.check_draft(phrase, model)["paragraphs"][0]["hits"]
    assert [(h["score"], h["shared"][0]["text"]) for h in hits[:2]] == [(1.0, phrase)] * 2


def test_long_draft_is_cut_at_a_paragraph_and_says_so(model):
    line = "加强组织领导，研究解决推进中的重大问题。" * 20  # 400 characters
    draft = "\n".join([line] * 60)
    report = similar.check_draft(draft, model)
    kept = similar.MAX_DRAFT // (len(line) + 1)
    assert report["truncated"] is True
    assert len(report["paragraphs"]) == kept
    assert report["checked_chars"] == kept * (len(line) + 1) - 1
    assert (report["total_chars"], report["total_paragraphs"]) == (len(draft), 60)


def test_saved_collection_takes_a_further_yearbook_like_a_full_build(tmp_path):
    yearbooks = parse_corpus(CORPUS_DIR) + parse_corpus(YUHANG)
    older = [r for yb in yearbooks[:-1] for r in yb.records]
    similar.write_links(older, tmp_path / "similar.json")
    links = similar.load_links(tmp_path / "similar.json")["links"]
    collection = similar.load_collection(tmp_path / similar.INDEX_FILE, older, links)
    collection.add(yearbooks[-1].records)
    assert collection.link_lists() == similar.build_links(older + yearbooks[-1].records)


def test_saved_index_answers_like_the_built_one(tmp_path, collection_records, model):
    similar.save_index(model, tmp_path / "ix.npz")
    loaded = similar.load_collection(tmp_path / "ix.npz", collection_records)
    draft = texts_of(collection_records, TWO[1])[0]
    assert similar.match(loaded, draft, 3) == similar.match(model, draft, 3)


def test_build_adding_yearbooks_extends_the_previous_links(tmp_path):
    from indexer.build import build

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for path in [*CORPUS_DIR.glob("*.txt"), CORPUS_DIR / "offices.tsv"]:
        (corpus / path.name).write_bytes(path.read_bytes())
    first = build(corpus, tmp_path / "var")
    assert (first["similar"]["incremental"], first["similar"]["added"]) == (False, 299)
    for path in YUHANG.glob("*.txt"):
        (corpus / path.name).write_bytes(path.read_bytes())
    second = build(corpus, tmp_path / "var")
    assert (second["similar"]["incremental"], second["similar"]["added"]) == (True, 55)
    fresh = build(corpus, tmp_path / "fresh")
    assert fresh["similar"]["incremental"] is False
    read = [similar.load_links(Path(meta["path"]) / "similar.json")["links"]
            for meta in (second, fresh)]
    assert read[0] == read[1]
    assert second["similar"]["pairs"] == fresh["similar"]["pairs"] == 58
    revised = corpus / "yuhang-yearbook-2021.txt"
    revised.write_text(revised.read_text(encoding="utf-8").replace("25家", "26家"),
                       encoding="utf-8")
    third = build(corpus, tmp_path / "var")
    assert (third["similar"]["incremental"], third["similar"]["added"]) == (False, 354)
