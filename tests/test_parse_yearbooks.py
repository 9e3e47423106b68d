"""Issue 9: any yearbook of this kind parses.

The two hand-written yearbooks of tests/fixtures/ (gongshu-2019: a 管理办法 in chapters and
articles, a 规定 numbered 第1条…; binjiang-2020: a 细则 with 第X节 and multi-paragraph
articles, an outline notice) are checked record by record against values read off the
source by hand; then the numbering, the corpus of several yearbooks, ``--strict`` and the
build's warnings.
"""

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer import CORPUS_DIR
from indexer.__main__ import main
from indexer.parse import (
    chinese_number,
    ends_sentence,
    legal_numbering,
    numbering,
    parse_file,
    parse_text,
    read_corpus,
    split_persons,
)
from indexer.parse.cache import ParseCache

FIXTURES = Path(__file__).parent / "fixtures"
GONGSHU = FIXTURES / "gongshu-yearbook-2019.txt"
BINJIANG = FIXTURES / "binjiang-yearbook-2020.txt"
CORPUS = CORPUS_DIR / "shangcheng-yearbook-2018.txt"


@pytest.fixture(scope="module")
def gongshu():
    return parse_file(GONGSHU)


@pytest.fixture(scope="module")
def binjiang():
    return parse_file(BINJIANG)


def _doc(yearbook, doc_id):
    return next(d for d in yearbook.docs if d["id"] == doc_id)


def _clauses(yearbook, doc_id):
    """(id, section, section_key, text, line) of the clauses of one document."""
    return [(r["id"], r["section"], r["section_key"], r["text"], r["line"])
            for r in yearbook.records if r["doc_id"] == doc_id]


# ---------------------------------------------------------------------------- gongshu-2019


def test_gongshu_counts(gongshu):
    """Docs, clauses, awards, list entries and warnings of the fixture."""
    kinds = [r["kind"] for r in gongshu.records]
    assert [d["id"] for d in gongshu.docs] == [
        "gongshu-2019.t3", "gongshu-2019.l1", "gongshu-2019.t4", "gongshu-2019.l2",
        "gongshu-2019.20190402", "gongshu-2019.20190618"]
    assert (kinds.count("clause"), kinds.count("award"), kinds.count("list")) == (13, 6, 11)
    assert gongshu.warnings == []


