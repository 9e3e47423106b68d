"""Similar wording across a collection of yearbooks, and cross-references (issues 6, 15).

Modules, one step each: :mod:`.text` (matching form of a text), :mod:`.passages` (shared
passages of two texts), :mod:`.shingles` (the collection's shingle index and what counts
as boilerplate), :mod:`.links` (links between clauses, a clause's history), :mod:`.drafts`
(a pasted draft checked paragraph by paragraph), :mod:`.diff` (side-by-side diffs with
revised numbers), :mod:`.citations` (which document cites which) and :mod:`.store` (the
build's files). The names below are the interface the build and the web app use.
"""

from indexer.similar.citations import citation_graph
from indexer.similar.diff import compare, diff_segments, mark_segments, number_changes
from indexer.similar.drafts import MAX_DRAFT, MAX_PARAGRAPHS, check_draft, match
from indexer.similar.links import (
    MIN_PASSAGE,
    MIN_SECONDARY,
    Collection,
    build_links,
    history,
    link_pairs,
)
from indexer.similar.passages import K, common_passages
from indexer.similar.shingles import MAX_CLAUSES, MAX_DOCS
from indexer.similar.store import (
    INDEX_FILE,
    load_collection,
    load_links,
    new_collection,
    save_index,
    write_links,
)
from indexer.similar.text import Normalised, normalise, normalise_title

#: Longest text ``find_similar`` accepts (characters), to bound the work per request.
MAX_QUERY = MAX_DRAFT


def build_model(records: list[dict]) -> Collection:
    """A collection indexing the clauses among ``records`` for pasted drafts (no links)."""
    collection = new_collection()
    collection.add(records, link=False)
    return collection


def find_similar(text: str, records_or_model: list[dict] | Collection,
                 limit: int = 10) -> list[dict]:
    """Clauses closest to a pasted text taken as one block, best first (see
    :func:`indexer.similar.drafts.match`); ValueError beyond ``MAX_QUERY`` characters."""
    if len(text) > MAX_QUERY:
        raise ValueError(f"text longer than {MAX_QUERY} characters")
    model = (records_or_model if isinstance(records_or_model, Collection)
             else build_model(records_or_model))
    return match(model, text, limit)


__all__ = [
    "INDEX_FILE", "K", "MAX_CLAUSES", "MAX_DOCS", "MAX_DRAFT", "MAX_PARAGRAPHS", "MAX_QUERY",
    "MIN_PASSAGE", "MIN_SECONDARY", "Collection", "Normalised", "build_links", "build_model",
    "check_draft", "citation_graph", "common_passages", "compare", "diff_segments",
    "find_similar",
    "history", "link_pairs", "load_collection", "load_links", "mark_segments", "match",
    "new_collection", "normalise", "normalise_title", "number_changes", "save_index",
    "write_links",
]
