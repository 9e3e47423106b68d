"""A plan (:mod:`indexer.search.plan`) and resolved filters as OpenSearch query DSL.

The meaning is the embedded engine's, made exact with the bigram fields of
:mod:`indexer.opensearch.documents`:

* a word token matches where it is a substring of the space-free text, section headings or
  title: a ``match_phrase`` of its bigrams over ``sq_*`` (consecutive positions = adjacent
  characters), or a ``term`` over ``chars_*`` for a one-character token;
* a phrase matches where it is a substring of the normalised text, spaces included: a
  ``match_phrase`` over ``grams``;
* a Latin word's expansions match in the text; OR groups are ``should`` with at least one;
  exclusions are ``must_not``.

Scores from these clauses only pick the candidates worth re-scoring (see
:mod:`indexer.opensearch.rescore`); the whole-name boosts are ``term`` clauses on ``names``.
"""

from indexer.opensearch.documents import bigrams, phrase_form, squeezed

RECORDS = {"term": {"type": "record"}}
#: The keyword field of each filter.
FILTER_FIELDS = {"doc": "doc", "year": "year", "office": "offices", "kind": "kind",
                 "ref": "refs"}


def _substring(field: str, needle: str) -> dict:
    """Records whose ``sq_<field>``/``chars_<field>`` string contains ``needle``."""
    if len(needle) == 1:
        return {"term": {f"chars_{field}": needle}}
    return {"match_phrase": {f"sq_{field}": {"query": bigrams(needle),
                                            "analyzer": "whitespace"}}}


def token_query(token: str) -> dict:
    """A word token: a substring of the text, section headings or title, spaces ignored."""
    needle = squeezed(token)
    return {"bool": {"should": [_substring(name, needle)
                                for name in ("text", "section", "title")],
                     "minimum_should_match": 1}}


def phrase_query(phrase: str) -> dict:
    """A quoted phrase: a substring of the normalised text (spaces as they are)."""
    form = phrase_form(phrase)
    if len(form) == 1:
        # One character (a phrase needs one that is not a space) has no bigram.
        return {"term": {"chars_text": form}}
    return {"match_phrase": {"grams": {"query": bigrams(form), "analyzer": "whitespace"}}}


def matcher_query(matcher) -> dict:
    """One word (all its tokens, or any expansion) or phrase of the plan."""
    if matcher.phrase:
        return phrase_query(matcher.phrase)
    alternatives = []
    if matcher.tokens:
        alternatives.append({"bool": {"filter": [token_query(t) for t in matcher.tokens]}})
    alternatives += [_substring("text", squeezed(e)) for e in matcher.expansions
                     if squeezed(e)]
    return {"bool": {"should": alternatives, "minimum_should_match": 1}}


def _any(queries: list[dict]) -> dict:
    """At least one of ``queries``."""
    return {"bool": {"should": queries, "minimum_should_match": 1}}


def match_query(plan, relaxed: bool = False) -> dict:
    """The records the plan matches (before filters), as a filter-context query.

    ``relaxed``: the fallback: any phrase, token or expansion of any matcher.
    """
    must = [] if not plan.groups else (
        [_any([_partial(m) for g in plan.groups for m in g])] if relaxed
        else [_any([matcher_query(m) for m in group]) for group in plan.groups])
    return {"bool": {"filter": [RECORDS, *must],
                     "must_not": [matcher_query(m) for m in plan.excluded]}}


def _partial(matcher) -> dict:
    """One matcher relaxed: its phrase, any one of its tokens or any expansion."""
    if matcher.phrase:
        return phrase_query(matcher.phrase)
    return _any([token_query(t) for t in matcher.tokens]
                + [_substring("text", squeezed(e)) for e in matcher.expansions if squeezed(e)])


def ranking_query(plan, matched: dict) -> dict:
    """``matched`` scored for the first cut: jieba words (BM25), phrases, name boosts."""
    should = [{"match": {"words": {"query": " ".join(plan.word_tokens),
                                   "analyzer": "whitespace"}}}] if plan.word_tokens else []
    should += [{"match": {"section_words": {"query": " ".join(plan.word_tokens),
                                            "analyzer": "whitespace"}}}] \
        if plan.word_tokens else []
    should += [phrase_query(needle) for needle, _ in plan.weighted if needle.strip()]
    should += [{"term": {"names": {"value": boost.text, "boost": boost.boost}}}
               for boost in plan.boosts]
    return {"bool": {"must": [matched], "should": should}}


def filter_clause(name: str, allowed: set[str]) -> dict:
    """The records a resolved filter lets through (``ref``: a cited string containing it)."""
    if name == "ref":
        return _any([{"wildcard": {"refs": {"value": f"*{_escape(key)}*"}}}
                     for key in sorted(allowed)])
    return {"terms": {FILTER_FIELDS[name]: sorted(allowed)}}


def _escape(value: str) -> str:
    """``value`` with the wildcard syntax characters escaped."""
    return "".join("\\" + ch if ch in "*?\\" else ch for ch in value)
