"""Similar wording and cross-references (issue 6), on sentences cut from the 2018 corpus."""

import json
import unicodedata

import pytest

from indexer import similar

# Clause texts exactly as printed in corpus/shangcheng-yearbook-2018.txt (page-break
# splits joined), so the reuse cases below are the corpus's own.
WASTE_GOAL = (
    '按照浙江省垃圾分类工作“一三五、三步走”路径及杭州市垃圾分类三年行动计划路径，定目标、定'
    '计划、定任务、定措施，制定上城区垃圾分类三年行动计划，强势推进五大行动，力争提前完成。在'
    '全区生活垃圾分类全覆盖基础上，到2020年底，创建省级生活垃圾分类示范小区总数20个以上'
    '、市级生活垃圾分类示范小区总数50个以上，分类质量显著提高、控量减量有效可控，生活垃圾回'
    '收利用率、资源化利用率、无害化处理率完成市对区考核目标，形成可复制、可推广的生活垃圾分类'
    '模式，力争创建全省乃至全国示范城区。'
)
HEALTH_ENVIRONMENT = (
    '2.全面开展环境综合治理。秉持绿色发展理念,落实最严格的生态环境保护制度。一是深入实施“'
    '五水共治”“五气共治”“五废共治”和交通治堵等专项行动,2018年全域化推进五水共治,剿'
    '灭劣Ⅴ类水,确保河道和小微水体水质达到Ⅲ类以上;狠抓大气环境改善,开展上城区“清洁排放区'
    '”建设,巩固“无燃煤区”成果,禁止新建35蒸吨/小时以下燃煤锅炉,治理“工业废气”,推进'
    '机动车清洁化,强化餐饮废气治理,严控建筑工地扬尘和污染物排放。二是推进治危拆违和城中村整'
    '治,2018年基本完成城中村拆迁,完成“无违建区”创建,全域化推进“五水共治”,2019'
    '年基本完成望江规划地块征迁。三是综合实施“五废共治”,深化固废集约管理,完善生鲜及厨余垃'
    '圾统收统运制度,推进生活垃圾减量化,机关学校企事业单位全面实行垃圾分类制度。到2020年'
    '底,争创省级生活垃圾分类示范小区总数20个以上、市级生活垃圾分类示范小区总数50个以上,'
    '形成可复制、可推广的生活垃圾分类模式,争创全省乃至全国示范城区。四是构建生态文明宣传教育'
    '体系,推进生态文明宣传教育进机关、进学校、进企业、进社区,把生态文明宣传教育纳入“美丽上'
    '城”建设内容,加强节能低碳减排行动宣传,推广低碳建筑、低碳交通出行、低碳办公、低碳消费等'
    '模式。'
)
RIVER_GOAL = (
    '到2021年,城区功能品质显著增强,基础设施和功能配套更加健全,经济转型升级成效明显,“'
    '一轴三组团”城市发展格局基本形成。完成之江路地下空间开发利用,沿江景观界面修复提升,周边'
    '景区资源有机串联,打造成为8公里沿江景观长廊和经济发展带。望江金融科技城建设初具规模,城'
    '市年轮带、国际交流港等地标渐次落成,瞄准前沿产业,构建先发优势,建成全国一流的金融科技中'
    '心。深耕玉皇山南基金小镇2.0版,完善私募生态圈,实现产城同步融合,形成“三纵三横、多点'
    '激活、串珠成链”的总体格局。突出南宋文化、吴越文化特色,深化影视基地建设,丰富南宋御街、'
    '清河坊、二十三坊等历史街区文化内涵,持续打响南宋皇城小镇品牌。'
)
HEALTH_CULTURE = (
    '21.推进公共文化建设。加强新闻舆论宣传和文,充分利用互联网、电视、报纸、公共场所等宣传'
    '载体和传播媒体,针对不同人群,以群众喜闻乐见和易于接受的方式,重点宣传慢病和传染病防控、'
    '健康生活方式、妇幼健康、急救与安全、职业健康、基本医疗等理念和技能,努力将健康理念导入公'
    '众的意识之中,大力倡导工作上积极进取,生活上知足常乐、行为上健康文明的“健康文化”,提高'
    '居民健康素养水平。积极培育和践行社会主义核心价值观,实施健康文化惠民工程,加快推进上城区'
    '图书馆、南宋皇城小镇文化体验馆等文化基础设施建设,优化居民“10分钟文化圈”。开展公益性'
    '免费培训,办好社会性文化活动,积极开展对外文化交流,努力使居民精神文化生活更加丰富多彩。'
    '丰富南宋御街、清河坊、二十三坊等历史街区文化内涵,持续打响南宋皇城小镇品牌。'
)
WASTE_SEPARATION = (
    '3. 完善分流措施。进一步发挥资源化利用减量成效，实行大件垃圾、低价值可回收物统收统运。'
    '进一步实行大件垃圾、低价值可回收物统收统运，由各街道、社区负责收运到各集置点，再由第三方'
    '进行统一回收处理。积极推广低价值物“互联网+回收”积分激励等模式，推进统收统运工作。开展'
    '泡沫包装物资源化利用，各街道到2019年底完成泡沫包装资源化利用项目选址立项工作。开展垃'
    '圾清运车辆污水排放点建设。扩大餐厨废弃物规范化收运范围，在保证后端清运处置能力前提下，将'
    '支小路农贸市场生鲜垃圾餐饮企业、单位食堂餐厨废弃物纳入规范化收运覆盖范围。新增农贸市场、'
    '超市、水果店、餐饮企业等单位要及时统计纳入规范化收运范围,同时积极推进生鲜垃圾就地处置及'
    '专线清运工作。(责任单位:各街道、区商务局,配合单位:区城管局、区住房和城乡建设局、区财'
    '政局)'
)
WASTE_RECYCLING = (
    '4.健全回收体系。根据全省生活垃圾分类处理工作会议要求,到2020年逐步完成全区资源回收'
    '体系建设。确保各社区拥有一个小型回收点,每个街道拥有一个中型回收点,全区建立一个大型分选'
    '点。加快再生资源回收网络建设,深化推广“互联网+再生资源回收”模式,着力培育1~2个规模'
    '化、集约化、智能化的再生资源回收龙头骨干企业,打通回收处置产业链。(责任单位:各街道、区'
    '商务局,配合单位:区城管局、区财政局)'
)
PARTY_GUIDANCE = (
    '以习近平新时代中国特色社会主义思想为指导,认真学习贯彻党的十九大和十九届二中、三中全会精'
    '神,全面落实全国城市基层党建工作经验交流座谈会和省第十四次党代会、市第十二次党代会、区第'
    '十次党代会部署要求,以巩固党在城市执政基础、增进民生福祉为目标,以加强党的长期执政能力建'
    '设、先进性和纯洁性建设为主线,以街道社区党组织为核心,以提升组织力为重点,以党建引领基层'
    '治理为抓手,以共驻共享共治共建为基础,以解决突出问题为突破口,坚持“区域统领、行业引领、'
    '两新融合、街社兜底”,注重系统性、整体性、协同性,打造“尚城·红星系”城市基层党建综合体'
    ',创建“美好社区”,积极推进街道社区党建、单位党建、行业党建互联互通,不断扩大特色小镇、'
    '产业园区、楼宇商圈等两新组织集聚区党建覆盖,探索深化互联网、金融、文创、电商等新经济新业'
    '态党建工作,健全完善区、街道、社区党组织三级联动体系,切实提高城市基层党建工作整体效应,'
    '为高质量建设一流的国际化现代化城区提供有力的组织保证。'
)
PARTY_IDEOLOGY = (
    '12. 加强和改进意识形态工作。强化基层党组织对基层意识形态工作的领导权、主导权，引导广'
    '大党员用习近平新时代中国特色社会主义思想武装头脑，持续深化中国梦宣传教育，深入实施公民道'
    '德建设工程，广泛开展“最美邻里”评选表彰活动，推动社会主义核心价值观走进基层、深入群众。'
    '深化基层精神文明创建活动，积极弘扬中华优秀传统文化，广泛开展“立家训、树家风”活动，加强'
    '科学文化知识宣传普及，营造和谐有序文明的基层思想文化环境。认真抓好社区文化家园等阵地建设'
    '和管理，注重价值引领，培育品牌文化，努力提高市民文化文明素养。加强互联网主题宣传，讲好上'
    '城故事，唱响上城声音，弘扬时代正能量。提升对突发事件和重大政策实施的舆情分析研判应对能力'
    '，打好基层意识形态斗争主动仗。'
)
TOURISM_GUIDANCE = (
    '高举习近平新时代中国特色社会主义思想伟大旗帜,以党的十九大精神为引领,全面落实国家、省、'
    '市关于全域旅游发展的决策部署,紧扣人民日益增长的旅游美好生活需要与不平衡不充分的旅游发展'
    '之间的矛盾,对接全省“大花园”战略,围绕杭州建设“国际重要'
)
WASTE_GUIDANCE = (
    '深入学习贯彻习近平新时代中国特色社会主义思想，牢固树立和贯彻落实新发展理念，以“四个全域'
    '化”为契机，认真开展垃圾分类源头减量专项行动、回收利用专项行动、制度创新专项行动、处置能'
    '力提升专项行动、文明风尚专项行动五大专项行动，着力推动形成绿色生产方式和消费方式，有序推'
    '进生活垃圾“三化四分”体系建设，不断改善生活品质，着力提升我区生态文明建设水平，努力建设'
    '成一流的国际化现代化城区。'
)
FIRE_GUIDANCE = (
    '（一）指导思想。坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻落实党的十九大精神'
    '，牢固树立发展决不能以牺牲安全为代价的底线意识，坚持标本兼治、综合治理、系统建设，统筹推'
    '进消防安全社会治理工作，建设“权责明晰、协调有序、运行高效、处置有力”的消防安全主动防控'
    '新体系。'
)

