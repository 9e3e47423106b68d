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

import json
import math
import os
import threading
from pathlib import Path

import numpy as np
from whoosh import index

from indexer.analysis import exact_key, normalise
from indexer.postings import Field
from indexer.search import verify
from indexer.search.backend import Found, Request
from indexer.search.plan import Matcher, Plan
from indexer.tokens import FIELDS

K1, B = 1.2, 0.75
#: Field weights of a word match. Every record of a document shares its title, so a title
#: match says little about one record; a section heading is more specific.
WORD_FIELDS = {"text": 1.0, "title": 0.5, "section": 1.0}
#: How many of a unit's bigrams (the rarest) are intersected for its candidates; the
#: exact check settles the rest.
MAX_GRAMS = 3
#: Single-valued facets held as codes into a value table.
CODED = ("doc", "year", "kind", "level", "yearbook")
#: Facets a record may have several values of, and the column holding them.
MULTI = {"office": "offices", "person": "persons"}


class Vocabulary:
    """The index vocabulary as :mod:`indexer.bilingual` uses it (``in``, iteration).

    Iterates over the jieba words of the text, title and section fields; ``term in vocab``
    is also true for a normalised term that some record's searchable string holds, since
    word queries match substrings too.
    """

    #: Answers remembered per build: expansion asks about the same words again and again.
    MEMO_SIZE = 1 << 16

    def __init__(self, backend: "Embedded"):
        """Answer for ``backend``."""
        self._backend = backend
        self._words = frozenset().union(*(backend.fields[n].terms for n in WORD_FIELDS))
        self._memo: dict[str, bool] = {}

    def __contains__(self, term: object) -> bool:
        """True when the normalised ``term`` is an index word or occurs in some record."""
        if not isinstance(term, str):
            return False
        found = self._memo.get(term)
        if found is None:
            norm = normalise(term).strip()
            found = bool(norm) and (norm in self._words or self._backend.holds(norm))
            if len(self._memo) < self.MEMO_SIZE:
                self._memo[term] = found
        return found

    def __iter__(self):
        """Iterate over the indexed jieba words."""
        return iter(self._words)

    def __len__(self) -> int:
        """Number of indexed jieba words."""
        return len(self._words)


