"""The JSON API: the same dicts the HTML pages render (UTF-8, no ``\\u`` escapes)."""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from webapp.views import doc_view, docs_view, record_view, search_view

bp = Blueprint("api", __name__, url_prefix="/api")

#: Keys of /api/search, in the order the API documents them.
SEARCH_KEYS = ("query", "total", "page", "size", "pages", "took_ms", "hits", "facets",
               "facet_pages", "chips", "sorts", "pagination", "alternatives", "interpretation",
               "links")


@bp.get("/search")
def search():
    """Search results as JSON; same parameters as ``/search``."""
    view = search_view(request.args)
    return jsonify({key: view[key] for key in SEARCH_KEYS if key in view})


@bp.get("/docs")
def docs():
    """``{"docs": [{"id", "title", "date", "offices", "clauses", "url", …}]}``."""
    return jsonify(docs_view())


@bp.get("/doc/<doc_id>")
def doc(doc_id: str):
    """One document with its sections and records."""
    return jsonify(doc_view(doc_id))


@bp.get("/record/<record_id>")
def record(record_id: str):
    """One record with its permalink and citation."""
    return jsonify(record_view(record_id))
