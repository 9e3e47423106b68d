"""Downloads: a result set as data (CSV, JSON Lines) and citations as RIS, BibTeX,
CSL-JSON or GB/T 7714 lines.

Every citation format is written from the CSL-JSON item of webapp/cite.py, through the
format's own library where one exists (``rispy`` for RIS, ``bibtexparser`` for BibTeX), so
the formats agree with each other and with the line shown on the page. The writers take
iterables and yield text, so a result set of any size streams without being held whole.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator

import bibtexparser
import rispy
from bibtexparser.model import Entry, Field

from webapp.cite import date_text, gbt7714

#: ``format=`` values of /api/search and the (mimetype, file extension, link label) of each.
SEARCH_FORMATS = {
    "csv": ("text/csv", "csv", "CSV"),
    "jsonl": ("application/x-ndjson", "jsonl", "JSON Lines"),
    "ris": ("application/x-research-info-systems", "ris", "RIS"),
    "bibtex": ("application/x-bibtex", "bib", "BibTeX"),
    "csl": ("application/vnd.citationstyles.csl+json", "json", "CSL-JSON"),
}
#: ``format=`` values of /api/record/<id>.
RECORD_FORMATS = {
    "ris": SEARCH_FORMATS["ris"],
    "bibtex": SEARCH_FORMATS["bibtex"],
    "csl": SEARCH_FORMATS["csl"],
    "gbt": ("text/plain", "txt", "GB/T 7714"),
}

#: The columns of the CSV and the keys of each JSON line, in order.
DATA_COLUMNS = ("id", "kind", "doc_id", "doc_title", "date", "year", "offices", "section",
                "unit", "persons", "honour", "awarders", "level", "name", "heading", "text",
                "permalink", "citation")

#: CSL type → RIS type (a government document; a part of the yearbook; the yearbook).
_RIS_TYPES = {"legislation": "GOVDOC", "entry": "CHAP", "book": "BOOK"}
#: CSL type → BibTeX entry type.
_BIBTEX_TYPES = {"legislation": "misc", "entry": "incollection", "book": "book"}
_BIBTEX_SPECIAL = re.compile(r"([\\{}%&$#_])")


def _cell(value) -> str:
    """A list joined by the Chinese enumeration comma; None as an empty cell."""
    if isinstance(value, (list, tuple)):
        return "、".join(str(item) for item in value)
    return "" if value is None else str(value)


def data_row(record: dict) -> dict:
    """The exported fields of an enriched record (see :data:`DATA_COLUMNS`)."""
    return {key: record.get(key) for key in DATA_COLUMNS}


def csv_lines(records: Iterable[dict]) -> Iterator[str]:
    """CSV text: a UTF-8 BOM (spreadsheets then read the Chinese right), the header, and
    one row per record; list values are joined with ``、``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(DATA_COLUMNS)
    yield "\ufeff" + _drain(buffer)
    for record in records:
        writer.writerow([_cell(value) for value in data_row(record).values()])
        yield _drain(buffer)


def _drain(buffer: io.StringIO) -> str:
    """What ``buffer`` holds, emptying it."""
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def jsonl_lines(records: Iterable[dict]) -> Iterator[str]:
    """One JSON object per line per record (UTF-8, no ``\\u`` escapes)."""
    for record in records:
        yield json.dumps(data_row(record), ensure_ascii=False) + "\n"


def _year(item: dict, key: str = "issued") -> str | None:
    """The year of CSL date ``key``, as text."""
    value = item.get(key)
    return str(value["date-parts"][0][0]) if value else None


def _slashed(value: dict | None) -> str | None:
    """A CSL date as RIS wants it: ``2018/12/08/`` (missing parts left empty)."""
    if not value:
        return None
    parts = [f"{part:02d}" if n else str(part) for n, part in
             enumerate(value["date-parts"][0])]
    return "/".join(parts + [""] * (3 - len(parts))) + "/"


def _names(people: list[dict] | None) -> list[str]:
    """The literal names of a CSL name list."""
    return [person["literal"] for person in people or [] if person.get("literal")]


