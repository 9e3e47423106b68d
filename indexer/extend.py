"""Adding yearbooks to a build without rewriting it from scratch (issue 10: one yearbook
added to a ×200 archive within seconds).

When every yearbook of the live build is still in the corpus, parsed from the same bytes by
the same code, and only new yearbooks come in, the new build is the old one with the new
records *spliced in* at their browse positions:

* postings: each old record index is shifted past the records inserted before it, and the
  new file's postings (tokenised alone, :mod:`indexer.tokens`) are inserted into each term's
  run, in one vectorised pass per field (:func:`splice_field`);
* ``norm.txt``, ``searchable.txt`` and ``records.jsonl``: the old strings or lines are kept
  as they are and the new ones inserted;
* the Whoosh names index: the old segments are linked into the new folder and the new
  records' names written as one more segment (its docnums map to record indexes through
  ``names.npy``).

The result equals a full build's (the tests compare them), which :mod:`indexer.build` falls
back to whenever the conditions do not hold.
"""

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from whoosh import index

from indexer import postings
from indexer.tokens import FIELDS, RS, SCORED, TokenCache, tokenise_files

#: Whoosh segments beyond which an addition rewrites the names index whole (each addition
#: adds one segment, and a lookup visits every segment).
MAX_NAME_SEGMENTS = 8


@dataclass
class Extension:
    """Where the records of a grown corpus come from, in browse order.

    ``columns``: the previous build's ``columns.json``; ``old_to_new``: the new index of
    each record of the previous build; ``added``: the new indexes of the added records,
    ascending; ``runs``: per added yearbook, the index of its first record and its records.
    """

    previous: Path
    columns: dict
    old_to_new: np.ndarray
    added: np.ndarray
    runs: list[tuple[int, list[dict]]]


def plan(previous: Path, columns: dict, records: list[dict],
         added_books: set[str]) -> Extension | None:
    """The extension of the build in ``previous`` (whose ``columns.json`` is ``columns``)
    to ``records`` (browse order), whose yearbooks ``added_books`` are new; None when the
    old records are not exactly the rest, in order."""
    old_ids = columns["ids"]
    if not old_ids:
        return None  # nothing to keep: a full build is as quick
    is_added = np.fromiter(((r.get("yearbook") or "") in added_books for r in records),
                           dtype=bool, count=len(records))
    old_to_new = np.flatnonzero(~is_added).astype(np.int32)
    if len(old_to_new) != len(old_ids) or any(
            records[i]["id"] != rid for i, rid in zip(old_to_new.tolist(), old_ids, strict=True)):
        return None
    added = np.flatnonzero(is_added).astype(np.int32)
    runs: list[tuple[int, list[dict]]] = []
    for i in added.tolist():
        if runs and runs[-1][0] + len(runs[-1][1]) == i and \
                runs[-1][1][0].get("yearbook") == records[i].get("yearbook"):
            runs[-1][1].append(records[i])
        else:
            runs.append((i, [records[i]]))
    return Extension(previous, columns, old_to_new, added, runs)


def splice_postings(folder: Path, ext: Extension, size: int, cache: TokenCache) -> int:
    """Write every field's postings to ``folder``: the previous build's, shifted, with the
    added files' spliced in. Returns how many added files had to be tokenised."""
    keys, tokenised = tokenise_files([run for _start, run in ext.runs], cache)
    loaded = [cache.load(key) for key in keys]
    for name in FIELDS:
        old = postings.Field(ext.previous, name)
        new = [(start, arrays[f"{name}.terms"].tolist(), arrays[f"{name}.tids"],
                arrays[f"{name}.recs"], arrays.get(f"{name}.tfs"))
               for (start, _run), arrays in zip(ext.runs, loaded, strict=True)]
        postings.write_field(folder, name, *splice_field(old, ext.old_to_new, new,
                                                         name in SCORED, size), size=size)
    return tokenised


def splice_field(old: postings.Field, old_to_new: np.ndarray, new: list, with_tfs: bool,
                 size: int) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray | None]:
    """One field's postings after the splice: ``(terms, offsets, ids, tfs)``.

    ``new``: per added file, ``(index of its first record, local terms, local term ids,
    local record indexes, tfs or None)``. Old terms keep their ids; new terms follow.
    """
    vocab = dict(old.terms)
    tids, recs, tfs = [], [], []
    for start, terms, term_ids, local, freqs in new:
        mapping = np.fromiter((vocab.setdefault(t, len(vocab)) for t in terms),
                              dtype=np.int64, count=len(terms))
        tids.append(mapping[term_ids])
        recs.append(local.astype(np.int64) + start)
        tfs.append(freqs)
    tids, recs = np.concatenate(tids), np.concatenate(recs)
    order = np.lexsort((recs, tids))
    tids, recs = tids[order], recs[order]
    at = _places(old, tids, np.searchsorted(old_to_new, recs))
    ids = _insert(old_to_new[old.ids], at, recs.astype(np.int32))
    new_tfs = _insert(old.tfs, at, np.concatenate(tfs)[order]) if with_tfs else None
    counts = np.diff(old.offsets)
    all_counts = np.bincount(tids, minlength=len(vocab))
    all_counts[:len(counts)] += counts
    offsets = np.zeros(len(vocab) + 1, dtype=np.int64)
    np.cumsum(all_counts, out=offsets[1:])
    return list(vocab), offsets, ids, new_tfs


