"""Monthly and yearly returns on closes chosen so each cell can be checked by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard.analytics.seasonality import SEASONALITY_COLUMNS, YEAR_COLUMN, monthly_returns
from dashboard.data import empty_frame
from tests.analytics.snapshots import PRICE, PROPERTIES, snapshots

NAN = math.nan


def _frame() -> pd.DataFrame:
    return snapshots(
        ["2026-01-10", "2026-01-31 23:00",  # Jan close 100 (no December before it)
         "2026-02-01 00:00", "2026-02-10", "2026-02-28",  # Feb close 110
         # no March
         "2026-04-30",  # Apr close 121
         "2026-05-15",  # May close 133.1
         "2026-12-31",  # Dec close 146.41 (no November before it)
         "2027-01-15"],  # Jan 2027 so far: 161.051
        [90.0, 100.0, 105.0, 120.0, 110.0, 121.0, 133.1, 146.41, 161.051],
    )  # fmt: skip


def _row(values: dict[str, float]) -> list[float]:
    return [values.get(column, NAN) for column in SEASONALITY_COLUMNS]


def test_a_month_needs_its_own_and_the_previous_months_close():
    table = monthly_returns(_frame())
    assert table.index.tolist() == [2026, 2027]
    assert table.index.name == "year"
    assert tuple(table.columns) == SEASONALITY_COLUMNS
    expected = pd.DataFrame(
        [
            # Feb: 110 / 100 - 1; May: 133.1 / 121 - 1. Jan (no Dec 2025), Mar (no data), Apr (no
            # March close) and Dec (no November) are undefined, and so is 2026 (no 2025).
            _row({"Feb": 10.0, "May": 10.0}),
            # Jan 2027 to date: 161.051 / 146.41 - 1 = 10 %, and the year to date the same.
            _row({"Jan": 10.0, YEAR_COLUMN: 10.0}),
        ],
        index=pd.Index([2026, 2027], name="year"),
        columns=list(SEASONALITY_COLUMNS),
    )
    pd.testing.assert_frame_equal(table, expected, check_exact=False, rtol=1e-12)


def test_a_year_against_the_previous_years_last_close():
    frame = snapshots(["2025-06-01", "2025-12-31 18:00", "2026-12-31 23:59"], [50.0, 100.0, 150.0])
    table = monthly_returns(frame)
    # 2025 has no return at all (December has no November close, the year no 2024 close) and
    # is left out; 2026: 150 / 100 - 1.
    assert table.index.tolist() == [2026]
    assert table[YEAR_COLUMN].tolist() == pytest.approx([50.0])
    assert table.loc[:, "Dec"].isna().all()


def test_a_range_opening_in_a_year_s_last_month_has_no_empty_first_row():
    """The 1Y preset opened on 2026-12-01 starts on 2025-12-01: December 2025 would need
    November's close, from before the range."""
    frame = snapshots(
        ["2025-11-30", "2025-12-01", "2025-12-31", "2026-01-31", "2026-12-01"],
        [80.0, 90.0, 100.0, 120.0, 150.0],
    )
    table = monthly_returns(frame, pd.Timestamp("2025-12-01", tz="UTC"), None)
    assert table.index.tolist() == [2026]
    assert table.loc[2026, "Jan"] == pytest.approx(20.0)  # 120 / 100 - 1
    assert pd.isna(table.loc[2026, "Dec"])  # no November close to compare with
    assert table.loc[2026, YEAR_COLUMN] == pytest.approx(50.0)  # 150 / 100 - 1
    # A year without a return between two that have one stays, blank, in its place.
    gap = snapshots(
        ["2023-12-31", "2024-01-31", "2026-12-31", "2027-01-31"], [100.0, 110.0, 100.0, 90.0]
    )
    assert monthly_returns(gap).index.tolist() == [2024, 2025, 2026, 2027]


def test_the_range_bounds_the_closes():
    table = monthly_returns(_frame(), pd.Timestamp("2026-02-01", tz="UTC"), None)
    # January's close is outside the range, so February has nothing to compare with.
    assert np.isnan(table.loc[2026, "Feb"])
    assert table.loc[2026, "May"] == pytest.approx(10.0)


def test_no_price_no_rows():
    for table in (
        monthly_returns(empty_frame()),
        monthly_returns(_frame(), pd.Timestamp("2030-01-01", tz="UTC"), None),
    ):
        assert table.empty
        assert tuple(table.columns) == SEASONALITY_COLUMNS


@PROPERTIES
@given(st.lists(PRICE, min_size=25, max_size=25))
def test_twelve_months_compound_to_the_year(month_end_prices: list[float]):
    # One close at the end of each month from December 2025 to December 2027.
    times = pd.date_range("2025-12-31 12:00", periods=25, freq="ME", tz="UTC")
    table = monthly_returns(snapshots(times, month_end_prices))
    months = table.loc[2026, list(SEASONALITY_COLUMNS[:12])]
    compounded = np.prod(1 + months.to_numpy() / 100)
    assert compounded == pytest.approx(1 + table.loc[2026, YEAR_COLUMN] / 100, rel=1e-6)
