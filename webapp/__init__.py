"""The yearbook search website: ``create_app(test_config=None)`` builds the Flask app.

Settings: ``INDEX_DIR`` (default: the ``var/index`` symlink ``make index`` writes) and
``CACHE_SIZE``; each can be set by a ``YEARBOOK_``-prefixed environment variable
(``YEARBOOK_INDEX_DIR``, ``YEARBOOK_CACHE_SIZE=0``), and ``test_config`` overrides both.
``make run`` serves the app with gunicorn (webapp/gunicorn_conf.py). ``SEARCH_BACKEND``
(config, else the environment: ``whoosh`` or ``opensearch``) picks the engine behind it.
"""

from __future__ import annotations

import logging
from importlib import import_module
from urllib.parse import unquote_to_bytes

from flask import Flask, has_request_context, jsonify, render_template, request
from flask_babel import gettext
from werkzeug.exceptions import HTTPException

from indexer import VAR_DIR
from indexer.search import FACET_FIELDS, QueryError
from webapp import cache, engine, exports, fragments, i18n, links
from webapp.jsonout import OrjsonProvider
from webapp.live import IndexMissing
from webapp.params import MAX_QUERY_CHARS, BadParam, clean_text

#: Every blueprint of the site, "module:attribute"; new features add theirs here.
BLUEPRINTS = ("webapp.pages:bp", "webapp.api:bp", "webapp.similar:bp")

SECURITY_HEADERS = {
    # No inline script anywhere: the only script is static/app.js.
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
}

#: The tables of labels templates translate by value: ``_(labels.facet[name])``.
LABELS = {"facet": i18n.FACETS, "kind": i18n.KINDS, "doc_kind": i18n.DOC_KINDS,
          "sort": i18n.SORTS, "level": i18n.LEVELS, "entry": i18n.ENTRY_TYPES,
          "alternative": i18n.ALTERNATIVES}

#: Responses kept per build (see webapp/cache.py); 0 turns the cache off.
DEFAULT_CACHE_SIZE = 1024

#: Run on every newly opened index before it serves: they load jieba, the glossary,
#: CC-CEDICT and the pinyin tables, and (``musuems``, a misspelling) make the index's
#: spelling suggester collect its words — 1.7 s at ×200, during which the first reader
#: to misspell an English word held up every thread of the worker.
WARM_UP_QUERIES = ("垃圾分类", "special education", "laji fenlei", "musuems")

log = logging.getLogger(__name__)


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app serving the index named by the config (see module docstring)."""
    app = Flask(__name__)
    app.json = OrjsonProvider(app)
    app.config.from_mapping(INDEX_DIR=str(VAR_DIR / "index"), CACHE_SIZE=DEFAULT_CACHE_SIZE,
                            WARM_UP_QUERIES=WARM_UP_QUERIES, SEARCH_BACKEND=None)
    app.config.from_prefixed_env("YEARBOOK")
    if test_config:
        app.config.update(test_config)
    # "/doc//x" is no address the site prints: a 404 beats Werkzeug's 308 to "/doc/x".
    app.url_map.merge_slashes = False
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    engine.init_app(app)
    i18n.init_app(app)
    for name in BLUEPRINTS:
        module, attribute = name.split(":")
        app.register_blueprint(getattr(import_module(module), attribute))
    _install_request_hooks(app)
    app.url_defaults(_add_language)
    cache.install(app)
    _install_template_helpers(app)
    _install_error_handlers(app)
    return app


def _install_request_hooks(app: Flask) -> None:
    """Pick the language before each request; remember it and add the security headers
    after."""

    @app.before_request
    def choose_language():
        i18n.select_locale()
        _check_query_encoding()

    @app.after_request
    def add_headers(response):
        response.headers.update(SECURITY_HEADERS)
        i18n.remember_choice(response)
        response.vary.update(("Accept-Language", "Cookie"))
        return response


def _add_language(endpoint: str, values: dict) -> None:
    """``url_for`` hook: every page link carries the reader's language (``lang=``), unless
    the caller names one (the language switch)."""
    if endpoint != "static" and "lang" not in values and has_request_context():
        values["lang"] = i18n.select_locale()


def _check_query_encoding() -> None:
    """Reject an address whose query string is not UTF-8 once percent-decoded.

    Werkzeug keeps undecodable escapes as literal text (``%ED%A0%80``), which would then be
    searched for as if the reader had typed it.
    """
    try:
        unquote_to_bytes(request.query_string).decode("utf-8")
    except UnicodeDecodeError:
        raise BadParam("err_utf8") from None


def _install_template_helpers(app: Flask) -> None:
    """Expose translation and link helpers to every template."""
    # The same links as Flask's url_for, from templates cut once (links.build_url).
    app.jinja_env.globals["url_for"] = links.build_url
    app.jinja_env.globals.update(
        cite_box=fragments.cite_box, export_links=fragments.export_links,
        hit_items=fragments.hit_items, facet_values=fragments.facet_values,
        kind_badge=fragments.kind_badge, offices_list=fragments.offices_list,
        bodies_list=fragments.bodies_list)

    @app.context_processor
    def helpers():
        lang = i18n.select_locale()
        return {
            "lang": lang,
            "labels": LABELS,
            "name_html": lambda zh: links.name_html(zh, lang),
            "search_url": links.search_url,
            "active_filters": links.active_filters,
            "facet_fields": FACET_FIELDS,
            "snippet": links.snippet,
            "max_query": MAX_QUERY_CHARS,
            "record_formats": exports.RECORD_FORMATS,
            "switch_url": links.lang_switch_url(request.endpoint, request.view_args,
                                                request.args, lang),
        }


def _wants_json() -> bool:
    """True for the JSON API routes, whose errors are JSON too."""
    return request.path.startswith("/api/")


def _error(status: int, message: str, choices: list[dict] | None = None):
    """An error response: ``{"error": …}`` for the API, a helpful page otherwise;
    ``choices`` (``{"label", "url"}``) are what the reader may have meant."""
    if _wants_json():
        return jsonify({"error": message, **({"choices": choices} if choices else {})}), \
            status
    # Keep what the reader typed in the search box, so a bad parameter is one edit away;
    # all of it: a pasted text too long to search is offered to the similar-wording tool.
    typed = clean_text(request.args.get("q", ""))
    pasted = typed if len(typed) > MAX_QUERY_CHARS else None
    return render_template("error.html", status=status, message=message,
                           state={"q": typed}, pasted=pasted, choices=choices,
                           json_url=None), status


def _install_error_handlers(app: Flask) -> None:
    """Map bad parameters, query errors, HTTP errors and anything else to pages."""

    @app.errorhandler(BadParam)
    def bad_param(err: BadParam):
        return _error(400, gettext(err.key, **err.values))

    @app.errorhandler(HTTPException)
    def http_error(err: HTTPException):
        return _error(err.code or 500, gettext(i18n.HTTP_ERRORS.get(err.code, "error_400")))

    @app.errorhandler(IndexMissing)
    def index_missing(err: IndexMissing):
        return _error(503, gettext("error_503"))

    @app.errorhandler(QueryError)
    def query_error(err: QueryError):
        choices = links.office_choices(request.args, **err.params) \
            if err.key == "ambiguous_office" else None
        return _error(400, i18n.query_error(err), choices=choices)

    @app.errorhandler(Exception)
    def unexpected(err: Exception):
        log.exception("unhandled error on %s", request.path)
        return _error(500, gettext("error_500"))

