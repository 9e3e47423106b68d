"""The searcher: a query answered as the result dict of docs/CONTRACT.md, over any
:class:`~indexer.search.backend.Backend` (by default the embedded index of a build folder)."""

import math
import os
import threading
import time
from dataclasses import dataclass, replace
from pathlib import Path

from indexer import VAR_DIR
from indexer.build import INDEX_LINK
from indexer.search.backend import Backend, Found, Request
from indexer.search.embedded import Embedded
from indexer.search.errors import QueryError
from indexer.search.facets import buckets, resolve_filters
from indexer.search.highlight import highlight
from indexer.search.plan import Matcher, Plan, corrected_query, drop_keys, make_plan
from indexer.search.query import ParsedQuery, parse_query

MAX_PAGE_SIZE = 100
#: The hits :meth:`Searcher.ranked` returns at most (a cluster pages no deeper than 10,000).
MAX_RANKED = 10_000
#: Result orders: best first, or newest first (browsing is always in document order).
SORTS = ("relevance", "date")


@dataclass
class Outcome:
    """How the query was answered: the backend's answer and how it was asked."""

    found: Found
    fallback: bool = False
    browse: bool = False
    nothing: bool = False


class Searcher:
    """Searches one index folder (normally the ``index`` symlink of a build output), or
    any backend given with :meth:`over`."""

    def __init__(self, index_dir: Path | str):
        """Open the index behind ``index_dir`` (a build folder or the symlink to one)."""
        self.index_dir = Path(index_dir)
        if not (self.index_dir / "meta.json").exists():
            raise FileNotFoundError(f"no index at {self.index_dir}: run `make index`")
        self._seen = (os.lstat(self.index_dir).st_ino, os.lstat(self.index_dir).st_mtime_ns)
        self._backend: Backend = Embedded(Path(os.path.realpath(self.index_dir)))

    def refresh(self) -> bool:
        """Reopen when the symlink now points at another build; return True if reopened."""
        # The swap replaces the symlink (a new inode): while it is the same, so is the target.
        try:
            seen = os.lstat(self.index_dir)
        except OSError:
            return False
        if (seen.st_ino, seen.st_mtime_ns) == self._seen:
            return False
        self._seen = (seen.st_ino, seen.st_mtime_ns)
        target = os.path.realpath(self.index_dir)
        if target == self._backend.target or not os.path.exists(os.path.join(target, "meta.json")):
            return False
        self._backend = Embedded(Path(target))
        return True

    @property
    def backend(self) -> Backend:
        """The backend answering now."""
        return self._backend

    @property
    def meta(self) -> dict:
        """The meta.json of the open build."""
        return self._backend.meta

    def record(self, record_id: str) -> dict | None:
        """Return the record with id ``record_id``, or None."""
        return self._backend.record(record_id)

    def records(self) -> list[dict]:
        """Return all records in browse order."""
        return list(self._backend.records())

    def docs(self) -> list[dict]:
        """Return all documents (policy documents, award tables, honour lists) in order."""
        return self._backend.docs()

    def doc(self, doc_id: str) -> dict | None:
        """Return the document with id ``doc_id``, or None."""
        return self._backend.doc(doc_id)

    def search(self, query: str = "", doc=None, year=None, office=None, kind=None,
               page: int = 1, size: int = 10, sort: str = "relevance",
               drop_expansions=None, yearbook=None, level=None, person=None,
               facet_size: int | None = None) -> dict:
        """Search; return the result dict of docs/CONTRACT.md. Raises QueryError.

        ``drop_expansions``: Chinese terms (list, tuple or set of str) that English or
        pinyin words of the query must not expand to; compared normalised, so ``垃圾分類``
        drops 垃圾分类. ``facet_size``: list of each facet only its first ``facet_size``
        values and the selected ones (``facets_hidden`` counts the others); None: all.
        """
        started = time.perf_counter()
        _check_paging(page, size, sort)
        backend, parsed, filters, labels, plan = self._prepare(query, drop_expansions, {
            "doc": doc, "year": year, "office": office, "kind": kind, "level": level,
            "person": person, "yearbook": yearbook})
        request = Request(filters, sort, (page - 1) * size, size, facet_size=facet_size)
        outcome = _answer(backend, parsed, plan, request)
        total = outcome.found.total
        needles = plan.needles
        facets, hidden = buckets(backend, outcome.found.counts, filters, facet_size,
                                 outcome.found.left)
        return {
            "query": query or "",
            "total": total,
            "page": page,
            "size": size,
            "pages": math.ceil(total / size),
            "hits": [_hit(backend.record(rid), needles) for rid in outcome.found.ids],
            "facets": facets,
            "facets_hidden": hidden,
            "interpretation": _interpretation(query or "", parsed, plan, labels, outcome),
            "took_ms": round((time.perf_counter() - started) * 1000, 2),
        }

    def ranked(self, query: str = "", sort: str = "relevance", drop_expansions=None,
               **given) -> list[tuple[str, str]]:
        """``(record id, document id)`` of the hits of :meth:`search` with the same
        arguments (filters as keywords), in its order, at most :data:`MAX_RANKED`; no
        texts, highlights or facets — what a page grouped by document needs of every hit.
        Raises QueryError as :meth:`search` does."""
        _check_paging(1, 1, sort)
        backend, parsed, filters, _labels, plan = self._prepare(query, drop_expansions, given)
        request = Request(filters, sort, 0, MAX_RANKED, facet_size=0)
        ids = _answer(backend, parsed, plan, request).found.ids
        return list(zip(ids, backend.doc_ids(ids), strict=True))

    def hits(self, ids: list[str], query: str = "", drop_expansions=None) -> list[dict]:
        """The hit dicts (as in :meth:`search`) of records ``ids``, in that order, the
        words of ``query`` highlighted."""
        self.refresh()
        backend = self._backend
        plan = make_plan(parse_query(query or ""), backend, drop_keys(drop_expansions))
        return [_hit(backend.record(rid), plan.needles) for rid in ids]

    def _prepare(self, query: str, drop_expansions, given: dict) -> tuple:
        """``(backend, parsed query, filters, filter labels, plan)`` of a search of
        ``query`` with the filters ``given`` (field → value or None)."""
        self.refresh()
        backend = self._backend
        parsed = parse_query(query or "")
        params = [(f, str(v)) for f, v in given.items() if v not in (None, "")]
        filters, labels = resolve_filters(backend, params + parsed.filters)
        return backend, parsed, filters, labels, make_plan(parsed, backend,
                                                            drop_keys(drop_expansions))


