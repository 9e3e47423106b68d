"""Yearbook text → ``Yearbook(docs, records)``: policy clauses, award rows, honour-list entries.

The source is a print conversion (see corpus/README.md): parts named by a heading line
(先进集体, 先进个人, 文件辑录), tab-separated award tables continued as 续表, bracketed honour
lists (【…】), and policy documents whose ``#`` levels lie while their numbering does not.
Everything is read by general rules; input no rule places raises ``ParseError`` naming the
file and line. The record and doc fields are fixed by docs/CONTRACT.md.

Ids (stable: they depend only on the content of one yearbook file, never on file order):

- yearbook ``shangcheng-2018`` (file ``shangcheng-yearbook-2018.txt`` without ``yearbook``);
- policy document ``<yearbook>.<yyyymmdd>`` of its date; documents sharing a date get
  ``a``, ``b``, … in the order of their titles;
- clause ``<doc>.<numbering path>`` (``…20180919.4.3.3``), the preamble ``<doc>.0``, closing
  paragraphs ``<doc>.end``; further paragraphs under one path ``-2``, ``-3`` (``….4.3.3-2``);
- award table ``<yearbook>.t<number>``, its rows ``<table>.<row>`` (1-based over the table
  and its continuations);
- honour list ``<yearbook>.l<n>`` (n-th list of the yearbook), entries
  ``<list>.<sub-heading>.<entry>`` (sub-heading 0 when the list has none).
"""

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from indexer import CORPUS_DIR
from indexer.refs import extract_citations, extract_refs

#: Part headings of this yearbook format: part name → (kind, entry type of its honour lists
#: when the layout does not tell: a single name without separators).
PARTS = {
    "先进集体": ("awards", "unit"),
    "先进个人": ("awards", "person"),
    "文件辑录": ("documents", None),
}

#: Award levels by the words of a table title, checked in this order.
LEVELS = (("national", ("国家级", "部级")), ("provincial", ("省级",)), ("municipal", ("市级",)))

#: Award table columns: field → words of the header cell, checked in this order.
COLUMNS = (
    ("persons", ("获奖人",)),
    ("unit", ("获奖部门", "获奖单位", "获奖集体")),
    ("honour", ("荣誉", "称号")),
    ("awarders", ("颁奖单位", "颁奖部门", "授予单位")),
    ("date", ("时间", "日期")),
)
REQUIRED_COLUMNS = {"unit", "honour", "awarders", "date"}

OPENING = "(（《〈[［【〔“‘"
CLOSING = ")）》〉]］】〕”’"

_TABLE_MARK = re.compile(r"(续)?表\s*(\d+)")
_LIST_TITLE = re.compile(r"\**【([^】]+)】\**(.*)")
_ATTRIBUTION = re.compile(r"[（(]([^（）()。，,、：:\s]{2,20})[）)]")
_FULL_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_MONTH = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月")
_SENTENCE_END = re.compile(r"[。；;！!？?：:…][”’」』）)\]】〕\"']*$")
_PUNCTUATION = re.compile(r"[。，,；;：:、！!？?]")
_EFFECTIVE = re.compile(r"自(\d{4})年(\d{1,2})月(\d{1,2})日起(?:施行|实施|执行|生效)")
_VALID_UNTIL = re.compile(r"有效期至(\d{4})年(\d{1,2})月(\d{1,2})日")
#: A closing paragraph states when the document takes effect: 本计划自2018年7月20日起实施。
_CLOSING = re.compile(r"本[\u4e00-\u9fff]{0,8}自\d{4}年\d{1,2}月\d{1,2}日起(?:施行|实施|执行|生效)")

_CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")}
_CN_NUMERAL = "[一二三四五六七八九十]+"
#: Section numbering, outermost first: 一、 > (一)/（一） > 1./1、/1． > (1)/（1）.
NUMBERING = (
    (1, re.compile(rf"({_CN_NUMERAL})、\s*")),
    (2, re.compile(rf"[(（]\s*({_CN_NUMERAL})\s*[)）]\s*")),
    (3, re.compile(r"(\d+)\s*[.．、](?!\d)\s*")),
    (4, re.compile(r"[(（]\s*(\d+)\s*[)）]\s*")),
)


class ParseError(Exception):
    """Input the parser cannot place: carries the file, the 1-based line and a message."""

    def __init__(self, file, line: int, msg: str):
        """Keep ``file``, ``line`` and ``msg``; the text reads ``file:line: msg``."""
        super().__init__(f"{file}:{line}: {msg}")
        self.file, self.line, self.msg = str(file), line, msg


