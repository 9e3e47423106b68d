"""The plan: a parsed query analysed against the index — matchers per group (jieba tokens,
phrases, bilingual expansions), exclusions and whole-name boosts.

An English, pinyin or initials expansion is one more alternative of its word's group,
analysed like the Chinese term typed: it matches text, section headings and document title
and scores as the typed term would (issue 12 §1). A Chinese synonym is an alternative too,
but scores :data:`SYNONYM_WEIGHT` of its frequency, below the words typed. A group whose
only word is an English intent word (``measures``) is optional: it adds to the score, no
record needs it. Excluded English and pinyin words exclude their expansions too.
"""

import re
import unicodedata
from collections.abc import Container, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Protocol

from indexer import bilingual
from indexer.analysis import exact_key, is_number, normalise, query_chars, query_words
from indexer.search.errors import QueryError
from indexer.search.query import INVALID, Alternative, ParsedQuery

#: Bounds on ``drop_expansions``: a query has a handful of expansions, each a short term.
MAX_DROPPED = 20
MAX_DROPPED_CHARS = 100
#: Boosts: a whole-name match beats everything; proximity and expansions are secondary.
NAME_BOOST = 30.0
PROXIMITY_BOOST = 2.0
EXPANSION_BOOST = 0.3
#: Weight of a Chinese synonym's frequency: found like a word, ranked below the words typed.
SYNONYM_WEIGHT = 0.5
#: Weight of a phrase's frequency in the score.
PHRASE_WEIGHT = 1.0


class Lexicon(Protocol):
    """What planning asks of the index: its vocabulary (``term in vocabulary``: a word of
    the index or a string some record holds) and its people's names (for their pinyin)."""

    vocabulary: Container[str]
    names: Sequence[str]


@dataclass
class Matcher:
    """One word or phrase of the query, analysed.

    ``phrase``: the normalised phrase (phrases only); ``tokens``: jieba words (words
    only); ``expansions``: normalised Chinese terms a Latin word may also match;
    ``weight`` below 1: a synonym, whose tokens are not scored as words but as a whole, by
    that weight; ``expanded``: an expansion, not a word the reader typed.
    """

    phrase: str | None = None
    tokens: list[str] = field(default_factory=list)
    expansions: list[str] = field(default_factory=list)
    weight: float = 1.0
    expanded: bool = False

    @cached_property
    def units(self) -> list[str]:
        """The strings a word's record must each contain: its tokens, except that a number
        is joined to the tokens beside it (``5万`` stays ``5万``, ``第5条`` one unit), so
        that a number is matched whole where it was typed, not anywhere in the record.
        Computed once, when the plan is complete."""
        units: list[str] = []
        for i, token in enumerate(self.tokens):
            if units and (is_number(token) or is_number(self.tokens[i - 1])):
                units[-1] += token
            else:
                units.append(token)
        return units


