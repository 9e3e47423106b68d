"""Shared passages of two texts in matching form: shingle seeds grown to maximal runs."""

from __future__ import annotations

from collections import defaultdict

from indexer.similar.text import GAP, Normalised

#: Shingle length in normalised characters: long enough that a shared shingle is rarely
#: chance (two-character words dominate Chinese), short enough to seed a 20-char passage.
K = 8


def shingles(chars: str, k: int = K) -> dict[str, list[int]]:
    """Positions of each ``k``-character shingle of ``chars`` (none spanning a gap)."""
    out: dict[str, list[int]] = defaultdict(list)
    for i in range(len(chars) - k + 1):
        s = chars[i : i + k]
        if GAP not in s:
            out[s].append(i)
    return out


def _extend(a: str, b: str, i: int, j: int, k: int) -> tuple[int, int, int]:
    """Grow the seed ``a[i:i+k] == b[j:j+k]`` to a maximal common substring."""
    while i > 0 and j > 0 and a[i - 1] == b[j - 1] and a[i - 1] != GAP:
        i, j, k = i - 1, j - 1, k + 1
    while i + k < len(a) and j + k < len(b) and a[i + k] == b[j + k] and a[i + k] != GAP:
        k += 1
    return i, j, k


def common_passages(
    a: Normalised,
    b: Normalised,
    *,
    stock: list[bool] | None = None,
    min_len: int = 20,
    k: int = K,
) -> list[dict]:
    """Maximal shared passages of two texts, longest first, not overlapping on either side.

    ``stock[i]`` says that the shingle of ``a`` at ``i`` is boilerplate: it seeds nothing,
    and its characters are not *novel*. Each seed is extended to a maximal common
    substring, so a passage may run on through boilerplate; it is kept when its novel
    characters number at least ``min_len`` (以习近平新时代中国特色社会主义思想为指导 is
    twenty characters but only 以 and 为指导 are novel). Each passage: ``text`` (as printed
    in ``a``), ``a_start``, ``a_end``, ``b_start``, ``b_end`` (offsets into the original
    texts), ``length`` and ``novel`` (normalised characters).
    """
    b_index = shingles(b.chars, k)
    found: dict[tuple[int, int], int] = {}
    covered: set[tuple[int, int]] = set()  # seeds already inside an extended match
    for i in range(len(a.chars) - k + 1):
        if stock is not None and stock[i]:
            continue
        for j in b_index.get(a.chars[i : i + k], ()):
            if (i, j) in covered:
                continue
            i0, j0, n = _extend(a.chars, b.chars, i, j, k)
            found[(i0, j0)] = n
            covered.update((i0 + t, j0 + t) for t in range(n - k + 1))
    boiler = _boilerplate_chars(len(a.chars), stock, k)
    passages = []
    for i, j, n in _select(found):
        novel = n - sum(boiler[i : i + n])
        if novel >= min_len:
            passages.append({**_passage(a, b, i, j, n), "novel": novel})
    return passages


def _boilerplate_chars(size: int, stock: list[bool] | None, k: int) -> list[bool]:
    """Per character: whether it lies inside a boilerplate shingle."""
    mask = [False] * size
    if stock is not None:
        for i, common in enumerate(stock):
            if common:
                mask[i : i + k] = [True] * k
    return mask[:size]


def _select(found: dict[tuple[int, int], int]) -> list[tuple[int, int, int]]:
    """Longest matches first, skipping any that overlap a chosen one in ``a`` or ``b``."""
    chosen: list[tuple[int, int, int]] = []
    for (i, j), n in sorted(found.items(), key=lambda kv: (-kv[1], kv[0])):
        if all(i + n <= ci or ci + cn <= i for ci, _, cn in chosen) and all(
            j + n <= cj or cj + cn <= j for _, cj, cn in chosen
        ):
            chosen.append((i, j, n))
    return chosen


def _passage(a: Normalised, b: Normalised, i: int, j: int, n: int) -> dict:
    """A shared passage as offsets into both original texts."""
    a_start, a_end = a.span(i, i + n)
    b_start, b_end = b.span(j, j + n)
    return {
        "text": a.text[a_start:a_end],
        "a_start": a_start,
        "a_end": a_end,
        "b_start": b_start,
        "b_end": b_end,
        "length": n,
    }


def shared_length(passages: list[dict]) -> int:
    """Normalised characters the passages cover."""
    return sum(p["length"] for p in passages)
