"""Rank and combine the expansions of a query's words (the sources live in the sibling
modules: :mod:`.english`, :mod:`.pinyin`, :mod:`.thesaurus`, :mod:`.suggest`).

Every expansion is a dict ``{"term", "source", "label", "query"}``; ``source`` is one of
``latin`` (a Latin token printed in the corpus, kept as written), ``glossary``, ``cedict``,
``combined`` (the words of an English phrase translated one by one and found side by side
in the corpus: ``fire hazards`` → 火灾 + 隐患), ``pinyin``, ``initials``, and for Chinese
words ``synonyms`` (reviewed) or ``cilin`` (同义词词林). Ranking, best first: Latin token;
glossary entry equal to the English; CEDICT sense equal to it; glossary entry containing
the word; CEDICT sense containing it; pinyin readings; initials. At most
:data:`MAX_PER_WORD` per word, of which CC-CEDICT keeps :data:`CEDICT_SLOTS` when it has
candidates, so that neither the reviewed glossary nor the dictionary crowds the other out.

``vocab`` is any container answering ``in`` for normalised index terms (jieba words seen in
the index, and substrings of the texts). Pinyin is read against the words it yields when
iterable; otherwise against the jieba words of the yearbooks in ``corpus/`` it contains.
"""

import re
from collections import defaultdict
from collections.abc import Collection, Iterable
from itertools import product

from indexer.analysis import normalise
from indexer.bilingual import thesaurus
from indexer.bilingual.corpus import corpus_count
from indexer.bilingual.english import Candidate, candidates, is_english, occurs
from indexer.bilingual.lexicon import STOPWORDS, english_key
from indexer.bilingual.pinyin import PinyinReader, parse_pinyin, segment_pinyin
from indexer.bilingual.suggest import Speller

#: Cap on the expansions of one query word or phrase.
MAX_PER_WORD = 5
#: Places CC-CEDICT keeps within that cap when the glossary offers more.
CEDICT_SLOTS = 2
#: Cap on pinyin readings of a word that also reads as English (``fang``, ``men``).
MAX_PINYIN_WHEN_ENGLISH = 2
#: Longest English or pinyin phrase tried as one unit; longest combined word by word.
MAX_PHRASE_WORDS = 6
MAX_COMBINED_WORDS = 3
#: Candidates of each word tried in combinations, and combinations kept.
COMBINE_EACH = 4
COMBINED_KEPT = 2
#: A combined phrase's head piece is searched alone only when the corpus prints it at most
#: this often.
MAX_HEAD_COUNT = 40
#: Expansions remembered per vocabulary before the memo starts afresh.
_MAX_MEMO = 4096

# Tiers around the English ones (1–4), lower is better: a combined phrase sits between a
# glossary entry and a CC-CEDICT sense equal to the English.
_LATIN, _COMBINED, _PINYIN, _INITIALS = 0, 1.5, 5, 6
_LATIN_TOKEN = re.compile(r"^[0-9a-z]+$")
_CJK_TEXT = re.compile(r"^[\u3400-\u9fff]+$")


