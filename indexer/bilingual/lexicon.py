"""The reviewed word lists: glossary (English ↔ Chinese terms and names), office aliases,
English stop words and intent words, and the English lookup key.

``corpus/glossary.tsv`` (``english<TAB>chinese<TAB>kind``) is reviewed by hand: every
Chinese side is printed in the corpus. ``kind`` ``term`` lines translate query words;
``office``, ``title`` and ``unit`` lines name documents, offices and units in English.
"""

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from indexer import CORPUS_DIR
from indexer.analysis import exact_key
from indexer.parse import load_aliases

GLOSSARY_PATH = CORPUS_DIR / "glossary.tsv"
OFFICES_PATH = CORPUS_DIR / "offices.tsv"
GLOSSARY_KINDS = ("term", "office", "title", "unit")

# Function words carry no meaning to translate; "an" is also pinyin, so it must not reach
# the pinyin reader either (issue 5 §4: it would drown the results).
STOPWORDS = frozenset(
    "a an and are as at be by for from in into is it of on or the to with".split()
)

#: Words that say what kind of passage the reader wants rather than its topic
#: ("fire safety measures"): a record need not contain them (issue 12 §2). Singular forms.
INTENT_WORDS = frozenset("""
target measure service policy work plan program programme project system initiative effort
activity result achievement situation development management implementation arrangement
requirement task goal objective action step approach strategy mechanism regulation rule
method way provision scheme opinion notice detail information data progress status
""".split())


_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_IRREGULAR_PLURALS = {"children": "child", "people": "person", "women": "woman", "men": "man",
                      "feet": "foot", "teeth": "tooth", "mice": "mouse"}


@dataclass(frozen=True)
class GlossaryEntry:
    """One reviewed line of ``corpus/glossary.tsv``."""

    english: str
    chinese: str
    kind: str


def english_key(text: str) -> str:
    """Return ``text`` as a glossary/CEDICT lookup key: lower case, words split by spaces.

    Accents and apostrophes vanish (``lājī`` → ``laji``, ``people's`` → ``peoples``) and
    other punctuation, hyphens included, separates words, so ``all-for-one`` and
    ``all for one`` meet.
    """
    if text.isascii():      # most of CC-CEDICT's 200 000 senses: no accents to strip
        text = text.casefold().replace("'", "")
    else:
        text = unicodedata.normalize("NFKD", text).casefold().replace("'", "").replace("’", "")
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(_NON_ALNUM.sub(" ", text).split())


def lemmas(key: str) -> list[str]:
    """Return ``key`` and the singular forms of its last word, ``key`` first.

    ``subsidies`` → ``subsidy``, ``hazards`` → ``hazard``, ``children`` → ``child``: a
    dictionary lists the singular.
    """
    head, _, last = key.rpartition(" ")
    forms = [last]
    if last in _IRREGULAR_PLURALS:
        forms.append(_IRREGULAR_PLURALS[last])
    if len(last) > 4 and last.endswith("ies"):
        forms.append(last[:-3] + "y")
    if len(last) > 3 and last.endswith("es"):
        forms.append(last[:-2])
    if len(last) > 3 and last.endswith("s") and not last.endswith(("ss", "us", "is")):
        forms.append(last[:-1])
    return [f"{head} {f}" if head else f for f in dict.fromkeys(forms)]


def verb_bases(key: str) -> list[str]:
    """Return the verbs the one-word ``key`` may be formed from, else [].

    ``recycling`` → recycle, ``planned`` → plan, ``evacuation`` → evacuate,
    ``management`` → manage. Only a dictionary's verb senses (``to recycle``) translate
    such a form: ``parking`` is not 公园, the noun sense of "park".
    """
    if " " in key:
        return []
    forms = []
    for suffix, endings in (("ing", ("", "e")), ("ed", ("", "e")), ("ation", ("ate", "e")),
                            ("ment", ("",))):
        stem = key[:-len(suffix)]
        if key.endswith(suffix) and len(stem) > 2:
            forms += [stem + ending for ending in endings]
            if suffix in ("ing", "ed") and len(stem) > 3 and stem[-1] == stem[-2]:
                forms.append(stem[:-1])     # planned → plan
    return list(dict.fromkeys(f for f in forms if f != key))


def is_intent(key: str) -> bool:
    """True when the one-word ``key`` (any form) is an :data:`INTENT_WORDS` word."""
    return " " not in key and any(lemma in INTENT_WORDS for lemma in lemmas(key))


@lru_cache(maxsize=1)
def load_glossary(path: Path = GLOSSARY_PATH) -> tuple[GlossaryEntry, ...]:
    """Read the glossary (UTF-8, header ``english<TAB>chinese<TAB>kind``), in file order."""
    lines = path.read_text(encoding="utf-8").splitlines()
    entries = []
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) != 3 or fields[2] not in GLOSSARY_KINDS:
            raise ValueError(f"{path}:{number}: expected english<TAB>chinese<TAB>kind")
        entries.append(GlossaryEntry(*(f.strip() for f in fields)))
    return tuple(entries)


@lru_cache(maxsize=1)
def glossary_index() -> tuple[dict[str, list[str]], dict[str, list[tuple[int, bool, str]]]]:
    """Return (english key → Chinese terms, English word → [(key length, is head, Chinese)]).

    The head is the key's last word: ``education`` is what ``special education`` is.
    """
    whole: dict[str, list[str]] = defaultdict(list)
    by_word: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for entry in load_glossary():
        key = english_key(entry.english)
        whole[key].append(entry.chinese)
        words = key.split()
        # A word of an office name or a title does not make the whole name its translation.
        for word in set(words) - STOPWORDS if entry.kind == "term" else ():
            by_word[word].append((len(words), word == words[-1], entry.chinese))
    return dict(whole), dict(by_word)


@lru_cache(maxsize=1)
def _english_names() -> dict[str, str]:
    """Return Chinese name key → English, for titles, offices and units (first line wins)."""
    names: dict[str, str] = {}
    for entry in load_glossary():
        if entry.kind != "term":
            names.setdefault(exact_key(entry.chinese), entry.english)
    return names


@lru_cache(maxsize=1)
def _office_aliases() -> dict[str, list[str]]:
    """Return canonical office key → its printed aliases, from ``corpus/offices.tsv``.

    The glossary translates names as printed in the corpus; the parser reports canonical
    names (``浙江省文明办`` → ``浙江省精神文明建设委员会办公室``), found through this table.
    """
    aliases: dict[str, list[str]] = defaultdict(list)
    if OFFICES_PATH.exists():
        for alias, canonical in load_aliases(OFFICES_PATH).items():
            aliases[exact_key(canonical)].append(exact_key(alias))
    return dict(aliases)


def english_name(zh: str) -> str | None:
    """Return the curated English name of a document title, office or unit, else ``None``.

    Spaces (line breaks of the print) and Traditional forms are ignored; a canonical office
    name finds the translation of its printed aliases (``corpus/offices.tsv``).
    """
    names = _english_names()
    key = exact_key(zh)
    for candidate in [key, *_office_aliases().get(key, ())]:
        if candidate in names:
            return names[candidate]
    return None
