"""Highlighting: where the query's strings occur in a record's text, marked as HTML."""

import html
import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property, lru_cache
from itertools import chain

from indexer.analysis import CharTable, normalise, normalise_with_offsets, span_to_original
from indexer.search.verify import find

#: Texts up to this length are shown whole; longer ones as snippets around the matches.
SNIPPET_FULL = 200
SNIPPET_CONTEXT = 40
SNIPPET_MAX = 3
#: How far past SNIPPET_CONTEXT a snippet's edge may move to fall between phrases.
SNIPPET_SLACK = 40
#: The characters ``html.escape`` replaces.
_HTML_SPECIAL = "&<>\"'"


#: Runs of whitespace (``\s`` is ``str.isspace``, as ``str.split`` uses it).
_SPACES = re.compile(r"\s+")


def _breaks_after(char: str) -> str:
    """``"|"`` for a character after which a snippet may begin or end (a space or a
    punctuation mark: never inside a phrase such as 增强意识), else ``"."``."""
    return "|" if char.isspace() or unicodedata.category(char).startswith("P") else "."


_BREAK_AFTER = CharTable(_breaks_after)


@dataclass(frozen=True)
class Normalised:
    """A text prepared for highlighting.

    ``text``: as printed; ``norm``: normalised; ``origin``: offsets back into the text (see
    :func:`~indexer.analysis.normalise_with_offsets`); ``squeezed``: ``norm`` without
    whitespace; ``where``: the offset in ``norm`` of each character of ``squeezed``, or
    None when ``norm`` has no whitespace (the identity).
    """

    text: str
    norm: str
    origin: list[int] | None
    squeezed: str
    where: list[int] | None

    @classmethod
    @lru_cache(maxsize=4096)
    def of(cls, text: str) -> "Normalised":
        """Prepare ``text`` (remembered for the texts hit most recently: result pages repeat)."""
        norm, origin = normalise(text), None
        if len(norm) != len(text):
            # No character normalises to nothing (tests/test_search_highlight.py checks every
            # one): equal lengths mean one character for each, the identity map.
            norm, origin = normalise_with_offsets(text)
        squeezed = "".join(norm.split())
        where = None
        if len(squeezed) != len(norm):
            kept, pos = [], 0
            for space in _SPACES.finditer(norm):
                kept.append(range(pos, space.start()))
                pos = space.end()
            kept.append(range(pos, len(norm)))
            where = list(chain.from_iterable(kept))
        return cls(text, norm, origin, squeezed, where)

    @cached_property
    def breaks(self) -> str:
        """``text`` with ``"|"`` for each character after which a snippet may begin or end
        (:func:`_breaks_after`), ``"."`` for the others; computed for long texts only."""
        return self.text.translate(_BREAK_AFTER)

    def find_all(self, needle: str):
        """Yield the (start, end) spans of ``norm`` holding the space-free ``needle``,
        whitespace allowed between its characters, left to right, not overlapping, none
        beginning or ending inside a longer number (see :func:`~indexer.search.verify.find`).

        Word queries match across the spaces of the print (``徐斌`` in ``徐 斌``), so the
        highlight does too.
        """
        where = self.where
        for pos in find(needle, self.squeezed):
            end = pos + len(needle)
            yield (pos, end) if where is None else (where[pos], where[end - 1] + 1)


def match_spans(text: str, needles: list[str],
                normalised: Normalised | None = None) -> list[tuple[int, int]]:
    """Return merged (start, end) spans of ``text`` (as printed) where a needle occurs.

    Needles are normalised strings; matching is on the normalised text, spans are mapped
    back to the original characters. ``normalised`` is ``Normalised.of(text)`` when the
    caller already has it.
    """
    prepared = normalised or Normalised.of(text)
    spans = [span_to_original(prepared.origin, start, end, len(text))
             for needle in {"".join(n.split()) for n in needles} if needle
             for start, end in prepared.find_all(needle)]
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(s, e) for s, e in merged]


def _marked(text: str, spans: list[tuple[int, int]], lo: int, hi: int) -> str:
    """HTML-escape ``text[lo:hi]`` with ``<mark>`` around the parts of ``spans`` inside it."""
    # Most texts have nothing to escape: then the pieces are joined as they are.
    escape = html.escape if any(ch in text for ch in _HTML_SPECIAL) else str
    out, pos = [], lo
    for start, end in spans:
        start, end = max(start, lo), min(end, hi)
        if start >= end:
            continue
        out += [escape(text[pos:start]), "<mark>", escape(text[start:end]), "</mark>"]
        pos = end
    out.append(escape(text[pos:hi]))
    return "".join(out)


def _nearest(breaks: str, at: int, low: int, high: int) -> int:
    """The phrase boundary in ``[low, high]`` (which holds ``at``) closest to ``at``, the
    left one at equal distance; ``at`` itself when there is none.

    A boundary is either end of the text or the place just after a space or punctuation
    mark, as ``breaks`` (:attr:`Normalised.breaks`) marks them."""
    n = len(breaks)
    low, high = max(low, 0), min(high, n)
    if at <= 0 or at >= n:
        return at
    left = breaks.rfind("|", max(low, 1) - 1, at) + 1 or (0 if low == 0 else -1)
    right = breaks.find("|", at - 1, high)
    right = right + 1 if right >= 0 else (n if high == n else -1)
    if left >= 0 and (right < 0 or at - left <= right - at):
        return left
    return right if right >= 0 else at


def highlight(text: str, needles: list[str], normalised: Normalised | None = None) -> str:
    """Return escaped HTML of ``text`` with matches marked; long texts as at most
    :data:`SNIPPET_MAX` snippets.

    A snippet is the window of :data:`SNIPPET_CONTEXT` characters either side of a match,
    its edges moved to the nearest phrase boundary (:func:`_nearest`): outwards by at most
    :data:`SNIPPET_SLACK`, else inwards (never into the match). Windows that touch merge.
    ``normalised``: see :func:`match_spans`.
    """
    prepared = normalised or Normalised.of(text)
    spans = match_spans(text, needles, prepared)
    n = len(text)
    if n <= SNIPPET_FULL:
        return _marked(text, spans, 0, n)
    breaks = prepared.breaks
    windows: list[list[int]] = []
    for start, end in spans:
        last = windows[-1] if windows else None
        if last and start <= last[1] and min(n, end + SNIPPET_CONTEXT + SNIPPET_SLACK) <= last[1]:
            continue    # inside the last window however its edges snap
        if len(windows) == SNIPPET_MAX and start - SNIPPET_CONTEXT - SNIPPET_SLACK > last[1]:
            break   # no window left, and this span (like every later one) is out of reach
        hi = min(n, end + SNIPPET_CONTEXT)
        hi = _nearest(breaks, hi, end, hi + SNIPPET_SLACK)
        lo = start  # the left edge snaps to at most ``start``: computed only when it matters
        if not last or start > last[1]:
            lo = max(0, start - SNIPPET_CONTEXT)
            lo = _nearest(breaks, lo, lo - SNIPPET_SLACK, start)
        if last and lo <= last[1]:
            last[1] = max(last[1], hi)
        elif len(windows) < SNIPPET_MAX:
            windows.append([lo, hi])
    if not windows:
        windows = [[0, _nearest(breaks, SNIPPET_FULL, 0, SNIPPET_FULL + SNIPPET_SLACK)]]
    parts = [("…" if lo > 0 else "") + _marked(text, spans, lo, hi) for lo, hi in windows]
    tail = "…" if windows[-1][1] < n else ""
    return "".join(parts) + tail
