"""English words and phrases → Chinese terms of the index, ranked.

Sources, best first: the reviewed glossary entry equal to the English; a CC-CEDICT sense
equal to it; a glossary entry whose head (last) word it is; a CC-CEDICT sense containing it (only
for a word no sense equals: ``zone``, whose translations the corpus does not print, must
not become 步行街 of "pedestrian zone").

CC-CEDICT candidates equal to the English are scored by sense order (a headword's first
sense is its meaning, its sixth a stretch: 游行 is a "demonstration" only in sense six), a
word over a single character (a character's sense is one of many, and it occurs
everywhere), a noun sense over a verb sense, and how often this corpus uses the term
(a yearbook says 示范 far more than 游行); those scoring well below the best are dropped
and at most :data:`MAX_CEDICT` kept.
"""

import math
from collections.abc import Collection, Iterable

from indexer.analysis import normalise, query_words
from indexer.bilingual import cedict
from indexer.bilingual.corpus import corpus_count
from indexer.bilingual.lexicon import STOPWORDS, glossary_index, lemmas, verb_bases

# Ranking tiers of the English sources, lower is better.
GLOSS_WHOLE, CEDICT_WHOLE, GLOSS_WORD, CEDICT_WORD = 1, 2, 3, 4
#: Most CC-CEDICT candidates of one English word or phrase.
MAX_CEDICT = 3
#: Most glossary entries merely ending in the word (``education`` → 特殊教育).
MAX_GLOSS_WORD = 2
#: A CC-CEDICT candidate scoring below this share of the best one is dropped.
RELATIVE_SCORE = 0.3
#: How fast a later sense loses weight: sense n counts 1 / (1 + SENSE_DECAY · n).
SENSE_DECAY = 0.5
#: Weights of a single character and of a verb sense against a word and a noun sense.
CHARACTER_WEIGHT = 0.25
VERB_WEIGHT = 0.8
#: Weight of a sense found through a base form (``building`` → build) against the word typed.
LEMMA_WEIGHT = 0.6

Candidate = tuple[tuple, str, str]   # (rank, Chinese term, source)


def occurs(term: str, vocab: Collection[str], allow_split: bool) -> bool:
    """True when ``term`` is an index term, or (``allow_split``) all of its jieba words are.

    Reviewed glossary terms may be split by jieba (``垃圾分类`` → ``垃圾`` ``分类``); the
    search then matches them as a phrase.
    """
    norm = normalise(term)
    if norm in vocab:
        return True
    if not allow_split:
        return False
    words = query_words(norm)
    return len(words) > 1 and all(w in vocab for w in words)


def sense_score(number: int, verb: bool, term: str) -> float:
    """Score a CC-CEDICT headword for an English sense (higher is better).

    The corpus count is damped twice (log, square root): it breaks ties between senses
    of equal standing, it must not let a common word's sixth sense beat a main sense.
    """
    return (1 / (1 + SENSE_DECAY * number)) * (CHARACTER_WEIGHT if len(term) == 1 else 1.0) \
        * (VERB_WEIGHT if verb else 1.0) * math.sqrt(math.log(2 + corpus_count(term)))


def candidates(key: str, vocab: Collection[str], whole_only: bool = False) -> list[Candidate]:
    """Return the glossary and CC-CEDICT candidates of an English key, ranked.

    ``whole_only``: only entries equal to the key (a phrase is tried as one unit so).
    """
    gloss_whole, gloss_words = glossary_index()
    found: list[Candidate] = []
    for lemma in lemmas(key):
        for i, zh in enumerate(gloss_whole.get(lemma, ())):
            if occurs(zh, vocab, allow_split=True):
                found.append(((GLOSS_WHOLE, i), zh, "glossary"))
    found += _cedict_whole(key, vocab)
    if whole_only or " " in key:
        return found
    partial = {}
    for lemma in lemmas(key):
        for size, head, zh in gloss_words.get(lemma, ()):
            # Only as the head: a special education is an education, a third-class merit
            # is no class.
            if head and zh not in partial and occurs(zh, vocab, allow_split=True):
                partial[zh] = (GLOSS_WORD, size)
    found += [(rank, zh, "glossary") for zh, rank in
              sorted(partial.items(), key=lambda item: item[1])[:MAX_GLOSS_WORD]]
    cedict_whole, _ = cedict.senses()
    if not found and not any(lemma in cedict_whole for lemma in lemmas(key)):
        found = _cedict_words(key, vocab)
    return found


