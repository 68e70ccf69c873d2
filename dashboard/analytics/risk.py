"""Risk and return of one asset over a range, from its snapshots and daily closes.

Range metrics use the range's own data: total return and CAGR from its first and last snapshot
prices, volatility, Sharpe, Sortino, best/worst day and positive days from the daily log returns
between the range's consecutive daily closes (the range's first day has no return), maximum
drawdown from every snapshot. The trailing volatilities (last 30/90/365 daily returns) and the
rolling 30-day volatility are as of each day and reach back before the range start, so a short
range still shows a 365-day reading. Crypto trades every day: a year is 365 days of returns.
Risk-free rate 0. Sharpe = mean daily log return * 365 / (sample std, ddof 1, * √365); Sortino
replaces the std by the downside deviation √(mean of min(r, 0)²) over all the returns (target 0).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.analytics.daily import daily_closes, from_range_start, log_returns, prices
from dashboard.analytics.drawdowns import drawdown

DAYS_PER_YEAR = 365
TRAILING_RETURNS: tuple[int, ...] = (30, 90, 365)
ROLLING_RETURNS = 30
MIN_CAGR_DAYS = 365
_DAY = pd.Timedelta(days=1)
_NEGLIGIBLE_DEVIATION = 1e-12


@dataclass(frozen=True)
class DayReturn:
    day: pd.Timestamp  # UTC midnight of the day whose close ends the return
    return_pct: float  # close / previous close - 1, in % (the simple form of the log return)


@dataclass(frozen=True)
class RiskSummary:
    first_time: pd.Timestamp  # first and last snapshot in the range
    last_time: pd.Timestamp
    total_return_pct: float
    cagr_pct: float | None  # None when the range spans under 365 days
    volatility_pct: float | None  # None under 2 daily returns
    trailing_volatility_pct: Mapping[int, float | None]  # {30: …, 90: …, 365: …}
    sharpe: float | None
    sortino: float | None
    max_drawdown_pct: float
    best_day: DayReturn | None
    worst_day: DayReturn | None
    positive_days_pct: float | None  # share of daily returns > 0, in %
    daily_returns: int  # how many daily returns the range holds


def risk_summary(
    frame: pd.DataFrame, start: pd.Timestamp | None = None, end: pd.Timestamp | None = None
) -> RiskSummary | None:
    """Risk and return of the snapshots in [start, end]; None when the range has no price."""
    price = prices(frame, start, end)
    if price.empty:
        return None
    first_time, last_time = price.index[0], price.index[-1]
    history = log_returns(daily_closes(frame, None, end))
    returns = history[history.index > first_time.floor("D")]  # both closes in the range
    growth = float(price.iloc[-1]) / float(price.iloc[0])
    span_days = (last_time - first_time) / _DAY
    r = returns.to_numpy(dtype="float64")
    return RiskSummary(
        first_time=first_time,
        last_time=last_time,
        total_return_pct=(growth - 1.0) * 100.0,
        cagr_pct=(
            (growth ** (DAYS_PER_YEAR / span_days) - 1.0) * 100.0
            if span_days >= MIN_CAGR_DAYS
            else None
        ),
        volatility_pct=annualized_volatility_pct(r),
        trailing_volatility_pct={
            n: annualized_volatility_pct(history.to_numpy()[-n:]) if len(history) >= n else None
            for n in TRAILING_RETURNS
        },
        sharpe=sharpe_ratio(r),
        sortino=sortino_ratio(r),
        max_drawdown_pct=float(drawdown(frame, start, end).min()),
        best_day=_day_return(returns, returns.idxmax()) if len(r) else None,
        worst_day=_day_return(returns, returns.idxmin()) if len(r) else None,
        positive_days_pct=float((r > 0).mean() * 100.0) if len(r) else None,
        daily_returns=len(r),
    )


def annualized_volatility_pct(returns: np.ndarray) -> float | None:
    """Sample std (ddof 1) of daily log returns * √365, in %; None under 2 returns."""
    if len(returns) < 2:
        return None
    return float(np.std(returns, ddof=1) * math.sqrt(DAYS_PER_YEAR) * 100.0)


def sharpe_ratio(returns: np.ndarray) -> float | None:
    """Annualized mean daily log return ÷ annualized volatility (risk-free 0); None under
    2 returns or when they do not vary."""
    if len(returns) < 2:
        return None
    spread = float(np.std(returns, ddof=1))
    return _annualized_ratio(float(np.mean(returns)), spread)


def sortino_ratio(returns: np.ndarray) -> float | None:
    """Annualized mean daily log return ÷ annualized downside deviation √(mean(min(r, 0)²));
    None under 2 returns or when no return is negative."""
    if len(returns) < 2:
        return None
    downside = math.sqrt(float(np.mean(np.minimum(returns, 0.0) ** 2)))
    return _annualized_ratio(float(np.mean(returns)), downside)


def rolling_volatility(
    frame: pd.DataFrame,
    start: pd.Timestamp | None = None,
    end: pd.Timestamp | None = None,
    window: int = ROLLING_RETURNS,
) -> pd.Series:
    """Annualized volatility (%) of the last `window` daily returns, at each day with data in
    [start, end]; a day gets a value only once that many returns precede it (inclusive), and
    those may lie before `start`."""
    history = log_returns(daily_closes(frame, None, end))
    volatility = history.rolling(window).std(ddof=1) * math.sqrt(DAYS_PER_YEAR) * 100.0
    return from_range_start(volatility.rename("volatility_pct"), frame, start, end)


def _annualized_ratio(mean: float, deviation: float) -> float | None:
    # mean * 365 / (deviation * √365) = mean / deviation * √365. A deviation this small is
    # rounding noise of returns that do not vary (a real day-to-day one is above 1e-4).
    if not deviation > _NEGLIGIBLE_DEVIATION:
        return None
    return mean / deviation * math.sqrt(DAYS_PER_YEAR)


def _day_return(returns: pd.Series, day: pd.Timestamp) -> DayReturn:
    return DayReturn(day=day, return_pct=float(np.expm1(returns[day]) * 100.0))
