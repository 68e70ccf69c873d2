"""Thin long series for drawing, keeping the shape a reader would notice.

MinMaxLTTB (tsdownsample) keeps each bucket's extremes before running LTTB, so spikes survive,
and does it in Rust fast enough to run on every callback. The series' own high and low are
always kept, so a chart never understates the range the statistics panel reports.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from tsdownsample import MinMaxLTTBDownsampler

from dashboard.config import MIN_MAX_POINTS

_DOWNSAMPLER = MinMaxLTTBDownsampler()


def downsample(series: pd.Series, max_points: int) -> pd.Series:
    """At most `max_points` points of `series` (index preserved); short ones are only rid of
    their gaps.

    Missing values are dropped before thinning: they carry nothing to draw, and the
    algorithm needs finite values.
    """
    if max_points < MIN_MAX_POINTS:
        raise ValueError(f"max_points must be at least {MIN_MAX_POINTS}, got {max_points}")
    values = series.dropna()
    if len(values) <= max_points:
        return values
    # tsdownsample wants contiguous arrays; a strided slice of a frame is not.
    x = pd.DatetimeIndex(values.index).asi8 if _is_time(values.index) else values.index.to_numpy()
    x = np.ascontiguousarray(x)
    y = np.ascontiguousarray(values.to_numpy(dtype="float64"))
    # MinMaxLTTB keeps extremes in practice; adding the global ones makes it a promise.
    picked = _DOWNSAMPLER.downsample(x, y, n_out=max_points - 2)
    keep = np.union1d(picked.astype("int64"), [int(np.argmax(y)), int(np.argmin(y))])
    return values.iloc[keep]


def _is_time(index: pd.Index) -> bool:
    return isinstance(index, pd.DatetimeIndex)
