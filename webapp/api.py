"""The JSON API: the same dicts the HTML pages render (UTF-8, no ``\\u`` escapes), and the
downloads of a search or a record (``format=``, see webapp/exports.py)."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request, stream_with_context

from webapp import exports
from webapp.links import FACET_SHOWN
from webapp.params import format_param
from webapp.views import (
    citation_item,
    doc_view,
    docs_view,
    facet_view,
    record_view,
    search_all,
    search_view,
)

bp = Blueprint("api", __name__, url_prefix="/api")

#: Keys of /api/search, in the order the API documents them.
SEARCH_KEYS = ("query", "total", "page", "size", "pages", "took_ms", "grouped", "total_groups",
               "groups", "hits", "facets", "facets_hidden", "facet_pages", "chips", "sorts",
               "pagination", "alternatives", "interpretation", "links")


def _download(chunks, fmt: str, formats: dict, stem: str) -> Response:
    """A streamed attachment of ``chunks`` (text) in ``fmt``, named ``stem.<ext>``."""
    mimetype, extension, _ = formats[fmt]
    response = Response(stream_with_context(chunk.encode("utf-8") for chunk in chunks),
                        mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{stem}.{extension}"'
    response.mimetype_params["charset"] = "utf-8"
    return response


@bp.get("/search")
def search():
    """Search results as JSON; same parameters as ``/search``. ``format=csv|jsonl`` downloads
    every record found (all pages), ``format=ris|bibtex|csl`` their citations."""
    fmt = format_param(request.args, exports.SEARCH_FORMATS)
    if fmt is None:
        view = search_view(request.args, facet_limit=FACET_SHOWN)
        return jsonify({key: view[key] for key in SEARCH_KEYS if key in view})
    _, records = search_all(request.args)
    if fmt in exports.DATA_WRITERS:
        chunks = exports.DATA_WRITERS[fmt](records)
    else:
        chunks = exports.CITATION_WRITERS[fmt](record["csl"] for record in records)
    return _download(chunks, fmt, exports.SEARCH_FORMATS, "yearbook-search")


@bp.get("/search/facet/<name>")
def facet(name: str):
    """Every value of one facet of a search (``/api/search`` lists the first few)."""
    view = facet_view(name, request.args)
    return jsonify({key: view[key] for key in view if key != "state"})


@bp.get("/docs")
def docs():
    """A page of the documents (``page=``): ``{"total", "page", "size", "pages",
    "docs": [{"id", "title", "date", "offices", "clauses", "chars", "url", …}],
    "pagination", "links"}``."""
    return jsonify(docs_view(request.args))


@bp.get("/doc/<doc_id>")
def doc(doc_id: str):
    """One document with its sections and records."""
    return jsonify(doc_view(doc_id))


@bp.get("/record/<record_id>")
def record(record_id: str):
    """One record with its permalink and citation; ``format=ris|bibtex|csl|gbt`` downloads
    the citation of a record, a document or a yearbook."""
    fmt = format_param(request.args, exports.RECORD_FORMATS)
    if fmt is not None:
        item = citation_item(record_id)
        chunks = exports.CITATION_WRITERS[fmt]([item])
        return _download(chunks, fmt, exports.RECORD_FORMATS, record_id)
    return jsonify(record_view(record_id))
