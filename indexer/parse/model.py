"""What the parts of the parser fill and report: the yearbook, its errors and warnings.

A ``ParseError`` rejects a whole file (it is not a yearbook). Anything smaller that no rule
places is a *warning*: the line is kept as a record of the document it sits in (flagged
``unplaced``) and listed with file and line, and parsing goes on.
"""

from dataclasses import dataclass, field


class ParseError(Exception):
    """Input the parser cannot read at all: carries the file, the 1-based line and a message."""

    def __init__(self, file, line: int, msg: str):
        """Keep ``file``, ``line`` and ``msg``; the text reads ``file:line: msg``."""
        super().__init__(f"{file}:{line}: {msg}")
        self.file, self.line, self.msg = str(file), line, msg

    def __reduce__(self):
        """Pickle by the three arguments (a parse in a worker process may raise one)."""
        return ParseError, (self.file, self.line, self.msg)


@dataclass
class Yearbook:
    """One parsed yearbook file: its containers (``docs``), ``records`` in source order and
    the ``warnings`` (``{"file", "line", "message"}``) about lines no rule could place."""

    id: str
    title: str
    path: str
    docs: list[dict] = field(default_factory=list)
    records: list[dict] = field(default_factory=list)
    warnings: list[dict] = field(default_factory=list)


def warning_text(warning: dict) -> str:
    """Return a warning as one line: ``file:line: message``."""
    return f"{warning['file']}:{warning['line']}: {warning['message']}"


#: Kind-specific keys of an unplaced record, empty, so that every record of a kind has them.
_EMPTY_KEYS = {
    "clause": {"section_key": ""},
    "award": {"unit": "", "persons": [], "honour": "", "awarders": []},
    "list": {"heading": None, "name": "", "entry_type": None, "source": None},
}


def _container_keys(doc: dict, kind: str) -> dict:
    """Return the keys a ``kind`` record copies from its container ``doc``."""
    if kind == "award":
        return {"table": doc.get("table"), "table_title": doc["title"], "level": doc.get("level")}
    if kind == "list":
        return {"list_title": doc["title"]}
    return {}


class Context:
    """What the part parsers share: the yearbook being filled, its year and the alias table."""

    def __init__(self, yearbook: Yearbook, year: int, aliases: dict[str, str]):
        """Start filling ``yearbook`` (of ``year``) using office ``aliases``."""
        self.yearbook, self.year, self.aliases = yearbook, year, aliases
        self.file = yearbook.path

    def error(self, line: int, msg: str) -> ParseError:
        """Return a ParseError for ``line`` of the file being parsed."""
        return ParseError(self.file, line, msg)

    def warn(self, line: int, msg: str) -> None:
        """Report ``msg`` about ``line`` of the file being parsed."""
        self.yearbook.warnings.append({"file": self.file, "line": line, "message": msg})

    def add_doc(self, doc: dict) -> dict:
        """Append container ``doc`` (gains ``yearbook`` and empty ``record_ids``); return it."""
        doc = {"id": doc.pop("id"), **doc, "yearbook": self.yearbook.id, "record_ids": []}
        self.yearbook.docs.append(doc)
        return doc

    def add_record(self, doc: dict, record: dict) -> dict:
        """Append ``record`` to ``doc`` with the shared keys filled in; return it."""
        record = {
            "id": record.pop("id"),
            "kind": record.pop("kind"),
            "yearbook": self.yearbook.id,
            "doc_id": doc["id"],
            "doc_title": doc["title"],
            **record,
            "seq": len(self.yearbook.records) + 1,
        }
        self.yearbook.records.append(record)
        doc["record_ids"].append(record["id"])
        return record

    def unplaced(self, doc: dict, kind: str, line: int, text: str, msg: str) -> dict:
        """Keep ``text`` (from ``line``) that no rule places as a ``kind`` record of ``doc``,
        id ``<doc>.x<n>``, and warn about it with ``msg``; return the record."""
        self.warn(line, msg)
        number = sum(r["doc_id"] == doc["id"] and r.get("unplaced", False)
                     for r in self.yearbook.records) + 1
        return self.add_record(doc, {
            "id": f"{doc['id']}.x{number}", "kind": kind, "section": [], "text": text,
            "date": doc.get("date"), "year": doc.get("year", self.year), "offices": [],
            "refs": [], "line": line, **_EMPTY_KEYS[kind], **_container_keys(doc, kind),
            "unplaced": True,
        })

    def canonical(self, office: str) -> str:
        """Return the canonical name of ``office`` (itself when the table has no alias)."""
        return self.aliases.get(office, office)
