"""The embedded backend's shortcuts against the plain definitions, on the real corpus.

Matching skips the exact check where the postings decide, remembers candidates and
holders, and checks exclusions on their own candidates only; scoring remembers a string's
saturated frequency per record and keeps its place array between calls. Whatever the path,
the match must be the records :func:`indexer.search.verify.matches` accepts (checked on
every record), and a record's score must not depend on what else is scored with it.
"""

import random
import re

import pytest

from indexer.search import Searcher, parse_query
from indexer.search.backend import Request
from indexer.search.plan import drop_keys, make_plan
from indexer.search.verify import Strings, matches

_TYPABLE = re.compile(r"[\u4e00-\u9fff0-9A-Za-z]+")


@pytest.fixture(scope="module")
def engine(built_index):
    """``(embedded backend, each record's verify.Strings)`` of the real corpus."""
    searcher = Searcher(built_index)
    return searcher.backend, [Strings.of(r) for r in searcher.records()]


def _queries(backend, count: int = 60, seed: int = 7) -> list[str]:
    """Queries cut from record texts (1–5 characters, digits included), alone, ORed,
    side by side, quoted and excluded; a few English words that expand."""
    rng = random.Random(seed)
    spans = [s for i in range(backend.size) for s in _TYPABLE.findall(backend.norm[i])]

    def cut() -> str:
        span = rng.choice(spans)
        size = rng.randint(1, min(5, len(span)))
        start = rng.randrange(len(span) - size + 1)
        return span[start:start + size]

    forms = [lambda: cut(), lambda: f"{cut()} {cut()}", lambda: f"{cut()} OR {cut()}",
             lambda: f'"{cut()}"', lambda: f"{cut()} -{cut()}", lambda: cut() + cut()]
    return [rng.choice(forms)() for _ in range(count)] + _near_misses(backend, rng) \
        + _heading_only(backend, rng) + [
        "waste sorting", "safety -fire", "laji fenlei", "街道 -上城区"]


def _near_misses(backend, rng: random.Random, count: int = 12) -> list[str]:
    """Phrases of three characters ``xyz`` whose bigrams ``xy`` and ``yz`` some record
    holds apart but not together: its bigram postings name it, only the exact check turns
    it away (required, ORed, excluded; and as a word, which jieba may cut)."""
    found: list[str] = []
    for i in rng.sample(range(backend.size), backend.size):
        text = backend.searchable[i]
        for a in range(len(text) - 1):
            b = text.find(text[a + 1], a + 2)
            word = text[a] + text[b:b + 2] if b > 0 else ""
            if len(word) == 3 and word.isalpha() and word not in text:
                found += [f'"{word}"', f'"{word}" OR {text[a:a + 2]}',
                          f'{text[a:a + 2]} -"{word}"', word]
                break
        if len(found) >= count:
            return found
    return found


def _plans(backend, query: str) -> list:
    """The plan of ``query`` and, when it has one, its relaxed plan with the most specific
    word required and excluded (what the fallback asks the backend)."""
    plan = make_plan(parse_query(query), backend, drop_keys(None))
    plans = [plan]
    if plan.relaxable:
        relaxed = plan.relaxed()
        word = next(m for g in plan.groups for m in g if not m.phrase)
        plans += [relaxed, type(relaxed)([[word], *relaxed.groups], relaxed.excluded),
                  type(relaxed)(relaxed.groups, [*relaxed.excluded, word])]
    return plans


def test_match_is_the_exact_check_of_every_record(engine):
    backend, strings = engine
    checked = 0
    for query in _queries(backend):
        for plan in _plans(backend, query):
            if not plan.groups:
                continue
            expected = [i for i, s in enumerate(strings) if matches(plan, s)]
            assert backend._match(plan).tolist() == expected, query
            assert backend.find(plan, Request(count_only=True)).matched == len(expected)
            checked += 1
    assert checked > 60


def test_a_records_score_does_not_depend_on_the_others_scored(engine):
    backend, _ = engine
    for query in _queries(backend, count=40, seed=11):
        plan = make_plan(parse_query(query), backend, drop_keys(None))
        if not plan.groups:
            continue
        found = backend._match(plan.relaxed() if plan.relaxable else plan)
        some = found[::3]
        first = backend.score(some, plan)       # a few: counted where they are
        whole = backend.score(found, plan)      # most of a string's records: remembered
        again = backend.score(some, plan)       # from what was remembered
        assert first.tolist() == again.tolist() == whole[::3].tolist(), query



def _heading_only(backend, rng: random.Random, count: int = 6) -> list[str]:
    """Quoted bigrams a record has in its section headings but not in its text: a word
    there matches (bigram postings decide), a phrase does not (the text is checked)."""
    found = []
    for i in rng.sample(range(backend.size), backend.size):
        heads = backend.searchable[i][backend.text_ends[i] + 1:]
        pairs = [heads[a:a + 2] for a in range(len(heads) - 1)
                 if heads[a:a + 2].isalpha() and heads[a:a + 2] not in backend.norm[i]]
        if pairs:
            found += [f'"{pairs[0]}"', f'{pairs[0]} -"{pairs[0]}"']
        if len(found) >= count:
            break
    return found