class Expander:
    """Expansion against one vocabulary; holds the pinyin and spelling tables built for it."""

    def __init__(self, vocab: Collection[str], names: Iterable[str] = ()):
        """Remember ``vocab`` and the people's names whose pinyin should also be found."""
        self.vocab = vocab
        self.pinyin = PinyinReader(vocab, names)
        self.speller = Speller(vocab)
        self._memo: dict[str, list[dict]] = {}

    # -- single words ------------------------------------------------------------------

    def expand_term(self, text: str) -> list[dict]:
        """Expand one typed word (or words taken as a unit), ranked; [] when nothing fits.

        Remembered per vocabulary (the same words come back page after page); callers get
        copies they may change.
        """
        if text not in self._memo:
            if len(self._memo) >= _MAX_MEMO:
                self._memo.clear()
            self._memo[text] = self._expand_term(text)
        return [dict(entry) for entry in self._memo[text]]

    def _expand_term(self, text: str) -> list[dict]:
        """Compute :meth:`expand_term`."""
        key = english_key(text)
        if not key or key in STOPWORDS or _CJK_TEXT.match("".join(text.split())):
            return []
        found: list[Candidate] = []
        latin = normalise(text.strip())
        acronym = " " not in key and bool(_LATIN_TOKEN.match(latin)) and latin in self.vocab
        if acronym:
            found.append(((_LATIN, 0), latin, "latin"))
        translated = candidates(key, self.vocab)
        found += translated
        reads_english = bool(translated) or is_english(key)
        pinyin = self._pinyin(text, reads_english)
        found += pinyin
        if not (acronym or reads_english or pinyin):
            found += [((_INITIALS, *rank), word, "initials")
                      for rank, word in self.pinyin.initials(key)]
        return _entries(text.strip(), found)

    def _pinyin(self, text: str, reads_english: bool, compound: bool = True) -> list[Candidate]:
        """Return pinyin readings of ``text`` (spaces ignored) as ranked candidates.

        A single toneless syllable that also reads as English (``fang``, ``an``) is taken
        as English only; a word that reads both ways keeps at most
        :data:`MAX_PINYIN_WHEN_ENGLISH` pinyin readings, after the English ones. Without
        a reading of its own, ``text`` may be read as several words (``compound``).
        """
        found = self.pinyin.readings(text, one_syllable_ok=not reads_english)
        if not found and compound and not reads_english \
                and len(segment_pinyin(parse_pinyin(text)[0]) or ()) > 1:
            found = self.pinyin.compound(text)
        found = [((_PINYIN, *rank), word, "pinyin") for rank, word in found]
        return found[:MAX_PINYIN_WHEN_ENGLISH] if reads_english else found

    # -- phrases -----------------------------------------------------------------------

    def expand_words(self, words: list[str]) -> list[dict]:
        """Expand a query's words, longest phrase first, left to right.

        A run of words that is one glossary or CEDICT entry (``garbage sorting``), whose
        words' translations stand side by side in the corpus (``fire hazards``), or that
        is one pinyin word (``zong qing hou``) is expanded as a unit; the remaining words
        one by one. Each expansion's ``query`` names the words it stands for.
        """
        out: list[dict] = []
        i = 0
        while i < len(words):
            for n in range(min(MAX_PHRASE_WORDS, len(words) - i), 0, -1):
                span = words[i:i + n]
                entries = self.expand_term(span[0]) if n == 1 else self._phrase(span)
                if entries or n == 1:
                    out += entries + self._reviewed_synonyms(entries)
                    i += n
                    break
        return out

    def _phrase(self, span: list[str]) -> list[dict]:
        """Expand several words as one unit: an English entry, the words' translations side
        by side, else one pinyin word."""
        text = " ".join(span)
        key = english_key(text)
        found = candidates(key, self.vocab, whole_only=True)
        if not found and len(span) <= MAX_COMBINED_WORDS:
            found = self._combined(span)
        if not found and all(segment_pinyin(parse_pinyin(w)[0]) for w in span):
            # A reading of the whole run must fit its tones, else the words go one by one.
            # Only syllables typed apart (``la ji fen lei``) are joined into several words;
            # words typed apart that are words already (``laji fenlei``) stay apart.
            compound = all(len(segment_pinyin(parse_pinyin(w)[0]) or ()) == 1 for w in span)
            found = [c for c in self._pinyin("".join(span), reads_english=False,
                                             compound=compound) if not c[0][1]]
        return _entries(text, found)

    def _combined(self, span: list[str]) -> list[Candidate]:
        """The words' translations joined in order, where the corpus prints them so.

        ``fire hazards``: 火灾 (fire) + 隐患 (hazard) → 火灾隐患. Each word offers its best
        :data:`COMBINE_EACH` English candidates; a combination ranks by the sum of their
        places. The head word's piece of the best combination follows them (公共厕所,
        then 厕所). Stop words and words that translate to nothing end the attempt.
        """
        keys = [english_key(w) for w in span]
        if any(not k or k in STOPWORDS or " " in k for k in keys):
            return []
        options = []
        for key in keys:
            ranked = sorted(candidates(key, self.vocab), key=lambda c: c[0])
            terms = list(dict.fromkeys(normalise(zh) for _, zh, _ in ranked))[:COMBINE_EACH]
            if not terms:
                return []
            options.append(terms)
        found = []
        for places in product(*(range(len(o)) for o in options)):
            joined = "".join(o[p] for o, p in zip(options, places, strict=True))
            if occurs(joined, self.vocab, allow_split=False):
                head = options[-1][places[-1]]
                found.append(((_COMBINED, sum(places)), joined, "combined", head))
        found.sort()
        # The head of the best combination too, after them (public toilets are toilets),
        # unless it is a word printed everywhere (企业 of property companies).
        head = [((_COMBINED, len(span) * COMBINE_EACH), found[0][3], "combined")] \
            if found and len(found[0][3]) > 1 and corpus_count(found[0][3]) <= MAX_HEAD_COUNT \
            else []
        return [c[:3] for c in found[:COMBINED_KEPT]] + head

    def _reviewed_synonyms(self, entries: list[dict]) -> list[dict]:
        """Expansions of the reviewed synonyms (``corpus/synonyms.tsv``) of ``entries``'
        terms the index holds: chronic diseases → 慢性病, and the text's 慢病."""
        have = {e["term"] for e in entries}
        out = []
        for entry in entries:
            for term in thesaurus.reviewed(entry["term"]) if entry["source"] != "latin" else ():
                if term not in have and term in self.vocab:
                    have.add(term)
                    out.append({"term": term, "source": "synonyms", "query": entry["query"],
                                "label": f"{entry['query']} → {term}"})
        return out

    # -- Chinese words and spelling ------------------------------------------------------

    def synonyms(self, word: str) -> list[dict]:
        """Expansions of a Chinese word by its synonyms (reviewed list, then 词林)."""
        return [{"term": term, "source": source, "query": word, "label": f"{word} → {term}"}
                for term, source in thesaurus.synonyms(word, self.vocab)]

    def suggest(self, word: str) -> str | None:
        """Return a spelling of ``word`` that would expand, for a word that expands to nothing."""
        if self.expand_term(word) or normalise(word) in self.vocab:
            return None
        suggestion = self.speller.suggest(word)
        return suggestion if suggestion and self.expand_term(suggestion) else None


