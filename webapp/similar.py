"""Similar wording and cross-references on the website (issue 6).

``/similar`` (paste a draft, get the closest prior wording), ``/api/similar?text=…`` (the
same as JSON), ``/similar/compare?a=…&b=…`` (two clauses side by side with the shared
passages highlighted and a diff), and the panels the document and record pages show:
:func:`similar_panel` ("Similar wording in …") and :func:`cited_by`.

The links between clauses and the citation graph are computed at build time
(``similar.json`` in the build folder, see ``indexer.similar.write_links``); only a pasted
draft is matched at request time, against a shingle index built once per build.
"""

from __future__ import annotations

import logging
import threading
from functools import cached_property
from pathlib import Path

from flask import Blueprint, abort, current_app, g, jsonify, render_template, request

from indexer import similar
from webapp import views
from webapp.links import page_url
from webapp.params import valid_id

bp = Blueprint("similar", __name__)
log = logging.getLogger(__name__)

#: Longest draft accepted (characters): a few paragraphs, bounded request time.
MAX_TEXT = 2000
#: Most hits a paste returns.
LIMIT = 10
LINKS_FILE = "similar.json"
EXTENSION = "yearbook.similar"

#: This feature's interface strings (the site's message table is the web module's).
TEXTS = {
    "zh": {
        "title": "相似表述",
        "intro": "粘贴一段草稿，查找以往文件中最接近的表述。",
        "label": "草稿段落",
        "button": "查找相似表述",
        "score": "相似度",
        "diff": "逐字对照",
        "draft": "草稿",
        "none": f"没有找到相似的表述（草稿须有连续 {similar.K} 个字与某条款相同）。",
        "empty": "请粘贴一段文字。",
        "too_long": f"文字过长（最多 {MAX_TEXT} 字）。",
        "compare": "对照",
        "permalink": "永久链接",
    },
    "en": {
        "title": "Similar wording",
        "intro": "Paste a draft paragraph to find the closest wording in earlier documents.",
        "label": "Draft paragraph",
        "button": "Find similar wording",
        "score": "Score",
        "diff": "Side-by-side diff",
        "draft": "Draft",
        "none": f"No similar wording found (a match needs {similar.K} characters in a row).",
        "empty": "Please paste some text.",
        "too_long": f"The text is too long (at most {MAX_TEXT} characters).",
        "compare": "Compare",
        "permalink": "Permalink",
    },
}


class _BuildData:
    """What one build folder offers this feature: links, citations, the paste index."""

    def __init__(self, folder: str, engine):
        """Read ``similar.json`` of ``folder``; an older build without it has no links.

        ``engine`` (the build's Searcher) gives the records only when a draft is pasted:
        the panels need the links alone, and every record of a large archive would
        weigh on each worker."""
        try:
            data = similar.load_links(Path(folder) / LINKS_FILE)
        except FileNotFoundError:
            log.warning("%s has no %s: similar-wording panels stay empty", folder, LINKS_FILE)
            data = {}
        self.folder = folder
        self.links: dict[str, list[dict]] = data.get("links") or {}
        self.citations: dict = data.get("citations") or {"cites": {}, "cited_by": {}}
        self._engine = engine

    @cached_property
    def model(self) -> similar.SimilarityModel:
        """The shingle index of the clauses, built on the first paste (about 0.1 s)."""
        return similar.build_model(self._engine.records())


_lock = threading.Lock()


def _data() -> _BuildData:
    """The data of the build this request reads, loaded once per build and app."""
    folder, engine = views.serving()
    data = current_app.extensions.get(EXTENSION)
    if data is None or data.folder != folder:
        with _lock:
            data = current_app.extensions.get(EXTENSION)
            if data is None or data.folder != folder:
                data = _BuildData(folder, engine)
                current_app.extensions[EXTENSION] = data  # only the live build is needed
    return data


def _t() -> dict:
    """The interface strings in the reader's language."""
    return TEXTS.get(g.get("lang"), TEXTS["zh"])


def compare_url(a: str, b: str) -> str:
    """The side-by-side page of clauses ``a`` and ``b``."""
    return page_url("similar.compare", _external=True, a=a, b=b)


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
            permalink=views.permalink(link["id"]),
        )
        for link in _data().links.get(record_id, [])
    ]


def doc_similar(doc_id: str, record_ids: list[str]) -> list[dict]:
    """"Similar wording in …" for document ``doc_id``, given its clause ids: per other
    document, ``doc_id``, ``doc_title``, ``pairs`` (``[this clause, other clause]``),
    ``text`` (the longest shared passage) and ``url`` (the first pair side by side).
    Links inside the document show on its clauses only."""
    others: dict[str, dict] = {}
    links = _data().links
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
        dict(citer, url=views.permalink(citer["records"][0]) if citer["records"] else
             page_url("pages.doc", _external=True, doc_id=citer["doc_id"]))
        for citer in _data().citations["cited_by"].get(doc_id, [])
    ]


def cites(doc_id: str) -> list[dict]:
    """What ``doc_id`` cites: ``title``, ``number``, ``doc_id``/``doc_title`` of the cited
    document where it is in the corpus (then ``url`` is its page, else None), ``records``."""
    return [
        dict(entry, url=page_url("pages.doc", _external=True, doc_id=entry["doc_id"])
             if entry["doc_id"] else None)
        for entry in _data().citations["cites"].get(doc_id, [])
    ]


class TextError(ValueError):
    """A pasted text the feature refuses (empty or too long); ``key`` names the message."""

    def __init__(self, key: str):
        super().__init__(key)
        self.key = key


def _checked_text(text: str | None) -> str:
    """The pasted text, stripped; TextError when it is empty or too long."""
    text = (text or "").strip()
    if not text:
        raise TextError("empty")
    if len(text) > MAX_TEXT:
        raise TextError("too_long")
    return text


def paste_hits(text: str) -> list[dict]:
    """Clauses closest to the draft ``text``, best first, with permalinks (``url``)."""
    hits = similar.find_similar(text, _data().model, limit=LIMIT)
    return [dict(hit, url=views.permalink(hit["id"])) for hit in hits]


@bp.get("/api/similar")
def api_similar():
    """``{"hits": [{"id", "doc_id", "doc_title", "section", "text", "score", "shared",
    "url"}]}``; 400 ``{"error"}`` when ``text`` is empty or too long."""
    try:
        text = _checked_text(request.args.get("text"))
    except TextError as err:
        return jsonify({"error": _t()[err.key]}), 400
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
            error, status = _t()[err.key], 400
    json_url = page_url("similar.api_similar", text=raw) if hits is not None else None
    return render_template("similar.html", t=_t(), text=raw or "", hits=hits, error=error,
                           max_text=MAX_TEXT, state={}, json_url=json_url), status


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
    engine = views.serving()[1]
    a, b = engine.record(a_id), engine.record(b_id)
    if a is None or b is None:
        abort(404)
    link = next((lk for lk in _data().links.get(a_id, []) if lk["id"] == b_id), None)
    shared = link["shared"] if link else []
    return render_template(
        "similar_compare.html", t=_t(), a=a, b=b, score=link["score"] if link else None,
        a_pieces=similar.mark_segments(a["text"], [(p["a_start"], p["a_end"]) for p in shared]),
        b_pieces=similar.mark_segments(b["text"], [(p["b_start"], p["b_end"]) for p in shared]),
        diff=similar.diff_segments(a["text"], b["text"]),
        a_url=views.permalink(a_id), b_url=views.permalink(b_id), state={}, json_url=None,
    )