WASTE_TARGET = "省级生活垃圾分类示范小区总数20个以上、市级生活垃圾分类示范小区总数50个以上"
NANSONG = "丰富南宋御街、清河坊、二十三坊等历史街区文化内涵,持续打响南宋皇城小镇品牌"


def clause(rid: str, doc: str, text: str) -> dict:
    """A minimal clause record as the parser writes it."""
    return {
        "id": rid,
        "kind": "clause",
        "doc_id": doc,
        "doc_title": doc,
        "section": [],
        "text": text,
        "refs": [],
    }


RECORDS = [
    clause("waste/goal", "waste", WASTE_GOAL),
    clause("waste/separation", "waste", WASTE_SEPARATION),
    clause("waste/recycling", "waste", WASTE_RECYCLING),
    clause("waste/guidance", "waste", WASTE_GUIDANCE),
    clause("health/environment", "health", HEALTH_ENVIRONMENT),
    clause("health/culture", "health", HEALTH_CULTURE),
    clause("river/goal", "river", RIVER_GOAL),
    clause("party/guidance", "party", PARTY_GUIDANCE),
    clause("party/ideology", "party", PARTY_IDEOLOGY),
    clause("tourism/guidance", "tourism", TOURISM_GUIDANCE),
    clause("fire/guidance", "fire", FIRE_GUIDANCE),
]
TEXTS = {r["id"]: r["text"] for r in RECORDS}


