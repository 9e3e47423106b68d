"""Honour lists: ``【title】`` then entries, optionally under sub-headings.

Units are separated by 、 (a page break may split one: ``区人力资源和社`` / ``会保障局``);
people's names are laid out in columns, two-character names padded with a space.
A line whose names cannot be read, or a sub-heading without entries, is kept unplaced.
"""

import re

from indexer.parse.model import Context
from indexer.parse.tables import split_names
from indexer.parse.text import Para, at, clean_title, split_spans, strip_markup

LIST_TITLE = re.compile(r"\**【([^】]+)】\**(.*)")


def is_bold(para: Para) -> bool:
    """True for a one-line paragraph printed entirely in bold (a list sub-heading)."""
    text = para.text
    return len(para.lines) == 1 and text.startswith("**") and text.endswith("**")


def looks_like_entries(para: Para) -> bool:
    """True when a paragraph lists several entries (units split by 、, names by spaces)."""
    return "、" in para.text or any(len(text.split()) > 1 for _, text in para.lines)


def list_groups(sub: str | None, line: int, body: list[Para]) -> list[dict]:
    """Split a list's ``body`` into ``{"heading", "line", "paras"}`` groups.

    Sub-headings are bold lines, or single plain lines that are followed by their entries.
    Entries after entries without a sub-heading between are one paragraph split by a page
    break (``区人力资源和社会`` / ``保障局、…``).
    """
    groups = [{"heading": sub, "line": line, "paras": []}]
    for k, para in enumerate(body):
        following = at(body, k + 1)
        plain_heading = (
            following is not None and not is_bold(following)
            and len(para.lines) == 1 and not looks_like_entries(para)
        )
        expecting_entries = groups[-1]["heading"] is not None and not groups[-1]["paras"]
        if is_bold(para) or (plain_heading and not expecting_entries):
            groups.append({"heading": strip_markup(para.text), "line": para.line, "paras": []})
        else:
            groups[-1]["paras"].append(para)
    return [g for g in groups if g["heading"] is not None or g["paras"]]


def unit_entries(ctx: Context, paras: list[Para]) -> list[tuple[str, int]]:
    """Return ``(unit, line)`` for units separated by 、, joined across page breaks."""
    text, lines = "", []
    for para in paras:
        for number, line in para.lines:
            line = line.strip().replace("**", "")
            text += line
            lines += [number] * len(line)
    entries = []
    for start, end in split_spans(text):
        if text[start:end].strip():
            entries.append((text[start:end].strip(), lines[start]))
        else:
            ctx.warn(lines[min(start, len(lines) - 1)], "empty entry between 、")
    return entries


def name_entries(paras: list[Para]) -> list[tuple[str, int, str | None]]:
    """Return ``(name, line, problem)`` for the names laid out in columns in ``paras``;
    a line whose names cannot be read comes whole, with the problem."""
    entries = []
    for para in paras:
        for number, line in para.lines:
            try:
                entries += [(name, number, None) for name in split_names(line)]
            except ValueError as err:
                entries.append((line.strip(), number, f"cannot read the names: {err}"))
    return entries


def group_entries(ctx: Context, paras: list[Para], default: str) -> tuple[str, list]:
    """Return the entry type and ``(name, line, problem)`` entries of one group."""
    if any("、" in para.text for para in paras):
        return "unit", [(name, line, None) for name, line in unit_entries(ctx, paras)]
    several = any(looks_like_entries(para) for para in paras)
    entries = name_entries(paras)
    return ("person" if several or len(entries) > 1 else default), entries


def honour_list(ctx: Context, head: Para, body: list[Para], default: str) -> dict:
    """Add an honour list (title paragraph ``head``, paragraphs ``body``); return its doc."""
    match = LIST_TITLE.fullmatch(head.text)
    title, sub = clean_title(match[1]), strip_markup(match[2]) or None
    number = sum(doc["kind"] == "list" for doc in ctx.yearbook.docs) + 1
    doc = ctx.add_doc({
        "id": f"{ctx.yearbook.id}.l{number}", "kind": "list", "title": title, "date": None,
        "year": ctx.year, "offices": [], "line": head.line, "headings": [], "source": None,
    })
    if len(head.lines) > 1:
        for line, text in head.lines[1:]:
            ctx.unplaced(doc, "list", line, text.strip(), "list title runs over several lines")
    if not body:
        ctx.warn(head.line, f"list {title!r} has no entries")
    headed = 0
    for group in list_groups(sub, head.line, body):
        if group["heading"]:
            headed += 1
            doc["headings"].append(group["heading"])
        if not group["paras"]:
            ctx.unplaced(doc, "list", group["line"], group["heading"],
                         f"list heading {group['heading']!r} has no entries")
            continue
        _add_entries(ctx, doc, group, headed if group["heading"] else 0, default)
    return doc


def _add_entries(ctx: Context, doc: dict, group: dict, index: int, default: str) -> None:
    """Add the entry records of one ``group`` of ``doc`` (sub-heading number ``index``)."""
    entry_type, entries = group_entries(ctx, group["paras"], default)
    k = 0
    for name, line, problem in entries:
        if problem:
            ctx.unplaced(doc, "list", line, name, problem)
            continue
        k += 1
        ctx.add_record(doc, {
            "id": f"{doc['id']}.{index}.{k}", "kind": "list",
            "section": [group["heading"]] if group["heading"] else [],
            "text": name, "date": None, "year": ctx.year, "offices": [], "refs": [],
            "line": line, "list_title": doc["title"],
            "heading": group["heading"], "name": name, "entry_type": entry_type,
            "source": None,
        })


def set_source(ctx: Context, lists: list[dict], source: str) -> None:
    """Give ``lists`` (docs) and their entries the attribution ``source``."""
    ids = {record_id for doc in lists for record_id in doc["record_ids"]}
    for doc in lists:
        doc["source"] = source
    for record in ctx.yearbook.records:
        if record["id"] in ids:
            record["source"] = source
