"""Links that carry the whole page state, including the interface language.

Every link the site prints is built here, so the language chosen by the reader survives
each click and each copied address ("a cited URL keeps its language"), and a search link
spells out its full state (defaults are left out because they are implied).
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import quote, quote_plus

from flask import current_app, g, url_for
from markupsafe import Markup, escape

from indexer.search import FACET_FIELDS
from webapp.i18n import english_name, translate
from webapp.params import DEFAULTS, STATE_KEYS, search_params

#: Values of one facet the result page lists; the others are a click away on the facet's
#: own page (the JSON lists them all). A broad search has over a hundred issuing offices,
#: and rendering each link costs as much as a hit.
FACET_SHOWN = 10
# A highlight produced by the search layer: escaped text plus <mark> … </mark> only.
_OTHER_TAGS = re.compile(r"<(?!/?mark>)")


def page_url(endpoint: str, _external: bool = False, _anchor: str | None = None,
             **values) -> str:
    """``url_for`` with the current language added (unless ``lang`` is given).

    A page prints hundreds of links (facets, hits, clauses), and Werkzeug's URL building
    costs about 0.1 ms each; so each endpoint is built once per request with placeholder
    path arguments, and the links are filled in by string replacement.
    """
    values.setdefault("lang", g.lang)
    template, arguments = _url_template(endpoint, _external)
    url = template
    for name in arguments:
        url = url.replace(_placeholder(name), quote(str(values.pop(name)), safe=""))
    query = _query_string(values)
    return url + ("?" + query if query else "") + ("#" + quote(_anchor, safe="") if _anchor
                                                   else "")


@lru_cache(maxsize=1 << 14)
def _quote_plus(text: str) -> str:
    """``quote_plus``, remembered: a page encodes the same query, language and facet
    values in dozens of links."""
    return quote_plus(text)


def _query_string(values: dict) -> str:
    """``urlencode(values, doseq=True)`` leaving out None: a tuple value (noexp) is spelt
    as the parameter repeated."""
    parts = []
    for key, value in values.items():
        if value is None:
            continue
        for item in value if isinstance(value, (tuple, list)) else (value,):
            parts.append(f"{_quote_plus(key)}={_quote_plus(str(item))}")
    return "&".join(parts)


def _placeholder(name: str) -> str:
    """Stand-in for path argument ``name`` while building a URL template."""
    return f"___{name}___"


def _url_template(endpoint: str, external: bool) -> tuple[str, tuple[str, ...]]:
    """The URL of ``endpoint`` with placeholder path arguments, cached for this request."""
    cache = g.setdefault("url_templates", {})
    key = (endpoint, external)
    if key not in cache:
        rule = next(current_app.url_map.iter_rules(endpoint))
        arguments = tuple(sorted(rule.arguments))
        template = url_for(endpoint, _external=external,
                           **{name: _placeholder(name) for name in arguments})
        cache[key] = (template, arguments)
    return cache[key]


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
    return page_url(_endpoint, _external=_external, **state_args(state, **changes))


def toggle_url(state: dict, facet: str, value) -> str:
    """Link of a facet value: selects it, or removes it when it is already selected."""
    current = state.get(facet)
    if (current is not None and str(current) == str(value)) or value in (None, ""):
        return search_url(state, **{facet: None})
    prefix, suffix = _facet_template(state, facet)
    return prefix + _quote_plus(str(value)) + suffix


def _facet_template(state: dict, facet: str) -> tuple[str, str]:
    """The link selecting a value of ``facet`` from ``state``, cut where the value goes.

    A page lists up to a hundred or so facet values whose links differ only in that
    value: the rest of the query string is encoded once per request and facet.
    """
    cache = g.setdefault("facet_templates", {})
    cached = cache.get((id(state), facet))
    if cached is None or cached[0] is not state:
        marker = _placeholder(facet)
        prefix, _, suffix = search_url(state, **{facet: marker}).partition(marker)
        cached = cache[(id(state), facet)] = (state, prefix, suffix)
    return cached[1], cached[2]


def facet_shown(values: list[dict], limit: int = FACET_SHOWN) -> tuple[list[dict], int]:
    """The values of a facet the result page lists (the first ``limit`` and any selected
    one) and how many it leaves to the facet's own page."""
    shown = [item for n, item in enumerate(values) if n < limit or item["selected"]]
    return shown, len(values) - len(shown)


def facet_url(state: dict, facet: str) -> str:
    """The page listing every value of ``facet`` for search ``state``."""
    return search_url(state, "pages.facet", name=facet)


def active_filters(state: dict) -> list[tuple[str, object]]:
    """The (facet, value) pairs currently filtering ``state``, in facet order."""
    return [(key, state[key]) for key in FACET_FIELDS if state.get(key) not in (None, "")]


def filter_chips(view: dict, lang: str) -> list[dict]:
    """The selected filters as removable chips: facet, value, label and the removal link."""
    state = view["state"]
    chips = []
    for facet, value in active_filters(state):
        items = view["facets"].get(facet) or []
        label = next((item["label"] for item in items if str(item["value"]) == str(value)),
                     str(value))
        if facet in ("kind", "level"):
            label = translate(f"{facet}_{value}", lang)
        elif lang == "en" and (english := english_name(label)):
            label = f"{english} ({label})"
        chips.append({"facet": facet, "value": value, "label": label,
                      "remove_url": search_url(state, **{facet: None})})
    return chips


def no_result_help(view: dict) -> dict:
    """Alternative queries for an empty result: the query unquoted, any of its words."""
    query = view["state"]["q"]
    unquoted = " ".join(query.replace('"', " ").split())
    interp = view["interpretation"]
    parts = list(interp.get("terms") or []) + list(interp.get("phrases") or [])
    return {
        "unquoted": unquoted if '"' in query and unquoted else None,
        "partial": " OR ".join(parts) if len(parts) > 1 else None,
    }


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


def office_choices(args, value: str, choices: list[str], n: int) -> list[dict]:
    """The searches an ambiguous ``office`` value may have meant, one per office name:
    ``{"label", "url", "json"}``, the value replaced where it was given (the ``office``
    parameter or an ``office:`` filter in the query)."""
    state = search_params(args)
    found = []
    for office in choices:
        if (state.get("office") or "") == value:
            changes = {"office": office}
        else:
            changes = {"q": state["q"].replace(f"office:{value}", f"office:{office}")}
        found.append({"label": office, "url": search_url(state, **changes),
                      "json": search_url(state, "api.search", _external=True, **changes)})
    return found
