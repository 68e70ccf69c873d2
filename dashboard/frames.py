"""The shape of one asset's snapshots in memory, and how two loads of them are merged.

A frame has a UTC time index named "time", a float64 column per metric of the schema,
categorical labels (name, symbol, source) and the whole-number sort key and fetch time. The
reader (`dashboard.wire`) builds frames of this shape; the cache (`dashboard.data`) merges
refreshes into them.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from ingest.schema import FETCHED_AT, LABEL_FIELDS, METRIC_FIELDS, SORT_KEY

INDEX_NAME = "time"
# Whole-number columns of the frame: the sort key and when the quote was fetched.
INT_COLUMNS: tuple[str, ...] = (SORT_KEY, FETCHED_AT)
FRAME_COLUMNS: tuple[str, ...] = (*METRIC_FIELDS, *LABEL_FIELDS, *INT_COLUMNS)


def empty_frame() -> pd.DataFrame:
    """A frame with no rows but every column and dtype a loaded one has."""
    dtypes = {name: "float64" for name in METRIC_FIELDS}
    dtypes.update({name: "category" for name in LABEL_FIELDS})
    dtypes.update({name: "int64" for name in INT_COLUMNS})
    index = pd.DatetimeIndex([], dtype="datetime64[us, UTC]", name=INDEX_NAME)
    return pd.DataFrame(index=index, columns=list(FRAME_COLUMNS)).astype(dtypes)


def concat(frames: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """Frames one after the other, labels kept categorical: pandas falls back to plain strings
    when the parts' categories differ (a first snapshot from a new source)."""
    merged = pd.concat(frames)
    for name in LABEL_FIELDS:
        if not isinstance(merged[name].dtype, pd.CategoricalDtype):
            merged[name] = merged[name].astype("category")
    return tidy(merged)


def tidy(frame: pd.DataFrame) -> pd.DataFrame:
    """Ascending, unique index (a Query is already sorted; a merge of refreshes may not be)."""
    if not frame.index.is_monotonic_increasing:
        frame = frame.sort_index(kind="stable")
    if frame.index.has_duplicates:
        frame = frame[~frame.index.duplicated(keep="last")]
    return frame
