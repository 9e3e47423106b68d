"""The OpenSearch backend of :class:`indexer.search.backend.Backend`, and
:class:`OpenSearchSearcher`, the :class:`indexer.search.Searcher` over it.

Shared with the embedded engine (:mod:`indexer.search`): parsing, filter resolution, the
plan (English, pinyin and synonym expansion, exclusions, name boosts), the fallback,
the exact check (:mod:`indexer.search.verify`), highlighting and the result dict.
Replaced: candidates (query DSL over the project's own tokens, see
:mod:`~indexer.opensearch.queries`), scoring (the cluster's BM25 picks a window that
:mod:`~indexer.opensearch.rescore` scores as the embedded engine does) and facet counts
(aggregations, each facet's under every filter but its own).
"""

import threading
import time

from indexer.analysis import normalise
from indexer.opensearch import alias_name, client
from indexer.opensearch.documents import squeezed
from indexer.opensearch.queries import (
    DIGITS,
    FILTER_FIELDS,
    RECORDS,
    exact,
    filter_clause,
    held_query,
    match_query,
    ranking_query,
)
from indexer.opensearch.rescore import WINDOW, Stats, score
from indexer.search import verify
from indexer.search.backend import Found, Request, Vocabulary
from indexer.search.facets import FACET_FIELDS
from indexer.search.searcher import Searcher

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
#: What the exact check and the re-scoring read of a record.
CHECKED = ["record.text", "record.section", "record.doc_title", "record.id"]
SCORED = ["record.id", "record.text", "yearbook", "seq", "words", "section_words",
          "title_words", "names"]
LENGTHS = ("text", "section", "title", "names")


class PartialAnswer(RuntimeError):
    """Some shard copies did not answer even after retries: the counts would be wrong."""


def complete(call, index: str, body: dict) -> dict:
    """``call(index=…, body=…)`` (a search or a count), tried again while some shard
    failed — in the answer, or as a whole (a node that dies between the query and the
    fetch phase fails the search with ``search_phase_execution_exception``; the next try
    reads the other copy); PartialAnswer if it stays so."""
    from opensearchpy.exceptions import TransportError

    for attempt in range(SHARD_TRIES):
        try:
            found = call(index=index, body=body)
        except TransportError as err:
            if err.error != "search_phase_execution_exception" or attempt == SHARD_TRIES - 1:
                raise
            continue
        if not found["_shards"].get("failed"):
            return found
    raise PartialAnswer(f"{found['_shards']['failed']} shard(s) of {index} did not answer")


def scan(es, index: str, query: dict, sort: list[dict], source=True) -> list[dict]:
    """Every hit of ``query`` in ``sort`` order (search_after pages of 1000)."""
    out, after = [], None
    while True:
        body = {"query": query, "sort": [*sort, {"id": "asc"}], "size": 1000,
                "_source": source}
        if after:
            body["search_after"] = after
        hits = complete(es.search, index, body)["hits"]["hits"]
        out += hits
        if len(hits) < 1000:
            return out
        after = hits[-1]["sort"]




def generation(index: str, metas: list[dict]) -> tuple:
    """What identifies the data a state has read: the index and each yearbook's print."""
    return (index, tuple((m["id"], m["record"]["fingerprint"], m["record"]["records"])
                         for m in metas))


