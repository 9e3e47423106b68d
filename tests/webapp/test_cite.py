"""Citation lines (webapp/cite.py)."""

from webapp.cite import citation, section_path

CLAUSE = {
    "offices": ["中共杭州市上城区委办公室", "杭州市上城区人民政府办公室"],
    "doc_title": "上城区深入推进生活垃圾分类工作实施方案",
    "date": "2018-09-19",
    "section": ["四、工作任务", "(三) 提升分类水平", "3.铺开阶段抓方式方法"],
}


def test_clause_citation_is_gbt7714_style():
    assert citation(CLAUSE, "http://h/c/x?lang=zh") == (
        "中共杭州市上城区委办公室，杭州市上城区人民政府办公室. "
        "上城区深入推进生活垃圾分类工作实施方案[EB/OL]. 2018-09-19. "
        "四、工作任务 › (三) 提升分类水平 › 3.铺开阶段抓方式方法. http://h/c/x?lang=zh")


def test_missing_parts_are_left_out():
    record = {"offices": [], "doc_title": "上城区记个人三等功人员", "date": None, "section": []}
    assert citation(record, "http://h/c/y") == "上城区记个人三等功人员[EB/OL]. http://h/c/y"


def test_trailing_full_stops_are_not_doubled():
    record = dict(CLAUSE, section=["6.完善重度、极重度残疾儿童送教上门工作机制。"])
    assert section_path(record) == "6.完善重度、极重度残疾儿童送教上门工作机制。"
    assert ". 6.完善重度、极重度残疾儿童送教上门工作机制. http" in citation(record, "http://h")
