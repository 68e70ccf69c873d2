"""The served page: security headers, local assets only, debug off unless asked."""

from __future__ import annotations

import gzip
import re
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from dashboard.app import BOOTSTRAP_CSS, create_app

ASSET_URL = re.compile(r"""(?:src|href)=["']([^"']+)["']""")


@pytest.fixture
def client(table_name):
    return create_app().server.test_client()


# Written out, not read from the app: weakening a header must fail here, not pass along.
EXPECTED_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Content-Security-Policy": "default-src 'self'; "
    "script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
}


def test_every_response_carries_the_security_headers(client):
    for path in ("/", BOOTSTRAP_CSS, "/_dash-layout", "/no-such-page"):
        headers = client.get(path).headers
        assert {name: headers.get(name) for name in EXPECTED_HEADERS} == EXPECTED_HEADERS, path


def test_page_loads_nothing_from_another_host(client):
    page = client.get("/").get_data(as_text=True)
    urls = ASSET_URL.findall(page)
    assert BOOTSTRAP_CSS in urls
    assert all(url.startswith("/") for url in urls), urls
    assert page.count('name="viewport"') == 1
    assert "<title>Bitcoin tracker</title>" in page


def test_bootstrap_css_is_served_from_the_installed_package(client):
    response = client.get(BOOTSTRAP_CSS)
    assert response.status_code == 200
    assert response.mimetype == "text/css"
    assert b"data-bs-theme" in response.get_data()


def test_responses_are_compressed_for_browsers_that_accept_it(client):
    plain = client.get("/_dash-layout")
    packed = client.get("/_dash-layout", headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.get_data()) == plain.get_data()
    assert len(packed.get_data()) < len(plain.get_data()) / 3


def test_debug_tools_only_with_dash_debug(table_name, monkeypatch):
    assert not create_app()._dev_tools.ui
    monkeypatch.setenv("DASH_DEBUG", "1")
    assert create_app()._dev_tools.ui


def test_a_fresh_worker_serves_a_page_asking_for_everything_at_once(table_name):
    """A browser asks a new worker for the page's scripts all at once. Dash finishes setting
    itself up on a worker's first request and marks it done before it is: requests arriving
    alongside found no registered scripts and failed, so the page never started."""
    scripts = re.findall(r'<script src="([^"]+)"', create_app().server.test_client().get("/").text)
    fresh = create_app().server
    start = threading.Barrier(len(scripts))

    def fetch(path: str) -> int:
        start.wait()
        return fresh.test_client().get(path).status_code

    with ThreadPoolExecutor(len(scripts)) as pool:
        statuses = list(pool.map(fetch, scripts))
    assert len(scripts) >= 10
    assert statuses == [200] * len(scripts)