def test_gongshu_measures_in_chapters_and_articles(gongshu):
    """第X章 as a plain padded line, a ## heading and a bold line; every 第X条 one clause
    holding its paragraphs, （一） items and 1. sub-items; a cited number cut by a page
    break; a page break right after a Latin word; dates in the last article; two offices
    on lines of their own."""
    doc_id = "gongshu-2019.20190402"
    doc = _doc(gongshu, doc_id)
    assert (doc["title"], doc["date"], doc["effective"], doc["valid_until"]) == (
        "杭州市拱墅区科技企业孵化器管理办法", "2019-04-02", "2019-05-01", "2022-04-30")
    assert doc["offices"] == doc["offices_raw"] == ["中共杭州市拱墅区委办公室",
                                                    "杭州市拱墅区人民政府办公室"]
    assert doc["sections"] == [
        {"key": "ch1", "label": "第一章 总则", "depth": 1},
        {"key": "ch2", "label": "第二章 认定条件", "depth": 1},
        {"key": "ch3", "label": "第三章 扶持政策", "depth": 1},
        {"key": "ch4", "label": "第四章 附则", "depth": 1}]
    assert doc["cites"] == [{"title": "杭州市科技企业孵化器认定和管理办法",
                             "number": "杭科高〔2017〕189号"}]
    one, two, three, four = (["第一章 总则"], ["第二章 认定条件"], ["第三章 扶持政策"],
                             ["第四章 附则"])
    assert _clauses(gongshu, doc_id) == [
        (f"{doc_id}.art1", [*one, "第一条"], "ch1",
         "第一条\u3000为加快科技企业孵化器建设，根据《杭州市科技企业孵化器认定和管理办法》"
         "（杭科高〔2017〕189号）等文件精神，结合我区实际，制定本办法。", 52),
        (f"{doc_id}.art2", [*one, "第二条"], "ch1",
         "第二条\u3000本办法所称科技企业孵化器（以下简称孵化器），是指以促进科技成果转化、"
         "培育科技型中小企业为宗旨的科技创业服务机构。", 56),
        (f"{doc_id}.art3", [*one, "第三条"], "ch1",
         "第三条\u3000区科技局负责孵化器的认定、管理和考核工作。\n"
         "区财政局负责扶持资金的保障和监督。", 58),
        (f"{doc_id}.art4", [*two, "第四条"], "ch2",
         "第四条\u3000申请认定的孵化器应当具备下列条件：\n（一）在本区注册，具有独立法人资格；\n"
         "（二）孵化场地面积不低于3000平方米；\n（三）配备专业的孵化服务团队。", 64),
        (f"{doc_id}.art5", [*two, "第五条"], "ch2",
         "第五条\u3000申请认定的孵化器应当提交以下材料：\n1.认定申请表；\n"
         "2.场地产权证明或者租赁合同；\n3.在孵企业名单。", 72),
        (f"{doc_id}.art6", [*three, "第六条"], "ch3",
         "第六条\u3000经认定的孵化器，按照下列标准给予一次性奖励：\n"
         "（一）国家级孵化器，奖励100万元；\n（二）省级孵化器，奖励50万元。", 82),
        (f"{doc_id}.art7", [*three, "第七条"], "ch3",
         "第七条\u3000孵化器为在孵企业提供 SaaS云服务的，按服务费用的30%给予补助，"
         "每家孵化器每年最高不超过20万元。", 88),
        (f"{doc_id}.art8", [*three, "第八条"], "ch3",
         "第八条\u3000同一孵化器同时符合本办法和区其他扶持政策的，按照就高不重复原则执行。", 92),
        (f"{doc_id}.art9", [*four, "第九条"], "ch4", "第九条\u3000本办法由区科技局负责解释。", 96),
        (f"{doc_id}.art10", [*four, "第十条"], "ch4",
         "第十条\u3000本办法自2019年5月1日起施行，有效期至2022年4月30日。", 98),
    ]
    refs = next(r for r in gongshu.records if r["id"] == f"{doc_id}.art1")["refs"]
    assert refs == ["杭州市科技企业孵化器认定和管理办法", "杭科高〔2017〕189号"]


def test_gongshu_articles_only_issued_by_the_government(gongshu):
    """A 规定 numbered 第1条… without chapters; a half-width cited number cut by a page
    break ((2018) is not item (2018)); the last sentence cut before the signature; the
    district government itself as issuer, kept as printed (not in the alias table)."""
    doc_id = "gongshu-2019.20190618"
    doc = _doc(gongshu, doc_id)
    assert (doc["title"], doc["date"], doc["offices"], doc["sections"]) == (
        "拱墅区政府投资项目审计监督规定", "2019-06-18", ["杭州市拱墅区人民政府"], [])
    assert (doc["effective"], doc["valid_until"]) == (None, None)
    assert _clauses(gongshu, doc_id) == [
        (f"{doc_id}.art1", ["第1条"], "",
         "第1条\u3000为加强政府投资项目审计监督，根据《浙江省审计条例》和《拱墅区政府投资项目"
         "管理办法》(拱政发(2018)15号)，制定本规定。", 108),
        (f"{doc_id}.art2", ["第2条"], "",
         "第2条\u3000区审计局依法对政府投资项目的预算执行情况和决算进行审计监督。", 112),
        (f"{doc_id}.art3", ["第3条"], "",
         "第3条\u3000本规定自发布之日起施行。各单位要认真贯彻执行，确保各项措施落到实处。", 114),
    ]
    assert doc["cites"][1] == {"title": "拱墅区政府投资项目管理办法",
                               "number": "拱政发〔2018〕15号"}


