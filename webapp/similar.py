"""Similar wording and cross-references on the website (issue 6).

``/similar`` (paste a draft: each paragraph's earlier wordings), ``/api/similar`` (the
same as JSON), ``/similar/report.csv`` and ``/similar/report`` (the report as CSV and as a
printable page), ``/similar/compare?a=…&b=…`` (two clauses side by side with the shared
passages highlighted and a diff), and the panels the document and record pages show:
:func:`similar_panel` ("Similar wording in …"), :func:`history_panel` (the same wording in
other years, issue 15) and :func:`cited_by`.

The links between clauses and the citation graph are computed at build time
(``similar.json`` in the build folder, see ``indexer.similar.write_links``); only a pasted
draft is matched at request time, against the build's shingle index
(``similar-index.npz``).
"""

from __future__ import annotations

import csv
import io
import logging
import threading
from functools import cached_property
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, g, jsonify, render_template, request

from indexer import similar
from webapp import views
from webapp.links import page_url
from webapp.params import valid_id

bp = Blueprint("similar", __name__)
log = logging.getLogger(__name__)

#: Longest draft checked (characters); a longer one is cut at a paragraph and the report
#: says so.
MAX_TEXT = similar.MAX_DRAFT
LINKS_FILE = "similar.json"
EXTENSION = "yearbook.similar"

#: This feature's interface strings (the site's message table is the web module's).
TEXTS = {
    "zh": {
        "title": "相似表述",
        "intro": f"粘贴草稿（可多段，每段一行，最多 {MAX_TEXT} 字、"
                 f"{similar.MAX_PARAGRAPHS} 段），逐段查找以往文件中最接近的表述。",
        "label": "草稿",
        "button": "逐段查找",
        "score": "相似度",
        "of_paragraph": "占本段",
        "of_clause": "占原条款",
        "exact": "数字不折算",
        "paragraph": "第 {n} 段",
        "no_hits": "本段没有找到以往的相同表述。",
        "truncated": "草稿过长：只检查了前 {paragraphs} 段（{chars} 字，共 {total} 字、"
                     "{total_paragraphs} 段）。",
        "csv": "导出 CSV",
        "print": "打印版",
        "report": "相似表述检查报告",
        "history": "历年表述",
        "first": "最早",
        "numbers": "数字变化",
        "this_clause": "本条",
        "preamble": "序言",
        "closing": "结尾",
        "diff": "逐字对照",
        "draft": "草稿",
        "none": f"没有找到相似的表述（草稿须有连续 {similar.K} 个字与某条款相同）。",
        "empty": "请粘贴一段文字。",
        "compare": "对照",
        "permalink": "永久链接",
    },
    "en": {
        "title": "Similar wording",
        "intro": f"Paste a draft (several paragraphs, one a line; at most {MAX_TEXT} "
                 f"characters and {similar.MAX_PARAGRAPHS} paragraphs) to find, paragraph by "
                 "paragraph, the closest wording in earlier documents.",
        "label": "Draft",
        "button": "Check each paragraph",
        "score": "Score",
        "of_paragraph": "of the paragraph",
        "of_clause": "of the clause",
        "exact": "numbers as printed",
        "paragraph": "Paragraph {n}",
        "no_hits": "No earlier wording found for this paragraph.",
        "truncated": "The draft is too long: only its first {paragraphs} paragraphs were "
                     "checked ({chars} of {total} characters, {total_paragraphs} paragraphs).",
        "csv": "Export CSV",
        "print": "Printable page",
        "report": "Similar-wording report",
        "history": "The same wording in other years",
        "first": "first",
        "numbers": "Revised numbers",
        "this_clause": "this clause",
        "preamble": "preamble",
        "closing": "closing",
        "diff": "Side-by-side diff",
        "draft": "Draft",
        "none": f"No similar wording found (a match needs {similar.K} characters in a row).",
        "empty": "Please paste some text.",
        "compare": "Compare",
        "permalink": "Permalink",
    },
}


class _BuildData:
    """What one build folder offers this feature: links, citations, the paste index."""

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
    def model(self) -> similar.Collection:
        """The shingle index of the clauses, read on the first paste (the build writes it;
        an older build without it gets one built, about 0.1 s per 300 clauses)."""
        path = Path(self.folder) / similar.INDEX_FILE
        if path.exists():
            return similar.load_collection(path, self._records)
        return similar.build_model(self._records)


_lock = threading.Lock()


def _data() -> _BuildData:
    """The data of the build this request reads, loaded once per build and app."""
    folder, engine = views.serving()
    data = current_app.extensions.get(EXTENSION)
    if data is None or data.folder != folder:
        with _lock:
            data = current_app.extensions.get(EXTENSION)
            if data is None or data.folder != folder:
                data = _BuildData(folder, engine.records())
                current_app.extensions[EXTENSION] = data  # only the live build is needed
    return data


def _t() -> dict:
    """The interface strings in the reader's language."""
    return TEXTS.get(g.get("lang"), TEXTS["zh"])


def compare_url(a: str, b: str) -> str:
    """The side-by-side page of clauses ``a`` and ``b``."""
    return page_url("similar.compare", _external=True, a=a, b=b)


