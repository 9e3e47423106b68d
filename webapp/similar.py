"""The similar-wording routes (blueprint ``similar``).

``/similar`` (paste a draft, get the closest prior wording), ``/api/similar?text=…`` (the
same as JSON), ``/similar/compare?a=…&b=…`` (two clauses side by side with the shared
passages highlighted and a diff). The panels the document and record pages show are plain
functions in webapp/related.py; only a pasted draft is matched at request time, against
the shingle index :func:`webapp.related.build_data` builds once per build.
"""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, render_template, request, url_for
from flask_babel import gettext

from indexer import similar
from webapp.engine import searcher
from webapp.links import permalink
from webapp.params import valid_id
from webapp.related import build_data

bp = Blueprint("similar", __name__)

#: Longest draft accepted (characters): a few paragraphs, bounded request time.
MAX_TEXT = 2000
#: Most hits a paste returns.
LIMIT = 10

class TextError(ValueError):
    """A pasted text the feature refuses (empty or too long); ``message`` says why in the
    reader's language."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _checked_text(text: str | None) -> str:
    """The pasted text, stripped; TextError when it is empty or too long."""
    text = (text or "").strip()
    if not text:
        raise TextError(gettext("similar_empty"))
    if len(text) > MAX_TEXT:
        raise TextError(gettext("similar_too_long", max=MAX_TEXT))
    return text


def paste_hits(text: str) -> list[dict]:
    """Clauses closest to the draft ``text``, best first, with permalinks (``url``)."""
    hits = similar.find_similar(text, build_data().model, limit=LIMIT)
    return [dict(hit, url=permalink(hit["id"])) for hit in hits]


@bp.get("/api/similar")
def api_similar():
    """``{"hits": [{"id", "doc_id", "doc_title", "section", "text", "score", "shared",
    "url"}]}``; 400 ``{"error"}`` when ``text`` is empty or too long."""
    try:
        text = _checked_text(request.args.get("text"))
    except TextError as err:
        return jsonify({"error": err.message}), 400
    return jsonify({"hits": paste_hits(text)})


@bp.route("/similar", methods=["GET", "POST"])
def similar_page():
    """The paste form, and its results: score, highlighted passages, permalink, diff."""
    raw = request.values.get("text")
    hits, error, status = None, None, 200
    if raw is not None:
        try:
            text = _checked_text(raw)
            hits = [_hit_view(text, hit) for hit in paste_hits(text)]
        except TextError as err:
            error, status = err.message, 400
    json_url = url_for("similar.api_similar", text=raw) if hits is not None else None
    return render_template("similar.html", text=raw or "", hits=hits, error=error,
                           max_text=MAX_TEXT, shingle=similar.K, state={},
                           json_url=json_url), status


def _hit_view(draft: str, hit: dict) -> dict:
    """A hit with its text cut into highlighted pieces, and the draft/clause diff."""
    return dict(
        hit,
        pieces=similar.mark_segments(hit["text"], [(p["b_start"], p["b_end"])
                                                   for p in hit["shared"]]),
        diff=similar.diff_segments(draft, hit["text"]),
    )


@bp.get("/similar/compare")
def compare():
    """Two clauses side by side: shared passages highlighted on both, and the diff."""
    a_id, b_id = request.args.get("a", ""), request.args.get("b", "")
    if not (valid_id(a_id) and valid_id(b_id)):
        abort(404)
    engine = searcher()
    a, b = engine.record(a_id), engine.record(b_id)
    if a is None or b is None:
        abort(404)
    link = next((lk for lk in build_data().links.get(a_id, []) if lk["id"] == b_id), None)
    shared = link["shared"] if link else []
    return render_template(
        "similar_compare.html", a=a, b=b, score=link["score"] if link else None,
        a_pieces=similar.mark_segments(a["text"], [(p["a_start"], p["a_end"]) for p in shared]),
        b_pieces=similar.mark_segments(b["text"], [(p["b_start"], p["b_end"]) for p in shared]),
        diff=similar.diff_segments(a["text"], b["text"]),
        a_url=permalink(a_id), b_url=permalink(b_id), state={}, json_url=None,
    )
