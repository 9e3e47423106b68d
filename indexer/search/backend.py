"""The seam between the search logic and where the postings live.

A :class:`Backend` answers one question: which records does a :class:`~indexer.search.plan.Plan`
match under these filters, in what order, and how do the facet values count over them.
Everything else is shared by every backend and lives beside this module:

* query parsing (:mod:`~indexer.search.query`) and the plan with its bilingual expansions
  (:mod:`~indexer.search.plan`), which asks the backend only for its :attr:`vocabulary`
  and :attr:`names`;
* the exact check (:mod:`~indexer.search.verify`): a backend's candidates are confirmed
  with :func:`~indexer.search.verify.matches` on the record's
  :class:`~indexer.search.verify.Strings`, so phrases, whole numbers and words jieba cut
  differently mean the same in every backend;
* filter resolution (:func:`~indexer.search.facets.resolve_filters`, from
  :meth:`Backend.facet_values` and the documents), the fallback to partial matches
  (:meth:`~indexer.search.plan.Plan.relaxed`), highlighting and the result dict
  (:mod:`~indexer.search.searcher`).

The embedded backend (:class:`~indexer.search.embedded.Embedded`) reads a build folder;
the OpenSearch backend of issue 14 implements the same protocol.
"""

from collections.abc import Collection, Container, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from indexer.analysis import normalise
from indexer.search.plan import Plan


@dataclass(frozen=True)
class Request:
    """What :meth:`Backend.find` is asked for.

    ``filters``: facet field (``doc``, ``year``, ``office``, ``kind``, ``yearbook``) → the
    allowed values (any of them), and ``ref`` → normalised cited strings one of which a
    record's refs must contain; ``sort``: ``relevance`` or ``date``; ``start``/``size``:
    the page of the ordered records wanted (``size`` 0: none, only the counts);
    ``count_only``: only ``matched`` and ``total`` are wanted (a backend may then leave
    ``ids`` and ``counts`` empty, and skip scoring);
    ``facet_size``: of each facet, the first ``facet_size`` values in the facet's order
    (:func:`~indexer.search.facets.facet_order`) and the selected ones are wanted, None:
    every value (a backend may give more than is wanted, and says in ``Found.left`` how
    many it left out).
    """

    filters: dict[str, set[str]] = field(default_factory=dict)
    sort: str = "relevance"
    start: int = 0
    size: int = 10
    count_only: bool = False
    facet_size: int | None = None


@dataclass
class Found:
    """A backend's answer.

    ``matched``: how many records the plan matches before filters (0 makes the searcher
    retry with the relaxed plan); ``total``: after filters; ``ids``: the record ids of
    the requested page, in order (relevance: score, ties in browse order; date: newest
    first, ties in browse order; a plan without groups: browse order); ``counts``: facet
    field → value → number of matching records, each facet counted under every filter
    but its own; ``left``: facet field → how many values with a count ``counts`` leaves
    out (see ``Request.facet_size``).
    """

    matched: int
    total: int
    ids: list[str]
    counts: dict[str, dict[str, int]]
    left: dict[str, int] = field(default_factory=dict)


class Backend(Protocol):
    """What a search backend implements (the embedded index, an OpenSearch cluster)."""

    #: What is open (a build folder, an index name); a new value after :meth:`refresh`.
    target: str
    #: meta.json of the build being served.
    meta: dict
    #: ``term in vocabulary``: the normalised term is a word of the index or occurs in a
    #: record's text; iterating gives the index's words (see :mod:`indexer.bilingual`).
    vocabulary: Container[str]
    #: People's names of the corpus (their pinyin is expanded too).
    names: Sequence[str]

    def find(self, plan: Plan, request: Request) -> Found:
        """Match, filter, score, order and count facets; raises nothing for a valid plan."""

    def record(self, record_id: str) -> dict | None:
        """The record dict of docs/CONTRACT.md, or None."""

    def records(self) -> Sequence[dict]:
        """Every record in browse order."""

    def doc_ids(self, record_ids: list[str]) -> list[str]:
        """The document id of each of ``record_ids`` (records the backend holds)."""

    def docs(self) -> list[dict]:
        """Every document in order."""

    def doc(self, doc_id: str) -> dict | None:
        """The document dict, or None."""

    def facet_values(self, name: str) -> Collection[str]:
        """The values facet ``name`` takes in the index (``year``, ``office``, ``yearbook``)."""


class Vocabulary:
    """The index vocabulary as :mod:`indexer.bilingual` uses it (``in``, iteration).

    Iterates over the indexed jieba words (text, title and section headings); ``term in
    vocab`` is also true for a normalised term that some record holds (``holder.holds``),
    since word queries match substrings too. Shared by every backend.
    """

    #: Answers remembered per build: expansion asks about the same words again and again.
    MEMO_SIZE = 1 << 16

    def __init__(self, words: frozenset[str], holder):
        """Take the indexed words, and the backend to ask about substrings (``holds``)."""
        self._words = words
        self._holder = holder
        self._memo: dict[str, bool] = {}

    def __contains__(self, term: object) -> bool:
        """True when the normalised ``term`` is an index word or some record holds it."""
        if not isinstance(term, str):
            return False
        found = self._memo.get(term)
        if found is None:
            norm = normalise(term).strip()
            found = bool(norm) and (norm in self._words or self._holder.holds(norm))
            if len(self._memo) < self.MEMO_SIZE:
                self._memo[term] = found
        return found

    def __iter__(self):
        """Iterate over the indexed jieba words."""
        return iter(self._words)

    def __len__(self) -> int:
        """Number of indexed jieba words."""
        return len(self._words)
