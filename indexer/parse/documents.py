"""A documents part (文件辑录): policy documents one after another, each ending with its date.

A document is a title line, its body, a signature block (one or more issuing offices, one
to a line, possibly with blank lines between them) and the date. Its dates of effect and
expiry are read from wherever the body states them.
"""

import re

from indexer.parse.clauses import add_clauses
from indexer.parse.model import Context
from indexer.parse.numbering import legal_numbering, numbering
from indexer.parse.text import FULL_DATE, PUNCTUATION, Para, clean_title, iso_date, strip_markup
from indexer.refs import extract_citations

_EFFECTIVE = re.compile(r"自\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*起\s*"
                        r"(?:施行|实施|执行|生效)")
_VALID_UNTIL = re.compile(r"有效期至\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
#: How the name of an organ ends: 办公室, 人民政府, 委员会, 局, 厅, …
_ORGAN_END = re.compile(r"(?:室|府|委|会|局|厅|部|院|办|处|组|团|联|所|队|站|社|心|司|盟|党)$")
#: The most offices one signature block names.
_MAX_OFFICES = 4


def is_date_line(text: str) -> bool:
    """True for a line that is only a full date (2018年6月20日): a document's last line."""
    return bool(FULL_DATE.fullmatch(text.strip()))


def is_office_line(text: str) -> bool:
    """True for a line that can be an issuing office: short, unnumbered, unpunctuated, and
    ending like the name of an organ."""
    text = text.strip()
    return (0 < len(text) <= 40 and not PUNCTUATION.search(text) and not text.startswith("#")
            and numbering(text) is None and legal_numbering(text) is None
            and bool(_ORGAN_END.search(text)))


def split_end(paras: list[Para]) -> tuple[list[Para], list[str]]:
    """Split a document's paragraphs after the title (date last) into body and offices.

    The issuing offices are the lines right before the date: in its paragraph and in the
    paragraphs before it made only of office lines (blank lines may stand between them).
    They are taken before page breaks are repaired, so that an office (which does not end
    a sentence) is never joined to the date.
    """
    last = paras[-1]
    offices = [text.strip() for _, text in last.lines[:-1]]
    if not all(is_office_line(text) for text in offices):
        return paras[:-1] + [Para(last.lines[:-1])], []
    body = paras[:-1]
    while (body and len(offices) + len(body[-1].lines) <= _MAX_OFFICES
           and all(is_office_line(text) for _, text in body[-1].lines)):
        offices = [text.strip() for _, text in body[-1].lines] + offices
        body = body[:-1]
    return body, offices


def validity(records: list[dict]) -> tuple[str | None, str | None]:
    """Return the ISO dates of effect and expiry stated by a document's clauses: in a
    closing paragraph or anywhere else (the last article), the last statement winning."""
    text = "\n".join(r["text"] for r in records)
    effective = [iso_date(m[0].replace("自", "")) for m in _EFFECTIVE.finditer(text)]
    until = [iso_date(m[0]) for m in _VALID_UNTIL.finditer(text)]
    return (effective[-1] if effective else None), (until[-1] if until else None)


def policy(ctx: Context, paras: list[Para], dated: bool) -> None:
    """Add one policy document: title paragraph, body, offices and (when ``dated``) the date
    at the end."""
    head = paras[0]
    if len(head.lines) != 1 or numbering(strip_markup(head.text)):
        ctx.warn(head.line, f"expected a document title, found {head.text[:30]!r}")
    date = iso_date(paras[-1].lines[-1][1]) if dated else None
    body, printed = split_end(paras[1:]) if dated else (paras[1:], [])
    if dated and not printed:
        ctx.warn(paras[-1].line, "no issuing office on the lines before the date")
    if not dated:
        ctx.warn(head.line, "document without a date line at its end")
    doc = ctx.add_doc({
        # Provisional and unique until every date is known: see yearbook.assign_policy_ids.
        "id": f"{ctx.yearbook.id}.{date.replace('-', '') if date else 'undated'}"
              f"~{len(ctx.yearbook.docs)}",
        "kind": "policy",
        "title": clean_title(head.text), "date": date,
        "year": int(date[:4]) if date else ctx.year,
        "offices": list(dict.fromkeys(ctx.canonical(o) for o in printed)),
        "line": head.line, "offices_raw": printed,
        "effective": None, "valid_until": None, "cites": [], "sections": [],
    })
    records = add_clauses(ctx, doc, body)
    doc["effective"], doc["valid_until"] = validity(records)
    doc["cites"] = extract_citations("\n".join(r["text"] for r in records))


def read_documents(ctx: Context, paras: list[Para]) -> None:
    """Read a 文件辑录 part: documents one after another, each ending with its date line."""
    start = 0
    while start < len(paras):
        end = next((j for j in range(start + 1, len(paras))
                    if is_date_line(paras[j].lines[-1][1])), None)
        policy(ctx, paras[start : (end if end is not None else len(paras) - 1) + 1],
               end is not None)
        start = len(paras) if end is None else end + 1
