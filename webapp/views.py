"""The dicts behind every page: built once, rendered as HTML or returned as JSON.

Datasette style: ``/search`` and ``/api/search`` (and the doc, docs and record pairs) call
the same builder, so the JSON twin always holds exactly what the page shows.
"""

from __future__ import annotations

from flask import abort
from flask_babel import gettext

from indexer.search import FACET_FIELDS, QueryError, expansion_key
from webapp import related
from webapp.cite import citation
from webapp.engine import searcher
from webapp.i18n import KINDS, english_name, ignored_reason, interpretation_message, select_locale
from webapp.links import (
    active_filters,
    doc_url,
    page_numbers,
    permalink,
    search_url,
    state_args,
    state_pattern,
    url_pattern,
)
from webapp.params import SORTS, BadParam, search_params, valid_id


def enrich_record(record: dict) -> dict:
    """A copy of ``record`` with its links (``url`` relative, ``permalink`` absolute,
    ``doc_url`` the record in its document) and citation line added."""
    link = permalink(record["id"])
    return dict(record, url=url_pattern("pages.permalink", "record_id")(record["id"]),
                permalink=link, doc_url=doc_url(record["doc_id"], record["id"]),
                citation=citation(record, link))


def search_view(args) -> dict:
    """Validate ``args``, run the search and return the result dict with its state."""
    state = search_params(args)
    result = _run_search(searcher(), state)
    if result["total"] and state["page"] > result["pages"]:
        raise BadParam("err_page_beyond", pages=result["pages"])
    view = dict(result, hits=[enrich_record(hit) for hit in result["hits"]])
    view["interpretation"] = _interpretation(state, result["interpretation"])
    view["state"] = state
    view["facets"] = {name: _buckets(state, name, items)
                      for name, items in result["facets"].items()}
    facet_page = url_pattern("pages.facet", "name", _external=True, **state_args(state))
    view["facet_pages"] = {name: facet_page(name) for name in result["facets"]}
    view["chips"] = _chips(state, view["facets"])
    view["sorts"] = [{"value": sort, "selected": sort == state["sort"],
                      "url": search_url(state, sort=sort, _external=True)} for sort in SORTS]
    page_url = state_pattern(state, "page")
    first = search_url(state, page=1, _external=True)  # page 1 is the default: no page=
    view["pagination"] = [number and {"page": number, "current": number == state["page"],
                                      "url": first if number == 1 else page_url(number)}
                          for number in page_numbers(state["page"], result["pages"])]
    view["alternatives"] = _alternatives(state, result["interpretation"])
    view["links"] = _search_links(state, result)
    if view["chips"]:
        view["links"]["clear_filters"] = search_url(
            state, _external=True, **dict.fromkeys(FACET_FIELDS))
    return view


def _buckets(state: dict, name: str, items: list[dict]) -> list[dict]:
    """The buckets of facet ``name``, each with its ``toggle_url``: the state with the value
    selected, or without the filter when the bucket is the selected one."""
    select = state_pattern(state, name)
    return [dict(item, toggle_url=search_url(state, _external=True, **{name: None})
                 if item["selected"] else select(item["value"]))
            for item in items]


def _chips(state: dict, facets: dict) -> list[dict]:
    """The selected filters as removable chips: ``facet``, ``value``, ``label`` (the
    English name beside the Chinese in the English interface) and ``remove_url``."""
    chips = []
    for facet, value in active_filters(state):
        items = facets.get(facet) or []
        label = next((item["label"] for item in items if str(item["value"]) == str(value)),
                     str(value))
        if facet == "kind":
            label = gettext(KINDS[value])
        elif select_locale() == "en" and (english := english_name(label)):
            label = f"{english} ({label})"
        chips.append({"facet": facet, "value": value, "label": label,
                      "remove_url": search_url(state, _external=True, **{facet: None})})
    return chips


def _alternatives(state: dict, interp: dict) -> list[dict]:
    """Other queries for an empty result: ``kind`` ("unquoted": the query without its
    quotes; "partial": any of its words), ``q`` and ``url``."""
    query = state["q"]
    unquoted = " ".join(query.replace('"', " ").split())
    parts = list(interp.get("terms") or []) + list(interp.get("phrases") or [])
    found = []
    if '"' in query and unquoted:
        found.append(("unquoted", unquoted))
    if len(parts) > 1:
        found.append(("partial", " OR ".join(parts)))
    return [{"kind": kind, "q": q, "url": search_url(state, q=q, _external=True)}
            for kind, q in found]


#: The search layer's refusals of a filter value, by the filter they name.
_REFUSED_FILTER = {"unknown_doc": "doc", "bad_year": "year", "no_year": "year",
                   "unknown_office": "office", "bad_kind": "kind",
                   "unknown_yearbook": "yearbook"}


def _run_search(engine, state: dict) -> dict:
    """Search with ``state``; a filter value the index does not know becomes a BadParam.

    The search layer decides which values it accepts (ids, parts of titles or office
    names) and names the refused one; when it is a URL parameter's value (not a filter
    typed in ``q``), the reader is told so in their language.
    """
    filters = {name: state[name] for name in FACET_FIELDS}
    try:
        return engine.search(state["q"], page=state["page"], size=state["size"],
                             sort=state["sort"], drop_expansions=list(state["noexp"]),
                             **filters)
    except QueryError as err:
        name = _REFUSED_FILTER.get(err.key)
        value = filters.get(name)
        if value is not None and str(err.params.get("value")) == str(value).strip():
            raise BadParam("err_unknown_value", name=name, value=value) from None
        raise


