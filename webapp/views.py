"""The dicts behind every page: built once, rendered as HTML or returned as JSON.

Datasette style: ``/search`` and ``/api/search`` (and the doc, docs and record pairs) call
the same builder, so the JSON twin always holds exactly what the page shows.
"""

from __future__ import annotations

import math
from datetime import date

from flask import abort, url_for
from flask_babel import gettext

from indexer.search import FACET_FIELDS, MAX_PAGE_SIZE, QueryError, expansion_key
from webapp import related
from webapp.cite import cited_line, clause_number, csl_item, gbt7714, recipient, yearbook
from webapp.engine import searcher
from webapp.grouping import SHOWN_PER_DOC, group_by_document, names_a_document, title_keys
from webapp.i18n import (
    KINDS,
    LEVELS,
    english_name,
    ignored_reason,
    interpretation_message,
    select_locale,
)
from webapp.links import (
    active_filters,
    doc_url,
    page_numbers,
    permalink,
    record_links,
    search_url,
    state_args,
    state_pattern,
    url_pattern,
)
from webapp.params import SORTS, BadParam, page_param, search_params, valid_id


def accessed() -> date:
    """The access date of this request's citations ([引用日期])."""
    return date.today()


def enrich_record(record: dict) -> dict:
    """A copy of ``record`` with its links (``url`` relative, ``permalink`` absolute,
    ``doc_url`` the record in its document), its GB/T 7714 citation line and, for an award
    row, its awarding bodies as printed with their canonical names (``bodies``)."""
    url, link, in_doc = record_links(record["id"], record["doc_id"])
    enriched = dict(record, url=url, permalink=link, doc_url=in_doc,
                    citation=cited_line(record, link, accessed()))
    if record.get("kind") == "award":
        enriched["bodies"] = awarding_bodies(record)
    return enriched


def _with_awarders(hit: dict) -> dict:
    """A search hit of an award row with its printed awarding bodies (hits carry only the
    canonical ``offices``)."""
    if hit.get("kind") != "award" or "awarders" in hit:
        return hit
    record = searcher().record(hit["id"]) or {}
    return dict(hit, awarders=record.get("awarders") or [])


def awarding_bodies(record: dict) -> list[dict]:
    """An award row's awarding bodies as printed, each with its canonical name:
    ``[{"printed": "中央文明办", "canonical": "中央精神文明建设指导委员会办公室"}, …]``.

    The row keeps the printed names (``awarders``) and, in the same order, the distinct
    canonical ones (``offices``); a printed name that is not itself canonical takes the
    next canonical name that was not printed.
    """
    printed = record.get("awarders") or []
    unprinted = iter([office for office in record.get("offices") or []
                      if office not in printed])
    return [{"printed": name,
             "canonical": name if name in (record.get("offices") or []) else
             next(unprinted, name)} for name in printed]


def search_view(args, facet_limit: int | None = None) -> dict:
    """Validate ``args``, run the search and return the result dict with its state.

    Grouped by document (see webapp/grouping.py), ``groups`` holds this page's documents
    with their hits (at most SHOWN_PER_DOC each), ``hits`` those hits in order, and
    ``page``/``pages`` count documents; ``total`` still counts records.

    ``facet_limit``: of each facet only the first values and the selected ones are listed
    (the search layer picks them), and ``facets_hidden`` says how many are left to the
    facet's own page; None lists every value (the facet page). A ×200 archive has
    thousands of documents: a bucket and a link for each was most of a page's work.
    """
    state = search_params(args)
    engine = searcher()
    result = _run_search(engine, state, facet_limit)
    grouped = _grouped(engine, state)
    if grouped:
        groups = _group_page(engine, state, result)
        # An address from before grouping (a page past the documents') stays as it was.
        grouped = state["group"] == "doc" or state["page"] <= max(groups["pages"], 1)
        result = groups if grouped else result
    if result["total"] and state["page"] > result["pages"]:
        raise BadParam("err_page_beyond", pages=result["pages"])
    view = dict(result, hits=[enrich_record(_with_awarders(hit)) for hit in result["hits"]])
    if grouped:
        shown = iter(view["hits"])
        view["groups"] = [dict(group, hits=[next(shown) for _ in group["hits"]])
                          for group in result["groups"]]
    view["grouped"] = grouped
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


