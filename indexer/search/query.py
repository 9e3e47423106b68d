"""Query parsing: the user's query string → groups of words and phrases, exclusions, filters.

Parsed by a small tokenizer, never by Whoosh's QueryParser; odd syntax is recorded as
ignored, never an error.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from indexer.search.errors import QueryError

#: The longest query searched; the web app enforces the same limit.
MAX_QUERY_CHARS = 500
FILTER_FIELDS = ("doc", "office", "year", "kind", "level", "person", "yearbook", "ref")
_QUOTES = str.maketrans({"“": '"', "”": '"', "＂": '"', "「": '"', "」": '"'})
_TOKEN_RE = re.compile(r'(-?)"([^"]*)"|(")|([^\s"]+)')
#: Unicode categories of control, format, surrogate, private-use and unassigned characters.
INVALID = ("Cc", "Cf", "Cs", "Co", "Cn")


@dataclass
class Alternative:
    """One word or phrase of a query: ``kind`` is ``"word"`` or ``"phrase"``."""

    kind: str
    text: str


@dataclass
class ParsedQuery:
    """A parsed query: AND of groups (each an OR of alternatives), exclusions, filters."""

    groups: list[list[Alternative]] = field(default_factory=list)
    excluded: list[Alternative] = field(default_factory=list)
    filters: list[tuple[str, str]] = field(default_factory=list)
    ignored: list[dict] = field(default_factory=list)

    def ignore(self, text: str, key: str, **params: str) -> None:
        """Record a piece of the query that was not used, with the reason.

        The reason is a key of :data:`~indexer.search.errors.IGNORED_REASONS` with its
        parameters, for the caller to word.
        """
        self.ignored.append({"text": text, "key": key, "params": params})


def clean_query(text: str, parsed: ParsedQuery) -> str:
    """Return ``text`` with control, format and surrogate characters replaced by spaces.

    Raises QueryError when the query is longer than :data:`MAX_QUERY_CHARS`.
    """
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError("query_too_long", n=len(text), max=MAX_QUERY_CHARS)
    bad = [ch for ch in text if unicodedata.category(ch) in INVALID and not ch.isspace()]
    if bad:
        parsed.ignore("".join(sorted(set(bad))).encode("unicode_escape", "replace").decode(),
                      "control_chars")
        text = "".join(" " if ch in bad else ch for ch in text)
    return text.translate(_QUOTES)


def _read_token(token: str, parsed: ParsedQuery, negate: bool) -> Alternative | None:
    """Interpret one unquoted token: a filter (recorded) or a word; return the word if any."""
    name, sep, value = token.partition(":")
    if sep and name.lower() in FILTER_FIELDS:
        if negate:
            parsed.ignore("-" + token, "negated_filter")
        elif value:
            parsed.filters.append((name.lower(), value))
        else:
            parsed.ignore(token, "empty_filter", field=name.lower())
        return None
    return Alternative("word", token)


def parse_query(text: str) -> ParsedQuery:
    """Parse a user query into groups, exclusions and filters; never raises for odd syntax.

    Raises QueryError only for a query over the length limit.
    """
    parsed = ParsedQuery()
    text = clean_query(text, parsed)
    items: list[Alternative | str] = []
    negate_next = False     # after NOT: the next word or phrase is excluded, like -word
    for neg, phrase, lone_quote, token in (m.groups() for m in _TOKEN_RE.finditer(text)):
        if lone_quote:
            parsed.ignore('"', "unmatched_quote")
            continue
        if token in ("NOT", "OR", "AND") and negate_next:
            parsed.ignore("NOT", "lonely_not")
            negate_next = False
        if phrase is not None:
            _add_item(items, parsed, Alternative("phrase", phrase), bool(neg) or negate_next)
        elif token == "NOT":
            negate_next = True
            continue
        elif token in ("OR", "AND"):
            items.append(token)
        elif token.startswith("-") and len(token) > 1:
            alt = _read_token(token[1:], parsed, negate=True)
            _add_item(items, parsed, alt, negate=True)
        else:
            alt = _read_token(token, parsed, negate=negate_next)
            _add_item(items, parsed, alt, negate=negate_next)
        negate_next = False
    if negate_next:
        parsed.ignore("NOT", "lonely_not")
    _group_items(items, parsed)
    return parsed


def _add_item(items: list, parsed: ParsedQuery, alt: Alternative | None, negate: bool) -> None:
    """Append a positive alternative to ``items`` or an exclusion to ``parsed``."""
    if alt is None:
        return
    if negate:
        parsed.excluded.append(alt)
    else:
        items.append(alt)


def _group_items(items: list, parsed: ParsedQuery) -> None:
    """Fold ``a OR b`` runs into groups; stray operators are recorded as ignored."""
    for i, item in enumerate(items):
        if item == "AND":
            parsed.ignore("AND", "redundant_and")
        elif item == "OR":
            if not (i and isinstance(items[i - 1], Alternative)
                    and i + 1 < len(items) and isinstance(items[i + 1], Alternative)):
                parsed.ignore("OR", "lonely_or")
        elif i and items[i - 1] == "OR" and parsed.groups and i >= 2 \
                and isinstance(items[i - 2], Alternative):
            parsed.groups[-1].append(item)
        else:
            parsed.groups.append([item])


