"""Tests of indexer.parse on the real yearbook and on the hand-written one in tests/fixtures/.

Oracles: exact counts, titles, offices and names read off the source by hand; clause texts
checked against the source itself (nothing lost, nothing invented); ids compared across
builds and file orders.
"""

import json
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from indexer import CORPUS_DIR
from indexer.parse import (
    ParseError,
    clean_title,
    ends_sentence,
    numbering,
    parse_corpus,
    parse_file,
    parse_text,
    records_to_jsonl,
    split_names,
    summary,
)

CORPUS = CORPUS_DIR / "shangcheng-yearbook-2018.txt"
FIXTURES = Path(__file__).parent / "fixtures"
FIXTURE = FIXTURES / "xiacheng-yearbook-2019.txt"

GOV = "杭州市上城区人民政府办公室"
PARTY = "中共杭州市上城区委办公室"

#: (id, title, date, canonical offices, effective, valid until) of the eight documents.
POLICIES = [
    ("shangcheng-2018.20180620", "杭州市上城区特殊教育提升计划(2017—2020)", "2018-06-20",
     [GOV], "2018-07-20", None),
    ("shangcheng-2018.20180801", "中共杭州市上城区委关于加强新时代城市基层党建工作的实施意见",
     "2018-08-01", [PARTY], None, None),
    ("shangcheng-2018.20180814", "上城区创建浙江省全域旅游示范区行动计划(2018—2020)",
     "2018-08-14", [GOV], None, None),
    ("shangcheng-2018.20180905", "上城区深入推进“凤凰行动”更好服务实体经济扶持政策",
     "2018-09-05", [GOV], "2018-10-07", "2020-12-31"),
    ("shangcheng-2018.20180919", "上城区深入推进生活垃圾分类工作实施方案", "2018-09-19",
     [PARTY, GOV], None, None),
    ("shangcheng-2018.20180930", "上城区拥江发展四年行动计划(2018—2021年)", "2018-09-30",
     [GOV], None, None),
    ("shangcheng-2018.20181107", "关于加强消防安全社会治理的指导意见", "2018-11-07",
     [PARTY, GOV], None, None),
    ("shangcheng-2018.20181208", "关于推进健康上城建设的实施意见", "2018-12-08",
     [PARTY, GOV], None, None),
]

THIRD_CLASS_MERIT = (
    "罗天佑 徐斌 严国庆 曹天艳 程艳 赵志年 孙南萍 李秀荣 李晋 郑士奇 袁洲航 魏静 全红军 王晓杭 "
    "彭强 许勇强 翁梦娇 汪建兵 葛宁儿 徐晨 任斌 江澜 徐艳 李建峰 康丽 袁翠玉 徐枫 方亚新 梁冬之 "
    "郑国伟 张帆 郦俊 李漪 高珊 华红梅 赵赛平 韩彬 陈勇 贾宝德 吴亮 潘葛亮 顾联华 孟晓雁 孙敏 "
    "罗传宝 李盛恺 郑旭鹰 何毅 范宏昌 苏晓敏 李瑞雪 王政 杜汉德 吴征宇 钱炯 张少泽 董蕾 甘建军 "
    "管勇 傅怡 王海铭 张进宏 顾磊 孙治国 郑华锋 严峻 董剑豪 陈银生 何平 方金 李军"
).split()


@pytest.fixture(scope="module")
def yearbook():
    """The real yearbook, parsed once for the module."""
    return parse_file(CORPUS)


@pytest.fixture(scope="module")
def small():
    """The hand-written test yearbook, parsed once for the module."""
    return parse_file(FIXTURE)


def _records(yearbook, **match):
    """Return the records whose fields equal all of ``match``."""
    return [r for r in yearbook.records if all(r.get(k) == v for k, v in match.items())]


def _doc(yearbook, doc_id):
    """Return the doc with id ``doc_id``."""
    return next(d for d in yearbook.docs if d["id"] == doc_id)


# ---------------------------------------------------------------------------- real corpus


def test_yearbook_identity(yearbook):
    """Yearbook id and title come from the file name."""
    assert yearbook.id == "shangcheng-2018"
    assert yearbook.title == "Shangcheng Yearbook 2018"


def test_eight_policy_documents(yearbook):
    """Exact ids, titles (stray spaces removed), dates, canonical offices and validity."""
    policies = [d for d in yearbook.docs if d["kind"] == "policy"]
    got = [(d["id"], d["title"], d["date"], d["offices"], d["effective"], d["valid_until"])
           for d in policies]
    assert got == POLICIES


def test_offices_raw_keep_the_printed_form(yearbook):
    """The office printed without the city prefix is canonicalised, the raw form kept."""
    doc = _doc(yearbook, "shangcheng-2018.20180620")
    assert doc["offices_raw"] == ["上城区人民政府办公室"]
    assert doc["offices"] == [GOV]


def test_cited_documents(yearbook):
    """A document's cites pair titles with the numbers printed after them, digits kept."""
    cites = _doc(yearbook, "shangcheng-2018.20180905")["cites"]
    assert cites[:2] == [
        {"title": "浙江省人民政府关于印发浙江省推进企业上市和并购重组“凤凰行动”计划的通知",
         "number": "浙政发〔2017〕40号"},
        {"title": "杭州市人民政府关于全面落实“凤凰行动”计划的实施意见",
         "number": "杭政〔2018〕14号"},
    ]
    assert {"title": "杭州市上城区人民政府关于进一步推动企业利用资本市场加快发展的实施意见",
            "number": "上政函〔2014〕75号"} in cites
    # A title split by a page break is cited whole.
    garbage = _doc(yearbook, "shangcheng-2018.20180919")["cites"]
    assert garbage[1]["number"] == "市委办发〔2018〕12号"
    assert "\n" not in garbage[1]["title"] and "生活垃圾分类工作实施方案" in garbage[1]["title"]