def clause_label(record: dict) -> str:
    """How a panel names a clause: its section number and heading (``2.2 (二) 完善分类
    设施``); a preamble or closing paragraph by that word."""
    key = record.get("section_key") or ""
    if key in ("", "end"):
        return _t()["closing" if key == "end" else "preamble"]
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
            permalink=views.permalink(link["id"]),
        )
        for link in _data().links.get(record_id, [])
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
    engine = views.serving()[1]
    history = similar.history(record, _data().links.get(record["id"], []))
    entries = []
    for link in history["entries"]:
        other = engine.record(link["id"])
        if other is None:
            continue
        entries.append(dict(link, first=link["id"] == history["first"],
                            label=clause_label(link), url=views.permalink(link["id"]),
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
    engine = views.serving()[1]
    pairs = []
    links = _data().links
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
    """A pasted text the feature refuses (empty); ``key`` names the message."""

    def __init__(self, key: str):
        super().__init__(key)
        self.key = key


def _checked_text(text: str | None) -> str:
    """The pasted text, stripped; TextError when it is empty. A text over ``MAX_TEXT``
    is cut by the check, which says so."""
    text = (text or "").strip()
    if not text:
        raise TextError("empty")
    return text


def draft_report(text: str) -> dict:
    """The paragraph report of a draft (see ``indexer.similar.check_draft``), each hit
    with its permalink (``url``)."""
    report = similar.check_draft(text, _data().model)
    for paragraph in report["paragraphs"]:
        for hit in paragraph["hits"]:
            hit["url"] = views.permalink(hit["id"])
    return report


def _truncation_note(report: dict) -> str | None:
    """The sentence saying how much of a cut draft was checked, else None."""
    if not report["truncated"]:
        return None
    return _t()["truncated"].format(
        paragraphs=len(report["paragraphs"]), chars=report["checked_chars"],
        total=report["total_chars"], total_paragraphs=report["total_paragraphs"])


@bp.route("/api/similar", methods=["GET", "POST"])
def api_similar():
    """The paragraph report as JSON: ``{"paragraphs": [{"n", "start", "end", "text",
    "hits": [...]}], "truncated", "checked_chars", "total_chars", "total_paragraphs",
    "max_chars", "max_paragraphs"}`` (``text`` from the query or a form); 400 ``{"error"}``
    when it is empty."""
    try:
        text = _checked_text(request.values.get("text"))
    except TextError as err:
        return jsonify({"error": _t()[err.key]}), 400
    return jsonify(draft_report(text))


@bp.route("/similar", methods=["GET", "POST"])
def similar_page():
    """The paste form, and its report: per paragraph the earlier wordings with both
    scores, highlighted passages, permalink and diff."""
    raw = request.values.get("text")
    report, error, status = None, None, 200
    if raw is not None:
        try:
            report = _report_view(draft_report(_checked_text(raw)))
        except TextError as err:
            error, status = _t()[err.key], 400
    json_url = page_url("similar.api_similar", text=raw) if report and len(raw) < 1000 else None
    return render_template("similar.html", t=_t(), text=raw or "", report=report,
                           error=error, max_text=MAX_TEXT, state={},
                           json_url=json_url), status


def _report_view(report: dict) -> dict:
    """The report with each hit's clause text cut into highlighted pieces and the note on
    a cut draft (``note``)."""
    for paragraph in report["paragraphs"]:
        for hit in paragraph["hits"]:
            hit["pieces"] = similar.mark_segments(
                hit["text"], [(p["b_start"], p["b_end"]) for p in hit["shared"]])
            hit["label"] = clause_label(hit)
    return dict(report, note=_truncation_note(report))


@bp.route("/similar/report", methods=["GET", "POST"])
def report_page():
    """The paragraph report as a printable page (no form, no navigation)."""
    try:
        report = _report_view(draft_report(_checked_text(request.values.get("text"))))
    except TextError as err:
        return render_template("error.html", message=_t()[err.key], state={},
                               json_url=None), 400
    return render_template("similar_report.html", t=_t(), report=report)


#: Columns of the CSV export, one row per earlier wording of a paragraph.
CSV_COLUMNS = ("paragraph", "paragraph_text", "rank", "score", "clause_score", "exact_score",
               "exact_clause_score", "clause_id", "doc_title", "date", "yearbook", "section",
               "numbers", "url", "clause_text")


@bp.route("/similar/report.csv", methods=["GET", "POST"])
def report_csv():
    """The paragraph report as CSV (UTF-8 with a byte-order mark, for spreadsheets): a row
    per earlier wording, a row with empty hit columns for a paragraph without any, and a
    last row saying so when the draft was cut."""
    try:
        report = draft_report(_checked_text(request.values.get("text")))
    except TextError as err:
        return jsonify({"error": _t()[err.key]}), 400
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
    compared = similar.compare(a["text"], b["text"])
    return render_template(
        "similar_compare.html", t=_t(), a=a, b=b, score=link["score"] if link else None,
        exact_score=link.get("exact_score") if link else None,
        a_pieces=similar.mark_segments(a["text"], [(p["a_start"], p["a_end"]) for p in shared]),
        b_pieces=similar.mark_segments(b["text"], [(p["b_start"], p["b_end"]) for p in shared]),
        diff=compared["diff"], number_changes=compared["numbers"],
        a_url=views.permalink(a_id), b_url=views.permalink(b_id), state={}, json_url=None,
    )
