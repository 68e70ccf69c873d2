"""The asset selector: hidden for one asset, shown for several, and it switches the view."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from selenium.webdriver.support.select import Select

from dashboard import data, ids
from ingest.schema import Snapshot
from ingest.store import SnapshotStore
from tests.browser import seed

pytestmark = [pytest.mark.browser, pytest.mark.integration]

ETH_PRICE = Decimal("3456.78")


def _ethereum(days: int) -> list[Snapshot]:
    history = [
        replace(s, asset="ethereum", name="Ethereum", symbol="ETH", metrics=dict(s.metrics))
        for s in seed.history(days)
    ]
    newest = history[-1]
    history[-1] = replace(
        newest, metrics={**newest.metrics, "price": ETH_PRICE, "max_supply": None}
    )
    return history


def _store(table) -> SnapshotStore:
    """Written through ingest's store, which also records each asset in the asset index."""
    return SnapshotStore(table.name, int(seed.SLOT.total_seconds()))


def test_one_asset_hides_the_selector(dynalite_table, start_dashboard):
    _store(dynalite_table).put_history(seed.history(10))
    duo = start_dashboard()
    duo.wait_for_text_to_equal(f"#{ids.CARD_PRICE}", "$68,891.88", timeout=20)
    assert not duo.find_element(f"#{ids.ASSET_ROW}").is_displayed()


def test_two_assets_show_the_selector_and_it_switches_cards_and_link(
    dynalite_table, start_dashboard
):
    store = _store(dynalite_table)
    store.put_history(seed.history(10))
    store.put_history(_ethereum(10))
    duo = start_dashboard()
    duo.wait_for_text_to_equal(f"#{ids.CARD_PRICE}", "$68,891.88", timeout=20)
    duo.wait_for_style_to_equal(f"#{ids.ASSET_ROW}", "display", "flex", timeout=10)
    select = Select(duo.find_element(f"#{ids.ASSET}"))
    values = [o.get_attribute("value") for o in select.options]
    assert sorted(v for v in values if v) == ["bitcoin", "ethereum"]

    select.select_by_value("ethereum")
    duo.wait_for_text_to_equal(f"#{ids.CARD_PRICE}", "$3,456.78", timeout=20)
    duo.wait_for_text_to_equal(f"#{ids.CARD_MAX_SUPPLY}", "No cap", timeout=10)
    assert "asset=ethereum" in duo.driver.current_url


def test_an_unknown_asset_in_the_link_says_so_and_shows_the_default(
    dynalite_table, start_dashboard
):
    store = _store(dynalite_table)
    store.put_history(seed.history(10))
    duo = start_dashboard("?asset=nosuchcoin&range=7D")
    duo.wait_for_contains_text(
        f"#{ids.NOTICE}", "Unknown asset nosuchcoin — showing bitcoin.", timeout=20
    )
    duo.wait_for_text_to_equal(f"#{ids.CARD_PRICE}", "$68,891.88", timeout=20)
    duo.wait_for_contains_text(f"#{ids.NOTICE}", "showing bitcoin", timeout=5)
    assert "asset=bitcoin" in duo.driver.current_url
    assert "nosuchcoin" not in duo.driver.current_url
    assert "nosuchcoin" not in data.get_repository()._cache  # no cache entry, so no Query