def test_award_rows_per_table(yearbook):
    """Every row of 表19–24, continuations merged, repeated headers dropped."""
    counts = Counter(r["table"] for r in yearbook.records if r["kind"] == "award")
    assert counts == {19: 36, 20: 68, 21: 12, 22: 11, 23: 53, 24: 31}
    assert sum(counts.values()) == 211
    assert not [r for r in yearbook.records if r["kind"] == "award"
                and r["unit"] in ("获奖部门", "获奖单位")]


def test_table_titles_and_levels(yearbook):
    """Table titles are the lines before 表 N; levels come from them."""
    tables = [(d["table"], d["title"], d["level"]) for d in yearbook.docs if d["kind"] == "table"]
    assert tables == [
        (19, "2018年度上城区获国家级和部级先进集体荣誉", "national"),
        (20, "2018年度上城区获省级和省属部门先进集体荣誉", "provincial"),
        (21, "2018年度上城区获市级先进集体荣誉", "municipal"),
        (22, "2018年度上城区获国家级和部级先进个人荣誉", "national"),
        (23, "2018年度上城区获省级和省属部门级先进个人荣誉", "provincial"),
        (24, "2018年度上城区获市级先进个人荣誉", "municipal"),
    ]
    individual = [d["individual"] for d in yearbook.docs if d["kind"] == "table"]
    assert individual == [False, False, False, True, True, True]


def test_award_row_fields(yearbook):
    """Unit, persons (two people; a family stays one), honour, awarders, date."""
    row = _records(yearbook, id="shangcheng-2018.t23.4")[0]
    assert (row["unit"], row["persons"], row["date"], row["year"], row["line"]) == (
        "区人武部", ["陈珂", "魏玉璋"], "2018-08", 2018, 246)
    assert row["awarders"] == row["offices"] == ["浙江省人民政府", "浙江省军区"]
    assert row["honour"] == "浙江省第一届民兵岗位练兵大比武网络专业第一名"
    assert row["text"] == ("区人武部 陈珂 魏玉璋 浙江省第一届民兵岗位练兵大比武网络专业第一名 "
                           "浙江省人民政府、浙江省军区 2018年8月")
    assert _records(yearbook, id="shangcheng-2018.t22.2")[0]["persons"] == ["朱强荣家庭"]
    assert _records(yearbook, id="shangcheng-2018.t19.1")[0]["persons"] == []


def test_awarders_split_printed_and_canonical(yearbook):
    """Awarding bodies split on 、: ``awarders`` and the text keep them as printed (issue 11
    §A), ``offices`` holds their canonical names through the alias table."""
    row = _records(yearbook, table=19, unit="清波街道张能庆公益服务站")[0]
    assert row["awarders"] == ["共青团中央", "中央文明办", "民政部", "水利部",
                               "国家卫生健康委员会", "中国残疾人联合会", "中国志愿服务联合会"]
    assert row["offices"] == ["共青团中央", "中央精神文明建设指导委员会办公室", "民政部", "水利部",
                              "国家卫生健康委员会", "中国残疾人联合会", "中国志愿服务联合会"]
    assert "中央文明办" in row["text"] and "中央精神文明建设指导委员会办公室" not in row["text"]
    women = _records(yearbook, id="shangcheng-2018.t22.3")[0]
    assert "全国妇联" in women["awarders"] and "中华全国妇女联合会" in women["offices"]
    offices = {a for r in _records(yearbook, kind="award") for a in r["offices"]}
    assert {a for a in offices if "共青团浙江" in a} == {"共青团浙江省委员会"}
    printed = {a for r in _records(yearbook, kind="award") for a in r["awarders"]}
    assert {a for a in printed if "共青团浙江" in a} == {"共青团浙江省委", "共青团浙江省委员会"}


def test_continued_table_rows_follow_on(yearbook):
    """Row numbers run on over a 续表: 表19 row 13 is the first row after the first 续表."""
    row = _records(yearbook, id="shangcheng-2018.t19.13")[0]
    assert (row["unit"], row["line"]) == ("区委组织部官方微博“上城先锋”", 28)


def test_third_class_merit_names(yearbook):
    """The 71 names of the list, padded two-character names read as one person."""
    doc = next(d for d in yearbook.docs if d["title"] == "2017年度上城区记三等功公务员")
    entries = _records(yearbook, doc_id=doc["id"])
    assert [e["name"] for e in entries] == THIRD_CLASS_MERIT
    assert {"徐斌", "程艳", "李军"} <= {e["name"] for e in entries}
    assert {e["entry_type"] for e in entries} == {"person"}
    assert {e["heading"] for e in entries} == {"三等功公务员"}


def test_comprehensive_assessment_units(yearbook):
    """11 units under 综合考评先进单位, the unit split by a page break whole."""
    units = [r["name"] for r in _records(yearbook, kind="list", heading="综合考评先进单位")]
    assert units == ["区市场监督管理局", "区财政局", "区公安分局", "区发改经信局",
                     "区行政审批服务办公室", "区人力资源和社会保障局", "区委统战部", "区民政局",
                     "区风景旅游局", "小营街道", "清波街道"]


