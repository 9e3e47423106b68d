"""The OpenSearch backend: the same search as :mod:`indexer.search`, served by a cluster.

The project's own analysis makes every token (:mod:`indexer.analysis`: jieba words, the
normalised text, its character bigrams); OpenSearch only splits them again on spaces
(``whitespace`` analyser) or takes them whole (``keyword``), so both engines see the same
words. Parsing, the plan (English, pinyin and synonym expansion), filters' meaning,
highlighting and the result dict are :mod:`indexer.search`'s own code.

* :mod:`~indexer.opensearch.documents` — a record as an OpenSearch document; the template.
* :mod:`~indexer.opensearch.load` — bulk loading, rebuild behind an alias, add a yearbook.
* :mod:`~indexer.opensearch.queries` — a plan and filters as query DSL.
* :mod:`~indexer.opensearch.backend` — the Backend of :mod:`indexer.search.backend` and
  :class:`OpenSearchSearcher`, the Searcher over it.
* :mod:`~indexer.opensearch.rescore` — the embedded ranking on the cluster's best candidates.

Selected with ``SEARCH_BACKEND=opensearch``; ``OPENSEARCH_URL`` (comma-separated
addresses) names the cluster and ``OPENSEARCH_INDEX`` the alias (default ``yearbook``).
"""

import os

DEFAULT_URL = "http://127.0.0.1:9251"
DEFAULT_ALIAS = "yearbook"


def cluster_urls() -> list[str]:
    """The node addresses of ``$OPENSEARCH_URL`` (comma-separated), else the local cluster."""
    value = os.environ.get("OPENSEARCH_URL") or DEFAULT_URL
    return [part.strip() for part in value.split(",") if part.strip()]


def alias_name() -> str:
    """The alias searches read: ``$OPENSEARCH_INDEX`` or ``yearbook``."""
    return os.environ.get("OPENSEARCH_INDEX") or DEFAULT_ALIAS


def client(urls: list[str] | None = None):
    """An opensearch-py client over ``urls`` (default :func:`cluster_urls`).

    Given every node, it retries a request on another node when one dies: the fault test's
    "0 failed requests" rests on that and on the replicas.
    """
    from opensearchpy import OpenSearch

    return OpenSearch(urls or cluster_urls(), timeout=30, max_retries=3,
                      retry_on_timeout=True, http_compress=False)
