"""Text utilities of the print-to-text form: paragraphs, markup, brackets, sentences, dates.

Nothing here knows about yearbook parts; every other module of the package reads its input
through these helpers.
"""

import re
import unicodedata
from dataclasses import dataclass

OPENING = "(（《〈[［【〔“‘"
CLOSING = ")）》〉]］】〕”’"

FULL_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
MONTH = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月")
PUNCTUATION = re.compile(r"[。，,；;：:、！!？?]")
_SENTENCE_END = re.compile(r"[。；;！!？?：:…][”’」』）)\]】〕\"']*$")


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


def at(items: list, i: int):
    """Return ``items[i]``, or None past the end."""
    return items[i] if i < len(items) else None


def strip_markup(text: str) -> str:
    """Return ``text`` without a leading ``#`` heading mark and without ``**`` bold marks."""
    return re.sub(r"^#+\s*", "", text.strip()).replace("**", "").strip()


def squeeze(text: str) -> str:
    """Return ``text`` without the stray spaces of broken or padded print lines.

    A space survives only between two ASCII letters or digits (``G20 Summit``); padding
    inside Chinese words goes (``总　则`` → 总则).
    """
    return re.sub(
        r"(?<=(.))\s+(?=(.))",
        lambda m: " " if m[1].isascii() and m[1].isalnum() and m[2].isascii() and m[2].isalnum()
        else "",
        text.strip(),
    )


def clean_title(text: str) -> str:
    """Return a title without markup and without the stray spaces of broken print lines."""
    return squeeze(strip_markup(text))


def fold(text: str) -> str:
    """Return ``text`` in one width for comparisons: full-width letters, digits and brackets
    become half-width (NFKC), spaces go. Never used for what is shown or indexed."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


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


def run_on(first: str, second: str) -> str:
    """Join two pieces of one paragraph split by a page break.

    Chinese runs on without a space; a break between two Latin words (``Smart`` /
    ``City``) keeps one.
    """
    first, second = first.rstrip(), second.lstrip()
    latin = (first and second and first[-1].isascii() and first[-1].isalnum()
             and second[0].isascii() and second[0].isalpha())
    return first + (" " if latin else "") + second


def iso_date(text: str) -> str | None:
    """Return ``YYYY-MM-DD`` for a date like 2018年6月20日 found in ``text``, else None."""
    match = FULL_DATE.search(text)
    return f"{match[1]}-{int(match[2]):02d}-{int(match[3]):02d}" if match else None
