"""The URL mix of ``make load``: several thousand distinct, valid addresses, seeded.

A fixed list of a few dozen URLs is answered from the response cache after its first
round, so it measures the cache, not the site. This mix draws what readers do from the
corpus itself: words and quoted phrases cut at random from record texts (2–4 characters,
sometimes two words), people's names, English glossary terms, facet filters alone or with
a query, pages 1–3, relevance or date order, document pages, permalinks and record pages —
each as HTML or JSON, in Chinese or English. The same seed gives the same list.

Every address is meant to answer 200 (or 302 for a clause permalink): a search asking
for page 2 or 3 is checked against the index and kept only where that page exists, so an
error in the load run is a real failure, never a bad address.
"""

from __future__ import annotations

import random
import re
from urllib.parse import urlencode

from indexer.bilingual import load_glossary

#: How often each kind of address is drawn (relative weights).
WEIGHTS = {
    "word": 30, "words": 8, "phrase": 14, "name": 6, "english": 5, "filter": 10,
    "doc": 6, "record": 16, "static": 2,
}
#: Characters a reader would type in a word or phrase: Han, Latin letters and digits.
_TYPABLE = re.compile(r"[\u4e00-\u9fff0-9A-Za-z]{2,}")
#: Share of searches that ask for page 2 or 3 (kept only where it exists).
LATER_PAGE = 0.3


def url_mix(searcher, count: int = 4000, seed: int = 4) -> list[str]:
    """``count`` distinct request paths drawn from the index ``searcher`` opened, shuffled."""
    rng = random.Random(seed)
    corpus = _Corpus(searcher)
    kinds, weights = zip(*WEIGHTS.items(), strict=True)
    paths: dict[str, None] = {}
    attempts = 0
    while len(paths) < count and attempts < count * 20:
        attempts += 1
        path = _DRAW[rng.choices(kinds, weights)[0]](corpus, rng)
        if path is not None:
            paths.setdefault(path, None)
    mix = list(paths)
    rng.shuffle(mix)
    return mix


class _Corpus:
    """What the mix draws from: texts, names, filter values, ids, glossary terms."""

    def __init__(self, searcher):
        """Collect the drawable material of the index ``searcher`` holds."""
        self.searcher = searcher
        records = searcher.records()
        self.texts = [span for r in records for span in _TYPABLE.findall(r["text"])]
        self.names = sorted({p for r in records for p in r.get("persons") or []}
                            | {r["name"] for r in records if r.get("entry_type") == "person"})
        self.record_ids = [r["id"] for r in records]
        self.docs = searcher.docs()
        self.offices = sorted({o for r in records for o in r.get("offices") or []})
        self.years = sorted({str(r["year"]) for r in records if r.get("year")})
        self.english = _glossary_terms()

    def cut(self, rng: random.Random) -> str:
        """A random 2–4 character piece of some record text."""
        span = rng.choice(self.texts)
        size = rng.randint(2, min(4, len(span)))
        start = rng.randrange(len(span) - size + 1)
        return span[start:start + size]

    def pages(self, params: dict) -> int:
        """How many result pages the search ``params`` has (0 when it is refused)."""
        try:
            return self.searcher.search(**params)["pages"]
        except ValueError:
            return 0


def _glossary_terms() -> list[str]:
    """The English side of the reviewed glossary (the queries bilingual search serves)."""
    return sorted({entry.english for entry in load_glossary()})


def _search(corpus: _Corpus, rng: random.Random, q: str, **filters) -> str | None:
    """A search address for ``q`` and ``filters``: page, order, HTML/JSON, language."""
    params = {"q": q, **filters}
    if rng.random() < 0.2:
        params["sort"] = "date"
    if rng.random() < LATER_PAGE:
        page = rng.choice((2, 3))
        if corpus.pages({"query": q, "page": 1, **filters,
                         **({"sort": params["sort"]} if "sort" in params else {})}) < page:
            return None
        params["page"] = page
    route = rng.choice(("/search", "/api/search"))
    return _address(route, params, rng)


def _address(route: str, params: dict, rng: random.Random) -> str:
    """``route`` with ``params`` and a language: ``lang=zh``, ``lang=en`` or none."""
    lang = rng.choice(("zh", "en", None))
    if lang:
        params = {**params, "lang": lang}
    return route + ("?" + urlencode(params) if params else "")


def _word(corpus: _Corpus, rng: random.Random) -> str | None:
    """One word cut from a text."""
    return _search(corpus, rng, corpus.cut(rng))


def _words(corpus: _Corpus, rng: random.Random) -> str | None:
    """Two words cut from two texts (often no record has both: the partial fallback)."""
    return _search(corpus, rng, f"{corpus.cut(rng)} {corpus.cut(rng)}")


def _phrase(corpus: _Corpus, rng: random.Random) -> str | None:
    """A quoted phrase cut from a text."""
    return _search(corpus, rng, f'"{corpus.cut(rng)}"')


def _name(corpus: _Corpus, rng: random.Random) -> str | None:
    """A person's name from the award tables or honour lists."""
    return _search(corpus, rng, rng.choice(corpus.names))


def _english(corpus: _Corpus, rng: random.Random) -> str | None:
    """An English glossary term (bilingual expansion)."""
    return _search(corpus, rng, rng.choice(corpus.english))


def _filter(corpus: _Corpus, rng: random.Random) -> str | None:
    """A facet filter, browsing or with a word cut from a text."""
    name = rng.choice(("doc", "office", "year", "kind"))
    value = {"doc": lambda: rng.choice(corpus.docs)["id"],
             "office": lambda: rng.choice(corpus.offices),
             "year": lambda: rng.choice(corpus.years),
             "kind": lambda: rng.choice(("clause", "award", "list"))}[name]()
    q = corpus.cut(rng) if rng.random() < 0.5 else ""
    return _search(corpus, rng, q, **{name: value})


def _doc(corpus: _Corpus, rng: random.Random) -> str:
    """A whole document, HTML or JSON."""
    doc_id = rng.choice(corpus.docs)["id"]
    return _address(rng.choice(("/doc/", "/api/doc/")) + doc_id, {}, rng)


def _record(corpus: _Corpus, rng: random.Random) -> str:
    """A permalink (a clause's redirects to its document) or a record's JSON."""
    record_id = rng.choice(corpus.record_ids)
    return _address(rng.choice(("/c/", "/api/record/")) + record_id, {}, rng)


def _static(corpus: _Corpus, rng: random.Random) -> str:
    """The home page, the document list (HTML or JSON) or the help page."""
    return _address(rng.choice(("/", "/docs", "/api/docs", "/help")), {}, rng)


_DRAW = {"word": _word, "words": _words, "phrase": _phrase, "name": _name,
         "english": _english, "filter": _filter, "doc": _doc, "record": _record,
         "static": _static}
