"""The embedded engine's ranking, applied to the candidates the cluster ranked first.

The cluster orders the matching records by its own BM25 over the same tokens; the first
:data:`WINDOW` of them are then scored here as :class:`indexer.search.embedded.Embedded`
scores every match — BM25F over the jieba words of text, section headings and title (tf,
df and length from the same tokens), the saturated frequency of phrases, whole words and
expansions in the text, the whole-name boost — with the collection statistics (record
count, average lengths, document frequencies) taken from the cluster. So both engines put
the same records first; beyond the window the cluster's order stands.
"""

import math
import os
from collections import Counter
from dataclasses import dataclass, field

from indexer.search import verify
from indexer.search.embedded import K1, WORD_FIELDS, B

#: The cluster's best candidates re-scored per query (later pages keep the cluster's
#: order, so the pages of one search neither repeat nor skip a record). Fewer is
#: faster on a large archive and may order the later hits of common queries differently
#: from the embedded engine: ``$OPENSEARCH_RESCORE_WINDOW``.
WINDOW = int(os.environ.get("OPENSEARCH_RESCORE_WINDOW") or 200)
#: The _source field holding each scored field's words.
SOURCE_WORDS = {"text": "words", "section": "section_words", "title": "title_words"}


@dataclass
class Stats:
    """Collection statistics: ``records`` (N), ``avg`` token length per field, ``df`` of
    word tokens in the text's words, ``names_df`` of the whole-name keys."""

    records: int
    avg: dict[str, float]
    df: dict[str, int] = field(default_factory=dict)
    names_df: dict[str, int] = field(default_factory=dict)


def _idf(df: int, n: int) -> float:
    """BM25's ``log(1 + (N - df + 0.5) / (df + 0.5))``."""
    return math.log(1 + (n - df + 0.5) / (df + 0.5))


def score(plan, source: dict, text: str, stats: Stats) -> float:
    """The embedded score of one record for ``plan.scoring``: ``source`` is its document's
    _source (its words and names), ``text`` its space-free normalised text."""
    plan = plan.scoring
    words = {name: Counter(source.get(key, "").split()) for name, key in SOURCE_WORDS.items()}
    norms = {name: 1 - B + B * sum(words[name].values()) / max(1.0, stats.avg[name])
             for name in WORD_FIELDS}
    total = 0.0
    for token in dict.fromkeys(plan.word_tokens):
        tf = sum(weight * words[name][token] / norms[name]
                 for name, weight in WORD_FIELDS.items())
        if tf:
            total += _idf(max(1, stats.df.get(token, 0)), stats.records) * tf * (K1 + 1) \
                / (tf + K1)
    for needle, weight in plan.weighted:
        tf = verify.count("".join(needle.split()), text)
        if tf:
            total += weight * tf * (K1 + 1) / (tf + K1 * norms["text"])
    names = source.get("names") or []
    for key, boost in plan.boosts:
        if key in names:
            total += boost * _idf(stats.names_df.get(key, 0), stats.records)
    return total
