"""Pinyin → Chinese words of one vocabulary: full pinyin (with or without spaces, tone
marks or tone numbers: ``laji fenlei``, ``lājī``, ``la4ji1``, ``zongqinghou``) and the
initials of words of three or more characters (``ljfl`` → 垃圾分类).

Readings come from pypinyin. Candidates are returned as ``(sort key, word)``, lower
sorting first; :mod:`indexer.bilingual.expand` ranks them against the other sources.
"""

import re
import unicodedata
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice, product

from pypinyin import Style, lazy_pinyin
from pypinyin.pinyin_dict import pinyin_dict

from indexer.analysis import exact_key
from indexer.bilingual.corpus import CJK, corpus_count, corpus_words, jieba_frequency
from indexer.bilingual.lexicon import glossary_index

#: Bound on the word combinations tried for one unspaced pinyin string.
_MAX_COMBOS = 200
#: Initials: shortest word read by its initials, and most words one set of initials may
#: stand for before it is too ambiguous to use.
MIN_INITIALS_CHARS = 3
MAX_INITIALS_WORDS = 3
#: A word read by initials must occur at least this share as often as the commonest one.
INITIALS_SHARE = 0.2
_TONE_MARKS = {"\u0304": 1, "\u0301": 2, "\u030c": 3, "\u0300": 4}


@lru_cache(maxsize=1)
def syllables() -> frozenset[str]:
    """Return every toneless pinyin syllable pypinyin knows (``v`` for ``ü``), vowels only."""
    found = set()
    for readings in pinyin_dict.values():
        for reading in readings.split(","):
            plain, _, _ = parse_pinyin(reading)
            if plain and re.search(r"[aeiouv]", plain):
                found.add(plain)
    return frozenset(found)


def parse_pinyin(text: str) -> tuple[str, frozenset, frozenset]:
    """Split typed pinyin into (letters, tone-mark constraints, tone-number constraints).

    ``lājī`` → ``("laji", {(1, 1), (3, 1)}, {})``: a tone mark is recorded at the index of
    its vowel (pypinyin's TONE2 convention); ``la4ji1`` → ``("laji", {}, {(2, 4), (4, 1)})``:
    a tone number at the index where its syllable ends (TONE3). ``ü`` is written ``v``.
    """
    letters: list[str] = []
    marks, numbers = set(), set()
    for ch in unicodedata.normalize("NFD", text.casefold()):
        if ch in _TONE_MARKS and letters:
            marks.add((len(letters) - 1, _TONE_MARKS[ch]))
        elif ch == "\u0308" and letters and letters[-1] == "u":
            letters[-1] = "v"
        elif ch in "12345":
            numbers.add((len(letters), int(ch)))
        elif "a" <= ch <= "z":
            letters.append(ch)
    return "".join(letters), frozenset(marks), frozenset(numbers)


def segment_pinyin(letters: str) -> list[str] | None:
    """Split toneless pinyin into the fewest syllables (``zongqinghou`` → 3), or ``None``."""
    known = syllables()
    best: list[list[str] | None] = [[]] + [None] * len(letters)
    for end in range(1, len(letters) + 1):
        for start in range(max(0, end - 6), end):
            head = best[start]
            if head is not None and letters[start:end] in known:
                if best[end] is None or len(head) + 1 < len(best[end]):
                    best[end] = head + [letters[start:end]]
    return best[-1] or None


@lru_cache(maxsize=1)
def _syllable_chars() -> dict[str, tuple[str, ...]]:
    """Return toneless syllable → the characters jieba knows read so, commonest first."""
    table: dict[str, list[str]] = defaultdict(list)
    for code, readings in pinyin_dict.items():
        char = chr(code)
        if jieba_frequency(char) and CJK.match(char):
            for reading in dict.fromkeys(parse_pinyin(r)[0] for r in readings.split(",")):
                table[reading].append(char)
    return {key: tuple(sorted(chars, key=jieba_frequency, reverse=True)[:40])
            for key, chars in table.items()}


@dataclass(frozen=True)
class Reading:
    """The pinyin of one vocabulary word or name, with its tone positions."""

    word: str
    syllables: int
    marks: frozenset
    numbers: frozenset
    is_name: bool

    def fits(self, marks: frozenset, numbers: frozenset) -> bool:
        """True when every tone the user typed agrees with this reading."""
        return marks <= self.marks and numbers <= self.numbers


