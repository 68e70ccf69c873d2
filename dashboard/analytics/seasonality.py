"""Seasonality: a month x year table of monthly returns with a yearly column, for a heatmap.

Monthly return = last daily close of the month / last daily close of the previous calendar month
- 1, in %; the yearly column does the same with the last daily close of each year. A month (or
year) is NaN when it or the one before has no daily close in the range: the first month of the
data, a month after a gap. The current month and year read month- and year-to-date, since their
last daily close is the latest one.

A year at either end of the range without any return is left out: a range that starts in a
year's last month (the 1Y preset opened in December) would otherwise open on an empty row. The
previous month's close is not fetched from before the range instead: that return would span
days the range leaves out, and disagree with the range's other figures.
"""

from __future__ import annotations

import calendar

import numpy as np
import pandas as pd

from dashboard.analytics.daily import daily_closes

MONTH_COLUMNS: tuple[str, ...] = tuple(calendar.month_abbr[1:])  # "Jan" … "Dec"
YEAR_COLUMN = "Year"
SEASONALITY_COLUMNS: tuple[str, ...] = (*MONTH_COLUMNS, YEAR_COLUMN)


def monthly_returns(
    frame: pd.DataFrame, start: pd.Timestamp | None = None, end: pd.Timestamp | None = None
) -> pd.DataFrame:
    """Returns (%) of the daily closes in [start, end]: one row per calendar year from the
    first to the last with a return (index "year", int), SEASONALITY_COLUMNS, NaN where
    undefined; no rows when the range has no return."""
    closes = daily_closes(frame, start, end)
    if closes.empty:
        return pd.DataFrame(
            columns=list(SEASONALITY_COLUMNS), index=pd.Index([], dtype="int64", name="year")
        ).astype("float64")
    # resample lays out every calendar month/year in between, NaN where a period has no close,
    # so shift(1) is always the previous calendar period.
    month_end = closes.resample("ME").last()
    year_end = closes.resample("YE").last()
    monthly = (month_end / month_end.shift(1) - 1.0) * 100.0
    yearly = (year_end / year_end.shift(1) - 1.0) * 100.0
    years = np.arange(closes.index[0].year, closes.index[-1].year + 1)
    grid = np.full((len(years), len(SEASONALITY_COLUMNS)), np.nan)
    grid[monthly.index.year - years[0], monthly.index.month - 1] = monthly.to_numpy()
    grid[:, -1] = yearly.to_numpy()
    table = pd.DataFrame(grid, index=pd.Index(years, name="year"), columns=SEASONALITY_COLUMNS)
    held = np.flatnonzero(table.notna().any(axis=1).to_numpy())
    if not held.size:
        return table.iloc[:0]
    return table.iloc[held[0] : held[-1] + 1]
