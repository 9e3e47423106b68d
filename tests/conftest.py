"""Shared fixtures: the real corpus index (built once per session) and the micro-corpus index.

``built_index`` / ``searcher`` are meant for every test module that needs the real index
(the web app's tests reuse them); ``micro_index`` / ``micro`` hold tests/micro_corpus.py.
"""

from pathlib import Path

import pytest
from micro_corpus import DOCS, RECORDS, YEARBOOK

from indexer import CORPUS_DIR
from indexer.build import build, publish
from indexer.search import Searcher


@pytest.fixture(scope="session")
def built_index(tmp_path_factory) -> Path:
    """Build the real corpus into a temporary folder once; return its ``index`` symlink."""
    out = tmp_path_factory.mktemp("var")
    build(CORPUS_DIR, out)
    return out / "index"


@pytest.fixture(scope="session")
def searcher(built_index) -> Searcher:
    """A Searcher on the real corpus index."""
    return Searcher(built_index)


@pytest.fixture(scope="session")
def micro_index(tmp_path_factory) -> Path:
    """Build the micro-corpus once; return its ``index`` symlink."""
    out = tmp_path_factory.mktemp("micro")
    publish(out, RECORDS, DOCS, [YEARBOOK], fingerprint="micro")
    return out / "index"


@pytest.fixture(scope="session")
def micro(micro_index) -> Searcher:
    """A Searcher on the micro-corpus index."""
    return Searcher(micro_index)
