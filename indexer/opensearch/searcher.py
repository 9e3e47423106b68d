""":class:`OpenSearchSearcher`: the embedded Searcher's interface, answered by the cluster.

Shared with :mod:`indexer.search`: query parsing, filter resolution, the plan (English,
pinyin and synonym expansion, exclusions, name boosts), highlighting, the interpretation
and the result dict. Replaced: candidates (query DSL over the project's own tokens, see
:mod:`~indexer.opensearch.queries`), scoring (the cluster's BM25 picks a window that
:mod:`~indexer.opensearch.rescore` scores as the embedded engine does) and facet counts
(aggregations, each facet's without its own filter).
"""

import math
import threading
import time

from indexer.analysis import exact_key, normalise
from indexer.opensearch import alias_name, client
from indexer.opensearch.documents import match_strings
from indexer.opensearch.queries import (
    FILTER_FIELDS,
    RECORDS,
    filter_clause,
    match_query,
    phrase_query,
    ranking_query,
)
from indexer.opensearch.rescore import WINDOW, Stats, score
from indexer.search.facets import _label, resolve_filters
from indexer.search.highlight import highlight
from indexer.search.matching import Outcome
from indexer.search.plan import drop_keys, make_plan
from indexer.search.query import parse_query
from indexer.search.searcher import _check_paging, _interpretation, _unsearchable
from indexer.search.state import FACET_FIELDS

#: Tries of a search that some shard did not answer (a node just died: the next try reads
#: the replica) before it is an error rather than a silently partial answer.
SHARD_TRIES = 3
#: Seconds between two checks of what the alias points at (a check is one request).
REFRESH_SECONDS = 1.0
#: Record lookups remembered per index generation (records do not change within one; the
#: document list asks for every record of every document on each view).
RECORD_CACHE = 100_000
#: Buckets per facet (every value of this corpus; a national archive would page them).
FACET_SIZE = 10_000
BROWSE_SORT = [{"yearbook": "asc"}, {"seq": "asc"}]
DATE_SORT = [{"date": "desc"}, {"yearbook": "asc"}, {"seq": "asc"}]


class Vocabulary:
    """The index vocabulary as :mod:`indexer.bilingual` uses it (``in``, iteration).

    Iterates over the jieba words of the yearbooks' metadata; ``term in vocab`` is also true
    for a term that occurs in some record's normalised text (one phrase count, remembered).
    """

    MEMO_SIZE = 1 << 16

    def __init__(self, words: frozenset[str], es, index: str):
        """Take the indexed words, and the client and index to ask about substrings."""
        self._words = words
        self._es = es
        self._index = index
        self._memo: dict[str, bool] = {}

    def __contains__(self, term: object) -> bool:
        """True when the normalised ``term`` is an index word or a substring of a text."""
        if not isinstance(term, str):
            return False
        found = self._memo.get(term)
        if found is None:
            norm = normalise(term).strip()
            found = bool(norm) and (norm in self._words or complete(
                self._es.count, self._index,
                {"query": {"bool": {"filter": [RECORDS, phrase_query(norm)]}}})["count"] > 0)
            if len(self._memo) < self.MEMO_SIZE:
                self._memo[term] = found
        return found

    def __iter__(self):
        """Iterate over the indexed jieba words."""
        return iter(self._words)

    def __len__(self) -> int:
        """Number of indexed jieba words."""
        return len(self._words)


class PartialAnswer(RuntimeError):
    """Some shard copies did not answer even after retries: the counts would be wrong."""


def complete(call, index: str, body: dict) -> dict:
    """``call(index=…, body=…)`` (a search or a count), tried again while some shard
    failed; PartialAnswer if it stays so."""
    for _ in range(SHARD_TRIES):
        found = call(index=index, body=body)
        if not found["_shards"].get("failed"):
            return found
    raise PartialAnswer(f"{found['_shards']['failed']} shard(s) of {index} did not answer")


def complete_search(es, index: str, body: dict) -> dict:
    """A search of every shard (see :func:`complete`)."""
    return complete(es.search, index, body)


