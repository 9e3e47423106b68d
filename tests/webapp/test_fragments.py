"""The citation box and its downloads (webapp/fragments.py): exact markup, escaped."""

from webapp.fragments import cite_box, facet_values, hit_items


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


AWARD = {"id": "b&1", "kind": "award", "doc_url": "http://h/doc/b#b&1",
         "doc_title": "上城区<年鉴>", "section": ["表1", "先进<集体>"],
         "highlight": "<mark>先进</mark>集体", "date": "2018-05",
         "bodies": [{"printed": "区委", "canonical": "中共杭州市上城区委员会"},
                    {"printed": "区政府", "canonical": "区政府"}],
         "offices": ["中共杭州市上城区委员会", "区政府"], "permalink": "http://h/c/b&1",
         "citation": "c"}
CLAUSE = {"id": "c1", "kind": "clause", "doc_url": "http://h/doc/c#c1", "text": "a<b",
          "offices": ["区委", "区政府"], "permalink": "http://h/c/c1", "citation": "d"}


def test_hit_items_print_each_part_escaped(app):
    with app.test_request_context("/search?lang=en"):
        first, second = str(hit_items([AWARD, CLAUSE], False)).split("</li>\n  ")[:2]
    assert first.split('<details class="cite">')[0] == (
        '\n    <li class="hit" id="hit-b&amp;1" data-id="b&amp;1">\n'
        '      <div class="hit-head"><span class="badge badge-award">Award</span>\n'
        '        <a class="doc-title" href="http://h/doc/b#b&amp;1">'
        '<span lang="zh">上城区&lt;年鉴&gt;</span></a></div>\n'
        '      <div class="section-path">表1 › 先进&lt;集体&gt;</div>\n'
        '      <p class="snippet"><mark>先进</mark>集体</p>\n      <div class="hit-meta">\n'
        '        <span class="date">2018-05</span>\n'
        '        <span class="offices"><span lang="zh">区委</span> <span class="canonical">('
        '<span lang="zh">中共杭州市上城区委员会</span>)</span><span class="sep">、</span>'
        '<span lang="zh">区政府</span></span>\n        \n'
        '        <a class="permalink" href="http://h/c/b&amp;1">Permalink</a>\n        ')
    # No title, section or date: an empty title, no path, no date; offices, not bodies.
    assert second.split('<details class="cite">')[0] == (
        '\n    <li class="hit" id="hit-c1" data-id="c1">\n'
        '      <div class="hit-head"><span class="badge badge-clause">Clause</span>\n'
        '        <a class="doc-title" href="http://h/doc/c#c1"><span lang="zh"></span></a>'
        '</div>\n      \n      <p class="snippet">a&lt;b</p>\n      <div class="hit-meta">\n'
        '        \n        <span class="offices"><span lang="zh">区委</span>'
        '<span class="sep">、</span><span lang="zh">区政府</span></span>\n'
        '        <a class="permalink" href="http://h/c/c1">Permalink</a>\n        ')


def test_hit_items_under_their_document_name_the_section(app):
    with app.test_request_context("/search?lang=zh"):
        html = str(hit_items([AWARD, CLAUSE], True))
    assert '<a class="in-doc" href="http://h/doc/b#b&amp;1">表1 › 先进&lt;集体&gt;</a>' in html
    assert '<a class="in-doc" href="http://h/doc/c#c1">永久链接</a>' in html
    assert "section-path" not in html and "doc-title" not in html


def test_facet_values_link_select_and_remove(app):
    with app.test_request_context("/search?lang=en"):
        kinds = str(facet_values("kind", [{"value": "award", "label": "award", "count": 3,
                                           "selected": True, "toggle_url": "/s?a=1&b=2"}]))
        offices = str(facet_values("office", [{"value": "区委", "label": "区委", "count": 2,
                                               "selected": False, "toggle_url": "/s?o=x"}]))
    assert kinds == ('\n<li class="selected"><a href="/s?a=1&amp;b=2" data-value="award" '
                     'data-count="3" aria-current="true" rel="nofollow">Award</a> '
                     '<span class="count">3</span></li>\n')
    assert offices == ('\n<li><a href="/s?o=x" data-value="区委" data-count="2" rel="nofollow">'
                       '<span lang="zh">区委</span></a> <span class="count">2</span></li>\n')
