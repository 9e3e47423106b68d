"""A plan (:mod:`indexer.search.plan`) and resolved filters as OpenSearch query DSL.

The meaning is :mod:`indexer.search.verify`'s, made exact with the bigram fields of
:mod:`indexer.opensearch.documents` wherever it can be:

* a word's unit matches where it is a substring of the space-free text, section headings
  or title: a ``match_phrase`` of its bigrams over ``sq_*`` (consecutive positions =
  adjacent characters), or a ``term`` over ``chars_*`` for a one-character unit;
* a phrase matches where it is a substring of the normalised text, spaces included: a
  ``match_phrase`` over ``grams``;
* a Latin word's expansions match in the text or headings; OR groups are ``should`` with
  at least one; exclusions are ``must_not``.

Only "not inside a longer number" has no n-gram form: a plan with a needle that begins or
ends with a digit (:func:`exact`) gets its candidates here and the exact check in Python.
"""

from indexer.opensearch.documents import bigrams, phrase_form, squeezed

RECORDS = {"term": {"type": "record"}}
#: The keyword field of each filter.
FILTER_FIELDS = {"doc": "doc", "year": "year", "office": "offices", "kind": "kind",
                 "yearbook": "yearbook", "ref": "refs"}
DIGITS = "0123456789"


def _substring(field: str, needle: str) -> dict:
    """Records whose ``sq_<field>``/``chars_<field>`` string contains ``needle``."""
    if len(needle) == 1:
        return {"term": {f"chars_{field}": needle}}
    return {"match_phrase": {f"sq_{field}": {"query": bigrams(needle),
                                            "analyzer": "whitespace"}}}


def _any(queries: list[dict]) -> dict:
    """At least one of ``queries``."""
    return {"bool": {"should": queries, "minimum_should_match": 1}}


def unit_query(unit: str) -> dict:
    """A word's unit: a substring of the text, section headings or title, spaces ignored."""
    needle = squeezed(unit)
    return _any([_substring(name, needle) for name in ("text", "section", "title")])


def held_query(needle: str) -> dict:
    """A string some record's text or section headings hold (spaces ignored)."""
    return _any([_substring(name, squeezed(needle)) for name in ("text", "section")])


def phrase_query(phrase: str) -> dict:
    """A quoted phrase: a substring of the normalised text (spaces as they are)."""
    form = phrase_form(phrase)
    if len(form) == 1:
        # One character (a phrase needs one that is not a space) has no bigram.
        return {"term": {"chars_text": form}}
    return {"match_phrase": {"grams": {"query": bigrams(form), "analyzer": "whitespace"}}}


def matcher_query(matcher) -> dict:
    """One word (all its units, or any expansion) or phrase of the plan."""
    if matcher.phrase:
        return phrase_query(matcher.phrase)
    alternatives = []
    if matcher.units:
        alternatives.append({"bool": {"filter": [unit_query(u) for u in matcher.units]}})
    alternatives += [held_query(e) for e in matcher.expansions if squeezed(e)]
    return _any(alternatives)


def needles(matcher) -> list[str]:
    """The strings a matcher looks for."""
    return [matcher.phrase] if matcher.phrase else [*matcher.units, *matcher.expansions]


def exact(matcher) -> bool:
    """True when the query DSL decides ``matcher`` exactly (no needle begins or ends with a
    digit, where only the whole-number check can tell)."""
    return not any(n[:1] in DIGITS or n[-1:] in DIGITS for n in needles(matcher) if n)


def match_query(plan, exclusions: bool = True) -> dict:
    """The records the plan matches (before filters), as a filter-context query;
    ``exclusions=False`` leaves the exclusions to the caller (a superset)."""
    groups = [_any([matcher_query(m) for m in group]) for group in plan.groups]
    return {"bool": {"filter": [RECORDS, *groups],
                     "must_not": [matcher_query(m) for m in plan.excluded] if exclusions
                     else []}}


def ranking_query(plan, matched: dict) -> dict:
    """``matched`` scored for the first cut: jieba words (BM25), phrases, name boosts."""
    scoring = plan.scoring
    tokens = " ".join(scoring.word_tokens)
    should = [{"match": {name: {"query": tokens, "analyzer": "whitespace"}}}
              for name in ("words", "section_words")] if tokens else []
    should += [phrase_query(needle) for needle, _ in scoring.weighted if needle.strip()]
    should += [{"term": {"names": {"value": key, "boost": boost}}}
               for key, boost in scoring.boosts]
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
