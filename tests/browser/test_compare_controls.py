"""The compare page's asset checkboxes in a real browser: unticking the last asset is refused
with a notice, and the selection keeps its order and ratio (tests/browser/pages_seed.py)."""

from __future__ import annotations

import pytest

from dashboard import ids
from tests.browser.test_dashboard import wait_for, wait_idle
from tests.browser.test_pages import drawn

pytestmark = [pytest.mark.browser, pytest.mark.integration]


def ticked(duo) -> list[str]:
    boxes = duo.find_elements(f"#{ids.COMPARED_ASSETS} input:checked")
    return [box.get_attribute("value") for box in boxes]


def untick(duo, asset: str) -> None:
    for box in duo.find_elements(f"#{ids.COMPARED_ASSETS} input"):
        if box.get_attribute("value") == asset:
            label = duo.find_element(f"label[for='{box.get_attribute('id')}']")
            label.click()
            return
    raise AssertionError(f"no checkbox for {asset}")


def query(duo) -> str:
    return duo.driver.current_url.split("?", 1)[-1]


def test_the_last_compared_asset_cannot_be_unticked(two_assets, start_dashboard):
    duo = start_dashboard("compare?assets=bitcoin,ethereum&range=ALL&ratio=ethereum,bitcoin")
    drawn(duo, ids.RATIO_CHART, lambda f: f["title"] == "ETH/BTC price ratio")
    wait_idle(duo)
    untick(duo, "bitcoin")
    wait_for(lambda: query(duo) == "assets=ethereum&range=ALL", what="bitcoin left out")
    rebased = drawn(duo, ids.REBASED_CHART, lambda f: len(f["traces"]) == 1)
    assert rebased["traces"][0]["name"] == "ETH"
    wait_idle(duo)

    untick(duo, "ethereum")
    duo.wait_for_contains_text(
        f"#{ids.NOTICE}",
        "The compare page needs at least one asset — still comparing ethereum.",
        timeout=20,
    )
    wait_idle(duo)
    assert ticked(duo) == ["ethereum"]
    assert query(duo) == "assets=ethereum&range=ALL"
    assert [t["name"] for t in drawn(duo, ids.REBASED_CHART)["traces"]] == ["ETH"]
    assert duo.get_logs() == []
