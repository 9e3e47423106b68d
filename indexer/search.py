"""Search over a built index folder: the one entry point the web app calls.

Query language (parsed here by a small tokenizer, never by Whoosh's QueryParser):

* ``送教 上门`` — words; all must match (in the text, or in the document title / section
  headings), best first. Each word is cut by jieba like the index; each of its tokens
  must occur (spaces ignored), whether or not jieba cut the record's text the same way.
* ``"生活垃圾分类"`` — exact phrase: exactly the records whose normalised text contains the
  normalised phrase (NFKC, Traditional→Simplified, case folded).
* ``a OR b`` — either; ``-word`` / ``-"phrase"`` — exclude.
* ``doc:`` ``office:`` ``year:`` ``kind:`` ``ref:`` — filters (also passed as parameters).
* Empty query — browse in document order (with or without filters).

When no record has all the words, the best partial matches are returned and
``interpretation["fallback"]`` says so. Latin words unknown to the index are OR-expanded
with Chinese terms from :mod:`indexer.bilingual` (when that module is present).

Ranking: BM25F over text, section headings and document title (weights
:data:`WORD_FIELDS`), with document frequencies from the jieba word index; plus the
frequency of each phrase, of each multi-token word as a whole (proximity) and of bilingual
expansions; plus a large boost, through the index's ``names`` field, for a record whose
name, title or honour is exactly the query.
"""

import html
import json
import math
import os
import re
import threading
import time
import unicodedata
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from itertools import accumulate, chain
from pathlib import Path

from whoosh import index, scoring
from whoosh import query as wq

from indexer import VAR_DIR, bilingual
from indexer.analysis import (
    exact_key,
    normalise,
    normalise_with_offsets,
    query_chars,
    query_words,
    span_to_original,
)
from indexer.build import INDEX_LINK
from indexer.refs import ref_key

MAX_QUERY_CHARS = 1000
MAX_PAGE_SIZE = 100
#: Bounds on ``drop_expansions``: a query has a handful of expansions, each a short term.
MAX_DROPPED = 20
MAX_DROPPED_CHARS = 100
FILTER_FIELDS = ("doc", "office", "year", "kind", "ref")
FACET_FIELDS = ("doc", "year", "office", "kind")
KIND_LABELS = {"clause": "政策条文", "award": "获奖记录", "list": "荣誉名单"}
SORTS = ("relevance", "date", "seq")
#: Boosts: a whole-name match beats everything; proximity and expansions are secondary.
NAME_BOOST = 30.0
PROXIMITY_BOOST = 2.0
EXPANSION_BOOST = 0.3
#: Texts up to this length are shown whole; longer ones as snippets around the matches.
SNIPPET_FULL = 200
SNIPPET_CONTEXT = 40
SNIPPET_MAX = 3
_QUOTES = str.maketrans({"“": '"', "”": '"', "＂": '"', "「": '"', "」": '"'})
_TOKEN_RE = re.compile(r'(-?)"([^"]*)"|(")|([^\s"]+)')
#: Unicode categories of control, format, surrogate, private-use and unassigned characters.
_INVALID = ("Cc", "Cf", "Cs", "Co", "Cn")


#: English text of each :class:`QueryError` key. The web app translates the keys
#: (``qerr_<key>`` in webapp/i18n.py) and fills in the same parameters.
QUERY_ERRORS = {
    "query_too_long": "The query is too long ({n} characters; the limit is {max}).",
    "bad_page": "page must be a whole number ≥ 1 (got {value!r}).",
    "bad_size": "size must be between 1 and {max} (got {value!r}).",
    "bad_sort": "sort must be one of {choices} (got {value!r}).",
    "unknown_doc": "Unknown document {value!r}: use a document id or part of a title.",
    "bad_year": "year must be a number such as 2018 (got {value!r}).",
    "no_year": "No records from year {value}.",
    "unknown_office": "Unknown office {value!r}.",
    "bad_kind": "kind must be one of {choices} (got {value!r}).",
    "empty_ref": "ref: needs a document number or title.",
    "bad_drop": "drop_expansions must be a list of terms (got {value}).",
    "drop_too_many": "At most {max} expansions can be dropped (got {n}).",
    "drop_too_long": "A dropped expansion has at most {max} characters (got {n}).",
}

#: English text of each reason a part of the query was ignored (``ignored[i]["key"]``).
IGNORED_REASONS = {
    "control_chars": "control or invalid characters removed",
    "negated_filter": "filters cannot be negated",
    "empty_filter": "empty filter: write {field}:value",
    "unmatched_quote": "unmatched quote",
    "redundant_and": "all words must match already",
    "lonely_or": "OR needs a word on both sides",
    "empty_phrase": "no searchable characters in the phrase",
    "unsearchable": "no searchable characters",
    "not_an_expansion": "not an expansion of this query: nothing to drop",
    "pinyin_held_back": "also the pinyin of too many characters, so not expanded: "
                        "add a tone ({word}1) or write the whole word",
}

#: English text of each ``interpretation["message_key"]``.
MESSAGES = {
    "fallback": "No record contains all of {terms}; showing the best partial matches.",
    "browse": "Browsing in document order.",
    "nothing": "Nothing searchable in the query: see the ignored parts.",
}


class QueryError(ValueError):
    """A query or parameter the search cannot honour.

    ``key`` (one of :data:`QUERY_ERRORS`) and ``params`` let the caller word the message
    in the reader's language; ``str(err)`` is the English message, for logs and scripts.
    """

    def __init__(self, key: str, **params: object):
        """Record the message key and its parameters; the English text is the message."""
        super().__init__(QUERY_ERRORS[key].format(**params))
        self.key = key
        self.params = params


# --------------------------------------------------------------------------- query parsing


@dataclass
class Alternative:
    """One word or phrase of a query: ``kind`` is ``"word"`` or ``"phrase"``."""

    kind: str
    text: str


