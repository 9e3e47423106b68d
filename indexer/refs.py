"""Cited documents in policy text: 《titles》 and document numbers such as 浙政发〔2017〕40号.

``extract_refs(text)`` lists what a passage cites (normalised document numbers and the bare
titles inside 《》, in order of appearance, without repeats); ``extract_citations(text)``
pairs a title with the number printed right after it (``《…》(浙政发〔2017〕40号)``), which
is what a policy document's ``cites`` holds; ``normalise_doc_number(s)`` gives one spelling
for the bracket and digit variants of a number.
"""

import re

#: Bracket pairs a document number's year is printed in; all become 〔〕.
_OPEN = "〔[［(（【"
_CLOSE = "〕]］)）】"

_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
#: Chinese digits as they appear in a printed year (二〇一七).
_CN_YEAR_DIGITS = str.maketrans("〇零○一二三四五六七八九", "000123456789")

_YEAR = r"[0-9０-９〇零○一二三四五六七八九]{4}"
_NUM = r"[0-9０-９]+"

#: Agency prefix + bracketed year + serial + 号, e.g. 浙委办发〔2017〕85号, 市委[2018]12号.
_DOC_NUMBER = re.compile(
    rf"(?P<prefix>[\u4e00-\u9fff]{{1,10}})\s*[{re.escape(_OPEN)}]\s*(?P<year>{_YEAR})\s*"
    rf"[{re.escape(_CLOSE)}]\s*(?P<serial>{_NUM})\s*号"
)
#: Decree numbers without a bracketed year, e.g. 市政府令第290号.
_DECREE_NUMBER = re.compile(rf"(?P<prefix>[\u4e00-\u9fff]{{1,8}}令)第\s*(?P<serial>{_NUM})\s*号")

#: Words that can stand right before a number but are not part of the issuing prefix.
_LEADING_WORDS = re.compile(
    r"^(?:根据|按照|依据|参照|对照|贯彻|落实|执行|印发|转发|重申|详见|见|以及|和|及|与|或|并)+"
)

_TITLE = re.compile(r"《([^《》]+)》")
_INNER_TITLE = re.compile(r"〈([^〈〉]+)〉")


def normalise_doc_number(s: str) -> str:
    """Return the canonical spelling of a document number ``s``.

    The year's brackets (〔〕 [] ［］ () （） 【】) become 〔〕, full-width digits become ASCII,
    Chinese digits inside the year (二〇一七, 2〇17) become ASCII, spaces are dropped.
    A string that is not a document number comes back stripped and otherwise unchanged.
    """
    s = re.sub(r"\s+", "", s)
    match = _DOC_NUMBER.fullmatch(s)
    if match:
        year = match["year"].translate(_FULLWIDTH_DIGITS).translate(_CN_YEAR_DIGITS)
        serial = match["serial"].translate(_FULLWIDTH_DIGITS)
        return f"{match['prefix']}〔{year}〕{serial}号"
    match = _DECREE_NUMBER.fullmatch(s)
    if match:
        return f"{match['prefix']}第{match['serial'].translate(_FULLWIDTH_DIGITS)}号"
    return s


def is_doc_number(s: str) -> bool:
    """Tell whether ``s`` is a whole document or decree number (浙政发〔2017〕40号)."""
    return bool(_DOC_NUMBER.fullmatch(s) or _DECREE_NUMBER.fullmatch(s))


def _numbers(text: str) -> list[tuple[int, str]]:
    """Return ``(offset, normalised number)`` for every document number in ``text``."""
    if "号" not in text:  # both shapes end with it; most clauses cite no number
        return []
    found = []
    for pattern in (_DOC_NUMBER, _DECREE_NUMBER):
        for match in pattern.finditer(text):
            prefix = match["prefix"]
            # A verb or conjunction glued in front of the agency prefix is not part of it.
            stripped = _LEADING_WORDS.sub("", prefix) or prefix
            start = match.start() + len(prefix) - len(stripped)
            found.append((start, normalise_doc_number(text[start : match.end()])))
    return sorted(found)


def _titles(text: str) -> list[tuple[int, str]]:
    """Return ``(offset, title)`` for each 《title》 and each 〈title〉 nested in one."""
    found = []
    for match in _TITLE.finditer(text):
        found.append((match.start(), match[1].strip()))
        for inner in _INNER_TITLE.finditer(match[1]):
            found.append((match.start() + 1 + inner.start(), inner[1].strip()))
    return found


def _is_short_form(title: str, earlier: list[str]) -> bool:
    """Tell whether ``title`` is the short form of a title cited before it.

    Policy text cites 《杭州市生活垃圾管理条例》 once in full and then as 《条例》: a title
    that ends an earlier, longer title names that same document, not another one.
    """
    return any(len(full) > len(title) and full.endswith(title) for full in earlier)


def extract_refs(text: str) -> list[str]:
    """Return the titles (without 《》) and normalised document numbers cited in ``text``.

    In order of appearance, each once; short forms of a title cited earlier are left out.
    """
    refs: list[str] = []
    for _, ref in sorted(_titles(text) + _numbers(text)):
        if ref and ref not in refs and not _is_short_form(ref, refs):
            refs.append(ref)
    return refs


def _bracket_after(text: str, pos: int) -> tuple[int, str]:
    """Return ``(offset, content)`` of a round-bracketed group opening at ``text[pos]``.

    Spaces before the bracket are skipped and nested brackets are kept inside the content,
    as in 《…》(市委发(2018)29号). Without such a group the content is empty.
    """
    while pos < len(text) and text[pos].isspace():
        pos += 1
    if pos >= len(text) or text[pos] not in "(（":
        return pos, ""
    depth = 0
    for end in range(pos, len(text)):
        depth += (text[end] in "(（") - (text[end] in ")）")
        if depth == 0:
            return pos + 1, text[pos + 1 : end]
    return pos, ""


def extract_citations(text: str) -> list[dict]:
    """Return ``[{"title": str|None, "number": str|None}]`` for the documents ``text`` cites.

    A number printed in brackets right after a title is that title's number; other titles and
    numbers stand alone. In order of appearance, without repeats; short forms of a title
    cited earlier (《条例》 after 《…管理条例》) are left out.
    """
    citations: list[dict] = []
    paired_numbers: set[int] = set()
    events = []
    for match in _TITLE.finditer(text):
        number = None
        start, inside = _bracket_after(text, match.end())
        numbers = _numbers(inside)
        if len(numbers) == 1:
            number = numbers[0][1]
            paired_numbers.add(start + numbers[0][0])
        events.append((match.start(), {"title": match[1].strip(), "number": number}))
    for offset, number in _numbers(text):
        if offset not in paired_numbers:
            events.append((offset, {"title": None, "number": number}))
    for _, citation in sorted(events, key=lambda event: event[0]):
        titles = [c["title"] for c in citations if c["title"]]
        title, number = citation["title"], citation["number"]
        if citation in citations or (title and not number and _is_short_form(title, titles)):
            continue
        citations.append(citation)
    return citations
