"""Which engine answers searches: ``SEARCH_BACKEND`` = ``whoosh`` (the embedded index, the
default) or ``opensearch`` (the cluster of ``OPENSEARCH_URL``, see :mod:`indexer.opensearch`).

Both give the interface of :class:`indexer.search.Searcher`; a caller asks for a factory by
name and never learns which one it got.
"""

import os

BACKENDS = ("whoosh", "opensearch")


def backend_name(name: str | None = None) -> str:
    """``name``, else ``$SEARCH_BACKEND``, else ``whoosh``; ValueError for an unknown one."""
    chosen = (name or os.environ.get("SEARCH_BACKEND") or "whoosh").strip().lower()
    if chosen not in BACKENDS:
        raise ValueError(f"SEARCH_BACKEND must be one of {', '.join(BACKENDS)} (got {chosen!r})")
    return chosen


def searcher_factory(name: str | None = None):
    """A callable taking an index folder and returning a searcher of backend ``name``.

    The OpenSearch searcher ignores the folder: the cluster's alias is its index, and it
    follows a rebuild by itself (:meth:`OpenSearchSearcher.refresh`).
    """
    if backend_name(name) == "opensearch":
        from indexer.opensearch.backend import OpenSearchSearcher

        return lambda folder: OpenSearchSearcher()
    from indexer.search import Searcher

    return Searcher
