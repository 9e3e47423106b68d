"""Tests of indexer.refs: cited titles and document numbers, and their normal form."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indexer.refs import extract_citations, extract_refs, normalise_doc_number

CANONICAL = "浙政发〔2017〕40号"


@pytest.mark.parametrize(
    "variant",
    [
        "浙政发〔2017〕40号",
        "浙政发[2017]40号",
        "浙政发［2017］40号",
        "浙政发(2017)40号",
        "浙政发（2017）40号",
        "浙政发【2017】40号",
        "浙政发〔２０１７〕４０号",
        "浙政发〔二〇一七〕40号",
        "浙政发〔2〇17〕40号",
        "浙政发 〔2017〕 40 号",
    ],
)
def test_normalise_doc_number_variants(variant):
    """Every bracket, digit and spacing variant of a number has one spelling."""
    assert normalise_doc_number(variant) == CANONICAL


def test_normalise_keeps_digits_and_prefix():
    """Numbers keep their own digits and agency prefix; serials are not padded or cut."""
    assert normalise_doc_number("浙旅发组办〔2017〕1号") == "浙旅发组办〔2017〕1号"
    assert normalise_doc_number("市委办发[2018]12号") == "市委办发〔2018〕12号"
    assert normalise_doc_number("上政函（2014）075号") == "上政函〔2014〕075号"


def test_normalise_decree_and_other_text():
    """Decree numbers are normalised; text that is no number comes back stripped."""
    assert normalise_doc_number("市政府令第２９０号") == "市政府令第290号"
    assert normalise_doc_number("  物业管理条例 ") == "物业管理条例"


_BRACKETS = st.sampled_from(["〔〕", "[]", "［］", "()", "（）", "【】"])
_YEARS = st.integers(min_value=1949, max_value=2099)
_FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


@given(
    prefix=st.sampled_from(["浙政发", "杭政函", "市委", "中发", "浙爱卫", "下政办"]),
    year=_YEARS,
    serial=st.integers(min_value=1, max_value=999),
    brackets=_BRACKETS,
    fullwidth=st.booleans(),
)
def test_normalise_is_canonical_for_any_variant(prefix, year, serial, brackets, fullwidth):
    """Property: any printed variant normalises to 〔year〕 with ASCII digits, idempotently."""
    digits = (lambda s: s.translate(_FULLWIDTH)) if fullwidth else str
    printed = f"{prefix}{brackets[0]}{digits(str(year))}{brackets[1]}{digits(str(serial))}号"
    expected = f"{prefix}〔{year}〕{serial}号"
    assert normalise_doc_number(printed) == expected
    assert normalise_doc_number(expected) == expected


def test_extract_refs_in_order_without_repeats():
    """Titles (without 《》) and normalised numbers, in order, each once."""
    text = (
        "根据《中共浙江省委关于加强新时代城市基层党建工作的意见》(浙委发〔2018〕14号)和"
        "《中共杭州市委关于加强新时代城市基层党建工作的意见》(市委[2018]12号)精神，"
        "并重申浙委发（2018）14号。"
    )
    assert extract_refs(text) == [
        "中共浙江省委关于加强新时代城市基层党建工作的意见",
        "浙委发〔2018〕14号",
        "中共杭州市委关于加强新时代城市基层党建工作的意见",
        "市委〔2018〕12号",
    ]


def test_extract_refs_strips_leading_verb_from_prefix():
    """A verb glued before the agency prefix (根据浙政发…) is not part of the number."""
    assert extract_refs("根据浙政发〔2017〕40号要求") == ["浙政发〔2017〕40号"]


def test_extract_refs_nested_title_and_decree():
    """A title quoted inside a title (〈…〉) and decree numbers are cited too."""
    text = (
        "《关于印发〈浙江省城镇生活垃圾分类实施方案〉的通知》和"
        "《杭州市餐厨废弃物管理办法》(2016市政府令第290号)"
    )
    assert extract_refs(text) == [
        "关于印发〈浙江省城镇生活垃圾分类实施方案〉的通知",
        "浙江省城镇生活垃圾分类实施方案",
        "杭州市餐厨废弃物管理办法",
        "市政府令第290号",
    ]


def test_extract_refs_none():
    """Plain text cites nothing."""
    assert extract_refs("加强组织领导，建立联席会议制度。") == []


def test_extract_citations_pairs_title_with_following_number():
    """A number in brackets right after a title is that title's; others stand alone."""
    text = (
        "按照《中华人民共和国消防法》《物业管理条例》和《中共中央、国务院关于加强和完善城乡社区"
        "治理的意见》（中发〔2017〕13号），以及浙爱卫[2017]3号要求。"
    )
    assert extract_citations(text) == [
        {"title": "中华人民共和国消防法", "number": None},
        {"title": "物业管理条例", "number": None},
        {"title": "中共中央、国务院关于加强和完善城乡社区治理的意见", "number": "中发〔2017〕13号"},
        {"title": None, "number": "浙爱卫〔2017〕3号"},
    ]


def test_short_form_of_an_earlier_title_is_not_another_citation():
    """《条例》 after 《杭州市生活垃圾管理条例》 names the same document again."""
    text = (
        "要认真抓好《杭州市生活垃圾管理条例》和《杭州市餐厨废弃物管理办法》的贯彻实施,"
        "及时发现和纠正违反《条例》和《办法》的行为,参照《意见》执行。"
    )
    assert extract_refs(text) == ["杭州市生活垃圾管理条例", "杭州市餐厨废弃物管理办法", "意见"]
    assert [c["title"] for c in extract_citations(text)] == [
        "杭州市生活垃圾管理条例",
        "杭州市餐厨废弃物管理办法",
        "意见",
    ]


def test_real_waste_plan_cites_no_short_forms():
    """The waste-sorting plan's cited documents hold full titles only."""
    from indexer import CORPUS_DIR
    from indexer.parse import parse_file

    yearbook = parse_file(CORPUS_DIR / "shangcheng-yearbook-2018.txt")
    doc = next(d for d in yearbook.docs if d["id"] == "shangcheng-2018.20180919")
    titles = [c["title"] for c in doc["cites"] if c["title"]]
    assert "条例" not in titles and "办法" not in titles
    assert "杭州市生活垃圾管理条例" in titles and "生活垃圾分类管理规范" in titles
