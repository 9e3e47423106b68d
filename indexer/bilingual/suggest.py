""""Did you mean": the closest known spelling of an English or pinyin word that expands
to nothing (``recyclng`` → ``recycling``, ``lajii`` → ``laji``).

Known spellings: the glossary's English words, the English words of CC-CEDICT senses of
headwords the index holds, and the pinyin of the index's words (each syllable alone and
each word's syllables run together). The distance is Damerau–Levenshtein (a swapped pair
of letters is one slip); at most 1 for words of up to seven letters, 2 beyond (then with
a length within one of the word's). A word that is English (a sense word of CC-CEDICT or
of the glossary) is never corrected: it is a word the corpus does not use, not a slip.
"""

from collections import defaultdict
from collections.abc import Collection, Iterable

from indexer.analysis import exact_key
from indexer.bilingual import cedict
from indexer.bilingual.corpus import CJK, corpus_count, corpus_words
from indexer.bilingual.english import is_english
from indexer.bilingual.lexicon import english_key, glossary_index
from indexer.bilingual.pinyin import pinyin_key, syllables

#: Shortest word corrected: shorter ones are too close to too many.
MIN_LENGTH = 4


def distance(a: str, b: str, limit: int) -> int:
    """Return the Damerau–Levenshtein distance of ``a`` and ``b``, or ``limit + 1`` if more."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous, row = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, start=1):
            current[j] = min(row[j] + 1, current[j - 1] + 1, row[j - 1] + (ca != cb))
            if previous and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous, row = row, current
    return row[-1]


class Speller:
    """The known spellings of one vocabulary, bucketed by first letter, with a weight each."""

    def __init__(self, vocab: Collection[str]):
        """Collect the spellings (lazily, on the first suggestion)."""
        self.vocab = vocab
        self._buckets: dict[str, dict[str, int]] | None = None

    def _words(self) -> Iterable[str]:
        """The vocabulary's Han words (itself when iterable, else the corpus words it holds)."""
        words = self.vocab if isinstance(self.vocab, Iterable) \
            else (w for w in corpus_words() if w in self.vocab)
        return [w for w in words if CJK.match(w)]

    def buckets(self) -> dict[str, dict[str, int]]:
        """Return first letter → spelling → weight (corpus count of what it stands for)."""
        if self._buckets is None:
            weights: dict[str, int] = defaultdict(int)
            han = self._words()
            for key in glossary_index()[0]:
                for word in key.split():
                    weights[word] += 2          # reviewed: preferred on a tie
            for word in cedict.english_words_of(han):
                weights[word] += 1
            terms = [zh for terms in glossary_index()[0].values() for zh in terms]
            for word in [*han, *(exact_key(t) for t in terms if t in self.vocab)]:
                weights[pinyin_key(word)] += corpus_count(word)
            for syllable in syllables():
                weights[syllable] += 1
            self._buckets = defaultdict(dict)
            for word, weight in weights.items():
                if word:
                    self._buckets[word[0]][word] = weight
        return self._buckets

    def suggest(self, text: str) -> str | None:
        """Return the closest known spelling of ``text`` (a different one), or ``None``.

        A plural is corrected through its singular (``musuems`` → museum + s): the
        dictionaries list singulars.
        """
        word = english_key(text).replace(" ", "")
        if len(word) < MIN_LENGTH or not word.isalpha() or is_english(word):
            return None
        found = self._closest(word)
        if found is None and word.endswith("s") and len(word) > MIN_LENGTH:
            stem = self._closest(word[:-1])
            found = stem and stem + "s"
        return found

    def _closest(self, word: str) -> str | None:
        """Return the known spelling nearest ``word`` within the limit, else ``None``."""
        limit = 1 if len(word) <= 7 else 2
        best: tuple[int, int, str] | None = None
        for first in {word[0], word[1]}:
            for known, weight in self.buckets().get(first, {}).items():
                if known == word:
                    return None
                d = distance(word, known, limit)
                if d == 2 and abs(len(known) - len(word)) > 1:
                    continue
                if d <= limit and (best is None or (d, -weight, known) < best):
                    best = (d, -weight, known)
        return best[2] if best else None

