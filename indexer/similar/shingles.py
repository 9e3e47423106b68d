"""Inverted index of hashed shingles over the whole collection, with per-year counts.

Each clause's folded text is cut into ``K``-character shingles, hashed in bulk with numpy
(a polynomial hash over the code points, wrapping at 2**64: a collision only proposes a
candidate, which the passage search then checks character by character). The index keeps
the sorted (hash, clause) pairs, so the clauses holding a shingle are a binary search
away, and per (hash, year) how many clauses and documents hold it.

*Boilerplate is measured against the collection*: a shingle is common when, within one
year, it is found in more than ``MAX_DOCS`` documents or ``MAX_CLAUSES`` clauses (a set
formula is printed in many documents of the same year), or when it belongs to a reviewed
stock phrase (``corpus/stock_phrases.tsv``). A sentence reused once a year, year after
year, stays rare however many years repeat it: that reuse is what an editor looks for.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np

from indexer import CORPUS_DIR
from indexer.similar.passages import K
from indexer.similar.text import GAP, normalise

#: Shingles found, within one year, in more than this many documents are boilerplate.
MAX_DOCS = 3
#: Likewise in more than this many clauses of one year: a document's recurring formula
#: (经区企业上市工作领导小组认定，给予… in every clause of the 凤凰行动 policy).
MAX_CLAUSES = 4
#: The reviewed list of stock political phrases (always boilerplate).
STOCK_FILE = CORPUS_DIR / "stock_phrases.tsv"
#: Multiplier of the rolling hash (odd, so it is invertible modulo 2**64).
_P = np.uint64(1_000_003)
_EMPTY_H = np.zeros(0, np.uint64)
_EMPTY_I = np.zeros(0, np.int32)


def window_hashes(chars: str, k: int = K) -> np.ndarray:
    """Hash of the ``k``-character shingle at each start position of ``chars``; 0 for a
    window holding a gap (never indexed)."""
    codes = np.frombuffer(chars.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    n = len(codes) - k + 1
    if n <= 0:
        return _EMPTY_H
    h = np.zeros(n, np.uint64)
    for j in range(k):
        h = h * _P + codes[j : j + n]
    gaps = np.concatenate(([0], np.cumsum(codes == ord(GAP))))
    h[gaps[k : k + n] - gaps[:n] > 0] = 0
    return h


def load_stock_phrases(path: Path = STOCK_FILE) -> list[str]:
    """The phrases of a stock-phrase table (first column; ``#`` starts a comment line);
    no table, no phrases."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []
    return [ln.split("\t")[0].strip() for ln in lines
            if ln.strip() and not ln.startswith("#")]


def stock_hashes(phrases: Iterable[str], k: int = K) -> np.ndarray:
    """Sorted hashes of every shingle of the phrases' folded forms."""
    hashes = [window_hashes(normalise(p, fold_numbers=True).chars, k) for p in phrases]
    return np.unique(np.concatenate([_EMPTY_H, *hashes]))


def _clause_pairs(texts: list[str], first: int, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Unique (hash, clause number) pairs of ``texts`` (numbered from ``first``), sorted
    by hash, then clause."""
    if not texts:
        return _EMPTY_H, _EMPTY_I
    joined = GAP.join(texts) + GAP
    h = window_hashes(joined, k)
    lengths = np.array([len(t) + 1 for t in texts])
    c = np.repeat(np.arange(first, first + len(texts), dtype=np.int32), lengths)[: len(h)]
    keep = h != 0
    h, c = h[keep], c[keep]
    order = np.argsort(h, kind="stable")  # positions are in clause order: c stays sorted
    h, c = h[order], c[order]
    fresh = np.ones(len(h), bool)
    fresh[1:] = (h[1:] != h[:-1]) | (c[1:] != c[:-1])
    return h[fresh], c[fresh]


def member(sorted_values: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Per item of ``values``: whether it is in ``sorted_values`` (sorted, unique)."""
    if not len(sorted_values):
        return np.zeros(len(values), bool)
    at = np.searchsorted(sorted_values, values).clip(max=len(sorted_values) - 1)
    return sorted_values[at] == values


def _group_starts(*keys: np.ndarray) -> np.ndarray:
    """Start offsets of the runs of equal key tuples in arrays sorted by those keys."""
    if not len(keys[0]):
        return _EMPTY_I
    new = np.zeros(len(keys[0]), bool)
    new[0] = True
    for key in keys:
        new[1:] |= key[1:] != key[:-1]
    return np.flatnonzero(new)


class ShingleIndex:
    """Hashed shingles of the clauses: postings, per-year counts and the common set.

    Clauses are numbered in the order they were added; ``years[n]`` and ``docs[n]`` (a
    document number) describe clause ``n``.
    """

    def __init__(self, stock: np.ndarray = _EMPTY_H, *, max_docs: int = MAX_DOCS,
                 max_clauses: int = MAX_CLAUSES, k: int = K):
        """An empty index; ``stock``: sorted hashes that are always common."""
        self.k, self.max_docs, self.max_clauses = k, max_docs, max_clauses
        self.stock = stock
        self.h, self.c = _EMPTY_H, _EMPTY_I
        self.years, self.docs = _EMPTY_I, _EMPTY_I
        self.table = {"h": _EMPTY_H, "y": _EMPTY_I, "clauses": _EMPTY_I, "docs": _EMPTY_I}
        self.common = stock

    @property
    def size(self) -> int:
        """Number of clauses indexed."""
        return len(self.years)

    def add(self, texts: list[str], years: list[int], docs: list[int]
            ) -> tuple[np.ndarray, np.ndarray]:
        """Index more clauses: folded texts, their years and document numbers, in order of
        year then document (so that sorting by hash and clause also sorts by year and
        document); documents must be new ones. Returns the distinct hashes of the new
        clauses and the hashes that this addition made common."""
        h, c = _clause_pairs(texts, self.size, self.k)
        self.years = np.concatenate([self.years, np.asarray(years, np.int32)])
        self.docs = np.concatenate([self.docs, np.asarray(docs, np.int32)])
        if len(self.h):
            at = np.searchsorted(self.h, h, "right")  # after older clauses' equal hashes
            self.h, self.c = np.insert(self.h, at, h), np.insert(self.c, at, c)
        else:
            self.h, self.c = h, c
        before = self.common
        self._count(h, c)
        return np.unique(h), np.setdiff1d(self.common, before, assume_unique=True)

    def _count(self, h: np.ndarray, c: np.ndarray) -> None:
        """Add the per-(hash, year) counts of new pairs (sorted by hash, then clause, so
        by year and document too) and recompute the common set."""
        y, d = self.years[c], self.docs[c]
        groups = _group_starts(h, y)
        per_doc = np.zeros(len(h), np.int64)
        per_doc[_group_starts(h, y, d)] = 1
        old = self.table
        h_all = np.concatenate([old["h"], h[groups]])
        y_all = np.concatenate([old["y"], y[groups]])
        n_all = np.concatenate([old["clauses"], np.diff(np.append(groups, len(h)))])
        d_all = np.concatenate([old["docs"], np.add.reduceat(per_doc, groups)
                                if len(groups) else _EMPTY_I])
        order = np.lexsort((y_all, h_all))
        h_all, y_all, n_all, d_all = h_all[order], y_all[order], n_all[order], d_all[order]
        merged = _group_starts(h_all, y_all)
        if len(merged):
            n_all, d_all = np.add.reduceat(n_all, merged), np.add.reduceat(d_all, merged)
            h_all, y_all = h_all[merged], y_all[merged]
        self.table = {"h": h_all, "y": y_all, "clauses": n_all, "docs": d_all}
        per_hash = _group_starts(h_all)
        if len(per_hash):
            too_many = ((np.maximum.reduceat(n_all, per_hash) > self.max_clauses)
                        | (np.maximum.reduceat(d_all, per_hash) > self.max_docs))
            self.common = np.union1d(h_all[per_hash][too_many], self.stock)

    def common_mask(self, chars: str) -> list[bool]:
        """Per start position of ``chars``: whether its shingle is boilerplate."""
        return member(self.common, window_hashes(chars, self.k)).tolist()

    def postings(self, hashes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For each of ``hashes``: the clauses holding it, as (hash number, clause) arrays."""
        left = np.searchsorted(self.h, hashes, "left")
        right = np.searchsorted(self.h, hashes, "right")
        counts = right - left
        which = np.repeat(np.arange(len(hashes)), counts)
        offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
        return which, self.c[np.repeat(left, counts) + offsets]

    def candidate_pairs(self, hashes: np.ndarray | None = None,
                        clauses: set[int] | None = None) -> set[tuple[int, int]]:
        """Pairs ``(x, y)``, ``x < y``, of clauses sharing a rare shingle: among ``hashes``
        (sorted, unique; default all) and holding one of ``clauses`` (default any)."""
        if hashes is None:
            rare = ~member(self.common, self.h)
            h, c = self.h[rare], self.c[rare]
        else:
            which, c = self.postings(hashes[~member(self.common, hashes)])
            h = which
        starts = _group_starts(h)
        sizes = np.diff(np.append(starts, len(h)))
        pairs: set[tuple[int, int]] = set()
        for start, size in zip(starts[sizes > 1].tolist(), sizes[sizes > 1].tolist(),
                               strict=True):
            members = c[start : start + size].tolist()
            for n, x in enumerate(members):
                for y in members[n + 1 :]:
                    if clauses is None or x in clauses or y in clauses:
                        pairs.add((x, y))
        return pairs

    def clauses_holding(self, hashes: np.ndarray) -> np.ndarray:
        """The clauses holding any of ``hashes`` (sorted, unique)."""
        return np.unique(self.postings(hashes)[1])

    def arrays(self) -> dict[str, np.ndarray]:
        """The index as named arrays, for ``numpy.savez``."""
        return {"h": self.h, "c": self.c, "years": self.years, "docs": self.docs,
                "stock": self.stock, "common": self.common,
                **{f"table_{key}": value for key, value in self.table.items()},
                "params": np.array([self.k, self.max_docs, self.max_clauses])}

    @classmethod
    def from_arrays(cls, arrays) -> ShingleIndex:
        """The index saved by :meth:`arrays`."""
        k, max_docs, max_clauses = (int(v) for v in arrays["params"])
        index = cls(arrays["stock"], max_docs=max_docs, max_clauses=max_clauses, k=k)
        index.h, index.c = arrays["h"], arrays["c"]
        index.years, index.docs, index.common = arrays["years"], arrays["docs"], arrays["common"]
        index.table = {key: arrays[f"table_{key}"] for key in ("h", "y", "clauses", "docs")}
        return index
