"""Filters and facets shared by every backend: filter values resolved against the index,
and a backend's facet counts turned into the result dict's buckets."""

from collections.abc import Collection
from typing import Protocol

from indexer.analysis import exact_key, ref_key
from indexer.search.errors import QueryError
from indexer.search.offices import resolve_office

#: The facets of a result, in the order the result dict lists them.
FACET_FIELDS = ("doc", "year", "office", "kind", "level", "person", "yearbook")
#: Record kinds and the Chinese names a ``kind:`` filter also accepts.
KIND_NAMES = {"clause": "政策条文", "award": "获奖记录", "list": "荣誉名单"}
#: Document kinds → the kind of their records: /api/docs calls the documents of clauses
#: ``policy`` (an honour list's records are ``list`` already).
DOC_KINDS = {"policy": "clause"}
#: Award levels, widest first (the award tables' 国家级/省级/市级).
LEVELS = ("national", "provincial", "municipal")


class Catalog(Protocol):
    """What filter resolution reads of a backend (see :class:`~indexer.search.backend.Backend`)."""

    def docs(self) -> list[dict]:
        """Every document."""

    def facet_values(self, name: str) -> Collection[str]:
        """The values facet ``name`` takes."""


def resolve_filters(catalog: Catalog, pairs: list[tuple[str, str]]):
    """Resolve (field, value) pairs to allowed value sets per facet field, plus labels.

    Returns ``(filters, labels)``: ``filters`` maps each facet field to the set of values
    allowed and ``ref`` to the normalised cited strings; ``labels`` lists ``{"field",
    "value", "values", "labels"}`` for the interpretation: the value as given, the facet
    values it stands for and their names (see :func:`label`), in the order of the names.
    Raises QueryError for values that match nothing.
    """
    filters: dict[str, set[str]] = {}
    labels: list[dict] = []
    titles = _titles(catalog)
    for name, value in pairs:
        allowed = _RESOLVERS[name](catalog, value.strip())
        filters[name] = filters[name] & allowed if name in filters else allowed
        named = sorted((label(titles, name, v), v) for v in allowed)
        labels.append({"field": name, "value": value, "values": [v for _, v in named],
                       "labels": [text for text, _ in named]})
    return filters, labels


def _resolve_doc(catalog: Catalog, value: str) -> set[str]:
    """Doc ids for a doc filter: the id itself, else documents whose title contains it."""
    docs = catalog.docs()
    if any(d["id"] == value for d in docs):
        return {value}
    key = exact_key(value)
    found = {d["id"] for d in docs if key and key in exact_key(d["title"])}
    if not found:
        raise QueryError("unknown_doc", value=value)
    return found


def _resolve_year(catalog: Catalog, value: str) -> set[str]:
    """The year itself, if some record is from it."""
    if not value.isdigit():
        raise QueryError("bad_year", value=value)
    if str(int(value)) not in catalog.facet_values("year"):
        raise QueryError("no_year", value=value)
    return {str(int(value))}


def _resolve_named(name: str, error: str):
    """A resolver for facet ``name`` whose values are names: the value itself, else the
    values holding it (compared as :func:`~indexer.analysis.exact_key`)."""

    def resolve(catalog: Catalog, value: str) -> set[str]:
        """Values of facet ``name`` that are or contain ``value``."""
        values = catalog.facet_values(name)
        if value in values:
            return {value}
        key = exact_key(value)
        found = {v for v in values if key and key in exact_key(v)}
        if not found:
            raise QueryError(error, value=value)
        return found

    return resolve


def _resolve_office(catalog: Catalog, value: str) -> set[str]:
    """Canonical office names: the name or an alias of it, whole (see search.offices)."""
    return resolve_office(catalog.facet_values("office"), value)


def _resolve_kind(catalog: Catalog, value: str) -> set[str]:
    """The record kind, given as ``clause``/``award``/``list``, its Chinese name, or
    ``policy`` (the kind of the documents holding clauses, as /api/docs names them)."""
    value = DOC_KINDS.get(value.lower(), value)
    for kind, name in KIND_NAMES.items():
        if value.lower() == kind or value == name:
            return {kind}
    raise QueryError("bad_kind", choices=", ".join(KIND_NAMES), value=value)


def _resolve_level(catalog: Catalog, value: str) -> set[str]:
    """An award level: ``national``, ``provincial`` or ``municipal``."""
    if value.lower() not in LEVELS:
        raise QueryError("bad_level", choices=", ".join(LEVELS), value=value)
    return {value.lower()}


def _resolve_person(catalog: Catalog, value: str) -> set[str]:
    """A person's name as printed (spaces ignored: 徐 斌 is 徐斌)."""
    people = {exact_key(name): name for name in catalog.facet_values("person")}
    if exact_key(value) not in people:
        raise QueryError("unknown_person", value=value)
    return {people[exact_key(value)]}


def _resolve_ref(catalog: Catalog, value: str) -> set[str]:
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
              "yearbook": _resolve_named("yearbook", "unknown_yearbook"), "ref": _resolve_ref}


#: (documents list, id → title) of the last catalog asked: replaced whole, so a thread
#: never sees one list with another's titles.
_titles_of: tuple[list | None, dict[str, str]] = (None, {})


def _titles(catalog: Catalog) -> dict[str, str]:
    """Document id → title of ``catalog``'s documents (built once per documents list)."""
    global _titles_of
    docs = catalog.docs()
    cached = _titles_of
    if cached[0] is not docs:
        cached = _titles_of = (docs, {d["id"]: d["title"] for d in docs})
    return cached[1]


def label(titles: dict[str, str], name: str, value: str) -> str:
    """The data's own name of a facet value: a document's title, else the value itself.

    Interface words (a kind's name in the reader's language) are the web app's.
    """
    return titles.get(value, value) if name == "doc" else value


def facet_order(name: str, items: list[dict]) -> list[dict]:
    """Buckets ``items`` of facet ``name`` in the order a result lists them: years newest
    first, the other facets by count (highest first), then label."""
    if name == "year":
        return sorted(items, key=lambda b: b["value"], reverse=True)
    return sorted(items, key=lambda b: (-b["count"], b["label"]))


def buckets(catalog: Catalog, counts: dict[str, dict[str, int]],
            filters: dict[str, set[str]], limit: int | None = None,
            left: dict[str, int] | None = None) -> tuple[dict[str, list[dict]], dict[str, int]]:
    """The result dict's facets from a backend's counts, and how many values each leaves
    out.

    Per facet, ``{"value", "label", "count", "selected"}`` in :func:`facet_order`; a
    selected value is listed even when nothing matches it. ``limit``: only the first
    ``limit`` values and the selected ones are listed (None: all); ``left``: how many values
    the backend left out of ``counts`` already (``Found.left``). Returns ``(facets,
    hidden)``, ``hidden`` mapping each facet to the number of its values not listed.
    """
    titles = _titles(catalog)
    facets, hidden = {}, {}
    for name in FACET_FIELDS:
        tally = dict(counts.get(name, {}))
        chosen = filters.get(name, set())
        for value in chosen:
            tally.setdefault(value, 0)
        items = facet_order(name, [{"value": v, "label": label(titles, name, v), "count": n,
                                    "selected": v in chosen} for v, n in tally.items()])
        shown = items if limit is None else \
            [item for n, item in enumerate(items) if n < limit or item["selected"]]
        facets[name] = shown
        hidden[name] = len(items) - len(shown) + (left or {}).get(name, 0)
    return facets, hidden
