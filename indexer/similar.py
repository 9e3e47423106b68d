"""Near-duplicate wording between clauses, and cross-references between documents (issue 6).

Matching works on a *normalised* view of each clause text: NFKC, case-folded, punctuation,
whitespace and control characters dropped, so ``，``/``,`` and a stray line-break space do
not hide a reused sentence. Every normalised character remembers the original character it
came from, so shared passages are reported as offsets into the original text.

Pipeline: ``K``-character shingles → inverted index shingle → clauses. Boilerplate shingles
(in more than ``MAX_DOCS`` documents or ``MAX_CLAUSES`` clauses: stock political phrases, a
document's recurring formula) seed nothing. A pair of clauses sharing a rare shingle is
extended to maximal common substrings and linked when one of them has at least
``MIN_PASSAGE`` novel (non-boilerplate) characters. Responsibility annotations
(``（责任单位：…，配合单位：…）``) and cited 《titles》 are masked before matching: office lists
are not wording, and citations are the cross-references' business.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import tempfile
import time
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from indexer.refs import is_doc_number

#: Shingle length in normalised characters: long enough that a shared shingle is rarely
#: chance (two-character words dominate Chinese), short enough to seed a 20-char passage.
K = 8
#: A link needs one shared passage with at least this many novel (non-boilerplate)
#: normalised characters, about half a sentence; shorter overlaps are set phrases.
MIN_PASSAGE = 20
#: Shingles found in more than this many documents are boilerplate and seed nothing.
MAX_DOCS = 3
#: Likewise shingles in more than this many clauses: a document's own recurring formula
#: (经区企业上市工作领导小组认定，给予… in every clause of the 凤凰行动 policy).
MAX_CLAUSES = 4
#: Once a pair is linked by a passage of ``MIN_PASSAGE``, shorter shared passages down to
#: this length are reported too (形成可复制、可推广的生活垃圾分类模式 next to the target).
MIN_SECONDARY = 10
#: Longest text ``find_similar`` accepts (characters), to bound the work per request.
MAX_QUERY = 5000
#: Separator put in place of a masked annotation: never equal to a text character.
_GAP = "\x00"

_ANNOTATION_START = re.compile(r"(?:责任|牵头|配合|主办|协办)单位\s*[:：]")
_TITLE = re.compile(r"《[^《》]*》")
_OPEN = "(（〔[［【"
_CLOSE = ")）〕]］】"


@dataclass
class Normalised:
    """A text's matching form: ``chars`` plus, per character, its offset in the original."""

    text: str
    chars: str
    origin: list[int] = field(repr=False)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original ``[start, end)`` covering normalised characters ``start..end-1``."""
        return self.origin[start], self.origin[end - 1] + 1


def _masked_spans(text: str) -> list[tuple[int, int]]:
    """Spans left out of matching, in order: responsibility annotations and cited titles.

    An annotation runs from the bracket before 责任单位/牵头单位: to its matching bracket,
    or, without an opening bracket, to the end of the text (the corpus has
    ``牵头单位:〔…〕`` as a clause's last words). A 《title》 is a citation, handled by the
    cross-references, not reused wording.
    """
    spans = [m.span() for m in _TITLE.finditer(text)]
    annotation_end = 0
    for m in _ANNOTATION_START.finditer(text):
        if m.start() < annotation_end:
            continue  # 配合单位 inside the 责任单位 annotation
        start = m.start()
        bracketed = start > 0 and text[start - 1] in _OPEN
        if bracketed:
            start -= 1
        annotation_end = _matching_close(text, start) if bracketed else len(text)
        spans.append((start, annotation_end))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:  # a title inside an annotation
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _matching_close(text: str, open_at: int) -> int:
    """Offset just past the bracket closing the one at ``open_at`` (nesting-aware)."""
    depth = 0
    for i in range(open_at, len(text)):
        if text[i] in _OPEN:
            depth += 1
        elif text[i] in _CLOSE:
            depth -= 1
            if depth == 0:
                return i + 1
    return len(text)


def _keep(ch: str) -> bool:
    """Whether a normalised character takes part in matching: not punctuation, space or
    control (letters, digits and symbols such as ＋ in 旅游＋ do)."""
    return unicodedata.category(ch)[0] not in "PZC"


def normalise(text: str) -> Normalised:
    """Matching form of ``text``: NFKC, case-folded, punctuation/space dropped, annotations
    replaced by a gap so that no shared passage runs across them."""
    chars: list[str] = []
    origin: list[int] = []
    masks = iter(_masked_spans(text))
    mask = next(masks, None)
    i = 0
    while i < len(text):
        if mask and i == mask[0]:
            chars.append(_GAP)
            origin.append(i)
            i = mask[1]
            mask = next(masks, None)
            continue
        for ch in unicodedata.normalize("NFKC", text[i]).casefold():
            if _keep(ch):
                chars.append(ch)
                origin.append(i)
        i += 1
    return Normalised(text, "".join(chars), origin)


def shingles(chars: str, k: int = K) -> dict[str, list[int]]:
    """Positions of each ``k``-character shingle of ``chars`` (none spanning a gap)."""
    out: dict[str, list[int]] = defaultdict(list)
    for i in range(len(chars) - k + 1):
        s = chars[i : i + k]
        if _GAP not in s:
            out[s].append(i)
    return out


def _extend(a: str, b: str, i: int, j: int, k: int) -> tuple[int, int, int]:
    """Grow the seed ``a[i:i+k] == b[j:j+k]`` to a maximal common substring."""
    while i > 0 and j > 0 and a[i - 1] == b[j - 1] and a[i - 1] != _GAP:
        i, j, k = i - 1, j - 1, k + 1
    while i + k < len(a) and j + k < len(b) and a[i + k] == b[j + k] and a[i + k] != _GAP:
        k += 1
    return i, j, k


def common_passages(
    a: Normalised,
    b: Normalised,
    *,
    ignore: set[str] | frozenset = frozenset(),
    min_len: int = MIN_PASSAGE,
    k: int = K,
) -> list[dict]:
    """Maximal shared passages of two texts, longest first, not overlapping on either side.

    Seeds are shared shingles not in ``ignore``; each seed is extended to a maximal common
    substring, so a passage may run on through boilerplate. A passage is kept when its
    *novel* characters (those not inside an ``ignore`` shingle of ``a``) number at least
    ``min_len``: 以习近平新时代中国特色社会主义思想为指导 is twenty characters but only 以 and
    为指导 are novel. Each passage: ``text`` (as printed in ``a``), ``a_start``, ``a_end``,
    ``b_start``, ``b_end`` (offsets into the original texts), ``length`` and ``novel``
    (normalised characters).
    """
    b_index = shingles(b.chars, k)
    found: dict[tuple[int, int], int] = {}
    covered: set[tuple[int, int]] = set()  # seeds already inside an extended match
    for i in range(len(a.chars) - k + 1):
        s = a.chars[i : i + k]
        if s in ignore or s not in b_index:
            continue
        for j in b_index[s]:
            if (i, j) in covered:
                continue
            i0, j0, n = _extend(a.chars, b.chars, i, j, k)
            found[(i0, j0)] = n
            covered.update((i0 + t, j0 + t) for t in range(n - k + 1))
    stock = _boilerplate_mask(a.chars, ignore, k)
    passages = []
    for i, j, n in _select(found):
        novel = n - sum(stock[i : i + n])
        if novel >= min_len:
            passages.append({**_passage(a, b, i, j, n), "novel": novel})
    return passages


def _boilerplate_mask(chars: str, ignore: set[str] | frozenset, k: int) -> list[bool]:
    """Per character of ``chars``: whether it lies inside an ``ignore`` shingle."""
    mask = [False] * len(chars)
    if ignore:
        for i in range(len(chars) - k + 1):
            if chars[i : i + k] in ignore:
                mask[i : i + k] = [True] * k
    return mask


def _select(found: dict[tuple[int, int], int]) -> list[tuple[int, int, int]]:
    """Longest matches first, skipping any that overlap a chosen one in ``a`` or ``b``."""
    chosen: list[tuple[int, int, int]] = []
    for (i, j), n in sorted(found.items(), key=lambda kv: (-kv[1], kv[0])):
        if all(i + n <= ci or ci + cn <= i for ci, _, cn in chosen) and all(
            j + n <= cj or cj + cn <= j for _, cj, cn in chosen
        ):
            chosen.append((i, j, n))
    return chosen


def _passage(a: Normalised, b: Normalised, i: int, j: int, n: int) -> dict:
    """A shared passage as offsets into both original texts."""
    a_start, a_end = a.span(i, i + n)
    b_start, b_end = b.span(j, j + n)
    return {
        "text": a.text[a_start:a_end],
        "a_start": a_start,
        "a_end": a_end,
        "b_start": b_start,
        "b_end": b_end,
        "length": n,
    }


@dataclass
class SimilarityModel:
    """Clause texts in matching form with an inverted index of their shingles."""

    records: list[dict]
    norms: list[Normalised]
    postings: dict[str, set[int]]
    common: frozenset[str]


def build_model(
    records: list[dict], *, max_docs: int = MAX_DOCS, max_clauses: int = MAX_CLAUSES, k: int = K
) -> SimilarityModel:
    """Index the clauses among ``records`` (awards and list entries are names, not wording).

    A shingle occurring in more than ``max_docs`` documents or ``max_clauses`` clauses goes
    into ``common``.
    """
    clauses = [r for r in records if r.get("kind", "clause") == "clause"]
    norms = [normalise(r["text"]) for r in clauses]
    postings: dict[str, set[int]] = defaultdict(set)
    docs: dict[str, set[str]] = defaultdict(set)
    for n, (rec, norm) in enumerate(zip(clauses, norms, strict=True)):
        for s in shingles(norm.chars, k):
            postings[s].add(n)
            docs[s].add(rec["doc_id"])
    common = frozenset(
        s for s, d in docs.items() if len(d) > max_docs or len(postings[s]) > max_clauses
    )
    return SimilarityModel(clauses, norms, dict(postings), common)


def _length(norm: Normalised) -> int:
    """Matching length of a text: normalised characters, gaps not counted."""
    return len(norm.chars) - norm.chars.count(_GAP)


def _candidate_pairs(model: SimilarityModel) -> set[tuple[int, int]]:
    """Pairs of different clauses sharing at least one rare shingle."""
    pairs = set()
    for s, ids in model.postings.items():
        if len(ids) > 1 and s not in model.common:
            ordered = sorted(ids)
            pairs.update((x, y) for n, x in enumerate(ordered) for y in ordered[n + 1 :])
    return pairs


def _link(rec: dict, score: float, shared: list[dict]) -> dict:
    """A link to ``rec`` as stored per clause (``shared`` offsets: a = this clause, b = rec)."""
    return {
        "id": rec["id"],
        "doc_id": rec["doc_id"],
        "doc_title": rec["doc_title"],
        "section": rec.get("section", []),
        "score": score,
        "shared": shared,
    }


def _swap(passage: dict, b_text: str) -> dict:
    """The same passage seen from the other clause."""
    return {
        "text": b_text[passage["b_start"] : passage["b_end"]],
        "a_start": passage["b_start"],
        "a_end": passage["b_end"],
        "b_start": passage["a_start"],
        "b_end": passage["a_end"],
    }


def _offsets(passage: dict) -> dict:
    """A passage without the internal ``length``."""
    return {key: passage[key] for key in ("text", "a_start", "a_end", "b_start", "b_end")}


def build_links(
    records: list[dict], *, min_passage: int = MIN_PASSAGE, max_docs: int = MAX_DOCS
) -> dict[str, list[dict]]:
    """For each clause id, the other clauses sharing a passage with it, best first.

    Links join different clauses, also within one document (a plan restating its own goal
    is reuse an editor wants to see). Score: shared normalised characters divided by the
    shorter clause's length (1.0 = one clause is wholly inside the other).
    """
    model = build_model(records, max_docs=max_docs)
    links: dict[str, list[dict]] = defaultdict(list)
    for x, y in _candidate_pairs(model):
        a, b = model.norms[x], model.norms[y]
        passages = common_passages(a, b, ignore=model.common, min_len=MIN_SECONDARY)
        if not passages or max(p["novel"] for p in passages) < min_passage:
            continue
        shared = sum(p["length"] for p in passages)
        score = round(shared / max(1, min(_length(a), _length(b))), 3)
        ra, rb = model.records[x], model.records[y]
        links[ra["id"]].append(_link(rb, score, [_offsets(p) for p in passages]))
        links[rb["id"]].append(_link(ra, score, [_swap(p, b.text) for p in passages]))
    return {rid: sorted(ls, key=lambda lk: (-lk["score"], lk["id"])) for rid, ls in links.items()}


def link_pairs(links: dict[str, list[dict]]) -> int:
    """Number of linked clause pairs (each pair is stored under both clauses)."""
    return sum(len(ls) for ls in links.values()) // 2


def find_similar(
    text: str, records_or_model: list[dict] | SimilarityModel, limit: int = 10
) -> list[dict]:
    """Clauses closest to a pasted draft, best first.

    Score: the share of the draft's normalised characters found in the clause (so the clause
    a draft was copied from scores near 1.0 even if a few words changed); ties go to the
    clause with less extra text. Shared offsets: a = the draft, b = the clause.
    """
    if len(text) > MAX_QUERY:
        raise ValueError(f"text longer than {MAX_QUERY} characters")
    model = (
        records_or_model
        if isinstance(records_or_model, SimilarityModel)
        else build_model(records_or_model)
    )
    query = normalise(text)
    hits = []
    for n in _query_candidates(query, model):
        norm = model.norms[n]
        passages = common_passages(query, norm, min_len=K)
        if not passages:
            continue
        shared = sum(p["length"] for p in passages)
        coverage = shared / max(1, _length(query))
        dice = 2 * shared / (_length(query) + _length(norm))
        hit = _link(model.records[n], round(coverage, 3), [_offsets(p) for p in passages])
        hit["text"] = norm.text
        hits.append((coverage, dice, hit))
    hits.sort(key=lambda h: (-h[0], -h[1], h[2]["id"]))
    return [h for _, _, h in hits[:limit]]


def _query_candidates(query: Normalised, model: SimilarityModel, top: int = 50) -> list[int]:
    """Clauses sharing the most shingles with the draft (at most ``top``)."""
    counts: dict[int, int] = defaultdict(int)
    for s in shingles(query.chars):
        for n in model.postings.get(s, ()):
            counts[n] += 1
    return sorted(counts, key=lambda n: (-counts[n], n))[:top]


def diff_segments(a: str, b: str) -> dict[str, list[dict]]:
    """Side-by-side character diff of two texts for display.

    Returns ``{"a": [...], "b": [...]}``, each a list of ``{"op", "text"}`` covering its text
    in order: ``equal`` on both sides, ``delete`` only on a's side, ``insert`` only on b's.
    Characters compare in NFKC form, so ``，`` and ``,`` are equal; equal runs shorter than
    three characters between two changes are folded into the change, which keeps a
    rewritten phrase in one piece instead of a confetti of one-character matches.
    """
    keys_a = [unicodedata.normalize("NFKC", ch) for ch in a]
    keys_b = [unicodedata.normalize("NFKC", ch) for ch in b]
    matcher = difflib.SequenceMatcher(None, keys_a, keys_b, autojunk=False)
    ops = _fold_short_equals(matcher.get_opcodes())
    out: dict[str, list[dict]] = {"a": [], "b": []}
    for tag, i1, i2, j1, j2 in ops:
        if tag == "equal":
            _append(out["a"], "equal", a[i1:i2])
            _append(out["b"], "equal", b[j1:j2])
        else:
            _append(out["a"], "delete", a[i1:i2])
            _append(out["b"], "insert", b[j1:j2])
    return out


def _fold_short_equals(opcodes: list[tuple]) -> list[tuple]:
    """Merge equal runs shorter than 3 characters that sit between changes into them."""
    out: list[tuple] = []
    for n, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        inner = 0 < n < len(opcodes) - 1
        if tag == "equal" and inner and i2 - i1 < 3:
            tag = "replace"
        if out and tag != "equal" and out[-1][0] != "equal":
            _, pi1, _, pj1, _ = out.pop()
            out.append(("replace", pi1, i2, pj1, j2))
        else:
            out.append((tag, i1, i2, j1, j2))
    return out


def _append(side: list[dict], op: str, text: str) -> None:
    """Add a segment, skipping empty text and joining it to a previous one of the same op."""
    if not text:
        return
    if side and side[-1]["op"] == op:
        side[-1]["text"] += text
    else:
        side.append({"op": op, "text": text})


def mark_segments(text: str, spans: list[tuple[int, int]]) -> list[dict]:
    """Split ``text`` into ``{"text", "shared"}`` pieces, ``shared`` inside any of ``spans``.

    For templates: shared passages highlighted without putting markup into the data.
    """
    pieces: list[dict] = []
    pos = 0
    for start, end in sorted(spans):
        start = max(start, pos)
        if start >= end:
            continue
        if start > pos:
            pieces.append({"text": text[pos:start], "shared": False})
        pieces.append({"text": text[start:end], "shared": True})
        pos = end
    if pos < len(text):
        pieces.append({"text": text[pos:], "shared": False})
    return pieces


def normalise_title(title: str) -> str:
    """Matching form of a document title: NFKC, letters and digits only, case-folded.

    A cited 《上城区拥江发展四年行动计划（2018—2021年）》 then equals the printed title
    ``上城区拥江发展四年行动计划(2018—2021年)``, and a stray line-break space does not matter.
    """
    return "".join(ch for ch in unicodedata.normalize("NFKC", title).casefold() if _keep(ch))


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


def write_links(records: list[dict], path: Path, docs: list[dict] | None = None) -> dict:
    """Compute the links (and, given ``docs``, the citation graph) and write them as JSON.

    Written to a temporary file and renamed, so a reader never sees half a file. Returns
    ``{"pairs", "linked_clauses", "seconds"}`` for the build log.
    """
    started = time.perf_counter()
    links = build_links(records)
    data = {
        "version": 1,
        "params": {
            "k": K,
            "min_passage": MIN_PASSAGE,
            "min_secondary": MIN_SECONDARY,
            "max_docs": MAX_DOCS,
            "max_clauses": MAX_CLAUSES,
        },
        "pairs": link_pairs(links),
        "links": links,
        "citations": citation_graph(docs, records) if docs is not None else None,
    }
    path = Path(path)
    with tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", dir=path.parent, suffix=".tmp", delete=False
    ) as out:
        json.dump(data, out, ensure_ascii=False)
    os.replace(out.name, path)
    return {"pairs": data["pairs"], "linked_clauses": len(links),
            "seconds": round(time.perf_counter() - started, 3)}


def load_links(path: Path) -> dict:
    """Read ``similar.json``: ``{"version", "params", "pairs", "links", "citations"}``."""
    return json.loads(Path(path).read_text(encoding="utf-8"))
