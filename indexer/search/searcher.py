"""The searcher: one index folder opened, queries answered as the result dict of
docs/CONTRACT.md."""

import math
import os
import threading
import time
from pathlib import Path

from indexer import VAR_DIR
from indexer.build import INDEX_LINK
from indexer.search.errors import QueryError
from indexer.search.facets import count_facets, filter_sets, narrow, resolve_filters
from indexer.search.highlight import highlight
from indexer.search.matching import Outcome, match
from indexer.search.plan import Plan, drop_keys, make_plan
from indexer.search.query import ParsedQuery, parse_query
from indexer.search.state import State

MAX_PAGE_SIZE = 100
#: Result orders: best first, or newest first (browsing is always in document order).
SORTS = ("relevance", "date")


class Searcher:
    """Searches one index folder (normally the ``index`` symlink of a build output)."""

    def __init__(self, index_dir: Path | str):
        """Open the index behind ``index_dir`` (a build folder or the symlink to one)."""
        self.index_dir = Path(index_dir)
        if not (self.index_dir / "meta.json").exists():
            raise FileNotFoundError(f"no index at {self.index_dir}: run `make index`")
        self._state = State(Path(os.path.realpath(self.index_dir)))

    def refresh(self) -> bool:
        """Reopen when the symlink now points at another build; return True if reopened."""
        target = os.path.realpath(self.index_dir)
        if target == self._state.target or not os.path.exists(os.path.join(target, "meta.json")):
            return False
        self._state = State(Path(target))
        return True

    @property
    def meta(self) -> dict:
        """The meta.json of the open build."""
        return self._state.meta

    def record(self, record_id: str) -> dict | None:
        """Return the record with id ``record_id`` (a shared dict: do not modify), or None."""
        state = self._state
        i = state.by_id.get(record_id)
        return None if i is None else state.records[i]

    def records(self) -> list[dict]:
        """Return all records in browse order (shared dicts: do not modify)."""
        return self._state.records

    def docs(self) -> list[dict]:
        """Return all documents (policy documents, award tables, honour lists) in order."""
        return self._state.docs

    def doc(self, doc_id: str) -> dict | None:
        """Return the document with id ``doc_id``, or None."""
        return self._state.doc_by_id.get(doc_id)

    def search(self, query: str = "", doc=None, year=None, office=None, kind=None,
               page: int = 1, size: int = 10, sort: str = "relevance",
               drop_expansions=None, level=None, person=None) -> dict:
        """Search; return the result dict of docs/CONTRACT.md. Raises QueryError.

        ``drop_expansions``: Chinese terms (list, tuple or set of str) that English or
        pinyin words of the query must not expand to; compared normalised, so ``垃圾分類``
        drops 垃圾分类.
        """
        started = time.perf_counter()
        self.refresh()
        state = self._state
        _check_paging(page, size, sort)
        drop = drop_keys(drop_expansions)
        parsed = parse_query(query or "")
        params = [(f, str(v)) for f, v in (("doc", doc), ("year", year), ("office", office),
                                          ("kind", kind), ("level", level),
                                          ("person", person)) if v not in (None, "")]
        filters, labels = resolve_filters(state, params + parsed.filters)
        plan = make_plan(parsed, state, drop)
        outcome = Outcome({}, nothing=True) if _unsearchable(parsed, plan) \
            else match(state, plan)
        sets = filter_sets(state, filters)
        selected = {i: outcome.scores[i] for i in narrow(outcome.scores, sets)}
        ordered = _order(state, selected, outcome, sort)
        total = len(ordered)
        start = (page - 1) * size
        hits = [_hit(state, i, plan) for i in ordered[start:start + size]]
        return {
            "query": query or "",
            "total": total,
            "page": page,
            "size": size,
            "pages": math.ceil(total / size),
            "hits": hits,
            "facets": count_facets(state, outcome.scores, filters, sets),
            "interpretation": _interpretation(parsed, plan, labels, outcome),
            "took_ms": round((time.perf_counter() - started) * 1000, 2),
        }


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


def _order(state: State, scores: dict[int, float], outcome: Outcome, sort: str) -> list[int]:
    """Order record indexes: by score (then document order), by date, or by document order."""
    if sort == "date":
        # Newest first; equal dates in document order.
        return sorted(scores, key=lambda i: (state.records[i].get("date") or "", -i),
                      reverse=True)
    if sort == "seq" or outcome.browse:
        return sorted(scores)
    return sorted(scores, key=lambda i: (-scores[i], i))


def _hit(state: State, i: int, plan: Plan) -> dict:
    """Return the hit dict of record index ``i``."""
    r = state.records[i]
    return {
        "id": r["id"], "kind": r["kind"], "doc_id": r["doc_id"],
        "doc_title": r.get("doc_title"), "section": r.get("section") or [],
        "text": r["text"],
        "highlight": highlight(r["text"], plan.needles, state.normalised(i)),
        "date": r.get("date"), "year": r.get("year"),
        "offices": r.get("offices") or [],
    }


def _interpretation(parsed: ParsedQuery, plan: Plan, labels: list[dict],
                    outcome: Outcome) -> dict:
    """Describe how the query was read, for the page and the API."""
    key, params = None, {}
    if outcome.fallback:
        key, params = "fallback", {"terms": " ".join(dict.fromkeys(plan.word_tokens))}
    elif outcome.browse:
        key = "browse"
    elif outcome.nothing:
        key = "nothing"
    return {
        "terms": list(dict.fromkeys(plan.word_tokens)),
        "phrases": plan.phrases,
        "excluded": [a.text for a in parsed.excluded],
        "filters": labels,
        "expansions": plan.expansions,
        "dropped": plan.dropped,
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
