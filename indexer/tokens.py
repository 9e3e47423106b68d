"""Tokenisation of the records for the postings: per yearbook file, cached, on every core.

Each record gives four fields (see :mod:`indexer.postings`):

* ``grams`` — the characters and character bigrams of its searchable string
  (:func:`searchable`): candidates for any substring;
* ``text``, ``section``, ``title`` — jieba words (search-mode sub-words included) of the
  normalised text, section headings and document title, with their frequencies: the one
  representation BM25F scores (tf, df and field length all come from these tokens).

A yearbook's tokens depend only on its records' strings, so they are cached under a hash
of those strings (and of the analysis code): a build re-tokenises only the files whose
records changed, and the copies of one yearbook share one cache entry.
"""

import hashlib
import os
import sys
from collections import Counter
from functools import lru_cache
from itertools import chain
from pathlib import Path

import numpy as np
from tqdm import tqdm

from indexer import analysis
from indexer.analysis import SCHEMA_VERSION, exact_key, load_jieba, normalise, spans
from indexer.pool import fork_map

FIELDS = ("grams", "text", "section", "title")
#: Fields scored with frequencies; ``grams`` only gives candidates.
SCORED = ("text", "section", "title")
#: Separates the parts of a searchable string; no query term holds it.
SEP = "\x00"
#: Separates the records' strings in a build folder's ``norm.txt`` / ``searchable.txt``.
RS = "\x1e"


def searchable(record: dict) -> str:
    """The string a word token is looked for in: the normalised text and section headings,
    whitespace removed (words match across the print's stray spaces), joined by
    :data:`SEP`."""
    return "".join(normalise(record["text"]).split()) + SEP + section_key(record)


def section_key(record: dict) -> str:
    """The record's section headings, normalised, without whitespace."""
    return exact_key("".join(record.get("section") or []))


def grams(text: str) -> set[str]:
    """The characters and bigrams of ``text``, none holding :data:`SEP`."""
    found = set(text)
    found.update(map(str.__add__, text, text[1:]))
    return {g for g in found if SEP not in g} if SEP in text else found


def words(text: str) -> Counter:
    """jieba words (with search-mode sub-words) of ``text``, normalised, with counts."""
    norm = normalise(text)
    return Counter(norm[s:e] for _, s, e in spans(norm, subwords=True))


def record_fields(record: dict) -> dict[str, dict[str, int]]:
    """The four fields of one record: term → frequency (1 for grams)."""
    return {
        "grams": dict.fromkeys(grams(searchable(record)), 1),
        "text": words(record["text"]),
        "section": words(" ".join(record.get("section") or [])),
        "title": words(record.get("doc_title") or ""),
    }


def tokenise(records: list[dict]) -> dict[str, np.ndarray]:
    """Tokenise one file's records (in browse order) into local postings arrays.

    Returns, per field, ``<field>.terms`` (a str array of the file's terms), ``.tids``
    (local term id per posting), ``.recs`` (record index within the file) and, for
    :data:`SCORED` fields, ``.tfs``.
    """
    out: dict[str, np.ndarray] = {}
    per_record = [record_fields(r) for r in records]
    for name in FIELDS:
        counts = [fields[name] for fields in per_record]
        terms = list(chain.from_iterable(counts))
        vocab = {term: tid for tid, term in enumerate(dict.fromkeys(terms))}  # first seen
        out[f"{name}.terms"] = np.array(list(vocab) or [""], dtype=str)[:len(vocab)]
        out[f"{name}.tids"] = np.fromiter(map(vocab.__getitem__, terms), np.int32, len(terms))
        out[f"{name}.recs"] = np.repeat(np.arange(len(counts), dtype=np.int32),
                                        [len(c) for c in counts])
        if name in SCORED:
            out[f"{name}.tfs"] = np.fromiter(
                chain.from_iterable(c.values() for c in counts), np.uint16, len(terms))
    return out


def _strings(records: list[dict]) -> list[dict]:
    """Only what tokenising reads of each record (cheap to send to a worker)."""
    return [{"text": r["text"], "section": r.get("section") or [],
             "doc_title": r.get("doc_title") or ""} for r in records]


@lru_cache(maxsize=1)
def _code() -> bytes:
    """The schema version and the analysis and tokenising code (read once per process)."""
    return (f"schema={SCHEMA_VERSION};".encode() + Path(analysis.__file__).read_bytes()
            + Path(__file__).read_bytes())


def content_key(records: list[dict]) -> str:
    """Hash of what the tokens of ``records`` depend on: their strings and the analysis."""
    digest = hashlib.sha256(_code())
    for r in _strings(records):
        digest.update(repr((r["text"], r["section"], r["doc_title"])).encode())
    return digest.hexdigest()


class TokenCache:
    """Tokens per yearbook file, in ``folder/<content key>.npz``."""

    def __init__(self, folder: Path):
        """Use (and create) ``folder``."""
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)

    def path(self, key: str) -> Path:
        """Where the tokens of content ``key`` are kept."""
        return self.folder / f"{key}.npz"

    def load(self, key: str) -> dict[str, np.ndarray]:
        """The cached tokens of ``key``."""
        with np.load(self.path(key)) as arrays:
            return dict(arrays)

    def store(self, key: str, tokens: dict[str, np.ndarray]) -> None:
        """Cache ``tokens`` under ``key`` (written whole, then renamed into place)."""
        tmp = self.folder / f".{key}.{os.getpid()}.npz"
        np.savez(tmp, **tokens)
        os.replace(tmp, self.path(key))


def tokenise_files(files: list[list[dict]], cache: TokenCache) -> tuple[list[str], int]:
    """Make sure every file's tokens are cached; return the keys and how many were tokenised.

    ``files``: each file's records in browse order. Missing files are tokenised in
    parallel on every core, with a progress bar of files and records.
    """
    keys = [content_key(records) for records in files]
    todo = {key: records for key, records in zip(keys, files, strict=True)
            if not cache.path(key).exists()}
    if not todo:
        return keys, 0
    load_jieba()  # once, before the workers fork
    bar = tqdm(total=sum(map(len, todo.values())), desc="tokenising", unit="rec",
               file=sys.stderr, disable=None)
    bar.set_postfix(files=f"0/{len(todo)}")
    results = fork_map(tokenise, [_strings(r) for r in todo.values()])
    for done, (key, tokens) in enumerate(zip(todo, results, strict=True), start=1):
        cache.store(key, tokens)
        bar.update(len(todo[key]))
        bar.set_postfix(files=f"{done}/{len(todo)}")
    bar.close()
    return keys, len(todo)