def facet_view(name: str, args) -> dict:
    """Every value of facet ``name`` of the search ``args`` (the result page lists the
    first few): ``facet``, ``query``, ``total``, ``took_ms``, ``values`` (the buckets, each
    with its ``toggle_url``), ``state`` and ``links`` (``search``: the result page,
    ``html``/``json``: this list); a 404 for a facet that does not exist."""
    if name not in FACET_FIELDS:
        abort(404)
    view = search_view(args)
    return {"facet": name, "query": view["query"], "total": view["total"],
            "took_ms": view["took_ms"], "values": view["facets"][name], "state": view["state"],
            "links": {"search": view["links"]["html"], "html": view["facet_pages"][name],
                      "json": search_url(view["state"], "api.facet", _external=True,
                                         name=name)}}


def _grouped(engine, state: dict) -> bool:
    """Whether this search is shown by document: as asked, else when the query names
    a document (and no single document is chosen already)."""
    if state["group"]:
        return state["group"] == "doc"
    return not state["doc"] and names_a_document(state["q"], _title_keys(engine.docs()))


#: (documents list, their title_keys) of the build last asked: replaced whole, so a thread
#: never pairs one list with another's keys.
_keys_of: tuple[list | None, str] = (None, "")


def _title_keys(docs: list[dict]) -> str:
    """:func:`~webapp.grouping.title_keys` of ``docs``' titles, made once per build: a
    ×200 archive has 4,600 titles, normalised on every search otherwise."""
    global _keys_of
    cached = _keys_of
    if cached[0] is not docs:
        cached = _keys_of = (docs, title_keys([doc["title"] for doc in docs]))
    return cached[1]


def _group_page(engine, state: dict, first: dict) -> dict:
    """``first`` (the page-1 result) turned into a page of document groups: every hit of
    the search (its best :data:`~indexer.search.searcher.MAX_RANKED`) is grouped by its
    document, then only the shown hits of the groups of ``state["page"]`` are read and
    highlighted."""
    ranked = engine.ranked(state["q"], sort=state["sort"], drop_expansions=list(state["noexp"]),
                           **{name: state[name] for name in FACET_FIELDS})
    groups = group_by_document([{"id": rid, "doc_id": doc_id} for rid, doc_id in ranked])
    size, page = state["size"], state["page"]
    shown = groups[(page - 1) * size:page * size]
    hits = iter(engine.hits([hit["id"] for group in shown
                             for hit in group["hits"][:SHOWN_PER_DOC]],
                            state["q"], drop_expansions=list(state["noexp"])))
    for group in shown:
        group["hits"] = [next(hits) for _ in group["hits"][:SHOWN_PER_DOC]]
        group["doc_title"] = group["hits"][0].get("doc_title")
    return dict(first, page=page, pages=math.ceil(len(groups) / size), total_groups=len(groups),
                groups=shown, hits=[hit for group in shown for hit in group["hits"]])


def _all_hits(engine, state: dict):
    """Every hit of the search of ``state`` (all pages, its filters), best first."""
    page, pages = 1, 1
    while page <= pages:
        result = _run_search(engine, dict(state, page=page, size=MAX_PAGE_SIZE), 0)
        pages = result["pages"]
        yield from result["hits"]
        page += 1


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
        elif facet == "level":
            label = gettext(LEVELS[value])
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
                   "unknown_office": "office", "bad_kind": "kind", "bad_level": "level",
                   "unknown_person": "person", "unknown_yearbook": "yearbook"}


def _run_search(engine, state: dict, facet_size: int | None = None) -> dict:
    """Search with ``state`` (``facet_size``: see ``Searcher.search``); a filter value the
    index does not know becomes a BadParam.

    The search layer decides which values it accepts (ids, parts of titles or office
    names) and names the refused one; when it is a URL parameter's value (not a filter
    typed in ``q``), the reader is told so in their language.
    """
    filters = {name: state[name] for name in FACET_FIELDS}
    try:
        return engine.search(state["q"], page=state["page"], size=state["size"],
                             sort=state["sort"], drop_expansions=list(state["noexp"]),
                             facet_size=facet_size, **filters)
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


