"""Citation items and GB/T 7714-2015 lines (webapp/cite.py) of every kind of record, on
the real corpus records."""

from datetime import date

from webapp.cite import (
    citation,
    cited_line,
    clause_number,
    csl_item,
    gbt7714,
    load_yearbooks,
)

DAY = date(2026, 11, 29)
URL = "http://h/c/"


def cite(searcher, item_id: str) -> str:
    """The line of record or document ``item_id`` accessed on DAY."""
    found = searcher.record(item_id) or searcher.doc(item_id)
    return citation(found, URL + item_id, DAY)


def test_clause_names_offices_title_date_clause_number_access_date_and_url(searcher):
    assert cite(searcher, "shangcheng-2018.20181208.4.4") == (
        "中共杭州市上城区委办公室, 杭州市上城区人民政府办公室. "
        "关于推进健康上城建设的实施意见[EB/OL]. (2018-12-08): 四(四)[2026-11-29]. "
        "http://h/c/shangcheng-2018.20181208.4.4")


def test_preamble_clause_has_no_number(searcher):
    assert cite(searcher, "shangcheng-2018.20180620.0") == (
        "杭州市上城区人民政府办公室. 杭州市上城区特殊教育提升计划(2017—2020)[EB/OL]. "
        "(2018-06-20)[2026-11-29]. http://h/c/shangcheng-2018.20180620.0")


def test_award_row_is_part_of_the_yearbook_not_by_its_awarding_body(searcher):
    # The awarding body is part of what the row says, not the author of the table.
    assert cite(searcher, "shangcheng-2018.t19.1") == (
        "区检察院: 检察宣传片《青春的墨痕》获“平安中国”最佳微电影(中共中央政法委员会, 2018-11)"
        "[EB/OL]//上城区年鉴(2018): 表19[2026-11-29]. http://h/c/shangcheng-2018.t19.1")


def test_person_award_names_the_person_with_the_unit(searcher):
    assert cite(searcher, "shangcheng-2018.t24.31") == (
        "章南(杭州始版桥幼儿园): 杭州市中小学育人工作先进个人(杭州市人民政府办公厅, 2018-01)"
        "[EB/OL]//上城区年鉴(2018): 表24[2026-11-29]. http://h/c/shangcheng-2018.t24.31")


def test_honour_list_entry_names_list_heading_entry_and_attribution(searcher):
    assert cite(searcher, "shangcheng-2018.l1.1.1") == (
        "年鉴编辑部. 2017年度上城区综合考评先进集体(综合考评优胜单位): 区教育局"
        "[EB/OL]//上城区年鉴(2018)[2026-11-29]. http://h/c/shangcheng-2018.l1.1.1")


def test_documents_are_citable_too(searcher):
    assert cite(searcher, "shangcheng-2018.t19") == (
        "2018年度上城区获国家级和部级先进集体荣誉[EB/OL]//上城区年鉴(2018): 表19[2026-11-29]. "
        "http://h/c/shangcheng-2018.t19")
    assert cite(searcher, "shangcheng-2018.l9") == (
        "年鉴编辑部. 上城区第三届杰出金融人才和突出贡献金融人才[EB/OL]//上城区年鉴(2018)"
        "[2026-11-29]. http://h/c/shangcheng-2018.l9")


def test_yearbook_leaves_out_what_the_data_file_does_not_know():
    book = load_yearbooks()["shangcheng-2018"]
    assert book == {"id": "shangcheng-2018", "title": "上城区年鉴(2018)",
                    "title_en": "Shangcheng District Yearbook (2018)", "covers": "2018"}
    assert gbt7714(csl_item(dict(book, kind="yearbook"), None, DAY)) == "上城区年鉴(2018)[M]"


def test_yearbook_with_imprint_is_cited_in_full(tmp_path):
    path = tmp_path / "yearbooks.tsv"
    path.write_text("# comment\nx-2019\t某区年鉴(2019)\t\t2019\t某区地方志编纂委员会"
                    "\t某出版社\t杭州\t2020\n", encoding="utf-8")
    book = dict(load_yearbooks(path)["x-2019"], kind="yearbook")
    assert gbt7714(csl_item(book, None, DAY)) == \
        "某区地方志编纂委员会. 某区年鉴(2019)[M]. 杭州: 某出版社, 2020"
    load_yearbooks.cache_clear()


def test_separators_are_the_same_in_every_line(searcher):
    for record in searcher.records():
        line = citation(record, URL + record["id"], DAY)
        assert "[2026-11-29]. http://h/c/" in line, line
        assert line.count("[EB/OL]") == 1 and ".." not in line and "。." not in line, line


def test_clause_number_reads_every_numbering_style():
    assert clause_number(["一、总体目标"]) == "一"
    assert clause_number(["三、主要措施", "（一）构建", "6.完善", "(2) 细则"]) == "三(一)6(2)"
    assert clause_number(["第二章 总则", "第五条 本办法"]) == "第二章第五条"
    assert clause_number(["总体要求"]) == ""


def test_remembered_line_is_the_line_of_what_is_cited(searcher):
    """cited_line gives what gbt7714(csl_item(…)) gives, for every record of every
    document twice (the second time remembered), and a record with a field less (a hit
    carries fewer fields than its record) is not given the full record's line."""
    records = [searcher.record(rid) for doc in searcher.docs()
               for rid in doc.get("record_ids") or []]
    assert len(records) > 500
    for _ in range(2):
        for record in records:
            assert cited_line(record, URL + record["id"], DAY) == \
                gbt7714(csl_item(record, URL + record["id"], DAY))
    award = next(record for record in records if record.get("awarders"))
    bare = {key: value for key, value in award.items() if key != "awarders"}
    assert cited_line(bare, URL, DAY) == gbt7714(csl_item(bare, URL, DAY)) != \
        cited_line(award, URL, DAY)
