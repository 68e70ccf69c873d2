"""The naive baseline for one dataset: `python -m bench.baseline TABLE`.

What the original tracker did on every page load and every interaction: Scan the whole table
(whole items, every attribute), build a pandas frame from the list of dicts, and send every
point of the shown window to the browser as plotly figures (the same four charts the project
draws, no downsampling). Nothing is cached, so a refresh costs a cold load.

A Scan of a million items takes minutes, so it is timed a few times (once when slow) and each
interaction's latency is that Scan plus the time to build and serialise its figures, which are
timed for every preset and for a one-week zoom.
"""

from __future__ import annotations

import statistics
import sys
from typing import Any

import boto3
import pandas as pd
import plotly.graph_objects as go

from bench.datasets import ASSET
from bench.measure import emit, summary, timed
from dashboard.timeranges import PRESETS, preset_window
from ingest.schema import METRIC_FIELDS, PARTITION_KEY, SORT_KEY

SLOW_SECONDS = 20.0
FIGURE_REPEATS = 3
CHARTS = (("price",), ("volume_24h",), ("market_cap",), ("circulating_supply", "max_supply"))


def scan(table_name: str) -> list[dict[str, Any]]:
    table = boto3.resource("dynamodb").Table(table_name)
    items: list[dict[str, Any]] = []
    kwargs: dict[str, Any] = {}
    while True:
        response = table.scan(**kwargs)
        items.extend(response["Items"])
        if "LastEvaluatedKey" not in response:
            return items
        kwargs["ExclusiveStartKey"] = response["LastEvaluatedKey"]


def to_frame(items: list[dict[str, Any]]) -> pd.DataFrame:
    frame = pd.DataFrame(items)
    frame = frame[frame[PARTITION_KEY] == ASSET]  # drop the bookkeeping items
    for name in METRIC_FIELDS:
        frame[name] = frame[name].astype("float64")
    frame.index = pd.to_datetime(frame[SORT_KEY].astype("int64"), unit="s", utc=True)
    return frame.sort_index()


def figures_json(frame: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp) -> int:
    """Bytes of the four figures with every point in [start, end]."""
    window = frame.loc[start:end]
    x = window.index.tz_localize(None).to_numpy()  # plotly converts tz-aware indexes slowly
    size = 0
    for columns in CHARTS:
        traces = [go.Scatter(x=x, y=window[c].to_numpy(), name=c) for c in columns]
        size += len(go.Figure(traces).to_json().encode())
    return size


def main(table_name: str) -> None:
    loads: list[float] = []
    frame = pd.DataFrame()
    while len(loads) < 3 and sum(loads) < SLOW_SECONDS:
        seconds, frame = timed(lambda: to_frame(scan(table_name)))
        loads.append(seconds)
    load = statistics.median(loads)
    first, last = frame.index[0], frame.index[-1]

    def interaction(start: pd.Timestamp, end: pd.Timestamp) -> tuple[list[float], list[int]]:
        runs = [timed(lambda: figures_json(frame, start, end)) for _ in range(FIGURE_REPEATS)]
        return [load + seconds for seconds, _ in runs], [size for _, size in runs]

    page_seconds, page_sizes = interaction(first, last)
    preset_seconds: list[float] = []
    preset_sizes: list[int] = []
    for preset in PRESETS:
        seconds, sizes = interaction(*preset_window(preset, first, last))
        preset_seconds += seconds
        preset_sizes += sizes
    week_end = last - pd.Timedelta(days=30)
    week = summary(*interaction(week_end - pd.Timedelta(days=7), week_end))
    emit(
        {
            "side": "baseline",
            "table": table_name,
            "rows": len(frame),
            "cold_s": load,
            "cold_items_per_s": len(frame) / load,
            "refresh_none_ms": load * 1000,
            "refresh_one_ms": load * 1000,
            "page_warm": {"ms": statistics.median(page_seconds) * 1000, "bytes": page_sizes[0]},
            "preset": {"action": summary(preset_seconds, preset_sizes)},
            "week": {"action": week},
        }
    )


if __name__ == "__main__":
    main(sys.argv[1])