class State:
    """One index generation behind the alias, read: containers, facet values, vocabulary,
    names and collection statistics (the :class:`Backend` members)."""

    def __init__(self, es, alias: str):
        """Read the live index behind ``alias``."""
        self.es = es
        metas = [h["_source"] for h in scan(es, alias, {"term": {"type": "meta"}},
                                            [{"yearbook": "asc"}])]
        if not metas:
            raise FileNotFoundError(f"no yearbooks behind alias {alias!r}: load the cluster "
                                    "(python -m indexer.opensearch load)")
        self.index = next(iter(es.indices.get_alias(name=alias)))
        self.target = self.index
        self.generation = generation(self.index, metas)
        yearbooks = [m["record"] for m in metas]
        self.meta = {"yearbooks": [{"id": y["id"], "title": y["title"]} for y in yearbooks],
                     "index": self.index,
                     "counts": {"records": sum(y["records"] for y in yearbooks)}}
        self._docs = [h["_source"]["record"] for h in scan(es, self.index,
                                                           {"term": {"type": "doc"}},
                                                           BROWSE_SORT)]
        self.doc_by_id = {d["id"]: d for d in self._docs}
        self.names = tuple(dict.fromkeys(n for y in yearbooks for n in y["names"]))
        self.vocabulary = Vocabulary(frozenset(w for y in yearbooks for w in y["vocabulary"]),
                                     self)
        self._load_values()
        self._records: list[dict] | None = None
        self.record_cache: dict[str, dict | None] = {}
        self.lock = threading.Lock()

    def _load_values(self) -> None:
        """Facet values (for filter resolution), the record count, average lengths."""
        aggs = {name: {"terms": {"field": FILTER_FIELDS[name], "size": FACET_SIZE}}
                for name in FACET_FIELDS}
        aggs |= {f"avg_{name}": {"avg": {"field": f"lengths.{name}"}} for name in LENGTHS}
        found = complete(self.es.search, self.index, {"size": 0, "query": RECORDS,
                                                      "aggs": aggs, "track_total_hits": True})
        self.size = found["hits"]["total"]["value"]
        self.values = {name: [b["key"] for b in found["aggregations"][name]["buckets"]
                              if b["key"]] for name in FACET_FIELDS}
        self.avg = {name: found["aggregations"][f"avg_{name}"]["value"] or 0.0
                    for name in LENGTHS}

    # -- the Backend protocol ---------------------------------------------------------------

    def doc_ids(self, record_ids: list[str]) -> list[str]:
        """The document id of each of ``record_ids`` (through :meth:`record`'s cache)."""
        return [self.record(rid)["doc_id"] for rid in record_ids]

    def record(self, record_id: str) -> dict | None:
        """The record dict (a shared dict: do not modify), or None."""
        if not isinstance(record_id, str) or not record_id:
            return None
        if record_id in self.record_cache:
            return self.record_cache[record_id]
        found = self.es.get(index=self.index, id=f"record:{record_id}",
                            _source_includes=["record"], ignore=[404])
        record = found["_source"]["record"] if found.get("found") else None
        if len(self.record_cache) < RECORD_CACHE:
            self.record_cache[record_id] = record
        return record

    def records(self) -> list[dict]:
        """Every record in browse order (read once per generation)."""
        with self.lock:
            if self._records is None:
                self._records = [h["_source"]["record"]
                                 for h in scan(self.es, self.index, RECORDS, BROWSE_SORT,
                                               ["record"])]
            return self._records

    def docs(self) -> list[dict]:
        """Every document in order."""
        return self._docs

    def doc(self, doc_id: str) -> dict | None:
        """The document, or None."""
        return self.doc_by_id.get(doc_id)

    def facet_values(self, name: str) -> list[str]:
        """The values facet ``name`` takes."""
        return self.values.get(name, [])

    def holds(self, needle: str) -> bool:
        """True when some record's text or headings hold ``needle`` (spaces ignored)."""
        needle = squeezed(needle)
        if not needle:
            return False
        query = {"bool": {"filter": [RECORDS, held_query(needle)]}}
        if needle[:1] in DIGITS or needle[-1:] in DIGITS:
            return any(verify.occurs(needle, _strings(h["_source"]["record"]).searchable)
                       for h in scan(self.es, self.index, query, BROWSE_SORT, CHECKED))
        return complete(self.es.count, self.index, {"query": query})["count"] > 0

    def find(self, plan, request: Request) -> Found:
        """Match, filter, order and count facets (see the module docstring)."""
        matched = self._matched(plan)
        browse = not plan.groups
        relevance = not browse and request.sort == "relevance"
        end = request.start + request.size
        body = {
            "query": ranking_query(plan, matched) if relevance else matched,
            "post_filter": {"bool": {"filter": [filter_clause(n, v)
                                                for n, v in request.filters.items()]}},
            "aggs": {**_facet_aggs(request.filters), "matched": {"filter": {"match_all": {}}}},
            "track_total_hits": True,
            "size": max(WINDOW, end) if relevance else end,
            "_source": SCORED if relevance else ["record.id"],
        }
        if not relevance:
            body["sort"] = DATE_SORT if request.sort == "date" else BROWSE_SORT
        else:
            # Ties in browse order: the cluster's order must be the same for every page.
            body["sort"] = [{"_score": "desc"}, *BROWSE_SORT]
            body["aggs"] |= _df_aggs(plan.scoring)
        found = complete(self.es.search, self.index, body)
        aggs = found["aggregations"]
        hits = found["hits"]["hits"]
        ids = [h["_source"]["record"]["id"] for h in hits]
        if relevance:
            # Only the cluster's first WINDOW are re-scored, whatever page is asked for, so
            # that the pages of one search neither repeat nor skip a record.
            ids = self._ranked(plan, hits[:WINDOW], aggs) + ids[WINDOW:]
        counts = {name: {b["key"]: b["doc_count"] for b in aggs[f"facet_{name}"]["v"]["buckets"]
                         if b["key"]} for name in FACET_FIELDS}
        return Found(matched=aggs["matched"]["doc_count"], total=found["hits"]["total"]["value"],
                     ids=ids[request.start:end], counts=counts)

    def _matched(self, plan) -> dict:
        """The query of the records ``plan`` matches: exact query DSL, or — when a needle
        begins or ends with a digit — the candidates' ids after the exact check."""
        matchers = [m for g in plan.groups for m in g] + list(plan.excluded)
        if all(exact(m) for m in matchers):
            return match_query(plan)
        candidates = scan(self.es, self.index, match_query(plan, exclusions=False),
                          BROWSE_SORT, CHECKED)
        ids = [h["_source"]["record"]["id"] for h in candidates
               if verify.matches(plan, _strings(h["_source"]["record"]))]
        return {"bool": {"filter": [RECORDS, {"terms": {"id": ids}}]}}

    def _ranked(self, plan, hits: list[dict], aggs: dict) -> list[str]:
        """The ids of ``hits`` re-scored (embedded formulas), ties in browse order."""
        stats = Stats(self.size, self.avg,
                      {t: b["doc_count"] for t, b in aggs["df"]["t"]["buckets"].items()},
                      {k: b["doc_count"] for k, b in aggs["names_df"]["t"]["buckets"].items()})
        scored = []
        for hit in hits:
            source = hit["_source"]
            text = squeezed(normalise(source["record"]["text"]))
            scored.append((-score(plan, source, text, stats), source["yearbook"],
                           source["seq"], source["record"]["id"]))
        return [rid for *_, rid in sorted(scored)]


