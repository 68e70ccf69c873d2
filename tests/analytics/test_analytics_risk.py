"""Risk and return of a range on prices whose answers are worked out by hand."""

from __future__ import annotations

import math
import statistics

import pandas as pd
import pytest
from hypothesis import given

from dashboard.analytics.risk import DayReturn, risk_summary, rolling_volatility
from dashboard.data import empty_frame
from tests.analytics.snapshots import PROPERTIES, daily_prices, histories, snapshots

ROOT_365 = math.sqrt(365)
LN2 = math.log(2)


def ts(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz="UTC")


def _frame() -> pd.DataFrame:
    return snapshots(
        # Jan 1: three snapshots (close 100); Jan 2: 110; Jan 3: 99; Jan 4: none; Jan 5: 104.94.
        ["2026-01-01 00:00", "2026-01-01 12:00", "2026-01-01 23:00",
         "2026-01-02 12:00", "2026-01-03 12:00", "2026-01-05 12:00"],
        [95.0, 105.0, 100.0, 110.0, 99.0, 104.94],
    )  # fmt: skip


# Daily log returns: 110/100, 99/110, 104.94/99 (across the empty Jan 4) = ln 1.1, ln 0.9, ln 1.06
RETURNS = [math.log(1.1), math.log(0.9), math.log(1.06)]  # 0.0953, -0.1054, 0.0583


def test_the_summary_of_a_range():
    summary = risk_summary(_frame())
    assert summary is not None
    assert (summary.first_time, summary.last_time) == (ts("2026-01-01"), ts("2026-01-05 12:00"))
    # First and last snapshot, not daily closes: 104.94 / 95 - 1 = 10.463 %.
    assert summary.total_return_pct == pytest.approx(10.4631578947)
    assert summary.cagr_pct is None  # 4.5 days
    assert summary.daily_returns == 3
    # stdev(ddof 1) 0.106783 * sqrt(365) * 100 = 204.008 %
    assert summary.volatility_pct == pytest.approx(statistics.stdev(RETURNS) * ROOT_365 * 100)
    assert summary.volatility_pct == pytest.approx(204.00821403)
    assert summary.trailing_volatility_pct == {30: None, 90: None, 365: None}
    # mean 0.016073 / stdev 0.106783 * sqrt(365) = 2.8757
    assert summary.sharpe == pytest.approx(2.87566507)
    # downside deviation sqrt((0 + ln(0.9)^2 + 0) / 3) = 0.060830; 0.016073 / 0.060830 * 19.105
    assert summary.sortino == pytest.approx(
        statistics.fmean(RETURNS) / math.sqrt(math.log(0.9) ** 2 / 3) * ROOT_365
    )
    assert summary.sortino == pytest.approx(5.04803392)
    # Snapshots 95, 105, 100, 110, 99, 104.94: the deepest fall is 110 -> 99, -10 %.
    assert summary.max_drawdown_pct == pytest.approx(-10.0)
    assert summary.best_day == DayReturn(ts("2026-01-02"), pytest.approx(10.0))
    assert summary.worst_day == DayReturn(ts("2026-01-03"), pytest.approx(-10.0))
    assert summary.positive_days_pct == pytest.approx(200 / 3)  # 2 of 3 returns above 0


def test_range_returns_start_at_the_ranges_first_day():
    summary = risk_summary(_frame(), ts("2026-01-02"), None)
    assert summary is not None
    # Closes 110, 99, 104.94: Jan 2 has no return inside the range.
    assert summary.daily_returns == 2
    assert summary.volatility_pct == pytest.approx(statistics.stdev(RETURNS[1:]) * ROOT_365 * 100)
    assert summary.total_return_pct == pytest.approx((104.94 / 110 - 1) * 100)
    assert summary.best_day == DayReturn(ts("2026-01-05"), pytest.approx(6.0))


def test_cagr_needs_a_year():
    # 2026-01-01 -> 2028-01-01 is 730 days: 4 ^ (365 / 730) - 1 = 100 %
    summary = risk_summary(snapshots(["2026-01-01", "2028-01-01"], [100.0, 400.0]))
    assert summary is not None
    assert summary.cagr_pct == pytest.approx(100.0)
    one_year = risk_summary(snapshots(["2026-01-01", "2027-01-01"], [100.0, 150.0]))
    assert one_year is not None
    assert one_year.cagr_pct == pytest.approx(50.0)  # 365 days: the total return itself
    short = risk_summary(snapshots(["2026-01-01 06:00", "2027-01-01"], [100.0, 150.0]))
    assert short is not None
    assert short.cagr_pct is None  # 364.75 days


