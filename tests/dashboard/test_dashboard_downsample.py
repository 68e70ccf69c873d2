"""Downsampling keeps charts light without hiding the moves a reader looks for."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dashboard.downsample import downsample


def _series(count: int, seed: int = 7) -> pd.Series:
    rng = np.random.default_rng(seed)
    index = pd.date_range("2020-01-01", periods=count, freq="6h", tz="UTC", name="time")
    return pd.Series(50_000 + rng.normal(0, 500, count).cumsum(), index=index, name="price")


@pytest.mark.parametrize("max_points", [5, 100, 2000])
def test_long_series_are_bounded_and_keep_their_extremes(max_points):
    series = _series(50_000)
    series.iloc[12_345] = 1e6  # a spike a reader must still see
    series.iloc[40_001] = -1e6

    thinned = downsample(series, max_points)

    assert len(thinned) <= max_points
    assert thinned.max() == series.max()
    assert thinned.min() == series.min()
    assert thinned.idxmax() == series.idxmax()
    assert thinned.idxmin() == series.idxmin()
    assert thinned.index.is_monotonic_increasing
    assert (thinned == series.loc[thinned.index]).all()  # real points, original timestamps


def test_short_series_come_back_untouched():
    series = _series(2000)
    pd.testing.assert_series_equal(downsample(series, 2000), series)


def test_gaps_are_dropped_before_thinning():
    series = _series(5000)
    series.iloc[::3] = np.nan
    thinned = downsample(series, 500)
    assert len(thinned) <= 500
    assert not thinned.isna().any()
    assert thinned.max() == series.max()


@pytest.mark.parametrize("seed", range(5))
def test_extremes_of_an_ordinary_walk_are_kept(seed):
    series = _series(20_000, seed)
    thinned = downsample(series, 300)
    assert len(thinned) <= 300
    assert (thinned.max(), thinned.min()) == (series.max(), series.min())


def test_too_few_points_is_refused():
    with pytest.raises(ValueError, match="at least 5"):
        downsample(_series(10), 4)


def test_a_strided_slice_is_thinned_like_any_other():
    times = pd.date_range("2026-01-01", periods=4000, freq="1min", tz="UTC")
    every_other = pd.Series(np.arange(4000.0), index=times).iloc[::2]  # a strided view
    thinned = downsample(every_other, 100)
    assert len(thinned) <= 100
    assert (thinned.iloc[0], thinned.iloc[-1]) == (0.0, 3998.0)
