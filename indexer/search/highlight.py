"""Highlighting: where the query's strings occur in a record's text, marked as HTML."""

import html
from dataclasses import dataclass

from indexer.analysis import normalise_with_offsets, span_to_original

#: Texts up to this length are shown whole; longer ones as snippets around the matches.
SNIPPET_FULL = 200
SNIPPET_CONTEXT = 40
SNIPPET_MAX = 3

@dataclass(frozen=True)
class Normalised:
    """A text prepared for highlighting.

    ``norm``: normalised; ``origin``: offsets back into the text (see
    :func:`~indexer.analysis.normalise_with_offsets`); ``squeezed``: ``norm`` without
    whitespace; ``where``: the offset in ``norm`` of each character of ``squeezed``.
    """

    norm: str
    origin: list[int] | None
    squeezed: str
    where: list[int]

    @classmethod
    def of(cls, text: str) -> "Normalised":
        """Prepare ``text``."""
        norm, origin = normalise_with_offsets(text)
        where = [j for j, ch in enumerate(norm) if not ch.isspace()]
        return cls(norm, origin, "".join(norm[j] for j in where), where)

    def find_all(self, needle: str):
        """Yield the (start, end) spans of ``norm`` holding the space-free ``needle``,
        whitespace allowed between its characters, left to right, not overlapping.

        Word queries match across the spaces of the print (``徐斌`` in ``徐 斌``), so the
        highlight does too.
        """
        pos = self.squeezed.find(needle)
        while pos >= 0:
            yield self.where[pos], self.where[pos + len(needle) - 1] + 1
            pos = self.squeezed.find(needle, pos + len(needle))


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
    out, pos = [], lo
    for start, end in spans:
        start, end = max(start, lo), min(end, hi)
        if start >= end:
            continue
        out += [html.escape(text[pos:start]), "<mark>", html.escape(text[start:end]), "</mark>"]
        pos = end
    out.append(html.escape(text[pos:hi]))
    return "".join(out)


def highlight(text: str, needles: list[str], normalised: Normalised | None = None) -> str:
    """Return escaped HTML of ``text`` with matches marked; long texts as snippets.

    ``normalised``: see :func:`match_spans`.
    """
    spans = match_spans(text, needles, normalised)
    if len(text) <= SNIPPET_FULL:
        return _marked(text, spans, 0, len(text))
    windows: list[list[int]] = []
    for start, end in spans:
        lo, hi = max(0, start - SNIPPET_CONTEXT), min(len(text), end + SNIPPET_CONTEXT)
        if windows and lo <= windows[-1][1]:
            windows[-1][1] = max(windows[-1][1], hi)
        elif len(windows) < SNIPPET_MAX:
            windows.append([lo, hi])
    if not windows:
        windows = [[0, SNIPPET_FULL]]
    parts = [("…" if lo > 0 else "") + _marked(text, spans, lo, hi) for lo, hi in windows]
    tail = "…" if windows[-1][1] < len(text) else ""
    return "".join(parts) + tail


