"""A window holds exactly the snapshots a reader picked: both ends included, None = open."""

import pandas as pd

from dashboard.windows import between


def _frame() -> pd.DataFrame:
    index = pd.date_range("2024-01-01", periods=5, freq="6h", tz="UTC")
    return pd.DataFrame({"price": [1.0, 2.0, 3.0, 4.0, 5.0]}, index=index)


def test_both_ends_are_included():
    frame = _frame()
    window = between(frame, frame.index[1], frame.index[3])
    assert window["price"].tolist() == [2.0, 3.0, 4.0]


def test_bounds_between_snapshots_keep_only_what_is_inside():
    frame = _frame()
    start = frame.index[0] + pd.Timedelta(hours=1)
    end = frame.index[2] + pd.Timedelta(hours=1)
    assert between(frame["price"], start, end).tolist() == [2.0, 3.0]


def test_open_bounds_and_empty_windows():
    frame = _frame()
    assert between(frame, None, None)["price"].tolist() == [1.0, 2.0, 3.0, 4.0, 5.0]
    assert between(frame, frame.index[3], None)["price"].tolist() == [4.0, 5.0]
    later = frame.index[-1] + pd.Timedelta(days=1)
    assert between(frame, later, later + pd.Timedelta(days=1)).empty
