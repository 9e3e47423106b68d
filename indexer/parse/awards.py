"""An awards part (先进集体, 先进个人): award tables, honour lists and their attributions.

Items follow one another: a table (title line, ``表 N``, header and rows), its ``续表 N``,
an honour list (``【…】``), an attribution such as ``(年鉴编辑部)`` closing the lists before
it. A paragraph that is none of these is kept, unplaced, in the item it follows.
"""

import re

from indexer.parse.honours import LIST_TITLE, honour_list, set_source
from indexer.parse.model import Context
from indexer.parse.tables import column_fields, table_body, table_level, table_mark
from indexer.parse.text import Para, at, clean_title

_ATTRIBUTION = re.compile(r"[（(]([^（）()。，,、：:\s]{2,20})[）)]")


def attribution(para: Para) -> re.Match | None:
    """The match of a one-line source attribution such as (年鉴编辑部), or None."""
    return _ATTRIBUTION.fullmatch(para.text) if len(para.lines) == 1 else None


def starts_item(paras: list[Para], i: int) -> bool:
    """True when ``paras[i]`` starts an item: a table (or the title line before one), an
    honour list or an attribution."""
    para = paras[i]
    return bool(LIST_TITLE.fullmatch(para.text) or table_mark(para)
                or table_mark(at(paras, i + 1)) or attribution(para))


def list_end(paras: list[Para], start: int) -> int:
    """Return the index after a list's body starting at ``start``."""
    end = start
    while end < len(paras) and not starts_item(paras, end):
        end += 1
    return end


def unplace_para(ctx: Context, doc: dict, kind: str, para: Para, msg: str) -> None:
    """Keep every line of ``para`` as an unplaced ``kind`` record of ``doc``, warning ``msg``."""
    for line, text in para.lines:
        ctx.unplaced(doc, kind, line, text.strip(), msg)


def tabbed(para: Para | None) -> bool:
    """True when ``para`` starts with a tab-separated line (a table header)."""
    return para is not None and "\t" in para.lines[0][1]


class AwardsPart:
    """Reads the paragraphs of one awards part into tables and lists of ``ctx``."""

    def __init__(self, ctx: Context, loose: "callable", default: str):
        """``loose()`` returns the container for text before any item; ``default`` is the
        entry type of a list whose layout does not tell (``unit`` or ``person``)."""
        self.ctx, self.loose, self.default = ctx, loose, default
        self.tables: dict[int, tuple[dict, list[str]]] = {}
        self.pending: list[dict] = []
        self.last: dict | None = None

    def read(self, paras: list[Para]) -> None:
        """Read every item of ``paras`` in order."""
        i = 0
        while i < len(paras):
            para = paras[i]
            if table_mark(para) or table_mark(at(paras, i + 1)):
                i = self.table(paras, i)
            elif LIST_TITLE.fullmatch(para.text):
                end = list_end(paras, i + 1)
                self.last = honour_list(self.ctx, para, paras[i + 1 : end], self.default)
                self.pending.append(self.last)
                i = end
            elif attribution(para) and self.pending:
                set_source(self.ctx, self.pending, attribution(para)[1])
                self.pending, i = [], i + 1
            else:
                self.unplaced(para, f"cannot place {para.text[:30]!r} in an awards part")
                i += 1

    def unplaced(self, para: Para, msg: str) -> None:
        """Keep ``para`` unplaced in the item it follows (or the part's loose container)."""
        doc = self.last or self.loose()
        unplace_para(self.ctx, doc, "award" if doc["kind"] == "table" else "list", para, msg)

    def table(self, paras: list[Para], i: int) -> int:
        """Read a titled table or a 续表 starting at ``paras[i]``; return the next index."""
        mark = table_mark(paras[i])
        if mark and mark[1]:
            return i + self.continued(int(mark[2]), paras[i], at(paras, i + 1))
        if mark:
            self.unplaced(paras[i], "table without a title line before it")
            return i + 1
        title_para, mark_para = paras[i], paras[i + 1]
        mark = table_mark(mark_para)
        number = int(mark[2])
        if mark[1] or number in self.tables:
            self.unplaced(title_para, f"cannot place {title_para.text[:30]!r} before a 续表 "
                          "or a repeated table")
            return i + 1
        title = clean_title(title_para.text)
        level = table_level(title)
        if level is None:
            self.ctx.warn(title_para.line, f"no award level (国家级/部级/省级/市级) in {title!r}")
        self.last = self.ctx.add_doc({
            "id": f"{self.ctx.yearbook.id}.t{number}", "kind": "table", "title": title,
            "date": None, "year": self.ctx.year, "offices": [], "line": title_para.line,
            "table": number, "level": level,
        })
        fields = self.header(at(paras, i + 2), mark_para)
        # Tables with a 获奖人姓名 column list individuals, the others collectives.
        self.last["individual"] = "persons" in (fields or [])
        self.tables[number] = (self.last, fields)
        return i + 3 if tabbed(at(paras, i + 2)) else i + 2

    def continued(self, number: int, mark: Para, body: Para | None) -> int:
        """Read ``续表 number`` (mark paragraph ``mark``, header and rows ``body``); return
        how many paragraphs were read (the mark, and the body when it is tab-separated)."""
        if number not in self.tables:
            self.unplaced(mark, f"续表 {number} without 表 {number} before it")
            if tabbed(body):
                self.unplaced(body, f"row of 续表 {number} without 表 {number} before it")
            return 2 if tabbed(body) else 1
        self.last = self.tables[number][0]
        fields = self.header(body, mark)
        if fields is not None and set(fields) != set(self.tables[number][1] or fields):
            self.ctx.warn(body.line, "continued table has other columns than its table")
        return 2 if tabbed(body) else 1

    def header(self, para: Para | None, mark: Para) -> list[str] | None:
        """Read header and rows of ``para`` into the current table; return the header's
        fields, or None (every line kept unplaced) when it is no header."""
        if not tabbed(para):
            self.ctx.warn(mark.line, "table mark not followed by a tab-separated header")
            return None
        fields = column_fields(para.lines[0][1])
        if isinstance(fields, str):
            unplace_para(self.ctx, self.last, "award", para, fields)
            return None
        if len(para.lines) < 2:
            self.ctx.warn(para.line, "table without rows")
        table_body(self.ctx, self.last, para, fields)
        return fields
