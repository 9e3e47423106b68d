"""Scoring: BM25F over the words, substring weights and whole-name boosts.

Scoring counts term frequencies on the normalised strings (Whoosh's own matcher tree cost
4–10× more per query on the ×50 corpus); Whoosh supplies the document frequencies and the
whole-name boosts.
"""

import math

from whoosh import query as wq

from indexer.search.plan import Plan
from indexer.search.state import WORD_FIELDS, State

K1 = 1.2


def score(state: State, found: set[int], plan: Plan) -> dict[int, float]:
    """Score the matched records: BM25F over the words, substring weights, name boosts."""
    scores = dict.fromkeys(found, 0.0)
    for token in dict.fromkeys(plan.word_tokens):
        _add_bm25f(state, token, scores)
    for needle, weight in plan.weighted:
        _add_saturated(state, "".join(needle.split()), weight, scores)
    if found and plan.boosts:
        docnums = {state.doc_of_rec[i] for i in found}
        with state.lock:
            # The boosts are whole-name terms with tiny postings: filtering is cheap.
            results = state.searcher.search(wq.Or(plan.boosts), limit=None, filter=docnums,
                                            terms=False)
            for docnum, score in results.items():
                scores[state.rec_of_doc[docnum]] += score
    return scores


def _add_bm25f(state: State, token: str, scores: dict[int, float]) -> None:
    """Add BM25F of ``token`` over text, section and title to each record of ``scores``.

    Term frequencies are counted on the space-free normalised fields (so they include the
    places jieba cut differently); the document frequency is the word index's.
    """
    df = max(1, state.reader.doc_frequency("text", token))
    idf = math.log(1 + (len(state.records) - df + 0.5) / (df + 0.5))
    fields = [(state.fields[name], state.length_norms[name], weight)
              for name, weight in WORD_FIELDS.items()]
    for i in scores:
        tf = 0.0
        for strings, norms, weight in fields:
            count = strings[i].count(token)
            if count:
                tf += weight * count / norms[i]
        if tf:
            scores[i] += idf * tf * (K1 + 1) / (tf + K1)


def _add_saturated(state: State, needle: str, weight: float, scores: dict[int, float]) -> None:
    """Add ``weight`` × saturated, length-normalised frequency of ``needle`` in the text."""
    texts, norms = state.fields["text"], state.length_norms["text"]
    for i in scores:
        tf = texts[i].count(needle)
        if tf:
            scores[i] += weight * tf * (K1 + 1) / (tf + K1 * norms[i])