@dataclass
class ParsedQuery:
    """A parsed query: AND of groups (each an OR of alternatives), exclusions, filters."""

    groups: list[list[Alternative]] = field(default_factory=list)
    excluded: list[Alternative] = field(default_factory=list)
    filters: list[tuple[str, str]] = field(default_factory=list)
    ignored: list[dict] = field(default_factory=list)

    def ignore(self, text: str, key: str, **params: str) -> None:
        """Record a piece of the query that was not used, with the reason.

        The reason is given in English and as a key of :data:`IGNORED_REASONS` with its
        parameters, for the web app to translate.
        """
        self.ignored.append({"text": text, "reason": IGNORED_REASONS[key].format(**params),
                             "key": key, "params": params})


def clean_query(text: str, parsed: ParsedQuery) -> str:
    """Return ``text`` with control, format and surrogate characters replaced by spaces.

    Raises QueryError when the query is longer than :data:`MAX_QUERY_CHARS`.
    """
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError("query_too_long", n=len(text), max=MAX_QUERY_CHARS)
    bad = [ch for ch in text if unicodedata.category(ch) in _INVALID and not ch.isspace()]
    if bad:
        parsed.ignore("".join(sorted(set(bad))).encode("unicode_escape", "replace").decode(),
                      "control_chars")
        text = "".join(" " if ch in bad else ch for ch in text)
    return text.translate(_QUOTES)


def _read_token(token: str, parsed: ParsedQuery, negate: bool) -> Alternative | None:
    """Interpret one unquoted token: a filter (recorded) or a word; return the word if any."""
    name, sep, value = token.partition(":")
    if sep and name.lower() in FILTER_FIELDS:
        if negate:
            parsed.ignore("-" + token, "negated_filter")
        elif value:
            parsed.filters.append((name.lower(), value))
        else:
            parsed.ignore(token, "empty_filter", field=name.lower())
        return None
    return Alternative("word", token)


def parse_query(text: str) -> ParsedQuery:
    """Parse a user query into groups, exclusions and filters; never raises for odd syntax.

    Raises QueryError only for a query over the length limit.
    """
    parsed = ParsedQuery()
    text = clean_query(text, parsed)
    items: list[Alternative | str] = []
    for neg, phrase, lone_quote, token in (m.groups() for m in _TOKEN_RE.finditer(text)):
        if lone_quote:
            parsed.ignore('"', "unmatched_quote")
        elif phrase is not None:
            _add_item(items, parsed, Alternative("phrase", phrase), bool(neg))
        elif token in ("OR", "AND"):
            items.append(token)
        elif token.startswith("-") and len(token) > 1:
            alt = _read_token(token[1:], parsed, negate=True)
            _add_item(items, parsed, alt, negate=True)
        else:
            _add_item(items, parsed, _read_token(token, parsed, negate=False), negate=False)
    _group_items(items, parsed)
    return parsed


def _add_item(items: list, parsed: ParsedQuery, alt: Alternative | None, negate: bool) -> None:
    """Append a positive alternative to ``items`` or an exclusion to ``parsed``."""
    if alt is None:
        return
    if negate:
        parsed.excluded.append(alt)
    else:
        items.append(alt)


def _group_items(items: list, parsed: ParsedQuery) -> None:
    """Fold ``a OR b`` runs into groups; stray operators are recorded as ignored."""
    for i, item in enumerate(items):
        if item == "AND":
            parsed.ignore("AND", "redundant_and")
        elif item == "OR":
            if not (i and isinstance(items[i - 1], Alternative)
                    and i + 1 < len(items) and isinstance(items[i + 1], Alternative)):
                parsed.ignore("OR", "lonely_or")
        elif i and items[i - 1] == "OR" and parsed.groups and i >= 2 \
                and isinstance(items[i - 2], Alternative):
            parsed.groups[-1].append(item)
        else:
            parsed.groups.append([item])


# --------------------------------------------------------------------------- index state


class Vocabulary:
    """The index vocabulary as :mod:`indexer.bilingual` uses it (``in``, iteration).

    Iterates over the jieba words of the text, title and section fields; ``term in vocab``
    is also true for a normalised term that occurs as a substring of some record text,
    since word queries match substrings too.
    """

    #: Answers remembered per build. Bilingual expansion asks about the same English
    #: words again and again, and a word absent from the corpus costs a scan of all of it.
    MEMO_SIZE = 1 << 16

    def __init__(self, words: frozenset[str], corpus_text: str):
        """Take the indexed words and the normalised texts of all records, joined (by
        :attr:`Haystack.SEP`, which no query term holds)."""
        self._words = words
        self._text = corpus_text
        self._memo: dict[str, bool] = {}

    def __contains__(self, term: object) -> bool:
        """True when the normalised ``term`` is an index word or a substring of a text."""
        if not isinstance(term, str):
            return False
        found = self._memo.get(term)
        if found is None:
            norm = normalise(term).strip()
            found = bool(norm) and (norm in self._words or norm in self._text)
            if len(self._memo) < self.MEMO_SIZE:
                self._memo[term] = found
        return found

    def __iter__(self):
        """Iterate over the indexed jieba words."""
        return iter(self._words)

    def __len__(self) -> int:
        """Number of indexed jieba words."""
        return len(self._words)


