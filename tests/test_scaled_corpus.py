"""The benchmark's scaled corpus: renamed copies, byte-identical or with distinct quantities
that parse to the same structure (a cold build at scale, ``python -m bench.cold``)."""

from bench import QUANTITY, scaled_corpus, vary_quantities
from indexer import CORPUS_DIR
from indexer.parse import parse_file

ORIGINAL = CORPUS_DIR / "shangcheng-yearbook-2018.txt"


def _shape(yearbook) -> list[tuple]:
    """Each record's id and document id without the yearbook, its kind and its text with
    every quantity blanked (numbering such as 第3条 and dates stay as printed)."""
    return [(r["id"].partition(".")[2], r["doc_id"].partition(".")[2], r["kind"],
             QUANTITY.sub("N", r["text"])) for r in yearbook.records]


def test_quantities_vary_but_not_years_dates_or_numbering():
    text = "12.加强管理，第3条，2018年11月，不超过50万元，1.5倍，500平方米，每年培训不少于56个学时"
    assert vary_quantities(text, 0) == text
    assert vary_quantities(text, 1) == (
        "12.加强管理，第3条，2018年11月，不超过49万元，9.5倍，319平方米，每年培训不少于55个学时")


def test_identical_copies_by_default(tmp_path):
    folder = scaled_corpus(CORPUS_DIR, 2, tmp_path / "x2")
    copies = sorted(folder.glob("*.txt"))
    assert [p.name for p in copies] == ["shangcheng00-yearbook-2018.txt",
                                        "shangcheng01-yearbook-2018.txt"]
    assert {p.read_bytes() for p in copies} == {ORIGINAL.read_bytes()}
    assert sorted(p.name for p in folder.glob("*.tsv")) == sorted(
        p.name for p in CORPUS_DIR.glob("*.tsv"))


def test_distinct_copies_parse_to_the_original_structure(tmp_path):
    folder = scaled_corpus(CORPUS_DIR, 3, tmp_path / "x3", distinct=True)
    copies = sorted(folder.glob("*.txt"))
    assert copies[0].read_bytes() == ORIGINAL.read_bytes()
    assert len({p.read_bytes() for p in copies}) == 3
    original = parse_file(ORIGINAL)
    for path in copies[1:]:
        copy = parse_file(path)
        assert _shape(copy) == _shape(original)
        assert copy.warnings == []
        changed = sum(a["text"] != b["text"] for a, b in zip(copy.records, original.records,
                                                               strict=True))
        assert changed == sum(bool(QUANTITY.search(r["text"])) for r in original.records)
