"""Corpus → index folder, swapped in atomically.

Layout written under ``out_dir``::

    builds/<stamp>/      Whoosh index + records.jsonl + docs.json + similar.json + meta.json
    index -> builds/<stamp>   (symlink, replaced with os.replace so readers never see half)

A build is skipped when ``meta.json`` of the current index carries the same fingerprint
(corpus files + the code and library versions that shape the index). The last
:data:`KEEP_BUILDS` builds are kept so that a server still reading the previous one keeps
working until it refreshes.
"""

import hashlib
import json
import os
import shutil
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from itertools import accumulate
from pathlib import Path

import numpy as np
import orjson
from whoosh import fields, index
from whoosh.analysis import RegexTokenizer

from indexer import analysis, collector, extend, postings
from indexer.analysis import SCHEMA_VERSION, exact_key, normalise, ref_key
from indexer.similar import write_links
from indexer.tokens import FIELDS, RS, SCORED, TokenCache, searchable, tokenise_files

KEEP_BUILDS = 2
INDEX_LINK = "index"
BUILDS = "builds"
#: Per-file token cache, under the output folder (see :mod:`indexer.tokens`).
CACHE = "cache/tokens"
#: Per-file parse results, under the output folder (see :mod:`indexer.parse.cache`).
PARSE_CACHE = "cache/parse"
#: Source files (or packages) whose change alters the index (besides the corpus itself).
CODE_FILES = ("parse", "refs.py", "analysis.py", "build.py", "extend.py", "similar", "tokens.py",
              "postings.py")
#: Separator of the multi-valued exact fields (names, offices, refs): values may hold commas.
LIST_SEP = "\n"


def list_field(**kwargs) -> fields.TEXT:
    """Return a KEYWORD-like field whose values are joined by newlines (commas allowed)."""
    return fields.TEXT(analyzer=RegexTokenizer(r"[^\n]+"), phrase=False, **kwargs)


def make_schema() -> fields.Schema:
    """Return the Whoosh schema: the whole-name field that puts an exact name first.

    One Whoosh document per record, in browse order, so a docnum is a record index. Words
    and characters are in the compact postings (:mod:`indexer.postings`): written by Whoosh
    they cost 10–40 µs a posting, ten times the whole build budget at ×200.
    """
    return fields.Schema(names=list_field())


def record_names(record: dict, first_of_doc: bool) -> list[str]:
    """Return the whole strings a query may equal to put ``record`` first.

    Awards: persons, unit and honour; list entries: the name; a document's first clause:
    the document title.
    """
    names: list[str] = []
    if record["kind"] == "award":
        names = [*record.get("persons", []), record.get("unit") or "", record.get("honour") or ""]
    elif record["kind"] == "list":
        names = [record.get("name") or ""]
    if first_of_doc:
        names.append(record.get("doc_title") or "")
    return [key for key in (exact_key(n) for n in names) if key]


def record_persons(record: dict) -> list[str]:
    """The people a record names: an award's persons, or a person entry's name; else []."""
    if record.get("persons"):
        return list(record["persons"])
    return [record["name"]] if record.get("entry_type") == "person" else []


def order_records(records: list[dict]) -> list[dict]:
    """Return records in browse order: yearbook id, then document order (seq)."""
    return sorted(records, key=lambda r: (r.get("yearbook") or "", int(r["seq"])))


def write_names(folder: Path, records: list[dict], ext: extend.Extension | None = None) -> None:
    """Write the Whoosh index of whole names to ``folder`` and ``names.npy``: the record
    index of each Whoosh docnum (only records with names are documents).

    With ``ext``, the previous build's segments are linked in and only the added records
    written, as one more segment (unless there are already
    :data:`~indexer.extend.MAX_NAME_SEGMENTS`: then all are written afresh).
    """
    fresh = ext is None or extend.name_segments(ext.previous) >= extend.MAX_NAME_SEGMENTS
    if fresh:
        ix, rows, old = index.create_in(str(folder), make_schema()), range(len(records)), []
    else:
        ix, rows, old = extend.link_names(folder, ext)
    writer = ix.writer(limitmb=256)
    written = []
    for i in rows:
        first = i == 0 or records[i - 1]["doc_id"] != records[i]["doc_id"]
        names = record_names(records[i], first)
        if names:
            writer.add_document(names=LIST_SEP.join(names))
            written.append(i)
    writer.commit(optimize=fresh, merge=fresh)
    np.save(folder / "names.npy", np.asarray([*old, *written], dtype=np.int32))