def _scan(es, index: str, query: dict, sort: list[dict]) -> list[dict]:
    """Every hit's source of ``query`` in ``sort`` order (search_after pages of 1000)."""
    out, after = [], None
    while True:
        body = {"query": query, "sort": [*sort, {"id": "asc"}], "size": 1000}
        if after:
            body["search_after"] = after
        hits = complete_search(es, index, body)["hits"]["hits"]
        out += [hit["_source"] for hit in hits]
        if len(hits) < 1000:
            return out
        after = hits[-1]["sort"]


class State:
    """What the searcher keeps of one index generation: containers, filter values,
    vocabulary, names and collection statistics. Replaced whole on refresh."""

    def __init__(self, es, alias: str):
        """Read the live index behind ``alias``."""
        self.alias = alias
        metas = _scan(es, alias, {"term": {"type": "meta"}}, [{"yearbook": "asc"}])
        if not metas:
            raise FileNotFoundError(f"no yearbooks behind alias {alias!r}: load the cluster "
                                    "(python -m indexer.opensearch load)")
        self.index = next(iter(es.indices.get_alias(name=alias)))
        self.generation = _generation(self.index, metas)
        yearbooks = [m["record"] for m in metas]
        self.meta = {"yearbooks": [{"id": y["id"], "title": y["title"]} for y in yearbooks],
                     "index": self.index,
                     "counts": {"records": sum(y["records"] for y in yearbooks)}}
        self.docs = [d["record"] for d in _scan(es, self.index, {"term": {"type": "doc"}},
                                                BROWSE_SORT)]
        self.doc_by_id = {d["id"]: d for d in self.docs}
        self.title_keys = {d["id"]: exact_key(d["title"]) for d in self.docs}
        self.names = tuple(dict.fromkeys(n for y in yearbooks for n in y["names"]))
        self.vocab = Vocabulary(frozenset(w for y in yearbooks for w in y["vocabulary"]),
                                es, self.index)
        self._load_values(es)
        self._records: list[dict] | None = None
        self.record_cache: dict[str, dict | None] = {}
        self.lock = threading.Lock()

    def _load_values(self, es) -> None:
        """Facet values (for filter resolution) and the average field lengths."""
        aggs = {name: {"terms": {"field": FILTER_FIELDS[name], "size": FACET_SIZE}}
                for name in FACET_FIELDS}
        aggs |= {f"avg_{name}": {"avg": {"field": f"lengths.{name}"}}
                 for name in ("text", "section", "title", "names")}
        found = complete_search(es, self.index, {"size": 0, "query": RECORDS, "aggs": aggs,
                                                 "track_total_hits": True})
        self.count = found["hits"]["total"]["value"]
        self.postings = {name: {b["key"]: () for b in found["aggregations"][name]["buckets"]}
                         for name in FACET_FIELDS}
        self.avg = {name: found["aggregations"][f"avg_{name}"]["value"] or 0.0
                    for name in ("text", "section", "title", "names")}

    def records(self, es) -> list[dict]:
        """All records in browse order (read once per generation)."""
        with self.lock:
            if self._records is None:
                self._records = [hit["record"] for hit in _scan(es, self.index, RECORDS,
                                                                BROWSE_SORT)]
            return self._records


def _generation(index: str, metas: list[dict]) -> tuple:
    """What identifies the data a searcher has read: the index and each yearbook's print."""
    return (index, tuple((m["id"], m["record"]["fingerprint"], m["record"]["records"])
                         for m in metas))


