"""Text analysis shared by the index and the query side.

One normalisation (:func:`normalise`: NFKC, Traditional → Simplified, case folding) is
applied per character, so that

* ``normalise(a + b) == normalise(a) + normalise(b)``: a phrase occurs in a normalised text
  exactly when its normalised form is a substring of it (the grep oracle of the tests);
* every normalised character knows the original character it came from, so token offsets
  point into the text *as printed* even where NFKC changes the length (``㈠`` → ``(一)``).

:func:`jieba_spans` cuts normalised text into jieba words with ordinal positions; for the
index jieba's search-mode sub-words are added *at the position of their word*; digits and
Latin are kept as they are (``40``, ``aed``); no stop words, no stemming
(:mod:`indexer.tokens` makes the postings of them). Exact substrings (quoted phrases) are
matched on the normalised text itself, see :mod:`indexer.search.verify`.

Bump :data:`SCHEMA_VERSION` whenever tokens change: it is stored in the index meta and
forces a rebuild.
"""

import logging
import marshal
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

import jieba
from opencc_purepy import OpenCC

from indexer.refs import normalise_doc_number

#: Version of the analysis + schema; part of the build fingerprint.
SCHEMA_VERSION = 3

jieba.setLogLevel(logging.WARNING)


class _WholeFileMarshal:
    """jieba's ``marshal``, reading its dictionary cache in one go.

    jieba 0.42.1 loads its prefix dictionary with ``marshal.load(open file)``, which calls
    the file's ``readinto`` once per string of the 500,000 it holds: 0.75 s, most of a
    cold ×1 build. ``marshal.loads`` of the whole file gives the same dict in 0.2 s.
    jieba's own checks (which cache file, whether it is stale) are left as they are.
    """

    dump = staticmethod(marshal.dump)

    @staticmethod
    def load(file):
        """The object marshalled in the open binary ``file``, read whole."""
        return marshal.loads(file.read())


jieba.marshal = _WholeFileMarshal
_T2S = OpenCC("t2s")


class CharTable(dict):
    """A ``str.translate`` table (or a memo read one character at a time) that maps each
    character by a function, computed on first sight."""

    def __init__(self, func):
        """Map character ``ch`` to ``func(ch)`` (a string)."""
        super().__init__()
        self.func = func

    def __missing__(self, code: int) -> str:
        """Return (and remember) the value of ``chr(code)``."""
        value = self[code] = self.func(chr(code))
        return value


def _normal_form(ch: str) -> str:
    """One character with NFKC, Traditional→Simplified and case folding."""
    return _T2S.convert(unicodedata.normalize("NFKC", ch)).casefold()


_TABLE = CharTable(_normal_form)


def normalise(text: str) -> str:
    """Return ``text`` with NFKC, Traditional→Simplified and case folding, per character."""
    return text.translate(_TABLE)


def exact_key(text: str) -> str:
    """Return the form a whole name/title/honour is matched in: normalised, no spaces."""
    return "".join(normalise(text).split())


def ref_key(value: str) -> str:
    """The form refs are compared in: canonical document number, no 《》, normalised."""
    return exact_key(normalise_doc_number(value.strip().strip("《》〈〉")))


def normalise_with_offsets(text: str) -> tuple[str, list[int] | None]:
    """Normalise ``text`` and map normalised indexes back to the original.

    Returns ``(norm, origin)`` where ``origin[j]`` is the index in ``text`` of the character
    that produced ``norm[j]``; ``origin`` is ``None`` when the lengths agree (the usual case
    for Chinese text), meaning the identity map.
    """
    norm = text.translate(_TABLE)
    if len(norm) == len(text) and all(len(_TABLE[ord(ch)]) == 1 for ch in set(text)):
        return norm, None
    origin: list[int] = []
    for i, ch in enumerate(text):
        origin.extend([i] * len(_TABLE[ord(ch)]))
    return norm, origin


