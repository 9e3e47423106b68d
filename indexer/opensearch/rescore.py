"""The embedded engine's ranking, applied to the candidates the cluster ranked first.

The cluster orders the matching records by its own BM25 over the same tokens; the first
:data:`WINDOW` of them are then scored here as :mod:`indexer.search.scoring` scores every
match (BM25F over text, section headings and title with term frequencies counted on the
space-free strings, the saturated frequency of phrases, whole words and expansions, and
the whole-name boost), with the collection statistics — record count, average lengths,
document frequencies — taken from the cluster. So both engines put the same records first;
beyond the window the cluster's order stands.
"""

import math
from dataclasses import dataclass, field

from indexer.search.scoring import K1
from indexer.search.state import WORD_FIELDS, B

#: Candidates re-scored per query (more when the page asked for lies deeper).
WINDOW = 1000


@dataclass
class Stats:
    """Collection statistics: ``records`` (N), ``avg`` length per field (text, section,
    title, names), ``df`` of word tokens in the text's word index, ``names_df`` of the
    whole-name keys."""

    records: int
    avg: dict[str, float]
    df: dict[str, int] = field(default_factory=dict)
    names_df: dict[str, int] = field(default_factory=dict)


def _norm(length: int, avg: float) -> float:
    """BM25 length normalisation ``1 - b + b·len/avglen``."""
    return 1 - B + B * length / max(1.0, avg)


def score(plan, strings: dict[str, str], names: list[str], stats: Stats) -> float:
    """The embedded score of one record: ``strings`` are its space-free text, section and
    title (see documents.match_strings), ``names`` its whole-name keys."""
    norms = {name: _norm(len(strings[name]), stats.avg[name]) for name in WORD_FIELDS}
    total = 0.0
    for token in dict.fromkeys(plan.word_tokens):
        tf = sum(weight * strings[name].count(token) / norms[name]
                 for name, weight in WORD_FIELDS.items())
        if tf:
            df = max(1, stats.df.get(token, 0))
            idf = math.log(1 + (stats.records - df + 0.5) / (df + 0.5))
            total += idf * tf * (K1 + 1) / (tf + K1)
    for needle, weight in plan.weighted:
        tf = strings["text"].count("".join(needle.split()))
        if tf:
            total += weight * tf * (K1 + 1) / (tf + K1 * norms["text"])
    return total + _name_boost(plan, names, stats)


def _name_boost(plan, names: list[str], stats: Stats) -> float:
    """Whoosh's BM25F score of the whole-name terms (``idf = log(N/(df+1)) + 1``)."""
    total = 0.0
    for boost in plan.boosts:
        tf = names.count(boost.text)
        if tf:
            idf = math.log(stats.records / (stats.names_df.get(boost.text, 0) + 1)) + 1
            norm = _norm(len(names), stats.avg["names"])
            total += boost.boost * idf * tf * (K1 + 1) / (tf + K1 * norm)
    return total
