"""Side-by-side differences of two wordings, with changed numbers and years standing out."""

from __future__ import annotations

import difflib
import re
import unicodedata
from functools import lru_cache

#: A number as printed: digits with decimal point/comma, a range (1~2, 2018—2021), and the
#: percent sign or counter word after it (20个, 600万, 2020年, 15%), so that a changed
#: target reads as one change.
_NUMBER = re.compile(r"\d+(?:[.,．]\d+)*(?:[~～—–-]\d+(?:[.,．]\d+)*)?"
                     r"(?:[%％‰]|[个万亿元年月日次家所项人户米平方公里吨辆座条]+)?")
_NFKC_DIGITS = str.maketrans("０１２３４５６７８９．％", "0123456789.%")


@lru_cache(maxsize=65536)
def _key(ch: str) -> str:
    """Comparison form of one character (NFKC; cached, the alphabet is small)."""
    return unicodedata.normalize("NFKC", ch)


def _tokens(text: str) -> list[tuple[str, int, int]]:
    """``(key, start, end)`` per token: a whole number (with its unit) or one character;
    keys compare in NFKC form so ``，`` and ``,`` are equal."""
    folded = text.translate(_NFKC_DIGITS)
    out: list[tuple[str, int, int]] = []
    pos = 0
    for m in _NUMBER.finditer(folded):
        out += [(_key(text[i]), i, i + 1) for i in range(pos, m.start())]
        out.append((m.group(), m.start(), m.end()))
        pos = m.end()
    out += [(_key(text[i]), i, i + 1) for i in range(pos, len(text))]
    return out


def _opcodes(ta: list[tuple], tb: list[tuple]) -> list[tuple]:
    """Edit operations between two token lists."""
    matcher = difflib.SequenceMatcher(None, [t[0] for t in ta], [t[0] for t in tb],
                                      autojunk=False)
    return matcher.get_opcodes()


def compare(a: str, b: str) -> dict:
    """``{"diff": diff_segments(a, b), "numbers": number_changes(a, b)}`` from one diff."""
    ta, tb = _tokens(a), _tokens(b)
    ops = _opcodes(ta, tb)
    return {"diff": _segments(a, b, ta, tb, ops), "numbers": _numbers(a, b, ta, tb, ops)}


def diff_segments(a: str, b: str) -> dict[str, list[dict]]:
    """Side-by-side diff of two texts for display.

    Returns ``{"a": [...], "b": [...]}``, each a list of ``{"op", "text", "number"}``
    covering its text in order: ``equal`` on both sides, ``delete`` only on a's side,
    ``insert`` only on b's; ``number`` is true for a change holding a digit (a revised
    year or target, for the page to make stand out). Numbers compare whole, so 20个 →
    30个 is one change, not a one-character mark; equal runs shorter than three
    characters between two changes are folded into the change.
    """
    ta, tb = _tokens(a), _tokens(b)
    return _segments(a, b, ta, tb, _opcodes(ta, tb))


def _segments(a: str, b: str, ta: list, tb: list, ops: list[tuple]) -> dict[str, list[dict]]:
    """The display segments of a diff (see :func:`diff_segments`)."""
    out: dict[str, list[dict]] = {"a": [], "b": []}
    for tag, i1, i2, j1, j2 in _fold_short_equals(ops, ta):
        sa = a[ta[i1][1] : ta[i2 - 1][2]] if i2 > i1 else ""
        sb = b[tb[j1][1] : tb[j2 - 1][2]] if j2 > j1 else ""
        if tag == "equal":
            _append(out["a"], "equal", sa)
            _append(out["b"], "equal", sb)
        else:
            _append(out["a"], "delete", sa)
            _append(out["b"], "insert", sb)
    return out


def _fold_short_equals(opcodes: list[tuple], tokens: list[tuple]) -> list[tuple]:
    """Merge equal runs shorter than 3 characters that sit between changes into them."""
    out: list[tuple] = []
    for n, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        inner = 0 < n < len(opcodes) - 1
        chars = sum(t[2] - t[1] for t in tokens[i1:i2])
        if tag == "equal" and inner and chars < 3:
            tag = "replace"
        if out and tag != "equal" and out[-1][0] != "equal":
            _, pi1, _, pj1, _ = out.pop()
            out.append(("replace", pi1, i2, pj1, j2))
        else:
            out.append((tag, i1, i2, j1, j2))
    return out


def _append(side: list[dict], op: str, text: str) -> None:
    """Add a segment, skipping empty text and joining it to a previous one of the same op
    and kind; inside a change each number is a segment of its own (``number`` true)."""
    pos = 0
    pieces = []
    if op != "equal":
        for m in _NUMBER.finditer(text.translate(_NFKC_DIGITS)):
            pieces += [(text[pos : m.start()], False), (text[m.start() : m.end()], True)]
            pos = m.end()
    pieces.append((text[pos:], False))
    for piece, number in pieces:
        if not piece:
            continue
        if not number and side and side[-1]["op"] == op and not side[-1]["number"]:
            side[-1]["text"] += piece
        else:
            side.append({"op": op, "text": piece, "number": number})


def number_changes(a: str, b: str) -> list[dict]:
    """The numbers and years revised between ``a`` and ``b``, in order: ``{"a", "b"}``
    per change (``{"a": "20个", "b": "30个"}``); a number only added or dropped inside
    the shared text has ``None`` on the other side (text only one side has before or
    after the overlap is not a revision)."""
    ta, tb = _tokens(a), _tokens(b)
    return _numbers(a, b, ta, tb, _opcodes(ta, tb))


def _numbers(a: str, b: str, ta: list, tb: list, ops: list[tuple]) -> list[dict]:
    """The revised numbers of a diff (see :func:`number_changes`)."""
    changes = []
    for n, (tag, i1, i2, j1, j2) in enumerate(ops):
        if tag == "equal" or (tag != "replace" and n in (0, len(ops) - 1)):
            continue  # text before or after the overlap (a paragraph quoting part of a clause)
        old = [a[s:e] for key, s, e in ta[i1:i2] if _NUMBER.fullmatch(key)]
        new = [b[s:e] for key, s, e in tb[j1:j2] if _NUMBER.fullmatch(key)]
        for n in range(max(len(old), len(new))):
            changes.append({"a": old[n] if n < len(old) else None,
                            "b": new[n] if n < len(new) else None})
    return changes


def mark_segments(text: str, spans: list[tuple[int, int]]) -> list[dict]:
    """Split ``text`` into ``{"text", "shared"}`` pieces, ``shared`` inside any of ``spans``.

    For templates: shared passages highlighted without putting markup into the data.
    """
    pieces: list[dict] = []
    pos = 0
    for start, end in sorted(spans):
        start = max(start, pos)
        if start >= end:
            continue
        if start > pos:
            pieces.append({"text": text[pos:start], "shared": False})
        pieces.append({"text": text[start:end], "shared": True})
        pos = end
    if pos < len(text):
        pieces.append({"text": text[pos:], "shared": False})
    return pieces
