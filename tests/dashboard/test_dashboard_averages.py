"""Moving averages drawn at the chart's points equal pandas' rolling means at those times."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dashboard.averages import trailing_mean


def _prices() -> pd.Series:
    """Irregular times (6 h steps, a backfilled daily stretch, a two-week outage) with gaps."""
    rng = np.random.default_rng(7)
    times = pd.DatetimeIndex(
        [
            *pd.date_range("2025-01-01", periods=200, freq="1D", tz="UTC"),
            *pd.date_range("2025-08-01", periods=400, freq="6h", tz="UTC"),
            *pd.date_range("2025-12-01", periods=300, freq="6h", tz="UTC"),
        ],
        name="time",
    )
    prices = pd.Series(60_000 + rng.normal(0, 2_000, len(times)).cumsum(), index=times)
    prices.iloc[rng.choice(len(prices), 40, replace=False)] = np.nan
    return prices


@pytest.mark.parametrize("days", [7, 30])
def test_equals_pandas_rolling_at_every_point(days):
    prices = _prices()
    expected = prices.dropna().rolling(f"{days}D").mean()
    got = trailing_mean(prices, days, expected.index)
    np.testing.assert_allclose(got.to_numpy(), expected.to_numpy(), rtol=1e-9)


def test_at_a_few_drawn_points_uses_the_days_before_them():
    prices = _prices()
    at = prices.dropna().index[[250, 251, 600, -1]]
    expected = prices.dropna().rolling("30D").mean().loc[at]
    np.testing.assert_allclose(trailing_mean(prices, 30, at).to_numpy(), expected.to_numpy())


def test_no_points_and_a_time_with_no_price_before_it():
    prices = _prices()
    assert trailing_mean(prices, 7, pd.DatetimeIndex([], tz="UTC")).empty
    before = pd.DatetimeIndex([pd.Timestamp("2024-06-01", tz="UTC")])
    assert np.isnan(trailing_mean(prices, 7, before).iloc[0])
