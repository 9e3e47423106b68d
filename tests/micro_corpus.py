"""A hand-written micro-corpus of contract-shaped records (docs/CONTRACT.md), lunr.py style.

Small enough to know every expected ranking by reading it: two policy documents, one
award table and one honour list of a made-up yearbook ``micro-2018``.
"""

YEARBOOK = {"id": "micro-2018", "title": "微型年鉴 2018"}

_WASTE = "上城区深入推进生活垃圾分类工作实施方案"
_SPECIAL = "杭州市上城区特殊教育提升计划(2017—2020)"
_AWARDS = "2018年度上城区获国家级和部级先进个人荣誉"
_LIST = "2017年度上城区综合考评先进集体"

_GOV = "上城区人民政府办公室"
_EDU = "上城区教育局"
_DPF = "上城区残疾人联合会"


def _clause(n: int, doc: tuple, section: list[str], key: str, text: str, **extra) -> dict:
    """Return a clause record of policy doc ``doc`` = (id, title, date, offices)."""
    doc_id, title, date, offices = doc
    return {"id": f"micro-2018-{doc_id}-{key or 'pre'}", "kind": "clause",
            "yearbook": "micro-2018", "doc_id": doc_id, "doc_title": title,
            "section": section, "text": text, "date": date, "year": int(date[:4]),
            "offices": offices, "refs": extra.get("refs", []), "seq": n, "line": 10 * n,
            "section_key": key}


def _award(n: int, unit: str, persons: list[str], honour: str, awarders: list[str],
           date: str) -> dict:
    """Return an award row of table 22 (national level)."""
    return {"id": f"micro-2018-t22-{n}", "kind": "award", "yearbook": "micro-2018",
            "doc_id": "t22", "doc_title": _AWARDS, "section": ["先进个人"],
            "text": "\t".join([unit, " ".join(persons), honour, "、".join(awarders), date]),
            "date": date, "year": int(date[:4]), "offices": awarders, "refs": [], "seq": n,
            "line": 10 * n, "table": 22, "table_title": _AWARDS, "level": "national",
            "unit": unit, "persons": persons, "honour": honour, "awarders": awarders}


def _entry(n: int, name: str, entry_type: str = "unit") -> dict:
    """Return an entry of the honour list."""
    return {"id": f"micro-2018-l1-{n}", "kind": "list", "yearbook": "micro-2018",
            "doc_id": "l1", "doc_title": _LIST, "section": ["先进集体", "综合考评优胜单位"],
            "text": name, "date": "2018", "year": 2018, "offices": [], "refs": [],
            "seq": n, "line": 10 * n, "list_title": _LIST, "heading": "综合考评优胜单位",
            "name": name, "entry_type": entry_type, "source": "年鉴编辑部"}


_P1 = ("p1", _WASTE, "2018-06-20", [_GOV])
_P2 = ("p2", _SPECIAL, "2017-12-05", [_EDU, _DPF])

RECORDS = [
    _clause(1, _P1, [], "", "为深入贯彻落实《浙江省城镇生活垃圾分类实施方案》，全面推进生活垃圾"
            "分类工作，制定本方案。", refs=["《浙江省城镇生活垃圾分类实施方案》"]),
    _clause(2, _P1, ["四、工作任务", "(一) 推进源头减量"], "4.1",
            "1.推行绿色办公。各机关单位带头减少一次性用品使用，推进垃圾减量。"),
    _clause(3, _P1, ["四、工作任务", "(三) 提升分类水平", "3.铺开阶段抓方式方法"], "4.3.3",
            "按照《生活垃圾分类管理规范》细化提升，到2020年底创建示范小区20个以上。",
            refs=["《生活垃圾分类管理规范》"]),
    _clause(4, _P1, ["五、保障措施"], "5",
            "1. 强化督查考核。将分类工作纳入街道考核，督查结果每月通报。"),
    _clause(5, _P2, [], "", "为推进特殊教育发展，保障残疾儿童少年受教育权利，制定本计划。"),
    _clause(6, _P2, ["三、主要措施", "6.完善重度、极重度残疾儿童送教上门工作机制。"], "3.6",
            "区教育局统筹安排教育资源，为不能到校就读的重度残疾儿童少年每周提供1次以上送教服务。"),
    _clause(7, _P2, ["三、主要措施", "(六) 加大经费投入"], "3.6.4",
            "4.落实送教上门补贴费用。设立送教上门专项经费，每人每课时补贴100元。"),
    _clause(8, _P2, ["五、保障项目"], "5.1",
            "学校配置ＡＥＤ设备40台，推进JCI认证，宗庆后先生捐赠设备。"),
    _award(9, "杭州娃哈哈集团有限公司", ["宗庆后"], "改革开放40年百名杰出民营企业家",
           ["中共中央统一战线工作部", "中华全国工商业联合会"], "2018-10"),
    _award(10, "杭州娃哈哈集团有限公司", ["宗庆后"], "第十二届人民企业社会责任奖年度人物奖",
           ["人民网"], "2018-01"),
    _award(11, "区总工会", ["朱新民"], "全国优秀工会工作者", ["中华全国总工会"], "2018-10"),
    _award(12, "湖滨街道", ["徐 斌"], "全国垃圾分类先进个人", ["住房和城乡建设部"], "2018-12"),
    _entry(13, "区教育局"),
    _entry(14, "望江街道"),
    _entry(15, "区委宣传部"),
]

DOCS = [
    {"id": "p1", "kind": "policy", "title": _WASTE, "yearbook": "micro-2018",
     "date": "2018-06-20", "year": 2018, "offices": [_GOV], "line": 10,
     "offices_raw": [_GOV], "effective": None, "valid_until": None, "cites": [],
     "sections": [], "record_ids": [r["id"] for r in RECORDS if r["doc_id"] == "p1"]},
    {"id": "p2", "kind": "policy", "title": _SPECIAL, "yearbook": "micro-2018",
     "date": "2017-12-05", "year": 2017, "offices": [_EDU, _DPF], "line": 50,
     "offices_raw": [_EDU, _DPF], "effective": None, "valid_until": None, "cites": [],
     "sections": [], "record_ids": [r["id"] for r in RECORDS if r["doc_id"] == "p2"]},
    {"id": "t22", "kind": "table", "title": _AWARDS, "yearbook": "micro-2018",
     "date": "2018", "year": 2018, "offices": [], "line": 90,
     "record_ids": [r["id"] for r in RECORDS if r["doc_id"] == "t22"]},
    {"id": "l1", "kind": "list", "title": _LIST, "yearbook": "micro-2018",
     "date": "2018", "year": 2018, "offices": [], "line": 130,
     "record_ids": [r["id"] for r in RECORDS if r["doc_id"] == "l1"]},
]