def ris_entry(item: dict) -> dict:
    """The rispy dict of a CSL item."""
    entry = {
        "type_of_reference": _RIS_TYPES.get(item["type"], "GEN"),
        "id": item["id"],
        "title": item.get("title"),
        "authors": _names(item.get("author")),
        "secondary_authors": _names(item.get("editor")),
        "secondary_title": item.get("container-title"),
        "publisher": item.get("publisher"),
        "place_published": item.get("publisher-place"),
        "year": _year(item),
        "date": _slashed(item.get("issued") or item.get("event-date")),
        "section": item.get("section"),
        "notes": [f"颁奖单位: {item['authority']}"] if item.get("authority") else [],
        "access_date": _slashed(item.get("accessed")),
        "urls": [item["URL"]] if item.get("URL") else [],
        "language": item.get("language"),
    }
    return {key: value for key, value in entry.items() if value not in (None, "", [])}


class _RisWriter(rispy.RisWriter):
    """rispy's writer without its ``1.`` line before each reference: the count restarts
    with every streamed reference, and other RIS readers take it for junk."""

    def set_header(self, count: int) -> str:
        """No header line."""
        return ""


def ris(items: Iterable[dict]) -> Iterator[str]:
    """RIS text, one reference per item."""
    for item in items:
        yield rispy.dumps([ris_entry(item)], implementation=_RisWriter)


def _bibtex_value(text: str) -> str:
    """``text`` with BibTeX's and LaTeX's special characters escaped."""
    return _BIBTEX_SPECIAL.sub(r"\\\1", text)


def _bibtex_names(people: list[dict] | None) -> str:
    """CSL names as a BibTeX name list, each braced (an organisation is one name)."""
    return " and ".join("{" + _bibtex_value(name) + "}" for name in _names(people))


def bibtex_entry(item: dict) -> Entry:
    """The bibtexparser entry of a CSL item."""
    fields = {
        "title": item.get("title"),
        "author": _bibtex_names(item.get("author")),
        "editor": _bibtex_names(item.get("editor")),
        "booktitle": item.get("container-title"),
        "chapter": item.get("section"),
        "publisher": item.get("publisher"),
        "address": item.get("publisher-place"),
        "year": _year(item),
        "date": date_text(item.get("issued")) or None,
        "note": f"颁奖单位: {item['authority']}" if item.get("authority") else None,
        "url": item.get("URL"),
        "urldate": date_text(item.get("accessed")) or None,
        "language": item.get("language"),
    }
    raw = ("author", "editor")
    return Entry(_BIBTEX_TYPES.get(item["type"], "misc"), item["id"],
                 [Field(key, value if key in raw else _bibtex_value(value))
                  for key, value in fields.items() if value])


def bibtex(items: Iterable[dict]) -> Iterator[str]:
    """BibTeX text, one entry per item."""
    for item in items:
        library = bibtexparser.Library()
        library.add(bibtex_entry(item))
        yield bibtexparser.write_string(library).strip() + "\n\n"


def csl_json(items: Iterable[dict]) -> Iterator[str]:
    """A CSL-JSON array, written item by item."""
    yield "["
    for n, item in enumerate(items):
        yield ("," if n else "") + "\n" + json.dumps(item, ensure_ascii=False)
    yield "\n]\n"


def gbt_lines(items: Iterable[dict]) -> Iterator[str]:
    """The GB/T 7714-2015 lines, one per item."""
    for item in items:
        yield gbt7714(item) + "\n"


def highwire(item: dict) -> list[tuple[str, str]]:
    """The Highwire Press ``citation_*`` meta tags of a CSL item, as (name, content)
    pairs in the order Zotero's "Embedded Metadata" reads them."""
    tags = [("citation_title", item.get("title"))]
    tags += [("citation_author", name) for name in _names(item.get("author"))]
    tags += [("citation_editor", name) for name in _names(item.get("editor"))]
    when = _slashed(item.get("issued") or item.get("event-date"))
    tags += [
        ("citation_publication_date", when.rstrip("/").replace("//", "/") if when else None),
        ("citation_inbook_title", item.get("container-title")),
        ("citation_publisher", item.get("publisher")),
        ("citation_language", item.get("language")),
        ("citation_public_url", item.get("URL")),
        ("citation_abstract_html_url", item.get("URL")),
    ]
    return [(name, content) for name, content in tags if content]


#: format → writer of citation items.
CITATION_WRITERS = {"ris": ris, "bibtex": bibtex, "csl": csl_json, "gbt": gbt_lines}
#: format → writer of enriched records.
DATA_WRITERS = {"csv": csv_lines, "jsonl": jsonl_lines}