@pytest.fixture(scope="module")
def links():
    return similar.build_links(RECORDS)


def link(links, a, b):
    """The link from clause ``a`` to clause ``b``, or None."""
    return next((lk for lk in links.get(a, []) if lk["id"] == b), None)


def test_waste_target_shared_by_waste_plan_and_health_opinions(links):
    found = link(links, "waste/goal", "health/environment")
    assert found is not None
    assert found["doc_id"] == "health"
    assert [p["text"] for p in found["shared"]] == [
        WASTE_TARGET,
        "形成可复制、可推广的生活垃圾分类模式",
        "全省乃至全国示范城区",
    ]
    for p in found["shared"]:
        assert WASTE_GOAL[p["a_start"] : p["a_end"]] == p["text"]
        assert HEALTH_ENVIRONMENT[p["b_start"] : p["b_end"]] == p["text"]


def test_links_are_symmetric_with_offsets_swapped(links):
    there = link(links, "waste/goal", "health/environment")
    back = link(links, "health/environment", "waste/goal")
    assert back["score"] == there["score"]
    first = back["shared"][0]
    assert HEALTH_ENVIRONMENT[first["a_start"] : first["a_end"]] == WASTE_TARGET
    assert WASTE_GOAL[first["b_start"] : first["b_end"]] == WASTE_TARGET


