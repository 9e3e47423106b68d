"""Compact postings: term → sorted record indexes (and term frequencies), as numpy arrays.

Written by :mod:`indexer.build`, read by the embedded search backend. One field is three
files in the build folder::

    <name>.terms.txt    the terms, one a line, in id order
    <name>.npz          ``offsets`` (int64, terms + 1), ``ids`` (int32 record indexes,
                        ascending within a term), ``tfs`` (uint16 term frequencies,
                        only for fields that are scored), ``lengths`` (float64
                        tokens per record, scored fields)

The arrays are read with ``mmap_mode``-free ``np.load`` of an uncompressed npz: a worker
holds one copy, and opening a ×200 index takes well under a second.
"""

from collections.abc import Iterable
from pathlib import Path

import numpy as np

_EMPTY = np.zeros(0, dtype=np.int32)


def merge(parts: Iterable[tuple[int, str, list[str], np.ndarray, np.ndarray, np.ndarray | None]],
          with_tfs: bool) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray | None]:
    """Merge per-file postings into one field: ``(terms, offsets, ids, tfs)``.

    ``parts`` yields, in ascending order of ``base``, ``(base, key, local terms, local term
    ids, record indexes within the file, tfs or None)``; record indexes become ``base +
    local``. Local terms are mapped to global ids once per ``key`` (the copies of one
    yearbook share their tokens' cache key).
    """
    vocab: dict[str, int] = {}
    maps: dict[int, np.ndarray] = {}
    term_chunks, rec_chunks, tf_chunks = [], [], []
    for base, key, terms, term_ids, recs, tfs in parts:
        if key not in maps:
            maps[key] = np.fromiter((vocab.setdefault(t, len(vocab)) for t in terms),
                                    dtype=np.int32, count=len(terms))
        term_chunks.append(maps[key][term_ids])
        rec_chunks.append(recs.astype(np.int32) + base)
        if with_tfs:
            tf_chunks.append(tfs)
    offsets, ids, tfs = pack(_cat(term_chunks, np.int32), _cat(rec_chunks, np.int32),
                             _cat(tf_chunks, np.uint16) if with_tfs else None, len(vocab))
    return list(vocab), offsets, ids, tfs


def _cat(chunks: list[np.ndarray], dtype) -> np.ndarray:
    """The chunks concatenated (an empty array of ``dtype`` for none)."""
    return np.concatenate(chunks) if chunks else np.zeros(0, dtype)


def pack(term_ids: np.ndarray, rec_ids: np.ndarray, tfs: np.ndarray | None,
         n_terms: int) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """Sort postings given as parallel arrays into CSR form: ``(offsets, ids, tfs)``.

    The sort is stable, so record indexes given in ascending order stay ascending within
    each term.
    """
    order = np.argsort(term_ids, kind="stable")
    offsets = np.zeros(n_terms + 1, dtype=np.int64)
    np.cumsum(np.bincount(term_ids, minlength=n_terms), out=offsets[1:])
    return offsets, rec_ids[order], (tfs[order] if tfs is not None else None)


def write_field(folder: Path, name: str, terms: list[str], offsets: np.ndarray,
                ids: np.ndarray, tfs: np.ndarray | None, size: int) -> None:
    """Write one field's terms and arrays to ``folder`` (``size``: number of records; a
    scored field also gets each record's length in tokens)."""
    (folder / f"{name}.terms.txt").write_text("\n".join(terms), encoding="utf-8")
    arrays = {"offsets": offsets, "ids": ids}
    if tfs is not None:
        arrays["tfs"] = tfs
        arrays["lengths"] = np.bincount(ids, weights=tfs, minlength=size)[:size]
    np.savez(folder / f"{name}.npz", **arrays)


class Field:
    """One field's postings, read from a build folder."""

    def __init__(self, folder: Path, name: str):
        """Load ``name``'s terms and arrays from ``folder``."""
        text = (folder / f"{name}.terms.txt").read_text(encoding="utf-8")
        self.terms = {term: i for i, term in enumerate(text.split("\n"))} if text else {}
        with np.load(folder / f"{name}.npz") as arrays:
            self.offsets = arrays["offsets"]
            self.ids = arrays["ids"]
            self.tfs = arrays["tfs"] if "tfs" in arrays else None
            self.lengths = arrays["lengths"] if "lengths" in arrays else None

    def __contains__(self, term: str) -> bool:
        """True when ``term`` has postings."""
        return term in self.terms

    def __iter__(self):
        """Iterate over the terms."""
        return iter(self.terms)

    def df(self, term: str) -> int:
        """Number of records holding ``term``."""
        tid = self.terms.get(term)
        return 0 if tid is None else int(self.offsets[tid + 1] - self.offsets[tid])

    def ids_of(self, term: str) -> np.ndarray:
        """Ascending record indexes holding ``term`` (a view; empty if none)."""
        tid = self.terms.get(term)
        if tid is None:
            return _EMPTY
        return self.ids[self.offsets[tid]:self.offsets[tid + 1]]

    def postings(self, term: str) -> tuple[np.ndarray, np.ndarray]:
        """``(record indexes, term frequencies)`` of ``term`` (empty arrays if none)."""
        tid = self.terms.get(term)
        if tid is None or self.tfs is None:
            return _EMPTY, _EMPTY
        lo, hi = self.offsets[tid], self.offsets[tid + 1]
        return self.ids[lo:hi], self.tfs[lo:hi]
