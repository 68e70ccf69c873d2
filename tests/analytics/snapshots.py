"""Snapshot frames for the analytics tests, shaped exactly like `dashboard.data`'s, plus the
hypothesis strategy the property tests draw histories from."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from hypothesis import settings
from hypothesis import strategies as st

from ingest.schema import METRIC_FIELDS

LABELS = {"name": "Bitcoin", "symbol": "BTC", "source": "cmc"}


def snapshots(
    times: Sequence[str | pd.Timestamp], prices: Sequence[float], **metrics: Sequence[float]
) -> pd.DataFrame:
    """Snapshots at `times` (UTC) with these prices; other metrics NaN unless given."""
    index = pd.DatetimeIndex([pd.Timestamp(t) for t in times], name="time")
    index = index.tz_localize("UTC") if index.tz is None else index.tz_convert("UTC")
    index = index.as_unit("us")
    count = len(index)
    data = {name: np.full(count, np.nan) for name in METRIC_FIELDS}
    data["price"] = np.asarray(prices, dtype="float64")
    data.update({name: np.asarray(values, dtype="float64") for name, values in metrics.items()})
    frame = pd.DataFrame(data, index=index)
    for name, value in LABELS.items():
        frame[name] = pd.Categorical([value] * count)
    frame["ts"] = (index.asi8 // 1_000_000).astype("int64")
    frame["fetched_at"] = frame["ts"] + 30
    return frame


def daily_prices(
    prices: Sequence[float], start: str = "2026-01-01", hour: int = 12
) -> pd.DataFrame:
    """One snapshot a day at `hour`:00 UTC, from `start`, with these prices."""
    days = pd.date_range(start, periods=len(prices), freq="D", tz="UTC")
    return snapshots(days + pd.Timedelta(hours=hour), prices)


# Property tests judge results, not speed: pandas' first call in a process and two shared cores
# make per-example timings noisy, so hypothesis' 200 ms deadline would fail at random.
PROPERTIES = settings(deadline=None)

# Up to ~40 days of snapshots at whole minutes, irregular, with gaps of days; unique times.
MINUTES = 40 * 24 * 60
PRICE = st.floats(min_value=0.01, max_value=1e6, allow_nan=False, allow_infinity=False)


@st.composite
def histories(draw: st.DrawFn, min_size: int = 0, max_size: int = 60) -> pd.DataFrame:
    minutes = draw(
        st.lists(st.integers(0, MINUTES), min_size=min_size, max_size=max_size, unique=True).map(
            sorted
        )
    )
    prices = draw(st.lists(PRICE, min_size=len(minutes), max_size=len(minutes)))
    start = pd.Timestamp("2026-01-01", tz="UTC")
    times = [start + pd.Timedelta(minutes=m) for m in minutes]
    return snapshots(times, prices, volume_24h=prices)
