"""The citation box and its downloads (webapp/fragments.py): exact markup, escaped."""

from webapp.fragments import cite_box


def test_cite_box_is_escaped_and_links_every_format(app):
    record = {"id": "a b&c", "citation": "<i>x</i> & “y”", "permalink": "http://h/c/a%20b&c"}
    with app.test_request_context("/search?lang=en"):
        html = str(cite_box(record))
    assert html == (
        '<details class="cite">\n  <summary>Cite</summary>\n'
        '  <label class="cite-label">Citation (GB/T 7714-2015)\n'
        '    <textarea class="cite-text" readonly rows="3">&lt;i&gt;x&lt;/i&gt; &amp; “y”'
        '</textarea>\n  </label>\n'
        '  <button type="button" class="copy" hidden data-copied-label="Copied">Copy</button>\n'
        '  <a class="permalink" href="http://h/c/a%20b&amp;c">Permalink</a>\n'
        '  <span class="exports">Export citation:\n'
        '  <a class="export" href="/api/record/a%20b&amp;c?format=ris&amp;lang=en"'
        ' type="application/x-research-info-systems" download>RIS</a> ·\n'
        '  <a class="export" href="/api/record/a%20b&amp;c?format=bibtex&amp;lang=en"'
        ' type="application/x-bibtex" download>BibTeX</a> ·\n'
        '  <a class="export" href="/api/record/a%20b&amp;c?format=csl&amp;lang=en"'
        ' type="application/vnd.citationstyles.csl+json" download>CSL-JSON</a> ·\n'
        '  <a class="export" href="/api/record/a%20b&amp;c?format=gbt&amp;lang=en"'
        ' type="text/plain" download>GB/T 7714</a></span>\n</details>')