def span_to_original(origin: list[int] | None, start: int, end: int, size: int) -> tuple[int, int]:
    """Map the normalised span ``[start, end)`` to a span of the original text of length ``size``.

    A span that ends inside the expansion of one original character (``㈠`` → ``(一)``) is
    widened to cover that whole character.
    """
    if origin is None:
        return start, end
    first = origin[start] if start < len(origin) else size
    last = origin[end - 1] + 1 if end > start else first
    return first, last


def load_jieba() -> None:
    """Load jieba's dictionary now (once per process; the first cut would otherwise)."""
    jieba.dt.check_initialized()


def _searchable(word: str) -> bool:
    """True when ``word`` has a letter or digit (punctuation and spaces are not indexed)."""
    return any(ch.isalnum() for ch in word)


def _sub_words(word: str) -> Iterator[tuple[int, int]]:
    """Yield (start, end) offsets, relative to ``word``, of jieba's search-mode sub-words.

    Same rule as ``jieba.cut_for_search``: dictionary bigrams of words longer than two
    characters and dictionary trigrams of words longer than three.
    """
    freq = jieba.dt.FREQ
    for n in (2, 3):
        if len(word) > n:
            for i in range(len(word) - n + 1):
                if freq.get(word[i:i + n]):
                    yield i, i + n


def jieba_spans(norm: str, subwords: bool) -> Iterator[tuple[int, int, int]]:
    """Yield ``(position, start, end)`` for the jieba words of normalised text ``norm``.

    Positions are ordinal over the searchable words; sub-words (when ``subwords``) share
    the position of the word they are part of and come right after it. The same spans as
    cutting ``norm`` whole with ``jieba.tokenize``: jieba cuts each of its blocks (runs of
    Han, Latin and digits; the text between them) on its own, so the spans of a block are
    computed once (:func:`_block_spans`) and set phrases repeated across records, documents
    and yearbooks are not cut again.
    """
    load_jieba()
    pos = start = 0
    for block in jieba.re_han_default.split(norm):
        if block:
            spans, words = _block_spans(block, subwords)
            for p, s, e in spans:
                yield pos + p, start + s, start + e
            pos += words
            start += len(block)


@lru_cache(maxsize=1 << 16)
def _block_spans(block: str, subwords: bool) -> tuple[tuple[tuple[int, int, int], ...], int]:
    """The spans (:func:`jieba_spans`) of one of jieba's blocks, relative to it, and how many
    searchable words it holds."""
    spans: list[tuple[int, int, int]] = []
    pos = start = 0
    for word in jieba.dt.cut(block, HMM=True):
        end = start + len(word)
        if _searchable(word):
            spans.append((pos, start, end))
            if subwords:
                spans.extend((pos, start + s, start + e) for s, e in _sub_words(word))
            pos += 1
        start = end
    return tuple(spans), pos


#: Strings up to this length (titles, section headings, names) are cut once and cached:
#: every record of a document repeats them.
CACHE_MAX_LEN = 80


def spans(norm: str, subwords: bool) -> Iterator[tuple[int, int, int]]:
    """:func:`jieba_spans`, cached for short strings."""
    if len(norm) <= CACHE_MAX_LEN:
        return iter(_cached_spans(norm, subwords))
    return jieba_spans(norm, subwords)


@lru_cache(maxsize=8192)
def _cached_spans(norm: str, subwords: bool) -> tuple[tuple[int, int, int], ...]:
    """The spans of a short normalised string, computed once."""
    return tuple(jieba_spans(norm, subwords))


def query_words(text: str) -> list[str]:
    """Return the normalised jieba words of a query string (no sub-words)."""
    norm = normalise(text)
    return [norm[s:e] for _, s, e in jieba_spans(norm, subwords=False)]


def is_number(token: str) -> bool:
    """True for a token of ASCII digits, possibly with a decimal point (``40``, ``1.5``)."""
    return bool(token) and token[0].isascii() and token[0].isdigit() \
        and all(ch.isascii() and (ch.isdigit() or ch == ".") for ch in token)


def query_chars(text: str) -> list[str]:
    """Return the normalised non-space characters of ``text`` (empty: nothing to search)."""
    return [ch for ch in normalise(text) if not ch.isspace()]