@dataclass
class Yearbook:
    """One parsed yearbook file: its containers (``docs``) and ``records`` in source order."""

    id: str
    title: str
    path: str
    docs: list[dict] = field(default_factory=list)
    records: list[dict] = field(default_factory=list)


@dataclass
class Para:
    """A paragraph of the source: consecutive non-blank lines, with their line numbers."""

    lines: list[tuple[int, str]]

    @property
    def line(self) -> int:
        """The 1-based source line the paragraph starts on."""
        return self.lines[0][0]

    @property
    def text(self) -> str:
        """The lines stripped and run together (Chinese wraps lines without a space)."""
        return "".join(text.strip() for _, text in self.lines)


@dataclass
class Block:
    """A policy-document paragraph: raw text (with ``**`` markup), line, and heading flag."""

    line: int
    raw: str
    heading: bool

    @property
    def text(self) -> str:
        """The printed text: bold markup removed, whitespace at the ends stripped."""
        return self.raw.replace("**", "").strip()


class _Context:
    """What the part parsers share: the yearbook being filled and the alias table."""

    def __init__(self, yearbook: Yearbook, year: int, aliases: dict[str, str]):
        """Start filling ``yearbook`` (of ``year``) using office ``aliases``."""
        self.yearbook, self.year, self.aliases = yearbook, year, aliases
        self.file = yearbook.path

    def error(self, line: int, msg: str) -> ParseError:
        """Return a ParseError for ``line`` of the file being parsed."""
        return ParseError(self.file, line, msg)

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

    def canonical(self, office: str) -> str:
        """Return the canonical name of ``office`` (itself when the table has no alias)."""
        return self.aliases.get(office, office)


# ---------------------------------------------------------------------------- small helpers


def strip_markup(text: str) -> str:
    """Return ``text`` without a leading ``#`` heading mark and without ``**`` bold marks."""
    return re.sub(r"^#+\s*", "", text.strip()).replace("**", "").strip()


def clean_title(text: str) -> str:
    """Return a title without markup and without the stray spaces of broken print lines.

    A space survives only between two ASCII letters or digits (``G20 Summit``).
    """
    text = strip_markup(text)
    return re.sub(
        r"(?<=(.))\s+(?=(.))",
        lambda m: " " if m[1].isascii() and m[1].isalnum() and m[2].isascii() and m[2].isalnum()
        else "",
        text,
    )


def split_spans(text: str, sep: str = "、") -> list[tuple[int, int]]:
    """Return ``(start, end)`` of the items of ``text`` split on ``sep`` outside brackets.

    A 、 inside brackets or quotes belongs to its item: 示范县(市、区) stays whole.
    """
    spans, depth, start = [], 0, 0
    for i, char in enumerate(text):
        if char in OPENING:
            depth += 1
        elif char in CLOSING:
            depth = max(depth - 1, 0)
        elif char == sep and depth == 0:
            spans.append((start, i))
            start = i + 1
    spans.append((start, len(text)))
    return spans


def split_outside_brackets(text: str, sep: str = "、") -> list[str]:
    """Split ``text`` on ``sep`` where no bracket or quote is open; items are stripped."""
    return [text[start:end].strip() for start, end in split_spans(text, sep)]


def chinese_number(text: str) -> int:
    """Return the value of a Chinese numeral up to 99 (一 → 1, 十二 → 12, 二十一 → 21)."""
    if "十" not in text:
        return int("".join(str(_CN_DIGITS[c]) for c in text))
    tens, _, units = text.partition("十")
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[units] if units else 0)


def numbering(text: str) -> tuple[int, int, str] | None:
    """Return ``(level, number, rest)`` when ``text`` starts with section numbering, else None."""
    for level, pattern in NUMBERING:
        match = pattern.match(text)
        if match:
            value = match[1]
            number = int(value) if value.isdigit() else chinese_number(value)
            return level, number, text[match.end() :]
    return None


def ends_sentence(text: str) -> bool:
    """True when ``text`` ends a sentence: 。；！？：… possibly followed by closing marks.

    A bracketed note after a finished sentence (``…定期向社会曝光。(责任单位:区城管局)``),
    or standing alone, also ends one: a page break inside the note would leave it unclosed.
    """
    text = text.strip()
    if _SENTENCE_END.search(text):
        return True
    opening = _opening_of_last_group(text)
    return opening is not None and (opening == 0 or ends_sentence(text[:opening]))