def test_gongshu_awards(gongshu):
    """Columns in another order (date first); a 续表 whose header differs in bracket width
    and whose mark has a full-width digit; several persons in one cell, by 、 and by
    spaces with padded names; awarding bodies as printed, canonical in offices."""
    got = [(r["id"], r["unit"], r["persons"], r["honour"], r["awarders"], r["offices"],
            r["date"], r["line"]) for r in gongshu.records if r["kind"] == "award"]
    assert got == [
        ("gongshu-2019.t3.1", "区市场监督管理局", [], "浙江省放心消费示范单位",
         ["浙江省市场监督管理局", "浙江省消费者权益保护委员会"],
         ["浙江省市场监督管理局", "浙江省消费者权益保护委员会"], "2019-01", 8),
        ("gongshu-2019.t3.2", "米市巷街道", [], "浙江省民主法治社区",
         ["浙江省司法厅", "浙江省民政厅"], ["浙江省司法厅", "浙江省民政厅"], "2019-09", 9),
        ("gongshu-2019.t3.3", "区人民法院", [], "浙江省优秀法院", ["浙江省高院"],
         ["浙江省高级人民法院"], "2019-11", 14),
        ("gongshu-2019.t4.1", "区教育局", ["张伟", "李明"], "杭州市优秀教师",
         ["杭州市教育局", "杭州市人力资源和社会保障局"],
         ["杭州市教育局", "杭州市人力资源和社会保障局"], "2019-09", 31),
        ("gongshu-2019.t4.2", "区卫生健康局", ["王芳", "陈静", "刘晓东"], "杭州市最美医护工作者",
         ["杭州市卫生健康委员会"], ["杭州市卫生健康委员会"], "2019-05", 32),
        ("gongshu-2019.t4.3", "区委宣传部", ["周洁"], "杭州市优秀网络评论员",
         ["杭州市委宣传部"], ["中共杭州市委宣传部"], "2019-12", 37),
    ]
    row = next(r for r in gongshu.records if r["id"] == "gongshu-2019.t3.3")
    assert row["text"] == "区人民法院 浙江省优秀法院 浙江省高院 2019年11月"
    assert [(d["level"], d["individual"]) for d in gongshu.docs if d["kind"] == "table"] == [
        ("provincial", False), ("municipal", True)]


def test_gongshu_lists(gongshu):
    """A unit name cut by a page break (湖墅 / 街道) and padded names in columns."""
    got = [(r["id"], r["name"], r["entry_type"], r["source"], r["line"])
           for r in gongshu.records if r["kind"] == "list"]
    assert got == [
        ("gongshu-2019.l1.0.1", "区公安分局", "unit", "年鉴编辑部", 18),
        ("gongshu-2019.l1.0.2", "区司法局", "unit", "年鉴编辑部", 18),
        ("gongshu-2019.l1.0.3", "和睦街道", "unit", "年鉴编辑部", 18),
        ("gongshu-2019.l1.0.4", "小河街道", "unit", "年鉴编辑部", 18),
        ("gongshu-2019.l1.0.5", "湖墅街道", "unit", "年鉴编辑部", 18),
        ("gongshu-2019.l1.0.6", "祥符街道", "unit", "年鉴编辑部", 20),
        ("gongshu-2019.l2.0.1", "赵刚", "person", "年鉴编辑部", 41),
        ("gongshu-2019.l2.0.2", "孙丽萍", "person", "年鉴编辑部", 41),
        ("gongshu-2019.l2.0.3", "钱进", "person", "年鉴编辑部", 41),
        ("gongshu-2019.l2.0.4", "吴小燕", "person", "年鉴编辑部", 42),
        ("gongshu-2019.l2.0.5", "郑凯", "person", "年鉴编辑部", 42),
    ]


# ---------------------------------------------------------------------------- binjiang-2020


def test_binjiang_counts(binjiang):
    """Docs, clauses, awards, list entries and warnings of the fixture."""
    kinds = [r["kind"] for r in binjiang.records]
    assert [d["id"] for d in binjiang.docs] == [
        "binjiang-2020.t12", "binjiang-2020.t13", "binjiang-2020.l1",
        "binjiang-2020.20200601", "binjiang-2020.20200316"]
    assert (kinds.count("clause"), kinds.count("award"), kinds.count("list")) == (16, 5, 5)
    assert binjiang.warnings == []


