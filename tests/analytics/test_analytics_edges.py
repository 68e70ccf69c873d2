"""Every analytic on the histories that break naive code: nothing at all, a window without data,
one snapshot, and snapshots without a price (which must change nothing)."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import asdict, is_dataclass
from typing import Any

import numpy as np
import pandas as pd
import pytest

from dashboard.analytics import compare, cycles, daily, drawdowns, risk, seasonality
from dashboard.data import empty_frame
from tests.analytics.snapshots import daily_prices, snapshots

Window = tuple[pd.Timestamp | None, pd.Timestamp | None]
ANALYTICS: dict[str, Callable[[pd.DataFrame, Window], Any]] = {
    "daily": lambda f, w: daily.daily(f, *w),
    "daily_closes": lambda f, w: daily.daily_closes(f, *w),
    "drawdown": lambda f, w: drawdowns.drawdown(f, *w),
    "all_time_high": lambda f, w: drawdowns.all_time_high(f),
    "deepest_drawdowns": lambda f, w: drawdowns.deepest_drawdowns(f, *w),
    "risk_summary": lambda f, w: risk.risk_summary(f, *w),
    "rolling_volatility": lambda f, w: risk.rolling_volatility(f, *w, window=2),
    "monthly_returns": lambda f, w: seasonality.monthly_returns(f, *w),
    "moving_average": lambda f, w: cycles.moving_average(f, 2, *w),
    "mayer_multiple": lambda f, w: cycles.mayer_multiple(f, *w),
    "latest_mayer_multiple": lambda f, w: cycles.latest_mayer_multiple(f, w[1]),
    "rebased": lambda f, w: compare.rebased({"a": f}, *w),
    "ratio": lambda f, w: compare.ratio(f, f, *w),
    "return_correlation": lambda f, w: compare.return_correlation({"a": f, "b": f}, *w),
}
NO_WINDOW: Window = (None, None)
LATER: Window = (pd.Timestamp("2030-01-01", tz="UTC"), None)


def _nothing(result: Any) -> bool:
    if result is None:
        return True
    if isinstance(result, dict):
        return all(_nothing(value) for value in result.values())
    if isinstance(result, list | pd.Series):
        return len(result) == 0
    if isinstance(result, pd.DataFrame):
        return result.empty or bool(result.isna().all().all())
    return False


@pytest.mark.parametrize("name", ANALYTICS)
def test_no_data_gives_nothing_not_an_error(name: str):
    analytic = ANALYTICS[name]
    assert _nothing(analytic(empty_frame(), NO_WINDOW))
    if name != "all_time_high":  # all history by definition
        assert _nothing(analytic(daily_prices([1.0, 2.0, 3.0]), LATER))


def _plain(result: Any) -> Any:
    """The result as lists, dicts and floats (NaN as None), to compare with literals."""
    if isinstance(result, pd.DataFrame):
        return {column: _plain(result[column]) for column in result}
    if isinstance(result, pd.Series):
        return [None if pd.isna(value) else float(value) for value in result]
    if is_dataclass(result):
        return _plain(asdict(result))
    if isinstance(result, dict):
        return {key: _plain(value) for key, value in result.items()}
    if isinstance(result, pd.Timestamp):
        return result.isoformat()
    return result


# One snapshot, $100 at 2026-01-01 12:00 UTC: a price, no change, nothing that needs two.
NOON = "2026-01-01T12:00:00+00:00"
ONE_SNAPSHOT: dict[str, Any] = {
    "daily": {
        "open": [100.0],
        "high": [100.0],
        "low": [100.0],
        "close": [100.0],
        "volume_24h": [None],
        "market_cap": [None],
        "circulating_supply": [None],
        "snapshots": [1.0],
    },
    "daily_closes": [100.0],
    "drawdown": [0.0],
    "all_time_high": {
        "price": 100.0,
        "time": NOON,
        "latest_price": 100.0,
        "latest_time": NOON,
        "below_pct": 0.0,
        "days_since": 0.0,
    },
    "deepest_drawdowns": [],
    "risk_summary": {
        "first_time": NOON,
        "last_time": NOON,
        "total_return_pct": 0.0,
        "cagr_pct": None,
        "volatility_pct": None,
        "trailing_volatility_pct": {30: None, 90: None, 365: None},
        "sharpe": None,
        "sortino": None,
        "max_drawdown_pct": 0.0,
        "best_day": None,
        "worst_day": None,
        "positive_days_pct": None,
        "daily_returns": 0,
    },
    "rolling_volatility": [],
    "monthly_returns": {column: [] for column in seasonality.SEASONALITY_COLUMNS},
    "moving_average": [],
    "mayer_multiple": [],
    "latest_mayer_multiple": None,
    "rebased": {"a": [100.0]},
    "ratio": [1.0],
    "return_correlation": {"a": [None, None], "b": [None, None]},
}


def test_one_snapshot_is_checked_for_every_analytic():
    assert ONE_SNAPSHOT.keys() == ANALYTICS.keys()


@pytest.mark.parametrize("name", ANALYTICS)
def test_a_single_snapshot(name: str):
    assert _plain(ANALYTICS[name](daily_prices([100.0]), NO_WINDOW)) == ONE_SNAPSHOT[name]


def _same(left: Any, right: Any) -> None:
    if isinstance(left, pd.DataFrame | pd.Series):
        # Series compare values and times; the priceless rows must not show up anywhere.
        assert type(left) is type(right)
        if isinstance(left, pd.DataFrame) and "snapshots" in left:
            left, right = left.drop(columns="snapshots"), right.drop(columns="snapshots")
        np.testing.assert_allclose(left.to_numpy(dtype=float), right.to_numpy(dtype=float))
        assert left.index.equals(right.index)
    elif isinstance(left, dict):
        assert left.keys() == right.keys()
        for key in left:
            _same(left[key], right[key])
    elif isinstance(left, list):
        assert len(left) == len(right)
        for a, b in zip(left, right, strict=True):
            _same(a, b)
    elif is_dataclass(left):
        _same(asdict(left), asdict(right))
    elif isinstance(left, float) and math.isnan(left):
        assert math.isnan(right)
    else:
        assert left == right


@pytest.mark.parametrize("name", ANALYTICS)
def test_snapshots_without_a_price_change_nothing(name: str):
    prices = [100.0, 90.0, 120.0, 80.0, 110.0, 130.0, 95.0]
    clean = snapshots([f"2026-01-0{day} 12:00" for day in range(1, 8)], prices)
    gaps = snapshots(["2026-01-01 18:00", "2026-01-03 00:00", "2026-01-07 23:00"], [math.nan] * 3)
    holey = pd.concat([clean, gaps]).sort_index()
    window: Window = (pd.Timestamp("2026-01-01 15:00", tz="UTC"), None)
    for frame_window in (NO_WINDOW, window):
        _same(ANALYTICS[name](holey, frame_window), ANALYTICS[name](clean, frame_window))