def _interpretation(state: dict, interp: dict) -> dict:
    """The search layer's interpretation with links and texts in the reader's language.

    Each expansion links to a search for its Chinese term (same filters, a fresh query)
    and to this page without it (``drop_url``: the state plus ``noexp=<term>``); each
    dropped one links back (``restore_url``). ``message_shown`` and each ignored item's
    ``reason_shown`` are the page's wording in ``g.lang``.
    """
    dropped = state["noexp"]
    expansions = [dict(exp, search_url=search_url(state, q=exp["term"], _external=True),
                       drop_url=search_url(state, noexp=(*dropped, exp["term"]),
                                           _external=True))
                  for exp in interp["expansions"]]
    restored = []
    for exp in interp["dropped"]:
        key = expansion_key(exp["term"])
        kept = tuple(term for term in dropped if expansion_key(term) != key)
        restored.append(dict(exp, restore_url=search_url(state, noexp=kept, _external=True)))
    ignored = [dict(item, reason_shown=ignored_reason(item))
               for item in interp["ignored"]]
    # "Did you mean": one click runs the corrected query (same filters, nothing dropped).
    suggestions = [dict(s, url=search_url(state, q=s["query"], noexp=(),
                                          _external=True))
                   for s in interp.get("suggestions", [])]
    return dict(interp, expansions=expansions, dropped=restored, ignored=ignored,
                suggestions=suggestions, message_shown=interpretation_message(interp))


def _search_links(state: dict, result: dict) -> dict:
    """Absolute links of this result page, its JSON twin and its neighbours."""
    links = {
        "html": search_url(state, _external=True),
        "json": search_url(state, "api.search", _external=True),
    }
    if state["page"] > 1:
        links["prev"] = search_url(state, page=state["page"] - 1, _external=True)
    if state["page"] < result["pages"]:
        links["next"] = search_url(state, page=state["page"] + 1, _external=True)
    return links


def docs_view() -> dict:
    """Every document with date, offices and size (records and characters)."""
    docs = []
    for doc in searcher().docs():
        docs.append({
            "id": doc["id"],
            "kind": doc.get("kind"),
            "title": doc["title"],
            "title_en": english_name(doc["title"]),
            "date": doc.get("date"),
            "offices": doc.get("offices") or [],
            "clauses": len(doc.get("record_ids") or []),
            # Counted at build time (docs.json): no record is read.
            "chars": doc["chars"],
            "url": doc_url(doc["id"]),
        })
    return {"docs": docs}


def _lookup(kind: str, item_id: str) -> dict:
    """The document or record ``item_id``, or a 404."""
    if not valid_id(item_id):
        abort(404)
    engine = searcher()
    found = engine.doc(item_id) if kind == "doc" else engine.record(item_id)
    if found is None:
        abort(404)
    return found


def doc_blocks(sections: list[dict], records: list[dict]) -> list[dict]:
    """Interleave section headings and records in reading order.

    Each heading is emitted just before the first record of its section (or of a
    subsection), so a section whose text only lives in subsections still gets a heading.
    """
    queue = list(sections)
    keys = {section["key"] for section in sections}
    blocks: list[dict] = []
    for record in records:
        key = record.get("section_key") or ""
        while key in keys and queue:
            section = queue.pop(0)
            blocks.append({"type": "section", "section": section})
            if section["key"] == key:
                keys.discard(key)
                break
        blocks.append({"type": "record", "record": record})
    blocks.extend({"type": "section", "section": section} for section in queue)
    return blocks


def list_groups(records: list[dict]) -> list[dict]:
    """Consecutive records of an honour list grouped under their sub-heading, in order."""
    groups: list[dict] = []
    for record in records:
        heading = record.get("heading") or ""
        if not groups or groups[-1]["heading"] != heading:
            groups.append({"heading": heading, "records": []})
        groups[-1]["records"].append(record)
    return groups


def doc_view(doc_id: str) -> dict:
    """The whole document: metadata, sections and every record with its citation."""
    doc = _lookup("doc", doc_id)
    engine = searcher()
    records = [engine.record(rid) for rid in doc.get("record_ids") or []]
    view = dict(doc)
    view["records"] = [dict(enrich_record(record), similar=related.similar_panel(record["id"]),
                            history=related.history_panel(record))
                       for record in records if record is not None]
    view["cites"] = related.cites(doc["id"])
    view["similar"] = related.doc_similar(doc["id"], doc.get("record_ids") or [])
    view["cited_by"] = related.cited_by(doc["id"])
    view["title_en"] = english_name(doc["title"])
    view["url"] = doc_url(doc["id"])
    view["search_url"] = search_url(search_params({"doc": doc["id"]}), _external=True)
    return view


def record_view(record_id: str) -> dict:
    """One record (clause, award row or list entry) with its permalink and citation."""
    record = enrich_record(_lookup("record", record_id))
    record["similar"] = related.similar_panel(record_id)
    record["history"] = related.history_panel(record)
    return record