def test_binjiang_rules_with_sections(binjiang):
    """第X章 (plain and ####) > 第X节 (bold and plain) > 第X条 with several paragraphs,
    items and sub-items; a paragraph cut by a page break inside an article; a cited number
    cut after its agency; three offices (not in the alias table) with blank lines."""
    doc_id = "binjiang-2020.20200601"
    doc = _doc(binjiang, doc_id)
    assert (doc["title"], doc["date"], doc["effective"], doc["valid_until"]) == (
        "杭州市滨江区居家养老服务实施细则", "2020-06-01", "2020-07-01", "2025-06-30")
    assert doc["offices"] == doc["offices_raw"] == [
        "杭州市滨江区民政局", "杭州市滨江区财政局", "杭州市滨江区卫生健康局"]
    assert doc["sections"] == [
        {"key": "ch1", "label": "第一章 总则", "depth": 1},
        {"key": "ch2", "label": "第二章 服务内容", "depth": 1},
        {"key": "ch2.s1", "label": "第一节 助餐服务", "depth": 2},
        {"key": "ch2.s2", "label": "第二节 助医服务", "depth": 2},
        {"key": "ch3", "label": "第三章 保障措施", "depth": 1},
        {"key": "ch4", "label": "第四章 附则", "depth": 1}]
    one, meals, care, three, four = (
        ["第一章 总则"], ["第二章 服务内容", "第一节 助餐服务"],
        ["第二章 服务内容", "第二节 助医服务"], ["第三章 保障措施"], ["第四章 附则"])
    assert _clauses(binjiang, doc_id) == [
        (f"{doc_id}.art1", [*one, "第一条"], "ch1",
         "第一条\u3000为规范居家养老服务，提升服务质量，根据《浙江省社会养老服务促进条例》和"
         "《杭州市居家养老服务条例》，结合本区实际，制定本细则。", 44),
        (f"{doc_id}.art2", [*one, "第二条"], "ch1",
         "第二条\u3000本细则适用于本区行政区域内的居家养老服务及其监督管理。\n"
         "本细则所称居家养老服务，是指以家庭为基础，由社区提供的生活照料、助餐助医、"
         "精神慰藉等服务。", 46),
        (f"{doc_id}.art3", [*meals, "第三条"], "ch2.s1",
         "第三条\u3000街道应当按照每万名老年人不少于5个的标准设置老年食堂或者助餐点。\n"
         "助餐点应当公示菜品价格和服务时间，接受老年人监督。", 54),
        (f"{doc_id}.art4", [*meals, "第四条"], "ch2.s1",
         "第四条\u3000对下列老年人，按每餐3元的标准给予助餐补贴：\n"
         "（一）低保、低边家庭中的老年人；\n（二）八十周岁以上的独居老年人。", 60),
        (f"{doc_id}.art5", [*care, "第五条"], "ch2.s2",
         "第五条\u3000社区卫生服务中心应当为辖区内老年人提供下列服务：\n（一）建立健康档案；\n"
         "（二）开展家庭医生签约服务，签约老年人每年可享受：\n1.一次免费体检；\n"
         "2.两次上门随访。", 68),
        (f"{doc_id}.art6", [*care, "第六条"], "ch2.s2",
         "第六条\u3000鼓励医疗机构与养老服务机构开展合作。具体办法由区卫生健康局会同区民政局"
         "另行制定。", 78),
        (f"{doc_id}.art7", [*three, "第七条"], "ch3",
         "第七条\u3000区财政每年安排居家养老服务专项资金，列入年度预算。\n"
         "专项资金的使用情况应当每年向社会公布。", 82),
        (f"{doc_id}.art8", [*three, "第八条"], "ch3",
         "第八条\u3000区民政局应当建立居家养老服务评估制度，评估办法按照《滨江区居家养老服务"
         "评估办法》（滨民发〔2019〕32号）执行。", 86),
        (f"{doc_id}.art9", [*four, "第九条"], "ch4", "第九条\u3000本细则由区民政局负责解释。", 92),
        (f"{doc_id}.art10", [*four, "第十条"], "ch4",
         "第十条\u3000本细则自2020年7月1日起施行，有效期至2025年6月30日。原《滨江区居家养老"
         "服务补助办法》同时废止。", 94),
    ]