# Cached across builds: a rebuild reads mostly the same words, and computing the readings
# of a whole vocabulary (~0.8 s) would otherwise compete with serving right after the swap.
@lru_cache(maxsize=1 << 17)
def _reading(word: str, is_name: bool) -> tuple[str, Reading]:
    """Return (toneless key, reading) of a Han word, tones as :func:`parse_pinyin` records them."""
    tone3 = lazy_pinyin(word, style=Style.TONE3, neutral_tone_with_five=True)
    key, _, numbers = parse_pinyin("".join(tone3))
    # TONE2 puts the digit right after the toned vowel: its index minus one is the vowel's.
    marks = set()
    offset = 0
    for syllable in lazy_pinyin(word, style=Style.TONE2):
        digit = re.search(r"[1-4]", syllable)
        if digit:
            marks.add((offset + digit.start() - 1, int(digit.group())))
        offset += len(syllable) - bool(digit)
    return key, Reading(word, len(tone3), frozenset(marks), numbers, is_name)


def word_reading(word: str) -> Reading:
    """Return the pinyin reading of a Han word (not a name)."""
    return _reading(word, is_name=False)[1]


def pinyin_key(word: str) -> str:
    """Return the toneless pinyin of a Han word run together: 垃圾 → ``laji``."""
    return _reading(word, is_name=False)[0]


def initials_of(word: str) -> str:
    """Return the pinyin initials of a Han word: 垃圾分类 → ``ljfl``."""
    return "".join(s[0] for s in lazy_pinyin(word) if s)