@dataclass
class Plan:
    """The analysed query: groups (AND) of matchers (OR), exclusions, scoring queries."""

    groups: list[list[Matcher]] = field(default_factory=list)
    excluded: list[Matcher] = field(default_factory=list)
    expansions: list[dict] = field(default_factory=list)
    dropped: list[dict] = field(default_factory=list)
    #: (whole-name key, boost): records whose name, title or honour is exactly the key.
    boosts: list[tuple[str, float]] = field(default_factory=list)
    #: The plan whose words score the records (a relaxed plan scores as its original).
    scored: "Plan | None" = None
    #: Groups no record needs (English intent words): they add to the score only.
    optional: list[list[Matcher]] = field(default_factory=list)
    #: "Did you mean": ``{"word", "suggestion"}`` for Latin words that expand to nothing.
    suggestions: list[dict] = field(default_factory=list)

    @property
    def scoring(self) -> "Plan":
        """The plan whose tokens, weighted strings and boosts score the matches."""
        return self.scored or self

    @property
    def positive(self) -> list[Matcher]:
        """The matchers of the positive groups, required and optional, in query order."""
        return [m for g in self.groups + self.optional for m in g]

    @property
    def word_tokens(self) -> list[str]:
        """All word tokens of the positive groups (synonyms aside), in query order."""
        return [t for m in self.positive if m.weight == 1.0 for t in m.tokens]

    @property
    def typed_tokens(self) -> list[str]:
        """The word tokens of what the reader typed (expansions aside), in query order."""
        return [t for m in self.positive if not m.expanded for t in m.tokens]

    @property
    def phrases(self) -> list[str]:
        """All phrases of the positive groups, in query order."""
        return [m.phrase for m in self.positive if m.phrase]

    @property
    def weighted(self) -> list[tuple[str, float]]:
        """(normalised string, weight) pairs scored by their frequency in the text.

        Phrases; each word of several jieba tokens as a whole — its tokens side by side
        (proximity), as a phrase query with slop 1 would score them, without Whoosh walking
        positions; synonyms by their weight; bilingual expansion terms, below direct matches.
        """
        return ([(p, PHRASE_WEIGHT) for p in self.phrases]
                + [("".join(m.tokens), PROXIMITY_BOOST if m.weight == 1.0 else m.weight)
                   for m in self.positive if len(m.tokens) > 1 or m.weight != 1.0]
                + [(e, EXPANSION_BOOST) for m in self.positive for e in m.expansions])

    @property
    def needles(self) -> list[str]:
        """Every normalised string to highlight."""
        return [n for n, _ in self.weighted] + [u for m in self.positive for u in m.units]

    @property
    def relaxable(self) -> bool:
        """True when :meth:`relaxed` asks for less than the plan (more than one thing)."""
        return bool(self.word_tokens) and (len(self.groups) > 1 or len(self.word_tokens) > 1)

    def relaxed(self) -> "Plan":
        """The best-partial-matches plan: one group matching any phrase, any unit of a
        word, or any expansion of the plan; same exclusions and boosts.

        A query typed without spaces is one word of several jieba tokens: relaxing it
        token by token is what "best partial matches" means for Chinese. Scoring still
        counts every token of the original plan.
        """
        group = []
        for m in (m for g in self.groups for m in g):
            if m.phrase:
                group.append(m)
                continue
            group += [Matcher(tokens=[u]) for u in m.units]
            group += [Matcher(expansions=[e]) for e in m.expansions]
        return Plan([group], self.excluded, self.expansions, self.dropped, self.boosts,
                    scored=self, suggestions=self.suggestions)


def expand_words(words: list[str], lexicon: Lexicon) -> list[dict]:
    """Chinese terms for Latin/pinyin words from :mod:`indexer.bilingual` (``[]`` if absent).

    Each is ``{"term", "source", "label", "query"}``, ``query`` naming the word or run of
    words it stands for (``waste sorting`` → 垃圾分类). People's names of the index are
    passed so that their pinyin is found too.
    """
    return bilingual.expand_query(words, lexicon.vocabulary, lexicon.names)


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
    return exact_key("".join(ch for ch in term if unicodedata.category(ch) not in INVALID))


def drop_keys(drop) -> dict[str, str]:
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
            lexicon: Lexicon, drop: dict[str, str]) -> set[int]:
    """OR-expand Latin words unknown to the index with bilingual terms, in place.

    A run of words expanded as one unit (``waste sorting`` → 垃圾分类) becomes one group:
    all its words, or any of its expansions, each analysed like the Chinese term typed.
    Expansions whose key is in ``drop`` are listed in ``plan.dropped`` instead: the words
    then match only as written. An unknown word with no expansion gets a spelling
    suggestion when one would expand. Returns the indexes of the groups that are one
    English intent word.
    """
    intent = set()
    for run in _latin_runs(parsed, groups):
        words = [parsed.groups[k][0].text for k in run]
        unknown = [word not in lexicon.vocabulary for word in words]
        if not any(unknown):
            continue
        spans = _spans(words, expand_words(words, lexicon))
        covered = {i for start, end, _ in spans for i in range(start, end)}
        _note_held_back(parsed, words, unknown, covered)
        _suggest(plan, lexicon,
                 [w for i, w in enumerate(words) if unknown[i] and i not in covered])
        for start, end, exps in spans:
            if not any(unknown[start:end]):
                continue
            target = groups[run[start]]
            for k in run[start + 1:end]:
                target[0].tokens += groups[k][0].tokens
                groups[k] = []
            if end - start == 1 and bilingual.is_intent(bilingual.english_key(words[start])):
                intent.add(run[start])
            for exp in exps:
                _add_expansion(plan, target, exp, drop, weight=1.0)
    _expand_alternatives(parsed, groups, plan, lexicon, drop)
    return intent


def _expand_alternatives(parsed: ParsedQuery, groups: list[list[Matcher]], plan: Plan,
                         lexicon: Lexicon, drop: dict[str, str]) -> None:
    """Expand each unknown Latin word of an OR group on its own (``smoking OR museums``)."""
    for alts, group in zip(parsed.groups, groups, strict=True):
        if len(alts) < 2:
            continue
        for alt in alts:
            if alt.kind == "word" and _is_latin(alt.text) and alt.text not in lexicon.vocabulary:
                for exp in expand_words([alt.text], lexicon):
                    _add_expansion(plan, group, exp, drop, weight=1.0)


