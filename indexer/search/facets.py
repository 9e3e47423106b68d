"""Filters and facets: filter values resolved to record sets, facet counts over a result."""

from collections import Counter
from itertools import chain

from indexer.analysis import exact_key
from indexer.refs import ref_key
from indexer.search.errors import QueryError
from indexer.search.offices import resolve_office
from indexer.search.state import FACET_FIELDS, State

#: Record kinds and the Chinese names a ``kind:`` filter also accepts.
KIND_NAMES = {"clause": "政策条文", "award": "获奖记录", "list": "荣誉名单"}
#: Document kinds → the kind of their records: /api/docs calls the documents of clauses
#: ``policy`` (an honour list's records are ``list`` already).
DOC_KINDS = {"policy": "clause"}
#: Award levels, widest first (the award tables' 国家级/省级/市级).
LEVELS = ("national", "provincial", "municipal")


def resolve_filters(state: State, pairs: list[tuple[str, str]]):
    """Resolve (field, value) pairs to allowed value sets per facet field, plus labels.

    Returns ``(filters, labels)``: ``filters`` maps ``doc``/``year``/``office``/``kind`` to
    the set of facet values allowed and ``ref`` to the normalised cited strings; ``labels``
    lists ``{"field", "value", "values", "labels"}`` for the interpretation: the value as
    given, the facet values it stands for and their names (see :func:`_label`), in the
    order of the names. Raises QueryError for
    values that match nothing.
    """
    filters: dict[str, set[str]] = {}
    labels: list[dict] = []
    for name, value in pairs:
        allowed = _RESOLVERS[name](state, value.strip())
        filters[name] = filters[name] & allowed if name in filters else allowed
        named = sorted((_label(state, name, v), v) for v in allowed)
        labels.append({"field": name, "value": value, "values": [v for _, v in named],
                       "labels": [label for label, _ in named]})
    return filters, labels


def _resolve_doc(state: State, value: str) -> set[str]:
    """Doc ids for a doc filter: the id itself, else documents whose title contains it."""
    if value in state.doc_by_id:
        return {value}
    key = exact_key(value)
    found = {doc_id for doc_id, title in state.title_keys.items() if key and key in title}
    if not found:
        raise QueryError("unknown_doc", value=value)
    return found


def _resolve_year(state: State, value: str) -> set[str]:
    """The year itself, if some record is from it."""
    if not value.isdigit():
        raise QueryError("bad_year", value=value)
    if str(int(value)) not in state.postings["year"]:
        raise QueryError("no_year", value=value)
    return {str(int(value))}


def _resolve_office(state: State, value: str) -> set[str]:
    """Canonical office names: the name or an alias of it, whole (see search.offices)."""
    return resolve_office(state.postings["office"], value)


def _resolve_kind(state: State, value: str) -> set[str]:
    """The record kind, given as ``clause``/``award``/``list``, its Chinese name, or
    ``policy`` (the kind of the documents holding clauses, as /api/docs names them)."""
    value = DOC_KINDS.get(value.lower(), value)
    for kind, name in KIND_NAMES.items():
        if value.lower() == kind or value == name:
            return {kind}
    raise QueryError("bad_kind", choices=", ".join(KIND_NAMES), value=value)


def _resolve_level(state: State, value: str) -> set[str]:
    """An award level: ``national``, ``provincial`` or ``municipal``."""
    if value.lower() not in LEVELS:
        raise QueryError("bad_level", choices=", ".join(LEVELS), value=value)
    return {value.lower()}


def _resolve_person(state: State, value: str) -> set[str]:
    """A person's name as printed (spaces ignored: 徐 斌 is 徐斌)."""
    people = {exact_key(name): name for name in state.postings["person"]}
    if exact_key(value) not in people:
        raise QueryError("unknown_person", value=value)
    return {people[exact_key(value)]}


def _resolve_ref(state: State, value: str) -> set[str]:
    """The cited title or document number to look for in the records' refs.

    Numbers are brought to the parser's spelling (``浙政发[2017]40号`` → ``浙政发〔2017〕40号``),
    titles lose their 《》.
    """
    key = ref_key(value)
    if not key:
        raise QueryError("empty_ref")
    return {key}


_RESOLVERS = {"doc": _resolve_doc, "year": _resolve_year, "office": _resolve_office,
              "kind": _resolve_kind, "level": _resolve_level, "person": _resolve_person,
              "ref": _resolve_ref}


def _label(state: State, name: str, value: str) -> str:
    """The data's own name of a facet value: a document's title, else the value itself.

    Interface words (a kind's name in the reader's language) are the web app's.
    """
    if name == "doc":
        return state.doc_by_id[value]["title"] if value in state.doc_by_id else value
    return value


def filter_sets(state: State, filters: dict[str, set[str]]) -> dict[str, set[int]]:
    """The records each filter lets through, as sets of record indexes."""
    sets = {}
    for name, allowed in filters.items():
        if name == "ref":
            sets[name] = {i for i, keys in enumerate(state.ref_keys)
                          if any(key in r for key in allowed for r in keys)}
        else:
            sets[name] = set().union(*(state.postings[name].get(v, ()) for v in allowed))
    return sets


def narrow(found, sets: dict[str, set[int]], skip: str = "") -> set[int]:
    """``found`` restricted by every filter set except the one of field ``skip``."""
    result = set(found)
    for name, allowed in sets.items():
        if name != skip:
            result &= allowed
    return result


def count_facets(state: State, found, filters, sets) -> dict[str, list[dict]]:
    """Count facet values over all matches; each facet ignores its own filter.

    So a value's count is exactly the total the same search gives with that value as the
    facet's filter.
    """
    facets = {}
    for name in FACET_FIELDS:
        lists = state.facet_lists[name]
        counts = Counter(chain.from_iterable(lists[i] for i in narrow(found, sets, name)))
        chosen = filters.get(name, set())
        for value in chosen:
            counts.setdefault(value, 0)
        buckets = [{"value": v, "label": _label(state, name, v), "count": n,
                    "selected": v in chosen} for v, n in counts.items()]
        if name == "year":
            buckets.sort(key=lambda b: b["value"], reverse=True)
        else:
            buckets.sort(key=lambda b: (-b["count"], b["label"]))
        facets[name] = buckets
    return facets


