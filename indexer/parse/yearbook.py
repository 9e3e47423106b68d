"""A yearbook file → ``Yearbook``: its name, its parts, the ids of its documents; a corpus of
them; the alias table, the JSON Lines output and the summary.

Ids depend only on the content of one yearbook file, never on file order or on the other
yearbooks of the corpus (see the package docstring for their shapes).
"""

import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from indexer import CORPUS_DIR
from indexer.parse.awards import AwardsPart, unplace_para
from indexer.parse.documents import read_documents
from indexer.parse.model import Context, ParseError, Yearbook, warning_text
from indexer.parse.text import Para, paragraphs, strip_markup

#: Part headings of this yearbook format: part name → (kind, entry type of its honour lists
#: when the layout does not tell: a single name without separators).
PARTS = {
    "先进集体": ("awards", "unit"),
    "先进个人": ("awards", "person"),
    "文件辑录": ("documents", None),
}


def yearbook_name(path: Path) -> tuple[str, int, str]:
    """Return ``(id, year, title)`` from a file name like ``shangcheng-yearbook-2018.txt``."""
    words = path.stem.split("-")
    if len(words) < 2 or not re.fullmatch(r"\d{4}", words[-1]):
        raise ParseError(path, 0, "file name must end with the year: <place>-yearbook-<yyyy>")
    place = [w for w in words[:-1] if w != "yearbook"]
    title = " ".join(w.capitalize() for w in place) + f" Yearbook {words[-1]}"
    return "-".join(place + [words[-1]]), int(words[-1]), title


def split_parts(paras: list[Para]) -> tuple[list[Para], list[tuple[str, list[Para]]]]:
    """Split paragraphs at part headings: return the text before the first one and the
    parts as ``(name, paragraphs)``."""
    front: list[Para] = []
    parts: list[tuple[str, list[Para]]] = []
    for para in paras:
        name = strip_markup(para.text) if len(para.lines) == 1 else ""
        if name in PARTS:
            parts.append((name, []))
        else:
            (parts[-1][1] if parts else front).append(para)
    return front, parts


class _Loose:
    """The container of a part's text that sits in no document (created when needed)."""

    def __init__(self, ctx: Context, key: str, title: str):
        """Name the container ``<yearbook>.<key>`` with ``title`` (the part's heading)."""
        self.ctx, self.key, self.title, self.doc = ctx, key, title, None

    def __call__(self) -> dict:
        """Return the container, adding it to the yearbook on first use."""
        if self.doc is None:
            self.doc = self.ctx.add_doc({
                "id": f"{self.ctx.yearbook.id}.{self.key}", "kind": "list", "title": self.title,
                "date": None, "year": self.ctx.year, "offices": [], "line": 0, "headings": [],
                "source": None,
            })
        return self.doc


def assign_policy_ids(yearbook: Yearbook) -> None:
    """Give policy documents their final ids: ``<yearbook>.<yyyymmdd>``, and when several
    share a date, the suffixes a, b, … in the order of their titles (never of the files)."""
    by_date: dict[str, list[dict]] = {}
    for doc in yearbook.docs:
        if doc["kind"] == "policy":
            by_date.setdefault(doc["id"].partition("~")[0], []).append(doc)
    for base, docs in by_date.items():
        ordered = sorted(docs, key=lambda d: (d["title"], d["line"]))
        for letter, doc in zip("abcdefghijklmnopqrstuvwxyz", ordered, strict=False):
            _rename(yearbook, doc, base + (letter if len(docs) > 1 else ""))


def _rename(yearbook: Yearbook, doc: dict, new_id: str) -> None:
    """Change the (unique, provisional) id of ``doc`` to ``new_id``, in its records too."""
    old = doc["id"]
    for record in yearbook.records:
        if record["doc_id"] == old:
            record["id"] = new_id + record["id"][len(old) :]
            record["doc_id"] = new_id
    doc["record_ids"] = [new_id + rid[len(old) :] for rid in doc["record_ids"]]
    doc["id"] = new_id


def load_aliases(path: Path) -> dict[str, str]:
    """Read an office alias table (``alias<TAB>canonical``, ``#`` comments) into a dict."""
    aliases: dict[str, str] = {}
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = [cell.strip() for cell in line.split("\t")]
        if len(cells) != 2 or not all(cells):
            raise ParseError(path, number, "expected alias<TAB>canonical")
        if cells[0] in aliases and aliases[cells[0]] != cells[1]:
            raise ParseError(path, number, f"alias {cells[0]} given two canonical names")
        aliases[cells[0]] = cells[1]
    for alias, canonical in aliases.items():
        if aliases.get(canonical, canonical) != canonical:
            raise ParseError(path, 0, f"canonical name {canonical} of {alias} is itself an alias")
    return aliases


def alias_table(path: Path) -> Path:
    """Return the office alias table for a yearbook file: beside it, else corpus/offices.tsv."""
    beside = path.parent / "offices.tsv"
    return beside if beside.exists() else CORPUS_DIR / "offices.tsv"


