"""The pages as served: each page's title and first paint, the page opened drawn into the
layout, and Dash's router leaving a page that is already shown alone."""

from __future__ import annotations

import json

import pytest
from dash.exceptions import PreventUpdate

from dashboard import headline, ids, pages
from dashboard.app import create_app
from tests.dashboard_ui.test_first_paint import PRICE, Repository, _layout_props

ROUTER_OUTPUT = ".._pages_content.children..._pages_store.data.."


@pytest.fixture
def client(table_name, monkeypatch):
    monkeypatch.setattr(headline, "get_repository", Repository)
    return create_app().server.test_client()


@pytest.mark.parametrize(
    ("path", "title"),
    [
        ("/", "Bitcoin tracker"),
        ("/analysis?asset=bitcoin", "Analysis · Bitcoin tracker"),
        ("/compare?assets=bitcoin,ethereum", "Compare · Bitcoin tracker"),
        ("/no-such-page", "Page not found · Bitcoin tracker"),
    ],
)
def test_each_page_has_its_own_title(client, path, title):
    assert f"<title>{title}</title>" in client.get(path).get_data(as_text=True)


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/", 200),
        ("/analysis/", 200),
        ("/compare?assets=bitcoin", 200),
        ("/nope", 404),
        ("/analysis/extra", 404),
    ],
)
def test_a_path_without_a_page_answers_404_with_the_friendly_page(client, path, status):
    response = client.get(path)
    assert response.status_code == status
    assert response.mimetype == "text/html"
    assert 'id="react-entry-point"' in response.get_data(as_text=True)  # the page all the same


def test_the_analysis_page_paints_its_headline_and_marks_its_link(client):
    page = client.get("/analysis?asset=bitcoin&range=1M").get_data(as_text=True)
    assert f'id="shell-{ids.CARD_PRICE}" class="fs-4 fw-semibold text-break">{PRICE}<' in page
    assert (
        f'<a id="shell-{ids.NAV_LINKS["/analysis"]}" class="nav-link py-1 px-2 active" '
        'href="/analysis">Analysis</a>'
    ) in page


def test_the_compare_page_has_no_single_asset_headline(client):
    assert ids.PAGE_SHELL not in client.get("/compare").get_data(as_text=True)


def _layout(client, referrer: str) -> tuple[dict, dict[str, dict]]:
    """The layout's root props and its components' props by id, for a page opened at
    `referrer`."""
    root = json.loads(client.get("/_dash-layout", headers={"Referer": referrer}).get_data())
    return root["props"], _layout_props(client, referrer)


def test_the_page_opened_is_in_the_layout_with_its_title(client):
    root, props = _layout(client, "http://localhost/compare?assets=bitcoin,ethereum")
    assert root["className"] == "page-compare"
    assert ids.REBASED_CHART in props
    assert ids.PRICE_CHART not in props
    assert props["_pages_store"]["data"] == {"title": "Compare · Bitcoin tracker"}
    root, props = _layout(client, "http://localhost/elsewhere")
    assert root["className"] == "page-other"
    assert "not-found" in props


def _route(client, pathname: str, shown_title: str | None):
    body = {
        "output": ROUTER_OUTPUT,
        "outputs": [
            {"id": "_pages_content", "property": "children"},
            {"id": "_pages_store", "property": "data"},
        ],
        "inputs": [
            {"id": "_pages_location", "property": "pathname", "value": pathname},
            {"id": "_pages_location", "property": "search", "value": "?range=7D"},
        ],
        "state": [
            {
                "id": "_pages_store",
                "property": "data",
                "value": {"title": shown_title} if shown_title else None,
            }
        ],
        "changedPropIds": ["_pages_location.search"],
    }
    return client.post("/_dash-update-component", json=body)


def test_the_router_leaves_the_page_shown_alone_and_draws_a_new_one(client):
    client.get("/")  # Dash registers its router on the first request
    assert _route(client, "/analysis", "Analysis · Bitcoin tracker").status_code == 204
    answer = _route(client, "/analysis", "Bitcoin tracker")
    assert answer.status_code == 200
    response = answer.get_json()["response"]
    assert response["_pages_store"]["data"] == {"title": "Analysis · Bitcoin tracker"}
    assert ids.UNDERWATER_CHART in json.dumps(response["_pages_content"]["children"])


def test_a_page_asked_for_again_changes_nothing():
    with pytest.raises(PreventUpdate):
        pages.ask("/compare", {"title": "Compare · Bitcoin tracker"})
    pages.ask("/compare", {"title": "Bitcoin tracker"})  # another page: drawn
    pages.ask("/compare", None)  # nothing shown yet: drawn