def test_binjiang_outline_notice(binjiang):
    """Outline numbering in the same yearbook; numbered sentences labelled by their number
    and kept out of the contents; one office through the alias table."""
    doc_id = "binjiang-2020.20200316"
    doc = _doc(binjiang, doc_id)
    assert (doc["title"], doc["offices"], doc["offices_raw"]) == (
        "关于开展2020年度“最美滨江人”评选活动的通知", ["杭州市滨江区人民政府办公室"],
        ["滨江区人民政府办公室"])
    assert [s["label"] for s in doc["sections"]] == ["一、评选范围", "二、评选程序", "三、工作要求"]
    assert _clauses(binjiang, doc_id) == [
        (f"{doc_id}.0", [], "", "各街道，区级各部门、各直属单位：", 106),
        (f"{doc_id}.1", ["一、评选范围"], "1", "在本区工作、生活，事迹突出的个人或者集体。", 110),
        (f"{doc_id}.2.1", ["二、评选程序", "1."], "2", "1.基层推荐，由各街道、各部门推荐候选人；",
         114),
        (f"{doc_id}.2.2", ["二、评选程序", "2."], "2", "2.组织评审，由评选委员会评出候选名单；",
         116),
        (f"{doc_id}.2.3", ["二、评选程序", "3."], "2", "3.社会公示，公示期为7天。", 118),
        (f"{doc_id}.3", ["三、工作要求"], "3",
         "各单位要高度重视，广泛宣传，确保评选活动公开、公平、公正。", 122),
    ]


def test_binjiang_awards_and_lists(binjiang):
    """Headers named 获奖集体/荣誉称号/授予单位/时间 and 获奖人/工作单位/荣誉（称号）; a bold
    table title; persons split by 、 and padding; a list with bold sub-headings."""
    got = [(r["id"], r["unit"], r["persons"], r["awarders"], r["date"], r["level"])
           for r in binjiang.records if r["kind"] == "award"]
    assert got == [
        ("binjiang-2020.t12.1", "区人民检察院", [], ["最高人民检察院"], "2020-01", "national"),
        ("binjiang-2020.t12.2", "浦沿街道", [], ["国家减灾委员会", "应急管理部"], "2020-05",
         "national"),
        ("binjiang-2020.t12.3", "区税务局", [], ["国家税务总局"], "2020-10", "national"),
        ("binjiang-2020.t13.1", "区第一人民医院", ["李娜"], ["浙江省人民政府"], "2020-09",
         "provincial"),
        ("binjiang-2020.t13.2", "长河街道", ["陈晓峰", "王磊"], ["浙江省民政厅"], "2020-12",
         "provincial"),
    ]
    entries = [(r["id"], r["heading"], r["name"]) for r in binjiang.records if r["kind"] == "list"]
    assert entries == [
        ("binjiang-2020.l1.1.1", "中学组", "刘敏"), ("binjiang-2020.l1.1.2", "中学组", "何晓东"),
        ("binjiang-2020.l1.1.3", "中学组", "蒋涛"), ("binjiang-2020.l1.2.1", "小学组", "沈佳怡"),
        ("binjiang-2020.l1.2.2", "小学组", "许文")]


# ---------------------------------------------------------------------------- numbering


@pytest.mark.parametrize(
    ("text", "value"),
    [("一", 1), ("十", 10), ("十二", 12), ("二十", 20), ("九十九", 99), ("一百", 100),
     ("一百零二", 102), ("一百一十", 110), ("一百二十三", 123), ("二百", 200), ("一〇二", 102)],
)
def test_chinese_numbers_to_the_hundreds(text, value):
    assert chinese_number(text) == value


@pytest.mark.parametrize(
    ("text", "expected"),
    [("第一百零二条　本办法…", ("条", 102, "本办法…")),
     ("第102条 本办法…", ("条", 102, "本办法…")),
     ("第１０２条本办法…", ("条", 102, "本办法…")),
     ("第十二章　附　则", ("章", 12, "附　则")),
     ("第二节助医服务", ("节", 2, "助医服务")),
     ("第一编 总则", ("编", 1, "总则")),
     ("第三条规定的情形，不予补助。", None),
     ("第一、第二部分扶持对象", None),
     ("第五章规定的补助标准按年度调整，由区财政局公布。", None)],
)
def test_legal_numbering(text, expected):
    """Chinese and Arabic (half and full width) give the same number; a sentence that
    starts by citing an article or chapter is no numbering."""
    assert legal_numbering(text) == expected


