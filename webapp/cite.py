"""Citations of records, documents and yearbooks: one CSL-JSON item each, and its
GB/T 7714-2015 line.

Every kind of thing the site shows is cited from one bibliographic item (CSL-JSON, the
form Zotero and citeproc read); the exports (webapp/exports.py) turn the same item into
RIS and BibTeX, so the formats never disagree. The GB/T 7714 line is built from it too:

- clause: ``发文机关, 发文机关. 文件题名[EB/OL]. (日期): 条款号[引用日期]. URL``
- policy document: ``发文机关. 文件题名[EB/OL]. (日期)[引用日期]. URL``
- award row: ``获奖者: 荣誉(颁奖单位 as printed, 日期)[EB/OL]//年鉴: 表N[引用日期]. URL``
- honour-list entry: ``年鉴编辑部. 名单题名(分类): 名称[EB/OL]//年鉴[引用日期]. URL``
- award table or honour list: ``题名[EB/OL]//年鉴: 表N[引用日期]. URL``
- the yearbook: ``编者. 题名[M]. 出版地: 出版者, 出版年.``

The yearbook's data (title, compiler, publisher, place, year) comes from the reviewed
``corpus/yearbooks.tsv``; what it leaves empty is left out, never guessed. The lines stay
in Chinese in both interfaces because they cite the Chinese source. Separators are the
standard's ASCII ``. `` ``, `` ``: `` and ``//`` throughout.
"""

from __future__ import annotations

import csv
import re
from datetime import date
from functools import lru_cache
from pathlib import Path

from indexer import CORPUS_DIR

YEARBOOKS_PATH = CORPUS_DIR / "yearbooks.tsv"
YEARBOOK_FIELDS = ("id", "title", "title_en", "covers", "compiler", "publisher", "place",
                   "year")

#: The numbering that opens a section label: 第三条 / 一、 / (一) / 1. / (1).
_NUMBER = re.compile(
    r"\s*(第[一二三四五六七八九十百零〇\d]+[编章节条款项]"
    r"|[一二三四五六七八九十]+(?=、)"
    r"|[(（]\s*[一二三四五六七八九十\d]+\s*[)）]"
    r"|\d+(?=\s*[.．、](?!\d)))")


@lru_cache(maxsize=4)
def load_yearbooks(path: Path = YEARBOOKS_PATH) -> dict[str, dict]:
    """``corpus/yearbooks.tsv`` as id → {field: value}, empty cells left out.

    Lines starting with ``#`` are comments; a missing file means no yearbook is known.
    """
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    rows = csv.reader((line for line in text.splitlines()
                       if line.strip() and not line.startswith("#")), delimiter="\t")
    books = {}
    for row in rows:
        book = {key: value.strip() for key, value in zip(YEARBOOK_FIELDS, row, strict=False)
                if value.strip()}
        books[book["id"]] = book
    return books


def yearbook(yearbook_id: str | None) -> dict | None:
    """The reviewed data of yearbook ``yearbook_id``, or None when it is not listed."""
    return load_yearbooks().get(yearbook_id or "")


def clause_number(labels: list[str]) -> str:
    """The clause's number from its section labels' numbering, outermost first:
    ``["四、工作要求", "(四) 广泛发动"]`` → ``四(四)``; labels without a number are skipped."""
    numbers = []
    for label in labels:
        found = _NUMBER.match(label or "")
        if found:
            numbers.append(re.sub(r"\s+", "", found.group(1)).replace("（", "(")
                           .replace("）", ")"))
    return "".join(numbers)


def _date_parts(value: str | int | None) -> dict | None:
    """CSL ``{"date-parts": [[y, m, d]]}`` of ``2018``, ``2018-11`` or ``2018-11-20``."""
    if not value:
        return None
    parts = [int(part) for part in str(value).split("-") if part.isdigit()]
    return {"date-parts": [parts]} if parts else None


def _literal(names: list[str]) -> list[dict]:
    """CSL names of organisations (kept whole: no family/given split)."""
    return [{"literal": name} for name in names if name]


def _container(book: dict | None) -> dict:
    """CSL fields naming ``book`` as the container of a record."""
    if not book:
        return {}
    item = {"container-title": book.get("title")}
    if book.get("compiler"):
        item["editor"] = _literal([book["compiler"]])
    item["publisher"] = book.get("publisher")
    item["publisher-place"] = book.get("place")
    item["issued"] = _date_parts(book.get("year"))
    return item


def recipient(record: dict) -> str:
    """Who an award row honours: the persons with their unit, or the unit."""
    persons = "、".join(record.get("persons") or [])
    unit = record.get("unit") or ""
    if persons and unit:
        return f"{persons}({unit})"
    return persons or unit


def _locator(record: dict) -> str | None:
    """Where in its container a record or document sits: ``表19`` for award tables."""
    return f"表{record['table']}" if record.get("table") else None


