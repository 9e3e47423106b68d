"""The yearbook search website: ``create_app(test_config=None)`` builds the Flask app.

The index folder comes from ``INDEX_DIR``: the ``var/index`` symlink ``make index`` writes,
or the environment variable ``YEARBOOK_INDEX_DIR``, or ``test_config``.
"""

from __future__ import annotations

import logging
import os
from importlib import import_module
from urllib.parse import unquote_to_bytes

from flask import Flask, g, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from indexer import VAR_DIR
from indexer.search import FACET_FIELDS, QueryError
from webapp import cache, exports, i18n, links
from webapp.live import IndexMissing, LiveSearcher
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

#: Responses kept per build (see webapp/cache.py); 0 turns the cache off.
DEFAULT_CACHE_SIZE = 1024

#: Run on every newly opened index before it serves: they load jieba, the glossary,
#: CC-CEDICT and the pinyin tables, so no reader waits seconds for them.
WARM_UP_QUERIES = ("垃圾分类", "special education", "laji fenlei")

log = logging.getLogger(__name__)


def default_index_dir() -> str:
    """The index folder: ``$YEARBOOK_INDEX_DIR`` or the ``var/index`` of ``make index``."""
    return os.environ.get("YEARBOOK_INDEX_DIR") or str(VAR_DIR / "index")


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app serving the index named by the config (see module docstring)."""
    app = Flask(__name__)
    app.config.from_mapping(INDEX_DIR=default_index_dir(), CACHE_SIZE=DEFAULT_CACHE_SIZE,
                            WARM_UP_QUERIES=WARM_UP_QUERIES)
    if test_config:
        app.config.update(test_config)
    # "/doc//x" is no address the site prints: a 404 beats Werkzeug's 308 to "/doc/x".
    app.url_map.merge_slashes = False
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    app.extensions["yearbook.searcher"] = LiveSearcher(app.config["INDEX_DIR"],
                                                       warm_up=app.config["WARM_UP_QUERIES"])
    for name in BLUEPRINTS:
        module, attribute = name.split(":")
        app.register_blueprint(getattr(import_module(module), attribute))
    _install_request_hooks(app)
    cache.install(app)
    _install_template_helpers(app)
    _install_error_handlers(app)
    return app


def _install_request_hooks(app: Flask) -> None:
    """Pick the language before each request; add the security headers after."""

    @app.before_request
    def choose_language():
        g.lang = i18n.resolve_lang()
        _check_query_encoding()

    @app.after_request
    def add_headers(response):
        response.headers.update(SECURITY_HEADERS)
        response.vary.update(("Accept-Language", "Cookie"))
        _remember_language(response)
        return response


def _remember_language(response) -> None:
    """Keep a language chosen in the URL in a cookie, so the permalinks (which carry no
    ``lang``) open in it."""
    asked = request.args.get("lang", "")
    if _wants_json():  # the API answers in the language asked, and remembers nothing
        return
    if asked in i18n.LANGS and request.cookies.get(i18n.LANG_COOKIE) != asked:
        response.set_cookie(i18n.LANG_COOKIE, asked, max_age=365 * 24 * 3600,
                            samesite="Lax", httponly=True)


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

    @app.context_processor
    def helpers():
        lang = _lang()
        return {
            "lang": lang,
            "_": lambda key, **values: i18n.translate(key, lang, **values),
            "name_html": lambda zh: links.name_html(zh, lang),
            "page_url": links.page_url,
            "search_url": links.search_url,
            "toggle_url": links.toggle_url,
            "facet_shown": links.facet_shown,
            "facet_url": links.facet_url,
            "active_filters": links.active_filters,
            "facet_fields": FACET_FIELDS,
            "snippet": links.snippet,
            "max_query": MAX_QUERY_CHARS,
            "record_formats": exports.RECORD_FORMATS,
            "switch_url": links.lang_switch_url(request.endpoint, request.view_args,
                                                request.args, lang),
        }


def _lang() -> str:
    """The request's language, also when an error happened before ``before_request``."""
    if "lang" not in g:
        g.lang = i18n.resolve_lang()
    return g.lang


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
        return _error(400, i18n.translate(err.key, _lang(), **err.values))

    @app.errorhandler(HTTPException)
    def http_error(err: HTTPException):
        key = f"error_{err.code}"
        known = key in i18n.MESSAGES
        return _error(err.code or 500, i18n.translate(key if known else "error_400", _lang()))

    @app.errorhandler(IndexMissing)
    def index_missing(err: IndexMissing):
        return _error(503, i18n.translate("error_503", _lang()))

    @app.errorhandler(QueryError)
    def query_error(err: QueryError):
        choices = links.office_choices(request.args, **err.params) \
            if err.key == "ambiguous_office" else None
        return _error(400, i18n.query_error(err, _lang()), choices=choices)

    @app.errorhandler(Exception)
    def unexpected(err: Exception):
        log.exception("unhandled error on %s", request.path)
        return _error(500, i18n.translate("error_500", _lang()))