def test_articles_numbered_both_ways_get_one_id(tmp_path):
    """第十二条 and 第12条 are both ``art12``; a part, chapter and section path."""
    body = ("文件辑录\n\n某某条例\n\n第一编　总则\n\n第一章 一般规定\n\n第一节 适用\n\n"
            "第{n}条　本条例适用于本区。\n\n杭州市上城区人民政府\n\n2020年1月2日\n")
    ids = []
    for number in ("十二", "12", "１２"):
        path = tmp_path / "test-yearbook-2020.txt"
        path.write_text(body.format(n=number), encoding="utf-8")
        yearbook = parse_file(path)
        ids += [(r["id"], r["section"], r["section_key"]) for r in yearbook.records]
    assert ids == [("test-2020.20200102.art12", ["第一编 总则", "第一章 一般规定", "第一节 适用",
                                                 f"第{n}条"], "pt1.ch1.s1")
                   for n in ("十二", "12", "１２")]


def test_split_persons():
    assert split_persons("张 伟、李明") == ["张伟", "李明"]
    assert split_persons("王 芳  陈 静 刘晓东") == ["王芳", "陈静", "刘晓东"]
    assert split_persons("吴晓东家庭") == ["吴晓东家庭"]


# ---------------------------------------------------------------------------- numbered sentences


def test_numbered_sentences_are_clauses_labelled_by_number():
    """Issue 11 §A: in the 凤凰行动 policy every numbered item is a sentence: its clause is
    labelled by its number (not the sentence), the contents list only the six parts, and
    the ids are those of before."""
    yearbook = parse_file(CORPUS)
    doc = next(d for d in yearbook.docs if d["id"] == "shangcheng-2018.20180905")
    assert [s["label"] for s in doc["sections"]] == [
        "一、积极引导企业进入资本市场", "二、着力推动企业上市、挂牌", "三、大力支持企业资本运作",
        "四、重点扶持金融机构、上市企业集聚发展", "五、切实做好服务保障", "六、附则"]
    clauses = {r["id"]: r for r in yearbook.records if r["doc_id"] == doc["id"]}
    assert (clauses["shangcheng-2018.20180905.1.1"]["section"],
            clauses["shangcheng-2018.20180905.1.1"]["section_key"]) == (
        ["一、积极引导企业进入资本市场", "1."], "1")
    assert clauses["shangcheng-2018.20180905.4.13-3"]["section"] == [
        "四、重点扶持金融机构、上市企业集聚发展", "13."]
    assert max(len(label) for r in clauses.values() for label in r["section"]) == 19
    keys = {s["key"] for s in doc["sections"]} | {"", "end"}
    assert {r["section_key"] for r in yearbook.records if r["kind"] == "clause"
            and r["doc_id"] == doc["id"]} <= keys


# ---------------------------------------------------------------------------- corpus


def _corpus(tmp_path, *paths):
    """Copy yearbook ``paths`` (and the fixtures' alias table) into a fresh corpus folder."""
    folder = tmp_path / "corpus"
    folder.mkdir(exist_ok=True)
    shutil.copy(FIXTURES / "offices.tsv", folder / "offices.tsv")
    for path in paths:
        shutil.copy(path, folder / path.name)
    return folder


def _ids(yearbooks):
    return {yb.id: [r["id"] for r in yb.records] for yb in yearbooks}


def test_adding_a_yearbook_changes_no_id(tmp_path):
    """Three yearbooks in one corpus: each keeps the ids it has alone; a file that is not
    a yearbook is skipped with an error and the others are read."""
    alone = {yb.id: [r["id"] for r in yb.records]
             for yb in (parse_file(GONGSHU), parse_file(BINJIANG))}
    folder = _corpus(tmp_path, GONGSHU)
    (folder / "notes.txt").write_text("会议纪要\n", encoding="utf-8")
    first = read_corpus(folder)
    assert [str(e) for e in first.errors] == [
        f"{folder / 'notes.txt'}:0: file name must end with the year: "
        "<place>-yearbook-<yyyy>"]
    shutil.copy(BINJIANG, folder / BINJIANG.name)
    shutil.copy(FIXTURES / "xiacheng-yearbook-2019.txt", folder)
    both = read_corpus(folder)
    assert [yb.id for yb in both.yearbooks] == ["binjiang-2020", "gongshu-2019", "xiacheng-2019"]
    assert _ids(first.yearbooks)["gongshu-2019"] == alone["gongshu-2019"]
    assert {k: v for k, v in _ids(both.yearbooks).items() if k in alone} == alone
    assert sorted({r["year"] for yb in both.yearbooks for r in yb.records}) == [2019, 2020]
    assert both.warnings == []