#: Documents a page of /docs lists: a ×200 archive has 4,600, and the whole list was 2 MB of
#: HTML and 200 ms of CPU a request.
DOCS_PAGE = 100


def doc_rows(docs: list[dict]) -> list[dict]:
    """The rows of a documents table: each document's id, kind, titles, date, offices and
    size (records and characters) and its address."""
    return [{
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
    } for doc in docs]


def docs_view(args) -> dict:
    """Page ``page=`` of ``args`` of the documents list (:data:`DOCS_PAGE` a page): ``total``
    (documents), ``page``, ``size``, ``pages``, ``docs`` (see :func:`doc_rows`),
    ``pagination`` (as a search's) and ``links`` (``html``, ``json``, ``prev``, ``next``).

    A bad ``page`` is a BadParam, like a search's; so is one past the last page.
    """
    page = page_param(args)
    every = searcher().docs()
    pages = max(1, math.ceil(len(every) / DOCS_PAGE))
    if page > pages:
        raise BadParam("err_page_beyond", pages=pages)
    page_url = url_pattern("pages.docs", "page", _external=True)
    # Page 1 is the default: its address has no page=.
    first = url_for("pages.docs", _external=True)

    def address(number: int) -> str:
        return first if number == 1 else page_url(number)

    links = {"html": address(page),
             "json": url_for("api.docs", _external=True, **({"page": page} if page > 1 else {}))}
    if page > 1:
        links["prev"] = address(page - 1)
    if page < pages:
        links["next"] = address(page + 1)
    return {"total": len(every), "page": page, "size": DOCS_PAGE, "pages": pages,
            "docs": doc_rows(every[(page - 1) * DOCS_PAGE:page * DOCS_PAGE]),
            "pagination": [number and {"page": number, "current": number == page,
                                       "url": address(number)}
                           for number in page_numbers(page, pages)],
            "links": links}


def search_all(args) -> tuple[dict, object]:
    """The state of a search for an export, and an iterator over every record it finds
    (all pages, the URL's filters), each enriched with permalink, citation and its CSL
    item (``csl``).

    The first page is searched at once, so a bad parameter is a 400 before anything is
    sent; the other pages are searched as the download is written.
    """
    state = search_params(args)
    engine = searcher()
    _run_search(engine, dict(state, page=1, size=1), 0)  # a bad filter is a 400 now
    today = accessed()

    def records():
        for hit in _all_hits(engine, state):
            record = engine.record(hit["id"]) or hit
            item = csl_item(record, permalink(record["id"]), today)
            yield dict(record, permalink=item["URL"], citation=gbt7714(item), csl=item)
    return state, records()


def citable(item_id: str) -> dict:
    """The record, document or yearbook ``item_id`` (yearbook rows get ``kind``
    ``yearbook``), or a 404."""
    if not valid_id(item_id):
        abort(404)
    engine = searcher()
    found = engine.record(item_id) or engine.doc(item_id)
    if found is None and (book := yearbook(item_id)):
        found = dict(book, kind="yearbook")
    if found is None:
        abort(404)
    return found


def citation_item(item_id: str) -> dict:
    """The CSL-JSON item of record, document or yearbook ``item_id`` (see citable); a
    yearbook is cited as the printed book, without an address."""
    found = citable(item_id)
    url = None if found["kind"] == "yearbook" else permalink(item_id)
    return csl_item(found, url, accessed())


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


def _record_heading(record: dict) -> str:
    """What names a record in its page's heading and tab title: the person or unit and
    the honour of an award, the document and clause number of a clause, the entry's name."""
    if record["kind"] == "award":
        return f"{record['recipient']}: {record.get('honour') or ''}"
    if record["kind"] == "clause":
        return " ".join(part for part in (record.get("doc_title"), record["clause_number"])
                        if part)
    return record.get("name") or record.get("text") or record["id"]


def record_view(record_id: str) -> dict:
    """One record (clause, award row or list entry) with its permalink and citation."""
    record = enrich_record(_lookup("record", record_id))
    record["recipient"] = recipient(record) if record["kind"] == "award" else None
    record["clause_number"] = clause_number(record.get("section") or []) \
        if record["kind"] == "clause" else None
    record["heading_text"] = _record_heading(record)
    record["similar"] = related.similar_panel(record_id)
    record["history"] = related.history_panel(record)
    return record