def _strings(record: dict) -> verify.Strings:
    """The strings the exact check reads of a record."""
    return verify.Strings.of(record)


def _df_aggs(plan) -> dict:
    """Global filters aggregations: document frequency of each word token in the text's
    words and of each whole-name key."""
    tokens = {t: {"term": {"words": t}} for t in dict.fromkeys(plan.word_tokens)}
    keys = {key: {"term": {"names": key}} for key, _ in plan.boosts}
    none = {"_": {"match_none": {}}}
    return {
        "df": {"global": {}, "aggs": {"t": {"filters": {"filters": tokens or none}}}},
        "names_df": {"global": {}, "aggs": {"t": {"filters": {"filters": keys or none}}}},
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


class OpenSearchBackend:
    """The Backend over an alias: the current :class:`State`, replaced when the alias moves
    or a yearbook is added (checked at most once per :data:`REFRESH_SECONDS`)."""

    def __init__(self, es, alias: str):
        """Read the generation behind ``alias`` now."""
        self.es = es
        self.alias = alias
        self.state = State(es, alias)
        self._checked = time.monotonic()

    def refresh(self, force: bool = False) -> bool:
        """Read the alias's generation anew when it changed; True if so."""
        if not force and time.monotonic() - self._checked < REFRESH_SECONDS:
            return False
        self._checked = time.monotonic()
        found = complete(self.es.search, self.alias, {
            "query": {"term": {"type": "meta"}}, "size": 10_000,
            "_source": ["id", "record.fingerprint", "record.records"],
            "sort": [{"yearbook": "asc"}]})["hits"]["hits"]
        if not found or generation(found[0]["_index"], [h["_source"] for h in found]) \
                == self.state.generation:
            return False
        self.state = State(self.es, self.alias)
        return True

    def __getattr__(self, name: str):
        """Every Backend member is the current state's."""
        return getattr(self.__dict__["state"], name)


class OpenSearchSearcher(Searcher):
    """:class:`indexer.search.Searcher` over the cluster: same searches, same result dict.

    ``urls``: node addresses (default ``$OPENSEARCH_URL``); ``alias``: default
    ``$OPENSEARCH_INDEX`` or ``yearbook``. :meth:`refresh` follows the alias.
    """

    def __init__(self, urls: list[str] | None = None, alias: str | None = None):
        """Connect and read the live index: the cluster is this Searcher's backend."""
        self._backend = OpenSearchBackend(client(urls), alias or alias_name())

    def refresh(self, force: bool = False) -> bool:
        """Follow an alias swap or an added yearbook; True if the data changed (asks the
        cluster at most once a second unless ``force``)."""
        return self._backend.refresh(force)