class OpenSearchSearcher:
    """The :class:`indexer.search.Searcher` interface over an OpenSearch alias."""

    def __init__(self, urls: list[str] | None = None, alias: str | None = None, es=None):
        """Connect (``urls``: default ``$OPENSEARCH_URL``) and read the live index."""
        self.es = es or client(urls)
        self.alias = alias or alias_name()
        self._state = State(self.es, self.alias)
        self._checked = time.monotonic()

    def refresh(self, force: bool = False) -> bool:
        """Reload when the alias moved or a yearbook was added or changed; True if so.

        Asks the cluster at most once per :data:`REFRESH_SECONDS` unless ``force``.
        """
        if not force and time.monotonic() - self._checked < REFRESH_SECONDS:
            return False
        self._checked = time.monotonic()
        found = self.es.search(index=self.alias, body={
            "query": {"term": {"type": "meta"}}, "size": 10_000,
            "_source": ["id", "record.fingerprint", "record.records"],
            "sort": [{"yearbook": "asc"}]})["hits"]["hits"]
        if not found:
            return False
        metas = [hit["_source"] for hit in found]
        if _generation(found[0]["_index"], metas) == self._state.generation:
            return False
        self._state = State(self.es, self.alias)
        return True

    @property
    def meta(self) -> dict:
        """The yearbooks, index name and record count of the open generation."""
        return self._state.meta

    def record(self, record_id: str) -> dict | None:
        """Return the record with id ``record_id`` (a shared dict: do not modify), or None."""
        if not isinstance(record_id, str) or not record_id:
            return None
        state = self._state
        if record_id in state.record_cache:
            return state.record_cache[record_id]
        found = self.es.get(index=state.index, id=f"record:{record_id}",
                            _source_includes=["record"], ignore=[404])
        record = found["_source"]["record"] if found.get("found") else None
        if len(state.record_cache) < RECORD_CACHE:
            state.record_cache[record_id] = record
        return record

    def records(self) -> list[dict]:
        """Return all records in browse order (shared dicts: do not modify)."""
        return self._state.records(self.es)

    def docs(self) -> list[dict]:
        """Return all documents (policy documents, award tables, honour lists) in order."""
        return self._state.docs

    def doc(self, doc_id: str) -> dict | None:
        """Return the document with id ``doc_id``, or None."""
        return self._state.doc_by_id.get(doc_id)

    def search(self, query: str = "", doc=None, year=None, office=None, kind=None,
               page: int = 1, size: int = 10, sort: str = "relevance",
               drop_expansions=None) -> dict:
        """Search; return the result dict of docs/CONTRACT.md. Raises QueryError."""
        started = time.perf_counter()
        self.refresh()
        state = self._state
        _check_paging(page, size, sort)
        drop = drop_keys(drop_expansions)
        parsed = parse_query(query or "")
        params = [(f, str(v)) for f, v in (("doc", doc), ("year", year), ("office", office),
                                          ("kind", kind)) if v not in (None, "")]
        filters, labels = resolve_filters(state, params + parsed.filters)
        plan = make_plan(parsed, state, drop)
        if _unsearchable(parsed, plan):
            outcome, found = Outcome({}, nothing=True), None
        else:
            outcome, found = self._match(state, plan, filters, page, size, sort)
        total = found["hits"]["total"]["value"] if found else 0
        ordered = self._order(state, plan, outcome, found, page, size, sort) if found else []
        start = (page - 1) * size
        hits = [_hit(r, plan) for r in ordered[start:start + size]]
        return {
            "query": query or "",
            "total": total,
            "page": page,
            "size": size,
            "pages": math.ceil(total / size),
            "hits": hits,
            "facets": _facets(state, found, filters),
            "interpretation": _interpretation(parsed, plan, labels, outcome),
            "took_ms": round((time.perf_counter() - started) * 1000, 2),
        }

    def _match(self, state: State, plan, filters: dict, page: int, size: int, sort: str):
        """Run the search: (Outcome flags, the cluster's response); falls back as the
        embedded engine does when no record matches all words."""
        fallback = False
        matched = match_query(plan)
        if plan.groups and (len(plan.groups) > 1 or len(plan.word_tokens) > 1) \
                and plan.word_tokens and not self._any(state, matched):
            relaxed = match_query(plan, relaxed=True)
            if self._any(state, relaxed):
                matched, fallback = relaxed, True
        browse = not plan.groups
        body = {
            "query": matched if browse or sort != "relevance" else ranking_query(plan, matched),
            "post_filter": {"bool": {"filter": [filter_clause(n, v)
                                                for n, v in filters.items()]}},
            "aggs": _facet_aggs(filters),
            "track_total_hits": True,
            "size": page * size if browse or sort != "relevance"
            else max(WINDOW, page * size),
            "_source": ["record", "names"],
        }
        if browse or sort != "relevance":
            body["sort"] = DATE_SORT if sort == "date" else BROWSE_SORT
        if not browse and sort == "relevance":
            body["aggs"] |= _df_aggs(plan)
        outcome = Outcome({}, fallback=fallback, browse=browse)
        return outcome, complete_search(self.es, state.index, body)

    def _any(self, state: State, query: dict) -> bool:
        """True when some record matches ``query``."""
        return complete(self.es.count, state.index, {"query": query})["count"] > 0

    def _order(self, state: State, plan, outcome: Outcome, found: dict, page: int, size: int,
               sort: str) -> list[dict]:
        """The hits' records in the order of the result (relevance: re-scored window)."""
        hits = found["hits"]["hits"]
        if outcome.browse or sort != "relevance":
            return [h["_source"]["record"] for h in hits]
        aggs = found["aggregations"]
        stats = Stats(state.count, state.avg,
                      {t: b["doc_count"] for t, b in aggs["df"]["t"]["buckets"].items()},
                      {k: b["doc_count"] for k, b in aggs["names_df"]["t"]["buckets"].items()})
        scored = []
        for rank, hit in enumerate(hits):
            record = hit["_source"]["record"]
            strings = match_strings(record, (state.doc_by_id.get(record["doc_id"]) or {})
                                    .get("title"))
            value = score(plan, strings, hit["_source"].get("names") or [], stats)
            scored.append((-value, record.get("yearbook") or "", int(record["seq"]), rank,
                           record))
        return [entry[-1] for entry in sorted(scored, key=lambda e: e[:4])]


