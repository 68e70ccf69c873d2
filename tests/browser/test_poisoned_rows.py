"""The rows a faulty import or a hand edit can leave in the table, seeded straight into
dynalite beside a good history: the page still shows the real newest price, presets still
end at the real newest snapshot, and the range's CSV is exact and safe to open in a
spreadsheet (issue 9's acceptance)."""

from __future__ import annotations

import csv
import io
import time
import urllib.request
from decimal import Decimal

import pandas as pd
import pytest

from dashboard import ids
from tests.browser import seed
from tests.browser.test_dashboard import wait_for, wait_for_all_ranges, wait_rendered

pytestmark = [pytest.mark.browser, pytest.mark.integration]

FORMULA_NAME = '=HYPERLINK("http://evil.example/","click me")'
LONG_MARKET_CAP = "1363456789012.123456789"


def poisoned_rows(history: list) -> list[dict]:
    """Items no ingest would write, each next to the good history."""
    newest = history[-1].to_item()
    far_future = {**newest, "ts": int(time.time()) + 10 * 365 * 86400, "price": Decimal(999999)}
    beyond_calendar = {**newest, "ts": 10**13, "price": Decimal(888888)}
    text_price = {**history[-3].to_item(), "ts": history[-3].ts + 60, "price": "lots"}
    formula = {**history[-5].to_item(), "name": FORMULA_NAME}
    long_decimal = {**history[-2].to_item(), "market_cap": Decimal(LONG_MARKET_CAP)}
    return [far_future, beyond_calendar, text_price, formula, long_decimal]


@pytest.fixture
def poisoned_table(dynalite_table):
    history = seed.history(30)
    seed.write(dynalite_table, history)
    with dynalite_table.batch_writer() as batch:
        for item in poisoned_rows(history):
            batch.put_item(Item=item)
    return dynalite_table


def test_poisoned_rows_never_blank_the_page_or_move_the_newest(poisoned_table, start_dashboard):
    duo = start_dashboard("?range=7D")
    wait_rendered(duo)  # the real newest price, $68,891.88, not 999,999 or 888,888

    newest = seed.newest_time()
    wait_for_all_ranges(duo, [newest - pd.Timedelta(days=7), newest])
    assert duo.find_element(f"#{ids.ERROR}").text == ""
    assert duo.find_element(f"#{ids.CARD_NAME}").text == "Bitcoin (BTC)"


def test_the_csv_of_a_poisoned_range_is_exact_and_formula_safe(poisoned_table, start_dashboard):
    duo = start_dashboard("?range=7D")
    wait_rendered(duo)
    link = duo.find_element(f"#{ids.DOWNLOAD_BUTTON}")
    href = wait_for(lambda: link.get_attribute("href"), what="the CSV link")
    with urllib.request.urlopen(href, timeout=10) as response:  # noqa: S310 (loopback)
        body = response.read().decode()
    rows = list(csv.DictReader(io.StringIO(body, newline="")))

    history = seed.history(30)
    assert len(rows) == 7 * 4 + 1  # the window's good snapshots; no far-future, text-price row
    by_ts = {int(row["ts"]): row for row in rows}
    assert by_ts[history[-2].ts]["market_cap"] == LONG_MARKET_CAP  # not …012.1235
    assert by_ts[history[-5].ts]["name"] == "'" + FORMULA_NAME  # a spreadsheet shows it as text
    assert by_ts[history[-1].ts]["price"] == "68891.88"
    assert {row["price"] for row in rows}.isdisjoint({"999999", "888888", "lots"})