def test_list_headings_and_sources(yearbook):
    """Sub-headings (plain, bold, on the title line) and the attribution of each part."""
    lists = {d["title"]: d for d in yearbook.docs if d["kind"] == "list"}
    assert len(lists) == 9
    assert lists["2017年度上城区综合考评先进集体"]["headings"] == [
        "综合考评优胜单位", "综合考评先进单位", "市对区创新奖", "区直单位创新奖", "进位显著奖",
        "意见整改成效显著奖"]
    assert lists["2017年度上城区非综合考评先进单位"]["headings"] == [
        "非综合考评优胜单位", "非综合考评先进单位"]
    assert lists["上城区记个人三等功人员"]["headings"] == []
    assert {d["source"] for d in lists.values()} == {"年鉴编辑部"}
    assert {r["source"] for r in _records(yearbook, kind="list")} == {"年鉴编辑部"}
    single = _records(yearbook, doc_id=lists["2017年上城区政府质量奖单位"]["id"])
    assert [(r["name"], r["entry_type"]) for r in single] == [
        ("杭州金通公共自行车科技股份有限公司", "unit")]
    person = _records(yearbook, doc_id=lists["上城区记个人三等功人员"]["id"])
    assert [(r["id"], r["name"], r["entry_type"]) for r in person] == [
        ("shangcheng-2018.l7.0.1", "王如林", "person")]


def test_clause_ids_and_sections(yearbook):
    """Readable ids: doc date + numbering path, -2 for further paragraphs, .0 and .end."""
    by_id = {r["id"]: r for r in _records(yearbook, kind="clause")}
    doc = "shangcheng-2018.20180919"
    for suffix, start in (("", "一是要实行分级管理"), ("-2", "二是要优化分类方式"),
                          ("-3", "三是要完善分类设施")):
        clause = by_id[f"{doc}.4.3.3{suffix}"]
        assert clause["section"] == ["四、工作任务", "(三) 提升分类水平", "3.铺开阶段抓方式方法"]
        assert clause["section_key"] == "4.3.3"
        assert clause["text"].startswith(start)
    assert f"{doc}.4.3.3-4" not in by_id
    assert by_id["shangcheng-2018.20180620.0"]["section_key"] == ""
    assert by_id["shangcheng-2018.20180620.0"]["section"] == []
    assert by_id["shangcheng-2018.20180620.end"]["text"] == "本计划自2018年7月20日起实施。"
    assert by_id["shangcheng-2018.20180905.end"]["text"].startswith("本政策自2018年10月7日起施行")


def test_run_in_headings(yearbook):
    """Run-in headings label the clause whose text is the whole paragraph."""
    by_id = {r["id"]: r for r in _records(yearbook, kind="clause")}
    clause = by_id["shangcheng-2018.20180620.3.1.1"]
    assert clause["section"][-1] == "1.打造纵向融合教育网络"
    assert clause["text"].startswith("1.打造纵向融合教育网络。以学校、康复中心")
    assert by_id["shangcheng-2018.20180919.2.1"]["section"][-1] == "(一) 强化责任落实"
    assert by_id["shangcheng-2018.20180801.3.1"]["section"][-1] == "(一) 加强组织领导"
    assert by_id["shangcheng-2018.20181208.4.2"]["section"][-1] == "(二) 落实经费, 加大投入"
    # Heading levels lie: a ## line numbered (一) is depth 2, under 三、.
    assert by_id["shangcheng-2018.20180620.3.2.1"]["section"][:2] == [
        "三、主要措施", "(二)构建医教结合一体化服务体系,提升特殊教育专业服务能力"]
    # A heading-only line without # (followed by deeper numbering) is no clause.
    assert "shangcheng-2018.20180620.3.1" not in by_id


def _source_lines(path):
    """The source lines of ``path``."""
    return Path(path).read_text(encoding="utf-8").splitlines()


def _body_lines(yearbook, doc):
    """Return ``(line number, text)`` of the non-blank body lines of a policy ``doc``."""
    lines = _source_lines(yearbook.path)
    end = next(n for n in range(doc["line"] + 1, len(lines) + 1)
               if lines[n - 1].strip() == doc["offices_raw"][0])
    return [(n, lines[n - 1].strip()) for n in range(doc["line"] + 1, end) if lines[n - 1].strip()]


@pytest.mark.parametrize(
    ("path", "plain_headings"),
    [(CORPUS, [422]), (FIXTURE, [69, 99, 105, 117])],
    ids=["corpus", "fixture"],
)
def test_clauses_cover_every_body_character(path, plain_headings):
    """Per document, the clause texts in order are exactly the body minus its headings.

    Headings are the ``#`` lines and the numbered lines without ``#`` that only title the
    deeper numbering below them: those are listed here by hand.
    """
    yearbook = parse_file(path)
    skipped = []
    for doc in (d for d in yearbook.docs if d["kind"] == "policy"):
        clauses = _records(yearbook, doc_id=doc["id"])
        starts = {c["line"] for c in clauses}
        labels = {s["label"] for s in doc["sections"]}
        body = ""
        for number, text in _body_lines(yearbook, doc):
            text = text.replace("**", "")
            if text.startswith("#"):
                continue
            if text.rstrip("。") in labels and number not in starts:
                skipped.append(number)
                continue
            body += text
        assert "".join(c["text"] for c in clauses) == body, doc["id"]
    assert skipped == plain_headings


