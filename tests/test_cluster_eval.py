"""``make eval`` on the cluster gives the embedded engine's figures (``make test-cluster``)."""

import pytest

from bench.evaluate import load_queries, run_query, summarise
from indexer.opensearch.backend import OpenSearchSearcher
from indexer.search import Searcher

pytestmark = pytest.mark.cluster


def test_eval_figures_on_the_cluster_equal_the_embedded_engines(built_index, cluster_real):
    queries = load_queries()
    embedded = summarise([run_query(Searcher(built_index), q) for q in queries])
    cluster = summarise([run_query(OpenSearchSearcher(alias=cluster_real), q) for q in queries])
    assert embedded.keys() == cluster.keys()
    for group, row in embedded.items():
        for metric in ("recall", "mrr", "ndcg"):
            assert cluster[group][metric] == pytest.approx(row[metric], abs=0.01), (group, metric)
