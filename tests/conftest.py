"""Shared fixtures: the real corpus index (built once per session) and the micro-corpus index.

``built_index`` / ``searcher`` are meant for every test module that needs the real index
(the web app's tests reuse them); ``micro_index`` / ``micro`` hold tests/micro_corpus.py.

``searcher``, ``micro`` and the web app's ``app`` are parametrised by ``backend``: the
embedded Whoosh index, and the OpenSearch cluster (marked ``cluster``: deselected by plain
``pytest``, selected by ``make test-cluster``, which runs ``pytest -m cluster`` against the
cluster of ``make cluster``). The cluster gets the same build, loaded under test aliases.
"""

import os
from pathlib import Path

import pytest
from micro_corpus import DOCS, RECORDS, YEARBOOK

from indexer import CORPUS_DIR
from indexer.build import build, publish
from indexer.search import Searcher

#: The backends every contract test runs on.
BACKENDS = ["whoosh", pytest.param("opensearch", marks=pytest.mark.cluster)]
#: Aliases the cluster tests load into (a developer's ``yearbook`` alias is left alone).
REAL_ALIAS = "pytest-real"
MICRO_ALIAS = "pytest-micro"


@pytest.fixture(scope="session")
def built_index(tmp_path_factory) -> Path:
    """Build the real corpus into a temporary folder once; return its ``index`` symlink."""
    out = tmp_path_factory.mktemp("var")
    build(CORPUS_DIR, out)
    return out / "index"


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request) -> str:
    """The engine under test: ``whoosh`` or ``opensearch``."""
    return request.param


def load_cluster(alias: str, records, docs, yearbooks, fingerprint) -> None:
    """Load one build into a new index of the test cluster behind ``alias``."""
    from indexer.opensearch import client
    from indexer.opensearch.load import rebuild

    rebuild(client(), records, docs, yearbooks, fingerprint, alias)


@pytest.fixture(scope="session")
def cluster_real(built_index) -> str:
    """The real corpus build loaded into the cluster; its alias (also $OPENSEARCH_INDEX,
    which the web app's OpenSearch searcher reads)."""
    from indexer.opensearch.load import read_build

    load_cluster(REAL_ALIAS, *read_build(built_index))
    previous = os.environ.get("OPENSEARCH_INDEX")
    os.environ["OPENSEARCH_INDEX"] = REAL_ALIAS
    yield REAL_ALIAS
    if previous is None:
        os.environ.pop("OPENSEARCH_INDEX", None)
    else:
        os.environ["OPENSEARCH_INDEX"] = previous


def open_backend(request, backend: str, folder: Path, alias_fixture: str):
    """A searcher of ``backend``: on the build ``folder``, or on the cluster alias that
    the fixture named ``alias_fixture`` loads."""
    if backend == "opensearch":
        from indexer.opensearch.backend import OpenSearchSearcher

        return OpenSearchSearcher(alias=request.getfixturevalue(alias_fixture))
    return Searcher(folder)


@pytest.fixture(scope="session")
def searcher(request, built_index, backend):
    """A searcher on the real corpus index (per backend)."""
    return open_backend(request, backend, built_index, "cluster_real")


@pytest.fixture(scope="session")
def micro_index(tmp_path_factory) -> Path:
    """Build the micro-corpus once; return its ``index`` symlink."""
    out = tmp_path_factory.mktemp("micro")
    publish(out, RECORDS, DOCS, [YEARBOOK], fingerprint="micro")
    return out / "index"


@pytest.fixture(scope="session")
def cluster_micro() -> str:
    """The micro-corpus loaded into the cluster; its alias."""
    load_cluster(MICRO_ALIAS, RECORDS, DOCS, [YEARBOOK], "micro")
    return MICRO_ALIAS


@pytest.fixture(scope="session")
def micro(request, micro_index, backend):
    """A searcher on the micro-corpus index (per backend)."""
    return open_backend(request, backend, micro_index, "cluster_micro")
