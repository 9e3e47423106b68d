"""Results grouped by document: each document once, with its matching records.

A search for a document's name (凤凰行动) otherwise lists its clauses one by one, 31 hits
of the same document. Grouped, the result page shows the document once with the clauses
that match, documents in the order of their best hit. Grouping is the default when the
query names a document: its words, as :func:`~indexer.analysis.exact_key` compares them,
occur in one title (or two or three, see MAX_NAMED); ``group=none`` or ``group=doc`` in
the address decides explicitly.
"""

from __future__ import annotations

from indexer.analysis import exact_key

#: Records shown under a document on the result page; the rest are a link away (the
#: search within that document).
SHOWN_PER_DOC = 5
#: A query names a document when it is part of at most this many titles: 凤凰行动 names
#: one; 上城区, in most titles, names none (and grouping it would mean reading every hit
#: of a broad search: 0.5 s for its 611 records, against 40 ms for a page of them).
MAX_NAMED = 3


def title_keys(titles: list[str]) -> str:
    """The titles as :func:`names_a_document` compares them: each one's
    :func:`~indexer.analysis.exact_key`, one a line (a key holds no whitespace)."""
    return "\n".join(exact_key(title) for title in titles)


def names_a_document(query: str, keys: str) -> bool:
    """True when ``query`` (without operators, filters and quotes), not digits alone,
    occurs in at least one and at most MAX_NAMED titles (``keys``: see :func:`title_keys`)."""
    words = [word.strip('"') for word in query.split()
             if ":" not in word and not word.startswith("-") and word != "OR"]
    key = exact_key("".join(words))
    # Digits alone (18, 2018) are in every dated title and name none of them.
    if len(key) < 2 or key.isdigit():
        return False
    named, pos = 0, keys.find(key)
    while pos >= 0 and named <= MAX_NAMED:
        named += 1
        pos = keys.find("\n", pos)     # on to the next title
        pos = keys.find(key, pos + 1) if pos >= 0 else -1
    return 1 <= named <= MAX_NAMED


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
