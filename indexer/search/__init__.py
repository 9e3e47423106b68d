"""Search over a built index folder: the one entry point the web app calls.

Query language (parsed here by a small tokenizer, never by Whoosh's QueryParser):

* ``送教 上门`` — words; all must match (in the text, or in the document title / section
  headings), best first. Each word is cut by jieba like the index; each of its tokens
  must occur (spaces ignored), whether or not jieba cut the record's text the same way.
* ``"生活垃圾分类"`` — exact phrase: exactly the records whose normalised text contains the
  normalised phrase (NFKC, Traditional→Simplified, case folded).
* ``a OR b`` — either; ``-word`` / ``-"phrase"`` — exclude.
* ``doc:`` ``office:`` ``year:`` ``kind:`` ``ref:`` — filters (also passed as parameters).
* Empty query — browse in document order (with or without filters).

When no record has all the words, the best partial matches are returned and
``interpretation["fallback"]`` says so. Latin words unknown to the index are OR-expanded
with Chinese terms from :mod:`indexer.bilingual` (when that module is present).

Ranking: BM25F over text, section headings and document title (weights
:data:`WORD_FIELDS`), with document frequencies from the jieba word index; plus the
frequency of each phrase, of each multi-token word as a whole (proximity) and of bilingual
expansions; plus a large boost, through the index's ``names`` field, for a record whose
name, title or honour is exactly the query.
"""

from indexer.search.backend import Backend, Found, Request
from indexer.search.errors import IGNORED_REASONS, MESSAGES, QUERY_ERRORS, QueryError
from indexer.search.facets import FACET_FIELDS, KIND_NAMES, LEVELS
from indexer.search.highlight import Normalised, highlight, match_spans
from indexer.search.plan import MAX_DROPPED, MAX_DROPPED_CHARS, expansion_key
from indexer.search.query import FILTER_FIELDS, MAX_QUERY_CHARS, parse_query
from indexer.search.searcher import MAX_PAGE_SIZE, SORTS, Searcher, default_searcher, search

__all__ = [
    "FACET_FIELDS", "LEVELS", "FILTER_FIELDS", "IGNORED_REASONS", "KIND_NAMES", "MAX_DROPPED",
    "MAX_DROPPED_CHARS", "MAX_PAGE_SIZE", "MAX_QUERY_CHARS", "MESSAGES", "QUERY_ERRORS",
    "SORTS", "Backend", "Found", "Normalised", "QueryError", "Request", "Searcher",
    "default_searcher", "expansion_key", "highlight", "match_spans", "parse_query", "search",
]
