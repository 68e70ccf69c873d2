"""The daily series every analytic is built on, and the data API's `interval=1d` rows.

One row per UTC day that has priced snapshots (days without are skipped, not filled): open,
high, low and close of that day's snapshot prices (first, max, min, last), the day's last
reading of `volume_24h`, `market_cap` and `circulating_supply` (CoinMarketCap's volume is a
rolling 24-hour figure, so four readings a day overlap and only the last one describes the day)
and how many snapshots the day has. A missing value (NaN) is skipped: "first"/"last" mean the
first/last snapshot of the day that has that value. Daily closes and their log returns follow.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.windows import between

PRICE = "price"
DAILY_LAST_FIELDS: tuple[str, ...] = ("volume_24h", "market_cap", "circulating_supply")
DAILY_COLUMNS: tuple[str, ...] = ("open", "high", "low", "close", *DAILY_LAST_FIELDS, "snapshots")
INDEX_NAME = "time"


def in_window(
    frame: pd.DataFrame | pd.Series, start: pd.Timestamp | None, end: pd.Timestamp | None
) -> pd.DataFrame | pd.Series:
    """The rows of `frame` timed in [start, end] (None bound = open), in ascending time.

    The dashboard's frames are already sorted; anything else is sorted (stably) first, so a
    result never depends on the order rows arrived in."""
    if not frame.index.is_monotonic_increasing:
        frame = frame.sort_index(kind="stable")
    return between(frame, start, end)


def prices(
    frame: pd.DataFrame, start: pd.Timestamp | None = None, end: pd.Timestamp | None = None
) -> pd.Series:
    """The snapshot prices in [start, end], ascending, without gaps (NaN)."""
    if PRICE not in frame:
        return pd.Series(np.array([], dtype="float64"), index=frame.index[:0], name=PRICE)
    return in_window(frame[PRICE], start, end).dropna()


def daily(
    frame: pd.DataFrame, start: pd.Timestamp | None = None, end: pd.Timestamp | None = None
) -> pd.DataFrame:
    """The daily series of the snapshots in [start, end]: DAILY_COLUMNS, indexed by the UTC
    midnight of each day with a priced snapshot ("time"); float columns, `snapshots` int64.

    A field the frame lacks comes back as NaN. A snapshot without a price still counts and
    lends its readings to its day, but a day without any price has no row (no candle)."""
    window = in_window(frame, start, end)
    days = window.index.floor("D")
    columns = [PRICE, *DAILY_LAST_FIELDS]
    values = window.reindex(columns=columns).astype("float64")
    grouped = values.groupby(days, sort=False)  # sorted already: groups come out in order
    firsts, lasts = grouped.first(), grouped.last()
    price = grouped[PRICE]
    result = pd.DataFrame(
        {
            "open": firsts[PRICE],
            "high": price.max(),
            "low": price.min(),
            "close": lasts[PRICE],
            **{name: lasts[name] for name in DAILY_LAST_FIELDS},
            "snapshots": grouped.size().astype("int64"),
        },
        columns=list(DAILY_COLUMNS),
    )
    result.index = pd.DatetimeIndex(result.index, dtype=days.dtype, name=INDEX_NAME)
    return result[result["close"].notna()]


def daily_closes(
    frame: pd.DataFrame, start: pd.Timestamp | None = None, end: pd.Timestamp | None = None
) -> pd.Series:
    """The close (last snapshot price) of each UTC day with a price in [start, end]."""
    price = prices(frame, start, end)
    # The prices are sorted and gap-free, so a day's close is the last row before the UTC day
    # number changes: a positional pick on integers, ~4x faster than flooring every time and
    # grouping at 1,000,000 snapshots (nearly every analytic starts here).
    day = price.index.asi8 // (pd.Timedelta(days=1) // pd.Timedelta(1, unit=price.index.unit))
    last_of_day = np.flatnonzero(np.append(day[1:] != day[:-1], True)) if len(day) else []
    closes = price.iloc[last_of_day]
    closes.index = closes.index.floor("D").rename(INDEX_NAME)
    return closes.rename("close")


def log_returns(closes: pd.Series) -> pd.Series:
    """Daily log returns log(close_d / close of the previous day with data), indexed by d;
    one fewer than the closes (the first day has no previous close)."""
    return np.log(closes).diff().iloc[1:].rename("log_return")


def from_range_start(
    series: pd.Series,
    frame: pd.DataFrame,
    start: pd.Timestamp | None,
    end: pd.Timestamp | None,
) -> pd.Series:
    """The defined values of a daily `series` computed on the history up to `end` (so trailing
    windows may reach before `start`), kept from the first day with a price in [start, end] on;
    empty when the range has no price."""
    in_range = prices(frame, start, end).index
    if in_range.empty:
        return series.iloc[:0]
    return series[series.index >= in_range[0].floor("D")].dropna()
