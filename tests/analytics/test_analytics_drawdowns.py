"""Drawdowns, the all-time high and drawdown episodes on prices worked out by hand."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard.analytics.drawdowns import (
    DrawdownEpisode,
    all_time_high,
    deepest_drawdowns,
    drawdown,
)
from dashboard.data import empty_frame
from tests.analytics.snapshots import PROPERTIES, daily_prices, histories, snapshots

TIMES = [
    "2026-01-01 00:00",  # 100
    "2026-01-02 00:00",  # 120  peak
    "2026-01-02 06:00",  #  90
    "2026-01-04 12:00",  #  60  trough: 60 / 120 - 1 = -50 %
    "2026-01-06 00:00",  # 130  back above 120: recovered; the new peak
    "2026-01-06 06:00",  # 104  104 / 130 - 1 = -20 %
    "2026-01-07 00:00",  # 117  117 / 130 - 1 = -10 %, the latest
]
PRICES = [100.0, 120.0, 90.0, 60.0, 130.0, 104.0, 117.0]


def ts(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz="UTC")


def _frame() -> pd.DataFrame:
    return snapshots(TIMES, PRICES)


def test_drawdown_on_every_snapshot():
    series = drawdown(_frame())
    # running max 100, 120, 120, 120, 130, 130, 130
    assert series.tolist() == pytest.approx([0.0, 0.0, -25.0, -50.0, 0.0, -20.0, -10.0])
    assert series.index.equals(_frame().index)


def test_a_range_starts_its_own_running_peak():
    series = drawdown(_frame(), ts("2026-01-02 06:00"), ts("2026-01-06 06:00"))
    # From 90: 60 / 90 - 1 = -33.3 %, then 130 is the peak and 104 / 130 - 1 = -20 %.
    assert series.tolist() == pytest.approx([0.0, -100 / 3, 0.0, -20.0])


def test_all_time_high_and_the_latest_price_against_it():
    ath = all_time_high(_frame())
    assert ath is not None
    assert (ath.price, ath.time) == (130.0, ts("2026-01-06 00:00"))
    assert (ath.latest_price, ath.latest_time) == (117.0, ts("2026-01-07 00:00"))
    assert ath.below_pct == pytest.approx(-10.0)
    assert ath.days_since == 1.0


def test_all_time_high_is_the_first_of_equal_highs_and_zero_days_at_a_new_high():
    ath = all_time_high(daily_prices([100.0, 130.0, 130.0]))
    assert ath is not None
    assert ath.time == ts("2026-01-02 12:00")
    assert ath.days_since == 1.0
    ath = all_time_high(daily_prices([100.0, 130.0]))
    assert ath is not None
    assert (ath.below_pct, ath.days_since) == (0.0, 0.0)


def test_episodes_deepest_first_with_recovery_or_not():
    episodes = deepest_drawdowns(_frame())
    assert episodes == [
        DrawdownEpisode(
            peak_time=ts("2026-01-02 00:00"),
            peak_price=120.0,
            trough_time=ts("2026-01-04 12:00"),
            trough_price=60.0,
            depth_pct=pytest.approx(-50.0),
            recovery_time=ts("2026-01-06 00:00"),
            duration_days=4.0,  # Jan 2 00:00 -> Jan 6 00:00
        ),
        DrawdownEpisode(
            peak_time=ts("2026-01-06 00:00"),
            peak_price=130.0,
            trough_time=ts("2026-01-06 06:00"),
            trough_price=104.0,
            depth_pct=pytest.approx(-20.0),
            recovery_time=None,
            duration_days=1.0,  # not recovered: Jan 6 00:00 -> the last snapshot, Jan 7 00:00
        ),
    ]


def test_episodes_in_a_range():
    episodes = deepest_drawdowns(_frame(), ts("2026-01-02 06:00"), None)
    first = episodes[0]
    assert (first.peak_time, first.peak_price) == (ts("2026-01-02 06:00"), 90.0)
    assert first.depth_pct == pytest.approx(-100 / 3)
    assert first.duration_days == 3.75  # Jan 2 06:00 -> Jan 6 00:00


def test_a_flat_top_peaks_at_its_last_snapshot_and_equal_price_recovers():
    # Days 1-5 at noon: 100, 100, 90, 100, 95.
    episodes = deepest_drawdowns(daily_prices([100.0, 100.0, 90.0, 100.0, 95.0]))
    assert [(e.peak_time.day, e.trough_time.day, e.recovery_time) for e in episodes] == [
        (2, 3, ts("2026-01-04 12:00")),
        (4, 5, None),
    ]
    assert [e.depth_pct for e in episodes] == pytest.approx([-10.0, -5.0])
    assert [e.duration_days for e in episodes] == [2.0, 1.0]


def test_equal_troughs_take_the_first_and_equal_depths_the_earlier_peak():
    episodes = deepest_drawdowns(daily_prices([100.0, 80.0, 90.0, 80.0, 100.0, 50.0, 60.0, 50.0]))
    # 100 -> 80 (reached twice; the first counts) is -20 %; 100 -> 50 (twice again) is -50 %.
    assert [e.depth_pct for e in episodes] == pytest.approx([-50.0, -20.0])
    assert episodes[0].trough_time.day == 6
    assert episodes[1].trough_time.day == 2
    tied = deepest_drawdowns(daily_prices([100.0, 90.0, 100.0, 90.0, 100.0]))
    assert [e.peak_time.day for e in tied] == [1, 3]


def test_count_limits_the_table():
    assert len(deepest_drawdowns(_frame(), count=1)) == 1
    assert deepest_drawdowns(_frame(), count=0) == []


def test_gaps_in_the_price_are_skipped():
    frame = snapshots([*TIMES, "2026-01-03 00:00"], [*PRICES, math.nan]).sort_index()
    assert drawdown(frame).tolist() == pytest.approx(drawdown(_frame()).tolist())
    assert deepest_drawdowns(frame) == deepest_drawdowns(_frame())
    assert all_time_high(frame) == all_time_high(_frame())


def test_nothing_to_measure():
    for frame in (empty_frame(), _frame().iloc[:1], daily_prices([1.0, 2.0, 3.0])):
        assert deepest_drawdowns(frame) == []
    assert drawdown(empty_frame()).empty
    assert drawdown(_frame(), ts("2027-01-01"), None).empty
    assert all_time_high(empty_frame()) is None
    single = all_time_high(_frame().iloc[:1])
    assert single is not None
    assert (single.price, single.below_pct, single.days_since) == (100.0, 0.0, 0.0)


@PROPERTIES
@given(histories(), st.integers(1, 6))
def test_drawdown_properties(frame: pd.DataFrame, count: int):
    series = drawdown(frame)
    assert (series <= 0).all()
    at_high = frame["price"] >= frame["price"].cummax()
    assert (series[at_high] == 0).all()
    episodes = deepest_drawdowns(frame, count=count)
    assert len(episodes) <= count
    assert [e.depth_pct for e in episodes] == sorted(e.depth_pct for e in episodes)
    if episodes:
        assert episodes[0].depth_pct == pytest.approx(series.min())
    for e in episodes:
        assert e.depth_pct < 0
        assert e.depth_pct == pytest.approx((e.trough_price / e.peak_price - 1) * 100)
        assert e.peak_time < e.trough_time
        assert e.recovery_time is None or e.recovery_time > e.trough_time
        ends = e.recovery_time or frame.index[-1]
        assert e.duration_days == (ends - e.peak_time) / pd.Timedelta(days=1)