def _add_expansion(plan: Plan, group: list[Matcher], exp: dict, drop: dict[str, str],
                   weight: float) -> None:
    """Add one expansion to ``group`` as an alternative (or to ``plan.dropped``)."""
    term = expansion_key(exp["term"])
    if term in drop:
        plan.dropped.append({"word": exp["query"], **exp})
        return
    tokens = query_words(term) if weight == 1.0 else [term]
    if tokens:
        group.append(Matcher(tokens=tokens, weight=weight, expanded=True))
        plan.expansions.append({"word": exp["query"], **exp})
        plan.boosts.append((exact_key(term), NAME_BOOST * EXPANSION_BOOST))


def _suggest(plan: Plan, lexicon: Lexicon, words: list[str]) -> None:
    """Add "did you mean" for Latin words that found nothing and expand to nothing."""
    for word in words:
        suggestion = bilingual.suggest(word, lexicon.vocabulary, lexicon.names)
        if suggestion:
            plan.suggestions.append({"word": word, "suggestion": suggestion})


def _add_synonyms(parsed: ParsedQuery, groups: list[list[Matcher]], plan: Plan,
                  lexicon: Lexicon, drop: dict[str, str]) -> None:
    """OR-expand each Chinese word (a group of one word) with its synonyms, in place."""
    for alts, group in zip(parsed.groups, groups, strict=True):
        if len(alts) == 1 and len(group) == 1 and alts[0].kind == "word" \
                and not _is_latin(alts[0].text):
            for exp in bilingual.expand_synonyms(alts[0].text, lexicon.vocabulary):
                _add_expansion(plan, group, exp, drop, weight=SYNONYM_WEIGHT)


def _expand_excluded(parsed: ParsedQuery, plan: Plan, lexicon: Lexicon,
                     drop: dict[str, str]) -> None:
    """Exclude also the Chinese terms an excluded English or pinyin word expands to
    (``-yinhuan``, ``NOT hazards``): an operator works in every language."""
    for alt in parsed.excluded:
        if alt.kind == "word" and _is_latin(alt.text) and alt.text not in lexicon.vocabulary:
            for exp in expand_words([alt.text], lexicon):
                group: list[Matcher] = []
                _add_expansion(plan, group, exp, drop, weight=1.0)
                plan.excluded += group


def corrected_query(query: str, suggestion: dict) -> str:
    """Return ``query`` with the suggestion's word (first whole-word occurrence) replaced."""
    pattern = r"(?<!\S)" + re.escape(suggestion["word"]) + r"(?!\S)"
    return re.sub(pattern, lambda _: suggestion["suggestion"], query, count=1)


def make_plan(parsed: ParsedQuery, lexicon: Lexicon, drop: dict[str, str] | None = None) -> Plan:
    """Analyse the parsed query: matchers per group, expansions, exclusions, boosts.

    ``drop`` (see :func:`drop_keys`) names expansions not to use; one that is no
    expansion of this query is recorded as ignored.
    """
    plan = Plan()
    drop = drop or {}
    groups = [[m for m in (_matcher(a, parsed) for a in group) if m] for group in parsed.groups]
    _add_synonyms(parsed, groups, plan, lexicon, drop)
    intent = _expand(parsed, groups, plan, lexicon, drop)
    plan.excluded = [m for m in (_matcher(a, parsed) for a in parsed.excluded) if m]
    _expand_excluded(parsed, plan, lexicon, drop)
    found = {expansion_key(exp["term"]) for exp in plan.dropped}
    for key, term in drop.items():
        if key not in found:
            parsed.ignore(term, "not_an_expansion")
    if all(k in intent for k, g in enumerate(groups) if g):
        intent = set()      # intent words alone are the topic
    plan.groups = [g for k, g in enumerate(groups) if g and k not in intent]
    plan.optional = [g for k, g in enumerate(groups) if g and k in intent]
    _add_name_boost(parsed, plan)
    return plan


def _add_name_boost(parsed: ParsedQuery, plan: Plan) -> None:
    """Boost records whose name/title/honour equals the whole query (no OR)."""
    if not parsed.groups or any(len(g) != 1 for g in parsed.groups):
        return
    key = exact_key("".join(g[0].text for g in parsed.groups))
    if key:
        plan.boosts.append((key, NAME_BOOST))