def _opening_of_last_group(text: str) -> int | None:
    """Return the index of the bracket that the closing bracket ending ``text`` matches."""
    if not text or text[-1] not in CLOSING:
        return None
    depth = 0
    for i in range(len(text) - 1, -1, -1):
        if text[i] in CLOSING:
            depth += 1
        elif text[i] in OPENING:
            depth -= 1
            if depth == 0:
                return i
    return None


def iso_date(text: str) -> str | None:
    """Return ``YYYY-MM-DD`` for a date like 2018年6月20日 found in ``text``, else None."""
    match = _FULL_DATE.search(text)
    return f"{match[1]}-{int(match[2]):02d}-{int(match[3]):02d}" if match else None


def load_aliases(path: Path) -> dict[str, str]:
    """Read an office alias table (``alias<TAB>canonical``, ``#`` comments) into a dict."""
    aliases: dict[str, str] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
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


def paragraphs(lines: list[str]) -> list[Para]:
    """Group source ``lines`` into paragraphs separated by blank lines."""
    paras: list[Para] = []
    current: list[tuple[int, str]] = []
    for number, line in enumerate(lines, 1):
        if line.strip():
            current.append((number, line.rstrip()))
        elif current:
            paras.append(Para(current))
            current = []
    if current:
        paras.append(Para(current))
    return paras


# ---------------------------------------------------------------------------- award tables


def _column_fields(ctx: _Context, para: Para) -> list[str]:
    """Return the field of each header cell of a table's first line; unknown cells raise."""
    fields = []
    for cell in para.lines[0][1].split("\t"):
        name = next((f for f, words in COLUMNS if any(w in cell for w in words)), None)
        if name is None or name in fields:
            raise ctx.error(para.line, f"unknown or repeated table column {cell.strip()!r}")
        fields.append(name)
    if not REQUIRED_COLUMNS <= set(fields):
        raise ctx.error(para.line, f"table header lacks {sorted(REQUIRED_COLUMNS - set(fields))}")
    return fields


def _table_level(ctx: _Context, title: str, line: int) -> str:
    """Return the award level named in a table ``title`` (national/provincial/municipal)."""
    for level, words in LEVELS:
        if any(word in title for word in words):
            return level
    raise ctx.error(line, f"no award level (国家级/部级/省级/市级) in table title {title!r}")


def _award_row(ctx: _Context, table: dict, fields: list[str], line: int, text: str) -> None:
    """Add the award record of one table row (``text``, tab-separated) to ``table``."""
    cells = [cell.strip() for cell in text.split("\t")]
    if len(cells) != len(fields):
        raise ctx.error(line, f"row has {len(cells)} cells, the header {len(fields)}")
    row = dict(zip(fields, cells, strict=True))
    if not all(row[name] for name in REQUIRED_COLUMNS):
        raise ctx.error(line, "empty cell in award row")
    month = _MONTH.fullmatch(row["date"])
    if not month:
        raise ctx.error(line, f"award date {row['date']!r} is not YYYY年M月")
    try:
        persons = split_names(row.get("persons", ""))
    except ValueError as err:
        raise ctx.error(line, f"cannot read the persons: {err}") from None
    awarders = [ctx.canonical(a) for a in split_outside_brackets(row["awarders"]) if a]
    for awarder in awarders:
        if awarder not in table["offices"]:
            table["offices"].append(awarder)
    number = len(table["record_ids"]) + 1
    ctx.add_record(table, {
        "id": f"{table['id']}.{number}",
        "kind": "award",
        "section": [],
        "text": " ".join([row["unit"], *persons, row["honour"], "、".join(awarders), row["date"]]),
        "date": f"{month[1]}-{int(month[2]):02d}",
        "year": int(month[1]),
        "offices": awarders,
        "refs": extract_refs(row["honour"]),
        "line": line,
        "table": table["table"],
        "table_title": table["title"],
        "level": table["level"],
        "unit": row["unit"],
        "persons": persons,
        "honour": row["honour"],
        "awarders": awarders,
    })


def _table_body(ctx: _Context, table: dict, para: Para | None, mark_line: int,
                columns: list[str] | None) -> list[str]:
    """Read the header and rows paragraph ``para`` after a 表/续表 mark into ``table``.

    ``columns`` are the fields of the table's first header (None for the table itself): a
    续表 repeats the header, which must name the same columns and is not read as a row.
    Returns the fields of this header.
    """
    if para is None or "\t" not in para.lines[0][1]:
        raise ctx.error(mark_line, "table mark not followed by a tab-separated header")
    fields = _column_fields(ctx, para)
    if columns is not None and columns != fields:
        raise ctx.error(para.line, "continued table has other columns than its table")
    if len(para.lines) < 2:
        raise ctx.error(para.line, "table without rows")
    for line, text in para.lines[1:]:
        _award_row(ctx, table, fields, line, text)
    return fields


