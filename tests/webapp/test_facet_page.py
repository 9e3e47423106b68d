"""The result page and its JSON twin list the first values of each facet; the facet's page
(and its JSON twin) lists them all."""

from urllib.parse import parse_qs, urlsplit

from webtools import Links

from webapp.links import FACET_SHOWN

BROWSE = "/search?q="  # every record: over a hundred issuing offices


def _every(client, facet: str, **args) -> list[dict]:
    """Every value of ``facet`` of the search ``args``, from the facet page's JSON twin."""
    response = client.get(f"/api/search/facet/{facet}", query_string={"q": "", **args})
    assert response.status_code == 200
    return response.get_json()["values"]


def _by_order(items: list[dict]) -> list[dict]:
    """``items`` sorted as a facet lists them (count, then label): the oracle of the order."""
    return sorted(items, key=lambda item: (-item["count"], item["label"]))


def test_result_page_lists_the_first_values_and_links_the_rest(client):
    every = _every(client, "office")
    assert len(every) > FACET_SHOWN + 1
    data = client.get("/api/search?q=").get_json()
    assert data["facets"]["office"] == every[:FACET_SHOWN]
    assert data["facets_hidden"]["office"] == len(every) - FACET_SHOWN
    html = client.get(BROWSE).get_data(as_text=True)
    links = Links(html).within("facet-office")
    values = [link for link in links if link.get("data-value")]
    assert [link["data-value"] for link in values] == \
        [item["value"] for item in every[:FACET_SHOWN]]
    more = [link for link in links if not link.get("data-value")]
    assert len(more) == 1
    assert f"{len(every) - FACET_SHOWN}" in more[0]["text"]
    assert more[0]["href"] == data["facet_pages"]["office"]


def test_every_value_is_counted_and_ordered(client):
    """The facet page's counts add up to the records' offices, in count-then-label order."""
    records = client.get("/api/search/facet/kind?q=").get_json()["total"]
    every = _every(client, "office")
    assert every == _by_order(every)
    assert all(item["count"] > 0 for item in every)
    assert len({item["value"] for item in every}) == len(every)
    kinds = _every(client, "kind")
    assert sum(item["count"] for item in kinds) == records


def test_facet_page_lists_every_value_with_its_filter_link(client):
    html = client.get(BROWSE).get_data(as_text=True)
    more = next(link for link in Links(html).within("facet-office")
                if not link.get("data-value"))
    page = client.get(more["href"])
    assert page.status_code == 200
    links = [link for link in Links(page.get_data(as_text=True)).within("facet-office")
             if link.get("data-value")]
    facets = _every(client, "office")
    assert [(link["data-value"], int(link["data-count"])) for link in links] == \
        [(item["value"], item["count"]) for item in facets]
    assert all(parse_qs(urlsplit(link["href"]).query)["office"] == [link["data-value"]]
               for link in links)


def test_a_selected_value_is_listed_even_past_the_first(client):
    every = _every(client, "office")
    last = every[-1]
    html = client.get("/search", query_string={"q": "", "office": last["value"]}
                      ).get_data(as_text=True)
    selected = [link for link in Links(html).within("facet-office")
                if link.get("aria-current")]
    assert [link["data-value"] for link in selected] == [last["value"]]
    data = client.get("/api/search", query_string={"q": "", "office": last["value"]}
                      ).get_json()
    listed = data["facets"]["office"]
    # The office facet is counted under the other filters only: the same values as before.
    assert listed == [dict(item, selected=item["value"] == last["value"],
                           toggle_url=listed[n]["toggle_url"])
                      for n, item in enumerate(every[:FACET_SHOWN] + [last])]
    assert data["facets_hidden"]["office"] == len(every) - FACET_SHOWN - 1


def test_facet_page_errors(client):
    assert client.get("/search/facet/bogus?q=").status_code == 404
    assert client.get("/search/facet/office?page=abc").status_code == 400
    bogus = client.get("/api/search/facet/bogus?q=")
    assert bogus.status_code == 404 and "error" in bogus.get_json()
    bad = client.get("/api/search/facet/office?page=abc")
    assert bad.status_code == 400 and "error" in bad.get_json()
