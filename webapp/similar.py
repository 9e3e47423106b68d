"""The similar-wording routes (blueprint ``similar``).

``/similar`` (paste a draft: each paragraph's earlier wordings), ``/api/similar`` (the same
as JSON, GET or POST), ``/similar/report.csv`` and ``/similar/report`` (the report as CSV
and as a printable page), ``/similar/compare?a=…&b=…`` (two clauses side by side with the
shared passages highlighted, the diff and the revised numbers). The panels the document
and record pages show are plain functions in webapp/related.py; only a pasted draft is
matched at request time, against the build's shingle index
(:func:`webapp.related.build_data`).
"""

from __future__ import annotations

import csv
import io

from flask import Blueprint, Response, abort, jsonify, render_template, request, url_for
from flask_babel import gettext

from indexer import similar
from webapp.engine import searcher
from webapp.links import permalink
from webapp.params import valid_id
from webapp.related import build_data, clause_label

bp = Blueprint("similar", __name__)

#: Longest draft checked (characters); a longer one is cut at a paragraph and the report
#: says so.
MAX_TEXT = similar.MAX_DRAFT
#: Columns of the CSV export, one row per earlier wording of a paragraph.
CSV_COLUMNS = ("paragraph", "paragraph_text", "rank", "score", "clause_score", "exact_score",
               "exact_clause_score", "clause_id", "doc_title", "date", "yearbook", "section",
               "numbers", "url", "clause_text")


class TextError(ValueError):
    """A pasted text the feature refuses (empty); ``message`` says why in the reader's
    language."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _checked_text(text: str | None) -> str:
    """The pasted text, stripped; TextError when it is empty. A text over ``MAX_TEXT``
    is cut by the check, which says so."""
    text = (text or "").strip()
    if not text:
        raise TextError(gettext("similar_empty"))
    return text


def draft_report(text: str) -> dict:
    """The paragraph report of a draft (see ``indexer.similar.check_draft``), each hit
    with its permalink (``url``)."""
    report = similar.check_draft(text, build_data().model)
    for paragraph in report["paragraphs"]:
        for hit in paragraph["hits"]:
            hit["url"] = permalink(hit["id"])
    return report


def _truncation_note(report: dict) -> str | None:
    """The sentence saying how much of a cut draft was checked, else None."""
    if not report["truncated"]:
        return None
    return gettext("similar_truncated", paragraphs=len(report["paragraphs"]),
                   chars=report["checked_chars"], total=report["total_chars"],
                   total_paragraphs=report["total_paragraphs"])


def _report_view(report: dict) -> dict:
    """The report with each hit's clause text cut into highlighted pieces, its label and
    the note on a cut draft (``note``)."""
    for paragraph in report["paragraphs"]:
        for hit in paragraph["hits"]:
            hit["pieces"] = similar.mark_segments(
                hit["text"], [(p["b_start"], p["b_end"]) for p in hit["shared"]])
            hit["label"] = clause_label(hit)
    return dict(report, note=_truncation_note(report))


@bp.route("/api/similar", methods=["GET", "POST"])
def api_similar():
    """The paragraph report as JSON: ``{"paragraphs": [{"n", "start", "end", "text",
    "hits": [...]}], "truncated", "checked_chars", "total_chars", "total_paragraphs",
    "max_chars", "max_paragraphs"}`` (``text`` from the query or a form); 400 ``{"error"}``
    when it is empty."""
    try:
        text = _checked_text(request.values.get("text"))
    except TextError as err:
        return jsonify({"error": err.message}), 400
    return jsonify(draft_report(text))


@bp.route("/similar", methods=["GET", "POST"])
def similar_page():
    """The paste form, and its report: per paragraph the earlier wordings with both
    scores, highlighted passages, revised numbers, permalink and diff."""
    raw = request.values.get("text")
    report, error, status = None, None, 200
    if raw is not None:
        try:
            report = _report_view(draft_report(_checked_text(raw)))
        except TextError as err:
            error, status = err.message, 400
    # a JSON twin in the address only for a short draft (an address has a length limit)
    json_url = url_for("similar.api_similar", text=raw) if report and len(raw) < 1000 else None
    return render_template("similar.html", text=raw or "", report=report, error=error,
                           max_text=MAX_TEXT, max_paragraphs=similar.MAX_PARAGRAPHS,
                           shingle=similar.K, state={}, json_url=json_url), status


@bp.route("/similar/report", methods=["GET", "POST"])
def report_page():
    """The paragraph report as a printable page (no form)."""
    try:
        report = _report_view(draft_report(_checked_text(request.values.get("text"))))
    except TextError as err:
        abort(400, err.message)
    return render_template("similar_report.html", report=report, state={}, json_url=None)


@bp.route("/similar/report.csv", methods=["GET", "POST"])
def report_csv():
    """The paragraph report as CSV (UTF-8 with a byte-order mark, for spreadsheets): a row
    per earlier wording, a row with empty hit columns for a paragraph without any, and a
    last row saying so when the draft was cut."""
    try:
        report = draft_report(_checked_text(request.values.get("text")))
    except TextError as err:
        return jsonify({"error": err.message}), 400
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.DictWriter(out, CSV_COLUMNS)
    writer.writeheader()
    for paragraph in report["paragraphs"]:
        row = {"paragraph": paragraph["n"], "paragraph_text": paragraph["text"]}
        if not paragraph["hits"]:
            writer.writerow(row)
        for rank, hit in enumerate(paragraph["hits"], 1):
            writer.writerow(dict(
                row, rank=rank, clause_id=hit["id"], doc_title=hit["doc_title"],
                date=hit.get("date") or "", yearbook=hit.get("yearbook") or "",
                section=" › ".join(hit.get("section") or []), url=hit["url"],
                clause_text=hit["text"], numbers=number_text(hit["numbers"]),
                **{key: hit[key] for key in ("score", "clause_score", "exact_score",
                                             "exact_clause_score")}))
    note = _truncation_note(report)
    if note:
        writer.writerow({"paragraph_text": note})
    return Response(out.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": "attachment; filename=similar-wording-report.csv"})


def number_text(changes: list[dict]) -> str:
    """Revised numbers as one line: ``20个 → 30个; 2019年 → 2020年``."""
    return "; ".join(f"{c['a'] or '—'} → {c['b'] or '—'}" for c in changes)


@bp.get("/similar/compare")
def compare():
    """Two clauses side by side: shared passages highlighted on both, the diff with
    revised numbers standing out, and both scores."""
    a_id, b_id = request.args.get("a", ""), request.args.get("b", "")
    if not (valid_id(a_id) and valid_id(b_id)):
        abort(404)
    engine = searcher()
    a, b = engine.record(a_id), engine.record(b_id)
    if a is None or b is None:
        abort(404)
    link = next((lk for lk in build_data().links.get(a_id, []) if lk["id"] == b_id), None)
    shared = link["shared"] if link else []
    compared = similar.compare(a["text"], b["text"])
    return render_template(
        "similar_compare.html", a=a, b=b, score=link["score"] if link else None,
        exact_score=link.get("exact_score") if link else None,
        a_pieces=similar.mark_segments(a["text"], [(p["a_start"], p["a_end"]) for p in shared]),
        b_pieces=similar.mark_segments(b["text"], [(p["b_start"], p["b_end"]) for p in shared]),
        diff=compared["diff"], number_changes=compared["numbers"],
        a_url=permalink(a_id), b_url=permalink(b_id), state={}, json_url=None,
    )
