"""Links that carry the whole page state; the interface language comes from ``url_for``.

Every link is built by Flask's ``url_for``; the app's ``url_defaults`` hook adds the
reader's ``lang`` (webapp/__init__.py), so the language survives each click and each copied
address ("a cited URL keeps its language"). A search link spells out its full state
(defaults are left out because they are implied).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from urllib.parse import quote, quote_plus

from flask import g, has_request_context, request, url_for
from markupsafe import Markup, escape

from indexer.search import FACET_FIELDS
from webapp.i18n import english_name, select_locale
from webapp.params import DEFAULTS, STATE_KEYS, search_params

#: Values of one facet a result page and its JSON twin list; the others are a click away on
#: the facet's own page. A broad search has over a hundred issuing offices.
FACET_SHOWN = 10
# A highlight produced by the search layer: escaped text plus <mark> … </mark> only.
_OTHER_TAGS = re.compile(r"<(?!/?mark>)")
#: What Werkzeug's URL building leaves unescaped in a path argument (BaseConverter.to_url)
#: and in a query value (werkzeug.urls._urlencode).
_PATH_SAFE = "!$&'()*+,/:;=@"
_QUERY_SAFE = "!$'()*,/:;?@"
#: … and in an anchor (flask.app.Flask.url_for).
_ANCHOR_SAFE = "%!#$&'()*+,/:;=?@"


def build_url(endpoint: str, **values) -> str:
    """``url_for(endpoint, **values)``, the same link, built from its cut template (see
    :func:`_template`): a page prints some 40 links, and ``url_for`` costs 20–50 µs a call
    (rule building and query encoding; measured: a third of a result page's time once)."""
    cut = _cut(endpoint, values)
    if cut is None:
        return url_for(endpoint, **values)
    literals, slots, flat = cut
    parts = [literals[0]]
    for (index, encode, safe), literal in zip(slots, literals[1:], strict=True):
        parts += (_encoded(encode, str(flat[index]), safe), literal)
    return "".join(parts)


#: Stands for the varying value of :func:`url_pattern` in its template.
_SLOT = object()


def url_pattern(endpoint: str, name: str, **values) -> Callable[[object], str]:
    """``url_for(endpoint, **values)`` with ``values[name] = value``, as a function of
    ``value``: a page prints a link per hit, record, page number or facet value that differ
    in one value, so all but that one are encoded once (and once per request: the same
    patterns serve every hit)."""
    values[name] = _SLOT  # in its place among the query arguments when given
    key = (endpoint, name, *values.items())
    known = g.setdefault("url_patterns", {}) if has_request_context() else {}
    try:
        pattern = known.get(key)
    except TypeError:  # a list among the values: not kept
        return _pattern(endpoint, name, values)
    if pattern is None:
        pattern = known[key] = _pattern(endpoint, name, values)
    return pattern


def _pattern(endpoint: str, name: str, values: dict) -> Callable[[object], str]:
    """:func:`url_pattern`'s function, made."""
    cut = _cut(endpoint, values)
    if cut is None:
        return lambda value: url_for(endpoint, **dict(values, **{name: value}))
    literals, slots, flat = cut
    parts = [literals[0]]
    encode = safe = None
    for (index, encode_one, safe_one), literal in zip(slots, literals[1:], strict=True):
        if flat[index] is _SLOT:
            prefix, parts = "".join(parts), []
            encode, safe = encode_one, safe_one
        else:
            parts.append(_encoded(encode_one, str(flat[index]), safe_one))
        parts.append(literal)
    suffix = "".join(parts)
    return lambda value: prefix + _encoded(encode, str(value), safe) + suffix


def _cut(endpoint: str, values: dict) -> tuple | None:
    """``(literals, slots, flat)``: the template of ``url_for(endpoint, **values)`` and
    ``values`` flattened into its slots' order of arguments; None when ``url_for`` must
    build the link itself (no request, or an option other than ``_external``)."""
    external = values.pop("_external", False)
    if not has_request_context() or any(name.startswith("_") for name in values):
        if external:
            values["_external"] = external
        return None
    shape, flat = [], []
    for name, value in values.items():
        if isinstance(value, (tuple, list)):
            items = [item for item in value if item is not None]
            shape.append((name, len(items)))
            flat += items
        elif value is None:
            shape.append((name, None))
        else:
            shape.append((name, -1))
            flat.append(value)
    literals, slots = _template(*url_key(), endpoint, external, tuple(shape))
    return literals, slots, flat


def url_key() -> tuple[str, str]:
    """(the request's url_root, its language): all a link of given arguments depends on
    besides them (the ``url_defaults`` hook adds the language); once per request."""
    key = g.get("url_key")
    if key is None:
        key = g.url_key = (request.url_root, select_locale())
    return key


@lru_cache(maxsize=4096)
def _template(root: str, lang: str, endpoint: str, external: bool, shape: tuple
              ) -> tuple[tuple[str, ...], tuple[tuple[int, Callable, str], ...]]:
    """``url_for``'s link of ``endpoint`` for arguments of ``shape``, cut where each value
    goes: the literal pieces and, between them, each slot's (index of its value, encoder,
    safe characters): Werkzeug's path or query encoding, as its place in the link says.

    ``shape`` names the arguments in order with how many values each gives: -1 one, n a
    list of n, None none (left out). ``root`` (the request's url_root) and ``lang`` (what
    the ``url_defaults`` hook adds) are all else ``url_for``'s link depends on: they only
    key the cache. Each value is built in as a marker of letters and underscores, which
    neither encoding changes.
    """
    values, count = {}, 0
    for name, size in shape:
        if size is None:
            values[name] = None
        elif size < 0:
            values[name], count = f"___{count}___", count + 1
        else:
            values[name] = tuple(f"___{count + n}___" for n in range(size))
            count += size
    link = url_for(endpoint, _external=external, **values)
    starts = sorted((link.index(f"___{n}___"), n) for n in range(count))
    literals, slots, end = [], [], 0
    for start, n in starts:
        literals.append(link[end:start])
        in_query = "?" in link[:start]
        slots.append((n, quote_plus if in_query else quote,
                      _QUERY_SAFE if in_query else _PATH_SAFE))
        end = start + len(f"___{n}___")
    literals.append(link[end:])
    return tuple(literals), tuple(slots)


@lru_cache(maxsize=1 << 14)
def _encoded(encode: Callable, text: str, safe: str) -> str:
    """``encode(text, safe=safe)``, remembered: the same ids and values recur."""
    return encode(text, safe=safe)


def permalink(record_id: str) -> str:
    """The absolute permalink of a record or document: without ``lang``, because the
    address names the thing, not the interface (the cookie or Accept-Language chooses)."""
    return url_pattern("pages.permalink", "record_id", _external=True, lang=None)(record_id)


def doc_url(doc_id: str, anchor: str | None = None,
            pattern: Callable[[object], str] | None = None) -> str:
    """The absolute address of document ``doc_id`` (at record ``anchor``); ``pattern``:
    this request's pattern of it, when the caller has it."""
    url = (pattern or url_pattern("pages.doc", "doc_id", _external=True))(doc_id)
    return url + "#" + _encoded(quote, anchor, _ANCHOR_SAFE) if anchor else url


def record_links(record_id: str, doc_id: str) -> tuple[str, str, str]:
    """A record's ``url`` (its permalink, relative), ``permalink`` (absolute) and
    ``doc_url`` (the record in its document): as :func:`permalink` and :func:`doc_url`
    give them, their patterns looked up once per request (a result page links ten
    records, a document page hundreds)."""
    patterns = g.get("record_patterns")
    if patterns is None:
        patterns = g.record_patterns = (
            url_pattern("pages.permalink", "record_id", lang=None),
            url_pattern("pages.permalink", "record_id", _external=True, lang=None),
            url_pattern("pages.doc", "doc_id", _external=True))
    url, link, doc = patterns
    return url(record_id), link(record_id), doc_url(doc_id, record_id, doc)


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
    return build_url(_endpoint, _external=_external, **state_args(state, **changes))


def state_pattern(state: dict, name: str, endpoint: str = "pages.search"
                  ) -> Callable[[object], str]:
    """The absolute link of ``state`` with argument ``name`` changed, as a function of its
    value (see :func:`url_pattern`): a facet's values, the page numbers."""
    # The placeholder value keeps ``name`` in its place and sends a filter change to page 1.
    return url_pattern(endpoint, name, _external=True, **state_args(state, **{name: name}))


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
    return build_url(endpoint or "pages.home", lang=other, **values)


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