def test_parse_cache_parses_in_parallel_as_one_by_one_and_keeps_errors(tmp_path):
    """Through ParseCache the files are parsed in worker processes: the same yearbooks, in
    file order, as parsing each alone; a file that is not a yearbook gives its error (file,
    line, message); a second read parses nothing."""
    folder = _corpus(tmp_path, GONGSHU, BINJIANG, FIXTURES / "xiacheng-yearbook-2019.txt")
    (folder / "notes.txt").write_text("会议纪要\n", encoding="utf-8")
    cache = ParseCache(tmp_path / "cache")
    parallel = read_corpus(folder, cache)
    alone = read_corpus(folder)
    assert [yb.__dict__ for yb in parallel.yearbooks] == [yb.__dict__ for yb in alone.yearbooks]
    assert [yb.id for yb in parallel.yearbooks] == ["binjiang-2020", "gongshu-2019",
                                                     "xiacheng-2019"]
    assert [(e.file, e.line, e.msg) for e in parallel.errors] == [
        (str(folder / "notes.txt"), 0, "file name must end with the year: "
                                       "<place>-yearbook-<yyyy>")]
    assert (cache.parsed, cache.reused) == (3, 0)
    again = ParseCache(tmp_path / "cache")
    reread = read_corpus(folder, again)
    assert (again.parsed, again.reused) == (0, 3)
    assert [yb.__dict__ for yb in reread.yearbooks] == [yb.__dict__ for yb in alone.yearbooks]


FILES = sorted(FIXTURES.glob("*-yearbook-*.txt")) + sorted(CORPUS_DIR.glob("*.txt"))


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_strict_passes_on_every_fixture_and_the_corpus(path, capsys):
    """``python -m indexer parse --strict FILE`` succeeds: no line is left unplaced."""
    assert main(["parse", "--strict", "--summary", str(path)]) == 0
    assert "warnings: 0" in capsys.readouterr().out


def test_build_reports_warnings_and_skips_non_yearbooks(tmp_path, capsys):
    """A yearbook with an unplaceable line builds; the warning is printed and written to
    meta.json with file and line; a file that is not a yearbook is skipped with an error."""
    from indexer.build import build

    folder = _corpus(tmp_path, FIXTURES / "xiacheng-yearbook-2019.txt")
    bad = folder / "odd-yearbook-2021.txt"
    bad.write_text("先进集体\n\n（注：本表按获奖时间排列）\n", encoding="utf-8")
    (folder / "readme-2021.txt").write_text("说明\n", encoding="utf-8")
    meta = build(folder, tmp_path / "var", force=True)
    err = capsys.readouterr().err
    assert f"warning: {bad}:3: cannot place" in err
    assert f"error: {folder / 'readme-2021.txt'}:1: not a yearbook" in err
    stored = json.loads((tmp_path / "var" / "index" / "meta.json").read_text(encoding="utf-8"))
    assert stored["warnings"] == meta["warnings"] == [
        {"file": str(bad), "line": 3, "message": "cannot place '（注：本表按获奖时间排列）' in an "
                                                  "awards part"}]
    assert stored["skipped"] == [f"{folder / 'readme-2021.txt'}:1: not a yearbook: no part "
                                 "heading (先进集体/先进个人/文件辑录)"]
    records = [json.loads(line) for line in
               (tmp_path / "var" / "index" / "records.jsonl").read_text().splitlines()]
    assert [(r["id"], r["text"]) for r in records if r.get("unplaced")] == [
        ("odd-2021.u1.x1", "（注：本表按获奖时间排列）")]
    assert {r["yearbook"] for r in records} == {"odd-2021", "xiacheng-2019"}