# ---------------------------------------------------------------------------- honour lists


def _is_bold(para: Para) -> bool:
    """True for a one-line paragraph printed entirely in bold (a list sub-heading)."""
    text = para.text
    return len(para.lines) == 1 and text.startswith("**") and text.endswith("**")


def _looks_like_entries(para: Para) -> bool:
    """True when a paragraph lists several entries (units split by 、, names by spaces)."""
    return "、" in para.text or any(len(text.split()) > 1 for _, text in para.lines)


def _list_groups(ctx: _Context, sub: str | None, line: int, body: list[Para]) -> list[dict]:
    """Split a list's ``body`` into ``{"heading", "line", "paras"}`` groups.

    Sub-headings are bold lines, or single plain lines that are followed by their entries.
    Entries after entries without a sub-heading between are one paragraph split by a page
    break (``区人力资源和社会`` / ``保障局、…``).
    """
    groups = [{"heading": sub, "line": line, "paras": []}]
    for k, para in enumerate(body):
        following = _at(body, k + 1)
        plain_heading = (
            following is not None and not _is_bold(following)
            and len(para.lines) == 1 and not _looks_like_entries(para)
        )
        expecting_entries = groups[-1]["heading"] is not None and not groups[-1]["paras"]
        if _is_bold(para) or (plain_heading and not expecting_entries):
            groups.append({"heading": strip_markup(para.text), "line": para.line, "paras": []})
        else:
            groups[-1]["paras"].append(para)
    groups = [g for g in groups if g["heading"] is not None or g["paras"]]
    for group in groups:
        if not group["paras"]:
            raise ctx.error(group["line"], f"list heading {group['heading']!r} has no entries")
    return groups


def _unit_entries(ctx: _Context, paras: list[Para]) -> list[tuple[str, int]]:
    """Return ``(unit, line)`` for units separated by 、, joined across page breaks."""
    text, lines = "", []
    for para in paras:
        for number, line in para.lines:
            line = line.strip().replace("**", "")
            text += line
            lines += [number] * len(line)
    entries = []
    for start, end in split_spans(text):
        if not text[start:end].strip():
            raise ctx.error(lines[min(start, len(lines) - 1)], "empty entry between 、")
        entries.append((text[start:end].strip(), lines[start]))
    return entries


def split_names(line: str) -> list[str]:
    """Return the people named on one line of a column layout.

    Names are separated by spaces; two single characters in a row are one padded
    two-character name (``徐 斌`` → 徐斌). A single character left over raises ValueError.
    """
    names, pending = [], ""
    for token in line.replace("**", "").split():
        if len(token) > 1 and not pending:
            names.append(token)
        elif len(token) == 1 and pending:
            names.append(pending + token)
            pending = ""
        elif len(token) == 1:
            pending = token
        else:
            raise ValueError(f"single character {pending!r} before {token!r}")
    if pending:
        raise ValueError(f"single character {pending!r} at the end")
    return names


def _name_entries(ctx: _Context, paras: list[Para]) -> list[tuple[str, int]]:
    """Return ``(name, line)`` for the names laid out in columns in ``paras``."""
    entries = []
    for para in paras:
        for number, line in para.lines:
            try:
                entries += [(name, number) for name in split_names(line)]
            except ValueError as err:
                raise ctx.error(number, f"cannot read the names: {err}") from None
    return entries


def _group_entries(ctx: _Context, paras: list[Para], default: str) -> tuple[str, list]:
    """Return the entry type and ``(name, line)`` entries of one sub-heading's paragraphs."""
    if any("、" in para.text for para in paras):
        return "unit", _unit_entries(ctx, paras)
    several = any(_looks_like_entries(para) for para in paras)
    entries = _name_entries(ctx, paras)
    return ("person" if several or len(entries) > 1 else default), entries


