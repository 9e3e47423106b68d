"""Citation lines in the style of GB/T 7714 for electronic resources.

``责任者. 题名[EB/OL]. 日期. 章节. URL`` — the issuing (or awarding) offices, the document
title, its date, the section path of the record, and the record's permalink. The line stays
in Chinese in both interfaces because it cites the Chinese source; only the permalink
carries the reader's language.
"""

from __future__ import annotations

SECTION_SEPARATOR = " › "


def section_path(record: dict) -> str:
    """The record's section labels joined outermost first."""
    return SECTION_SEPARATOR.join(label for label in record.get("section") or [] if label)


def citation(record: dict, permalink: str) -> str:
    """The GB/T 7714-style citation line of ``record`` ending in ``permalink``."""
    offices = "，".join(record.get("offices") or [])
    parts = [
        offices,
        f"{record.get('doc_title', '')}[EB/OL]",
        str(record.get("date") or ""),
        section_path(record),
        permalink,
    ]
    return ". ".join(part.strip().rstrip(".。") for part in parts if part and part.strip())
