"""Small frames shaped like dashboard.data's (UTC DatetimeIndex "time", float metrics)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ingest.schema import METRIC_FIELDS


def frame(points: int, *, start: str = "2026-01-01", freq: str = "6h", max_supply=21e6):
    index = pd.date_range(start, periods=points, freq=freq, tz="UTC", name="time")
    data = {name: np.full(points, np.nan) for name in METRIC_FIELDS}
    data["price"] = 50_000 + 1_000 * np.sin(np.arange(points) / 10)
    data["volume_24h"] = np.full(points, 3e10)
    data["market_cap"] = data["price"] * 19.6e6
    data["circulating_supply"] = 19.6e6 + np.arange(points, dtype=float)
    data["max_supply"] = np.full(points, max_supply if max_supply else np.nan)
    data["cmc_rank"] = np.ones(points)
    result = pd.DataFrame(data, index=index)
    result["source"] = "cmc"
    result["name"] = "Bitcoin"
    result["symbol"] = "BTC"
    result["ts"] = (index.asi8 // 10**9).astype("int64")
    return result
