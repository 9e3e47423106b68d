"""The build's similar-wording files: ``similar.json`` (links, citations) and
``similar-index.npz`` (the shingle index, read by the paste search and by an addition)."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from pathlib import Path

import numpy as np

from indexer.similar.citations import citation_graph
from indexer.similar.links import (
    LINK_FIELDS,
    MIN_PASSAGE,
    MIN_SECONDARY,
    Collection,
    link_pairs,
)
from indexer.similar.passages import K
from indexer.similar.shingles import (
    MAX_CLAUSES,
    MAX_DOCS,
    STOCK_FILE,
    ShingleIndex,
    load_stock_phrases,
    stock_hashes,
)

INDEX_FILE = "similar-index.npz"
FORMAT_VERSION = 2


def new_collection(stock_file: Path = STOCK_FILE) -> Collection:
    """An empty collection whose index treats the phrases of ``stock_file`` as common."""
    return Collection(ShingleIndex(stock_hashes(load_stock_phrases(stock_file))))


def _atomic_write(path: Path, write) -> None:
    """Write ``path`` through a temporary file in its folder and rename it into place, so
    a reader never sees half a file; ``write(file)`` writes the content."""
    with tempfile.NamedTemporaryFile("wb", dir=path.parent, suffix=".tmp", delete=False) as out:
        write(out)
    os.replace(out.name, path)


def save_index(collection: Collection, path: Path, digests: np.ndarray | None = None) -> None:
    """Write the collection's shingle index, clause ids and digests to ``path`` (``.npz``);
    ``digests`` of the clauses in order, when the caller has them."""
    ids = np.array([r["id"] for r in collection.records], dtype=str)
    if digests is None:
        digests = _digests(collection.records)
    _atomic_write(Path(path), lambda out: np.savez(out, ids=ids, digests=digests,
                                                  **collection.index.arrays()))


def load_collection(path: Path, records: list[dict],
                    links: dict[str, list[dict]] | None = None) -> Collection:
    """The collection saved at ``path``, its clauses taken from ``records`` (by id); with
    the build's ``links`` (as in ``similar.json``) it can take further yearbooks."""
    with np.load(path) as arrays:
        by_id = {r["id"]: r for r in records}
        clauses = [by_id[i] for i in arrays["ids"].tolist()]
        collection = Collection(ShingleIndex.from_arrays(arrays), clauses)
    for rid, items in (links or {}).items():
        collection.links[rid] = {link["id"]: link for link in items}
    return collection


#: The parameters a build's links depend on (a previous build is reused only with these).
PARAMS = {"k": K, "min_passage": MIN_PASSAGE, "min_secondary": MIN_SECONDARY,
          "max_docs_per_year": MAX_DOCS, "max_clauses_per_year": MAX_CLAUSES}
def _digest(record: dict) -> int:
    """What a previous build's work on a clause depends on (text, year, document, the
    fields a link repeats), as 64 bits."""
    key = "\x1f".join(str(record.get(k)) for k in ("text", *LINK_FIELDS, "section"))
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "little")


def _previous_collection(folder: Path, records: list[dict], stock: np.ndarray,
                         known: bool = False) -> tuple[Collection, np.ndarray] | None:
    """The collection of the build in ``folder`` and its clause digests, when ``records``
    only add to it: its format, parameters, stock phrases and every clause unchanged
    (``known``: the caller knows the clauses are). Else None."""
    try:
        data = load_links(folder / "similar.json")
        with np.load(folder / INDEX_FILE) as arrays:
            ids, digests = arrays["ids"].tolist(), arrays["digests"]
            old_stock = arrays["stock"]
    except (OSError, ValueError, KeyError):
        return None
    by_id = {r["id"]: r for r in records}
    if (data.get("version") != FORMAT_VERSION or data.get("params") != PARAMS
            or not np.array_equal(old_stock, stock) or any(rid not in by_id for rid in ids)
            or not (known or np.array_equal(digests, _digests([by_id[rid] for rid in ids])))):
        return None
    return load_collection(folder / INDEX_FILE, records, data["links"]), digests


def _digests(records: list[dict]) -> np.ndarray:
    """:func:`_digest` of each record, as an array."""
    return np.array([_digest(r) for r in records], dtype=np.uint64)


def write_links(records: list[dict], path: Path, docs: list[dict] | None = None,
                stock_file: Path = STOCK_FILE, previous: Path | None = None,
                known: bool = False) -> dict:
    """Compute the links (and, given ``docs``, the citation graph), write them as JSON to
    ``path`` and the shingle index beside it (:data:`INDEX_FILE`).

    With the ``previous`` build folder, when ``records`` only add yearbooks to it, its
    index and links are loaded and only the new clauses compared (``incremental``);
    ``known``: the caller vouches that the previous build's records are among ``records``
    unchanged (so their digests are not computed again to find out).
    Returns ``{"pairs", "linked_clauses", "incremental", "added", "seconds"}`` for the
    build log.
    """
    started = time.perf_counter()
    path = Path(path)
    stock = stock_hashes(load_stock_phrases(stock_file))
    reused = _previous_collection(previous, records, stock, known) if previous else None
    collection, digests = reused or (Collection(ShingleIndex(stock)), np.zeros(0, np.uint64))
    added = collection.add(records)["clauses"]
    digests = np.concatenate([digests, _digests(collection.records[len(digests):])])
    links = collection.link_lists()
    data = {
        "version": FORMAT_VERSION,
        "params": PARAMS,
        "pairs": link_pairs(links),
        "links": links,
        "citations": citation_graph(docs, records) if docs is not None else None,
    }
    _atomic_write(path, lambda out: out.write(json.dumps(data, ensure_ascii=False).encode()))
    save_index(collection, path.parent / INDEX_FILE, digests)
    return {"pairs": data["pairs"], "linked_clauses": len(links), "incremental": bool(reused),
            "added": added, "seconds": round(time.perf_counter() - started, 3)}


def load_links(path: Path) -> dict:
    """Read ``similar.json``: ``{"version", "params", "pairs", "links", "citations"}``."""
    return json.loads(Path(path).read_text(encoding="utf-8"))