def csl_item(record: dict, url: str | None, accessed: date) -> dict:
    """The CSL-JSON item of a record, a document or a yearbook (see the module docstring).

    ``record`` is an index record (``kind`` clause/award/list), a document (policy/table/
    list, with ``title``) or a yearbook row (``kind`` yearbook); empty fields are dropped.
    """
    kind = record.get("kind")
    book = yearbook(record.get("yearbook")) if kind != "yearbook" else None
    item = {"id": record["id"], "language": "zh-CN", "URL": url,
            "accessed": _date_parts(accessed.isoformat())}
    if kind == "clause":
        item.update(type="legislation", title=record.get("doc_title"),
                    author=_literal(record.get("offices") or []),
                    issued=_date_parts(record.get("date")),
                    section=clause_number(record.get("section") or []) or None)
    elif kind == "policy":
        item.update(type="legislation", title=record.get("title"),
                    author=_literal(record.get("offices") or []),
                    issued=_date_parts(record.get("date")))
    elif kind == "award":
        item.update(_container(book))
        item.update(type="entry", title=f"{recipient(record)}: {record.get('honour') or ''}",
                    authority=", ".join(record.get("awarders") or []),
                    **{"event-date": _date_parts(record.get("date"))},
                    section=_locator(record))
    elif kind == "list":
        heading = record.get("heading")
        # An entry names its list in list_title; the list itself (a document) in title.
        list_title = record.get("list_title") or record.get("title") or ""
        title = f"{list_title}({heading})" if heading and heading != list_title else list_title
        if "name" in record:
            title = f"{title}: {record['name']}"
        item.update(_container(book))
        item.update(type="entry", title=title, author=_literal([record.get("source") or ""]))
    elif kind == "table":
        item.update(_container(book))
        item.update(type="entry", title=record.get("title"), section=_locator(record))
    elif kind == "yearbook":
        item.update(type="book", title=record.get("title"),
                    editor=_literal([record.get("compiler") or ""]),
                    publisher=record.get("publisher"),
                    **{"publisher-place": record.get("place")},
                    issued=_date_parts(record.get("year")))
    return {key: value for key, value in item.items() if value not in (None, "", [], {})}


def _names(people: list[dict] | None) -> str:
    """CSL names joined the GB/T 7714 way."""
    return ", ".join(person.get("literal", "") for person in people or [])


def date_text(value: dict | None) -> str:
    """``2018-11-20`` from CSL date parts (zero-padded month and day)."""
    if not value:
        return ""
    year, *rest = value["date-parts"][0]
    return "-".join([str(year), *(f"{part:02d}" for part in rest)])


def _imprint(item: dict, place_key: str = "publisher-place") -> str:
    """``出版地: 出版者, 出版年`` with the unknown parts (and their separators) left out."""
    place, publisher, year = item.get(place_key), item.get("publisher"), \
        date_text(item.get("issued"))
    left = ": ".join(part for part in (place, publisher) if part)
    return ", ".join(part for part in (left, year) if part)


def _join(*parts: str) -> str:
    """Elements joined by ``. ``, empty ones left out and no full stop doubled."""
    kept = [part.strip().rstrip(".。") for part in parts if part and part.strip()]
    return ". ".join(kept)


def gbt7714(item: dict) -> str:
    """The GB/T 7714-2015 line of a CSL item from :func:`csl_item`."""
    accessed = f"[{date_text(item.get('accessed'))}]" if item.get("accessed") else ""
    url = item.get("URL", "")
    if item["type"] == "book":
        return _join(_names(item.get("editor")), f"{item.get('title', '')}[M]",
                     _imprint(item))
    if item["type"] == "legislation":
        when = f"({date_text(item['issued'])})" if item.get("issued") else ""
        locator = f": {item['section']}" if item.get("section") else ""
        return _join(_names(item.get("author")), f"{item.get('title', '')}[EB/OL]",
                     f"{when}{locator}{accessed}", url)
    title = item.get("title", "")
    # An award: the awarding body (CSL "authority") and the date it was given.
    awarded = ", ".join(part for part in (item.get("authority"),
                                          date_text(item.get("event-date"))) if part)
    if awarded:
        title = f"{title}({awarded})"
    host = _join(_names(item.get("editor")), item.get("container-title", ""),
                 _imprint(item))
    locator = f": {item['section']}" if item.get("section") else ""
    source = f"{title}[EB/OL]//{host}{locator}{accessed}" if host else \
        f"{title}[EB/OL]{locator}{accessed}"
    return _join(_names(item.get("author")), source, url)


#: What :func:`csl_item` reads of an index record or document (and :func:`recipient`).
_CITED = ("id", "kind", "yearbook", "doc_title", "title", "offices", "date", "section",
          "persons", "unit", "honour", "awarders", "table", "list_title", "heading", "name",
          "source")


def cited_line(record: dict, url: str, accessed: date) -> str:
    """``gbt7714(csl_item(record, url, accessed))``, remembered under the fields it reads:
    a result page cites ten records a request, a document page all of its records, and
    the same few thousand come back (the line was a tenth of a result page's work)."""
    try:
        return _cited_line(url, accessed, tuple(
            (name, tuple(value) if isinstance(value, list) else value)
            for name in _CITED if (value := record.get(name, _CITED)) is not _CITED))
    except TypeError:  # a value that cannot key the cache: cited afresh
        return gbt7714(csl_item(record, url, accessed))


@lru_cache(maxsize=1 << 14)
def _cited_line(url: str, accessed: date, fields: tuple) -> str:
    """:func:`cited_line` of the record made of ``fields`` (lists as tuples)."""
    return gbt7714(csl_item(dict(fields), url, accessed))


def citation(record: dict, permalink: str, accessed: date | None = None) -> str:
    """The GB/T 7714-2015 line of ``record`` (or document) cited at ``permalink`` on
    ``accessed`` (today by default)."""
    return gbt7714(csl_item(record, permalink, accessed or date.today()))
