"""Trailing moving averages, evaluated only at the times a chart draws.

pandas' `rolling("7D")` averages every stored point, a million at minute steps, on each render
that shows an average (~30 ms apiece), and the chart then throws all but a thousand away.
One cumulative sum over the history the window needs gives the same means at the drawn times.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.windows import between


def trailing_mean(prices: pd.Series, days: int, at: pd.DatetimeIndex) -> pd.Series:
    """The mean of `prices` over (t - days, t] for each t in `at`, as `rolling(f"{days}D")`
    gives it; `prices` sorted by time, gaps (NaN) left out of the mean."""
    span = pd.Timedelta(days=days)
    if len(at) == 0:
        return pd.Series(np.array([], dtype="float64"), index=at)
    history = between(prices, at[0] - span, at[-1]).dropna()
    totals = np.concatenate(([0.0], np.cumsum(history.to_numpy(dtype="float64"))))
    upto = history.index.searchsorted(at, side="right")
    after = history.index.searchsorted(at - span, side="right")
    counts = upto - after
    with np.errstate(invalid="ignore", divide="ignore"):
        means = (totals[upto] - totals[after]) / counts
    return pd.Series(np.where(counts > 0, means, np.nan), index=at)