def _alternating(days: int) -> pd.DataFrame:
    """Closes 100, 200, 100, 200, …: every daily return is +ln 2 or -ln 2."""
    return daily_prices([100.0 if day % 2 == 0 else 200.0 for day in range(days)])


def test_trailing_volatility_reaches_before_the_range():
    frame = _alternating(32)  # 31 returns, Jan 2 … Feb 1
    summary = risk_summary(frame, ts("2026-01-30"), None)
    assert summary is not None
    # In the range: closes on Jan 30, 31, Feb 1 -> returns -ln2/+ln2 pair: stdev ln2 * sqrt(2).
    assert summary.volatility_pct == pytest.approx(LN2 * math.sqrt(2) * ROOT_365 * 100)
    # The last 30 of 31 alternating returns: 15 of each sign, mean 0,
    # stdev = sqrt(30 ln2^2 / 29) = ln2 * sqrt(30 / 29) -> 1346.89 %.
    assert summary.trailing_volatility_pct[30] == pytest.approx(1346.89432071)
    assert summary.trailing_volatility_pct[90] is None
    assert summary.trailing_volatility_pct[365] is None


def test_rolling_volatility_needs_thirty_returns():
    frame = _alternating(32)
    series = rolling_volatility(frame)
    # Returns on Jan 2 … Feb 1; the 30th ends Jan 31, so Jan 31 and Feb 1 have a value, each
    # over 30 alternating returns: ln2 * sqrt(30 / 29) * sqrt(365) * 100.
    assert series.index.tolist() == [ts("2026-01-31"), ts("2026-02-01")]
    assert series.tolist() == pytest.approx([1346.89432071] * 2)
    assert rolling_volatility(frame, ts("2026-02-01"), None).index.tolist() == [ts("2026-02-01")]
    assert rolling_volatility(frame, None, ts("2026-01-20")).empty
    assert rolling_volatility(frame, ts("2027-01-01"), None).empty
    assert rolling_volatility(empty_frame()).empty


def test_flat_and_rising_prices_have_no_ratio_to_divide_by():
    flat = risk_summary(daily_prices([100.0] * 5))
    assert flat is not None
    assert (flat.volatility_pct, flat.sharpe, flat.sortino) == (0.0, None, None)
    assert flat.positive_days_pct == 0.0
    # +1 % a day: log returns equal but for rounding (std 4e-16), so no Sharpe of 10^14.
    steady = risk_summary(daily_prices([100.0, 101.0, 102.01, 103.0301, 104.060401, 105.10100501]))
    assert steady is not None
    assert steady.sharpe is None
    rising = risk_summary(daily_prices([100.0, 110.0, 130.0, 131.0]))
    assert rising is not None
    assert rising.sortino is None  # no return below 0
    assert rising.sharpe is not None
    assert rising.sharpe > 0


def test_too_little_data():
    assert risk_summary(empty_frame()) is None
    assert risk_summary(_frame(), ts("2027-01-01"), None) is None
    single = risk_summary(_frame().iloc[:1])
    assert single is not None
    assert (single.total_return_pct, single.max_drawdown_pct, single.daily_returns) == (0, 0, 0)
    assert single.volatility_pct is single.sharpe is single.sortino is None
    assert single.best_day is single.worst_day is single.positive_days_pct is None
    one_return = risk_summary(daily_prices([100.0, 120.0]))
    assert one_return is not None
    assert one_return.volatility_pct is None  # a sample std needs two returns
    assert (
        one_return.best_day
        == one_return.worst_day
        == DayReturn(ts("2026-01-02"), pytest.approx(20.0))
    )


@PROPERTIES
@given(histories(min_size=1))
def test_risk_properties(frame: pd.DataFrame):
    summary = risk_summary(frame)
    assert summary is not None
    price = frame["price"]
    assert summary.total_return_pct == pytest.approx((price.iloc[-1] / price.iloc[0] - 1) * 100)
    assert summary.max_drawdown_pct <= 0
    assert summary.volatility_pct is None or summary.volatility_pct >= 0
    if summary.daily_returns:
        assert 0 <= summary.positive_days_pct <= 100
        assert summary.best_day.return_pct >= summary.worst_day.return_pct
        assert summary.worst_day.return_pct > -100
