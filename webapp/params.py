"""Validation of the query-string parameters shared by ``/search`` and ``/api/search``.

Anything a user can type ends up here first: the values are cleaned (control characters,
lone surrogates) and range-checked, and a bad value raises :class:`BadParam` carrying a
msgid of the catalog, which the app turns into a 400 page or ``{"error": …}``.
"""

from __future__ import annotations

import re
import unicodedata

from indexer.search import LEVELS, MAX_DROPPED, MAX_DROPPED_CHARS, MAX_QUERY_CHARS, SORTS
from webapp.i18n import N_

MAX_VALUE_CHARS = 200
MAX_PAGE = 1000
MAX_SIZE = 100
DEFAULT_SIZE = 10
KINDS = ("clause", "award", "list")
#: /api/docs calls the documents of clauses ``policy``: the name finds their records too.
DOC_KINDS = {"policy": "clause"}
YEAR_RANGE = (1949, 2100)

#: The parameters that make up a search state, in the order links spell them.
STATE_KEYS = ("q", "doc", "year", "office", "kind", "level", "person", "yearbook", "noexp",
              "group", "sort", "size", "page")
#: ``group=``: by document or one hit per record (unset: by document when the query names
#: a document, see webapp/grouping.py).
GROUPINGS = ("doc", "none")
DEFAULTS = {"page": 1, "size": DEFAULT_SIZE, "sort": "relevance"}

MAX_ID_CHARS = 200


class BadParam(ValueError):
    """A parameter value the site cannot use; ``key`` (a msgid) and ``values`` form the message."""

    def __init__(self, key: str, **values: object):
        super().__init__(key)
        self.key = key
        self.values = values


def clean_text(value: str) -> str:
    """Replace control characters and lone surrogates by spaces and collapse whitespace.

    They cannot occur in the corpus, and NUL or surrogates would break the index layer.
    """
    kept = [" " if unicodedata.category(ch) in ("Cc", "Cs") else ch for ch in value]
    return " ".join("".join(kept).split())


def _int_param(args, name: str, default: int | None, lo: int, hi: int) -> int | None:
    """Parse an optional integer parameter within [lo, hi]."""
    raw = args.get(name, "").strip()
    if raw == "":
        return default
    if not re.fullmatch(r"[+-]?\d{1,9}", raw):
        raise BadParam("err_int", name=name)
    value = int(raw)
    if not lo <= value <= hi:
        raise BadParam("err_range", name=name, lo=lo, hi=hi)
    return value


def _choice_param(args, name: str, choices: tuple[str, ...], default: str | None) -> str | None:
    """Parse an optional parameter that must be one of ``choices``."""
    raw = args.get(name, "").strip()
    if raw == "":
        return default
    if raw not in choices:
        raise BadParam("err_choice", name=name, choices=", ".join(choices))
    return raw


def _text_param(args, name: str, limit: int, key: str) -> str | None:
    """Parse an optional free-text parameter, cleaned and at most ``limit`` characters."""
    raw = args.get(name, "")
    if len(raw) > limit:
        raise BadParam(key, name=name, max=limit, n=len(raw))
    return clean_text(raw) or None


def _list_param(args, name: str, limit: int, count: int) -> tuple[str, ...]:
    """Parse a repeatable free-text parameter: cleaned values, empty ones and repeats left
    out, in the order given; at most ``count`` values of at most ``limit`` characters."""
    if hasattr(args, "getlist"):
        raw = args.getlist(name)
    else:  # a plain dict, as the pages pass for a blank state
        value = args.get(name) or []
        raw = [value] if isinstance(value, str) else list(value)
    if len(raw) > count:
        raise BadParam("err_too_many", name=name, max=count, n=len(raw))
    for value in raw:
        if len(value) > limit:
            raise BadParam("err_value_long", name=name, max=limit, n=len(value))
    return tuple(dict.fromkeys(filter(None, map(clean_text, raw))))


def _kind_param(args) -> str | None:
    """The record kind asked for, a document kind (``policy``) read as its records' kind."""
    kind = _choice_param(args, "kind", KINDS + tuple(DOC_KINDS), None)
    return DOC_KINDS.get(kind, kind)


def _query_param(args) -> str:
    """The query: ``q``, and the words of a search within its results (``within``, 二次
    检索) added to it; together at most MAX_QUERY_CHARS characters."""
    within = _text_param(args, "within", MAX_QUERY_CHARS, N_("err_q_long"))
    if not within:
        return _text_param(args, "q", MAX_QUERY_CHARS, N_("err_q_long")) or ""
    query = " ".join(filter(None, (clean_text(args.get("q", "")), within)))
    if len(query) > MAX_QUERY_CHARS:
        raise BadParam("err_q_long", name="q", max=MAX_QUERY_CHARS, n=len(query))
    return query


def search_params(args) -> dict:
    """Validate the search parameters in ``args`` (a MultiDict) into a state dict."""
    return {
        "q": _query_param(args),
        "doc": _text_param(args, "doc", MAX_VALUE_CHARS, N_("err_value_long")),
        "year": _int_param(args, "year", None, *YEAR_RANGE),
        "office": _text_param(args, "office", MAX_VALUE_CHARS, N_("err_value_long")),
        "kind": _kind_param(args),
        "level": _choice_param(args, "level", LEVELS, None),
        "person": _text_param(args, "person", MAX_VALUE_CHARS, N_("err_value_long")),
        "yearbook": _text_param(args, "yearbook", MAX_VALUE_CHARS, N_("err_value_long")),
        # Expansions to drop (``noexp=垃圾分类``, repeatable): part of the citable state.
        "noexp": _list_param(args, "noexp", MAX_DROPPED_CHARS, MAX_DROPPED),
        "group": _choice_param(args, "group", GROUPINGS, None),
        "sort": _choice_param(args, "sort", SORTS, "relevance"),
        "size": _int_param(args, "size", DEFAULT_SIZE, 1, MAX_SIZE),
        "page": _int_param(args, "page", 1, 1, MAX_PAGE),
    }


def page_param(args) -> int:
    """The ``page`` of a paged list other than a search (the documents), 1 to MAX_PAGE."""
    return _int_param(args, "page", 1, 1, MAX_PAGE)


def format_param(args, choices) -> str | None:
    """The ``format`` of a download (one of ``choices``), or None for the JSON itself."""
    return _choice_param(args, "format", tuple(choices), None)


def valid_id(value: str) -> bool:
    """True if ``value`` could be a record or document id: short, no controls, no markup.

    Ids are only ever looked up in the index, never used as file paths; this check just
    spares the index layer from junk such as NUL bytes or 10 000-character strings.
    """
    return 0 < len(value) <= MAX_ID_CHARS and clean_text(value) == value and "<" not in value
