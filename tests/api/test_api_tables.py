"""Pages of rows and their caching rules, on hand-made frames."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.api import caching, params, serialize, tables
from tests.analytics.snapshots import snapshots

DAY = "2026-01-01"


def body(frame, overrides, query: str) -> str:
    parsed = params.parse_snapshots(
        {k: [v] for k, v in (p.split("=") for p in query.split("&"))}, 1000
    )
    page = tables.page(frame, overrides, parsed, 1000)
    return b"".join(serialize.csv_body(page, "bitcoin")).decode()


def test_a_daily_high_and_close_read_the_exact_stored_decimals():
    # Two prices no float tells apart: the exact one is the day's high and its close.
    frame = snapshots([f"{DAY} 00:00", f"{DAY} 06:00", f"{DAY} 12:00"], [70500.5, 70500.5, 1.5])
    ts = int(pd.Timestamp(f"{DAY} 06:00", tz="UTC").timestamp())
    overrides = {"price": {ts: "70500.50000000000000001"}}
    assert body(frame, overrides, "asset=bitcoin&interval=1d&fields=open,high,low,close") == (
        "time,asset,open,high,low,close\r\n"
        "2026-01-01T00:00:00Z,bitcoin,70500.5,70500.50000000000000001,1.5,1.5\r\n"
    )
    close = snapshots([f"{DAY} 00:00", f"{DAY} 06:00"], [2.0, 70500.5])
    ts = int(pd.Timestamp(f"{DAY} 06:00", tz="UTC").timestamp())
    assert body(
        close, {"price": {ts: "70500.50000000000000001"}}, "asset=bitcoin&interval=1d&fields=close"
    ) == ("time,asset,close\r\n2026-01-01T00:00:00Z,bitcoin,70500.50000000000000001\r\n")


def test_a_stored_text_outside_the_page_is_not_used():
    frame = snapshots([f"{DAY} 00:00", f"{DAY} 06:00"], [1.5, 2.5])
    ts = int(pd.Timestamp(f"{DAY} 06:00", tz="UTC").timestamp())
    assert body(
        frame, {"price": {ts: "2.50000000000000000001"}}, "asset=bitcoin&limit=1&fields=price"
    ) == ("time,asset,price\r\n2026-01-01T00:00:00Z,bitcoin,1.5\r\n")


def test_bounds_far_outside_the_calendar_pandas_knows_are_fine():
    frame = snapshots([f"{DAY} 00:00"], [1.5])
    assert body(frame, {}, "asset=bitcoin&from=0001-01-01&to=9999-12-31&fields=price") == (
        "time,asset,price\r\n2026-01-01T00:00:00Z,bitcoin,1.5\r\n"
    )


NOW = 1_767_225_600.0  # 2026-01-01T00:00:00Z
SLOT, TTL = 6 * 3600.0, 60.0


@pytest.mark.parametrize(
    ("newest", "end", "stale", "seconds"),
    [
        (NOW - 3600, None, False, 5 * 3600 + 60),  # next snapshot due in 5 h, plus one TTL
        (NOW - 6 * 3600, None, False, 60),  # due now: one TTL
        (NOW - 30 * 24 * 3600, None, False, 60),  # long overdue: one TTL
        (NOW - 3600, NOW - 7200, False, 86_400),  # ends before the newest: history, a day
        (NOW - 3600, None, True, 60),  # the store is failing: one TTL
        (None, None, False, 60),  # nothing stored yet
    ],
)
def test_max_age_follows_when_the_next_snapshot_is_due(newest, end, stale, seconds):
    assert (
        caching.max_age(newest, end, stale=stale, slot_seconds=SLOT, ttl_seconds=TTL, now=NOW)
        == seconds
    )
