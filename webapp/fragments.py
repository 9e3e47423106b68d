"""The HTML fragments printed once per hit or record: the citation box and its downloads.

A result page prints a citation box per hit, a document page one per record. As Jinja macros
(a macro call, a translation and an escape per label, a link per download format) they were
a third of a result page's rendering (measured); here each is one ``Markup.format`` of a
fixed shape, its labels translated once per catalog and its links cut once per request.
Templates call them as ``cite_box(record)`` and ``export_links(item_id)``.
"""

from __future__ import annotations

from markupsafe import Markup

from webapp.exports import RECORD_FORMATS
from webapp.i18n import label
from webapp.links import record_export_url

_CITE_BOX = Markup("""<details class="cite">
  <summary>{cite}</summary>
  <label class="cite-label">{cite_label}
    <textarea class="cite-text" readonly rows="3">{citation}</textarea>
  </label>
  <button type="button" class="copy" hidden data-copied-label="{copied}">{copy}</button>
  <a class="permalink" href="{permalink}">{permalink_label}</a>
  {exports}
</details>""")
_EXPORTS = Markup('<span class="exports">{}:{}</span>')
_EXPORT = Markup('\n  <a class="export" href="{}" type="{}" download>{}</a>')


def cite_box(record: dict) -> Markup:
    """The folded citation of ``record`` (a record or document with ``id``, ``citation`` and
    ``permalink``): its GB/T 7714 line to copy, its permalink and its downloads."""
    return _CITE_BOX.format(
        cite=label("cite"), cite_label=label("cite_label"), copied=label("copied"),
        copy=label("copy"), permalink_label=label("permalink"),
        # As Jinja prints ``record.citation``: a missing key prints nothing.
        citation=record.get("citation", ""), permalink=record.get("permalink", ""),
        exports=export_links(record["id"]))


def export_links(item_id: str) -> Markup:
    """The citation downloads of record, document or yearbook ``item_id``: a link per
    format of :data:`~webapp.exports.RECORD_FORMATS`."""
    links = Markup(" ·").join(_EXPORT.format(record_export_url(item_id, fmt), mimetype, name)
                              for fmt, (mimetype, _, name) in RECORD_FORMATS.items())
    return _EXPORTS.format(label("export_citation"), links)