def parse_file(path, aliases: dict[str, str] | None = None) -> Yearbook:
    """Parse one yearbook text file into a ``Yearbook``.

    Raises ParseError when the file is not a yearbook (bad name, no part heading, not
    UTF-8); lines no rule places are kept and listed in ``Yearbook.warnings``.
    ``aliases`` (alias → canonical office) defaults to the ``offices.tsv`` beside the file,
    or the project's ``corpus/offices.tsv``.
    """
    path = Path(path)
    return parse_text(decode(path, path.read_bytes()), path, aliases)


def decode(path: Path, data: bytes) -> str:
    """The text of yearbook file ``path`` (its bytes ``data``, UTF-8 with or without BOM).

    Raises ParseError when the bytes are not UTF-8.
    """
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ParseError(path, 0, f"not UTF-8 text ({err.reason})") from None


def parse_text(text: str, path, aliases: dict[str, str] | None = None) -> Yearbook:
    """Parse yearbook ``text`` as if read from ``path`` (which names the yearbook and the
    file in errors); ``aliases`` as for ``parse_file``."""
    path = Path(path)
    yearbook_id, year, title = yearbook_name(path)
    if aliases is None:
        aliases = load_aliases(alias_table(path))
    front, parts = split_parts(paragraphs(text.splitlines()))
    if not parts:
        raise ParseError(path, 1, f"not a yearbook: no part heading ({'/'.join(PARTS)})")
    yearbook = Yearbook(yearbook_id, title, str(path))
    ctx = Context(yearbook, year, aliases)
    loose = _Loose(ctx, "u0", title)
    for para in front:
        unplace_para(ctx, loose(), "list", para, "text before the first part heading")
    for k, (name, paras) in enumerate(parts, 1):
        kind, default = PARTS[name]
        if kind == "awards":
            AwardsPart(ctx, _Loose(ctx, f"u{k}", name), default).read(paras)
        else:
            read_documents(ctx, paras)
    assign_policy_ids(yearbook)
    return yearbook


@dataclass
class Corpus:
    """The yearbooks of a folder, and the ``errors`` (ParseError) of the files skipped."""

    yearbooks: list[Yearbook] = field(default_factory=list)
    errors: list[ParseError] = field(default_factory=list)

    @property
    def warnings(self) -> list[dict]:
        """Every warning of every yearbook, in file order."""
        return [w for yearbook in self.yearbooks for w in yearbook.warnings]


def read_corpus(folder, parse=parse_file) -> Corpus:
    """Parse every ``*.txt`` yearbook in ``folder`` (sorted by name) with ``parse`` (path →
    ``Yearbook``; :class:`~indexer.parse.cache.ParseCache` reuses unchanged files' results
    and, through its ``map``, parses the others on every core).

    A file that is not a yearbook, or whose id another file already gave, is skipped and
    its error kept; the others are read.
    """
    paths = sorted(Path(folder).glob("*.txt"))
    corpus, seen = Corpus(), {}
    for path, yearbook in zip(paths, _parse_all(parse, paths), strict=True):
        if isinstance(yearbook, ParseError):
            corpus.errors.append(yearbook)
            continue
        if yearbook.id in seen:
            corpus.errors.append(ParseError(path, 0, f"yearbook id {yearbook.id} also from "
                                                     f"{seen[yearbook.id]}"))
            continue
        seen[yearbook.id] = path.name
        corpus.yearbooks.append(yearbook)
    return corpus


def _parse_all(parse, paths: list[Path]) -> Iterator[Yearbook | ParseError]:
    """``parse`` of each path, in order, a ParseError given as the result; through
    ``parse.map`` when ``parse`` has one (it parses in parallel)."""
    if hasattr(parse, "map"):
        yield from parse.map(paths)
        return
    for path in paths:
        try:
            yield parse(path)
        except ParseError as err:
            yield err


def parse_corpus(folder) -> list[Yearbook]:
    """Return the yearbooks of ``folder`` as :func:`read_corpus` reads them (files that
    are not yearbooks skipped)."""
    return read_corpus(folder).yearbooks


def records_to_jsonl(yearbook: Yearbook) -> str:
    """Return the records of ``yearbook`` as JSON Lines (UTF-8 text, one record a line)."""
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in yearbook.records)


def summary(yearbook: Yearbook) -> str:
    """Return a text report: counts per kind of record and per document, then warnings."""
    kinds = Counter(r["kind"] for r in yearbook.records)
    doc_kinds = Counter(d["kind"] for d in yearbook.docs)
    lines = [
        f"{yearbook.id}: {yearbook.path}",
        "documents: " + ", ".join(f"{k} {n}" for k, n in sorted(doc_kinds.items())),
        "records: " + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items()))
        + f", total {len(yearbook.records)}",
        f"warnings: {len(yearbook.warnings)}",
        "",
    ]
    for doc in yearbook.docs:
        counts = Counter(
            r["kind"] for r in yearbook.records if r["doc_id"] == doc["id"])
        count_text = ", ".join(f"{k} {n}" for k, n in sorted(counts.items()))
        lines.append(f"{doc['id']:<28} {doc['kind']:<7} {count_text:<12} {doc['title']}")
    if yearbook.warnings:
        lines += ["", *(f"warning: {warning_text(w)}" for w in yearbook.warnings)]
    return "\n".join(lines) + "\n"
