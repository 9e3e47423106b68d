"""The panels of the document and record pages, as plain functions: "Similar wording in …",
the same wording in other years (issue 15), what a document cites and who cites it.

The links between clauses and the citation graph are computed at build time
(``similar.json`` in the build folder, see ``indexer.similar.write_links``); they are read
once per build and app, as is the shingle index the paste search reads
(``similar-index.npz``).
"""

from __future__ import annotations

import logging
import threading
from functools import cached_property
from pathlib import Path

from flask import current_app
from flask_babel import gettext

from indexer import similar
from webapp.engine import serving
from webapp.links import doc_url, permalink, search_url, url_pattern

LINKS_FILE = "similar.json"
EXTENSION = "yearbook.similar"

log = logging.getLogger(__name__)
_lock = threading.Lock()


class BuildData:
    """What one build folder offers: clause links, citations, the paste index."""

    def __init__(self, folder: str, engine):
        """Read ``similar.json`` of ``folder``; an older build without it has no links."""
        try:
            data = similar.load_links(Path(folder) / LINKS_FILE)
        except FileNotFoundError:
            log.warning("%s has no %s: similar-wording panels stay empty", folder, LINKS_FILE)
            data = {}
        self.folder = folder
        self.links: dict[str, list[dict]] = data.get("links") or {}
        self.citations: dict = data.get("citations") or {"cites": {}, "cited_by": {}}
        # The records are read on the first paste only: every record of a large archive
        # would otherwise weigh on each worker from its first page.
        self._engine = engine

    @cached_property
    def model(self) -> similar.Collection:
        """The shingle index of the clauses, read on the first paste (the build writes it;
        an older build without it gets one built, about 0.1 s per 300 clauses)."""
        path = Path(self.folder) / similar.INDEX_FILE
        if path.exists():
            return similar.load_collection(path, self._engine.records())
        return similar.build_model(self._engine.records())


def build_data() -> BuildData:
    """The data of the build this request reads, loaded once per build and app."""
    folder, engine = serving()
    data = current_app.extensions.get(EXTENSION)
    if data is None or data.folder != folder:
        with _lock:
            data = current_app.extensions.get(EXTENSION)
            if data is None or data.folder != folder:
                data = BuildData(folder, engine)
                current_app.extensions[EXTENSION] = data  # only the live build is needed
    return data


def compare_url(a: str, b: str) -> str:
    """The side-by-side page of clauses ``a`` and ``b``."""
    return url_pattern("similar.compare", "b", a=a, _external=True)(b)


def clause_label(record: dict) -> str:
    """How a panel names a clause: its section number and heading (``2.2 (二) 完善分类
    设施``); a preamble or closing paragraph by that word."""
    key = record.get("section_key") or ""
    if key in ("", "end"):
        return gettext("similar_closing") if key == "end" else gettext("similar_preamble")
    return " ".join([key, *(record.get("section") or [])[-1:]])


def similar_panel(record_id: str) -> list[dict]:
    """"Similar wording in …" for one clause: the linked clauses, best first.

    Each item: the link (``id``, ``doc_id``, ``doc_title``, ``section``, ``section_key``,
    ``yearbook``, ``year``, ``date``, ``score``, ``exact_score``, ``shared``: a = this
    clause, b = the other), ``label`` (the other clause's number and section), ``text``
    (the shared passages joined by ``…``), ``url`` (the side-by-side comparison) and
    ``permalink``.
    """
    return [
        dict(
            link,
            label=clause_label(link),
            text=" … ".join(p["text"] for p in link["shared"]),
            url=compare_url(record_id, link["id"]),
            permalink=permalink(link["id"]),
        )
        for link in build_data().links.get(record_id, [])
    ]


def history_panel(record: dict) -> dict:
    """The same wording in other years for clause ``record``, oldest first (issue 15).

    ``{"entries", "first"}``: each entry is a link (see :func:`similar_panel`) plus
    ``first`` (the oldest wording of all), ``label``, ``url`` (permalink), ``compare``
    (side by side), ``diff`` (a = the other year's wording, b = this clause; changed
    numbers flagged) and ``numbers`` (``[{"a", "b"}]``, the numbers revised from it to
    this clause); ``first`` is the id of the oldest wording, this clause's own if none is
    older.
    """
    engine = serving()[1]
    history = similar.history(record, build_data().links.get(record["id"], []))
    entries = []
    for link in history["entries"]:
        other = engine.record(link["id"])
        if other is None:
            continue
        entries.append(dict(link, first=link["id"] == history["first"],
                            label=clause_label(link), url=permalink(link["id"]),
                            compare=compare_url(link["id"], record["id"]),
                            **similar.compare(other["text"], record["text"])))
    return {"entries": entries, "first": history["first"]}


def doc_similar(doc_id: str, record_ids: list[str]) -> list[dict]:
    """"Similar wording in …" for document ``doc_id``, given its clause ids: one item per
    linked pair of clauses with another document, best first, naming both clauses.

    Each item: ``this`` and ``other`` (``id``, ``label``: number and section; ``other``
    also ``doc_id``, ``doc_title``, ``date``), ``score``, ``exact_score``, ``text`` (the
    longest shared passage) and ``url`` (the pair side by side). Links inside the document
    show on its clauses only.
    """
    engine = serving()[1]
    pairs = []
    links = build_data().links
    for rid in record_ids:
        own = [link for link in links.get(rid, []) if link["doc_id"] != doc_id]
        this = engine.record(rid) if own else None
        for link in own:
            pairs.append({
                "this": {"id": rid, "label": clause_label(this or {})},
                "other": {"id": link["id"], "label": clause_label(link),
                          "doc_id": link["doc_id"], "doc_title": link["doc_title"],
                          "date": link.get("date")},
                "score": link["score"], "exact_score": link.get("exact_score"),
                "text": max((p["text"] for p in link["shared"]), key=len),
                "url": compare_url(rid, link["id"]),
            })
    return sorted(pairs, key=lambda p: (-p["score"], p["this"]["id"], p["other"]["id"]))


def cited_by(doc_id: str) -> list[dict]:
    """The documents citing ``doc_id``: ``doc_id``, ``doc_title``, ``records`` (the citing
    clauses) and ``url`` (the first citing clause in its document)."""
    return [
        dict(citer, url=permalink(citer["records"][0]) if citer["records"] else
             doc_url(citer["doc_id"]))
        for citer in build_data().citations["cited_by"].get(doc_id, [])
    ]


def cites(doc_id: str) -> list[dict]:
    """What ``doc_id`` cites, from the build's citation graph (self-citations dropped):
    ``title``, ``number``, ``doc_id``/``doc_title`` of the cited document where the corpus
    holds it, ``records`` (the citing clauses) and ``url``: the cited document's page, or
    else the ``ref:`` search finding the clauses that cite it."""
    return [dict(entry, url=doc_url(entry["doc_id"])
                 if entry["doc_id"] else search_url({}, q=_ref_query(entry), _external=True))
            for entry in build_data().citations["cites"].get(doc_id, [])]


def _ref_query(entry: dict) -> str:
    """The ``ref:`` query of a cited title or number (spaces left by line breaks dropped)."""
    return "ref:" + "".join((entry["title"] or entry["number"] or "").split())
