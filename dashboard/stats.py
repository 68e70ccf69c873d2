"""Summary statistics of one asset over a chosen window, as the statistics panel shows them."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboard.windows import between


@dataclass(frozen=True)
class RangeStats:
    open: float
    close: float
    change_pct: float
    high: float
    high_at: pd.Timestamp
    low: float
    low_at: pd.Timestamp
    avg_daily_volume: float | None
    points: int


def range_stats(
    frame: pd.DataFrame, start: pd.Timestamp | None, end: pd.Timestamp | None
) -> RangeStats | None:
    """Statistics of the snapshots priced in [start, end] (None bound = open); None if none.

    Open/close are the first and last prices in the window; high/low carry the time of their
    first occurrence. Average daily volume averages each UTC day's mean `volume_24h`, so a
    day sampled four times (live, every 6 h) weighs the same as a backfilled day sampled once.
    """
    if frame.empty:
        return None
    window = between(frame, start, end)
    price = window["price"].dropna()
    if price.empty:
        return None
    first, last = float(price.iloc[0]), float(price.iloc[-1])
    volume = window["volume_24h"].dropna() if "volume_24h" in window else pd.Series(dtype=float)
    # resample skips the days without a snapshot (NaN) in the outer mean, as a groupby would,
    # at a third of its cost on a sorted index.
    avg_daily_volume = float(volume.resample("D").mean().mean()) if not volume.empty else None
    return RangeStats(
        open=first,
        close=last,
        change_pct=(last / first - 1.0) * 100.0 if first else float("nan"),
        high=float(price.max()),
        high_at=price.idxmax(),
        low=float(price.min()),
        low_at=price.idxmin(),
        avg_daily_volume=avg_daily_volume,
        points=len(price),
    )
