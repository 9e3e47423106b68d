"""The result page lists the first values of each facet; the facet's page lists them all."""

from urllib.parse import parse_qs, urlsplit

from webtools import Links

from webapp.links import FACET_SHOWN

BROWSE = "/search?q="  # every record: over a hundred issuing offices


def test_result_page_lists_the_first_values_and_links_the_rest(client):
    facets = client.get("/api/search?q=").get_json()["facets"]
    assert len(facets["office"]) > FACET_SHOWN + 1
    html = client.get(BROWSE).get_data(as_text=True)
    links = Links(html).within("facet-office")
    values = [link for link in links if link.get("data-value")]
    assert [link["data-value"] for link in values] == \
        [item["value"] for item in facets["office"][:FACET_SHOWN]]
    more = [link for link in links if not link.get("data-value")]
    assert len(more) == 1
    assert f"{len(facets['office']) - FACET_SHOWN}" in more[0]["text"]


def test_facet_page_lists_every_value_with_its_filter_link(client):
    html = client.get(BROWSE).get_data(as_text=True)
    more = next(link for link in Links(html).within("facet-office")
                if not link.get("data-value"))
    page = client.get(more["href"])
    assert page.status_code == 200
    links = [link for link in Links(page.get_data(as_text=True)).within("facet-office")
             if link.get("data-value")]
    facets = client.get("/api/search?q=").get_json()["facets"]["office"]
    assert [(link["data-value"], int(link["data-count"])) for link in links] == \
        [(item["value"], item["count"]) for item in facets]
    assert all(parse_qs(urlsplit(link["href"]).query)["office"] == [link["data-value"]]
               for link in links)


def test_a_selected_value_is_listed_even_past_the_first(client):
    last = client.get("/api/search?q=").get_json()["facets"]["office"][-1]["value"]
    html = client.get("/search", query_string={"q": "", "office": last}).get_data(as_text=True)
    selected = [link for link in Links(html).within("facet-office")
                if link.get("aria-current")]
    assert [link["data-value"] for link in selected] == [last]


def test_facet_page_errors(client):
    assert client.get("/search/facet/bogus?q=").status_code == 404
    assert client.get("/search/facet/office?page=abc").status_code == 400
