"""Range statistics on a small frame whose answers can be worked out by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.stats import range_stats


def _frame() -> pd.DataFrame:
    #                 day 1 (3 points)          day 2 (1 point)   day 3 (2 points)
    times = ["2026-03-01 00:00", "2026-03-01 06:00", "2026-03-01 12:00", "2026-03-02 06:00",
             "2026-03-03 00:00", "2026-03-03 18:00"]  # fmt: skip
    index = pd.DatetimeIndex(times, tz="UTC", name="time")
    return pd.DataFrame(
        {
            "price": [100.0, 120.0, 90.0, 130.0, 130.0, 110.0],
            "volume_24h": [10.0, 20.0, 30.0, 40.0, 50.0, None],
        },
        index=index,
    )


def ts(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz="UTC")


def test_whole_range():
    stats = range_stats(_frame(), ts("2026-03-01"), ts("2026-03-04"))
    assert stats is not None
    assert (stats.open, stats.close) == (100.0, 110.0)
    assert stats.change_pct == pytest.approx(10.0)
    assert (stats.high, stats.high_at) == (130.0, ts("2026-03-02 06:00"))  # first of the ties
    assert (stats.low, stats.low_at) == (90.0, ts("2026-03-01 12:00"))
    # Day means 20, 40, 50 → every day weighs the same however often it was sampled.
    assert stats.avg_daily_volume == pytest.approx(110 / 3)
    assert stats.points == 6


def test_bounds_are_inclusive():
    stats = range_stats(_frame(), ts("2026-03-01 06:00"), ts("2026-03-02 06:00"))
    assert stats is not None
    assert (stats.open, stats.close, stats.points) == (120.0, 130.0, 3)
    assert stats.change_pct == pytest.approx(100 * (130 / 120 - 1))
    assert (stats.low, stats.low_at) == (90.0, ts("2026-03-01 12:00"))
    assert stats.avg_daily_volume == pytest.approx((25 + 40) / 2)


def test_open_bounds_mean_everything():
    stats = range_stats(_frame(), None, None)
    assert stats is not None  # two Nones would have compared equal too
    assert (stats.open, stats.close, stats.points) == (100.0, 110.0, 6)
    assert stats == range_stats(_frame(), ts("2000-01-01"), ts("2100-01-01"))


def test_no_volume_means_no_average():
    frame = _frame().assign(volume_24h=float("nan"))
    stats = range_stats(frame, None, None)
    assert stats is not None
    assert stats.avg_daily_volume is None


def test_an_empty_window_has_no_statistics():
    assert range_stats(_frame(), ts("2026-04-01"), ts("2026-05-01")) is None
    assert range_stats(_frame().iloc[:0], None, None) is None
