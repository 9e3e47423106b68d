"""The embedded backend: a build folder's compact postings, columns and Whoosh names index.

Answering a plan (:meth:`Embedded.find`):

1. candidates from the character postings (``grams``: each unit's rarest bigrams, or its
   character), per group, intersected — a query costs in proportion to its answer;
2. the exact check (:mod:`~indexer.search.verify`) on those candidates only, skipped for
   groups the postings already answer exactly (words of one- and two-character units);
3. BM25F over the jieba-word postings of text, section and title (tf, df and field length
   from the same tokens), vectorised with numpy; plus the saturated frequency of phrases,
   whole words and expansions, and whole-name boosts from the Whoosh ``names`` field;
4. filters as boolean masks, top-k selection, facet counts with ``np.bincount``.
"""

import math
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import orjson
from cachetools import LRUCache
from whoosh import index

from indexer import collector
from indexer.analysis import exact_key
from indexer.postings import Field
from indexer.search import verify
from indexer.search.backend import Found, Request, Vocabulary
from indexer.search.plan import Matcher, Plan
from indexer.tokens import FIELDS, RS, SEP

K1, B = 1.2, 0.75
#: Field weights of a word match. Every record of a document shares its title, so a title
#: match says little about one record; a section heading is more specific.
WORD_FIELDS = {"text": 1.0, "title": 0.5, "section": 1.0}
#: How many of a unit's bigrams (the rarest) are intersected for its candidates; the
#: exact check settles the rest.
MAX_GRAMS = 3
#: Whole-name lookups remembered per build.
NAME_MEMO = 4096
#: Bytes of exact "records holding this string" answers remembered per build (see
#: :meth:`Embedded._holding`): a word's units and expansions recur across queries.
HOLDERS_BYTES = 32 << 20
#: Bytes of remembered saturated frequencies of a string per record (see
#: :meth:`Embedded._saturated`): 12 bytes per record holding the string.
SATURATIONS_BYTES = 16 << 20
#: Single-valued facets held as codes into a value table.
CODED = ("doc", "year", "kind", "level", "yearbook")
#: A multi-valued facet is held as columns enough for all but one record in SPILL.
SPILL = 50
#: Facets a record may have several values of, and the column holding them.
MULTI = {"office": "offices", "person": "persons"}




