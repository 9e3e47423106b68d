"""The matching form of a clause text, with offsets back into the printed text.

Matching works on a *normalised* view of each text: NFKC, case-folded, punctuation,
whitespace and control characters dropped, so ``，``/``,`` and a stray line-break space do
not hide a reused sentence. Responsibility annotations (``（责任单位：…）``) and a clause's
leading number become a gap (office lists and positions are not wording) and each cited
《title》 one placeholder character (which title is cited is the cross-references'
business; the sentence around it is wording). The *folded* form also collapses every run
of digits into one ``#``, so a sentence revised only in its years and targets (2020年 →
2021年, 20个 → 30个) still reads as the same passage.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from indexer.analysis import CharTable

#: Separator put in place of a masked annotation: never equal to a text character.
GAP = "\x00"
#: What a run of digits becomes in the folded form ('#' is punctuation, so never kept).
NUMBER = "#"
#: What a cited 《title》 becomes: one character equal in every text, so that 根据《…2019年
#: 工作要点》要求 still reads as the same sentence when the cited title changes.
TITLE = "《"

_ANNOTATION_START = re.compile(r"(?:责任|牵头|配合|主办|协办)单位\s*[:：]")
_TITLE = re.compile(r"《[^《》]*》")
#: A clause's own leading number (一、 (一) 1. (1)): a position in the document, not wording.
_LEADING_NUMBER = re.compile(
    r"\s*(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）]|\d+\s*[.．、](?!\d)"
    r"|[(（]\d+[)）])")
_OPEN = "(（〔[［【"
_CLOSE = ")）〕]］】"


@dataclass
class Normalised:
    """A text's matching form: ``chars`` plus, per character, the original span it covers
    (``origin`` start offsets, ``ends`` end offsets: a folded number covers several)."""

    text: str
    chars: str
    origin: list[int] = field(repr=False)
    ends: list[int] = field(repr=False)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original ``[start, end)`` covering normalised characters ``start..end-1``."""
        return self.origin[start], self.ends[end - 1]

    @property
    def length(self) -> int:
        """Matching length: normalised characters, gaps not counted."""
        return len(self.chars) - self.chars.count(GAP)


def _masked_spans(text: str) -> list[tuple[int, int]]:
    """Spans left out of matching, in order: the clause's leading number, responsibility
    annotations and cited titles.

    An annotation runs from the bracket before 责任单位/牵头单位: to its matching bracket,
    or, without an opening bracket, to the end of the text (the corpus has
    ``牵头单位:〔…〕`` as a clause's last words).
    """
    spans = [m.span() for m in _TITLE.finditer(text)]
    leading = _LEADING_NUMBER.match(text)
    if leading and leading.end():
        spans.append(leading.span())
    annotation_end = 0
    for m in _ANNOTATION_START.finditer(text):
        if m.start() < annotation_end:
            continue  # 配合单位 inside the 责任单位 annotation
        start = m.start()
        bracketed = start > 0 and text[start - 1] in _OPEN
        if bracketed:
            start -= 1
        annotation_end = _matching_close(text, start) if bracketed else len(text)
        spans.append((start, annotation_end))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:  # a title inside an annotation
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _matching_close(text: str, open_at: int) -> int:
    """Offset just past the bracket closing the one at ``open_at`` (nesting-aware)."""
    depth = 0
    for i in range(open_at, len(text)):
        if text[i] in _OPEN:
            depth += 1
        elif text[i] in _CLOSE:
            depth -= 1
            if depth == 0:
                return i + 1
    return len(text)


def _keep(ch: str) -> bool:
    """Whether a normalised character takes part in matching: not punctuation, space or
    control (letters, digits and symbols such as ＋ in 旅游＋ do)."""
    return unicodedata.category(ch)[0] not in "PZC"


@lru_cache(maxsize=65536)
def _char_form(ch: str) -> str:
    """Matching characters of one printed character (cached: the alphabet is small)."""
    return "".join(c for c in unicodedata.normalize("NFKC", ch).casefold() if _keep(c))


def normalise(text: str, fold_numbers: bool = False) -> Normalised:
    """Matching form of ``text``: NFKC, case-folded, punctuation/space dropped, annotations
    replaced by a gap so that no shared passage runs across them; with ``fold_numbers``
    each run of digits (2.5, 2019、2020) becomes one ``#``."""
    chars: list[str] = []
    origin: list[int] = []
    ends: list[int] = []
    masks = iter(_masked_spans(text))
    mask = next(masks, None)
    i = 0
    while i < len(text):
        if mask and i == mask[0]:
            chars.append(TITLE if _TITLE.fullmatch(text, *mask) else GAP)
            origin.append(i)
            ends.append(mask[1])
            i = mask[1]
            mask = next(masks, None)
            continue
        for ch in _char_form(text[i]):
            if fold_numbers and ch.isdigit():
                if chars and chars[-1] == NUMBER:
                    ends[-1] = i + 1
                    continue
                ch = NUMBER
            chars.append(ch)
            origin.append(i)
            ends.append(i + 1)
        i += 1
    return Normalised(text, "".join(chars), origin, ends)


#: Each printed character → its matching characters.
_FORMS = CharTable(_char_form)
#: Each digit (in the sense of ``str.isdigit``, as :func:`normalise` folds them) → ``0``,
#: so that a run of them is a run of ``0``.
_DIGITS = CharTable(lambda ch: "0" if ch.isdigit() else ch)
_ZEROS = re.compile("0+")


def matching_chars(text: str, fold_numbers: bool = False) -> str:
    """``normalise(text, fold_numbers).chars`` without the offsets, each stretch between
    masked spans translated whole: the shingle index of a collection needs only these
    characters of every clause (half the time, and no offsets kept for every clause: they
    are computed for the pairs compared)."""
    parts: list[str] = []
    at = 0
    for start, end in _masked_spans(text):
        parts.append(text[at:start].translate(_FORMS))
        parts.append(TITLE if _TITLE.fullmatch(text, start, end) else GAP)
        at = end
    parts.append(text[at:].translate(_FORMS))
    chars = "".join(parts)
    return _ZEROS.sub(NUMBER, chars.translate(_DIGITS)) if fold_numbers else chars


@lru_cache(maxsize=1 << 16)
def normalise_title(title: str) -> str:
    """Matching form of a document title: NFKC, letters and digits only, case-folded.

    A cited 《上城区拥江发展四年行动计划（2018—2021年）》 then equals the printed title
    ``上城区拥江发展四年行动计划(2018—2021年)``, and a stray line-break space does not matter.
    Cached: the citation graph asks for the same cited titles again in every build.
    """
    return "".join(ch for ch in unicodedata.normalize("NFKC", title).casefold() if _keep(ch))
