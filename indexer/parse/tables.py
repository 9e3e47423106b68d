"""Award tables: a title line, ``表 N``, a tab-separated header and rows; ``续表 N`` goes on.

Columns are read by the header's words, in any order and in either width. A row names a
unit, persons (several in a cell, split by 、 or by spaces), an honour, the awarding bodies
as printed and a month. A row that cannot be read is kept, unplaced, with a warning.
"""

import re

from indexer.parse.model import Context
from indexer.parse.text import MONTH, Para, clean_title, fold, split_outside_brackets
from indexer.refs import extract_refs

#: Award levels by the words of a table title, checked in this order.
LEVELS = (("national", ("国家级", "部级")), ("provincial", ("省级",)), ("municipal", ("市级",)))

#: Award table columns: field → words of the (width-folded) header cell, checked in this
#: order: 颁奖时间 is a date before 颁奖 can name the awarders, 颁奖单位 names the awarders
#: before 单位 can name the unit.
COLUMNS = (
    ("persons", ("获奖人", "姓名")),
    ("date", ("时间", "日期")),
    ("awarders", ("颁奖", "授予", "授奖", "表彰单位", "颁发", "发文")),
    ("unit", ("获奖部门", "获奖单位", "获奖集体", "所在单位", "工作单位", "单位", "部门")),
    ("honour", ("荣誉", "称号")),
)
REQUIRED_COLUMNS = {"unit", "honour", "awarders", "date"}

TABLE_MARK = re.compile(r"(续)?表\s*(\d+)")


def table_mark(para: Para | None) -> re.Match | None:
    """Return the 表/续表 match when ``para`` is a table mark line, else None."""
    if para is None or len(para.lines) != 1:
        return None
    return TABLE_MARK.fullmatch(fold(clean_title(para.text)))


def column_fields(header: str) -> list[str] | str:
    """Return the field of each cell of a ``header`` line, or a message saying why not."""
    fields = []
    for cell in header.split("\t"):
        folded = fold(cell)
        name = next((f for f, words in COLUMNS if any(w in folded for w in words)), None)
        if name is None or name in fields:
            return f"unknown or repeated table column {cell.strip()!r}"
        fields.append(name)
    if not REQUIRED_COLUMNS <= set(fields):
        return f"table header lacks {sorted(REQUIRED_COLUMNS - set(fields))}"
    return fields


def table_level(title: str) -> str | None:
    """Return the award level named in a table ``title`` (national/provincial/municipal)."""
    return next((level for level, words in LEVELS if any(w in title for w in words)), None)


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


def split_persons(cell: str) -> list[str]:
    """Return the persons of one table cell: split by 、 (outside brackets), then by spaces
    as in :func:`split_names`. Raises ValueError as it does."""
    return [name for part in split_outside_brackets(cell) for name in split_names(part)]


def table_body(ctx: Context, table: dict, para: Para, fields: list[str]) -> None:
    """Add the rows of ``para`` (the lines after a header naming ``fields``) to ``table``."""
    for line, text in para.lines[1:]:
        problem = award_row(ctx, table, fields, line, text)
        if problem:
            ctx.unplaced(table, "award", line, text.strip(), problem)


def award_row(ctx: Context, table: dict, fields: list[str], line: int,
              text: str) -> str | None:
    """Add the award record of one table row (``text``, tab-separated) to ``table``.

    Returns None, or a message saying why the row cannot be read (nothing is added then).
    """
    cells = [cell.strip() for cell in text.split("\t")]
    if len(cells) != len(fields):
        return f"row has {len(cells)} cells, the header {len(fields)}"
    row = dict(zip(fields, cells, strict=True))
    if not all(row[name] for name in REQUIRED_COLUMNS):
        return "empty cell in award row"
    month = MONTH.fullmatch(row["date"])
    if not month:
        return f"award date {row['date']!r} is not YYYY年M月"
    try:
        persons = split_persons(row.get("persons", ""))
    except ValueError as err:
        return f"cannot read the persons: {err}"
    printed = [a for a in split_outside_brackets(row["awarders"]) if a]
    offices = list(dict.fromkeys(ctx.canonical(a) for a in printed))
    for office in offices:
        if office not in table["offices"]:
            table["offices"].append(office)
    ctx.add_record(table, {
        "id": f"{table['id']}.{len(table['record_ids']) + 1}",
        "kind": "award",
        "section": [],
        "text": " ".join([row["unit"], *persons, row["honour"], "、".join(printed), row["date"]]),
        "date": f"{month[1]}-{int(month[2]):02d}",
        "year": int(month[1]),
        "offices": offices,
        "refs": extract_refs(row["honour"]),
        "line": line,
        "table": table["table"],
        "table_title": table["title"],
        "level": table["level"],
        "unit": row["unit"],
        "persons": persons,
        "honour": row["honour"],
        "awarders": printed,
    })
    return None