class Embedded:
    """One build folder, opened (see :class:`~indexer.search.backend.Backend`)."""

    def __init__(self, folder: Path):
        """Read the postings, columns and documents of build ``folder``."""
        folder = Path(folder)
        self.target = str(folder)
        self.meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        self._docs = json.loads((folder / "docs.json").read_text(encoding="utf-8"))
        self.doc_by_id = {d["id"]: d for d in self._docs}
        self._records_path = folder / "records.jsonl"
        self._offsets = np.load(folder / "offsets.npy")
        self.norm = json.loads((folder / "norm.json").read_text(encoding="utf-8"))
        self.searchable = json.loads((folder / "searchable.json").read_text(encoding="utf-8"))
        self.fields = {name: Field(folder, name) for name in FIELDS}
        self.size = len(self.norm)
        self._load_columns(json.loads((folder / "columns.json").read_text(encoding="utf-8")))
        self.norms = {name: _length_norms(self.fields[name], self.size) for name in WORD_FIELDS}
        self._names = index.open_dir(str(folder)).reader()
        self._lock = threading.Lock()
        self.vocabulary = Vocabulary(self)

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
        self.refs = {i: row for i, row in enumerate(cols["refs"]) if row}
        self.names = tuple(dict.fromkeys(p for row in cols["persons"] for p in row))
        self.title_keys = [exact_key(d["title"]) for d in self._docs]
        doc_index = {d["id"]: i for i, d in enumerate(self._docs)}
        self.doc_of = np.asarray([doc_index[d] for d in cols["doc"]], dtype=np.int32)
        order = np.argsort(self.doc_of, kind="stable")
        self.doc_starts = np.searchsorted(self.doc_of[order], np.arange(len(self._docs) + 1))
        self.doc_records = order.astype(np.int32)

    # -- the Backend protocol ---------------------------------------------------------------

    def record(self, record_id: str) -> dict | None:
        """The record dict, read from records.jsonl, or None."""
        i = self.by_id.get(record_id)
        return None if i is None else self.record_at(i)

    def record_at(self, i: int) -> dict:
        """The record at browse position ``i``."""
        start, end = int(self._offsets[i]), int(self._offsets[i + 1])
        with open(self._records_path, "rb") as f:
            return json.loads(os.pread(f.fileno(), end - start, start))

    def records(self) -> list[dict]:
        """Every record in browse order (read from disk on each call)."""
        with open(self._records_path, encoding="utf-8") as lines:
            return [json.loads(line) for line in lines]

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
        if not plan.groups and request.sort != "date":
            page = selected[request.start:request.start + request.size]
        else:
            page = self._page(selected, plan, request)
        return Found(matched=len(found), total=len(selected),
                     ids=[self.ids[i] for i in page.tolist()],
                     counts=self._counts(found, masks))

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
            found = None
            exact = True
            for group in plan.groups:
                cands = self._group_candidates(group)
                found = cands if found is None else np.intersect1d(found, cands,
                                                                   assume_unique=True)
                exact = exact and all(_exact_by_postings(m) for m in group)
            if not exact:
                found = self._verify(found, plan.groups)
        if plan.excluded and len(found):
            strings = self._strings
            keep = [not any(verify.matcher_matches(m, strings(i)) for m in plan.excluded)
                    for i in found.tolist()]
            found = found[np.asarray(keep, dtype=bool)]
        return found

    def _verify(self, found: np.ndarray, groups: list[list[Matcher]]) -> np.ndarray:
        """The candidates that pass the exact check of every group."""
        strings = self._strings
        keep = [all(any(verify.matcher_matches(m, s) for m in group) for group in groups)
                for s in map(strings, found.tolist())]
        return found[np.asarray(keep, dtype=bool)] if keep else found

    def _strings(self, i: int) -> verify.Strings:
        """The strings of record ``i`` the exact check reads."""
        return verify.Strings(self.norm[i], self.searchable[i],
                              self.title_keys[self.doc_of[i]])

    def _group_candidates(self, group: list[Matcher]) -> np.ndarray:
        """Records that may match any matcher of an OR group (a superset)."""
        parts = [self._matcher_candidates(m) for m in group]
        return parts[0] if len(parts) == 1 else np.unique(np.concatenate(parts))

    def _matcher_candidates(self, m: Matcher) -> np.ndarray:
        """Records that may hold the phrase, the word (in text, sections or title) or an
        expansion of ``m``."""
        if m.phrase:
            return self._gram_candidates("".join(m.phrase.split()))
        parts = []
        if m.units:
            found = None
            for unit in m.units:
                cands = np.union1d(self._gram_candidates(unit), self._title_records(unit))
                found = cands if found is None else np.intersect1d(found, cands,
                                                                   assume_unique=True)
            parts.append(found)
        parts += [self._gram_candidates(e) for e in m.expansions]
        return parts[0] if len(parts) == 1 else np.unique(np.concatenate(parts))

    def _gram_candidates(self, needle: str) -> np.ndarray:
        """Records whose searchable string holds every bigram (the rarest few) of
        ``needle`` — or its one character."""
        grams = self.fields["grams"]
        if len(needle) < 2:
            return grams.ids_of(needle)
        pairs = sorted({needle[i:i + 2] for i in range(len(needle) - 1)}, key=grams.df)
        found = grams.ids_of(pairs[0])
        for gram in pairs[1:MAX_GRAMS]:
            if not len(found):
                break
            found = np.intersect1d(found, grams.ids_of(gram), assume_unique=True)
        return found

    def _title_records(self, unit: str) -> np.ndarray:
        """Records of the documents whose title holds ``unit``."""
        docs = [d for d, title in enumerate(self.title_keys) if verify.occurs(unit, title)]
        if not docs:
            return np.zeros(0, dtype=np.int32)
        return np.sort(np.concatenate([self.doc_records[self.doc_starts[d]:self.doc_starts[d + 1]]
                                       for d in docs]))

    # -- scoring and order ------------------------------------------------------------------

    def _page(self, selected: np.ndarray, plan: Plan, request: Request) -> np.ndarray:
        """The requested page of ``selected``: best first (ties in browse order) or newest
        first; only the top ``start + size`` are ordered."""
        if request.sort == "date":
            primary = -self.date_rank[selected].astype(np.float64)
        else:
            primary = -self.score(selected, plan.scoring)
        k = request.start + request.size
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
        for token in dict.fromkeys(plan.word_tokens):
            scores += self._bm25f(found, token)
        for needle, weight in plan.weighted:
            scores += weight * self._saturated(found, "".join(needle.split()))
        for key, boost in plan.boosts:
            scores += boost * self._name_match(found, key)
        return scores

    def _bm25f(self, found: np.ndarray, token: str) -> np.ndarray:
        """BM25F of ``token`` over text, section and title for each record of ``found``."""
        df = max(1, self.fields["text"].df(token))
        idf = math.log(1 + (self.size - df + 0.5) / (df + 0.5))
        tf = np.zeros(len(found), dtype=np.float64)
        for name, weight in WORD_FIELDS.items():
            ids, tfs = self.fields[name].postings(token)
            if not len(ids):
                continue
            pos = np.minimum(np.searchsorted(found, ids), len(found) - 1)
            hit = found[pos] == ids
            tf[pos[hit]] += weight * tfs[hit] / self.norms[name][ids[hit]]
        return idf * tf * (K1 + 1) / (tf + K1)

    def _saturated(self, found: np.ndarray, needle: str) -> np.ndarray:
        """Saturated frequency of ``needle`` in each text, normalised by its token length."""
        norms = self.norms["text"]
        tf = np.asarray([verify.count(needle, self.searchable[i]) for i in found.tolist()],
                        dtype=np.float64)
        return tf * (K1 + 1) / (tf + K1 * norms[found])

    def _name_match(self, found: np.ndarray, key: str) -> np.ndarray:
        """idf of whole name ``key`` for the records of ``found`` having it, else 0."""
        with self._lock:
            if ("names", key) not in self._names:
                return np.zeros(len(found))
            ids = np.fromiter(self._names.postings("names", key).all_ids(), dtype=np.int64)
        idf = math.log(1 + (self.size - len(ids) + 0.5) / (len(ids) + 0.5))
        return np.isin(found, ids) * idf

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

    def _counts(self, found: np.ndarray,
                masks: dict[str, np.ndarray]) -> dict[str, dict[str, int]]:
        """Facet value → count over ``found``, each facet under every filter but its own."""
        counts = {}
        for name in (*CODED, *MULTI):
            others = [m for f, m in masks.items() if f != name]
            rows = found[np.logical_and.reduce(others)[found]] if others else found
            table = self.tables[name]
            if name in MULTI:
                chosen = np.zeros(self.size, dtype=bool)
                chosen[rows] = True
                tally = np.bincount(self.multi_codes[name][chosen[self.multi_recs[name]]],
                                    minlength=len(table))
            else:
                tally = np.bincount(self.codes[name][rows], minlength=len(table))
            counts[name] = {table[c]: int(tally[c]) for c in np.flatnonzero(tally).tolist()
                            if table[c]}
        return counts


def _exact_by_postings(m: Matcher) -> bool:
    """True when the postings alone decide ``m``: a word whose units and expansions are one
    or two characters without digits (a bigram's postings are exactly the records holding
    it; title matches are exact too)."""
    short = [*m.units, *m.expansions]
    return not m.phrase and all(len(u) <= 2 and not any(ch.isdigit() for ch in u)
                                for u in short)


def _length_norms(field: Field, size: int) -> np.ndarray:
    """BM25 length normalisation ``1 - b + b·len/avglen`` per record, the length being
    the record's number of tokens in ``field``."""
    lengths = np.bincount(field.ids, weights=field.tfs, minlength=size)[:size]
    avg = max(1.0, float(lengths.mean()) if size else 1.0)
    return 1 - B + B * lengths / avg