def by_file(records: list[dict]) -> list[list[dict]]:
    """Split records in browse order into their yearbooks' runs."""
    files: list[list[dict]] = []
    for record in records:
        if not files or files[-1][0].get("yearbook") != record.get("yearbook"):
            files.append([])
        files[-1].append(record)
    return files


def write_postings(folder: Path, records: list[dict], cache: TokenCache) -> int:
    """Write the compact postings of ``records`` (browse order); return files tokenised."""
    files = by_file(records)
    keys, tokenised = tokenise_files(files, cache)
    loaded = {key: cache.load(key) for key in dict.fromkeys(keys)}
    bases = [0, *accumulate(map(len, files))]
    for name in FIELDS:
        terms_of = {key: arrays[f"{name}.terms"].tolist() for key, arrays in loaded.items()}
        parts = ((bases[i], key, terms_of[key], loaded[key][f"{name}.tids"],
                  loaded[key][f"{name}.recs"], loaded[key].get(f"{name}.tfs"))
                 for i, key in enumerate(keys))
        postings.write_field(folder, name, *postings.merge(parts, with_tfs=name in SCORED),
                             size=len(records))
    return tokenised


def write_strings(folder: Path, records: list[dict], ext: extend.Extension | None = None) -> None:
    """Write ``norm.txt`` and ``searchable.txt``: each record's normalised text and
    searchable string (see :func:`_write_strings`); with ``ext``, the previous build's are
    kept and only the added records' computed."""
    def norm(record: dict) -> str:
        return normalise(record["text"])

    for name, string in (("norm.txt", norm), ("searchable.txt", searchable)):
        if ext is None:
            _write_strings(folder / name, [string(r) for r in records])
        else:
            extend.splice_strings(folder / name, ext, [string(records[i]) for i in ext.added])


def write_columns(folder: Path, records: list[dict], docs: list[dict],
                  ext: extend.Extension | None = None) -> None:
    """Write ``columns.json``: what the searcher holds per record, compactly (facet and
    sort values per record; see :mod:`indexer.search.embedded`); with ``ext``, the previous
    build's columns are kept and only the added records' computed."""
    doc_index = {d["id"]: i for i, d in enumerate(docs)}
    rows = records if ext is None else [records[i] for i in ext.added.tolist()]
    columns = {
        "ids": [r["id"] for r in rows],
        "doc": [doc_index.get(r["doc_id"], -1) for r in rows],
        "year": [r.get("year") for r in rows],
        "kind": [r["kind"] for r in rows],
        "level": [r.get("level") or "" for r in rows],
        "yearbook": [r.get("yearbook") or "" for r in rows],
        "date": [r.get("date") or "" for r in rows],
        "offices": [r.get("offices") or [] for r in rows],
        "refs": [[ref_key(ref) for ref in r.get("refs") or []] for r in rows],
        "persons": [record_persons(r) for r in rows],
    }
    if ext is not None:
        columns = extend.splice_columns(ext, columns, docs)
    _write_json(folder / "columns.json", columns, compact=True)


def write_records(folder: Path, records: list[dict], ext: extend.Extension | None = None) -> None:
    """Write ``records.jsonl`` (one JSON record a line) and ``offsets.npy`` (where each
    line starts, and the end); with ``ext``, the previous build's lines are copied and only
    the added records' encoded."""
    def line(record: dict) -> bytes:
        return orjson.dumps(record) + b"\n"

    if ext is None:
        offsets = [0]
        with open(folder / "records.jsonl", "wb") as out:
            for record in records:
                offsets.append(offsets[-1] + out.write(line(record)))
    else:
        offsets = extend.splice_lines(folder, ext, [line(records[i]) for i in ext.added])
    np.save(folder / "offsets.npy", np.asarray(offsets, dtype=np.int64))


