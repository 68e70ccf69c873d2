"""The daily series (candles, last readings, closes, log returns) on frames checked by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard.analytics.daily import DAILY_COLUMNS, daily, daily_closes, log_returns
from dashboard.data import empty_frame
from tests.analytics.snapshots import MINUTES, PROPERTIES, histories, snapshots

NAN = math.nan


def _frame() -> pd.DataFrame:
    return snapshots(
        # Mar 1: three snapshots; Mar 2: none; Mar 3: a priceless one, then one at 23:59:59;
        # Mar 4: one at midnight (a new UTC day).
        ["2026-03-01 00:00", "2026-03-01 06:00", "2026-03-01 18:00",
         "2026-03-03 00:00", "2026-03-03 23:59:59", "2026-03-04 00:00"],
        [100.0, 120.0, 90.0, NAN, 130.0, 110.0],
        volume_24h=[10.0, 20.0, NAN, 40.0, 50.0, 60.0],
        market_cap=[1000.0, 1200.0, 900.0, NAN, 1300.0, 1100.0],
        circulating_supply=[5.0, 5.0, 6.0, 7.0, 7.0, 8.0],
    )  # fmt: skip


def ts(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz="UTC")


def test_one_row_per_day_with_snapshots_and_the_days_last_readings():
    result = daily(_frame())
    expected = pd.DataFrame(
        {
            "open": [100.0, 130.0, 110.0],  # Mar 3 opens at its first *priced* snapshot
            "high": [120.0, 130.0, 110.0],
            "low": [90.0, 130.0, 110.0],
            "close": [90.0, 130.0, 110.0],
            "volume_24h": [20.0, 50.0, 60.0],  # Mar 1's last snapshot has none: 06:00's is last
            "market_cap": [900.0, 1300.0, 1100.0],
            "circulating_supply": [6.0, 7.0, 8.0],
            "snapshots": [3, 2, 1],
        },
        index=pd.DatetimeIndex(
            ["2026-03-01", "2026-03-03", "2026-03-04"], tz="UTC", name="time"
        ).as_unit("us"),
    )
    pd.testing.assert_frame_equal(result, expected)


def test_a_window_keeps_only_its_snapshots():
    result = daily(_frame(), ts("2026-03-01 06:00"), ts("2026-03-03 12:00"))
    # Mar 1 from 06:00: 120, 90. Mar 3 before noon holds only the priceless snapshot: no
    # candle, so no row.
    assert result.index.strftime("%Y-%m-%d").tolist() == ["2026-03-01"]
    assert result.loc["2026-03-01", ["open", "high", "low", "close"]].tolist() == [120, 120, 90, 90]
    assert result.loc["2026-03-01", "snapshots"] == 2


def test_a_single_snapshot_is_one_flat_candle():
    result = daily(_frame().iloc[-1:])
    assert result[["open", "high", "low", "close"]].iloc[0].tolist() == [110.0] * 4
    assert result["snapshots"].tolist() == [1]


def test_no_snapshots_no_rows_but_every_column():
    for frame, window in ((empty_frame(), (None, None)), (_frame(), (ts("2027-01-01"), None))):
        result = daily(frame, *window)
        assert result.empty
        assert tuple(result.columns) == DAILY_COLUMNS
        assert str(result.index.dtype) == "datetime64[us, UTC]"
        assert result.index.name == "time"


def test_missing_fields_come_back_empty():
    frame = _frame()[["price"]]
    result = daily(frame)
    assert result["close"].tolist() == [90.0, 130.0, 110.0]
    assert result["volume_24h"].isna().all()


def test_closes_skip_days_without_a_price_and_returns_span_the_gap():
    closes = daily_closes(_frame())
    assert closes.tolist() == [90.0, 130.0, 110.0]
    assert closes.index.strftime("%Y-%m-%d").tolist() == ["2026-03-01", "2026-03-03", "2026-03-04"]
    returns = log_returns(closes)
    # Mar 3 against Mar 1 (Mar 2 has no data): log(130 / 90); Mar 4: log(110 / 130).
    assert returns.tolist() == pytest.approx([math.log(130 / 90), math.log(110 / 130)])
    assert returns.index.strftime("%Y-%m-%d").tolist() == ["2026-03-03", "2026-03-04"]


def test_closes_and_returns_of_nothing_are_empty():
    assert daily_closes(empty_frame()).empty
    assert log_returns(daily_closes(_frame().iloc[:1])).empty


def test_rows_in_any_order_give_the_same_series():
    frame = _frame()
    shuffled = frame.iloc[[4, 0, 5, 2, 3, 1]]
    pd.testing.assert_frame_equal(daily(shuffled), daily(frame))
    pd.testing.assert_series_equal(daily_closes(shuffled), daily_closes(frame))


@PROPERTIES
@given(histories(), st.randoms(use_true_random=False))
def test_daily_properties(frame: pd.DataFrame, random):
    result = daily(frame)
    assert result.index.is_unique
    assert result.index.is_monotonic_increasing
    assert (result.index == result.index.floor("D")).all()
    assert result["snapshots"].sum() == len(frame)
    # Every snapshot's day is a row and every row a snapshot's day.
    assert set(result.index) == set(frame.index.floor("D"))
    assert (result["high"] >= np.maximum(result["open"], result["close"])).all()
    assert (np.minimum(result["open"], result["close"]) >= result["low"]).all()
    # The volume in this history equals the price: the day's last reading is its close.
    pd.testing.assert_series_equal(result["volume_24h"], result["close"], check_names=False)
    pd.testing.assert_series_equal(daily_closes(frame), result["close"], check_names=False)
    order = list(range(len(frame)))
    random.shuffle(order)
    pd.testing.assert_frame_equal(daily(frame.iloc[order]), result)


@PROPERTIES
@given(histories(), st.data())
def test_closes_are_the_candles_closes_in_any_window(frame: pd.DataFrame, data):
    """daily_closes picks rows by position, daily() groups them: two roads to the same closes,
    whatever the window's bounds (mid-day, at a snapshot, open)."""
    moments = st.none() | st.integers(-60, MINUTES + 60).map(
        lambda minute: pd.Timestamp("2026-01-01", tz="UTC") + pd.Timedelta(minutes=minute)
    )
    start, end = data.draw(moments), data.draw(moments)
    pd.testing.assert_series_equal(
        daily_closes(frame, start, end), daily(frame, start, end)["close"], check_freq=False
    )