def _answer(backend: Backend, parsed: ParsedQuery, plan: Plan, request: Request) -> Outcome:
    """Ask the backend; relax the plan to its best partial matches when nothing matches it
    all (and there was more than one thing to relax)."""
    if _unsearchable(parsed, plan):
        return Outcome(Found(0, 0, [], {}), nothing=True)
    found = backend.find(plan, request)
    if not plan.groups:
        return Outcome(found, browse=True)
    if found.matched == 0 and plan.relaxable:
        relaxed = _specific_first(backend, plan, request)
        if relaxed.matched:
            return Outcome(relaxed, fallback=True)
    return Outcome(found)


def _specific_first(backend: Backend, plan: Plan, request: Request) -> Found:
    """The relaxed plan's answer with the records holding the query's most specific word
    ahead of all those lacking it (each part in the backend's order).

    A fallback relaxes each word to any of its units; the most specific word is the one
    whose relaxed form the fewest records match (消防安全: 29 records; 街道办事处 through
    街道 or 办事处: over a hundred). Without this, ``消防安全 街道办事处`` put the honour-list
    entry 望江街道办事处, a short text of the commoner word, above every clause on 消防安全.
    The two parts are disjoint and make up the relaxed plan's records, so its totals and
    facet counts are theirs: the parts are asked for ids only.
    """
    relaxed = plan.relaxed()
    words = [m for group in plan.groups for m in group if not m.phrase]
    reach = [(backend.find(Plan([_relaxed_word(m)]), Request(count_only=True)).matched, n)
             for n, m in enumerate(words)]
    reach = [(count, n) for count, n in reach if count]
    if len(reach) < 2:
        return backend.find(relaxed, request)
    specific = words[min(reach)[1]]
    having = replace(relaxed, groups=[[specific], *relaxed.groups])
    lacking = replace(relaxed, excluded=[*relaxed.excluded, specific])
    first = backend.find(having, replace(request, facet_size=0))
    start = max(0, request.start - first.total)
    room = max(0, request.size - len(first.ids))
    rest = backend.find(lacking, replace(request, start=start, size=room, facet_size=0))
    whole = backend.find(relaxed, replace(request, start=0, size=0))
    return Found(whole.matched, whole.total, first.ids + rest.ids, whole.counts, whole.left)