def held_back(text: str) -> bool:
    """True when ``text`` is one toneless pinyin syllable that also reads as English.

    Such a word (``fang``, ``men``) is never read as pinyin (see :meth:`Expander._pinyin`):
    one syllable is the reading of dozens of characters, which would drown the results. A
    tone (``fang1``) or the next syllable (``fang an``) makes it pinyin; the search tells
    the reader so.
    """
    letters, marks, numbers = parse_pinyin(text)
    return not (marks or numbers) and len(segment_pinyin(letters) or ()) == 1 \
        and is_english(english_key(text))


def _entries(query: str, found: list[Candidate]) -> list[dict]:
    """Rank candidates, drop repeated terms (best rank wins), cap, and label them."""
    best: dict[str, tuple[tuple, str]] = {}
    for rank, term, source in sorted(found, key=lambda item: item[0]):
        best.setdefault(normalise(term), (rank, source))
    kept = sorted(_within_cap(best), key=lambda term: best[term][0])
    return [{"term": term, "source": best[term][1], "query": query,
             "label": f"{query} (as written)" if best[term][1] == "latin"
             else f"{query} → {term}"} for term in kept]


def _within_cap(best: dict[str, tuple[tuple, str]]) -> list[str]:
    """Choose at most :data:`MAX_PER_WORD` terms of ``best`` (term → (rank, source)).

    Latin first; then reviewed glossary terms are not crowded out by dictionary senses:
    CC-CEDICT keeps :data:`CEDICT_SLOTS` places (``building`` → 楼长 of
    ``building leader`` as well as 建筑), and the glossary fills the rest before it;
    pinyin readings and initials take what is left.
    """
    by_source: dict[str, list[str]] = defaultdict(list)
    for term, (_, source) in best.items():
        by_source[source].append(term)
    chosen = by_source["latin"][:MAX_PER_WORD]
    cedict = by_source["cedict"]
    room = MAX_PER_WORD - len(chosen)
    glossary = (by_source["glossary"] + by_source["combined"])[
        :max(0, room - min(len(cedict), CEDICT_SLOTS))]
    chosen += glossary + cedict[:room - len(glossary)]
    return chosen + (by_source["pinyin"] + by_source["initials"])[:MAX_PER_WORD - len(chosen)]

