"""The page's plotly.js: the vendored partial bundle, at the URL dcc.Graph loads it from."""

from __future__ import annotations

import hashlib

import pytest
from plotly.offline import get_plotlyjs_version

from dashboard import plotlyjs
from dashboard.app import create_app

URL = "/_dash-component-suites/plotly/package_data/plotly.min.js"
# `make plotly-bundle` (tools/plotly-bundle: plotly.js 4.1.1, esbuild 0.28.2) gives these bytes
# wherever it runs; a rebuilt bundle must be committed with its new checksum.
BUNDLE_SHA256 = "2352d6ab91a70396d57d950fd903380d547859cce972992be7e2d862b414fe19"


@pytest.fixture
def client(table_name):
    return create_app().server.test_client()


def test_dash_plotly_url_serves_the_partial_bundle_of_plotly_own_version(client):
    response = client.get(URL)
    assert response.status_code == 200
    body = response.get_data()
    assert hashlib.sha256(body).hexdigest() == BUNDLE_SHA256
    # Refresh the bundle whenever plotly (the Python package) moves to another plotly.js.
    assert body.startswith(
        f"/* plotly.js v{get_plotlyjs_version()} (scatter, bar, candlestick, heatmap) |".encode()
    )
    assert plotlyjs.TRACE_TYPES == ("scatter", "bar", "candlestick", "heatmap")


def test_a_returning_browser_revalidates_the_bundle_and_gets_304(client):
    etag = client.get(URL).headers["ETag"]
    again = client.get(URL, headers={"If-None-Match": etag})
    assert again.status_code == 304


def test_the_page_head_asks_for_the_bundle_at_once(client):
    page = client.get("/").get_data(as_text=True)
    head = page[: page.index("</head>")]
    assert f'<link rel="preload" as="script" href="{URL}">' in head