class _State:
    """Everything loaded from one build folder; replaced whole on refresh."""

    def __init__(self, folder: Path):
        """Open the Whoosh index and read records, docs and meta of build ``folder``."""
        self.target = str(folder)
        self.ix = index.open_dir(str(folder))
        self.searcher = self.ix.searcher(weighting=scoring.BM25F())
        self.reader = self.searcher.reader()
        self.meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        self.docs = json.loads((folder / "docs.json").read_text(encoding="utf-8"))
        self.doc_by_id = {d["id"]: d for d in self.docs}
        with open(folder / "records.jsonl", encoding="utf-8") as lines:
            self.records = [json.loads(line) for line in lines]
        self.by_id = {r["id"]: i for i, r in enumerate(self.records)}
        self.rec_of_doc = {n: self.by_id[self.reader.stored_fields(n)["id"]]
                           for n in self.reader.all_doc_ids()}
        self.doc_of_rec = {i: n for n, i in self.rec_of_doc.items()}
        self._load_fields()
        self._load_facets()
        self.lock = threading.Lock()
        self._normalised: dict[int, Normalised] = {}

    def normalised(self, i: int) -> "Normalised":
        """Record ``i``'s text prepared for highlighting, on its first hit."""
        found = self._normalised.get(i)
        if found is None:
            found = self._normalised[i] = Normalised.of(self.records[i]["text"])
        return found

    def _load_fields(self) -> None:
        """Prepare the normalised strings matched and scored, and the vocabulary."""
        self.norm_texts = Haystack(normalise(r["text"]) for r in self.records)
        self.title_keys = {d["id"]: exact_key(d["title"]) for d in self.docs}
        # Word tokens never hold spaces; matching them in space-free strings bridges the
        # stray spaces of the print conversion (徐 斌, 新时代 城市).
        self.fields = {
            "text": Haystack("".join(t.split()) for t in self.norm_texts),
            "section": Haystack(exact_key("".join(r.get("section") or []))
                                for r in self.records),
            "title": [self.title_keys.get(r["doc_id"]) or exact_key(r.get("doc_title") or "")
                      for r in self.records],
        }
        self.length_norms = {name: _length_norms(strings) for name, strings in self.fields.items()}
        words = frozenset(chain.from_iterable(self.reader.field_terms(name)
                                              for name in WORD_FIELDS))
        self.vocab = Vocabulary(words, self.norm_texts.joined)
        self.names = tuple(dict.fromkeys(
            p for r in self.records for p in r.get("persons") or
            ([r["name"]] if r.get("entry_type") == "person" else [])))

    def _load_facets(self) -> None:
        """Per facet: record → values and value → records; refs in comparable form."""
        values = [_facet_values(r) for r in self.records]
        self.facet_lists = {name: [v[name] for v in values] for name in FACET_FIELDS}
        self.postings: dict[str, dict[str, set[int]]] = {name: {} for name in FACET_FIELDS}
        for i, record_values in enumerate(values):
            for name in FACET_FIELDS:
                for value in record_values[name]:
                    self.postings[name].setdefault(value, set()).add(i)
        self.ref_keys = [[ref_key(ref) for ref in r.get("refs") or []] for r in self.records]


class Haystack(list):
    """The strings of one field, in record order, also joined into one string.

    Finding every record that contains a needle is then one C-level ``str.find`` per
    matching record instead of a Python-level test of each record (5–10× faster for the
    rare needles most queries are made of).
    """

    #: Joins the strings; a needle holding it (queries lose control characters, so only
    #: a direct caller could pass one) is looked for string by string.
    SEP = "\x00"

    def __init__(self, strings):
        """Keep ``strings`` and their joined form with each one's start offset."""
        super().__init__(strings)
        self.joined = self.SEP.join(self)
        self._starts = list(accumulate((len(text) + 1 for text in self), initial=0))

    def containing(self, needle: str) -> set[int]:
        """Indexes of the strings that contain ``needle``."""
        if not needle or self.SEP in needle:
            return {i for i, text in enumerate(self) if needle in text}
        found, starts = set(), self._starts
        pos = self.joined.find(needle)
        while pos >= 0:
            i = bisect_right(starts, pos) - 1
            found.add(i)
            # The next match of interest starts in the next string.
            pos = self.joined.find(needle, starts[i + 1])
        return found


def _length_norms(strings: list[str]) -> list[float]:
    """BM25 length normalisation ``1 - b + b·len/avglen`` of each string."""
    avg = max(1.0, sum(map(len, strings)) / max(1, len(strings)))
    return [1 - _B + _B * len(x) / avg for x in strings]


def _facet_values(record: dict) -> dict[str, list[str]]:
    """Return the facet values of ``record``: field → list of values (as strings)."""
    return {
        "doc": [record["doc_id"]],
        "year": [str(record["year"])] if record.get("year") is not None else [],
        "office": list(record.get("offices") or []),
        "kind": [record["kind"]],
    }


# --------------------------------------------------------------------------- matching
#
# Which records match is decided exactly, with sets: a word token matches where it occurs
# in the text, a section heading or the document title (spaces ignored) — every place the
# jieba word index has it, plus those where jieba cut the text differently; a phrase
# matches where the normalised text contains it. Substrings are found by scanning the
# normalised strings held in memory, each scan restricted to the records still in the
# running: on this corpus that is 20–50× faster than a phrase query over a
# one-character-per-token Whoosh field (measured 0.03–0.16 ms against 0.4–6.8 ms per term)
# and exact without a verification pass. Scoring counts term frequencies the same way
# (Whoosh's own matcher tree cost 4–10× more per query on the ×50 corpus); Whoosh supplies
# the document frequencies, the vocabulary and the whole-name boosts.

#: Weight of a phrase's frequency in the score.
PHRASE_WEIGHT = 1.0
_K1, _B = 1.2, 0.75
#: Field weights of a word match. Every record of a document shares its title, so a title
#: match says little about one record; a section heading is more specific.
WORD_FIELDS = {"text": 1.0, "title": 0.5, "section": 1.0}


@dataclass
class Matcher:
    """One word or phrase of the query, analysed.

    ``phrase``: the normalised phrase (phrases only); ``tokens``: jieba words (words
    only); ``expansions``: normalised Chinese terms a Latin word may also match.
    """

    phrase: str | None = None
    tokens: list[str] = field(default_factory=list)
    expansions: list[str] = field(default_factory=list)


