"""Adding yearbooks splices them into the live build (indexer.extend); the result must be
the full build's, file for file and answer for answer."""

import shutil
from pathlib import Path

import numpy as np
import orjson
import pytest
from test_search import all_ids

from indexer import CORPUS_DIR, extend
from indexer.build import build
from indexer.postings import Field
from indexer.search import Searcher
from indexer.tokens import FIELDS

FIXTURES = Path(__file__).parent / "fixtures"
#: Byte-identical between an extended and a full build.
SAME_FILES = ("records.jsonl", "offsets.npy", "norm.txt", "searchable.txt", "columns.json",
              "docs.json", "similar.json")
QUERIES = ["垃圾分类", '"生活垃圾分类"', "5万", "宗庆后", "教育", "管理办法", "第三条",
           "先进集体", "AED", "社区 -街道"]


def _add(corpus: Path, name: str) -> None:
    """Copy fixture yearbook ``name`` into ``corpus``."""
    shutil.copy(FIXTURES / name, corpus / name)


def _postings(folder: Path, name: str) -> dict:
    """Field ``name`` of build ``folder`` as term → (record ids, tfs) lists."""
    field = Field(folder, name)
    return {term: (field.ids_of(term).tolist(),
                   None if field.tfs is None else field.postings(term)[1].tolist())
            for term in field}


@pytest.fixture(scope="module")
def grown(tmp_path_factory):
    """A build extended twice (binjiang before, xiacheng after the corpus's yearbook, then
    gongshu between them) and a full build of the same corpus: ``(extended, full, metas)``."""
    tmp = tmp_path_factory.mktemp("extend")
    corpus = tmp / "corpus"
    shutil.copytree(CORPUS_DIR, corpus)
    metas = [build(corpus, tmp / "out")]
    _add(corpus, "binjiang-yearbook-2020.txt")
    _add(corpus, "xiacheng-yearbook-2019.txt")
    metas.append(build(corpus, tmp / "out"))
    _add(corpus, "gongshu-yearbook-2019.txt")
    metas.append(build(corpus, tmp / "out"))
    full = build(corpus, tmp / "full", force=True)
    return Path(metas[-1]["path"]), Path(full["path"]), metas


def test_additions_are_spliced_not_rebuilt(grown):
    _extended, _full, metas = grown
    assert [m["extended"] for m in metas] == [0, 2, 1]
    assert [m["tokenised"] for m in metas] == [1, 2, 1]
    assert [len(m["yearbooks"]) for m in metas] == [1, 3, 4]


@pytest.mark.parametrize("name", SAME_FILES)
def test_an_extended_build_writes_the_full_builds_files(grown, name):
    extended, full, _metas = grown
    assert (extended / name).read_bytes() == (full / name).read_bytes()


@pytest.mark.parametrize("name", FIELDS)
def test_an_extended_build_has_the_full_builds_postings(grown, name):
    """Terms may come in another order (new terms follow the old); each term's records and
    frequencies, and each record's length, are the same."""
    extended, full, _metas = grown
    assert _postings(extended, name) == _postings(full, name)
    lengths = Field(extended, name).lengths
    assert lengths is None or np.array_equal(lengths, Field(full, name).lengths)


def test_the_names_index_maps_the_same_records(grown):
    """The extended Whoosh index has one more segment per addition; its docnums map to the
    same records as the full build's."""
    extended, full, _metas = grown
    assert sorted(np.load(extended / "names.npy").tolist()) == \
        np.load(full / "names.npy").tolist()


@pytest.mark.parametrize("query", QUERIES)
def test_an_extended_build_answers_as_the_full_build(grown, query):
    extended, full, _metas = grown
    assert all_ids(Searcher(extended), query) == all_ids(Searcher(full), query)


def test_a_changed_yearbook_falls_back_to_a_full_build(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS_DIR, corpus)
    build(corpus, tmp_path / "out")
    _add(corpus, "xiacheng-yearbook-2019.txt")
    text = next(corpus.glob("shangcheng-*.txt"))
    text.write_bytes(text.read_bytes() + "\n（完）\n".encode())
    meta = build(corpus, tmp_path / "out")
    assert meta["extended"] == 0 and meta["parsed"] == 2
    columns = orjson.loads((Path(meta["path"]) / "columns.json").read_bytes())
    assert len(columns["ids"]) == meta["counts"]["records"]


@pytest.mark.parametrize("seed", range(20))
def test_insert_is_numpys(seed):
    rng = np.random.default_rng(seed)
    old = rng.integers(0, 1000, rng.integers(0, 50)).astype(np.int32)
    at = np.sort(rng.integers(0, len(old) + 1, rng.integers(1, 20)))
    values = rng.integers(0, 1000, len(at)).astype(np.int32)
    assert extend._insert(old, at, values).tolist() == np.insert(old, at, values).tolist()
