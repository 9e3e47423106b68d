"""The exact check: does a record hold a word, a phrase, a whole plan?

Every backend confirms its candidates here, so matching means the same everywhere:

* a phrase occurs in the record's normalised text;
* a word's units (:attr:`~indexer.search.plan.Matcher.units`) each occur in its
  searchable string (text and section headings, whitespace removed) or in its document's
  title — wherever jieba cut the record's text;
* an expansion occurs in the searchable string;

and an occurrence may not begin or end inside a longer number: ``5万`` is not found in
15万 or 50万, ``20`` not in 2020, ``5`` not in 1.5 (:func:`find`).
"""

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import repeat

from indexer.analysis import exact_key, normalise
from indexer.search.plan import Matcher, Plan

_DIGIT = "0123456789"


@dataclass(frozen=True)
class Strings:
    """The strings of one record the check reads: ``norm`` (normalised text),
    ``searchable`` (see :func:`indexer.tokens.searchable`) and ``title`` (the document
    title's :func:`~indexer.analysis.exact_key`)."""

    norm: str
    searchable: str
    title: str

    @classmethod
    def of(cls, record: dict) -> "Strings":
        """The strings of a record dict (docs/CONTRACT.md)."""
        from indexer.tokens import searchable

        return cls(normalise(record["text"]), searchable(record),
                   exact_key(record.get("doc_title") or ""))


@lru_cache(maxsize=4096)
def _pattern(needle: str) -> re.Pattern | None:
    """A regex finding ``needle`` not inside a longer number; None when plain ``find`` is
    exact (the needle neither starts nor ends with a digit)."""
    head, tail = needle[:1] in tuple(_DIGIT), needle[-1:] in tuple(_DIGIT)
    if not (head or tail):
        return None
    # The needle comes first and the look-behinds after it (``20(?<![0-9]20)``, not
    # ``(?<![0-9])20``): a pattern starting with a literal is searched for at C speed,
    # one starting with a look-behind is tried at every position (ten times slower).
    literal = re.escape(needle)
    return re.compile(literal + (f"(?<![0-9]{literal})(?<![0-9]\\.{literal})" if head else "")
                      + (r"(?![0-9])(?!\.[0-9])" if tail else ""))


def find(needle: str, text: str) -> Iterator[int]:
    """Yield the start of each occurrence of ``needle`` in ``text``, left to right, not
    overlapping, none beginning or ending inside a longer number."""
    pattern = _pattern(needle)
    if pattern is not None:
        yield from (m.start() for m in pattern.finditer(text))
        return
    pos = text.find(needle)
    while pos >= 0:
        yield pos
        pos = text.find(needle, pos + len(needle))


def holds_each(needle: str, texts: Sequence[str], indexes: Iterable[int]) -> list[bool]:
    """For each of ``indexes``, whether ``texts[index]`` holds ``needle`` (whole numbers
    only): a candidate set checked at C speed but for one list comprehension."""
    pattern = _pattern(needle)
    if pattern is None:
        return [needle in texts[i] for i in indexes]
    search = pattern.search
    return [search(texts[i]) is not None for i in indexes]


def occurs(needle: str, text: str) -> bool:
    """True when ``needle`` occurs in ``text`` (whole numbers only, see :func:`find`)."""
    pattern = _pattern(needle)
    return (pattern.search(text) is not None) if pattern is not None else needle in text


def count(needle: str, text: str, end: int | None = None) -> int:
    """How often ``needle`` occurs in ``text[:end]`` (not overlapping, whole numbers only)."""
    pattern = _pattern(needle)
    end = len(text) if end is None else end
    if pattern is None:
        return text.count(needle, 0, end)
    return sum(1 for _ in pattern.finditer(text, 0, end))


def count_each(needle: str, texts: Sequence[str], ends: Sequence[int],
               indexes: list[int]) -> list[int]:
    """For each of ``indexes``, :func:`count` of ``needle`` in ``texts[index][:ends[index]]``
    (the loop over the records runs in C when plain ``str.count`` is exact)."""
    pattern = _pattern(needle)
    if pattern is None:
        return list(map(str.count, map(texts.__getitem__, indexes), repeat(needle), repeat(0),
                        map(ends.__getitem__, indexes)))
    findall = pattern.findall
    return [len(findall(texts[i], 0, ends[i])) for i in indexes]


def unit_occurs(unit: str, strings: Strings) -> bool:
    """True when a word's unit occurs in the searchable string or the document title."""
    return occurs(unit, strings.searchable) or occurs(unit, strings.title)


def matcher_matches(m: Matcher, strings: Strings) -> bool:
    """True when the record of ``strings`` holds the phrase, word or an expansion of ``m``."""
    if m.phrase:
        return occurs(m.phrase, strings.norm)
    if m.units and all(unit_occurs(u, strings) for u in m.units):
        return True
    return any(occurs(e, strings.searchable) for e in m.expansions)


def matches(plan: Plan, strings: Strings) -> bool:
    """True when the record holds every group of ``plan`` and none of its exclusions."""
    return all(any(matcher_matches(m, strings) for m in group) for group in plan.groups) \
        and not any(matcher_matches(m, strings) for m in plan.excluded)