@dataclass
class Plan:
    """The analysed query: groups (AND) of matchers (OR), exclusions, scoring queries."""

    groups: list[list[Matcher]] = field(default_factory=list)
    excluded: list[Matcher] = field(default_factory=list)
    expansions: list[dict] = field(default_factory=list)
    dropped: list[dict] = field(default_factory=list)
    boosts: list[wq.Query] = field(default_factory=list)

    @property
    def word_tokens(self) -> list[str]:
        """All word tokens of the positive groups, in query order."""
        return [t for g in self.groups for m in g for t in m.tokens]

    @property
    def phrases(self) -> list[str]:
        """All phrases of the positive groups, in query order."""
        return [m.phrase for g in self.groups for m in g if m.phrase]

    @property
    def weighted(self) -> list[tuple[str, float]]:
        """(normalised string, weight) pairs scored by their frequency in the text.

        Phrases; each word of several jieba tokens as a whole — its tokens side by side
        (proximity), as a phrase query with slop 1 would score them, without Whoosh walking
        positions; bilingual expansion terms, below direct matches.
        """
        return ([(p, PHRASE_WEIGHT) for p in self.phrases]
                + [("".join(m.tokens), PROXIMITY_BOOST) for g in self.groups for m in g
                   if len(m.tokens) > 1]
                + [(e, EXPANSION_BOOST) for g in self.groups for m in g for e in m.expansions])

    @property
    def needles(self) -> list[str]:
        """Every normalised string to highlight."""
        return [n for n, _ in self.weighted] + self.word_tokens


def expand_words(words: list[str], state: "_State") -> list[dict]:
    """Chinese terms for Latin/pinyin words from :mod:`indexer.bilingual` (``[]`` if absent).

    Each is ``{"term", "source", "label", "query"}``, ``query`` naming the word or run of
    words it stands for (``waste sorting`` → 垃圾分类). People's names of the index are
    passed so that their pinyin is found too.
    """
    return bilingual.expand_query(words, state.vocab, state.names)


def _note_held_back(parsed: ParsedQuery, words: list[str], unknown: list[bool],
                    covered: set[int]) -> None:
    """Record, as ignored, unknown words left unexpanded because they read as English and as
    one pinyin syllable (``fang``): the reader learns how to ask for the pinyin."""
    for i, word in enumerate(words):
        if unknown[i] and i not in covered and bilingual.held_back(word):
            parsed.ignore(word, "pinyin_held_back", word=word)


def _is_latin(word: str) -> bool:
    """True for a word of Latin letters (tone marks allowed), digits, ``'`` and ``-``."""
    return any(ch.isalpha() for ch in word) and all(
        ch.isdigit() or ch in "'-" or (ch.isalpha() and "LATIN" in unicodedata.name(ch, ""))
        for ch in word)


def _matcher(alt: Alternative, parsed: ParsedQuery) -> Matcher | None:
    """Analyse one word or phrase; None (recorded as ignored) when nothing is searchable."""
    if alt.kind == "phrase":
        if not query_chars(alt.text):
            parsed.ignore(f'"{alt.text}"', "empty_phrase")
            return None
        return Matcher(phrase=normalise(alt.text))
    tokens = _latin_word(alt.text) or query_words(alt.text)
    if not tokens:
        parsed.ignore(alt.text, "unsearchable")
        return None
    return Matcher(tokens=tokens)


def _latin_word(text: str) -> list[str]:
    """A Latin word with accented letters (``lājī``, ``café``) as one token, else ``[]``.

    jieba cuts at every accented letter (``lājī`` → l ā j ī); single letters would then
    match any Latin text of the corpus and show as the searched terms.
    """
    if text.isascii() or not _is_latin(text):
        return []
    word = normalise("".join(ch for ch in text if ch.isalnum()))
    return [word] if word else []


def _latin_runs(parsed: ParsedQuery, groups: list[list[Matcher]]) -> list[list[int]]:
    """Runs of consecutive groups that are each one Latin word (as group indexes)."""
    runs: list[list[int]] = [[]]
    for k, (alts, matchers) in enumerate(zip(parsed.groups, groups, strict=True)):
        if len(alts) == 1 and len(matchers) == 1 and alts[0].kind == "word" \
                and _is_latin(alts[0].text):
            runs[-1].append(k)
        elif runs[-1]:
            runs.append([])
    return [run for run in runs if run]


def _spans(words: list[str], expansions: list[dict]) -> list[tuple[int, int, list[dict]]]:
    """Group expansions by the run of ``words`` each stands for: (start, end, expansions)."""
    spans: list[tuple[int, int, list[dict]]] = []
    start = 0
    for exp in expansions:
        if spans and exp["query"] == " ".join(words[spans[-1][0]:spans[-1][1]]):
            spans[-1][2].append(exp)
            continue
        for i in range(start, len(words)):
            end = next((j for j in range(i + 1, len(words) + 1)
                        if " ".join(words[i:j]) == exp["query"]), None)
            if end is not None:
                spans.append((i, end, [exp]))
                start = end
                break
    return spans


def expansion_key(term: str) -> str:
    """The form expansion terms are compared in when dropped: normalised, no spaces.

    Control and invalid characters go first (they cannot occur in a term, and a lone
    surrogate would break normalisation).
    """
    return exact_key("".join(ch for ch in term if unicodedata.category(ch) not in _INVALID))


