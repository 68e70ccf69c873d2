"""The project's side of the benchmark for one dataset: `python -m bench.project TABLE`.

Runs in its own process (see bench.measure) against the store named by the environment:
cold load and refreshes through `SnapshotRepository` with a clock the bench advances past the
TTL, then page loads, preset clicks and zooms replayed through the real Dash app with Flask's
test client, so the times are server time without network.
"""

from __future__ import annotations

import gc
import os
import statistics
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

import boto3
import pandas as pd
from boto3.dynamodb.conditions import Key

from bench.dash_client import Call, DashPage, flask_transport
from bench.datasets import ASSET
from bench.measure import emit, summary, timed
from ingest.schema import FETCHED_AT, PARTITION_KEY, SORT_KEY

TTL_SECONDS = 60.0
REFRESH_REPEATS = 20
NEW_SNAPSHOT_REPEATS = 5
CLICK_ROUNDS = 4  # every preset, four times over
ZOOM_REPEATS = 28
WEEK = pd.Timedelta(days=7)
PRESET_IDS = ("range-preset", "value")
DATE_IDS = (("date-range", "start_date"), ("date-range", "end_date"))
# What the page's clientside callback stores for a chart zoom (dashboard/callbacks/zoom.py).
ZOOM_ID = ("chart-zoom", "data")


class Clock:
    """A monotonic clock the bench moves forward, so every refresh is due on demand."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def past_ttl(self) -> None:
        self.now += TTL_SECONDS + 1


@contextmanager
def extra_snapshots(table: Any, slot_seconds: int) -> Iterator[list[dict[str, Any]]]:
    """Yields a list to append new newest snapshots to; deletes them afterwards so the
    stored set stays as generated."""
    added: list[dict[str, Any]] = []
    try:
        yield added
    finally:
        for item in added:
            table.delete_item(Key={PARTITION_KEY: item[PARTITION_KEY], SORT_KEY: item[SORT_KEY]})


def add_newest(table: Any, slot_seconds: int, added: list[dict[str, Any]]) -> None:
    newest = table.query(
        KeyConditionExpression=Key(PARTITION_KEY).eq(ASSET), ScanIndexForward=False, Limit=1
    )["Items"][0]
    ts = int(newest[SORT_KEY]) + slot_seconds
    item = {**newest, SORT_KEY: Decimal(ts), FETCHED_AT: Decimal(ts)}
    table.put_item(Item=item)
    added.append(item)


def run_inline(name: str, work: Callable[[], None]) -> None:
    """Run the repository's background refresh on this thread, so it can be timed (a visitor
    never waits for it: they get the cached frame while it runs)."""
    work()


def store_side(table_name: str, slot_seconds: int) -> dict[str, Any]:
    from dashboard.data import SnapshotRepository

    clock = Clock()
    colds, rows = [], 0
    while len(colds) < 3 and sum(colds) < 20:  # one cold load is enough once they take long
        repository = SnapshotRepository(
            table_name, TTL_SECONDS, clock=clock, assets=(ASSET,), spawn=run_inline
        )
        seconds, result = timed(lambda r=repository: r.load(ASSET))
        colds.append(seconds)
        rows = len(result.frame)
    idle = []
    for _ in range(REFRESH_REPEATS):
        clock.past_ttl()
        idle.append(timed(lambda: repository.load(ASSET))[0])
    table = boto3.resource("dynamodb").Table(table_name)
    one_new = []
    with extra_snapshots(table, slot_seconds) as added:
        for _ in range(NEW_SNAPSHOT_REPEATS):
            add_newest(table, slot_seconds, added)
            clock.past_ttl()
            seconds, result = timed(lambda: repository.load(ASSET))
            assert len(result.frame) == rows + len(added), "refresh missed the new snapshot"
            one_new.append(seconds)
    cold = statistics.median(colds)
    return {
        "rows": rows,
        "cold_s": cold,
        "cold_items_per_s": rows / cold,
        "refresh_none_ms": statistics.median(idle) * 1000,
        "refresh_one_ms": statistics.median(one_new) * 1000,
    }


def total(calls: list[Call]) -> dict[str, Any]:
    return {
        "ms": sum(c.seconds for c in calls) * 1000,
        "bytes": sum(c.bytes for c in calls),
        "sent_bytes": sum(c.sent_bytes for c in calls),
        "calls": [[c.name, round(c.seconds * 1000, 1), c.bytes] for c in calls],
    }


def action(page: DashPage, changes: dict[tuple[str, str], Any]) -> list[Call]:
    """Run one user action and return the HTTP calls it caused."""
    before = len(page.calls)
    page.set(changes)
    return page.calls[before:]


def clicks(page: DashPage, changes: list[dict[tuple[str, str], Any]]) -> dict[str, Any]:
    """p50/p95 of whole actions (all their round trips) and of their slowest single callback."""
    whole, slowest, sizes, sent, slowest_sizes = [], [], [], [], []
    for change in changes:
        calls = action(page, change)
        whole.append(sum(c.seconds for c in calls))
        sizes.append(sum(c.bytes for c in calls))
        sent.append(sum(c.sent_bytes for c in calls))
        worst = max(calls, key=lambda c: c.seconds)
        slowest.append(worst.seconds)
        slowest_sizes.append(worst.bytes)
    return {
        "action": {**summary(whole, sizes), "sent_bytes": max(sent)},
        "callback": summary(slowest, slowest_sizes),
    }


def page_side() -> dict[str, Any]:
    from dashboard.app import server
    from dashboard.timeranges import PRESETS

    send = flask_transport(server.test_client())
    cold_page = DashPage(send)
    cold_page.load()  # this worker's first visitor pays the cold load
    page = DashPage(send)
    page.load()
    last = pd.Timestamp(page.props[("date-range", "max_date_allowed")], tz="UTC")
    week_end = last - pd.Timedelta(days=30)
    week = {DATE_IDS[0]: f"{week_end - WEEK:%Y-%m-%d}", DATE_IDS[1]: f"{week_end:%Y-%m-%d}"}
    zoomed = [f"{week_end - WEEK:%Y-%m-%d %H:%M:%S}", f"{week_end:%Y-%m-%d %H:%M:%S}"]
    chart_zoom = {ZOOM_ID: {"range": zoomed}}
    presets = clicks(page, [{PRESET_IDS: p} for _ in range(CLICK_ROUNDS) for p in PRESETS])
    return {
        "page_cold": total(cold_page.calls),
        "page_warm": total(page.calls[: len(cold_page.calls)]),
        "preset": presets,
        "week": clicks(page, [week] * ZOOM_REPEATS),
        "zoom": clicks(page, [chart_zoom] * ZOOM_REPEATS),
    }


def main(table_name: str) -> None:
    slot_seconds = int(os.environ["BENCH_SLOT_SECONDS"])
    result = {"side": "project", "table": table_name, **store_side(table_name, slot_seconds)}
    gc.collect()
    result.update(page_side())
    emit(result)


if __name__ == "__main__":
    main(sys.argv[1])
