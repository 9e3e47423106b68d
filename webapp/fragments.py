"""The HTML fragments printed once per hit, record or facet value: a hit's list item, its
kind badge, offices and awarding bodies, a facet value's item, the citation box and its
downloads.

A result page prints a citation box per hit, a document page one per record. As Jinja macros
(a macro call, a translation and an escape per label, a link per download format) they were
a third of a result page's rendering (measured); here each is the concatenation of a
fixed shape, its labels translated once per catalog and its links cut once per request.
Templates call them as ``cite_box(record)``, ``export_links(item_id)``, ``hit_items(hits,
in_group)``, ``facet_values(facet, values)``, ``kind_badge(kind)``, ``offices_list(offices)``
and ``bodies_list(record)``; each gives the markup the Jinja it replaced printed, byte for
byte (a result page's ten hits and sixty facet values were half its rendering as Jinja).
"""

from __future__ import annotations

from functools import lru_cache

from flask import g
from markupsafe import Markup, escape

from webapp.exports import RECORD_FORMATS
from webapp.i18n import KINDS, LEVELS, N_, label, select_locale
from webapp.links import name_html, snippet, url_key, url_pattern

#: Between two names of a list of offices or awarding bodies.
_SEP = '<span class="sep">、</span>'
#: Between the labels of a section path.
_PATH_SEP = " › "


def kind_badge(kind: str) -> Markup:
    """The badge of a record's ``kind`` (clause, award, list …), labelled in the reader's
    language."""
    return Markup(f'<span class="badge badge-{escape(kind)}">{label(KINDS[kind])}</span>')


def offices_list(offices: list[str]) -> Markup:
    """Offices (or any names) as bilingual markup, separated by 、."""
    lang = select_locale()
    return Markup(_SEP.join([name_html(office, lang) for office in offices]))


def bodies_list(record: dict) -> Markup:
    """An award row's awarding bodies as printed (``record["bodies"]``, see
    webapp.views.awarding_bodies), the canonical name beside where it differs."""
    lang = select_locale()
    names = []
    for body in record.get("bodies") or []:
        name = name_html(body["printed"], lang)
        if body["canonical"] != body["printed"]:
            name += Markup(' <span class="canonical">(%s)</span>') % name_html(
                body["canonical"], lang)
        names.append(name)
    return Markup(_SEP.join(names))


def hit_items(hits: list[dict], in_group: bool) -> Markup:
    """The ``<li>`` of each hit of a result list: its kind, document (or, under its
    document's heading, its section) and section path, snippet, date, offices or awarding
    bodies, permalink and citation box."""
    lang = select_locale()
    permalink = label(N_("permalink"))
    items = []
    for hit in hits:
        hit_id, section, doc_url = escape(hit.get("id", "")), hit.get("section"), \
            escape(hit.get("doc_url", ""))
        path = escape(_PATH_SEP).join([escape(part) for part in section]) if section \
            else ""
        if in_group:
            head = f'<a class="in-doc" href="{doc_url}">{path if section else permalink}</a>'
        else:
            # As Jinja printed ``name_html(hit.doc_title)``: a missing title is an empty one.
            head = (f'<a class="doc-title" href="{doc_url}">'
                    f'{name_html(hit.get("doc_title", ""), lang)}</a>')
        offices = ""
        if hit.get("bodies"):
            offices = f'<span class="offices">{bodies_list(hit)}</span>\n        '
        elif hit.get("offices"):
            offices = f'<span class="offices">{offices_list(hit["offices"])}</span>'
        items.append("".join((
            '\n    <li class="hit" id="hit-', hit_id, '" data-id="', hit_id, '">\n'
            '      <div class="hit-head">', kind_badge(hit["kind"]), '\n        ', head,
            '</div>\n      ',
            f'<div class="section-path">{path}</div>' if section and not in_group else "",
            '\n      <p class="snippet">', snippet(hit), '</p>\n      <div class="hit-meta">'
            '\n        ',
            f'<span class="date">{escape(hit["date"])}</span>' if hit.get("date") else "",
            '\n        ', offices, '\n        <a class="permalink" href="',
            escape(hit.get("permalink", "")), '">', permalink, '</a>\n        ', cite_box(hit),
            '\n      </div>\n    </li>\n  ')))
    return Markup("".join(items))


def facet_values(facet: str, values: list[dict]) -> Markup:
    """The ``<li>`` of each value of ``facet``: a link that selects it (or, the selected
    one, removes it) with its count."""
    lang = select_locale()
    items = []
    for item in values:
        value, selected, count = item["value"], item["selected"], escape(item["count"])
        if facet == "kind":
            name = label(KINDS[value])
        elif facet == "level":
            name = label(LEVELS[value])
        elif facet == "year":
            name = escape(item["label"])
        else:
            name = name_html(item["label"], lang)
        items.append("".join((
            '\n<li', ' class="selected"' if selected else "", '><a href="',
            escape(item["toggle_url"]), '" data-value="', escape(value), '" data-count="', count,
            '"', ' aria-current="true"' if selected else "", ' rel="nofollow">', name,
            '</a> <span class="count">', count, '</span></li>\n')))
    return Markup("".join(items))


def cite_box(record: dict) -> Markup:
    """The folded citation of ``record`` (a record or document with ``id``, ``citation`` and
    ``permalink``): its GB/T 7714 line to copy, its permalink and its downloads."""
    # As Jinja prints ``record.citation``: a missing key prints nothing.
    return _cite_box(url_key(), record["id"], record.get("citation", ""),
                     record.get("permalink", ""))


@lru_cache(maxsize=1 << 13)
def _cite_box(where: tuple[str, str], item_id: str, citation: str, permalink: str) -> Markup:
    """:func:`cite_box`, remembered: ``where`` (the site's root and the language, see
    :func:`~webapp.links.url_key`) is all else its labels and links depend on, so the
    request that makes one may stand for any of the same ``where``."""
    cite, cite_label, copied, copy, permalink_label, _ = _kit()[0]
    return Markup("".join((
        '<details class="cite">\n  <summary>', cite, '</summary>\n'
        '  <label class="cite-label">', cite_label, '\n'
        '    <textarea class="cite-text" readonly rows="3">',
        escape(citation), '</textarea>\n  </label>\n'
        '  <button type="button" class="copy" hidden data-copied-label="', copied, '">', copy,
        '</button>\n  <a class="permalink" href="', escape(permalink), '">',
        permalink_label, '</a>\n  ', export_links(item_id), '\n</details>')))


def export_links(item_id: str) -> Markup:
    """The citation downloads of record, document or yearbook ``item_id``: a link per
    format of :data:`~webapp.exports.RECORD_FORMATS`."""
    labels, formats = _kit()
    links = ['<span class="exports">', labels[-1], ":"]
    for url, mimetype, name in formats:
        if len(links) > 3:
            links.append(" ·")
        links += ('\n  <a class="export" href="', escape(url(item_id)), '" type="', mimetype,
                  '" download>', name, "</a>")
    links.append("</span>")
    return Markup("".join(links))


def _kit() -> tuple[tuple, list]:
    """This request's labels of the citation box and, per download format, its link as a
    function of the id, its escaped mimetype and name: made once per request."""
    kit = g.get("citation_kit")
    if kit is None:
        kit = g.citation_kit = (
            tuple(label(message) for message in (
                N_("cite"), N_("cite_label"), N_("copied"), N_("copy"), N_("permalink"),
                N_("export_citation"))),
            [(url_pattern("api.record", "record_id", format=fmt), escape(mimetype),
              escape(name)) for fmt, (mimetype, _, name) in RECORD_FORMATS.items()])
    return kit