def _cedict_whole(key: str, vocab: Collection[str]) -> list[Candidate]:
    """CC-CEDICT headwords with a sense equal to ``key`` (any form), best :data:`MAX_CEDICT`.

    A form made from a verb (``recycling``) takes only verb senses of the verb. A single
    character counts only by its main sense, only when no word fits, and only when the
    index holds it as a word of its own.
    """
    whole, _ = cedict.senses()
    scored: dict[str, float] = {}
    forms = [(lemma, False, i > 0) for i, lemma in enumerate(lemmas(key))] \
        + [(verb, True, True) for verb in verb_bases(key)]
    for form, verbs_only, derived in forms:
        for number, verb, zh in whole.get(form, ()):
            if verbs_only and not verb:
                continue
            if (number == 0 or len(zh) > 1) and occurs(zh, vocab, allow_split=False):
                score = sense_score(number, verb, zh) * (LEMMA_WEIGHT if derived else 1.0)
                scored[zh] = max(scored.get(zh, 0.0), score)
    if any(len(zh) > 1 for zh in scored):
        scored = {zh: s for zh, s in scored.items() if len(zh) > 1}
    own = _own_words(vocab)
    scored = {zh: s for zh, s in scored.items() if len(zh) > 1 or own is None or zh in own}
    return _best(scored, CEDICT_WHOLE)


_OWN_WORDS: dict[int, tuple[Collection[str], frozenset[str]]] = {}


def _own_words(vocab: Collection[str]) -> frozenset[str] | None:
    """The words ``vocab`` holds as words (when it can list them), else ``None``.

    ``in`` also answers for any substring of the texts; a single character must be a word
    of the index on its own to be offered (尊 for "senior" is printed only inside 尊重).
    """
    if not isinstance(vocab, Iterable):
        return None
    cached = _OWN_WORDS.get(id(vocab))
    if cached is None or cached[0] is not vocab:
        if len(_OWN_WORDS) >= 4:
            _OWN_WORDS.pop(next(iter(_OWN_WORDS)))
        cached = _OWN_WORDS[id(vocab)] = (vocab, frozenset(vocab))
    return cached[1]


def _cedict_words(key: str, vocab: Collection[str]) -> list[Candidate]:
    """CC-CEDICT words with a short sense containing ``key``: the last resort."""
    _, by_word = cedict.senses()
    scored: dict[str, float] = {}
    for lemma in lemmas(key):
        for size, zh in by_word.get(lemma, ()):
            if len(zh) > 1 and occurs(zh, vocab, allow_split=False):
                scored[zh] = max(scored.get(zh, 0.0), sense_score(size - 1, False, zh))
    return _best(scored, CEDICT_WORD)


def _best(scored: dict[str, float], tier: int) -> list[Candidate]:
    """Keep the best :data:`MAX_CEDICT` of ``scored`` within :data:`RELATIVE_SCORE` of the top."""
    if not scored:
        return []
    top = max(scored.values())
    ranked = sorted(scored.items(), key=lambda item: (-item[1], item[0]))
    return [((tier, -score), zh, "cedict") for zh, score in ranked[:MAX_CEDICT]
            if score >= RELATIVE_SCORE * top]


def is_english(key: str) -> bool:
    """True when ``key`` reads as English: a stop word or a word of glossary or CEDICT."""
    if key in STOPWORDS:
        return True
    gloss_whole, gloss_words = glossary_index()
    cedict_whole, cedict_words = cedict.senses()
    return any(form in index for form in lemmas(key) + verb_bases(key)
               for index in (gloss_whole, gloss_words, cedict_whole, cedict_words))
