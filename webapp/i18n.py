"""The interface in Chinese and English: Flask-Babel with gettext catalogs.

Every string the reader sees is a message of ``webapp/translations/<lang>/LC_MESSAGES/
messages.po`` (msgids are message keys, so both catalogs must word each one; ``make``
compiles them to ``.mo``). Keys that data chooses at run time — a facet's name, a record's
kind, a search-layer error or notice — are spelt out in the tables below, so
``pybabel extract`` finds every key. Document titles and office names are data, not
interface: their English comes from the reviewed glossary (:func:`english_name`).
"""

from __future__ import annotations

from weakref import WeakKeyDictionary

from flask import Flask, g, request
from flask_babel import Babel, get_translations, gettext
from jinja2 import pass_context
from markupsafe import Markup

from indexer import bilingual

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"
#: The cookie that remembers the language last chosen with ``lang=``.
COOKIE = "lang"


def N_(msgid: str) -> str:
    """Mark ``msgid`` for ``pybabel extract`` and return it untranslated (gettext's idiom
    for a message chosen now and translated when shown)."""
    return msgid


#: The msgid of each value data carries, by table. Search facets
#: (indexer.search.FACET_FIELDS):
FACETS = {"doc": N_("facet_doc"), "year": N_("facet_year"), "office": N_("facet_office"),
          "kind": N_("facet_kind"), "level": N_("facet_level"), "person": N_("facet_person"),
          "yearbook": N_("facet_yearbook")}
#: Record kinds:
KINDS = {"clause": N_("kind_clause"), "award": N_("kind_award"), "list": N_("kind_list")}
#: Document kinds:
DOC_KINDS = {"policy": N_("doc_kind_policy"), "table": N_("doc_kind_table"),
             "list": N_("doc_kind_list")}
#: Sort orders (webapp.params.SORTS):
SORTS = {"relevance": N_("sort_relevance"), "date": N_("sort_date")}
#: Award levels:
LEVELS = {"national": N_("level_national"), "provincial": N_("level_provincial"),
          "municipal": N_("level_municipal")}
#: Entry types of an honour list:
ENTRY_TYPES = {"unit": N_("record_entry_unit"), "person": N_("record_entry_person")}
#: Other queries offered for an empty result (webapp.views):
ALTERNATIVES = {"unquoted": N_("no_results_unquoted"), "partial": N_("no_results_partial")}
#: HTTP errors with a page of their own (others read as error_400):
HTTP_ERRORS = {400: N_("error_400"), 404: N_("error_404"), 405: N_("error_405"),
               500: N_("error_500"), 503: N_("error_503")}

#: ``QueryError.key`` of the search layer (indexer.search.QUERY_ERRORS) → its wording.
QUERY_ERRORS = {
    "query_too_long": N_("qerr_query_too_long"), "bad_page": N_("qerr_bad_page"),
    "bad_size": N_("qerr_bad_size"), "bad_sort": N_("qerr_bad_sort"),
    "unknown_doc": N_("qerr_unknown_doc"), "bad_year": N_("qerr_bad_year"),
    "no_year": N_("qerr_no_year"), "unknown_office": N_("qerr_unknown_office"),
    "ambiguous_office": N_("qerr_ambiguous_office"), "bad_level": N_("qerr_bad_level"),
    "unknown_person": N_("qerr_unknown_person"),
    "unknown_yearbook": N_("qerr_unknown_yearbook"),
    "bad_kind": N_("qerr_bad_kind"), "empty_ref": N_("qerr_empty_ref"),
    "bad_drop": N_("qerr_bad_drop"), "drop_too_many": N_("qerr_drop_too_many"),
    "drop_too_long": N_("qerr_drop_too_long"),
}
#: ``interpretation["ignored"][i]["key"]`` (indexer.search.IGNORED_REASONS) → its wording.
IGNORED_REASONS = {
    "control_chars": N_("ignored_control_chars"), "negated_filter": N_("ignored_negated_filter"),
    "empty_filter": N_("ignored_empty_filter"), "unmatched_quote": N_("ignored_unmatched_quote"),
    "redundant_and": N_("ignored_redundant_and"), "lonely_or": N_("ignored_lonely_or"),
    "empty_phrase": N_("ignored_empty_phrase"), "unsearchable": N_("ignored_unsearchable"),
    "not_an_expansion": N_("ignored_not_an_expansion"),
    "pinyin_held_back": N_("ignored_pinyin_held_back"),
    "lonely_not": N_("ignored_lonely_not"),
}
#: ``interpretation["message_key"]`` (indexer.search.MESSAGES) → its wording.
NOTICES = {"fallback": N_("msg_fallback"), "browse": N_("msg_browse"),
           "nothing": N_("msg_nothing")}