def test_nansong_brand_shared_by_riverside_plan_and_health_opinions(links):
    found = link(links, "river/goal", "health/culture")
    assert found is not None
    assert [p["text"] for p in found["shared"]] == [NANSONG]
    p = found["shared"][0]
    assert RIVER_GOAL[p["a_start"] : p["a_end"]] == NANSONG
    assert HEALTH_CULTURE[p["b_start"] : p["b_end"]] == NANSONG
    # Only the shared characters over the shorter clause's length.
    assert 0 < found["score"] < 0.5


def test_passage_found_across_punctuation_variants():
    a = clause("a", "x", "到2020年底，" + WASTE_TARGET + "，形成模式。")
    b = clause("b", "y", "到2020年底," + WASTE_TARGET.replace("、", ",") + "。")
    found = similar.build_links([a, b])["a"][0]
    assert found["id"] == "b"
    assert found["shared"][0]["text"] == "到2020年底，" + WASTE_TARGET
    start, end = found["shared"][0]["b_start"], found["shared"][0]["b_end"]
    assert b["text"][start:end] == "到2020年底," + WASTE_TARGET.replace("、", ",")


def squeeze(text: str) -> str:
    """Letters and digits only, as the matcher sees them (without masking)."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text) if ch.isalnum())


def test_responsibility_list_alone_does_not_link(links):
    shared_list = "责任单位各街道区商务局配合单位区城管局区"
    # The two clauses do share a 20-character office list ...
    assert shared_list in squeeze(WASTE_SEPARATION)
    assert shared_list in squeeze(WASTE_RECYCLING)
    # ... which is an annotation, not wording.
    assert link(links, "waste/separation", "waste/recycling") is None


def test_stock_political_phrase_does_not_link(links):
    phrase = "以习近平新时代中国特色社会主义思想为指导"
    assert phrase in squeeze(PARTY_GUIDANCE) and phrase in squeeze(FIRE_GUIDANCE)
    assert link(links, "party/guidance", "fire/guidance") is None
    # The phrase is in four documents, so none of its shingles seeds a link.
    assert not any(ls for rid, ls in links.items() if rid.endswith("guidance"))


def test_only_the_expected_pairs_are_linked(links):
    pairs = {tuple(sorted((a, lk["id"]))) for a, ls in links.items() for lk in ls}
    assert pairs == {
        ("health/environment", "waste/goal"),
        ("health/culture", "river/goal"),
    }
    assert similar.link_pairs(links) == 2


def test_paste_with_a_few_words_changed_finds_the_clause_first():
    draft = (
        HEALTH_ENVIRONMENT.replace("秉持绿色发展理念", "坚持绿色发展理念")
        .replace("深化固废集约管理", "加强固废集中管理")
        .replace("争创省级", "创建省级")
    )
    hits = similar.find_similar(draft, RECORDS)
    assert hits[0]["id"] == "health/environment"
    assert hits[0]["score"] > 0.9
    assert hits[0]["text"] == HEALTH_ENVIRONMENT
    assert "waste/goal" in [h["id"] for h in hits[1:]]


def test_paste_of_one_sentence_ranks_the_clause_holding_it_first():
    model = similar.build_model(RECORDS)
    hits = similar.find_similar("深化影视基地建设，丰富南宋御街、清河坊等历史街区文化内涵", model)
    assert [h["id"] for h in hits] == ["river/goal", "health/culture"]
    p = hits[0]["shared"][0]
    assert RIVER_GOAL[p["b_start"] : p["b_end"]] == "深化影视基地建设,丰富南宋御街、清河坊"


def test_paste_without_shared_wording_finds_nothing():
    assert similar.find_similar("今天天气很好，我们去公园散步吧。", RECORDS) == []
    assert similar.find_similar("", RECORDS) == []


def test_paste_too_long_is_refused():
    with pytest.raises(ValueError):
        similar.find_similar("字" * (similar.MAX_QUERY + 1), RECORDS)


def test_annotation_and_title_masking_offsets():
    text = (
        "完善分类设施。按照《生活垃圾分类管理规范》细化。"
        "(责任单位:区城管局,配合单位:各街道(社区))后文"
    )
    norm = similar.normalise(text)
    assert norm.chars == "完善分类设施按照《细化\x00后文"
    assert text[norm.origin[norm.chars.index("后")]] == "后"
    title = norm.chars.index("《")
    assert text[slice(*norm.span(title, title + 1))] == "《生活垃圾分类管理规范》"


def test_leading_number_is_masked_and_numbers_fold_to_one_mark():
    norm = similar.normalise("19.到2020年底完成2.5万户", fold_numbers=True)
    assert norm.chars == "\x00到#年底完成#万户"
    assert norm.text[slice(*norm.span(7, 8))] == "2.5"


def test_diff_segments_side_by_side():
    a = "到2020年底，创建省级示范小区总数20个以上，分类质量显著提高"
    b = "到2020年底,争创省级示范小区总数20个以上,形成可复制"
    diff = similar.diff_segments(a, b)
    assert diff == {
        "a": [
            {"op": "equal", "text": "到2020年底，", "number": False},
            {"op": "delete", "text": "创建", "number": False},
            {"op": "equal", "text": "省级示范小区总数20个以上，", "number": False},
            {"op": "delete", "text": "分类质量显著提高", "number": False},
        ],
        "b": [
            {"op": "equal", "text": "到2020年底,", "number": False},
            {"op": "insert", "text": "争创", "number": False},
            {"op": "equal", "text": "省级示范小区总数20个以上,", "number": False},
            {"op": "insert", "text": "形成可复制", "number": False},
        ],
    }
    assert "".join(s["text"] for s in diff["a"]) == a
    assert "".join(s["text"] for s in diff["b"]) == b


def test_mark_segments():
    assert similar.mark_segments("abcdef", [(1, 3), (2, 4)]) == [
        {"text": "a", "shared": False},
        {"text": "bc", "shared": True},
        {"text": "d", "shared": True},
        {"text": "ef", "shared": False},
    ]


RIVER_TITLE = "上城区拥江发展四年行动计划(2018—2021年)"
HEALTH_TITLE = "关于推进健康上城建设的实施意见"
VILLAGES = "关于开展健康城市健康村镇建设的实施意见的通知"
HEALTH_CITATION = "以“八八战略”为行动指南，编制《上城区拥江发展四年行动计划（2018—2021年）》"


def cited(rid: str, doc: str, text: str, refs: list[str]) -> dict:
    """A clause citing ``refs`` (as the parser normalises them)."""
    return {**clause(rid, doc, text), "refs": refs}


def test_citation_graph_links_health_opinions_to_riverside_plan():
    docs = [
        {"id": "river", "title": RIVER_TITLE, "cites": []},
        {"id": "health", "title": HEALTH_TITLE,
         "cites": [{"title": VILLAGES, "number": "浙爱卫〔2017〕3号"}]},
    ]
    records = [
        cited("river/0", "river", "特制订《" + RIVER_TITLE + "》。", [RIVER_TITLE]),
        cited("health/1", "health", HEALTH_CITATION, ["上城区拥江发展四年行动计划（2018—2021年）"]),
        cited("health/0", "health", "落实…（浙爱卫〔2017〕3号）", ["浙爱卫〔2017〕3号"]),
    ]
    graph = similar.citation_graph(docs, records)
    assert graph["cited_by"] == {
        "river": [{"doc_id": "health", "doc_title": HEALTH_TITLE, "records": ["health/1"]}],
    }
    assert graph["cites"]["health"] == [
        {"title": VILLAGES, "number": "浙爱卫〔2017〕3号", "doc_id": None, "doc_title": None,
         "records": ["health/0"]},
        {"title": "上城区拥江发展四年行动计划（2018—2021年）", "number": None,
         "doc_id": "river", "doc_title": RIVER_TITLE, "records": ["health/1"]},
    ]
    # The plan naming itself is not a citation.
    assert graph["cites"]["river"] == []


def test_write_and_load_links(tmp_path):
    path = tmp_path / "similar.json"
    summary = similar.write_links(RECORDS, path, docs=[])
    assert summary["pairs"] == 2 and summary["linked_clauses"] == 4
    data = similar.load_links(path)
    assert data["pairs"] == 2
    assert data["links"] == json.loads(json.dumps(similar.build_links(RECORDS)))
    assert data["params"]["min_passage"] == similar.MIN_PASSAGE
    assert sorted(tmp_path.iterdir()) == [tmp_path / similar.INDEX_FILE, path]


# On the real corpus index (tests/conftest.py builds it once per session).

CORPUS_PAIRS = {
    # 到2020年底…生活垃圾分类示范小区总数20个以上 in the waste plan and the health opinions
    ("shangcheng-2018.20180919.3", "shangcheng-2018.20181208.3.1.2"),
    # 丰富南宋御街…持续打响南宋皇城小镇品牌 in the riverside plan and the health opinions
    ("shangcheng-2018.20180930.1", "shangcheng-2018.20181208.3.5.21"),
    # health 22.挖掘上城特色文化 is stitched from five riverside clauses
    ("shangcheng-2018.20180930.1", "shangcheng-2018.20181208.3.5.22"),
    ("shangcheng-2018.20180930.2.2", "shangcheng-2018.20181208.3.5.22"),
    ("shangcheng-2018.20180930.3.4.15", "shangcheng-2018.20181208.3.5.22"),
    ("shangcheng-2018.20180930.3.4.15-2", "shangcheng-2018.20181208.3.5.22"),
    ("shangcheng-2018.20180930.3.4.16", "shangcheng-2018.20181208.3.5.22"),
    ("shangcheng-2018.20180930.3.4.19-2", "shangcheng-2018.20181208.3.5.22"),
    # 深化“最多跑一次”改革，简化各类办事程序和审批流程
    ("shangcheng-2018.20180930.4.4", "shangcheng-2018.20181208.4.2"),
    # within one document: restated goals and subsidy terms
    ("shangcheng-2018.20180801.0", "shangcheng-2018.20180801.1.3"),
    ("shangcheng-2018.20180905.3.10", "shangcheng-2018.20180905.3.11"),
    ("shangcheng-2018.20180905.4.13-3", "shangcheng-2018.20180905.4.15"),
    ("shangcheng-2018.20181208.3.3.15", "shangcheng-2018.20181208.3.4.19"),
}


@pytest.fixture(scope="module")
def corpus_links(searcher):
    return similar.build_links(searcher.records())


def test_corpus_links_exactly_the_reused_passages(corpus_links):
    pairs = {tuple(sorted((a, lk["id"]))) for a, ls in corpus_links.items() for lk in ls}
    assert pairs == CORPUS_PAIRS
    assert similar.link_pairs(corpus_links) == 13


def test_corpus_reuse_cases(corpus_links, searcher):
    waste = link(corpus_links, "shangcheng-2018.20180919.3", "shangcheng-2018.20181208.3.1.2")
    assert [p["text"] for p in waste["shared"]] == [
        WASTE_TARGET, "形成可复制、可推广的生活垃圾分类模式", "全省乃至全国示范城区",
    ]
    river = link(corpus_links, "shangcheng-2018.20180930.1", "shangcheng-2018.20181208.3.5.21")
    assert [p["text"] for p in river["shared"]] == [NANSONG]
    health = searcher.record("shangcheng-2018.20181208.3.5.21")["text"]
    p = river["shared"][0]
    assert health[p["b_start"] : p["b_end"]] == NANSONG


def test_corpus_formula_of_one_document_does_not_link(corpus_links, searcher):
    # 经区企业上市工作领导小组认定，给予… closes most clauses of the 凤凰行动 policy.
    formula = [r["id"] for r in searcher.records() if "经区企业上市工作领导小组认定" in r["text"]]
    assert len(formula) > similar.MAX_CLAUSES
    linked = {lk["id"] for rid in formula for lk in corpus_links.get(rid, [])}
    assert linked <= {
        "shangcheng-2018.20180905.3.10", "shangcheng-2018.20180905.3.11",
        "shangcheng-2018.20180905.4.13-3", "shangcheng-2018.20180905.4.15",
    }


def test_corpus_citation_graph(searcher):
    graph = similar.citation_graph(searcher.docs(), searcher.records())
    assert graph["cited_by"] == {
        "shangcheng-2018.20180930": [{
            "doc_id": "shangcheng-2018.20181208",
            "doc_title": "关于推进健康上城建设的实施意见",
            "records": ["shangcheng-2018.20181208.3.1.1"],
        }],
    }
    numbers = [e["number"] for e in graph["cites"]["shangcheng-2018.20180905"]]
    assert "浙政发〔2017〕40号" in numbers


@pytest.mark.parametrize("number", [
    "浙政发〔2017〕40号", "浙政发[2017]40号", "浙政发［2017］40号", "浙政发(2017)40号",
    "浙政发（２０１７）４０号", "浙政发〔二〇一七〕40号",
])
def test_ref_search_finds_the_citing_clause_in_any_bracket_style(searcher, number):
    result = searcher.search(f"ref:{number}")
    assert [hit["id"] for hit in result["hits"]] == ["shangcheng-2018.20180905.0"]


@pytest.mark.parametrize("title", [
    "上城区拥江发展四年行动计划(2018—2021年)", "《上城区拥江发展四年行动计划（2018—2021年）》",
])
def test_ref_search_finds_the_clauses_citing_a_title(searcher, title):
    result = searcher.search(f"ref:{title}")
    # The plan naming itself in its preamble, and the health opinions citing it.
    assert [hit["id"] for hit in result["hits"]] == [
        "shangcheng-2018.20180930.0", "shangcheng-2018.20181208.3.1.1",
    ]


def _corpus_texts() -> list[str]:
    """Every record text of the corpus and the fixtures (Yuhang included)."""
    from pathlib import Path

    from indexer import CORPUS_DIR
    from indexer.parse import parse_corpus

    fixtures = Path(__file__).parent / "fixtures"
    return [r["text"] for folder in (CORPUS_DIR, fixtures, fixtures / "yuhang")
            for yb in parse_corpus(folder) for r in yb.records]


def test_matching_chars_equal_the_normalised_characters():
    """The collection's index takes each clause's characters from ``matching_chars`` (no
    offsets); they are exactly those of ``normalise``, folded or not."""
    from indexer.similar.text import matching_chars, normalise

    texts = [*_corpus_texts(), WASTE_GOAL, HEALTH_ENVIRONMENT,
             "⒛年完成２．５万元（责任单位：区发改局）、《关于2019年工作要点》12.",
             "第①项 1 2 x3 ½ ፩፪ 3", "《a》《b》", "\x00x", ""]
    assert len(texts) == 828
    for text in texts:
        for folded in (False, True):
            assert matching_chars(text, folded) == normalise(text, folded).chars, text