def sized_docs(docs: list[dict], records: list[dict]) -> list[dict]:
    """Copies of ``docs``, each with ``chars``: the characters of its records' texts (so a
    list of every document never reads the records)."""
    chars = Counter()
    for record in records:
        chars[record["doc_id"]] += len(record["text"])
    return [{**doc, "chars": chars[doc["id"]]} for doc in docs]


def count_records(records: list[dict], docs: list[dict], yearbooks: list[dict]) -> dict:
    """Return the counts stored in meta.json and printed at the end of a build."""
    return {
        "records": len(records),
        "docs": len(docs),
        "yearbooks": len(yearbooks),
        "kinds": dict(sorted(Counter(r["kind"] for r in records).items())),
    }


def _write_strings(path: Path, strings: list[str]) -> None:
    """Write ``strings`` joined by :data:`~indexer.tokens.RS` (read back with one split: a
    ×200 archive opens in a fraction of the time JSON takes). A record separator inside a
    string (a control character no query can hold) becomes a space."""
    path.write_text(RS.join(text.replace(RS, " ") for text in strings), encoding="utf-8")


def _write_json(path: Path, data, compact: bool = False) -> None:
    """Write ``data`` as UTF-8 JSON (indented unless ``compact``)."""
    path.write_bytes(orjson.dumps(data, option=0 if compact else orjson.OPT_INDENT_2))


def write_build(folder: Path, records: list[dict], docs: list[dict], meta: dict,
                cache: TokenCache, previous: Path | None = None,
                ext: extend.Extension | None = None) -> None:
    """Write the postings, Whoosh index, records.jsonl, docs.json, similar.json and meta.json.

    With ``ext`` (the previous build plus added yearbooks, see :mod:`indexer.extend`) the
    postings, strings, names and lines of the previous build are spliced, not rewritten.

    ``meta`` gains ``similar``: the similar-wording link counts (issue 6), computed here so
    that a server only reads them (the ``previous`` build's links are extended when only
    yearbooks were added, issue 15); ``tokenised``: how many yearbook files had to be
    tokenised (the others came from ``cache``); ``phases``: seconds per step (``parse``
    when the caller timed it).
    """
    folder.mkdir(parents=True)
    phases = meta.setdefault("phases", {})
    clock = time.perf_counter()

    def lap(name: str) -> None:
        """Record the seconds since the previous lap under ``name``."""
        nonlocal clock
        phases[name] = round(time.perf_counter() - clock, 3)
        clock = time.perf_counter()

    if ext is None:
        meta["tokenised"] = write_postings(folder, records, cache)
    else:
        meta["tokenised"] = extend.splice_postings(folder, ext, len(records), cache)
    lap("postings")
    write_strings(folder, records, ext)
    write_columns(folder, records, docs, ext)
    write_names(folder, records, ext)
    lap("columns_whoosh")
    meta["similar"] = write_links(records, folder / "similar.json", docs, previous=previous,
                                  known=ext is not None)
    lap("similar")
    write_records(folder, records, ext)
    _write_json(folder / "docs.json", sized_docs(docs, records))
    lap("records")
    _write_json(folder / "meta.json", meta)


def extension(previous: Path, records: list[dict], sources: dict) -> extend.Extension | None:
    """How ``records`` (browse order, from ``sources``) extend the build in ``previous``, or
    None when they do not only add yearbooks to it (see :mod:`indexer.extend`)."""
    try:
        meta = orjson.loads((previous / "meta.json").read_bytes())
        old = meta["sources"]
        if meta.get("schema_version") != SCHEMA_VERSION or old["base"] != sources["base"]:
            return None
        books = sources["books"]
        if set(books) == set(old["books"]) or any(books.get(b) != k
                                                  for b, k in old["books"].items()):
            return None
        columns = orjson.loads((previous / "columns.json").read_bytes())
    except (OSError, ValueError, KeyError):
        return None
    return extend.plan(previous, columns, records, set(books) - set(old["books"]))


