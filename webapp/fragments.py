"""The HTML fragments printed once per hit or record: the citation box and its downloads.

A result page prints a citation box per hit, a document page one per record. As Jinja macros
(a macro call, a translation and an escape per label, a link per download format) they were
a third of a result page's rendering (measured); here each is the concatenation of a
fixed shape, its labels translated once per catalog and its links cut once per request.
Templates call them as ``cite_box(record)`` and ``export_links(item_id)``.
"""

from __future__ import annotations

from flask import g
from markupsafe import Markup, escape

from webapp.exports import RECORD_FORMATS
from webapp.i18n import N_, label
from webapp.links import url_pattern


def cite_box(record: dict) -> Markup:
    """The folded citation of ``record`` (a record or document with ``id``, ``citation`` and
    ``permalink``): its GB/T 7714 line to copy, its permalink and its downloads."""
    cite, cite_label, copied, copy, permalink, _ = _kit()[0]
    # As Jinja prints ``record.citation``: a missing key prints nothing.
    return Markup("".join((
        '<details class="cite">\n  <summary>', cite, '</summary>\n'
        '  <label class="cite-label">', cite_label, '\n'
        '    <textarea class="cite-text" readonly rows="3">',
        escape(record.get("citation", "")), '</textarea>\n  </label>\n'
        '  <button type="button" class="copy" hidden data-copied-label="', copied, '">', copy,
        '</button>\n  <a class="permalink" href="', escape(record.get("permalink", "")), '">',
        permalink, '</a>\n  ', export_links(record["id"]), '\n</details>')))


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
