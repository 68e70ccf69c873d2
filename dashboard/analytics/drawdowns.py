"""Drawdowns: how far the price sits below its running peak, the all-time high, and the deepest
drawdown episodes of a range.

Drawdown = price / running maximum of price - 1 on every snapshot with a price, in %, ≤ 0; in a
range the running maximum starts at the range's first snapshot (peaks before the range do not
count there; the all-time high covers all stored history). An episode runs from a peak (the
last snapshot at the running maximum before the price falls below it) through its trough (the
lowest price, first occurrence) to its recovery (the first snapshot priced at or above the
peak again) or, when the price has not recovered, to the range's last snapshot; its duration is
the time from peak to recovery, or from peak to that last snapshot, in (fractional) days.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.analytics.daily import prices

DAY = pd.Timedelta(days=1)
DEEPEST_EPISODES = 5


@dataclass(frozen=True)
class AllTimeHigh:
    """The highest stored price and where the latest price stands against it."""

    price: float
    time: pd.Timestamp  # first snapshot at that price
    latest_price: float
    latest_time: pd.Timestamp
    below_pct: float  # latest_price / price - 1, in %, ≤ 0
    days_since: float  # latest_time - time, in days


@dataclass(frozen=True)
class DrawdownEpisode:
    peak_time: pd.Timestamp
    peak_price: float
    trough_time: pd.Timestamp
    trough_price: float
    depth_pct: float  # trough_price / peak_price - 1, in %, < 0
    recovery_time: pd.Timestamp | None  # None: not recovered by the range's last snapshot
    duration_days: float  # peak → recovery, or peak → the range's last snapshot


def all_time_high(frame: pd.DataFrame) -> AllTimeHigh | None:
    """The ATH over all of `frame`'s history and the latest price's distance below it."""
    price = prices(frame)
    if price.empty:
        return None
    peak_at = price.idxmax()
    peak, latest = float(price.max()), float(price.iloc[-1])
    latest_at = price.index[-1]
    return AllTimeHigh(
        price=peak,
        time=peak_at,
        latest_price=latest,
        latest_time=latest_at,
        below_pct=(latest / peak - 1.0) * 100.0,
        days_since=(latest_at - peak_at) / DAY,
    )


def drawdown(
    frame: pd.DataFrame, start: pd.Timestamp | None = None, end: pd.Timestamp | None = None
) -> pd.Series:
    """Drawdown in % (≤ 0) at every priced snapshot in [start, end], from the running peak
    since the range's first snapshot; empty when the range has no price."""
    price = prices(frame, start, end)
    values = price.to_numpy(dtype="float64")
    below = values / np.maximum.accumulate(values) - 1.0
    return pd.Series(below * 100.0, index=price.index, name="drawdown_pct")


def deepest_drawdowns(
    frame: pd.DataFrame,
    start: pd.Timestamp | None = None,
    end: pd.Timestamp | None = None,
    count: int = DEEPEST_EPISODES,
) -> list[DrawdownEpisode]:
    """The `count` deepest drawdown episodes in [start, end], deepest first (ties: earlier
    peak first); fewer when the range has fewer, none when the price never fell."""
    price = prices(frame, start, end)
    values = price.to_numpy(dtype="float64")
    if count <= 0 or len(values) < 2:
        return []
    running_peak = np.maximum.accumulate(values)
    under = values < running_peak
    if not under.any():
        return []
    edges = np.diff(np.concatenate(([0], under.astype(np.int8), [0])))
    begins = np.flatnonzero(edges == 1)  # first row below the peak; row 0 never is
    stops = np.flatnonzero(edges == -1)  # first row back at the peak, or len(values)
    depth = values / running_peak - 1.0
    # Rows between episodes have depth 0, so each reduceat span's minimum is its episode's.
    deepest = np.minimum.reduceat(depth, begins)
    episode_of_row = np.searchsorted(begins, np.arange(len(values)), side="right") - 1
    at_trough = np.flatnonzero(under & (depth == deepest[episode_of_row]))
    _, first = np.unique(episode_of_row[at_trough], return_index=True)
    troughs = at_trough[first]
    times = price.index
    chosen = np.lexsort((begins, deepest))[:count]
    return [
        _episode(values, times, begins[i] - 1, troughs[i], stops[i], float(deepest[i]))
        for i in chosen
    ]


def _episode(
    values: np.ndarray, times: pd.DatetimeIndex, peak: int, trough: int, stop: int, depth: float
) -> DrawdownEpisode:
    recovered = stop < len(values)
    recovery_time = times[stop] if recovered else None
    ends_at = times[stop] if recovered else times[-1]
    return DrawdownEpisode(
        peak_time=times[peak],
        peak_price=float(values[peak]),
        trough_time=times[trough],
        trough_price=float(values[trough]),
        depth_pct=depth * 100.0,
        recovery_time=recovery_time,
        duration_days=(ends_at - times[peak]) / DAY,
    )
