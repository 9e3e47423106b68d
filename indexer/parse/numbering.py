"""Numbering of policy documents: the outline style and the legal style.

- Outline: ``一、`` > ``(一)``/``（一）`` > ``1.``/``1、``/``1．`` > ``(1)``/``（1）``.
- Legal (办法, 规定, 细则, 条例, 章程): ``第X编`` > ``第X章`` > ``第X节`` > ``第X条``; inside an
  article its paragraphs (款), ``（一）`` items (项) and ``1.`` sub-items (目).

Chinese numerals up to the hundreds (第一百零二条) and Arabic, half or full width (第12条,
第１２条), give the same number.
"""

import re
import unicodedata

_CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
_CN_UNITS = {"十": 10, "百": 100}
_CN_NUMERAL = "[一二三四五六七八九十]+"
_LEGAL_NUMERAL = "[零〇一二三四五六七八九十百两0-9０-９]+"

#: Outline numbering, outermost first: level → pattern whose group 1 is the number.
NUMBERING = (
    (1, re.compile(rf"({_CN_NUMERAL})、\s*")),
    (2, re.compile(rf"[(（]\s*({_CN_NUMERAL})\s*[)）]\s*")),
    (3, re.compile(r"(\d+)\s*[.．、](?!\d)\s*")),
    # (2018)15号 is the rest of a document number cut by a page break, not item (2018).
    (4, re.compile(r"[(（]\s*(\d+)\s*[)）](?!\s*\d+\s*号)\s*")),
)

#: Legal units, outermost first, with the key prefix of their section (编 part, 章 chapter,
#: 节 section) or of their clause id (条 article).
LEGAL_UNITS = {"编": "pt", "章": "ch", "节": "s", "条": "art"}
_LEGAL_HEAD = re.compile(rf"第\s*({_LEGAL_NUMERAL})\s*([编章节条])")


def chinese_number(text: str) -> int:
    """Return the value of a Chinese numeral below 1000.

    一 → 1, 十二 → 12, 二十一 → 21, 一百零二 → 102, 一百二十 → 120; digit strings read
    digit by digit (一〇二 → 102).
    """
    if not any(c in _CN_UNITS for c in text):
        return int("".join(str(_CN_DIGITS[c]) for c in text))
    total, digit = 0, None
    for char in text:
        if char in _CN_UNITS:
            total += (1 if digit is None else digit) * _CN_UNITS[char]
            digit = None
        else:
            digit = _CN_DIGITS[char]
    return total + (digit or 0)


def number_value(text: str) -> int:
    """Return the value of an Arabic (half- or full-width) or Chinese numeral."""
    text = unicodedata.normalize("NFKC", text)
    return int(text) if text.isdigit() else chinese_number(text)


def numbering(text: str) -> tuple[int, int, str] | None:
    """Return ``(level, number, rest)`` when ``text`` starts with outline numbering, else None."""
    for level, pattern in NUMBERING:
        match = pattern.match(text)
        if match:
            return level, number_value(match[1]), text[match.end() :]
    return None


def legal_numbering(text: str) -> tuple[str, int, str] | None:
    """Return ``(unit, number, rest)`` when ``text`` starts with 第X编/章/节/条, else None.

    ``unit`` is one of 编 章 节 条. ``rest`` is what follows, stripped (the title of a
    chapter, the text of an article). A sentence that only begins with a reference to an
    article (``第三条规定的…，``) is not numbering: the unit must be followed by a space, the
    end of the text or at least not run straight into a clause of the sentence.
    """
    match = _LEGAL_HEAD.match(text)
    if not match:
        return None
    rest = text[match.end() :]
    spaced = not rest or rest[0].isspace()
    if not spaced and match[2] != "条":
        # A chapter title follows its number after padding; 第一章总则 printed tight is
        # still a heading when nothing but a short title follows.
        spaced = len(rest) <= 20 and not re.search(r"[，。；、,;]", rest)
    if not spaced and match[2] == "条":
        spaced = not re.match(r"(?:规定|所称|所列|所述|的|和|及|至|、|第)", rest)
    if not spaced:
        return None
    return match[2], number_value(match[1]), rest.strip()