def swap_link(out_dir: Path, target: Path) -> None:
    """Point ``out_dir/index`` at ``target`` atomically (new symlink, then os.replace)."""
    tmp = out_dir / f".{INDEX_LINK}.tmp-{os.getpid()}"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    tmp.symlink_to(target.relative_to(out_dir))
    os.replace(tmp, out_dir / INDEX_LINK)


def prune_builds(out_dir: Path, keep: int = KEEP_BUILDS) -> list[Path]:
    """Delete all but the newest ``keep`` builds (never the live one); return those deleted."""
    live = (out_dir / INDEX_LINK).resolve()
    builds = sorted(p for p in (out_dir / BUILDS).iterdir() if p.is_dir())
    doomed = [p for p in builds[:-keep] if p.resolve() != live]
    for path in doomed:
        shutil.rmtree(path, ignore_errors=True)
    return doomed


def publish(out_dir: Path, records: list[dict], docs: list[dict], yearbooks: list[dict],
            fingerprint: str, notes: dict | None = None, sources: dict | None = None,
            fresh: bool = False) -> dict:
    """Build a new index folder from parsed data, swap it live and prune old builds.

    Takes the records and docs (contract-shaped dicts), ``yearbooks`` (``{"id", "title"}``)
    and the fingerprint to record; ``notes`` (the parser's ``warnings`` and ``skipped``
    files) go into meta.json as they are. ``sources`` (``{"base": hash of the code and side
    tables, "books": yearbook id → hash of its parse}``), when given, is kept in meta.json:
    a later build whose sources only add books to these extends this build
    (:mod:`indexer.extend`) instead of writing everything anew, unless it is ``fresh``.
    Returns the meta dict plus
    ``status``, ``path`` (the build folder), ``index`` (the symlink) and ``extended`` (how
    many yearbooks were added to the previous build, 0 for a full build).
    """
    started = time.perf_counter()
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    folder = Path(out_dir) / BUILDS / stamp
    records = order_records(records)
    meta = {
        "schema_version": SCHEMA_VERSION,
        "fingerprint": fingerprint,
        "built_at": stamp,
        "yearbooks": yearbooks,
        "counts": count_records(records, docs, yearbooks),
        **(notes or {}),
        **({"sources": sources} if sources else {}),
    }
    live = Path(out_dir) / INDEX_LINK
    previous = live.resolve() if live.exists() else None
    ext = extension(previous, records, sources) if previous and sources and not fresh else None
    meta["extended"] = len(ext.runs) if ext else 0
    write_build(folder, records, docs, meta, TokenCache(Path(out_dir) / CACHE),
                previous=previous, ext=ext)
    swap_link(Path(out_dir), folder)
    prune_builds(Path(out_dir))
    meta["seconds"] = round(time.perf_counter() - started, 3)
    return {**meta, "status": "built", "path": str(folder), "index": str(out_dir / INDEX_LINK)}


def _library_versions() -> str:
    """Return the versions of the libraries whose behaviour is baked into the index."""
    from importlib.metadata import version

    return ",".join(f"{name}={version(name)}"
                    for name in ("whoosh-reloaded", "jieba", "opencc-purepy"))


def base_fingerprint(corpus_dir: Path) -> str:
    """Return a SHA-256 over what every yearbook's part of the index depends on besides its
    own file: the corpus's side tables (every file but the ``*.txt`` yearbooks), the index
    code and the analysis libraries."""
    digest = hashlib.sha256(f"schema={SCHEMA_VERSION};{_library_versions()}".encode())
    for path in _corpus_files(corpus_dir):
        if path.suffix != ".txt":
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    code_dir = Path(analysis.__file__).parent
    for name in CODE_FILES:
        path = code_dir / name
        for file in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
            if file.exists():
                digest.update(str(file.relative_to(code_dir)).encode() + b"\0" + file.read_bytes())
    return digest.hexdigest()


