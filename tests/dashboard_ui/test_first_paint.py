"""The first paint: the page's HTML and its layout carry the newest snapshot's headline."""

from __future__ import annotations

import json
import time

import pytest
from dash import dcc

from dashboard import headline, ids, shell
from dashboard.app import create_app
from dashboard.data import LoadResult, empty_frame
from tests.dashboard_ui.frames import frame

# frame(8): the newest price is 50,000 + 1,000 * sin(0.7) = 50,644.2177, market cap that
# times 19.6 million, 21 million max supply against 19,600,007 circulating (93.3 %).
PRICE = "$50,644.22"
MARKET_CAP = "$992.6B"


class Repository:
    """Stands in for the worker's cached repository; records the assets asked for."""

    def __init__(self, data=None, error: str | None = None, delay: float = 0.0) -> None:
        self.data = frame(8) if data is None else data
        self.error = error
        self.delay = delay
        self.asked: list[str] = []

    def load(self, asset: str) -> LoadResult:
        self.asked.append(asset)
        time.sleep(self.delay)
        return LoadResult(self.data, self.error)

    def assets(self) -> list[str]:
        return ["bitcoin"]


@pytest.fixture
def repository(monkeypatch: pytest.MonkeyPatch) -> Repository:
    fake = Repository()
    monkeypatch.setattr(headline, "get_repository", lambda: fake)
    return fake


@pytest.fixture
def client(table_name, repository):
    return create_app().server.test_client()


def _layout_props(client, referrer: str | None) -> dict[str, dict]:
    headers = {"Referer": referrer} if referrer else {}
    props: dict[str, dict] = {}

    def walk(node) -> None:
        if isinstance(node, list):
            for child in node:
                walk(child)
        elif isinstance(node, dict) and "props" in node:
            if "id" in node["props"]:
                props[node["props"]["id"]] = node["props"]
            walk(node["props"].get("children"))

    walk(json.loads(client.get("/_dash-layout", headers=headers).get_data()))
    return props


def test_the_page_html_shows_the_newest_price_ahead_of_dash_entry_point(client, repository):
    page = client.get("/?range=7D").get_data(as_text=True)
    assert (
        f'<div id="shell-{ids.CARD_PRICE}" class="fs-4 fw-semibold text-break">{PRICE}</div>'
        in page
    )
    assert f">{MARKET_CAP}</div>" in page
    assert "93.3% of max" in page
    assert page.index(f'id="{ids.PAGE_SHELL}"') < page.index('id="react-entry-point"')
    assert repository.asked == ["bitcoin"]


def test_the_layout_carries_the_cards_of_the_page_that_asked_for_it(client, repository):
    props = _layout_props(client, "http://localhost:8050/?asset=Ethereum&range=1M")
    # Read from the page's link, as the state callback reads it (Dash builds the layout twice
    # on a worker's first request, to validate it).
    assert set(repository.asked) == {"ethereum"}
    assert props[ids.CARD_PRICE]["children"] == PRICE
    assert props[ids.CARD_MARKET_CAP]["children"] == MARKET_CAP
    assert props[ids.CARD_RANK]["children"] == "#1"


def test_without_a_referrer_the_layout_leaves_the_cards_to_the_callbacks(client, repository):
    props = _layout_props(client, None)
    assert repository.asked == []
    assert props[ids.CARD_PRICE]["children"] == "—"


def test_a_worker_still_loading_serves_the_page_at_once_without_the_headline(
    client, repository, monkeypatch
):
    monkeypatch.setattr(headline, "FIRST_PAINT_WAIT_SECONDS", 0.1)
    repository.delay = 2.0  # a first load of a long history
    started = time.monotonic()
    page = client.get("/").get_data(as_text=True)
    assert time.monotonic() - started < 1.0
    assert ids.PAGE_SHELL not in page
    assert 'id="react-entry-point"' in page


def test_a_failing_read_still_serves_the_page_without_the_headline(client, repository):
    def broken(asset: str) -> LoadResult:
        raise RuntimeError("boom")

    repository.load = broken
    response = client.get("/")
    assert response.status_code == 200
    assert ids.PAGE_SHELL not in response.get_data(as_text=True)


def test_an_empty_store_has_no_headline_in_the_page(client, repository):
    repository.data = empty_frame()
    assert ids.PAGE_SHELL not in client.get("/").get_data(as_text=True)


def test_a_store_fault_is_named_above_the_cached_cards(client, repository):
    repository.error = "The snapshot store is unreachable right now."
    page = client.get("/").get_data(as_text=True)
    assert "<strong>The snapshot store is unreachable right now.</strong>" in page
    assert "Showing the data loaded before the outage" in page
    assert PRICE in page


def test_text_from_the_store_is_escaped(client, repository):
    data = frame(8)
    data["name"] = "<script>alert(1)</script>"
    repository.data = data
    page = client.get("/").get_data(as_text=True)
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; (BTC)" in page


def test_the_shell_refuses_components_it_cannot_draw():
    with pytest.raises(TypeError, match=r"dash_core_components\.Graph"):
        shell.to_html(dcc.Graph(id="chart"))
