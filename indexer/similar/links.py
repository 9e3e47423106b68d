"""Links between clauses that share wording, kept up to date as yearbooks are added.

A :class:`Collection` holds the clauses in matching form and their :class:`ShingleIndex`.
A pair of clauses sharing a rare shingle of their *folded* forms (numbers collapsed) is
extended to maximal common passages and linked when one passage has at least
``MIN_PASSAGE`` novel (non-boilerplate) characters; so a sentence whose years and targets
were revised still links. Each link reports both scores: ``score`` on the folded forms
and ``exact_score`` on the texts as printed.

Adding a yearbook compares only its clauses, through the index, with the collection; links
between older clauses are re-judged only where a shingle they share has just become
boilerplate.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from indexer.similar.passages import K, common_passages, shared_length
from indexer.similar.shingles import (
    MAX_CLAUSES,
    MAX_DOCS,
    ShingleIndex,
    load_stock_phrases,
    stock_hashes,
)
from indexer.similar.text import Normalised, matching_chars, normalise

#: A link needs one shared passage with at least this many novel (non-boilerplate)
#: normalised characters, about half a sentence; shorter overlaps are set phrases.
MIN_PASSAGE = 20
#: Once a pair is linked by a passage of ``MIN_PASSAGE``, shorter shared passages down to
#: this length are reported too (a reordered list item, a kept half-sentence).
MIN_SECONDARY = 10
#: A short clause is linked when novel shared passages cover this share of it.
SHORT_COVER = 0.5
#: Fields of a clause record a link repeats, so panels need no second look-up.
LINK_FIELDS = ("id", "doc_id", "doc_title", "section", "section_key", "yearbook", "year",
               "date")


class Collection:
    """The clauses of a collection in matching form, their shingle index and links."""

    def __init__(self, index: ShingleIndex | None = None, records: list[dict] | None = None):
        """A collection over ``index`` (empty by default) whose clause ``n`` is
        ``records[n]``."""
        self.index = index or ShingleIndex()
        self.records: list[dict] = list(records or [])
        self.number = {r["id"]: n for n, r in enumerate(self.records)}
        self._docs: dict[str, int] = {}
        for n, rec in enumerate(self.records):
            self._docs.setdefault(rec["doc_id"], int(self.index.docs[n]))
        self._forms: dict[tuple[str, bool], Normalised] = {}
        self.links: dict[str, dict[str, dict]] = defaultdict(dict)

    def form(self, text: str, folded: bool = True) -> Normalised:
        """The matching form of ``text`` (cached: reprinted clauses share it)."""
        key = (text, folded)
        if key not in self._forms:
            self._forms[key] = normalise(text, fold_numbers=folded)
        return self._forms[key]

    def add(self, records: list[dict], link: bool = True) -> dict:
        """Add the clauses among ``records`` (awards and list entries are names, not
        wording) and, unless ``link`` is false (an index for pasted drafts only), link
        them. Returns ``{"clauses", "pairs_checked", "rechecked"}``."""
        clauses = [r for r in records if r.get("kind", "clause") == "clause"
                   and r["id"] not in self.number]
        for rec in clauses:
            self._docs.setdefault(rec["doc_id"], len(self._docs))
        clauses.sort(key=lambda r: (int(r.get("year") or 0), self._docs[r["doc_id"]]))
        first = len(self.records)
        for rec in clauses:
            self.number[rec["id"]] = len(self.records)
            self.records.append(rec)
        hashes, newly_common = self.index.add(
            [matching_chars(r["text"], fold_numbers=True) for r in clauses],
            [int(r.get("year") or 0) for r in clauses],
            [self._docs[r["doc_id"]] for r in clauses],
        )
        if not link:
            return {"clauses": len(clauses), "pairs_checked": 0, "rechecked": 0}
        pairs = (self.index.candidate_pairs(hashes, set(range(first, len(self.records))))
                 if first else self.index.candidate_pairs())
        rechecked = self._links_through(newly_common) if first and len(newly_common) else set()
        for x, y in pairs | rechecked:
            self._judge(x, y)
        return {"clauses": len(clauses), "pairs_checked": len(pairs | rechecked),
                "rechecked": len(rechecked)}

    def _links_through(self, hashes: np.ndarray) -> set[tuple[int, int]]:
        """Existing links of the clauses holding any of ``hashes`` (to judge again)."""
        pairs = set()
        for x in self.index.clauses_holding(hashes).tolist():
            for other in self.links.get(self.records[x]["id"], {}):
                y = self.number[other]
                pairs.add((min(x, y), max(x, y)))
        return pairs

    def _judge(self, x: int, y: int) -> None:
        """Link clauses ``x`` and ``y`` if they share a long enough passage, else unlink."""
        ra, rb = self.records[x], self.records[y]
        a, b = self.form(ra["text"]), self.form(rb["text"])
        passages = common_passages(a, b, stock=self.index.common_mask(a.chars),
                                   min_len=MIN_SECONDARY)
        if not _enough(passages, min(a.length, b.length)):
            self.links[ra["id"]].pop(rb["id"], None)
            self.links[rb["id"]].pop(ra["id"], None)
            return
        score = round(shared_length(passages) / max(1, min(a.length, b.length)), 3)
        exact = exact_score(self.form(ra["text"], False), self.form(rb["text"], False))
        self.links[ra["id"]][rb["id"]] = _link(rb, score, exact, [_offsets(p) for p in passages])
        self.links[rb["id"]][ra["id"]] = _link(ra, score, exact,
                                               [_swap(p, rb["text"]) for p in passages])

    def link_lists(self) -> dict[str, list[dict]]:
        """For each linked clause id, its links best first."""
        return {rid: sorted(ls.values(), key=lambda lk: (-lk["score"], lk["id"]))
                for rid, ls in sorted(self.links.items()) if ls}


def _enough(passages: list[dict], shorter: int) -> bool:
    """Whether shared passages make a link: one of ``MIN_PASSAGE`` novel characters, or,
    for a short clause revised inside a sentence (新增公共停车泊位1500个，缓解居民小区和医院…
    → 2500个，缓解居民小区、医院和学校…), novel passages covering ``SHORT_COVER`` of it."""
    novel = [p["novel"] for p in passages]
    return bool(novel) and (max(novel) >= MIN_PASSAGE or sum(novel) >= SHORT_COVER * shorter)


def exact_score(a: Normalised, b: Normalised) -> float:
    """Shared characters of the texts as printed (numbers not folded) ÷ the shorter."""
    if a.chars == b.chars:
        return 1.0
    passages = common_passages(a, b, min_len=MIN_SECONDARY)
    return round(shared_length(passages) / max(1, min(a.length, b.length)), 3)


def _link(rec: dict, score: float, exact: float, shared: list[dict]) -> dict:
    """A link to ``rec`` as stored per clause (``shared`` offsets: a = this clause, b = rec)."""
    return {**{key: rec.get(key) for key in LINK_FIELDS}, "section": rec.get("section", []),
            "score": score, "exact_score": exact, "shared": shared}


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
    """A passage without the internal ``length`` and ``novel``."""
    return {key: passage[key] for key in ("text", "a_start", "a_end", "b_start", "b_end")}


def build_links(records: list[dict], *, stock: list[str] | None = None, max_docs: int = MAX_DOCS,
                max_clauses: int = MAX_CLAUSES, k: int = K) -> dict[str, list[dict]]:
    """For each clause id, the other clauses sharing a passage with it, best first.

    Links join different clauses, also within one document (a plan restating its own goal
    is reuse an editor wants to see). ``score``: shared normalised characters (numbers
    folded) divided by the shorter clause's length (1.0 = one clause is wholly inside the
    other); ``exact_score`` the same on the printed digits. ``stock``: phrases that are
    always boilerplate (default: the reviewed ``corpus/stock_phrases.tsv``).
    """
    if stock is None:
        stock = load_stock_phrases()

    index = ShingleIndex(stock_hashes(stock, k), max_docs=max_docs, max_clauses=max_clauses,
                         k=k)
    collection = Collection(index)
    collection.add(records)
    return collection.link_lists()


def link_pairs(links: dict[str, list[dict]]) -> int:
    """Number of linked clause pairs (each pair is stored under both clauses)."""
    return sum(len(ls) for ls in links.values()) // 2


def _when(link: dict) -> tuple:
    """Sort key of a wording in time: date (or year), then id."""
    return (link.get("date") or str(link.get("year") or ""), link["id"])


def history(record: dict, links: list[dict]) -> dict:
    """The same wording in other years, oldest first, for clause ``record``.

    ``links``: the clause's links. Returns ``{"entries": [...], "first": id}``: entries
    are the links to clauses of other years (same keys as a link) and ``first`` the id of
    the oldest wording among them and the clause itself.
    """
    entries = sorted((lk for lk in links if lk.get("year") != record.get("year")), key=_when)
    oldest = min([*entries, {k: record.get(k) for k in LINK_FIELDS}], key=_when)
    return {"entries": entries, "first": oldest["id"]}
