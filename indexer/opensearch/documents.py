"""A record as an OpenSearch document, analysed by the project's own code; the template.

Every token is made here and joined by spaces; the index splits on spaces only
(``whitespace`` analyser, no lower-casing: the text is normalised already), so the words
and positions OpenSearch holds are exactly :mod:`indexer.analysis`'s.

* ``words`` / ``title_words`` / ``section_words`` — jieba words, search-mode sub-words
  included (the word index of the embedded engine: document frequencies, vocabulary).
* ``grams`` — character bigrams of the normalised text, whitespace kept as
  :data:`SPACE`: a quoted phrase is a ``match_phrase`` of its bigrams here.
* ``sq_text`` / ``sq_section`` / ``sq_title`` — bigrams of the same strings without
  whitespace: a word token matches across the stray spaces of the print (``徐 斌``).
* ``chars_*`` — the distinct characters of those strings (keywords): a one-character
  token or phrase has no bigram.
* ``names`` / ``offices`` / ``refs`` / ``doc`` / ``year`` / … — keywords for the
  whole-name boost, filters, facets and sorting.

The record itself travels in ``record`` (stored, not indexed): hits, lookups and the
highlighter read it as the embedded engine reads records.jsonl.
"""

from indexer.analysis import SCHEMA_VERSION, exact_key, jieba_spans, normalise, ref_key
from indexer.build import record_names, record_persons

#: Stands for a whitespace character in ``grams`` (whitespace cannot be part of a token).
SPACE = "\u2423"
#: Version of the document shape; with the analysis' schema version in the index name's
#: metadata so that a searcher refuses an index written differently.
DOC_VERSION = 3
WORD_FIELDS = ("words", "title_words", "section_words")


def bigrams(text: str) -> str:
    """The character bigrams of ``text``, space-separated (``""`` below two characters)."""
    return " ".join(text[i:i + 2] for i in range(len(text) - 1))


def phrase_form(norm: str) -> str:
    """A normalised string with each whitespace character as :data:`SPACE` (for ``grams``)."""
    return "".join(SPACE if ch.isspace() else ch for ch in norm)


def squeezed(norm: str) -> str:
    """A normalised string without whitespace (where word tokens are matched)."""
    return "".join(norm.split())


def words(norm: str) -> str:
    """The jieba words (with search-mode sub-words) of normalised ``norm``, space-separated."""
    return " ".join(norm[s:e] for _, s, e in jieba_spans(norm, subwords=True))


def match_strings(record: dict, title: str | None = None) -> dict[str, str]:
    """The space-free normalised text, section headings and title a word token must be in.

    ``title`` is the document's title when known (the embedded engine keys titles by
    document); else the record's ``doc_title``.
    """
    return {
        "text": squeezed(normalise(record["text"])),
        "section": exact_key("".join(record.get("section") or [])),
        "title": exact_key(title if title is not None else record.get("doc_title") or ""),
    }


def record_source(record: dict, first_of_doc: bool) -> dict:
    """The OpenSearch document of one record (``first_of_doc``: see build.record_names)."""
    norm = normalise(record["text"])
    strings = match_strings(record)
    source_words = {
        "words": words(norm),
        "title_words": words(normalise(record.get("doc_title") or "")),
        "section_words": words(normalise(" ".join(record.get("section") or []))),
    }
    return {
        "type": "record",
        "id": record["id"],
        "kind": record["kind"],
        "yearbook": record.get("yearbook") or "",
        "doc": record["doc_id"],
        "year": str(record["year"]) if record.get("year") is not None else None,
        "date": record.get("date") or "",
        "seq": int(record["seq"]),
        "offices": list(record.get("offices") or []),
        "level": record.get("level") or "",
        "persons": record_persons(record),
        "refs": [ref_key(r) for r in record.get("refs") or []],
        "names": record_names(record, first_of_doc),
        **source_words,
        "grams": bigrams(phrase_form(norm)),
        "chars_text": sorted(set(strings["text"])),
        **{f"sq_{name}": bigrams(value) for name, value in strings.items()},
        **{f"chars_{name}": sorted(set(value)) for name, value in strings.items()
           if name != "text"},
        "lengths": {"text": len(source_words["words"].split()),
                    "section": len(source_words["section_words"].split()),
                    "title": len(source_words["title_words"].split()),
                    "names": len(record_names(record, first_of_doc))},
        "record": record,
    }