class Embedded:
    """One build folder, opened (see :class:`~indexer.search.backend.Backend`)."""

    def __init__(self, folder: Path):
        """Read the postings, columns and documents of build ``folder`` (the cycle collector
        paused, what was read frozen: at ×200 opening took 2.8 s with it, 1.0 s without)."""
        with collector.paused(freeze=True):
            self._open(Path(folder))

    def _open(self, folder: Path) -> None:
        """Read the build ``folder``: see :meth:`__init__`."""
        self.target = str(folder)
        self.meta = orjson.loads((folder / "meta.json").read_bytes())
        self._docs = orjson.loads((folder / "docs.json").read_bytes())
        self.doc_by_id = {d["id"]: d for d in self._docs}
        self._records_path = folder / "records.jsonl"
        self._records_fd = os.open(self._records_path, os.O_RDONLY)
        self._offsets = np.load(folder / "offsets.npy")
        count = len(self._offsets) - 1
        self.norm = _read_strings(folder / "norm.txt", count)
        self.searchable = _read_strings(folder / "searchable.txt", count)
        #: Where each searchable string's text part ends (its section headings follow).
        self.text_ends = [text.find(SEP) for text in self.searchable]
        self.fields = {name: Field(folder, name) for name in FIELDS}
        self.size = len(self.norm)
        self._load_columns(orjson.loads((folder / "columns.json").read_bytes()))
        self.norms = {name: _length_norms(self.fields[name].lengths) for name in WORD_FIELDS}
        self._names = index.open_dir(str(folder)).reader()
        #: The record index of each Whoosh docnum (only records with names are documents).
        self._name_rows = np.load(folder / "names.npy")
        self._lock = threading.Lock()
        self._holders: LRUCache = LRUCache(HOLDERS_BYTES, getsizeof=_nbytes)
        self._holders_lock = threading.Lock()
        self._saturations: LRUCache = LRUCache(SATURATIONS_BYTES, getsizeof=_nbytes)
        #: Per-thread scratch arrays over all records (see :meth:`_placed`).
        self._scratch = threading.local()
        self._name_memo: dict[str, np.ndarray] = {}
        self._title_memo: dict[str, np.ndarray] = {}
        self._all_tally: dict[str, np.ndarray] = {}
        self.vocabulary = Vocabulary(
            frozenset().union(*(self.fields[n].terms for n in WORD_FIELDS)), self)

    def _load_columns(self, cols: dict) -> None:
        """Hold the per-record columns as arrays: facet codes, dates, offices, refs."""
        self.ids = cols["ids"]
        self.by_id = {rid: i for i, rid in enumerate(self.ids)}
        cols["doc"] = [self._docs[d]["id"] for d in cols["doc"]]
        cols["year"] = ["" if y is None else str(y) for y in cols["year"]]
        self.tables, self.codes = {}, {}
        for name in CODED:
            table, codes = np.unique(np.asarray(cols[name], dtype=str), return_inverse=True)
            self.tables[name], self.codes[name] = table.tolist(), codes.astype(np.int32)
        _, self.date_rank = np.unique(np.asarray(cols["date"], dtype=str), return_inverse=True)
        # Per multi-valued facet: parallel arrays of (record, value code) pairs.
        self.multi_recs, self.multi_codes = {}, {}
        for name, column in MULTI.items():
            values = sorted({v for row in cols[column] for v in row})
            self.tables[name] = values
            code_of = {v: i for i, v in enumerate(values)}
            self.multi_recs[name] = np.asarray(
                [i for i, row in enumerate(cols[column]) for _ in row], dtype=np.int32)
            self.multi_codes[name] = np.asarray(
                [code_of[v] for row in cols[column] for v in row], dtype=np.int32)
        self.multi_columns = {name: self._value_columns(name) for name in MULTI}
        self._facet_order()
        self.refs = {i: row for i, row in enumerate(cols["refs"]) if row}
        self.names = tuple(dict.fromkeys(p for row in cols["persons"] for p in row))
        self.title_keys = [exact_key(d["title"]) for d in self._docs]
        # The keys one a line (a key has no whitespace), and where each begins: a unit is
        # looked for in every title with one scan.
        self._titles_joined = "\n".join(self.title_keys)
        self._title_starts = np.cumsum([0] + [len(key) + 1 for key in self.title_keys[:-1]])
        doc_index = {d["id"]: i for i, d in enumerate(self._docs)}
        self.doc_of = np.asarray([doc_index[d] for d in cols["doc"]], dtype=np.int32)
        self._decided_by_doc()

    def _value_columns(self, name: str
                       ) -> tuple[list[np.ndarray], tuple[np.ndarray, np.ndarray]]:
        """Multi-valued facet ``name``'s codes as ``k`` columns per record (the table's size
        where a record has fewer values), ``k`` the fewest that leave at most one record
        in :data:`SPILL` with more, and those records' further (record, code) pairs: a set
        of rows is then counted with one gather (most records have one or two offices)."""
        recs, codes = self.multi_recs[name], self.multi_codes[name]
        per_record = np.bincount(recs, minlength=len(self.ids))
        k = 1
        while (per_record > k).sum() * SPILL > len(self.ids):
            k += 1
        starts = np.concatenate(([0], np.cumsum(per_record)[:-1]))
        place = np.arange(len(recs)) - starts[recs]
        columns = [np.full(len(self.ids), len(self.tables[name]), dtype=np.intp)
                   for _ in range(k)]
        for n, column in enumerate(columns):
            column[recs[place == n]] = codes[place == n]
        spill = place >= k
        return columns, (recs[spill].astype(np.int64), codes[spill])

    def _facet_order(self) -> None:
        """Per facet: ``code_of`` (value → code), ``blank`` (the code of the empty value,
        -1 if none) and ``rank`` (each code's place in the order a result lists values of
        equal count: newest first for years, else by label — a document's title)."""
        self.code_of, self.blank, self.rank = {}, {}, {}
        for name, table in self.tables.items():
            self.code_of[name] = {v: i for i, v in enumerate(table)}
            self.blank[name] = self.code_of[name].get("", -1)
            if name == "year":
                order = sorted(range(len(table)), key=table.__getitem__, reverse=True)
            else:
                docs = self.doc_by_id if name == "doc" else {}
                order = sorted(range(len(table)),
                               key=lambda c: docs[table[c]]["title"] if docs else table[c])
            self.rank[name] = np.empty(len(table), dtype=np.int64)
            self.rank[name][order] = np.arange(len(table))

    def _decided_by_doc(self) -> None:
        """``by_doc``: per single-valued facet all of whose documents' records share one
        value (the document itself, and in practice its year, kind and yearbook), that
        value's code per document; such a facet is counted from per-document counts."""
        doc_of = self.doc_of
        self.by_doc = {}
        for name in CODED:
            per_doc = np.zeros(len(self._docs), dtype=np.int64)
            per_doc[doc_of] = self.codes[name]
            if np.array_equal(per_doc[doc_of], self.codes[name]):
                self.by_doc[name] = per_doc

    # -- the Backend protocol ---------------------------------------------------------------

    def record(self, record_id: str) -> dict | None:
        """The record dict, read from records.jsonl, or None."""
        i = self.by_id.get(record_id)
        return None if i is None else self.record_at(i)

    def record_at(self, i: int) -> dict:
        """The record at browse position ``i`` (``pread`` on one descriptor: thread-safe)."""
        start, end = int(self._offsets[i]), int(self._offsets[i + 1])
        return orjson.loads(os.pread(self._records_fd, end - start, start))

    def __del__(self):
        """Close the records file (the build folder may be pruned after a swap)."""
        fd = getattr(self, "_records_fd", None)
        if fd is not None:
            os.close(fd)

    def records(self) -> list[dict]:
        """Every record in browse order (read from disk on each call)."""
        with open(self._records_path, encoding="utf-8") as lines:
            return [orjson.loads(line) for line in lines]

    def doc_ids(self, record_ids: list[str]) -> list[str]:
        """The document id of each of ``record_ids``, from the columns (no record read)."""
        by_id, doc_of, docs = self.by_id, self.doc_of, self._docs
        return [docs[doc_of[by_id[rid]]]["id"] for rid in record_ids]

    def docs(self) -> list[dict]:
        """Every document in order."""
        return self._docs

    def doc(self, doc_id: str) -> dict | None:
        """The document, or None."""
        return self.doc_by_id.get(doc_id)

    def facet_values(self, name: str) -> list[str]:
        """The values facet ``name`` takes (``year``, ``office``, ``yearbook``, ...)."""
        return [v for v in self.tables[name] if v]

    def find(self, plan: Plan, request: Request) -> Found:
        """Match, filter, order and count (see the module docstring)."""
        found = self._match(plan)
        masks = self._filter_masks(request.filters)
        selected = found
        if masks:
            keep = np.logical_and.reduce(list(masks.values()))
            selected = found[keep[found]]
        if request.count_only:
            return Found(matched=len(found), total=len(selected), ids=[], counts={})
        if not plan.groups and request.sort != "date":
            page = selected[request.start:request.start + request.size]
        else:
            page = self._page(selected, plan, request)
        counts, left = self._counts(found, masks, request)
        return Found(matched=len(found), total=len(selected),
                     ids=[self.ids[i] for i in page.tolist()], counts=counts, left=left)

    # -- matching ----------------------------------------------------------------------------

    def holds(self, needle: str) -> bool:
        """True when some record's searchable string holds ``needle`` (no spaces)."""
        needle = "".join(needle.split())
        if not needle:
            return False
        return any(verify.occurs(needle, self.searchable[i])
                   for i in self._gram_candidates(needle).tolist())

    def _match(self, plan: Plan) -> np.ndarray:
        """Ascending record indexes matching ``plan`` (all records for a plan without groups,
        less the exclusions)."""
        if not plan.groups:
            found = np.arange(self.size, dtype=np.int32)
        else:
            candidates = [[self._matcher_candidates(m) for m in group] for group in plan.groups]
            found = None
            # One group to confirm: its confirmed matchers are the match, no union needed.
            if len(plan.groups) > 1 or all(map(_exact_by_postings, plan.groups[0])):
                for own in candidates:
                    cands = self._union(own)
                    found = cands if found is None else self._intersect(found, cands)
            for group, own in zip(plan.groups, candidates, strict=True):
                if not all(map(_exact_by_postings, group)):
                    found = self._confirmed(group, own, found)
        if plan.excluded and len(found):
            # Only the records an exclusion's postings allow can hold it: those are checked.
            gone = self._union([
                self._confirm(m, self._intersect(found, self._matcher_candidates(m)),
                              not m.expansions) for m in plan.excluded])
            found = found[~self._mask(gone)[found]]
        return found

    def _confirmed(self, group: list[Matcher], own: list[np.ndarray],
                   found: np.ndarray | None) -> np.ndarray:
        """The records of ``found`` (None: of the group's candidates ``own``, one array per
        matcher) that hold some matcher of ``group``.

        Each matcher is checked on the records its own postings allow, not on the whole
        group's: in a broad OR group most records are no one's but one's. A matcher its
        postings decide (:func:`_exact_by_postings`) holds all of those."""
        if len(group) == 1:     # found is within the matcher's own candidates
            return self._confirm(group[0], own[0] if found is None else found, True)
        parts = []
        for m, mine in zip(group, own, strict=True):
            mine = mine if found is None else self._intersect(found, mine)
            parts.append(mine if _exact_by_postings(m) else self._confirm(m, mine))
        return self._union(parts)

    def _confirm(self, m: Matcher, cands: np.ndarray, alone: bool = False) -> np.ndarray:
        """The exact check, one string at a time over all candidates: those of ``cands``
        that hold the phrase, the word or an expansion of ``m`` (see :mod:`.verify`).

        ``alone``: every candidate came from the postings of ``m``'s units (it is its
        group's only matcher, or an exclusion checked on its own candidates), which
        already decide its short units (:func:`_exact_unit`)."""
        if m.phrase:
            return self._holding(m.phrase, cands, self.norm)
        parts = []
        if m.units:
            sub = cands
            for unit in m.units:
                if alone and _exact_unit(unit):
                    continue
                in_title = self._mask(self._title_docs(unit), len(self._docs))[self.doc_of[sub]]
                sub = self._union([sub[in_title],
                                   self._holding(unit, sub[~in_title], self.searchable)])
            parts.append(sub)
        parts += [self._holding(e, cands, self.searchable) for e in m.expansions]
        return self._union(parts)

    def _holding(self, needle: str, cands: np.ndarray, texts: list[str]) -> np.ndarray:
        """The candidates whose string in ``texts`` (``self.norm`` or ``self.searchable``)
        holds ``needle``.

        When the candidates are at least half of what the needle's bigram postings allow,
        every record holding it is found and remembered (an LRU of
        :data:`HOLDERS_BYTES`); the next query asking about the same string intersects.
        A searchable string holds a needle of one or two characters without digits
        exactly where its postings say (:func:`_exact_unit`): no string is read then.
        """
        if texts is self.searchable and _exact_unit(needle):
            return self._intersect(cands, self._gram_candidates(needle))
        key = (needle, texts is self.norm)
        with self._holders_lock:
            holders = self._holders.get(key)
        if holders is None:
            allowed = self._gram_candidates("".join(needle.split()))
            if 2 * len(cands) < len(allowed):
                return cands[np.asarray(verify.holds_each(needle, texts, cands.tolist()),
                                        dtype=bool)]
            holders = allowed[np.asarray(verify.holds_each(needle, texts, allowed.tolist()),
                                         dtype=bool)]
            with self._holders_lock:
                _keep(self._holders, key, holders)
        return self._intersect(cands, holders)

    def _mask(self, ids: np.ndarray, size: int | None = None) -> np.ndarray:
        """A boolean mask over all records (or ``size`` items: the documents), true at
        ``ids`` (a gather through it is cheaper than ``np.isin``, which sorts)."""
        mask = np.zeros(self.size if size is None else size, dtype=bool)
        mask[ids] = True
        return mask

    def _union(self, arrays: list[np.ndarray]) -> np.ndarray:
        """The ascending union of record index arrays (through a mask: no sort)."""
        arrays = [a for a in arrays if len(a)]
        if len(arrays) <= 1:
            return arrays[0] if arrays else np.zeros(0, dtype=np.int32)
        mask = np.zeros(self.size, dtype=bool)
        for a in arrays:
            mask[a] = True
        return np.flatnonzero(mask).astype(np.int32)

    def _intersect(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """The records in both ascending arrays, ascending."""
        small, large = (a, b) if len(a) <= len(b) else (b, a)
        return large[self._mask(small)[large]] if len(small) else small

    def _matcher_candidates(self, m: Matcher) -> np.ndarray:
        """Records that may hold the phrase, the word (in text, sections or title) or an
        expansion of ``m``."""
        if m.phrase:
            return self._gram_candidates("".join(m.phrase.split()))
        parts = []
        if m.units:
            found = None
            for unit in m.units:
                cands = self._unit_candidates(unit)
                found = cands if found is None else self._intersect(found, cands)
            parts.append(found)
        parts += [self._gram_candidates(e) for e in m.expansions]
        return self._union(parts)

    def _gram_candidates(self, needle: str) -> np.ndarray:
        """Records whose searchable string holds every bigram (the rarest few) of
        ``needle`` — or its one character. An intersection is remembered (see
        :meth:`_remembered`): a query asks for the same needle's candidates when matching,
        confirming and scoring."""
        grams = self.fields["grams"]
        if len(needle) < 2:
            return grams.ids_of(needle)
        pairs = sorted({needle[i:i + 2] for i in range(len(needle) - 1)}, key=grams.df)
        if len(pairs) == 1:
            return grams.ids_of(pairs[0])
        return self._remembered((needle, "grams"), lambda: self._intersected(pairs))

    def _intersected(self, pairs: list[str]) -> np.ndarray:
        """Records holding each of the first :data:`MAX_GRAMS` bigrams of ``pairs``."""
        grams = self.fields["grams"]
        found = grams.ids_of(pairs[0])
        for gram in pairs[1:MAX_GRAMS]:
            if not len(found):
                break
            found = self._intersect(found, grams.ids_of(gram))
        return found

    def _unit_candidates(self, unit: str) -> np.ndarray:
        """Records that may hold word unit ``unit``: those its bigrams allow, and those of
        the documents whose title holds it (the union remembered: a unit of many titles
        has most records)."""
        docs = self._title_docs(unit)
        if not len(docs):
            return self._gram_candidates(unit)
        return self._remembered((unit, "title"), lambda: self._union([
            self._gram_candidates(unit),
            np.flatnonzero(self._mask(docs, len(self._docs))[self.doc_of]).astype(np.int32)]))

    def _remembered(self, key: tuple, compute: Callable[[], np.ndarray]) -> np.ndarray:
        """``compute()``, remembered under ``key`` in the LRU of :data:`HOLDERS_BYTES`
        (what a string's postings or holders are does not change within a build)."""
        with self._holders_lock:
            known = self._holders.get(key)
        if known is None:
            known = compute()
            with self._holders_lock:
                _keep(self._holders, key, known)
        return known

    def _title_docs(self, unit: str) -> np.ndarray:
        """Indexes of the documents whose title holds ``unit`` (remembered per build)."""
        docs = self._title_memo.get(unit)
        if docs is None:
            found = np.fromiter(verify.find(unit, self._titles_joined), dtype=np.int64)
            docs = np.unique(np.searchsorted(self._title_starts, found, side="right") - 1
                             ).astype(np.int32)
            if len(self._title_memo) >= NAME_MEMO:
                self._title_memo.clear()
            self._title_memo[unit] = docs
        return docs

    # -- scoring and order ------------------------------------------------------------------

    def _page(self, selected: np.ndarray, plan: Plan, request: Request) -> np.ndarray:
        """The requested page of ``selected``: best first (ties in browse order) or newest
        first; only the top ``start + size`` are ordered (none: nothing is scored)."""
        k = request.start + request.size
        if not k:
            return selected[:0]
        if request.sort == "date":
            primary = -self.date_rank[selected].astype(np.float64)
        else:
            primary = -self.score(selected, plan.scoring)
        if len(selected) > k:
            kth = np.partition(primary, k - 1)[k - 1]
            keep = np.flatnonzero(primary <= kth)
            selected, primary = selected[keep], primary[keep]
        order = np.lexsort((selected, primary))[:k]
        return selected[order][request.start:]

    def score(self, found: np.ndarray, plan: Plan) -> np.ndarray:
        """Scores of the records ``found`` (ascending indexes) for ``plan``."""
        scores = np.zeros(len(found), dtype=np.float64)
        if not len(found):
            return scores
        with self._placed(found) as place:
            for token in dict.fromkeys(plan.word_tokens):
                scores += self._bm25f(found, place, token)
            for needle, weight in plan.weighted:
                scores += weight * self._saturated(found, place, "".join(needle.split()))
        for key, boost in plan.boosts:
            scores += boost * self._name_match(found, key)
        return scores

    @contextmanager
    def _placed(self, found: np.ndarray) -> Iterator[np.ndarray]:
        """Each record's place in ``found`` (-1: not found), over all records: postings are
        looked up there by a gather, not a binary search per posting.

        The array is this thread's, kept between calls and reset where it was set: a
        fresh one cost a fill of every record per query."""
        place = getattr(self._scratch, "place", None)
        if place is None:
            place = self._scratch.place = np.full(self.size, -1, dtype=np.intp)
        place[found] = np.arange(len(found))
        try:
            yield place
        finally:
            place[found] = -1

    @staticmethod
    def _gathered(found: np.ndarray, place: np.ndarray, ids: np.ndarray,
                  values: np.ndarray) -> np.ndarray:
        """``values`` (one per record of ``ids``) at the places of ``found`` (see
        :meth:`_placed`), 0 for the records of ``found`` not in ``ids``."""
        out = np.zeros(len(found), dtype=np.float64)
        pos = place[ids]
        hit = pos >= 0
        out[pos[hit]] = values[hit]
        return out

    def _bm25f(self, found: np.ndarray, place: np.ndarray, token: str) -> np.ndarray:
        """BM25F of ``token`` over text, section and title for each record of ``found``
        (``place``: see :meth:`_placed`)."""
        df = max(1, self.fields["text"].df(token))
        idf = math.log(1 + (self.size - df + 0.5) / (df + 0.5))
        tf = np.zeros(len(found), dtype=np.float64)
        for name, weight in WORD_FIELDS.items():
            ids, tfs = self.fields[name].postings(token)
            if not len(ids):
                continue
            pos = place[ids]
            hit = pos >= 0
            tf[pos[hit]] += weight * tfs[hit] / self.norms[name][ids[hit]]
        return idf * tf * (K1 + 1) / (tf + K1)

    def _saturated(self, found: np.ndarray, place: np.ndarray, needle: str) -> np.ndarray:
        """Saturated frequency of ``needle`` in each text (not its headings: they are
        shared by the whole section), normalised by the text's token length.

        Counted only where the bigram postings say ``needle`` may occur (``place``: see
        :meth:`_placed`): elsewhere it is 0, so a broad match costs in proportion to the
        needle's records, not to the match. When ``found`` holds at least half of those,
        all are counted and remembered (an LRU of :data:`SATURATIONS_BYTES`).
        """
        with self._holders_lock:
            known = self._saturations.get(needle)
        if known is None:
            cands = self._gram_candidates(needle)
            where = place[cands]
            inside = where >= 0
            if 2 * np.count_nonzero(inside) < len(cands):
                out = np.zeros(len(found), dtype=np.float64)
                out[where[inside]] = self._saturation(needle, cands[inside])
                return out
            known = self._saturated_all(needle, cands)
            with self._holders_lock:
                _keep(self._saturations, needle, known)
        return self._gathered(found, place, *known)

    def _saturated_all(self, needle: str, cands: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``(records, values)`` of :meth:`_saturated` over ``cands``, where not 0."""
        values = self._saturation(needle, cands)
        held = np.flatnonzero(values)
        return cands[held], values[held]

    def _saturation(self, needle: str, records: np.ndarray) -> np.ndarray:
        """The saturated frequency of ``needle`` in the text of each of ``records``."""
        tf = np.asarray(verify.count_each(needle, self.searchable, self.text_ends,
                                          records.tolist()), dtype=np.float64)
        return tf * (K1 + 1) / (tf + K1 * self.norms["text"][records])

    def _name_match(self, found: np.ndarray, key: str) -> np.ndarray:
        """idf of whole name ``key`` for the records of ``found`` having it, else 0."""
        ids = self._name_records(key)
        if not len(ids):
            return np.zeros(len(found))
        idf = math.log(1 + (self.size - len(ids) + 0.5) / (len(ids) + 0.5))
        return self._mask(ids)[found] * idf

    def _name_records(self, key: str) -> np.ndarray:
        """Records whose whole name, title or honour is ``key`` (Whoosh ``names`` postings;
        the last :data:`NAME_MEMO` answers remembered: reading a posting list costs ~2 ms)."""
        with self._lock:
            ids = self._name_memo.get(key)
            if ids is None:
                ids = np.zeros(0, dtype=np.int64)
                if ("names", key) in self._names:
                    ids = np.sort(self._name_rows[np.fromiter(
                        self._names.postings("names", key).all_ids(), dtype=np.int64)])
                if len(self._name_memo) >= NAME_MEMO:
                    self._name_memo.pop(next(iter(self._name_memo)))
                self._name_memo[key] = ids
            return ids

    # -- filters and facets -----------------------------------------------------------------

    def _filter_masks(self, filters: dict[str, set[str]]) -> dict[str, np.ndarray]:
        """A boolean mask over all records per filter."""
        masks = {}
        for name, allowed in filters.items():
            if name == "ref":
                mask = np.zeros(self.size, dtype=bool)
                hits = [i for i, keys in self.refs.items()
                        if any(key in r for key in allowed for r in keys)]
                mask[hits] = True
            elif name in MULTI:
                mask = np.zeros(self.size, dtype=bool)
                codes = [i for i, v in enumerate(self.tables[name]) if v in allowed]
                mask[self.multi_recs[name][np.isin(self.multi_codes[name], codes)]] = True
            else:
                codes = [i for i, v in enumerate(self.tables[name]) if v in allowed]
                mask = np.isin(self.codes[name], codes)
            masks[name] = mask
        return masks

    def _counts(self, found: np.ndarray, masks: dict[str, np.ndarray], request: Request
                ) -> tuple[dict[str, dict[str, int]], dict[str, int]]:
        """Facet value → count over ``found``, each facet under every filter but its own,
        and per facet how many counted values were left out: of each facet only the first
        ``request.facet_size`` values in the facet's order and the selected ones are named
        (top-k by :meth:`_first`), so a broad search does not build 4,600 document buckets
        for a page that lists ten."""
        counts, left = {}, {}
        under: dict[tuple[str, ...], dict] = {}
        for name in (*CODED, *MULTI):
            others = tuple(f for f in masks if f != name)
            memo = under.get(others)
            if memo is None:
                rows = found[np.logical_and.reduce(
                    [masks[f] for f in others])[found]] if others else found
                memo = under[others] = {"rows": self._smaller_side(rows)}
            tally = self._tally(name, memo)
            codes = np.flatnonzero(tally)
            codes = codes[codes != self.blank[name]]
            size = request.facet_size
            if size is not None and len(codes) > size:
                wanted = [self.code_of[name][v] for v in request.filters.get(name, ())
                          if v in self.code_of[name]]
                kept = np.union1d(self._first(name, codes, tally, size),
                                  np.asarray([c for c in wanted if tally[c]], dtype=np.int64))
                left[name] = len(codes) - len(kept)
                codes = kept
            table = self.tables[name]
            counts[name] = dict(zip(map(table.__getitem__, codes.tolist()),
                                    tally[codes].tolist(), strict=True))
        return counts, left

    def _smaller_side(self, rows: np.ndarray) -> tuple[np.ndarray, bool]:
        """``(rows, False)``, or when ``rows`` are most of the records ``(the others,
        True)``: a broad match is counted as the whole build less what it lacks."""
        if 2 * len(rows) <= self.size:
            return rows, False
        outside = np.ones(self.size, dtype=bool)
        outside[rows] = False
        return np.flatnonzero(outside), True

    def _tally(self, name: str, memo: dict) -> np.ndarray:
        """How many records of one row set have each value (code) of facet ``name``.

        ``memo["rows"]``: the set, as :meth:`_smaller_side` gives it; ``memo`` keeps the
        set's per-document counts, from which every facet a document decides (its year,
        kind, yearbook: :attr:`by_doc`) is summed over documents, not over records.
        """
        rows, complement = memo["rows"]
        size = len(self.tables[name])
        if name in self.by_doc:
            docs = memo.get("docs")
            if docs is None:
                docs = memo["docs"] = np.bincount(self.doc_of[rows], minlength=len(self._docs))
            tally = np.bincount(self.by_doc[name], weights=docs, minlength=size).astype(np.int64)
        else:
            tally = self._count_codes(name, rows)
        return self._whole_tally(name) - tally if complement else tally

    def _whole_tally(self, name: str) -> np.ndarray:
        """:meth:`_tally` over every record: the same for the whole build, made once."""
        tally = self._all_tally.get(name)
        if tally is None:
            tally = self._all_tally[name] = self._count_codes(
                name, np.arange(self.size, dtype=np.int64))
        return tally

    def _count_codes(self, name: str, rows: np.ndarray) -> np.ndarray:
        """How many of the records ``rows`` (ascending) have each value (code) of facet
        ``name``."""
        size = len(self.tables[name])
        if name not in MULTI:
            return np.bincount(self.codes[name][rows], minlength=size)
        columns, (recs, codes) = self.multi_columns[name]
        tally = sum(np.bincount(column[rows], minlength=size + 1)[:size] for column in columns)
        if len(recs) and len(rows):
            # The few values past the columns: their records looked up among ``rows``.
            at = np.minimum(np.searchsorted(rows, recs), len(rows) - 1)
            tally += np.bincount(codes[rows[at] == recs], minlength=size)
        return tally

    def _first(self, name: str, codes: np.ndarray, tally: np.ndarray, k: int) -> np.ndarray:
        """The ``k`` codes of ``codes`` a result lists first (see
        :func:`~indexer.search.facets.facet_order`): the newest years, else the highest
        counts, ties by label (``self.rank``: each code's place in label order)."""
        if k <= 0:
            return codes[:0]
        rank = self.rank[name][codes]
        key = rank if name == "year" else \
            -tally[codes].astype(np.int64) * len(self.tables[name]) + rank
        return codes[np.argpartition(key, k - 1)[:k]]


def _exact_unit(unit: str) -> bool:
    """True for a unit its postings decide: one or two characters, no digit (a bigram's
    postings are exactly the records holding it; title matches are exact too)."""
    return len(unit) <= 2 and not any(ch.isdigit() for ch in unit)


def _exact_by_postings(m: Matcher) -> bool:
    """True when the postings alone decide ``m``: a word whose units and expansions are
    all :func:`_exact_unit`."""
    return not m.phrase and all(map(_exact_unit, [*m.units, *m.expansions]))


def _keep(cache: LRUCache, key, value) -> None:
    """Remember ``value`` in ``cache`` unless it alone outgrows it (``LRUCache`` would raise:
    an archive large enough has such answers)."""
    if cache.getsizeof(value) <= cache.maxsize:
        cache[key] = value


def _nbytes(held: np.ndarray | tuple[np.ndarray, ...]) -> int:
    """Bytes an entry of the holders LRU takes: an array, or a tuple of arrays."""
    arrays = held if isinstance(held, tuple) else (held,)
    return sum(a.nbytes for a in arrays) + 64


def _length_norms(lengths: np.ndarray) -> np.ndarray:
    """BM25 length normalisation ``1 - b + b·len/avglen`` per record, from each record's
    number of tokens in a field."""
    avg = max(1.0, float(lengths.mean()) if len(lengths) else 1.0)
    return 1 - B + B * lengths / avg


def _read_strings(path: Path, count: int) -> list[str]:
    """The ``count`` strings of a build folder's ``norm.txt`` / ``searchable.txt``."""
    return path.read_text(encoding="utf-8").split(RS) if count else []
