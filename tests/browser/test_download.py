"""The page's "Download CSV" is the data API's CSV of the view's range, byte for byte."""

from __future__ import annotations

import csv
import io
import urllib.request
from pathlib import Path

import pytest

from dashboard import ids
from dashboard.timeranges import preset_window
from tests.browser import seed
from tests.browser.test_dashboard import seeded_bounds, wait_for, wait_rendered

pytestmark = [pytest.mark.browser, pytest.mark.integration]

ISO = "%Y-%m-%dT%H:%M:%SZ"


def test_the_page_csv_is_the_api_csv_of_the_same_range(seeded_table, start_dashboard):
    duo = start_dashboard("?range=7D")
    wait_rendered(duo)
    first, last = seeded_bounds()
    start, end = preset_window("7D", first, last)
    # A start at UTC midnight (a test run just after 00:00) is written as its day.
    start_text = f"{start:%Y-%m-%d}" if start == start.normalize() else f"{start:{ISO}}"
    api_path = f"/api/v1/snapshots?asset=bitcoin&from={start_text}&to={end:{ISO}}&format=csv"
    link = duo.find_element(f"#{ids.DOWNLOAD_BUTTON}")
    assert wait_for(lambda: link.get_attribute("href")) == duo.server_url + api_path
    assert link.text == "Download CSV"

    link.click()
    folder = Path(duo.download_path)
    (saved,) = wait_for(lambda: list(folder.glob("*.csv")), what="the CSV file")
    assert saved.name == f"bitcoin_{start:%Y-%m-%d}_{end:%Y-%m-%d}.csv"
    with urllib.request.urlopen(duo.server_url + api_path, timeout=10) as response:  # noqa: S310
        assert saved.read_bytes() == response.read()

    rows = list(csv.DictReader(io.StringIO(saved.read_text(), newline="")))
    expected = [s for s in seed.history(seed.DAYS) if start.timestamp() <= s.ts <= end.timestamp()]
    assert len(rows) == len(expected) == 7 * 4 + 1
    assert list(rows[0])[:4] == ["time", "asset", "ts", "price"]
    assert rows[-1]["time"] == last.strftime(ISO)
    assert rows[-1]["price"] == "68891.88"
    assert rows[-1]["market_cap"] == "1363456789012.5"
    assert rows[-1]["volume_change_24h"] == "-1.2"