def _drop_keys(drop) -> dict[str, str]:
    """Validate ``drop_expansions``: return expansion key → term as given, in order.

    Raises QueryError for anything but a list (tuple, set) of at most :data:`MAX_DROPPED`
    strings of at most :data:`MAX_DROPPED_CHARS` characters. Terms with nothing left
    after cleaning are skipped.
    """
    if drop is None:
        return {}
    if isinstance(drop, str) or not isinstance(drop, (list, tuple, set, frozenset)) \
            or not all(isinstance(term, str) for term in drop):
        raise QueryError("bad_drop", value=type(drop).__name__)
    if len(drop) > MAX_DROPPED:
        raise QueryError("drop_too_many", max=MAX_DROPPED, n=len(drop))
    keys: dict[str, str] = {}
    for term in sorted(drop) if isinstance(drop, (set, frozenset)) else drop:
        if len(term) > MAX_DROPPED_CHARS:
            raise QueryError("drop_too_long", max=MAX_DROPPED_CHARS, n=len(term))
        if expansion_key(term):
            keys.setdefault(expansion_key(term), term)
    return keys


def _expand(parsed: ParsedQuery, groups: list[list[Matcher]], plan: Plan,
            state: "_State", drop: dict[str, str]) -> None:
    """OR-expand Latin words unknown to the index with bilingual terms, in place.

    A run of words expanded as one unit (``waste sorting`` → 垃圾分类) becomes one group:
    all its words, or any of its expansions. Expansions whose key is in ``drop`` are
    listed in ``plan.dropped`` instead: the words then match only as written.
    """
    for run in _latin_runs(parsed, groups):
        words = [parsed.groups[k][0].text for k in run]
        unknown = [word not in state.vocab for word in words]
        if not any(unknown):
            continue
        spans = _spans(words, expand_words(words, state))
        _note_held_back(parsed, words, unknown,
                        {i for start, end, _ in spans for i in range(start, end)})
        for start, end, exps in spans:
            if not any(unknown[start:end]):
                continue
            target = groups[run[start]][0]
            for k in run[start + 1:end]:
                target.tokens += groups[k][0].tokens
                groups[k] = []
            for exp in exps:
                term = expansion_key(exp["term"])
                if term in drop:
                    plan.dropped.append({"word": exp["query"], **exp})
                    continue
                target.expansions.append(term)
                plan.expansions.append({"word": exp["query"], **exp})
                plan.boosts.append(wq.Term("names", exact_key(term),
                                           boost=NAME_BOOST * EXPANSION_BOOST))


def make_plan(parsed: ParsedQuery, state: "_State", drop: dict[str, str] | None = None) -> Plan:
    """Analyse the parsed query: matchers per group, expansions, exclusions, boosts.

    ``drop`` (see :func:`_drop_keys`) names expansions not to use; one that is no
    expansion of this query is recorded as ignored.
    """
    plan = Plan()
    drop = drop or {}
    groups = [[m for m in (_matcher(a, parsed) for a in group) if m] for group in parsed.groups]
    _expand(parsed, groups, plan, state, drop)
    found = {expansion_key(exp["term"]) for exp in plan.dropped}
    for key, term in drop.items():
        if key not in found:
            parsed.ignore(term, "not_an_expansion")
    plan.groups = [g for g in groups if g]
    plan.excluded = [m for m in (_matcher(a, parsed) for a in parsed.excluded) if m]
    _add_name_boost(parsed, plan)
    return plan


def _add_name_boost(parsed: ParsedQuery, plan: Plan) -> None:
    """Boost records whose name/title/honour equals the whole query (no OR)."""
    if not parsed.groups or any(len(g) != 1 for g in parsed.groups):
        return
    key = exact_key("".join(g[0].text for g in parsed.groups))
    if key:
        plan.boosts.append(wq.Term("names", key, boost=NAME_BOOST))


Candidates = set[int] | None  # None: every record


def _scan(texts: Haystack, needle: str, within: Candidates) -> set[int]:
    """Indexes of ``texts`` containing ``needle``, looking only at ``within`` (None: all)."""
    if within is None:
        return texts.containing(needle)
    return {i for i in within if needle in texts[i]}


def _token_set(state: "_State", token: str, within: Candidates) -> set[int]:
    """Records whose text, section headings or document title contain ``token``.

    Compared without spaces; a jieba word of a text is a substring of it, so this holds
    every record the word index has and those where jieba cut the text differently.
    """
    found = _scan(state.fields["text"], token, within)
    found |= _scan(state.fields["section"], token, within)
    for doc_id, title in state.title_keys.items():
        if token in title:
            records = state.postings["doc"].get(doc_id, set())
            found |= records if within is None else records & within
    return found


def _matcher_set(state: "_State", m: Matcher, within: Candidates) -> set[int]:
    """Records (among ``within``) that one matcher matches."""
    if m.phrase:
        return _scan(state.norm_texts, m.phrase, within)
    found = within
    for token in m.tokens:
        found = _token_set(state, token, found)
    for term in m.expansions:
        found = (found or set()) | _scan(state.fields["text"], term, within)
    return set() if found is None else found


def _group_set(state: "_State", group: list[Matcher], within: Candidates) -> set[int]:
    """Records (among ``within``) that match any matcher of an OR group."""
    return set().union(*(_matcher_set(state, m, within) for m in group))


# --------------------------------------------------------------------------- search


@dataclass
class Outcome:
    """Scored record indexes before filtering, plus how they were found."""

    scores: dict[int, float]
    fallback: bool = False
    browse: bool = False
    nothing: bool = False


