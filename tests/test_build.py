"""Index folder: layout, atomic symlink, pruning, no-op when up to date, stable ids."""

import json
import os
import shutil
from pathlib import Path

from micro_corpus import DOCS, RECORDS, YEARBOOK
from whoosh import index, query

from indexer import CORPUS_DIR
from indexer.analysis import SCHEMA_VERSION, query_words
from indexer.build import build, fingerprint, make_schema, publish
from indexer.search import Searcher


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
    ix = index.open_dir(str(link))
    assert ix.doc_count() == 15
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


def test_word_positions_support_whoosh_phrase_queries(micro_index):
    """The ChineseAnalyzer trap: character offsets as positions break phrase queries."""
    ix = index.open_dir(str(micro_index))
    with ix.searcher() as searcher:
        words = query_words("生活垃圾分类")
        assert words == ["生活", "垃圾", "分类"]
        found = {hit["id"] for hit in searcher.search(query.Phrase("text", words), limit=None)}
        assert found == {"micro-2018-p1-pre", "micro-2018-p1-4.3.3"}
        hits = searcher.search(query.Term("text", "aed"), limit=None)
        assert [hit["id"] for hit in hits] == ["micro-2018-p2-5.1"]


def test_the_real_build_carries_the_similar_wording_links(built_index):
    """similar.json is written with the build; the two known reuse cases are linked."""
    data = json.loads((built_index / "similar.json").read_text(encoding="utf-8"))
    meta = json.loads((built_index / "meta.json").read_text(encoding="utf-8"))
    assert meta["similar"]["pairs"] == data["pairs"] == 13
    health = "shangcheng-2018.20181208.3.1.2"
    assert "shangcheng-2018.20180919.3" in {link["id"] for link in data["links"][health]}
    riverside = {link["doc_id"] for link in data["links"]["shangcheng-2018.20181208.3.5.21"]}
    assert "shangcheng-2018.20180930" in riverside