def test_clause_texts_occur_in_source(yearbook):
    """Every clause text is in the source once blank lines and line breaks are undone."""
    flat = "".join(re.sub(r"^#+\s*", "", line.strip()).replace("**", "")
                   for line in _source_lines(CORPUS))
    for clause in _records(yearbook, kind="clause"):
        assert clause["text"] in flat, clause["id"]


def test_page_breaks_repaired(yearbook):
    """No clause keeps a page-break split; each split phrase is inside exactly one clause."""
    clauses = _records(yearbook, kind="clause")
    for phrase in ("为残疾学生提供适性的职业指导", "特奥融合教育学校、幼儿园", "给予10万元补助。",
                   "把基层党组织建设成为", "小区绿地地下公共停车库"):
        assert sum(phrase in c["text"] for c in clauses) == 1, phrase
    assert [c["id"] for c in clauses if not ends_sentence(c["text"])] == []
    assert not [c for c in clauses if c["text"].startswith(("生提供", "学校、幼儿园", "10万元"))]


def _clause_view(yearbook):
    """The clauses of ``yearbook`` as (id, section, key, text): what a page break must keep."""
    return [(r["id"], r["section"], r["section_key"], r["text"])
            for r in yearbook.records if r["kind"] == "clause"]


CORPUS_TEXT = CORPUS.read_text(encoding="utf-8")


def _inside_latin(line, k):
    """True when cutting ``line`` at ``k`` splits a Latin run: an ASCII letter or digit,
    then an ASCII letter (where ``run_on`` must guess a space)."""
    before, after = line[k - 1], line[k]
    return before.isascii() and before.isalnum() and after.isascii() and after.isalpha()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_any_new_page_break_is_repaired(yearbook, data):
    """Property: breaking any clause line mid-sentence (blank line between) changes nothing.

    Never between a Latin letter or digit and a Latin letter: a break there cannot be told
    from one between two words (``Smart`` / ``City``), which run on with a space, so
    ``S`` / ``C0608-02`` would read ``S C0608-02``. Print breaks Latin text between words.
    """
    lines = CORPUS_TEXT.split("\n")
    starts = sorted({r["line"] for r in yearbook.records if r["kind"] == "clause"})
    number = data.draw(st.sampled_from(starts))
    line = lines[number - 1]
    # Cut where the printed text (bold marks aside) is mid-sentence, never inside a mark.
    cuts = [k for k in range(1, len(line.rstrip()))
            if not ends_sentence(line[:k].replace("**", "")) and numbering(line[k:]) is None
            and not any(c.isspace() or c == "*" for c in line[k - 1 : k + 1])
            and not _inside_latin(line, k)]
    cut = data.draw(st.sampled_from(cuts))
    lines[number - 1] = line[:cut] + "\n\n" + line[cut:]
    broken = parse_text("\n".join(lines), CORPUS)
    assert _clause_view(broken) == _clause_view(yearbook)


def _name_cuts(line):
    """Positions of spaces in a name line where both sides keep two or more whole names."""
    cuts = []
    for k in (k for k, char in enumerate(line) if char == " "):
        try:
            before, after = split_names(line[:k]), split_names(line[k:])
        except ValueError:
            continue
        if len(before) > 1 and len(after) > 1:
            cuts.append(k)
    return cuts


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_any_new_page_break_in_a_list_is_repaired(yearbook, data):
    """Property: a page break inside a list of units or names changes no entry.

    Both parts keep a separator (、 or several names): a fragment without one, next to a
    plain sub-heading line, cannot be told from a sub-heading (see the README).
    """
    lines = CORPUS_TEXT.split("\n")
    entry_lines = sorted({r["line"] for r in _records(yearbook, kind="list")})
    number = data.draw(st.sampled_from(entry_lines))
    line = lines[number - 1].rstrip()
    if "、" in line:
        cuts = [k for k in range(1, len(line)) if "、" in line[:k] and "、" in line[k:]]
    else:
        cuts = _name_cuts(line)
    assume(cuts)
    cut = data.draw(st.sampled_from(cuts))
    lines[number - 1] = line[:cut] + "\n\n" + line[cut:]
    broken = parse_text("\n".join(lines), CORPUS)

    def view(parsed):
        return [(r["id"], r["heading"], r["name"], r["entry_type"], r["source"])
                for r in _records(parsed, kind="list")]

    assert view(broken) == view(yearbook)


def test_offices_and_dates_not_joined(yearbook):
    """The offices and the date at a document's end are never part of a clause."""
    for clause in _records(yearbook, kind="clause"):
        assert not re.search(r"办公室\s*\d{4}年", clause["text"])
        assert not clause["text"].endswith("日") or "起" in clause["text"]


def test_record_fields(yearbook):
    """Every record has the contract's keys, plus its kind's keys."""
    common = {"id", "kind", "yearbook", "doc_id", "doc_title", "section", "text", "date", "year",
              "offices", "refs", "seq", "line"}
    extra = {"clause": {"section_key"},
             "award": {"table", "table_title", "level", "unit", "persons", "honour", "awarders"},
             "list": {"list_title", "heading", "name", "entry_type", "source"}}
    for record in yearbook.records:
        assert set(record) == common | extra[record["kind"]], record["id"]
    assert [r["seq"] for r in yearbook.records] == list(range(1, len(yearbook.records) + 1))
    for doc in yearbook.docs:
        assert doc["record_ids"] == [r["id"] for r in yearbook.records if r["doc_id"] == doc["id"]]