def _insert(old: np.ndarray, at: np.ndarray, values: np.ndarray) -> np.ndarray:
    """``np.insert(old, at, values)`` for ascending ``at``, by copying the runs of ``old``
    between insertion points (a few thousand slices beat ``np.insert``'s mask over tens of
    millions of postings by ~5×)."""
    out = np.empty(len(old) + len(values), dtype=old.dtype)
    points, firsts = np.unique(at, return_index=True)
    cuts = np.r_[firsts, len(values)].tolist()
    prev = 0
    for k, (point, first) in enumerate(zip(points.tolist(), firsts.tolist(), strict=True)):
        out[prev + first:point + first] = old[prev:point]
        out[point + first:point + cuts[k + 1]] = values[first:cuts[k + 1]]
        prev = point
    out[prev + len(values):] = old[prev:]
    return out


def _places(old: postings.Field, tids: np.ndarray, before: np.ndarray) -> np.ndarray:
    """Where in ``old.ids`` each new posting goes: in its term's run (``tids``, ascending),
    after the old records that precede it (``before``: how many old records come before
    it, so the old indexes below ``before``)."""
    at = np.full(len(tids), old.offsets[-1], dtype=np.int64)  # new terms: at the end
    starts = np.flatnonzero(np.r_[True, tids[1:] != tids[:-1]])
    ends = np.r_[starts[1:], len(tids)]
    known = tids[starts] < len(old.offsets) - 1
    for lo, hi in zip(starts[known].tolist(), ends[known].tolist(), strict=True):
        t = int(tids[lo])
        first, last = int(old.offsets[t]), int(old.offsets[t + 1])
        at[lo:hi] = first + np.searchsorted(old.ids[first:last], before[lo:hi])
    return at


def splice_columns(ext: Extension, added: dict[str, list], docs: list[dict]) -> dict:
    """The previous build's columns with ``added`` (the same columns of the added records)
    inserted; the document column (indexes into ``docs``) renumbered, the added
    yearbooks' documents having come in among the old ones."""
    books = {r.get("yearbook") for _start, run in ext.runs for r in run}
    old_docs = np.flatnonzero([d.get("yearbook") not in books for d in docs])
    merged = {}
    for name, values in ext.columns.items():
        if name == "doc":
            values = [-1 if d < 0 else int(old_docs[d]) for d in values]
        merged[name] = column = []
        for lo, hi, items in _segments(ext, added[name]):
            column += values[lo:hi]
            column += items
    return merged


def splice_strings(path: Path, ext: Extension, added: list[str]) -> None:
    """Write to ``path`` the previous build's strings (same file name) with ``added`` (the
    strings of the added records, in order) inserted at their places.

    Works on the UTF-8 bytes: the separator is one byte no other character's encoding
    holds, so the old strings are copied, never decoded.
    """
    data = (ext.previous / path.name).read_bytes()
    sep = RS.encode()
    ends = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == sep[0])
    bounds = np.r_[0, ends + 1, len(data) + 1]  # string i is data[bounds[i]:bounds[i + 1] - 1]
    pieces = []
    for lo, hi, strings in _segments(ext, added):
        if hi > lo:
            pieces.append(data[bounds[lo]:bounds[hi] - 1])
        pieces.extend(s.replace(RS, " ").encode() for s in strings)
    path.write_bytes(sep.join(pieces))


def splice_lines(folder: Path, ext: Extension, added: list[bytes]) -> np.ndarray:
    """Write ``folder/records.jsonl``: the previous build's lines with ``added`` (the added
    records' lines, in order) inserted; return the offsets of the lines (and the end)."""
    old_offsets = np.load(ext.previous / "offsets.npy")
    data = (ext.previous / "records.jsonl").read_bytes()
    sizes = np.zeros(len(ext.old_to_new) + len(ext.added), dtype=np.int64)
    sizes[ext.old_to_new] = np.diff(old_offsets)
    sizes[ext.added] = [len(line) for line in added]
    with open(folder / "records.jsonl", "wb") as out:
        for lo, hi, lines in _segments(ext, added):
            out.write(data[old_offsets[lo]:old_offsets[hi]])
            out.writelines(lines)
    offsets = np.zeros(len(sizes) + 1, dtype=np.int64)
    np.cumsum(sizes, out=offsets[1:])
    return offsets


def _segments(ext: Extension, added: list) -> Iterator[tuple[int, int, list]]:
    """The new order as ``(lo, hi, items)`` steps: the previous build's records ``lo`` to
    ``hi`` (exclusive), then the items of ``added`` (one per added record, in order) of
    the run that follows them; the last step has no items."""
    old, at = 0, 0
    for start, run in ext.runs:
        before = int(np.searchsorted(ext.old_to_new, start))  # old records ahead of the run
        yield old, before, added[at:at + len(run)]
        old, at = before, at + len(run)
    yield old, len(ext.old_to_new), []


def name_segments(previous: Path) -> int:
    """How many segments the Whoosh names index of build ``previous`` has."""
    return len(index.open_dir(str(previous)).reader().leaf_readers())


def link_names(folder: Path, ext: Extension) -> tuple[index.Index, list[int], list[int]]:
    """Hard-link (or copy) the previous build's Whoosh files into ``folder`` (segments are
    never written again; a commit writes a new table of contents).

    Returns the index opened there, the rows to add to it (the added records) and the
    record index of each docnum it already holds.
    """
    for path in ext.previous.iterdir():
        if path.name.startswith(("MAIN_", "_MAIN_")) and not path.name.endswith("LOCK"):
            try:
                os.link(path, folder / path.name)
            except OSError:
                (folder / path.name).write_bytes(path.read_bytes())
    old = ext.old_to_new[np.load(ext.previous / "names.npy")].tolist()
    return index.open_dir(str(folder)), ext.added.tolist(), old