def _honour_list(ctx: _Context, head: Para, body: list[Para], default: str) -> dict:
    """Add an honour list (title paragraph ``head``, paragraphs ``body``); return its doc."""
    if len(head.lines) != 1:
        raise ctx.error(head.line, "list title runs over several lines")
    match = _LIST_TITLE.fullmatch(head.text)
    title, sub = clean_title(match[1]), strip_markup(match[2]) or None
    if not body:
        raise ctx.error(head.line, f"list {title!r} has no entries")
    number = sum(doc["kind"] == "list" for doc in ctx.yearbook.docs) + 1
    doc = ctx.add_doc({
        "id": f"{ctx.yearbook.id}.l{number}", "kind": "list", "title": title, "date": None,
        "year": ctx.year, "offices": [], "line": head.line, "headings": [], "source": None,
    })
    headed = 0
    for group in _list_groups(ctx, sub, head.line, body):
        if group["heading"]:
            headed += 1
            doc["headings"].append(group["heading"])
        index = headed if group["heading"] else 0
        entry_type, entries = _group_entries(ctx, group["paras"], default)
        for k, (name, line) in enumerate(entries, 1):
            ctx.add_record(doc, {
                "id": f"{doc['id']}.{index}.{k}", "kind": "list",
                "section": [group["heading"]] if group["heading"] else [],
                "text": name, "date": None, "year": ctx.year, "offices": [], "refs": [],
                "line": line, "list_title": title,
                "heading": group["heading"], "name": name, "entry_type": entry_type,
                "source": None,
            })
    return doc


def _set_source(ctx: _Context, lists: list[dict], source: str) -> None:
    """Give ``lists`` (docs) and their entries the attribution ``source``."""
    ids = {record_id for doc in lists for record_id in doc["record_ids"]}
    for doc in lists:
        doc["source"] = source
    for record in ctx.yearbook.records:
        if record["id"] in ids:
            record["source"] = source


def _table_mark(para: Para | None):
    """Return the 表/续表 match when ``para`` is a table mark line, else None."""
    if para is None or len(para.lines) != 1:
        return None
    return _TABLE_MARK.fullmatch(strip_markup(para.text))


def _parse_awards(ctx: _Context, paras: list[Para], default: str) -> None:
    """Parse an awards part: titled tables, their 续表, honour lists and attributions."""
    tables: dict[int, tuple[dict, list[str]]] = {}
    pending: list[dict] = []
    i = 0
    while i < len(paras):
        para = paras[i]
        attribution = _attribution(para)
        if _table_mark(para) or _table_mark(_at(paras, i + 1)):
            i = _parse_table(ctx, paras, i, tables)
        elif _LIST_TITLE.fullmatch(para.text):
            end = _list_end(paras, i + 1)
            pending.append(_honour_list(ctx, para, paras[i + 1 : end], default))
            i = end
        elif attribution:
            if not pending:
                raise ctx.error(para.line, "attribution without a list before it")
            _set_source(ctx, pending, attribution[1])
            pending, i = [], i + 1
        else:
            raise ctx.error(para.line, f"cannot place {para.text[:30]!r} in an awards part")


def _attribution(para: Para) -> re.Match | None:
    """The match of a one-line source attribution such as (年鉴编辑部), or None."""
    return _ATTRIBUTION.fullmatch(para.text) if len(para.lines) == 1 else None


def _starts_item(paras: list[Para], i: int) -> bool:
    """True when ``paras[i]`` starts what :func:`_parse_awards` reads as a new item: a
    table (or the title line before one), an honour list or an attribution."""
    para = paras[i]
    return bool(_LIST_TITLE.fullmatch(para.text) or _table_mark(para)
                or _table_mark(_at(paras, i + 1)) or _attribution(para))


def _list_end(paras: list[Para], start: int) -> int:
    """Return the index after a list's body starting at ``start``."""
    end = start
    while end < len(paras) and not _starts_item(paras, end):
        end += 1
    return end


def _parse_table(ctx: _Context, paras: list[Para], i: int,
                 tables: dict[int, tuple[dict, list[str]]]) -> int:
    """Parse a titled table or a 续表 starting at ``paras[i]``; return the next index.

    ``tables`` maps a table number to ``(doc, columns)`` of the tables read so far.
    """
    mark = _table_mark(paras[i])
    if mark and mark[1]:
        number = int(mark[2])
        if number not in tables:
            raise ctx.error(paras[i].line, f"续表 {number} without 表 {number} before it")
        doc, columns = tables[number]
        _table_body(ctx, doc, _at(paras, i + 1), paras[i].line, columns)
        return i + 2
    if mark:
        raise ctx.error(paras[i].line, "table without a title line before it")
    title_para, mark_para = paras[i], paras[i + 1]
    mark = _table_mark(mark_para)
    if mark[1]:
        raise ctx.error(title_para.line, f"cannot place {title_para.text[:30]!r} before a 续表")
    number = int(mark[2])
    if number in tables:
        raise ctx.error(mark_para.line, f"table {number} appears twice")
    title = clean_title(title_para.text)
    doc = ctx.add_doc({
        "id": f"{ctx.yearbook.id}.t{number}", "kind": "table", "title": title, "date": None,
        "year": ctx.year, "offices": [], "line": title_para.line, "table": number,
        "level": _table_level(ctx, title, title_para.line),
    })
    columns = _table_body(ctx, doc, _at(paras, i + 2), mark_para.line, None)
    # Tables with a 获奖人姓名 column list individuals, the others collectives.
    doc["individual"] = "persons" in columns
    tables[number] = (doc, columns)
    return i + 3