def test_ids_unique_and_stable(yearbook):
    """Ids are unique and equal across two builds; records survive a JSON round trip."""
    ids = [r["id"] for r in yearbook.records] + [d["id"] for d in yearbook.docs]
    assert len(ids) == len(set(ids))
    again = parse_file(CORPUS)
    assert [r["id"] for r in again.records] == [r["id"] for r in yearbook.records]
    assert again.records == yearbook.records and again.docs == yearbook.docs
    jsonl = records_to_jsonl(yearbook)
    assert [json.loads(line) for line in jsonl.splitlines()] == yearbook.records
    assert json.loads(json.dumps(yearbook.docs, ensure_ascii=False)) == yearbook.docs


def test_file_order_does_not_change_ids(tmp_path, yearbook, small):
    """Parsing a folder gives each yearbook the ids it has when parsed alone."""
    shutil.copy(CORPUS, tmp_path / CORPUS.name)
    shutil.copy(FIXTURE, tmp_path / FIXTURE.name)
    shutil.copy(CORPUS_DIR / "offices.tsv", tmp_path / "offices.tsv")
    parsed = {y.id: [r["id"] for r in y.records] for y in parse_corpus(tmp_path)}
    assert list(parsed) == ["shangcheng-2018", "xiacheng-2019"]
    assert parsed["shangcheng-2018"] == [r["id"] for r in yearbook.records]
    assert parsed["xiacheng-2019"] == [r["id"] for r in small.records]


def test_summary_counts(yearbook):
    """The summary prints counts per kind and per document."""
    text = summary(yearbook)
    assert "records: award 211, clause 299, list 157, total 667" in text
    assert "documents: list 9, policy 8, table 6" in text
    assert re.search(r"shangcheng-2018\.t20\s+table\s+award 68", text)
    assert re.search(r"shangcheng-2018\.20180919\s+policy\s+clause 28", text)


# ---------------------------------------------------------------------------- test yearbook


def test_small_yearbook_docs(small):
    """Docs of the hand-written yearbook: ids (same date → a/b by title), titles, offices."""
    got = [(d["id"], d["kind"], d["title"], d["offices"]) for d in small.docs]
    assert got == [
        ("xiacheng-2019.t5", "table", "2019年度下城区获省级先进集体荣誉",
         ["浙江省文化厅", "浙江省财政厅", "浙江省档案局", "中共浙江省委", "浙江省人民政府"]),
        ("xiacheng-2019.l1", "list", "2018年度下城区综合考评先进单位", []),
        ("xiacheng-2019.t6", "table", "2019年度下城区获市级先进个人荣誉",
         ["杭州市人民政府办公厅", "杭州市妇女联合会"]),
        ("xiacheng-2019.l2", "list", "2018年度下城区优秀公务员", []),
        ("xiacheng-2019.l3", "list", "下城区见义勇为人员", []),
        ("xiacheng-2019.20190220", "policy", "下城区数字经济发展三年行动计划（2019—2021年）",
         ["中共杭州市下城区委办公室", "杭州市下城区人民政府办公室"]),
        ("xiacheng-2019.20190508b", "policy", "关于加强社区养老服务的通知",
         ["杭州市下城区人民政府办公室"]),
        ("xiacheng-2019.20190508a", "policy", "下城区垃圾分类工作要点",
         ["杭州市下城区人民政府办公室"]),
    ]
    plan = _doc(small, "xiacheng-2019.20190220")
    assert (plan["date"], plan["effective"], plan["valid_until"]) == (
        "2019-02-20", "2019-03-01", "2021-12-31")
    assert plan["cites"] == [
        {"title": "浙江省数字经济五年倍增计划", "number": "浙政发〔2018〕3号"},
        {"title": "杭州市数字经济第一城行动计划", "number": "市委发〔2018〕29号"},
        {"title": "下城区信息经济发展计划", "number": "下政办〔2016〕7号"},
    ]
    # (1), (2) and 2、 are numbered sentences (clauses), not headings of the contents.
    assert [(s["key"], s["depth"]) for s in plan["sections"]] == [
        ("1", 1), ("2", 1), ("2.1", 2), ("2.1.1", 3), ("2.2", 2), ("3", 1)]


def test_small_yearbook_awards(small):
    """A table continued twice; a table whose columns come in another order; awarding
    bodies as printed, their canonical names in ``offices``."""
    got = [(r["id"], r["unit"], r["persons"], r["honour"], r["awarders"], r["date"], r["level"])
           for r in _records(small, kind="award")]
    assert got == [
        ("xiacheng-2019.t5.1", "区文化馆", [], "浙江省文化示范单位", ["浙江省文化厅"], "2019-03",
         "provincial"),
        ("xiacheng-2019.t5.2", "区图书馆", [], "浙江省优秀图书馆(县、市、区)",
         ["浙江省文化厅", "浙江省财政厅"], "2019-11", "provincial"),
        ("xiacheng-2019.t5.3", "区档案馆", [], "浙江省档案工作先进集体", ["浙江省档案局"],
         "2019-06", "provincial"),
        ("xiacheng-2019.t5.4", "长庆街道", [], "浙江省平安街道", ["中共浙江省委", "浙江省政府"],
         "2019-12", "provincial"),
        ("xiacheng-2019.t6.1", "区人民医院", ["周敏", "钱小红"], "杭州市优秀医生",
         ["杭州市政府办公厅"], "2019-05", "municipal"),
        ("xiacheng-2019.t6.2", "区妇联", ["吴晓东家庭"], "杭州市最美家庭", ["杭州市妇女联合会"],
         "2019-08", "municipal"),
    ]
    assert _records(small, id="xiacheng-2019.t5.4")[0]["offices"] == ["中共浙江省委",
                                                                       "浙江省人民政府"]
    assert _records(small, id="xiacheng-2019.t6.1")[0]["offices"] == ["杭州市人民政府办公厅"]