def doc_source(doc: dict, seq: int) -> dict:
    """The OpenSearch document of one container (policy document, table, list); ``seq`` is
    its place among its yearbook's containers."""
    return {"type": "doc", "id": doc["id"], "yearbook": doc.get("yearbook") or "",
            "seq": seq, "record": doc}


def meta_source(yearbook: dict, records: list[dict], fingerprint: str) -> dict:
    """The per-yearbook metadata: title, fingerprint, record count, vocabulary, names.

    The vocabulary (the distinct jieba words of the texts, titles and section headings) and
    the people's names are what English and pinyin expansion look words up in; a searcher
    reads them once per index generation instead of walking the term dictionary.
    """
    names = dict.fromkeys(p for r in records for p in record_persons(r))
    vocabulary = set()
    for r in records:
        for value in (r["text"], r.get("doc_title") or "", " ".join(r.get("section") or [])):
            vocabulary.update(words(normalise(value)).split())
    return {"type": "meta", "id": yearbook["id"], "yearbook": yearbook["id"],
            "record": {**yearbook, "fingerprint": fingerprint, "records": len(records),
                       "names": list(names), "vocabulary": sorted(vocabulary),
                       "schema_version": SCHEMA_VERSION, "doc_version": DOC_VERSION}}


def doc_id(source: dict) -> str:
    """The OpenSearch ``_id`` of a document: its type and id (ids are stable across builds)."""
    return f"{source['type']}:{source['id']}"


def _text(**extra) -> dict:
    """A ``whitespace``-analysed text field (the tokens are made in Python)."""
    return {"type": "text", "analyzer": "whitespace", **extra}


def template(pattern: str, shards: int, replicas: int) -> dict:
    """The composable index template for indexes named ``pattern``.

    Sets shards and replicas; the record is stored but not indexed; the bigram and
    character fields are indexed but not kept in ``_source`` (the record has the text).
    """
    keyword = {"type": "keyword"}
    properties = {
        "type": keyword, "id": keyword, "kind": keyword, "yearbook": keyword,
        "doc": keyword, "year": keyword, "date": keyword, "seq": {"type": "integer"},
        "offices": keyword, "level": keyword, "persons": keyword, "refs": keyword,
        "names": keyword,
        **{name: _text() for name in WORD_FIELDS},
        "grams": _text(norms=False), "sq_text": _text(norms=False),
        "sq_section": _text(norms=False), "sq_title": _text(norms=False),
        "chars_text": keyword, "chars_section": keyword, "chars_title": keyword,
        "lengths": {"properties": {name: {"type": "integer"}
                                   for name in ("text", "section", "title", "names")}},
        "record": {"type": "object", "enabled": False},
    }
    # The words stay in _source: the re-scoring counts term frequencies in them.
    excluded = ["grams", "sq_text", "sq_section", "sq_title",
                "chars_text", "chars_section", "chars_title"]
    return {
        "index_patterns": [pattern],
        "template": {
            "settings": {"number_of_shards": shards, "number_of_replicas": replicas,
                         # Bulk loading refreshes once at the end.
                         "refresh_interval": "1s",
                         "max_result_window": 100_000},
            "mappings": {"dynamic": "strict", "_source": {"excludes": excluded},
                         "properties": properties},
        },
        "_meta": {"schema_version": SCHEMA_VERSION, "doc_version": DOC_VERSION},
    }
