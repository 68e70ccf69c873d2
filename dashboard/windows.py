"""The rows of a snapshot frame inside a time window, taken by position.

`dashboard.data` guarantees an ascending, unique UTC index, so a window is a contiguous run
of rows found with two binary searches. A boolean mask instead compared every stored time and
copied all ~22 columns for each chart (~56 ms per call on a million rows); a positional slice
costs microseconds whatever the history's size.
"""

from __future__ import annotations

import pandas as pd


def between(
    frame: pd.DataFrame | pd.Series, start: pd.Timestamp | None, end: pd.Timestamp | None
) -> pd.DataFrame | pd.Series:
    """The rows of `frame` (sorted index) timed in [start, end]; a None bound is open."""
    first = 0 if start is None else int(frame.index.searchsorted(start, side="left"))
    stop = len(frame) if end is None else int(frame.index.searchsorted(end, side="right"))
    return frame.iloc[first:stop]