def test_small_yearbook_lists(small):
    """Units split by a page break, a title with its sub-heading, padded names, sources."""
    got = [(r["id"], r["heading"], r["name"], r["entry_type"], r["source"], r["line"])
           for r in _records(small, kind="list")]
    assert got == [
        ("xiacheng-2019.l1.1.1", "综合考评优胜单位", "区教育局", "unit", "年鉴编辑部", 24),
        ("xiacheng-2019.l1.1.2", "综合考评优胜单位", "区卫生健康局", "unit", "年鉴编辑部", 24),
        ("xiacheng-2019.l1.1.3", "综合考评优胜单位", "区人力资源和社会保障局", "unit", "年鉴编辑部",
         24),
        ("xiacheng-2019.l1.1.4", "综合考评优胜单位", "武林街道", "unit", "年鉴编辑部", 26),
        ("xiacheng-2019.l1.2.1", "综合考评进步单位", "区民政局", "unit", "年鉴编辑部", 30),
        ("xiacheng-2019.l1.2.2", "综合考评进步单位", "区老龄工作委员会办公室(区、街道联办)", "unit",
         "年鉴编辑部", 30),
        ("xiacheng-2019.l2.1.1", "优秀公务员", "王平", "person", "年鉴编辑部", 48),
        ("xiacheng-2019.l2.1.2", "优秀公务员", "李建国", "person", "年鉴编辑部", 48),
        ("xiacheng-2019.l2.1.3", "优秀公务员", "赵丽", "person", "年鉴编辑部", 48),
        ("xiacheng-2019.l2.1.4", "优秀公务员", "孙晓明", "person", "年鉴编辑部", 48),
        ("xiacheng-2019.l2.1.5", "优秀公务员", "陈刚", "person", "年鉴编辑部", 49),
        ("xiacheng-2019.l2.1.6", "优秀公务员", "周一", "person", "年鉴编辑部", 49),
        ("xiacheng-2019.l3.0.1", None, "刘洋", "person", "年鉴编辑部", 53),
    ]


def test_small_yearbook_clauses(small):
    """Exact clauses: (1) depth, a page break before 10%, closing paragraphs, preambles."""
    got = [(r["id"], r["section"], r["text"]) for r in _records(small, kind="clause")]
    plan = "xiacheng-2019.20190220"
    task = ["二、主要任务", "（一）培育数字产业"]
    software = [*task, "1.壮大软件产业"]
    assert got == [
        (f"{plan}.0", [], "为加快数字经济发展，根据《浙江省数字经济五年倍增计划》"
         "（浙政发［2018］3号）和《杭州市数字经济第一城行动计划》(市委发(２０１８)29号)精神，"
         "制定本计划。"),
        (f"{plan}.1", ["一、发展目标"], "到2021年，全区数字经济核心产业增加值年均增长15%以上。"),
        (f"{plan}.2.1.1", software, "1.壮大软件产业。支持骨干软件企业做大做强。"),
        (f"{plan}.2.1.1.1", [*software, "(1)"], "(1)对新认定的重点软件企业，给予一次性奖励。"),
        (f"{plan}.2.1.1.2", [*software, "(2)"],
         "(2)对软件企业研发投入给予补助，补助比例不超过研发投入的10%。"),
        (f"{plan}.2.1.2", [*task, "2、"], "2、发展数字内容产业。"),
        (f"{plan}.2.2", ["二、主要任务", "（二）优化数字生态"],
         "（二）优化数字生态。完善数据开放共享机制，建设区级数据平台。"),
        (f"{plan}.3", ["三、保障措施"], "加强组织领导，建立联席会议制度。"),
        (f"{plan}.end", [], "本计划自2019年3月1日起施行，有效期至2021年12月31日止。"),
        (f"{plan}.end-2", [], "原《下城区信息经济发展计划》（下政办〔2016〕7号）同时废止。"),
        ("xiacheng-2019.20190508b.0", [], "各街道、区级各部门："),
        ("xiacheng-2019.20190508b.1.1", ["一、总体要求", "(一)指导思想"],
         "(一)指导思想。以人民为中心，完善社区养老服务体系。"),
        ("xiacheng-2019.20190508b.1.2", ["一、总体要求", "(二)基本原则"],
         "(二)基本原则。政府主导，社会参与。"),
        ("xiacheng-2019.20190508b.2.1", ["二、具体措施", "1、扩大服务供给"],
         "1、扩大服务供给。每个街道建设一家示范型居家养老服务中心。"),
        ("xiacheng-2019.20190508a.1", ["一、工作目标"],
         "一、工作目标。全区生活垃圾分类覆盖率达到100%。"),
        ("xiacheng-2019.20190508a.2.1", ["二、工作措施", "(一)加强宣传"],
         "(一)加强宣传。开展垃圾分类进社区活动。"),
    ]
    refs = _records(small, id=f"{plan}.0")[0]["refs"]
    assert refs == ["浙江省数字经济五年倍增计划", "浙政发〔2018〕3号",
                    "杭州市数字经济第一城行动计划", "市委发〔2018〕29号"]


