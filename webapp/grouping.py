"""Results grouped by document: each document once, with its matching records.

A search for a document's name (凤凰行动) otherwise lists its clauses one by one, 31 hits
of the same document. Grouped, the result page shows the document once with the clauses
that match, documents in the order of their best hit. Grouping is the default when the
query names a document: its words, as :func:`~indexer.analysis.exact_key` compares them,
occur in a document title; ``group=none`` or ``group=doc`` in the address decides
explicitly.
"""

from __future__ import annotations

from indexer.analysis import exact_key

#: Records shown under a document on the result page; the rest are a link away (the
#: search within that document).
SHOWN_PER_DOC = 5


def names_a_document(query: str, titles: list[str]) -> bool:
    """True when ``query`` (without operators, filters and quotes), not digits alone,
    occurs in a title."""
    words = [word.strip('"') for word in query.split()
             if ":" not in word and not word.startswith("-") and word != "OR"]
    key = exact_key("".join(words))
    # Digits alone (18, 2018) are in every dated title and name none of them.
    return len(key) >= 2 and not key.isdigit() and any(key in exact_key(title)
                                                       for title in titles)


def group_by_document(hits: list[dict]) -> list[dict]:
    """Hits (best first) as ``{"doc_id", "doc_title", "kind", "total", "hits"}`` groups in
    the order of each document's best hit; ``hits`` keeps the document's hits in order."""
    groups: dict[str, dict] = {}
    for hit in hits:
        group = groups.setdefault(hit["doc_id"], {
            "doc_id": hit["doc_id"], "doc_title": hit.get("doc_title"), "total": 0,
            "hits": []})
        group["total"] += 1
        group["hits"].append(hit)
    return list(groups.values())
