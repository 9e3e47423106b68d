"""What the yearbooks in ``corpus/`` say: their words and how often a term occurs.

Ranking needs the frequency of a candidate in *this* corpus (a government yearbook says
示范 far more often than 游行), and pinyin needs the words to read when the vocabulary it
is given can only answer ``in``.
"""

import re
from functools import lru_cache

import jieba

from indexer import CORPUS_DIR
from indexer.analysis import normalise, query_words

CJK = re.compile(r"^[\u3400-\u9fff]+$")
#: Distinct terms whose corpus count is remembered.
_MAX_COUNTS = 1 << 16
_counts: dict[str, int] = {}


@lru_cache(maxsize=1)
def corpus_text() -> str:
    """Return the normalised, space-free text of ``corpus/*.txt``, files joined by a NUL."""
    return "\x00".join("".join(normalise(path.read_text(encoding="utf-8")).split())
                       for path in sorted(CORPUS_DIR.glob("*.txt")))


def corpus_count(term: str) -> int:
    """Return how often the normalised ``term`` (spaces ignored) occurs in the corpus."""
    found = _counts.get(term)
    if found is None:
        key = "".join(normalise(term).split())
        found = corpus_text().count(key) if key else 0
        if len(_counts) < _MAX_COUNTS:
            _counts[term] = found
    return found


@lru_cache(maxsize=1)
def corpus_words() -> frozenset[str]:
    """Return the normalised jieba words of ``corpus/*.txt``: pinyin targets of last resort."""
    words = set()
    for path in sorted(CORPUS_DIR.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            words.update(query_words(line))
    return frozenset(words)


def jieba_frequency(word: str) -> int:
    """Return jieba's dictionary frequency of ``word`` (general usage, not this corpus)."""
    jieba.dt.check_initialized()
    return jieba.dt.FREQ.get(word, 0)