# ---------------------------------------------------------------------------- errors


def _write(tmp_path, text, name="test-yearbook-2020.txt"):
    """Write a yearbook ``text`` (and the corpus alias table) into ``tmp_path``; return it."""
    shutil.copy(CORPUS_DIR / "offices.tsv", tmp_path / "offices.tsv")
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


HEADER = "获奖部门\t先进荣誉(称号)\t颁奖单位\t颁奖时间\n"


@pytest.mark.parametrize(
    ("text", "warnings", "kept"),
    [
        ("前言\n\n先进集体\n", [(1, "before the first part heading")],
         [("test-2020.u0.x1", "前言")]),
        ("先进集体\n\n市级荣誉\n\n表 1\n\n" + HEADER + "区教育局\t先进\t杭州市人民政府\n",
         [(8, "row has 3 cells")], [("test-2020.t1.x1", "区教育局\t先进\t杭州市人民政府")]),
        ("先进集体\n\n续表 3\n\n" + HEADER + "区教育局\t先进\t杭州市人民政府\t2020年1月\n",
         [(3, "续表 3 without 表 3"), (5, "without 表 3"), (6, "without 表 3")],
         [("test-2020.u1.x1", "续表 3"), ("test-2020.u1.x2", HEADER.strip()),
          ("test-2020.u1.x3", "区教育局\t先进\t杭州市人民政府\t2020年1月")]),
        ("先进集体\n\n荣誉\n\n表 1\n\n" + HEADER + "区教育局\t先进\t杭州市人民政府\t2020年1月\n",
         [(3, "no award level")], []),
        ("先进集体\n\n市级荣誉\n\n表 1\n\n" + HEADER + "区教育局\t先进\t杭州市人民政府\t2020年\n",
         [(8, "is not YYYY年M月")],
         [("test-2020.t1.x1", "区教育局\t先进\t杭州市人民政府\t2020年")]),
        ("先进个人\n\n【名单】\n\n王 平 李\n", [(5, "cannot read the names")],
         [("test-2020.l1.x1", "王 平 李")]),
        ("先进集体\n\n一段说明文字。\n", [(3, "cannot place")],
         [("test-2020.u1.x1", "一段说明文字。")]),
        ("文件辑录\n\n某某通知\n\n一、要求。加强领导。\n", [(3, "without a date line")], []),
        ("文件辑录\n\n某某通知\n\n一、要求。加强领导。\n\n2020年1月2日\n",
         [(7, "no issuing office")], []),
        ("文件辑录\n\n某某通知\n\n## 要求\n\n加强领导。\n\n区政府办公室\n\n2020年1月2日\n",
         [(5, "without section numbering")], [("test-2020.20200102.x1", "要求")]),
    ],
    ids=["text-before-part", "short-row", "orphan-continuation", "no-level", "bad-date",
         "stray-character", "stray-paragraph", "no-date", "no-office", "unnumbered-heading"],
)
def test_unplaceable_input_is_kept_and_warned(tmp_path, text, warnings, kept):
    """Input no rule places is kept as an ``unplaced`` record of the document it sits in
    and listed as a warning naming the file and the line; the rest is read."""
    path = _write(tmp_path, text)
    yearbook = parse_file(path)
    assert [(w["file"], w["line"]) for w in yearbook.warnings] == [
        (str(path), line) for line, _ in warnings]
    for warning, (_, message) in zip(yearbook.warnings, warnings, strict=True):
        assert message in warning["message"]
    assert [(r["id"], r["text"]) for r in yearbook.records if r.get("unplaced")] == kept


def test_unplaced_lines_keep_the_rest(tmp_path):
    """A stray paragraph between two tables costs nothing else: both tables are read, the
    row numbers run on, the paragraph is a record of the table it follows."""
    row = "区教育局\t先进\t杭州市人民政府\t2020年1月\n"
    text = ("先进集体\n\n市级荣誉\n\n表 1\n\n" + HEADER + row + "\n（注：排名不分先后）\n\n"
            "续表 1\n\n" + HEADER + row.replace("教育", "卫生"))
    yearbook = parse_file(_write(tmp_path, text))
    assert [(r["id"], r["text"][:4], r.get("unplaced", False)) for r in yearbook.records] == [
        ("test-2020.t1.1", "区教育局", False), ("test-2020.t1.x1", "（注：排", True),
        ("test-2020.t1.3", "区卫生局", False)]
    assert [w["line"] for w in yearbook.warnings] == [10]


def test_not_a_yearbook_raises(tmp_path):
    """A file with no part heading at all is not a yearbook: ParseError, nothing read."""
    with pytest.raises(ParseError, match="not a yearbook") as caught:
        parse_file(_write(tmp_path, "会议纪要\n\n一、会议议定事项。\n"))
    assert caught.value.line == 1


def test_bad_file_name(tmp_path):
    """A file name without the year cannot give a yearbook id."""
    with pytest.raises(ParseError, match="must end with the year"):
        parse_file(_write(tmp_path, "先进集体\n", name="notes.txt"))