def _relaxed_word(m: Matcher) -> list[Matcher]:
    """The OR group matching any unit or expansion of word ``m``."""
    return [Matcher(tokens=[u]) for u in m.units] + [Matcher(expansions=[e])
                                                     for e in m.expansions]


def _unsearchable(parsed: ParsedQuery, plan: Plan) -> bool:
    """True when the query had content but none of it can be searched (``((``, ``"``)."""
    return not plan.groups and bool(parsed.groups or parsed.ignored) \
        and not parsed.excluded and not parsed.filters


def _check_paging(page, size, sort) -> None:
    """Raise QueryError for a page < 1, a size outside 1..100 or an unknown sort."""
    if not isinstance(page, int) or page < 1:
        raise QueryError("bad_page", value=page)
    if not isinstance(size, int) or not 1 <= size <= MAX_PAGE_SIZE:
        raise QueryError("bad_size", max=MAX_PAGE_SIZE, value=size)
    if sort not in SORTS:
        raise QueryError("bad_sort", choices=", ".join(SORTS), value=sort)


def _hit(r: dict, needles: list[str]) -> dict:
    """Return the hit dict of record ``r``, ``needles`` highlighted (see
    :attr:`~indexer.search.plan.Plan.needles`)."""
    return {
        "id": r["id"], "kind": r["kind"], "doc_id": r["doc_id"],
        "doc_title": r.get("doc_title"), "section": r.get("section") or [],
        "text": r["text"],
        "highlight": highlight(r["text"], needles),
        "date": r.get("date"), "year": r.get("year"),
        "offices": r.get("offices") or [],
    }


def _interpretation(query: str, parsed: ParsedQuery, plan: Plan, labels: list[dict],
                    outcome: Outcome) -> dict:
    """Describe how ``query`` was read, for the page and the API."""
    key, params = None, {}
    if outcome.fallback:
        key, params = "fallback", {"terms": " ".join(dict.fromkeys(plan.typed_tokens))}
    elif outcome.browse:
        key = "browse"
    elif outcome.nothing:
        key = "nothing"
    return {
        "terms": list(dict.fromkeys(plan.typed_tokens)),
        "phrases": plan.phrases,
        "excluded": [a.text for a in parsed.excluded],
        "filters": labels,
        "expansions": plan.expansions,
        "dropped": plan.dropped,
        "suggestions": [{**s, "query": corrected_query(query, s)} for s in plan.suggestions],
        "ignored": parsed.ignored,
        "fallback": outcome.fallback,
        "message_key": key,
        "message_params": params,
    }


_DEFAULT: Searcher | None = None
_DEFAULT_LOCK = threading.Lock()


def default_searcher() -> Searcher:
    """Return the process-wide Searcher on ``var/index`` (opened on first use)."""
    global _DEFAULT
    with _DEFAULT_LOCK:
        if _DEFAULT is None:
            _DEFAULT = Searcher(VAR_DIR / INDEX_LINK)
        return _DEFAULT


def search(query: str = "", **params) -> dict:
    """Search the default index (``var/index``); same parameters as :meth:`Searcher.search`."""
    return default_searcher().search(query, **params)