def _df_aggs(plan) -> dict:
    """Global filters aggregations: document frequency of each word token in the text's
    word index and of each whole-name key."""
    tokens = {t: {"term": {"words": t}} for t in dict.fromkeys(plan.word_tokens)}
    keys = {b.text: {"term": {"names": b.text}} for b in plan.boosts}
    return {
        "df": {"global": {}, "aggs": {"t": {"filters": {"filters": tokens or
                                                        {"_": {"match_none": {}}}}}}},
        "names_df": {"global": {}, "aggs": {"t": {"filters": {"filters": keys or
                                                              {"_": {"match_none": {}}}}}}},
    }


def _facet_aggs(filters: dict) -> dict:
    """One aggregation per facet over the matches, under every filter but its own."""
    aggs = {}
    for name in FACET_FIELDS:
        others = [filter_clause(n, v) for n, v in filters.items() if n != name]
        aggs[f"facet_{name}"] = {
            "filter": {"bool": {"filter": others}},
            "aggs": {"v": {"terms": {"field": FILTER_FIELDS[name], "size": FACET_SIZE}}}}
    return aggs


def _facets(state: State, found: dict | None, filters: dict) -> dict[str, list[dict]]:
    """The facet buckets of the result dict (same order as the embedded engine's)."""
    facets = {}
    for name in FACET_FIELDS:
        counts = {} if found is None else {
            b["key"]: b["doc_count"]
            for b in found["aggregations"][f"facet_{name}"]["v"]["buckets"]}
        chosen = filters.get(name, set())
        for value in chosen:
            counts.setdefault(value, 0)
        buckets = [{"value": v, "label": _label(state, name, v), "count": n,
                    "selected": v in chosen} for v, n in counts.items()]
        if name == "year":
            buckets.sort(key=lambda b: b["value"], reverse=True)
        else:
            buckets.sort(key=lambda b: (-b["count"], b["label"]))
        facets[name] = buckets
    return facets


def _hit(record: dict, plan) -> dict:
    """The hit dict of one record (highlighted by the embedded engine's highlighter)."""
    return {
        "id": record["id"], "kind": record["kind"], "doc_id": record["doc_id"],
        "doc_title": record.get("doc_title"), "section": record.get("section") or [],
        "text": record["text"],
        "highlight": highlight(record["text"], plan.needles),
        "date": record.get("date"), "year": record.get("year"),
        "offices": record.get("offices") or [],
    }