def test_cli_summary_warnings_and_strict(tmp_path, capsys):
    """``python -m indexer parse FILE --summary`` prints counts and warnings; a warning
    fails ``--strict`` (status 1); a file that is not a yearbook exits with status 2."""
    from indexer.__main__ import main

    assert main(["parse", str(FIXTURE), "--summary", "--strict"]) == 0
    assert "records: award 6, clause 16, list 13, total 35" in capsys.readouterr().out
    bad = _write(tmp_path, "先进集体\n\n一段说明文字。\n")
    assert main(["parse", str(bad), "--summary"]) == 0
    out, err = capsys.readouterr()
    assert f"warning: {bad}:3: cannot place" in out and "records: list 1, total 1" in out
    assert main(["parse", str(bad), "--strict"]) == 1
    out, err = capsys.readouterr()
    assert f"warning: {bad}:3: cannot place" in err and out == ""
    assert main(["parse", str(_write(tmp_path, "会议纪要\n", "notes-2020.txt"))]) == 2
    assert "not a yearbook" in capsys.readouterr().err


# ---------------------------------------------------------------------------- helpers


def test_clean_title():
    """Stray spaces go, spaces between ASCII words stay."""
    assert clean_title("## 中共杭州市上城区委关于加强新时代 城市基层党建工作的实施意见") == (
        "中共杭州市上城区委关于加强新时代城市基层党建工作的实施意见")
    assert clean_title("# 杭州市上城区特殊教育提升计划 (2017—2020)") == (
        "杭州市上城区特殊教育提升计划(2017—2020)")
    assert clean_title("**G20 Summit 峰会**") == "G20 Summit峰会"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("一、总体目标", (1, 1)), ("(十二)全面加强", (2, 12)), ("（二十一）推进", (2, 21)),
     ("21.推动智慧党建", (3, 21)), ("1、扩大", (3, 1)), ("3. 开发", (3, 3)), ("(1)对新", (4, 1)),
     ("（12）对", (4, 12)), ("10万元补助。", None), ("1.5倍", None), ("(责任单位:区城管局)", None),
     ("2018年", None)],
)
def test_numbering(text, expected):
    """Section numbering levels: 一、 > (一) > 1. > (1); amounts and notes are no numbering."""
    found = numbering(text)
    assert (found[:2] if found else None) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("特制定本计划。", True), ("分四个阶段开展：", True), ("“卖点”之一。”", True),
     ("定期向社会曝光。(责任单位:区城管局,配合单位:各街道)", True), ("(牵头单位:区文广新局)", True),
     ("为残疾学", False), ("区人力资源和社会", False), ("复兴单元SC0602-03紫花苑", False),
     ("完成出让(牵头部门:玉皇山南指挥部)", False)],
)
def test_ends_sentence(text, expected):
    """Sentence ends, bracketed notes after a sentence, and page-break fragments."""
    assert ends_sentence(text) is expected


_SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚斌"


_PEOPLE = st.tuples(st.sampled_from(_SURNAMES), st.text(alphabet=_GIVEN, min_size=1, max_size=2))


@given(st.lists(_PEOPLE, min_size=1, max_size=8))
def test_split_names_reads_padded_layout(people):
    """Property: names printed in the column layout (two-character ones padded) read back."""
    names = [surname + given for surname, given in people]
    printed = " ".join(" ".join(name) if len(name) == 2 else name for name in names) + "  "
    assert split_names(printed) == names


def test_split_names_rejects_stray_character():
    """A single character that pairs with nothing cannot be placed."""
    with pytest.raises(ValueError):
        split_names("王 平 李")


def test_small_yearbook_full_records(small):
    """Three records of the hand-written yearbook, every field exact."""
    by_id = {r["id"]: r for r in small.records}
    plan_offices = ["中共杭州市下城区委办公室", "杭州市下城区人民政府办公室"]
    assert by_id["xiacheng-2019.t6.1"] == {
        "id": "xiacheng-2019.t6.1", "kind": "award", "yearbook": "xiacheng-2019",
        "doc_id": "xiacheng-2019.t6", "doc_title": "2019年度下城区获市级先进个人荣誉",
        "section": [],
        "text": "区人民医院 周敏 钱小红 杭州市优秀医生 杭州市政府办公厅 2019年5月",
        "date": "2019-05", "year": 2019, "offices": ["杭州市人民政府办公厅"], "refs": [],
        "line": 41, "table": 6, "table_title": "2019年度下城区获市级先进个人荣誉",
        "level": "municipal", "unit": "区人民医院", "persons": ["周敏", "钱小红"],
        "honour": "杭州市优秀医生", "awarders": ["杭州市政府办公厅"], "seq": 11}
    assert by_id["xiacheng-2019.l2.1.6"] == {
        "id": "xiacheng-2019.l2.1.6", "kind": "list", "yearbook": "xiacheng-2019",
        "doc_id": "xiacheng-2019.l2", "doc_title": "2018年度下城区优秀公务员",
        "section": ["优秀公务员"], "text": "周一", "date": None, "year": 2019, "offices": [],
        "refs": [], "line": 49, "list_title": "2018年度下城区优秀公务员", "heading": "优秀公务员",
        "name": "周一", "entry_type": "person", "source": "年鉴编辑部", "seq": 18}
    assert by_id["xiacheng-2019.20190220.end-2"] == {
        "id": "xiacheng-2019.20190220.end-2", "kind": "clause", "yearbook": "xiacheng-2019",
        "doc_id": "xiacheng-2019.20190220",
        "doc_title": "下城区数字经济发展三年行动计划（2019—2021年）", "section": [],
        "text": "原《下城区信息经济发展计划》（下政办〔2016〕7号）同时废止。",
        "date": "2019-02-20", "year": 2019, "offices": plan_offices,
        "refs": ["下城区信息经济发展计划", "下政办〔2016〕7号"], "line": 89,
        "section_key": "end", "seq": 29}