def _at(paras: list[Para], i: int) -> Para | None:
    """Return ``paras[i]``, or None past the end."""
    return paras[i] if i < len(paras) else None


# ---------------------------------------------------------------------------- policy documents


def _is_date_line(text: str) -> bool:
    """True for a line that is only a full date (2018年6月20日): a document's last line."""
    return bool(_FULL_DATE.fullmatch(text.strip()))


def _is_office_line(text: str) -> bool:
    """True for a line that can be an issuing office: short, unnumbered, unpunctuated."""
    text = text.strip()
    return (0 < len(text) <= 40 and not _PUNCTUATION.search(text) and not text.startswith("#")
            and numbering(text) is None)


def _split_end(ctx: _Context, paras: list[Para]) -> tuple[list[Para], list[str], str]:
    """Split a document's paragraphs (title first, date last) into body, offices and date.

    The issuing offices are the lines right before the date, in its paragraph or in the
    paragraph before it; they are taken before page breaks are repaired, so that an office
    (which does not end a sentence) is never joined to the date.
    """
    last = paras[-1]
    office_lines = [text.strip() for _, text in last.lines[:-1]]
    body = paras[1:-1]
    if not office_lines and len(body) > 1 and all(_is_office_line(t) for _, t in body[-1].lines):
        office_lines = [text.strip() for _, text in body[-1].lines]
        body = body[:-1]
    if not office_lines or not all(_is_office_line(text) for text in office_lines):
        raise ctx.error(last.line, "no issuing office on the lines before the date")
    return body, office_lines, iso_date(last.lines[-1][1])


def _blocks(ctx: _Context, paras: list[Para]) -> list[Block]:
    """Turn body paragraphs into blocks; ``#`` lines are headings and must carry numbering."""
    blocks = []
    for para in paras:
        raw = para.text
        heading = raw.startswith("#")
        if heading:
            if len(para.lines) > 1:
                raise ctx.error(para.line, "heading runs over several lines")
            raw = re.sub(r"^#+\s*", "", raw)
            if numbering(raw.replace("**", "").strip()) is None:
                raise ctx.error(para.line, f"heading {raw[:30]!r} without section numbering "
                                "inside a document (a document must end with offices and date)")
        blocks.append(Block(para.line, raw, heading))
    return blocks


def join_page_breaks(blocks: list[Block]) -> list[Block]:
    """Repair page breaks: a block not ending a sentence runs on into the next plain block.

    Headings never join, and a numbered paragraph always starts a new block.
    """
    joined: list[Block] = []
    for block in blocks:
        previous = joined[-1] if joined else None
        if (previous is not None and not previous.heading and not ends_sentence(previous.text)
                and not block.heading and numbering(block.text) is None):
            joined[-1] = Block(previous.line, previous.raw + block.raw, False)
        else:
            joined.append(block)
    return joined


def run_in(block: Block) -> tuple[str, str]:
    """Return ``(label, rest)`` of a numbered block.

    A heading line is all label. Otherwise the label is a bold run-in heading right after
    the numbering (``**(一) 强化责任落实。**…``, ``(一) **加强组织领导**。…``) or the text up
    to the first 。 (``1.打造纵向融合教育网络。以学校…``); labels drop their final 。.
    """
    if block.heading:
        return block.text.rstrip("。"), ""
    bold = re.match(r"([^*]*)\*\*(.+?)\*\*(.*)", block.raw)
    if bold and (not bold[1].strip() or _is_numbering_only(bold[1])):
        label, rest = bold[1] + bold[2], bold[3]
    else:
        label, _, rest = block.text.partition("。")
    return label.strip().rstrip("。"), rest.replace("**", "").strip().lstrip("。").strip()


def _is_numbering_only(text: str) -> bool:
    """True when ``text`` is section numbering and nothing else."""
    found = numbering(text.strip())
    return found is not None and not found[2].strip()