def fingerprint(corpus_dir: Path, base: str | None = None) -> str:
    """Return a SHA-256 over the corpus's yearbook files and :func:`base_fingerprint`
    (``base``, when the caller has it)."""
    digest = hashlib.sha256((base or base_fingerprint(corpus_dir)).encode())
    for path in _corpus_files(corpus_dir):
        if path.suffix == ".txt":
            digest.update(str(path.relative_to(corpus_dir)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _corpus_files(corpus_dir: Path) -> list[Path]:
    """The files under ``corpus_dir``, sorted, leaving out hidden ones."""
    corpus_dir = Path(corpus_dir)
    return [p for p in sorted(corpus_dir.rglob("*")) if p.is_file() and not any(
        part.startswith(".") for part in p.relative_to(corpus_dir).parts)]


def current_meta(out_dir: Path) -> dict | None:
    """Return the meta.json of the live index under ``out_dir``, or None if there is none."""
    path = Path(out_dir) / INDEX_LINK / "meta.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def build(corpus_dir: Path, out_dir: Path, force: bool = False) -> dict:
    """Parse ``corpus_dir`` and publish a new index under ``out_dir`` unless up to date.

    Returns the meta dict with ``status`` ``"built"`` or ``"up-to-date"``; prints one
    closing line either way.
    """
    with collector.paused():  # at ×200, adding a yearbook: 8.9 s with it, 6.3 s without
        return _build(corpus_dir, out_dir, force)


def _build(corpus_dir: Path, out_dir: Path, force: bool) -> dict:
    """:func:`build`, with the collector paused."""
    from indexer.parse import read_corpus, warning_text
    from indexer.parse.cache import ParseCache

    out_dir = Path(out_dir)
    base = base_fingerprint(corpus_dir)
    fp = fingerprint(corpus_dir, base)
    meta = current_meta(out_dir)
    if not force and meta and meta.get("fingerprint") == fp:
        print(f"index up to date ({out_dir / INDEX_LINK})")
        return {**meta, "status": "up-to-date", "path": str((out_dir / INDEX_LINK).resolve()),
                "index": str(out_dir / INDEX_LINK)}
    started = time.perf_counter()
    parse = ParseCache(out_dir / PARSE_CACHE)
    corpus = read_corpus(Path(corpus_dir), parse)
    parse_s = round(time.perf_counter() - started, 3)
    # Issue 9: a file that is not a yearbook is skipped, a line no rule places is kept and
    # reported; both are listed here and in meta.json, and the rest is built.
    for err in corpus.errors:
        print(f"error: {err} (file skipped)", file=sys.stderr)
    for warning in corpus.warnings:
        print(f"warning: {warning_text(warning)}", file=sys.stderr)
    parsed = corpus.yearbooks
    records = [r for yb in parsed for r in yb.records]
    docs = [d for yb in parsed for d in yb.docs]
    yearbooks = [{"id": yb.id, "title": yb.title} for yb in parsed]
    result = publish(out_dir, records, docs, yearbooks, fp, notes={
        "warnings": corpus.warnings, "skipped": [str(err) for err in corpus.errors],
        "parsed": parse.parsed, "phases": {"parse": parse_s}},
        sources={"base": base, "books": {yb.id: parse.keys[Path(yb.path).name]
                                         for yb in parsed}}, fresh=force)
    result["seconds"] = round(time.perf_counter() - started, 3)
    kinds = ", ".join(f"{k} {n}" for k, n in result["counts"]["kinds"].items())
    print(f"indexed {len(records)} records ({kinds}), {len(docs)} docs from "
          f"{len(yearbooks)} yearbook(s) in {result['seconds']:.2f} s → {out_dir / INDEX_LINK}; "
          f"{len(corpus.warnings)} warning(s), {len(corpus.errors)} file(s) skipped; "
          + (f"{result['extended']} yearbook(s) spliced into the previous build; "
             if result["extended"] else "")
          + ", ".join(f"{k} {v:.1f} s" for k, v in result["phases"].items()))
    return result
