"""Links that carry the whole page state; the interface language comes from ``url_for``.

Every link is built by Flask's ``url_for``; the app's ``url_defaults`` hook adds the
reader's ``lang`` (webapp/__init__.py), so the language survives each click and each copied
address ("a cited URL keeps its language"). A search link spells out its full state
(defaults are left out because they are implied).
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import quote_plus

from flask import g, url_for
from markupsafe import Markup, escape

from indexer.search import FACET_FIELDS
from webapp.i18n import english_name
from webapp.params import DEFAULTS, STATE_KEYS

#: Values of one facet the result page lists; the others are a click away on the facet's
#: own page (the JSON lists them all). A broad search has over a hundred issuing offices.
FACET_SHOWN = 10
# A highlight produced by the search layer: escaped text plus <mark> … </mark> only.
_OTHER_TAGS = re.compile(r"<(?!/?mark>)")
#: What Werkzeug's URL building leaves unescaped in a query value (werkzeug.urls).
_QUERY_SAFE = "!$'()*,/:;?@"


def permalink(record_id: str) -> str:
    """The absolute permalink of a record, in the reader's language."""
    return url_for("pages.permalink", record_id=record_id, _external=True)


def state_args(state: dict, **changes) -> dict:
    """The query arguments of search ``state`` with ``changes`` applied, defaults dropped.

    Changing a filter, the sort or the page size sends the reader back to page 1; a new
    query starts with every expansion (dropped ones belong to the words they came from).
    """
    merged = {key: state.get(key) for key in STATE_KEYS}
    if any(key != "page" for key in changes):
        merged["page"] = 1
    if "q" in changes:
        merged["noexp"] = None
    merged.update(changes)
    return {
        key: value for key, value in merged.items()
        if value not in (None, "", ()) and DEFAULTS.get(key) != value
    }


def search_url(state: dict, _endpoint: str = "pages.search", _external: bool = False,
               **changes) -> str:
    """The URL of the search page (or ``_endpoint``) for ``state`` with ``changes`` applied."""
    return url_for(_endpoint, _external=_external, **state_args(state, **changes))


def toggle_url(state: dict, facet: str, value) -> str:
    """Absolute link of a facet value: selects it, or removes it when it is selected."""
    current = state.get(facet)
    if (current is not None and str(current) == str(value)) or value in (None, ""):
        return search_url(state, _external=True, **{facet: None})
    prefix, suffix = _facet_template(state, facet)
    return prefix + _quote_value(str(value)) + suffix


def _facet_template(state: dict, facet: str) -> tuple[str, str]:
    """``url_for``'s link selecting a value of ``facet`` from ``state``, cut where the value
    goes.

    The JSON twin gives every facet value its link, over a hundred for a broad search, and
    they differ only in that value: ``url_for`` costs 20–50 µs a call, so it runs once per
    request and facet, and each value is encoded into the gap as Werkzeug encodes it.
    """
    cache = g.setdefault("facet_templates", {})
    cached = cache.get((id(state), facet))
    if cached is None or cached[0] is not state:
        marker = f"___{facet}___"
        prefix, _, suffix = search_url(state, _external=True, **{facet: marker}).partition(marker)
        cached = cache[(id(state), facet)] = (state, prefix, suffix)
    return cached[1], cached[2]


@lru_cache(maxsize=1 << 14)
def _quote_value(text: str) -> str:
    """A query-string value encoded as ``url_for`` encodes it (remembered: facet values
    repeat from page to page)."""
    return quote_plus(text, safe=_QUERY_SAFE)


def facet_shown(values: list[dict], limit: int = FACET_SHOWN) -> tuple[list[dict], int]:
    """The values of a facet the result page lists (the first ``limit`` and any selected
    one) and how many it leaves to the facet's own page."""
    shown = [item for n, item in enumerate(values) if n < limit or item["selected"]]
    return shown, len(values) - len(shown)


def active_filters(state: dict) -> list[tuple[str, object]]:
    """The (facet, value) pairs currently filtering ``state``, in facet order."""
    return [(key, state[key]) for key in FACET_FIELDS if state.get(key) not in (None, "")]


def page_numbers(page: int, pages: int, around: int = 2) -> list[int | None]:
    """Page numbers to link: first, last and a window around ``page``; None marks a gap."""
    shown = sorted({1, pages, *range(max(1, page - around), min(pages, page + around) + 1)})
    numbers: list[int | None] = []
    for number in shown:
        if numbers and number - numbers[-1] > 1:
            numbers.append(None)
        numbers.append(number)
    return numbers


def lang_switch_url(endpoint: str | None, view_args: dict, args, lang: str) -> str:
    """The current page's URL in the other language (same path, same arguments)."""
    other = "en" if lang == "zh" else "zh"
    # Every value of a repeated parameter (noexp) survives the switch.
    values = {key: value for key, value in args.lists() if key != "lang"}
    values.update(view_args or {})
    return url_for(endpoint or "pages.home", lang=other, **values)


@lru_cache(maxsize=4096)
def name_html(zh: str | None, lang: str) -> Markup:
    """A title, office or unit name as markup: its curated English and the Chinese in
    the English interface, the Chinese alone otherwise.

    Cached: a result page names the same few hundred titles and offices over and over,
    and a Jinja macro call per name cost more than the rest of its line.
    """
    english = english_name(zh) if lang == "en" and zh else None
    if english:
        return Markup('<span lang="en">{}</span> <span class="orig" lang="zh">{}</span>').format(
            english, zh)
    return Markup('<span lang="zh">{}</span>').format(zh)


def snippet(hit: dict) -> Markup:
    """The hit's highlighted snippet as markup, or its escaped text.

    The search layer escapes the text and adds only <mark> tags; should any other tag
    appear, the snippet falls back to the plain text, escaped, rather than trust it.
    """
    html = hit.get("highlight") or ""
    if html and not _OTHER_TAGS.search(html):
        return Markup(html)
    return escape(hit.get("text") or "")