class _Sections:
    """The numbering path while walking a document, and the clause ids handed out so far."""

    def __init__(self, doc: dict):
        """Start at the top of ``doc`` (its ``sections`` list is filled as headings pass)."""
        self.doc, self.stack, self.used = doc, [], Counter()

    def enter(self, level: int, number: int, label: str) -> None:
        """Open the section ``number`` at ``level``, closing any at that level or deeper."""
        while self.stack and self.stack[-1][0] >= level:
            self.stack.pop()
        self.stack.append((level, number, label))
        self.doc["sections"].append({"key": self.key, "label": label, "depth": len(self.stack)})

    @property
    def key(self) -> str:
        """The numbering path of the current section, e.g. ``4.3.3`` (``""`` at the top)."""
        return ".".join(str(number) for _, number, _ in self.stack)

    @property
    def labels(self) -> list[str]:
        """The labels of the current section path, outermost first."""
        return [label for _, _, label in self.stack]

    def clause_id(self, key: str) -> str:
        """Return the next unused id for a clause at ``key`` (``0`` preamble, ``end``)."""
        self.used[key] += 1
        suffix = f"-{self.used[key]}" if self.used[key] > 1 else ""
        return f"{self.doc['id']}.{key}{suffix}"


def _clauses(ctx: _Context, doc: dict, blocks: list[Block]) -> None:
    """Add the clause records of a document's body ``blocks`` (page breaks repaired)."""
    sections, closing = _Sections(doc), False
    for k, block in enumerate(blocks):
        found = numbering(block.text)
        if found:
            closing = False
            label, rest = run_in(block)
            sections.enter(found[0], found[1], label)
            # A numbered line that is all run-in heading is a section label only when
            # deeper numbering follows; before plain paragraphs it is kept as a clause, so
            # that a one-sentence provision is never mistaken for a title and lost.
            following = _at(blocks, k + 1)
            child = following is not None and numbering(following.text)
            if block.heading or (not rest and child and child[0] > found[0]):
                continue
            key, section = sections.key, sections.labels
        elif closing or _CLOSING.match(block.text):
            closing, key, section = True, "end", []
        else:
            key, section = sections.key, sections.labels
        _add_clause(ctx, doc, block, sections.clause_id(key or "0"), key, section)


def _add_clause(ctx: _Context, doc: dict, block: Block, clause_id: str, key: str,
                section: list[str]) -> None:
    """Add one clause record of ``doc`` for ``block``."""
    ctx.add_record(doc, {
        "id": clause_id, "kind": "clause", "section": list(section), "text": block.text,
        "date": doc["date"], "year": doc["year"], "offices": doc["offices"],
        "refs": extract_refs(block.text), "line": block.line, "section_key": key,
    })


def _validity(doc: dict, records: list[dict]) -> None:
    """Set ``effective`` and ``valid_until`` of ``doc`` from its closing clauses."""
    closing = " ".join(r["text"] for r in records if r["section_key"] == "end")
    effective, until = _EFFECTIVE.search(closing), _VALID_UNTIL.search(closing)
    doc["effective"] = iso_date(effective[0]) if effective else None
    doc["valid_until"] = iso_date(until[0]) if until else None


def _policy(ctx: _Context, paras: list[Para]) -> None:
    """Add one policy document: title paragraph, body, offices and the date at the end."""
    head = paras[0]
    if len(head.lines) != 1 or numbering(strip_markup(head.text)):
        raise ctx.error(head.line, f"expected a document title, found {head.text[:30]!r}")
    body, office_lines, date = _split_end(ctx, paras)
    offices = []
    for office in office_lines:
        if ctx.canonical(office) not in offices:
            offices.append(ctx.canonical(office))
    doc = ctx.add_doc({
        # Provisional and unique until every date is known: see _assign_policy_ids.
        "id": f"{ctx.yearbook.id}.{date.replace('-', '')}~{len(ctx.yearbook.docs)}",
        "kind": "policy",
        "title": clean_title(head.text), "date": date, "year": int(date[:4]),
        "offices": offices, "line": head.line, "offices_raw": office_lines,
        "effective": None, "valid_until": None, "cites": [], "sections": [],
    })
    first = len(ctx.yearbook.records)
    _clauses(ctx, doc, join_page_breaks(_blocks(ctx, body)))
    records = ctx.yearbook.records[first:]
    _validity(doc, records)
    doc["cites"] = extract_citations("\n".join(r["text"] for r in records))


def _parse_documents(ctx: _Context, paras: list[Para], _default: str | None) -> None:
    """Parse a 文件辑录 part: documents one after another, each ending with its date."""
    start = 0
    while start < len(paras):
        end = next((j for j in range(start + 1, len(paras))
                    if _is_date_line(paras[j].lines[-1][1])), None)
        if end is None:
            raise ctx.error(paras[start].line, "document without a date line at its end")
        _policy(ctx, paras[start : end + 1])
        start = end + 1