def init_app(app: Flask) -> None:
    """Attach Flask-Babel with :func:`select_locale` and the catalogs of webapp/translations.

    The templates' ``gettext`` reads the request's catalog from :func:`_translations`:
    Flask-Babel's own looks up the domain, the locale and the catalog on every call, and a
    result page makes some 30 calls (measured: a fifth of its rendering time). Their ``_``
    is :func:`template_gettext`.
    """
    Babel(app, locale_selector=select_locale, default_locale=DEFAULT_LANG)
    app.jinja_env.install_gettext_callables(
        gettext=lambda message: _translations().ugettext(message),
        ngettext=lambda singular, plural, n: _translations().ungettext(singular, plural, n),
        newstyle=True)
    app.jinja_env.globals["_"] = template_gettext


def _translations():
    """The catalog of this request's language, looked up once per request."""
    catalog = g.get("translations")  # one look-up of g: a page asks some 60 times
    if catalog is None:
        catalog = g.translations = get_translations()
    return catalog


#: Per catalog: each message's translation as markup (key ``message``), and the markup
#: ``%`` makes of it without variables (key ``(message,)``: what ``_('permalink')`` prints).
_MARKUP: WeakKeyDictionary = WeakKeyDictionary()


def _markup() -> tuple:
    """The request's catalog and its remembered markup (see :data:`_MARKUP`)."""
    catalog = _translations()
    known = _MARKUP.get(catalog)
    if known is None:
        known = _MARKUP.setdefault(catalog, {})
    return catalog, known


@pass_context
def template_gettext(context, message: str, **variables) -> str:
    """The templates' ``_(message, **variables)``: what Jinja's newstyle gettext gives (the
    translation, as markup when autoescaping, ``%``-formatted with ``variables``), each
    message looked up once per catalog and, without variables, formatted once.

    A result page prints the same labels on every hit (permalink, cite, copy …): Jinja's
    own ``_`` looked each up and formatted it every time, some 150 times a page.
    """
    if not context.eval_ctx.autoescape:
        return _translations().ugettext(message) % variables
    if not variables:
        return label(message)
    catalog, known = _markup()
    markup = known.get(message)
    if markup is None:
        markup = known[message] = Markup(catalog.ugettext(message))
    return markup % variables


def label(message: str) -> Markup:
    """Message ``message`` (without variables) in the request's language, as markup: what
    ``{{ _(message) }}`` prints."""
    catalog, known = _markup()
    found = known.get((message,))
    if found is None:
        found = known[(message,)] = Markup(catalog.ugettext(message)) % {}
    return found


def select_locale() -> str:
    """The request's language, chosen once: ``lang=`` in the URL, then the cookie set by the
    last ``lang=``, then Accept-Language, then Chinese."""
    if "lang" not in g:
        g.lang = _choose()
    return g.lang


def _choose() -> str:
    """Apply the rules of :func:`select_locale`."""
    asked = request.args.get("lang", "")
    if asked in LANGS:
        return asked
    remembered = request.cookies.get(COOKIE, "")
    if remembered in LANGS:
        return remembered
    return request.accept_languages.best_match(LANGS) or DEFAULT_LANG


def remember_choice(response) -> None:
    """Set the language cookie when the address chose a language the cookie lacks."""
    asked = request.args.get("lang", "")
    if asked in LANGS and request.cookies.get(COOKIE) != asked:
        response.set_cookie(COOKIE, asked, max_age=365 * 24 * 3600, samesite="Lax",
                            httponly=True)


def query_error(err) -> str:
    """The message of a search-layer ``QueryError``, inside ``err_query``.

    The error's key and parameters are worded by the catalog (every key of
    ``indexer.search.QUERY_ERRORS`` has a message).
    """
    # A list (the offices an ambiguous name may mean) is shown as the text enumerates.
    params = {name: "、".join(value) if isinstance(value, list) else value
              for name, value in err.params.items()}
    return gettext("err_query", msg=gettext(QUERY_ERRORS[err.key], **params))


def ignored_reason(item: dict) -> str:
    """Why one ``interpretation["ignored"]`` item was ignored."""
    return gettext(IGNORED_REASONS[item["key"]], **item["params"])


def interpretation_message(interp: dict) -> str | None:
    """The interpretation's notice (fallback, browse, nothing), or None."""
    key = interp.get("message_key")
    return gettext(NOTICES[key], **interp["message_params"]) if key else None


def english_name(zh: str) -> str | None:
    """The curated English name of a title or office, or None (Chinese only then)."""
    if not zh:
        return None
    try:
        return bilingual.english_name(zh)
    except (OSError, ValueError):
        # A missing or malformed glossary must not take the site down: show Chinese only.
        return None
