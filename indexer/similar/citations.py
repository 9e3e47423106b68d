"""Cross-references between documents: which document cites which, resolved in the corpus."""

from __future__ import annotations

from collections import defaultdict

from indexer.refs import is_doc_number
from indexer.similar.text import normalise_title


def _cite_entry(title: str | None, number: str | None, target: dict | None) -> dict:
    """One cited document as listed on the citing document's page."""
    return {
        "title": title,
        "number": number,
        "doc_id": target["id"] if target else None,
        "doc_title": target["title"] if target else None,
        "records": [],
    }


def citation_graph(docs: list[dict], records: list[dict]) -> dict[str, dict[str, list[dict]]]:
    """Which documents cite which, resolved to documents of the corpus where possible.

    ``cites[doc_id]``: ``{"title", "number", "doc_id", "doc_title", "records"}`` per cited
    document (``doc_id``/``doc_title`` of the corpus document the title names, else None;
    ``records``: ids of the clauses citing it), from the document's ``cites`` and its
    clauses' ``refs``. ``cited_by[doc_id]``: ``{"doc_id", "doc_title", "records"}`` per
    citing document. A document naming itself (特制订《…》) is not a citation.
    """
    by_title = {normalise_title(d["title"]): d for d in docs}
    cites: dict[str, list[dict]] = {}
    for doc in docs:
        entries = []
        for cited in doc.get("cites", []):
            target = by_title.get(normalise_title(cited["title"] or ""))
            entries.append(_cite_entry(cited["title"], cited["number"], target))
        cites[doc["id"]] = entries
    for rec in records:
        if rec.get("kind", "clause") != "clause":
            continue  # an award's 《title》 names a work (a film, a newspaper), not a policy
        entries = cites.setdefault(rec["doc_id"], [])
        for ref in rec.get("refs", []):
            _attach(entries, ref, rec["id"], by_title)
    cited_by: dict[str, list[dict]] = defaultdict(list)
    for doc_id, entries in cites.items():
        entries[:] = [e for e in entries if e["doc_id"] != doc_id]
        for entry in entries:
            if entry["doc_id"]:
                _add_citer(cited_by[entry["doc_id"]], doc_id, docs, entry["records"])
    return {"cites": cites, "cited_by": dict(cited_by)}


def _attach(entries: list[dict], ref: str, record_id: str, by_title: dict) -> None:
    """Record that clause ``record_id`` cites ``ref`` (a title or a normalised number)."""
    key = normalise_title(ref)
    for entry in entries:
        if ref == entry["number"] or key == normalise_title(entry["title"] or ""):
            break
    else:
        is_number = is_doc_number(ref)
        target = None if is_number else by_title.get(key)
        entry = _cite_entry(None if is_number else ref, ref if is_number else None, target)
        entries.append(entry)
    if record_id not in entry["records"]:
        entry["records"].append(record_id)


def _add_citer(citers: list[dict], doc_id: str, docs: list[dict], record_ids: list[str]) -> None:
    """Add (or extend) the citing document ``doc_id`` in a cited document's list."""
    for citer in citers:
        if citer["doc_id"] == doc_id:
            citer["records"] += [r for r in record_ids if r not in citer["records"]]
            return
    title = next((d["title"] for d in docs if d["id"] == doc_id), doc_id)
    citers.append({"doc_id": doc_id, "doc_title": title, "records": list(record_ids)})