def test_three_yearbooks_build_into_one_index(tmp_path):
    """shangcheng-2018 with the two new yearbooks: the year facet lists all three years,
    shangcheng's ids are those of the golden list, an award row is found by the awarding
    body as printed and filtered by its canonical name."""
    from indexer.build import build
    from indexer.search import Searcher

    folder = _corpus(tmp_path, CORPUS, GONGSHU, BINJIANG)
    aliases = (CORPUS_DIR / "offices.tsv").read_text(encoding="utf-8")
    extra = (FIXTURES / "offices.tsv").read_text(encoding="utf-8")
    (folder / "offices.tsv").write_text(aliases + extra, encoding="utf-8")
    build(folder, tmp_path / "var", force=True)
    records = [json.loads(line) for line in
               (tmp_path / "var" / "index" / "records.jsonl").read_text().splitlines()]
    golden = (Path(__file__).parent / "golden" / "shangcheng-2018.ids").read_text().split()
    assert [r["id"] for r in records if r["yearbook"] == "shangcheng-2018"] == golden
    searcher = Searcher(tmp_path / "var" / "index")
    years = searcher.search("", kind="award")["facets"]["year"]
    assert sorted(f["value"] for f in years) == ["2018", "2019", "2020"]
    printed = searcher.search('"浙江省高院"')["hits"]
    assert "gongshu-2019.t3.3" in [h["id"] for h in printed]
    by_office = searcher.search("", office="浙江省高级人民法院", sort="date")["hits"]
    assert sorted(h["id"] for h in by_office) == [
        "gongshu-2019.t3.3", "shangcheng-2018.t23.26", "shangcheng-2018.t23.27"]


def _clause_view(yearbook):
    """What a page break must keep: (id, section, key, text) of every clause."""
    return [(r["id"], r["section"], r["section_key"], r["text"])
            for r in yearbook.records if r["kind"] == "clause"]


def _cuts(line):
    """Where a page break may fall in ``line``: mid-sentence, past the numbering, not
    before numbering, not at a space and not inside a Latin word."""
    head = len(line) - len(line.lstrip("第一二三四五六七八九十0123456789条（）()、.　 "))
    return [k for k in range(head + 1, len(line.rstrip()))
            if not ends_sentence(line[:k]) and numbering(line[k:]) is None
            and legal_numbering(line[k:]) is None
            and not any(c.isspace() for c in line[k - 1 : k + 1])
            and not (line[k - 1].isascii() and line[k].isascii())]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_any_page_break_in_an_article_is_repaired(data):
    """Property: a page break (blank line) anywhere mid-sentence in a clause line of the
    legal fixtures changes no clause. Cuts stay out of a Latin word (print never breaks
    one) and off the numbering itself (第一条 alone would be an article heading)."""
    path = data.draw(st.sampled_from([GONGSHU, BINJIANG]))
    yearbook = parse_file(path)
    lines = path.read_text(encoding="utf-8").split("\n")
    texts = "\n".join(r["text"] for r in yearbook.records if r["kind"] == "clause")
    cuts = {n: _cuts(line) for n, line in enumerate(lines, 1)
            if line.strip() and line.strip() in texts}
    number = data.draw(st.sampled_from(sorted(n for n, found in cuts.items() if found)))
    line = lines[number - 1]
    cut = data.draw(st.sampled_from(cuts[number]))
    lines[number - 1] = line[:cut] + "\n\n" + line[cut:]
    broken = parse_text("\n".join(lines), path)
    assert _clause_view(broken) == _clause_view(yearbook)
    assert broken.warnings == []


def test_files_that_are_not_yearbooks_are_skipped(tmp_path):
    """Not UTF-8, no part heading, no year in the name: each skipped with its error, in
    file order; the yearbook beside them is read."""
    folder = _corpus(tmp_path, GONGSHU)
    (folder / "gbk-yearbook-2019.txt").write_bytes("先进集体\n".encode("gbk"))
    (folder / "minutes-2019.txt").write_text("会议纪要\n\n一、议定事项。\n", encoding="utf-8")
    (folder / "notes.txt").write_text("先进集体\n", encoding="utf-8")
    corpus = read_corpus(folder)
    assert [yb.id for yb in corpus.yearbooks] == ["gongshu-2019"]
    assert [(Path(e.file).name, e.line, e.msg.split(":")[0]) for e in corpus.errors] == [
        ("gbk-yearbook-2019.txt", 0, "not UTF-8 text (invalid continuation byte)"),
        ("minutes-2019.txt", 1, "not a yearbook"),
        ("notes.txt", 0, "file name must end with the year")]