class Searcher:
    """Searches one index folder (normally the ``index`` symlink of a build output)."""

    def __init__(self, index_dir: Path | str):
        """Open the index behind ``index_dir`` (a build folder or the symlink to one)."""
        self.index_dir = Path(index_dir)
        if not (self.index_dir / "meta.json").exists():
            raise FileNotFoundError(f"no index at {self.index_dir}: run `make index`")
        self._state = _State(Path(os.path.realpath(self.index_dir)))

    def refresh(self) -> bool:
        """Reopen when the symlink now points at another build; return True if reopened."""
        target = os.path.realpath(self.index_dir)
        if target == self._state.target or not os.path.exists(os.path.join(target, "meta.json")):
            return False
        self._state = _State(Path(target))
        return True

    @property
    def meta(self) -> dict:
        """The meta.json of the open build."""
        return self._state.meta

    def record(self, record_id: str) -> dict | None:
        """Return the record with id ``record_id`` (with its ``url``), or None."""
        state = self._state
        i = state.by_id.get(record_id)
        return None if i is None else {**state.records[i], "url": f"/c/{record_id}"}

    def records(self) -> list[dict]:
        """Return all records in browse order (shared dicts: do not modify)."""
        return self._state.records

    def docs(self) -> list[dict]:
        """Return all documents (policy documents, award tables, honour lists) in order."""
        return self._state.docs

    def doc(self, doc_id: str) -> dict | None:
        """Return the document with id ``doc_id``, or None."""
        return self._state.doc_by_id.get(doc_id)

    def search(self, query: str = "", doc=None, year=None, office=None, kind=None,
               page: int = 1, size: int = 10, sort: str = "relevance",
               drop_expansions=None) -> dict:
        """Search; return the result dict of docs/CONTRACT.md. Raises QueryError.

        ``drop_expansions``: Chinese terms (list, tuple or set of str) that English or
        pinyin words of the query must not expand to; compared normalised, so ``垃圾分類``
        drops 垃圾分类.
        """
        started = time.perf_counter()
        self.refresh()
        state = self._state
        _check_paging(page, size, sort)
        drop = _drop_keys(drop_expansions)
        parsed = parse_query(query or "")
        params = [(f, str(v)) for f, v in (("doc", doc), ("year", year), ("office", office),
                                          ("kind", kind)) if v not in (None, "")]
        filters, labels = _resolve_filters(state, params + parsed.filters)
        plan = make_plan(parsed, state, drop)
        outcome = Outcome({}, nothing=True) if _unsearchable(parsed, plan) \
            else _match(state, plan)
        sets = _filter_sets(state, filters)
        selected = {i: outcome.scores[i] for i in _narrow(outcome.scores, sets)}
        ordered = _order(state, selected, outcome, sort)
        total = len(ordered)
        start = (page - 1) * size
        hits = [_hit(state, i, plan) for i in ordered[start:start + size]]
        return {
            "query": query or "",
            "total": total,
            "page": page,
            "size": size,
            "pages": math.ceil(total / size),
            "hits": hits,
            "facets": _facets(state, outcome.scores, filters, sets),
            "interpretation": _interpretation(parsed, plan, labels, outcome),
            "took_ms": round((time.perf_counter() - started) * 1000, 2),
        }


def _unsearchable(parsed: ParsedQuery, plan: Plan) -> bool:
    """True when the query had content but none of it can be searched (``((``, ``"``)."""
    return not plan.groups and bool(parsed.groups or parsed.ignored) \
        and not parsed.excluded and not parsed.filters


def _check_paging(page, size, sort) -> None:
    """Raise QueryError for a page < 1, a size outside 1..100 or an unknown sort."""
    if not isinstance(page, int) or page < 1:
        raise QueryError("bad_page", value=page)
    if not isinstance(size, int) or not 1 <= size <= MAX_PAGE_SIZE:
        raise QueryError("bad_size", max=MAX_PAGE_SIZE, value=size)
    if sort not in SORTS:
        raise QueryError("bad_sort", choices=", ".join(SORTS), value=sort)


def _match(state: _State, plan: Plan) -> Outcome:
    """Find and score the records matching the plan (before filters).

    Falls back to the records matching any word token, phrase or expansion when none
    matches them all (and there was more than one to relax).
    """
    if not plan.groups:
        return Outcome(dict.fromkeys(_excluded(state, None, plan), 0.0), browse=True)
    found: Candidates = None
    for group in plan.groups:
        found = _group_set(state, group, found)
    found = _excluded(state, found, plan)
    fallback = False
    if not found and (len(plan.groups) > 1 or len(plan.word_tokens) > 1) and plan.word_tokens:
        found = _excluded(state, set().union(*(_partial_set(state, m)
                                                for g in plan.groups for m in g)), plan)
        fallback = bool(found)
    return Outcome(_score(state, found, plan), fallback=fallback)


def _partial_set(state: _State, m: Matcher) -> set[int]:
    """Records matching the phrase, any one token or any expansion of a matcher.

    A query typed without spaces is one word of several jieba tokens: relaxing it token by
    token is what "best partial matches" means for Chinese.
    """
    if m.phrase:
        return _scan(state.norm_texts, m.phrase, None)
    found = set().union(*(_token_set(state, t, None) for t in m.tokens))
    for term in m.expansions:
        found |= _scan(state.fields["text"], term, None)
    return found


def _excluded(state: _State, found: Candidates, plan: Plan) -> set[int]:
    """``found`` (None: all records) minus the records any excluded word or phrase matches."""
    result = set(range(len(state.records))) if found is None else set(found)
    for m in plan.excluded:
        result -= _matcher_set(state, m, result)
    return result


def _score(state: _State, found: set[int], plan: Plan) -> dict[int, float]:
    """Score the matched records: BM25F over the words, substring weights, name boosts."""
    scores = dict.fromkeys(found, 0.0)
    for token in dict.fromkeys(plan.word_tokens):
        _add_bm25f(state, token, scores)
    for needle, weight in plan.weighted:
        _add_saturated(state, "".join(needle.split()), weight, scores)
    if found and plan.boosts:
        docnums = {state.doc_of_rec[i] for i in found}
        with state.lock:
            # The boosts are whole-name terms with tiny postings: filtering is cheap.
            results = state.searcher.search(wq.Or(plan.boosts), limit=None, filter=docnums,
                                            terms=False)
            for docnum, score in results.items():
                scores[state.rec_of_doc[docnum]] += score
    return scores