class PinyinReader:
    """The pinyin of one vocabulary's Han words and of people's names, built lazily."""

    def __init__(self, vocab: Collection[str], names: Iterable[str] = ()):
        """Remember ``vocab`` (``in`` and, ideally, iteration) and the names to read too."""
        self.vocab = vocab
        self.names = tuple(dict.fromkeys(exact_key(n) for n in names if n.strip()))
        self._map: dict[str, list[Reading]] | None = None
        self._initials: dict[str, list[str]] | None = None

    def _words(self) -> Iterable[str]:
        """The vocabulary's words: itself when iterable, else the corpus words it holds."""
        if isinstance(self.vocab, Iterable):
            return self.vocab
        return [w for w in corpus_words() if w in self.vocab]

    def table(self) -> dict[str, list[Reading]]:
        """Return toneless pinyin → readings of the Han vocabulary words and names."""
        if self._map is None:
            table: dict[str, list[Reading]] = defaultdict(list)
            seen = set()
            for word, is_name in [(n, True) for n in self.names] + \
                    [(w, False) for w in self._words()]:
                if word in seen or not CJK.match(word):
                    continue
                seen.add(word)
                key, reading = _reading(word, is_name)
                table[key].append(reading)
            self._map = dict(table)
        return self._map

    def readings(self, text: str, one_syllable_ok: bool) -> list[tuple[tuple, str]]:
        """Return the words ``text`` (spaces ignored) is the pinyin of, best first.

        Sort key: fits the typed tones, a person's name, commoner. With one toneless
        syllable only when ``one_syllable_ok``; one toned syllable keeps only the words
        with that tone (the tone is all that disambiguates).
        """
        letters, marks, numbers = parse_pinyin(text)
        count = len(segment_pinyin(letters) or ())
        toned = bool(marks or numbers)
        if not count or (count == 1 and not toned and not one_syllable_ok):
            return []
        found = []
        for reading in self.table().get(letters, []):
            fits = reading.fits(marks, numbers)
            if count == 1 and toned and not fits:
                continue
            found.append(((not fits, not reading.is_name, -jieba_frequency(reading.word)),
                          reading.word))
        return sorted(found)

    def compound(self, text: str) -> list[tuple[tuple, str]]:
        """Read unspaced pinyin as several vocabulary words (``lajifenlei`` → 垃圾分类).

        Tries the splits into the fewest pieces that are each the pinyin of a vocabulary
        word or a syllable, and combinations of the commonest words for each piece (those
        fitting the typed tones first); keeps the first combination that is itself in the
        vocabulary (the search's vocabulary knows every substring of the texts), so a
        guess never invents a phrase. Tones are not checked across pieces.
        """
        letters, marks, numbers = parse_pinyin(text)
        combos = (combo for split in self._splits(letters) for combo in
                  islice(product(*self._piece_words(split, marks, numbers)), _MAX_COMBOS))
        chosen = next((c for c in combos if "".join(c) in self.vocab), None)
        return [((False, True, 0), "".join(chosen))] if chosen else []

    def _commonest(self, piece: str) -> list[str]:
        """Return the words read ``piece``, commonest first, then any character read so.

        Characters matter for names: the index rarely holds 庆 alone, yet 张能庆 is
        ``zhang`` + ``neng`` + ``qing``.
        """
        words = sorted((r.word for r in self.table().get(piece, ())),
                       key=jieba_frequency, reverse=True)[:12]
        return list(dict.fromkeys(words + list(_syllable_chars().get(piece, ()))))

    def _splits(self, letters: str) -> list[list[str]]:
        """Return the splits of ``letters`` into the fewest (≥ 2) pieces.

        A piece is the reading of a vocabulary word or any one syllable.
        """
        table, known = self.table(), syllables()
        best: list[list[list[str]]] = [[[]]] + [[] for _ in letters]
        for end in range(1, len(letters) + 1):
            for start in range(end):
                if letters[start:end] not in table and letters[start:end] not in known:
                    continue
                for head in best[start]:
                    split = head + [letters[start:end]]
                    if not best[end] or len(split) < len(best[end][0]):
                        best[end] = [split]
                    elif len(split) == len(best[end][0]) and len(best[end]) < _MAX_COMBOS:
                        best[end].append(split)
        return [split for split in best[-1] if len(split) > 1]

    def _piece_words(self, split: list[str], marks: frozenset,
                     numbers: frozenset) -> list[list[str]]:
        """Candidate words of each piece of a split, those fitting the typed tones first.

        Tone positions are relative to the whole string: each piece sees them shifted by
        its own start.
        """
        out, start = [], 0
        for piece in split:
            end = start + len(piece)
            here_marks = frozenset((i - start, t) for i, t in marks if start <= i < end)
            here_numbers = frozenset((i - start, t) for i, t in numbers if start < i <= end)
            out.append(sorted(self._commonest(piece),
                              key=lambda w: not word_reading(w).fits(here_marks, here_numbers)))
            start = end
        return out

    # -- initials ------------------------------------------------------------------------

    def initials_table(self) -> dict[str, list[str]]:
        """Return initials → words of ≥ :data:`MIN_INITIALS_CHARS` characters, commonest first.

        The words: the vocabulary's, and the reviewed glossary's Chinese terms the
        vocabulary holds (jieba cuts 垃圾分类 in two; the glossary keeps it whole).
        """
        if self._initials is None:
            table: dict[str, set[str]] = defaultdict(set)
            terms = [zh for terms in glossary_index()[0].values() for zh in terms]
            for word in [*self._words(), *terms]:
                word = exact_key(word)
                if len(word) >= MIN_INITIALS_CHARS and CJK.match(word) and word in self.vocab:
                    table[initials_of(word)].add(word)
            self._initials = {key: sorted(words, key=lambda w: (-corpus_count(w), w))
                              for key, words in table.items()}
        return self._initials

    def initials(self, text: str) -> list[tuple[tuple, str]]:
        """Return the words whose initials ``text`` is, when not too ambiguous; else [].

        Kept: words occurring at least :data:`INITIALS_SHARE` as often as the commonest;
        more than :data:`MAX_INITIALS_WORDS` of them is too ambiguous to guess.
        """
        letters = text.casefold()
        if not letters.isascii() or not letters.isalpha() \
                or not MIN_INITIALS_CHARS <= len(letters) <= 8:
            return []
        words = self.initials_table().get(letters, [])
        if not words:
            return []
        top = corpus_count(words[0])
        kept = [w for w in words if corpus_count(w) >= INITIALS_SHARE * top]
        if len(kept) > MAX_INITIALS_WORDS:
            return []
        return [((False, True, -corpus_count(w)), w) for w in kept]
