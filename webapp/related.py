"""The panels of the document and record pages, as plain functions: "Similar wording in …",
what a document cites and who cites it.

The links between clauses and the citation graph are computed at build time
(``similar.json`` in the build folder, see ``indexer.similar.write_links``); they are read
once per build and app. The paste index of ``/similar`` is built from the same records.
"""

from __future__ import annotations

import logging
import threading
from functools import cached_property
from pathlib import Path

from flask import current_app

from indexer import similar
from webapp.engine import serving
from webapp.links import doc_url, permalink, search_url, url_pattern

LINKS_FILE = "similar.json"
EXTENSION = "yearbook.similar"

log = logging.getLogger(__name__)
_lock = threading.Lock()


class BuildData:
    """What one build folder offers: clause links, citations, the paste index."""

    def __init__(self, folder: str, records: list[dict]):
        """Read ``similar.json`` of ``folder``; an older build without it has no links."""
        try:
            data = similar.load_links(Path(folder) / LINKS_FILE)
        except FileNotFoundError:
            log.warning("%s has no %s: similar-wording panels stay empty", folder, LINKS_FILE)
            data = {}
        self.folder = folder
        self.links: dict[str, list[dict]] = data.get("links") or {}
        self.citations: dict = data.get("citations") or {"cites": {}, "cited_by": {}}
        self._records = records

    @cached_property
    def model(self) -> similar.SimilarityModel:
        """The shingle index of the clauses, built on the first paste (about 0.1 s)."""
        return similar.build_model(self._records)


def build_data() -> BuildData:
    """The data of the build this request reads, loaded once per build and app."""
    folder, engine = serving()
    data = current_app.extensions.get(EXTENSION)
    if data is None or data.folder != folder:
        with _lock:
            data = current_app.extensions.get(EXTENSION)
            if data is None or data.folder != folder:
                data = BuildData(folder, engine.records())
                current_app.extensions[EXTENSION] = data  # only the live build is needed
    return data


def compare_url(a: str, b: str) -> str:
    """The side-by-side page of clauses ``a`` and ``b``."""
    return url_pattern("similar.compare", "b", a=a, _external=True)(b)


def similar_panel(record_id: str) -> list[dict]:
    """"Similar wording in …" for one clause: the linked clauses, best first.

    Each item: ``id``, ``doc_id``, ``doc_title``, ``section``, ``score``, ``shared``
    (offsets: a = this clause, b = the other), ``text`` (the shared passages joined by
    ``…``), ``url`` (the side-by-side comparison) and ``permalink``.
    """
    return [
        dict(
            link,
            text=" … ".join(p["text"] for p in link["shared"]),
            url=compare_url(record_id, link["id"]),
            permalink=permalink(link["id"]),
        )
        for link in build_data().links.get(record_id, [])
    ]


def doc_similar(doc_id: str, record_ids: list[str]) -> list[dict]:
    """"Similar wording in …" for document ``doc_id``, given its clause ids: per other
    document, ``doc_id``, ``doc_title``, ``pairs`` (``[this clause, other clause]``),
    ``text`` (the longest shared passage) and ``url`` (the first pair side by side).
    Links inside the document show on its clauses only."""
    others: dict[str, dict] = {}
    links = build_data().links
    for rid in record_ids:
        for link in links.get(rid, []):
            if link["doc_id"] == doc_id:
                continue
            other = others.setdefault(link["doc_id"], {
                "doc_id": link["doc_id"], "doc_title": link["doc_title"], "pairs": [],
                "text": "", "url": compare_url(rid, link["id"]),
            })
            other["pairs"].append([rid, link["id"]])
            longest = max((p["text"] for p in link["shared"]), key=len)
            if len(longest) > len(other["text"]):
                other["text"] = longest
    return sorted(others.values(), key=lambda o: (-len(o["pairs"]), o["doc_id"]))


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