def _assign_policy_ids(yearbook: Yearbook) -> None:
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


# ---------------------------------------------------------------------------- yearbook


def _yearbook_name(path: Path) -> tuple[str, int, str]:
    """Return ``(id, year, title)`` from a file name like ``shangcheng-yearbook-2018.txt``."""
    words = path.stem.split("-")
    if len(words) < 2 or not re.fullmatch(r"\d{4}", words[-1]):
        raise ParseError(path, 0, "file name must end with the year: <place>-yearbook-<yyyy>")
    place = [w for w in words[:-1] if w != "yearbook"]
    title = " ".join(w.capitalize() for w in place) + f" Yearbook {words[-1]}"
    return "-".join(place + [words[-1]]), int(words[-1]), title


def _parts(ctx: _Context, paras: list[Para]) -> list[tuple[str, list[Para]]]:
    """Split paragraphs into parts at part headings; text before the first one is an error."""
    parts: list[tuple[str, list[Para]]] = []
    for para in paras:
        name = strip_markup(para.text) if len(para.lines) == 1 else ""
        if name in PARTS:
            parts.append((name, []))
        elif not parts:
            raise ctx.error(para.line, f"text before the first part heading ({'/'.join(PARTS)})")
        else:
            parts[-1][1].append(para)
    return parts


def _alias_table(path: Path) -> Path:
    """Return the office alias table for a yearbook file: beside it, else corpus/offices.tsv."""
    beside = path.parent / "offices.tsv"
    return beside if beside.exists() else CORPUS_DIR / "offices.tsv"


def parse_file(path, aliases: dict[str, str] | None = None) -> Yearbook:
    """Parse one yearbook text file into a ``Yearbook``; unplaceable input raises ParseError.

    ``aliases`` (alias → canonical office) defaults to the ``offices.tsv`` beside the file,
    or the project's ``corpus/offices.tsv``.
    """
    path = Path(path)
    return parse_text(path.read_text(encoding="utf-8-sig"), path, aliases)


def parse_text(text: str, path, aliases: dict[str, str] | None = None) -> Yearbook:
    """Parse yearbook ``text`` as if read from ``path`` (which names the yearbook and the
    file in errors); ``aliases`` as for ``parse_file``."""
    path = Path(path)
    yearbook_id, year, title = _yearbook_name(path)
    if aliases is None:
        aliases = load_aliases(_alias_table(path))
    yearbook = Yearbook(yearbook_id, title, str(path))
    ctx = _Context(yearbook, year, aliases)
    for name, paras in _parts(ctx, paragraphs(text.splitlines())):
        kind, default = PARTS[name]
        (_parse_awards if kind == "awards" else _parse_documents)(ctx, paras, default)
    _assign_policy_ids(yearbook)
    return yearbook


def parse_corpus(folder) -> list[Yearbook]:
    """Parse every ``*.txt`` yearbook in ``folder`` (sorted by name); ids must be unique."""
    yearbooks, seen = [], {}
    for path in sorted(Path(folder).glob("*.txt")):
        yearbook = parse_file(path)
        if yearbook.id in seen:
            raise ParseError(path, 0, f"yearbook id {yearbook.id} also from {seen[yearbook.id]}")
        seen[yearbook.id] = path.name
        yearbooks.append(yearbook)
    return yearbooks


def records_to_jsonl(yearbook: Yearbook) -> str:
    """Return the records of ``yearbook`` as JSON Lines (UTF-8 text, one record a line)."""
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in yearbook.records)


def summary(yearbook: Yearbook) -> str:
    """Return a text report: counts per kind of record and per document."""
    kinds = Counter(r["kind"] for r in yearbook.records)
    doc_kinds = Counter(d["kind"] for d in yearbook.docs)
    lines = [
        f"{yearbook.id}: {yearbook.path}",
        "documents: " + ", ".join(f"{k} {n}" for k, n in sorted(doc_kinds.items())),
        "records: " + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items()))
        + f", total {len(yearbook.records)}",
        "",
    ]
    for doc in yearbook.docs:
        counts = Counter(
            r["kind"] for r in yearbook.records if r["doc_id"] == doc["id"])
        count_text = ", ".join(f"{k} {n}" for k, n in sorted(counts.items()))
        lines.append(f"{doc['id']:<28} {doc['kind']:<7} {count_text:<12} {doc['title']}")
    return "\n".join(lines) + "\n"