def _add_bm25f(state: _State, token: str, scores: dict[int, float]) -> None:
    """Add BM25F of ``token`` over text, section and title to each record of ``scores``.

    Term frequencies are counted on the space-free normalised fields (so they include the
    places jieba cut differently); the document frequency is the word index's.
    """
    df = max(1, state.reader.doc_frequency("text", token))
    idf = math.log(1 + (len(state.records) - df + 0.5) / (df + 0.5))
    fields = [(state.fields[name], state.length_norms[name], weight)
              for name, weight in WORD_FIELDS.items()]
    for i in scores:
        tf = 0.0
        for strings, norms, weight in fields:
            count = strings[i].count(token)
            if count:
                tf += weight * count / norms[i]
        if tf:
            scores[i] += idf * tf * (_K1 + 1) / (tf + _K1)


def _add_saturated(state: _State, needle: str, weight: float, scores: dict[int, float]) -> None:
    """Add ``weight`` × saturated, length-normalised frequency of ``needle`` in the text."""
    texts, norms = state.fields["text"], state.length_norms["text"]
    for i in scores:
        tf = texts[i].count(needle)
        if tf:
            scores[i] += weight * tf * (_K1 + 1) / (tf + _K1 * norms[i])


# --------------------------------------------------------------------------- filters, facets


def _resolve_filters(state: _State, pairs: list[tuple[str, str]]):
    """Resolve (field, value) pairs to allowed value sets per facet field, plus labels.

    Returns ``(filters, labels)``: ``filters`` maps ``doc``/``year``/``office``/``kind`` to
    the set of facet values allowed and ``ref`` to the normalised cited strings; ``labels``
    lists ``{"field", "value", "label"}`` for the interpretation. Raises QueryError for
    values that match nothing.
    """
    filters: dict[str, set[str]] = {}
    labels: list[dict] = []
    for name, value in pairs:
        allowed = _RESOLVERS[name](state, value.strip())
        filters[name] = filters[name] & allowed if name in filters else allowed
        labels.append({"field": name, "value": value,
                       "label": ", ".join(sorted(_label(state, name, v) for v in allowed))})
    return filters, labels


def _resolve_doc(state: _State, value: str) -> set[str]:
    """Doc ids for a doc filter: the id itself, else documents whose title contains it."""
    if value in state.doc_by_id:
        return {value}
    key = exact_key(value)
    found = {doc_id for doc_id, title in state.title_keys.items() if key and key in title}
    if not found:
        raise QueryError("unknown_doc", value=value)
    return found


def _resolve_year(state: _State, value: str) -> set[str]:
    """The year itself, if some record is from it."""
    if not value.isdigit():
        raise QueryError("bad_year", value=value)
    if str(int(value)) not in state.postings["year"]:
        raise QueryError("no_year", value=value)
    return {str(int(value))}


def _resolve_office(state: _State, value: str) -> set[str]:
    """Canonical office names: the name itself, else the offices whose name contains it."""
    offices = state.postings["office"]
    if value in offices:
        return {value}
    key = exact_key(value)
    found = {o for o in offices if key and key in exact_key(o)}
    if not found:
        raise QueryError("unknown_office", value=value)
    return found


def _resolve_kind(state: _State, value: str) -> set[str]:
    """The record kind, given as ``clause``/``award``/``list`` or its Chinese label."""
    for kind, label in KIND_LABELS.items():
        if value.lower() == kind or value == label:
            return {kind}
    raise QueryError("bad_kind", choices=", ".join(KIND_LABELS), value=value)


def _resolve_ref(state: _State, value: str) -> set[str]:
    """The cited title or document number to look for in the records' refs.

    Numbers are brought to the parser's spelling (``浙政发[2017]40号`` → ``浙政发〔2017〕40号``),
    titles lose their 《》.
    """
    key = ref_key(value)
    if not key:
        raise QueryError("empty_ref")
    return {key}


_RESOLVERS = {"doc": _resolve_doc, "year": _resolve_year, "office": _resolve_office,
              "kind": _resolve_kind, "ref": _resolve_ref}


def _label(state: _State, name: str, value: str) -> str:
    """Human label of a facet value."""
    if name == "doc":
        return state.doc_by_id[value]["title"] if value in state.doc_by_id else value
    if name == "kind":
        return KIND_LABELS.get(value, value)
    return value


def _filter_sets(state: _State, filters: dict[str, set[str]]) -> dict[str, set[int]]:
    """The records each filter lets through, as sets of record indexes."""
    sets = {}
    for name, allowed in filters.items():
        if name == "ref":
            sets[name] = {i for i, keys in enumerate(state.ref_keys)
                          if any(key in r for key in allowed for r in keys)}
        else:
            sets[name] = set().union(*(state.postings[name].get(v, ()) for v in allowed))
    return sets


def _narrow(found, sets: dict[str, set[int]], skip: str = "") -> set[int]:
    """``found`` restricted by every filter set except the one of field ``skip``."""
    result = set(found)
    for name, allowed in sets.items():
        if name != skip:
            result &= allowed
    return result


def _facets(state: _State, found, filters, sets) -> dict[str, list[dict]]:
    """Count facet values over all matches; each facet ignores its own filter.

    So a value's count is exactly the total the same search gives with that value as the
    facet's filter.
    """
    facets = {}
    for name in FACET_FIELDS:
        lists = state.facet_lists[name]
        counts = Counter(chain.from_iterable(lists[i] for i in _narrow(found, sets, name)))
        chosen = filters.get(name, set())
        for value in chosen:
            counts.setdefault(value, 0)
        buckets = [{"value": v, "label": _label(state, name, v), "count": n,
                    "selected": v in chosen} for v, n in counts.items()]
        if name == "year":
            buckets.sort(key=lambda b: b["value"], reverse=True)
        else:
            buckets.sort(key=lambda b: (-b["count"], b["label"]))
        facets[name] = buckets
    return facets


