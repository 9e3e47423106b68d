"""The loaded index: everything one build folder holds, in the form the searcher reads."""

import json
import threading
from bisect import bisect_right
from itertools import accumulate, chain
from pathlib import Path

from whoosh import index, scoring

from indexer.analysis import exact_key, normalise
from indexer.refs import ref_key
from indexer.search.highlight import Normalised

FACET_FIELDS = ("doc", "year", "office", "kind", "level", "person")
#: BM25 length-normalisation strength.
B = 0.75
#: Field weights of a word match. Every record of a document shares its title, so a title
#: match says little about one record; a section heading is more specific.
WORD_FIELDS = {"text": 1.0, "title": 0.5, "section": 1.0}

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


class State:
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

    def normalised(self, i: int) -> Normalised:
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
    return [1 - B + B * len(x) / avg for x in strings]


def _facet_values(record: dict) -> dict[str, list[str]]:
    """Return the facet values of ``record``: field → list of values (as strings)."""
    return {
        "doc": [record["doc_id"]],
        "year": [str(record["year"])] if record.get("year") is not None else [],
        "office": list(record.get("offices") or []),
        "kind": [record["kind"]],
        # Award rows have a level (national/provincial/municipal); people are the award
        # rows' persons and the honour lists' named people.
        "level": [record["level"]] if record.get("level") else [],
        "person": list(record.get("persons") or
                       ([record["name"]] if record.get("entry_type") == "person" else [])),
    }

