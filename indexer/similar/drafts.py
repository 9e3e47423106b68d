"""A pasted draft checked paragraph by paragraph against the collection's clauses.

Every shingle of the draft counts here, boilerplate or not: what an editor pasted is what
they want checked. A paragraph's candidates are the clauses sharing the most shingles
with it (through the :class:`ShingleIndex`), then each candidate's shared passages are
measured on the folded forms (numbers collapsed) and on the printed text.
"""

from __future__ import annotations

import re

import numpy as np

from indexer.similar.diff import compare
from indexer.similar.links import LINK_FIELDS, Collection
from indexer.similar.passages import K, common_passages, shared_length
from indexer.similar.shingles import window_hashes
from indexer.similar.text import NUMBER

#: Longest draft checked (characters); beyond it the draft is cut at a paragraph end and
#: the report says so.
MAX_DRAFT = 20000
#: Most paragraphs checked; further ones are reported as not checked.
MAX_PARAGRAPHS = 60
#: Earlier wordings listed per paragraph.
PER_PARAGRAPH = 3
#: Clauses measured per paragraph: those sharing the most shingles with it.
CANDIDATES = 12
_PARAGRAPH = re.compile(r"[^\r\n]+")


def split_paragraphs(text: str) -> list[tuple[int, int]]:
    """``[start, end)`` of each non-blank line of ``text`` (an editor's paragraph),
    surrounding spaces excluded."""
    spans = []
    for m in _PARAGRAPH.finditer(text):
        start, end = m.start(), m.end()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            spans.append((start, end))
    return spans


def _candidates(collection: Collection, chars: str, top: int) -> list[int]:
    """Clauses sharing the most distinct shingles with ``chars`` (at most ``top``)."""
    hashes = np.unique(window_hashes(chars))
    hashes = hashes[hashes != 0]
    if not len(hashes) or not collection.index.size:
        return []
    _, clauses = collection.index.postings(hashes)
    if not len(clauses):
        return []
    counts = np.bincount(clauses)
    order = np.lexsort((np.arange(len(counts)), -counts))
    return [int(n) for n in order[:top] if counts[n] > 0]


def match(collection: Collection, text: str, limit: int, top: int = CANDIDATES) -> list[dict]:
    """Clauses sharing wording with ``text``, best first (at most ``limit``).

    Each hit: the clause's link fields, ``text``, ``score`` (shared characters ÷ the
    pasted text), ``clause_score`` (÷ the clause), ``exact_score``/``exact_clause_score``
    (the same without folding numbers) and ``shared`` (offsets: a = the pasted text,
    b = the clause). Ties go to the clause with the higher clause score, then the older.
    """
    measured: dict[str, dict | None] = {}  # reprinted clauses share their measure
    hits = []
    for n in _candidates(collection, collection.form(text).chars, top):
        rec = collection.records[n]
        if rec["text"] not in measured:
            measured[rec["text"]] = _measure(collection, text, rec["text"])
        if measured[rec["text"]] is not None:
            hits.append({**{key: rec.get(key) for key in LINK_FIELDS},
                         "section": rec.get("section", []), "text": rec["text"],
                         **measured[rec["text"]]})
    hits.sort(key=lambda h: (-h["score"], -h["clause_score"], h.get("date") or "", h["id"]))
    return hits[:limit]


def _measure(collection: Collection, text: str, clause: str) -> dict | None:
    """Scores and shared passages of a pasted ``text`` against a ``clause`` text (see
    :func:`match`), or None when they share no passage of ``K`` characters."""
    query, norm = collection.form(text), collection.form(clause)
    passages = common_passages(query, norm, min_len=K)
    if not passages:
        return None
    shared = shared_length(passages)
    query_exact, clause_exact = collection.form(text, False), collection.form(clause, False)
    exact = shared
    if NUMBER in query.chars or NUMBER in norm.chars:  # folding changed something
        exact = shared_length(common_passages(query_exact, clause_exact, min_len=K))
    return {
        "score": round(shared / max(1, query.length), 3),
        "clause_score": round(shared / max(1, norm.length), 3),
        "exact_score": round(exact / max(1, query_exact.length), 3),
        "exact_clause_score": round(exact / max(1, clause_exact.length), 3),
        "shared": [{k: p[k] for k in ("text", "a_start", "a_end", "b_start", "b_end")}
                   for p in passages],
    }


def _cut(text: str, spans: list[tuple[int, int]]) -> tuple[list[tuple[int, int]], bool]:
    """The paragraphs checked: within ``MAX_DRAFT`` characters and ``MAX_PARAGRAPHS``;
    a single paragraph longer than the limit is cut at it. Returns them and whether any
    text was left out."""
    kept = []
    for start, end in spans[:MAX_PARAGRAPHS]:
        if end > MAX_DRAFT:
            if start < MAX_DRAFT and not kept:
                kept.append((start, MAX_DRAFT))
            break
        kept.append((start, end))
    return kept, len(kept) < len(spans) or (bool(kept) and kept[-1][1] < spans[len(kept) - 1][1])


def check_draft(text: str, collection: Collection, per_paragraph: int = PER_PARAGRAPH) -> dict:
    """The paragraph report of a draft.

    Returns ``{"paragraphs", "truncated", "checked_chars", "total_chars", "max_chars",
    "max_paragraphs", "total_paragraphs"}``; each paragraph: ``n`` (1-based), ``start``,
    ``end`` (offsets into ``text``), ``text`` and ``hits`` (see :func:`match`; each also
    with ``diff``, a = the earlier clause, b = the paragraph, and ``numbers``, the numbers
    the paragraph revises: ``{"a": earlier, "b": draft}``).
    """
    spans = split_paragraphs(text)
    kept, truncated = _cut(text, spans)
    paragraphs = []
    for n, (start, end) in enumerate(kept, 1):
        para = text[start:end]
        hits = match(collection, para, per_paragraph)
        for hit in hits:
            hit.update(compare(hit["text"], para))
        paragraphs.append({"n": n, "start": start, "end": end, "text": para, "hits": hits})
    return {
        "paragraphs": paragraphs,
        "truncated": truncated,
        "checked_chars": kept[-1][1] if kept else 0,
        "total_chars": len(text),
        "total_paragraphs": len(spans),
        "max_chars": MAX_DRAFT,
        "max_paragraphs": MAX_PARAGRAPHS,
    }
