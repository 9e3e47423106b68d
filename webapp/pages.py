"""The HTML pages: home, search, document, record permalink, document list, help."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for

from webapp.cite import gbt7714
from webapp.engine import searcher
from webapp.exports import SEARCH_FORMATS, highwire
from webapp.i18n import N_
from webapp.links import FACET_SHOWN
from webapp.params import search_params
from webapp.views import (
    citable,
    citation_item,
    doc_blocks,
    doc_rows,
    doc_view,
    docs_view,
    facet_view,
    list_groups,
    record_view,
    search_view,
)

bp = Blueprint("pages", __name__)

#: Documents the home page lists; the rest are on /docs (a ×200 archive has 4,600: the
#: whole list made the home page 2 MB and 200 ms of CPU).
HOME_DOCS = 50
#: The facets of a result page, in the order they are shown.

#: Example queries shown on the home and help pages (each is a link).
EXAMPLES = ("垃圾分类", "\"送教上门\"", "卫星班 -学前", "宗庆后", "special education",
            "laji fenlei", "醫教結合")

#: The query syntax table of the help page: (example query, msgid of its meaning).
SYNTAX = (
    ("垃圾分类 督查", N_("help_words")),
    ("\"送教上门\"", N_("help_phrase")),
    ("卫星班 -学前", N_("help_exclude")),
    ("卫星班 OR 资源教室", N_("help_or")),
    ("卫星班 office:人民政府办公室", N_("help_office")),
    ("special education", N_("help_english")),
    ("laji fenlei", N_("help_pinyin")),
    ("醫教結合", N_("help_traditional")),
)


@bp.get("/")
def home():
    """Search box, short help and the documents of the corpus."""
    return render_template("home.html", docs=doc_rows(searcher().docs()[:HOME_DOCS]),
                           more_docs=max(0, len(searcher().docs()) - HOME_DOCS),
                           examples=EXAMPLES,
                           state=search_params({}),
                           json_url=url_for("api.docs"))


@bp.get("/search")
def search():
    """The result page: hits, facets, chips, pagination, interpretation."""
    view = search_view(request.args, facet_limit=FACET_SHOWN)
    return render_template("search.html", view=view, state=view["state"],
                           export_formats=SEARCH_FORMATS, json_url=view["links"]["json"])


@bp.get("/search/facet/<name>")
def facet(name: str):
    """Every value of one facet of a search (the result page lists only the first few)."""
    view = facet_view(name, request.args)
    return render_template("facet.html", view=view, state=view["state"], facet=name,
                           values=view["values"], json_url=view["links"]["json"])


@bp.get("/doc/<doc_id>")
def doc(doc_id: str):
    """A whole document with its table of contents and every record citable."""
    view = doc_view(doc_id)
    item = citation_item(doc_id)
    blocks = doc_blocks(view.get("sections") or [], view["records"])
    return render_template("doc.html", doc=view, blocks=blocks,
                           groups=list_groups(view["records"]),
                           state=search_params({"doc": doc_id}),
                           meta=highwire(item), citation=gbt7714(item),
                           json_url=url_for("api.doc", doc_id=doc_id))


#: What a permalink pasted at the end of a sentence may carry after the id (ids end in a
#: letter or digit): a slash, a full stop, a comma, a closing bracket.
PERMALINK_TRAIL = "/.。,，)）"


@bp.get("/c/<path:record_id>")
def permalink(record_id: str):
    """The permalink of a record (its page) or of a document (its page, redirected to).

    Trailing punctuation picked up when the address was copied from a sentence is dropped
    by a redirect to the clean address.
    """
    clean = record_id.rstrip(PERMALINK_TRAIL)
    if clean != record_id and clean:
        return redirect(url_for("pages.permalink", record_id=clean,
                                lang=request.args.get("lang")), 301)
    found = citable(record_id)
    if "doc_id" not in found:
        return redirect(url_for("pages.doc", doc_id=record_id,
                                lang=request.args.get("lang")), 302)
    record = record_view(record_id)
    return render_template("record.html", record=record, state=search_params({}),
                           meta=highwire(citation_item(record_id)),
                           json_url=url_for("api.record", record_id=record_id))


@bp.get("/docs")
def docs():
    """A page of the documents with date, offices and size (``page=``)."""
    view = docs_view(request.args)
    return render_template("docs.html", view=view, docs=view["docs"], state=search_params({}),
                           json_url=view["links"]["json"])


@bp.get("/help")
def help_page():
    """The query syntax with examples."""
    return render_template("help.html", syntax=SYNTAX, state=search_params({}),
                           json_url=None)