def _order(state: _State, scores: dict[int, float], outcome: Outcome, sort: str) -> list[int]:
    """Order record indexes: by score (then document order), by date, or by document order."""
    if sort == "date":
        # Newest first; equal dates in document order.
        return sorted(scores, key=lambda i: (state.records[i].get("date") or "", -i),
                      reverse=True)
    if sort == "seq" or outcome.browse:
        return sorted(scores)
    return sorted(scores, key=lambda i: (-scores[i], i))


# --------------------------------------------------------------------------- hits


@dataclass(frozen=True)
class Normalised:
    """A text prepared for highlighting.

    ``norm``: normalised; ``origin``: offsets back into the text (see
    :func:`~indexer.analysis.normalise_with_offsets`); ``squeezed``: ``norm`` without
    whitespace; ``where``: the offset in ``norm`` of each character of ``squeezed``.
    """

    norm: str
    origin: list[int] | None
    squeezed: str
    where: list[int]

    @classmethod
    def of(cls, text: str) -> "Normalised":
        """Prepare ``text``."""
        norm, origin = normalise_with_offsets(text)
        where = [j for j, ch in enumerate(norm) if not ch.isspace()]
        return cls(norm, origin, "".join(norm[j] for j in where), where)

    def find_all(self, needle: str):
        """Yield the (start, end) spans of ``norm`` holding the space-free ``needle``,
        whitespace allowed between its characters, left to right, not overlapping.

        Word queries match across the spaces of the print (``徐斌`` in ``徐 斌``), so the
        highlight does too.
        """
        pos = self.squeezed.find(needle)
        while pos >= 0:
            yield self.where[pos], self.where[pos + len(needle) - 1] + 1
            pos = self.squeezed.find(needle, pos + len(needle))


def match_spans(text: str, needles: list[str],
                normalised: Normalised | None = None) -> list[tuple[int, int]]:
    """Return merged (start, end) spans of ``text`` (as printed) where a needle occurs.

    Needles are normalised strings; matching is on the normalised text, spans are mapped
    back to the original characters. ``normalised`` is ``Normalised.of(text)`` when the
    caller already has it.
    """
    prepared = normalised or Normalised.of(text)
    spans = [span_to_original(prepared.origin, start, end, len(text))
             for needle in {"".join(n.split()) for n in needles} if needle
             for start, end in prepared.find_all(needle)]
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(s, e) for s, e in merged]


def _marked(text: str, spans: list[tuple[int, int]], lo: int, hi: int) -> str:
    """HTML-escape ``text[lo:hi]`` with ``<mark>`` around the parts of ``spans`` inside it."""
    out, pos = [], lo
    for start, end in spans:
        start, end = max(start, lo), min(end, hi)
        if start >= end:
            continue
        out += [html.escape(text[pos:start]), "<mark>", html.escape(text[start:end]), "</mark>"]
        pos = end
    out.append(html.escape(text[pos:hi]))
    return "".join(out)


def highlight(text: str, needles: list[str], normalised: Normalised | None = None) -> str:
    """Return escaped HTML of ``text`` with matches marked; long texts as snippets.

    ``normalised``: see :func:`match_spans`.
    """
    spans = match_spans(text, needles, normalised)
    if len(text) <= SNIPPET_FULL:
        return _marked(text, spans, 0, len(text))
    windows: list[list[int]] = []
    for start, end in spans:
        lo, hi = max(0, start - SNIPPET_CONTEXT), min(len(text), end + SNIPPET_CONTEXT)
        if windows and lo <= windows[-1][1]:
            windows[-1][1] = max(windows[-1][1], hi)
        elif len(windows) < SNIPPET_MAX:
            windows.append([lo, hi])
    if not windows:
        windows = [[0, SNIPPET_FULL]]
    parts = [("…" if lo > 0 else "") + _marked(text, spans, lo, hi) for lo, hi in windows]
    tail = "…" if windows[-1][1] < len(text) else ""
    return "".join(parts) + tail


def _hit(state: _State, i: int, plan: Plan) -> dict:
    """Return the hit dict of record index ``i``."""
    r = state.records[i]
    return {
        "id": r["id"], "kind": r["kind"], "doc_id": r["doc_id"],
        "doc_title": r.get("doc_title"), "section": r.get("section") or [],
        "text": r["text"],
        "highlight": highlight(r["text"], plan.needles, state.normalised(i)),
        "url": f"/c/{r['id']}", "date": r.get("date"), "year": r.get("year"),
        "offices": r.get("offices") or [],
    }


def _interpretation(parsed: ParsedQuery, plan: Plan, labels: list[dict],
                    outcome: Outcome) -> dict:
    """Describe how the query was read, for the page and the API."""
    key, params = None, {}
    if outcome.fallback:
        key, params = "fallback", {"terms": " ".join(dict.fromkeys(plan.word_tokens))}
    elif outcome.browse:
        key = "browse"
    elif outcome.nothing:
        key = "nothing"
    return {
        "terms": list(dict.fromkeys(plan.word_tokens)),
        "phrases": plan.phrases,
        "excluded": [a.text for a in parsed.excluded],
        "filters": labels,
        "expansions": plan.expansions,
        "dropped": plan.dropped,
        "ignored": parsed.ignored,
        "fallback": outcome.fallback,
        "message": MESSAGES[key].format(**params) if key else None,
        "message_key": key,
        "message_params": params,
    }


# --------------------------------------------------------------------------- module level

_DEFAULT: Searcher | None = None
_DEFAULT_LOCK = threading.Lock()


def default_searcher() -> Searcher:
    """Return the process-wide Searcher on ``var/index`` (opened on first use)."""
    global _DEFAULT
    with _DEFAULT_LOCK:
        if _DEFAULT is None:
            _DEFAULT = Searcher(VAR_DIR / INDEX_LINK)
        return _DEFAULT


def search(query: str = "", **params) -> dict:
    """Search the default index (``var/index``); same parameters as :meth:`Searcher.search`."""
    return default_searcher().search(query, **params)
