"""A cross-origin page in headless Chromium reads the API and revalidates it with If-None-Match.

The API (on moto, served in a thread) and a blank page run on two ports, so they are two
origins: the browser sends the first GET as a simple request, and the conditional one, whose
If-None-Match the script sets itself, only after a CORS preflight the API must allow.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from selenium import webdriver
from werkzeug.serving import make_server

from tools import chromium

pytestmark = pytest.mark.browser

PAGE = b"<!doctype html><title>a notebook elsewhere</title>"
FETCH_TWICE = """
const [url, done] = arguments;
(async () => {
  const first = await fetch(url);
  const tag = first.headers.get("ETag");
  await first.text();
  try {
    const again = await fetch(url, {headers: {"If-None-Match": tag}});
    done([first.status, tag, again.status, await again.text()]);
  } catch (error) {
    done([first.status, tag, String(error)]);
  }
})();
"""


def _serve(app) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


@pytest.fixture
def methods() -> list[tuple[str, str]]:
    return []


@pytest.fixture
def api_url(server, seeded, methods) -> Iterator[str]:
    """The app on a port of its own, recording each request's method and path."""

    def recording(environ, start_response):
        methods.append((environ["REQUEST_METHOD"], environ["PATH_INFO"]))
        return server(environ, start_response)

    yield from _serve(recording)


@pytest.fixture
def page_url() -> Iterator[str]:
    def page(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/html")])
        return [PAGE]

    yield from _serve(page)


@pytest.fixture
def browser() -> Iterator[webdriver.Chrome]:
    driver = chromium.start()
    driver.set_script_timeout(30)
    yield driver
    driver.quit()


def test_a_page_on_another_origin_revalidates_with_if_none_match(
    browser, api_url, page_url, methods
):
    browser.get(page_url)
    url = f"{api_url}/api/v1/snapshots?asset=bitcoin&fields=price"
    first, tag, *again = browser.execute_async_script(FETCH_TWICE, url)
    assert first == 200
    assert tag.startswith('"')  # the ETag is exposed to the script
    assert again == [304, ""]  # not "TypeError: Failed to fetch"
    assert methods == [
        ("GET", "/api/v1/snapshots"),
        ("OPTIONS", "/api/v1/snapshots"),
        ("GET", "/api/v1/snapshots"),
    ]
