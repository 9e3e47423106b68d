"""Index folder: layout, atomic symlink, pruning, no-op when up to date, stable ids."""

import json
import os
import shutil
from pathlib import Path

import numpy as np
from micro_corpus import DOCS, RECORDS, YEARBOOK
from test_search import all_ids
from whoosh import index

from indexer import CORPUS_DIR
from indexer.analysis import SCHEMA_VERSION
from indexer.build import build, fingerprint, make_schema, publish
from indexer.postings import Field
from indexer.search import Searcher

FIXTURES = Path(__file__).parent / "fixtures"


def record_ids(index_link: Path) -> list[str]:
    """Return the record ids of records.jsonl behind ``index_link``, in file order."""
    with open(index_link / "records.jsonl", encoding="utf-8") as lines:
        return [json.loads(line)["id"] for line in lines]


def test_publish_writes_the_layout_and_swaps_the_symlink(tmp_path):
    result = publish(tmp_path, RECORDS, DOCS, [YEARBOOK], fingerprint="fp")
    link = tmp_path / "index"
    assert link.is_symlink()
    assert os.readlink(link) == f"builds/{Path(result['path']).name}"
    assert {"records.jsonl", "docs.json", "meta.json"} <= set(os.listdir(link))
    meta = json.loads((link / "meta.json").read_text(encoding="utf-8"))
    assert meta["schema_version"] == SCHEMA_VERSION
    assert meta["fingerprint"] == "fp"
    assert meta["counts"] == {"records": 15, "docs": 4, "yearbooks": 1,
                              "kinds": {"award": 4, "clause": 8, "list": 3}}
    assert record_ids(link) == [r["id"] for r in RECORDS]
    # Whoosh holds the records with whole names: awards, list entries and each document's
    # first record (its title); names.npy gives their record indexes.
    named = [i for i, r in enumerate(RECORDS)
             if r["kind"] != "clause" or i == 0 or RECORDS[i - 1]["doc_id"] != r["doc_id"]]
    ix = index.open_dir(str(link))
    assert ix.doc_count() == len(named) == 9
    assert np.load(link / "names.npy").tolist() == named
    assert set(ix.schema.names()) == set(make_schema().names())


def test_only_the_last_two_builds_are_kept_and_the_live_one_is_among_them(tmp_path):
    paths = [publish(tmp_path, RECORDS, DOCS, [YEARBOOK], fingerprint=str(n))["path"]
             for n in range(4)]
    kept = sorted(str(p) for p in (tmp_path / "builds").iterdir())
    assert kept == paths[2:]
    assert (tmp_path / "index").resolve() == Path(paths[3])
    assert not list(tmp_path.glob(".index.tmp-*"))


def test_a_searcher_refreshes_onto_a_new_build(tmp_path):
    publish(tmp_path, RECORDS, DOCS, [YEARBOOK], fingerprint="one")
    searcher = Searcher(tmp_path / "index")
    assert searcher.search("望江街道")["total"] == 1
    extra = {**RECORDS[-1], "id": "micro-2018-l1-16", "seq": 16, "name": "望江街道近江社区",
             "text": "望江街道近江社区"}
    publish(tmp_path, [*RECORDS, extra], DOCS, [YEARBOOK], fingerprint="two")
    assert searcher.refresh() is True
    assert searcher.meta["fingerprint"] == "two"
    assert searcher.search("望江街道")["total"] == 2
    assert searcher.refresh() is False


def test_build_is_a_no_op_when_up_to_date_and_ids_are_stable(tmp_path, capsys):
    first = build(CORPUS_DIR, tmp_path)
    assert first["status"] == "built"
    assert "indexed" in capsys.readouterr().out
    again = build(CORPUS_DIR, tmp_path)
    assert again["status"] == "up-to-date"
    assert capsys.readouterr().out.startswith("index up to date")
    ids = record_ids(tmp_path / "index")
    forced = build(CORPUS_DIR, tmp_path, force=True)
    assert forced["status"] == "built" and forced["path"] != first["path"]
    assert record_ids(tmp_path / "index") == ids
    assert len(ids) == len(set(ids)) == first["counts"]["records"]


def test_fingerprint_follows_the_corpus_files(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS_DIR, corpus)
    before = fingerprint(corpus)
    assert fingerprint(corpus) == before
    text = next(corpus.glob("*.txt"))
    text.write_text(text.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert fingerprint(corpus) != before


def test_word_postings_keep_latin_as_written(micro_index):
    """The ChineseAnalyzer trap: no stemming (AED → a); postings are ascending record
    indexes with the term's frequency."""
    text = Field(micro_index.resolve(), "text")
    ids = [record_ids(micro_index)[i] for i in text.postings("aed")[0].tolist()]
    assert ids == ["micro-2018-p2-5.1"] and "a" not in text
    grams = Field(micro_index.resolve(), "grams")
    found = [record_ids(micro_index)[i] for i in grams.ids_of("垃圾").tolist()]
    assert found == sorted(found, key=record_ids(micro_index).index)


def _records_jsonl(index_dir):
    """The lines of ``index_dir``'s records.jsonl."""
    return (index_dir / "records.jsonl").read_text(encoding="utf-8").splitlines()


def test_adding_a_yearbook_parses_and_tokenises_only_that_file_and_keeps_ids_and_results(
        tmp_path):
    """The parse and token caches are keyed by content: a new yearbook is the only file
    parsed and tokenised, the old records keep their ids, their exact JSON and every old
    search its answer."""
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS_DIR, corpus)
    first = build(corpus, tmp_path / "out")
    assert first["parsed"] == first["tokenised"] == len(first["yearbooks"]) == 1
    ids = record_ids(tmp_path / "out" / "index")
    lines = _records_jsonl(tmp_path / "out" / "index")
    queries = ["垃圾分类", '"生活垃圾分类"', "5万", "宗庆后", "教育"]
    before = {q: all_ids(Searcher(tmp_path / "out" / "index"), q) for q in queries}
    shutil.copy(FIXTURES / "xiacheng-yearbook-2019.txt", corpus)
    second = build(corpus, tmp_path / "out")
    assert (second["parsed"], second["tokenised"], len(second["yearbooks"])) == (
        1, 1, len(first["yearbooks"]) + 1)
    grown = record_ids(tmp_path / "out" / "index")
    assert [rid for rid in grown if rid in set(ids)] == ids and len(grown) > len(ids)
    kept = set(lines)
    assert [line for line in _records_jsonl(tmp_path / "out" / "index") if line in kept] == lines
    searcher = Searcher(tmp_path / "out" / "index")
    old = first["yearbooks"][0]["id"]
    for q in queries:
        assert sorted(all_ids(searcher, q, yearbook=old)) == sorted(before[q]), q
    forced = build(corpus, tmp_path / "out", force=True)
    assert forced["parsed"] == forced["tokenised"] == 0


def test_the_real_build_carries_the_similar_wording_links(built_index):
    """similar.json is written with the build; the two known reuse cases are linked."""
    data = json.loads((built_index / "similar.json").read_text(encoding="utf-8"))
    meta = json.loads((built_index / "meta.json").read_text(encoding="utf-8"))
    assert meta["similar"]["pairs"] == data["pairs"] == 13
    health = "shangcheng-2018.20181208.3.1.2"
    assert "shangcheng-2018.20180919.3" in {link["id"] for link in data["links"][health]}
    riverside = {link["doc_id"] for link in data["links"]["shangcheng-2018.20181208.3.5.21"]}
    assert "shangcheng-2018.20180930" in riverside
