"""One page of a `/api/v1/snapshots` answer: which rows, as export columns, and what comes next.

Rows are found by position (binary searches on the ascending `ts` column, so bounds far
outside pandas' calendar cost nothing), a page holds at most `limit` of them, and the next
page starts one second after the last row (so a snapshot stored meanwhile is neither skipped
nor repeated). Daily rows come from `dashboard.analytics.daily`, the series the analyst
pages use; their decimals are exact too: a day whose snapshots include a stored decimal a
float cannot reproduce is worked out again in `Decimal` from the stored texts. `digest` is
a fingerprint of everything a page's bytes are written from, for its ETag.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pandas as pd

from dashboard import export
from dashboard.analytics.daily import DAILY_LAST_FIELDS, daily
from dashboard.api.params import DAY_SECONDS, TIME, SnapshotQuery
from ingest.schema import FETCHED_AT, LABEL_FIELDS, SORT_KEY

ASSET = "asset"
# Daily columns and the snapshot field each is read from.
_DAILY_SOURCES: dict[str, str] = {
    "open": "price",
    "high": "price",
    "low": "price",
    "close": "price",
    **{name: name for name in DAILY_LAST_FIELDS},
}

Overrides = Mapping[str, Mapping[int, str]]


@dataclass(frozen=True)
class Page:
    columns: list[export.Column]  # `time`, then the query's fields
    rows: int
    next_start: int | None  # `from` of the next page (epoch seconds); None on the last page
    first: int | None  # the first and last row's time (epoch seconds)
    last: int | None
    digest: str


def page(frame: pd.DataFrame, overrides: Overrides, query: SnapshotQuery, max_rows: int) -> Page:
    stamps = frame[SORT_KEY].to_numpy()
    lo = 0 if query.start is None else int(np.searchsorted(stamps, query.start.seconds, "left"))
    hi = len(stamps)
    if query.end is not None:
        hi = int(np.searchsorted(stamps, query.end.seconds, "right"))
    limit = query.limit or max_rows
    if query.interval:
        return _daily_page(frame.iloc[lo : max(lo, hi)], overrides, query, limit)
    stop = min(hi, lo + limit)
    return _snapshot_page(frame.iloc[lo : max(lo, stop)], overrides, query, stop < hi)


def _snapshot_page(
    rows: pd.DataFrame, overrides: Overrides, query: SnapshotQuery, more: bool
) -> Page:
    stamps = rows[SORT_KEY].to_numpy()
    columns = [export.time_column(TIME, stamps)]
    used: dict[str, dict[int, str]] = {}
    for name in query.fields:
        if name in (SORT_KEY, FETCHED_AT):
            columns.append(export.integer_column(name, rows[name].to_numpy()))
        elif name in LABEL_FIELDS:
            columns.append(export.text_column(name, rows[name]))
        else:
            stored = _within(overrides.get(name, {}), stamps)
            used[name] = stored
            columns.append(
                export.number_column(name, rows[name].to_numpy("float64"), stamps, stored)
            )
    selected = rows[[SORT_KEY, *(f for f in query.fields if f != SORT_KEY)]]
    return Page(
        columns,
        len(rows),
        int(stamps[-1]) + 1 if more and len(stamps) else None,
        int(stamps[0]) if len(stamps) else None,
        int(stamps[-1]) if len(stamps) else None,
        _digest(selected, used, more),
    )


def _daily_page(
    window: pd.DataFrame, overrides: Overrides, query: SnapshotQuery, limit: int
) -> Page:
    days = daily(window)
    more = len(days) > limit
    days = days.iloc[:limit]
    starts = np.asarray(days.index.as_unit("s").asi8, dtype="int64")  # each day's midnight
    exact = _exact_days(window, overrides, starts)
    columns = [export.time_column(TIME, starts)]
    for name in query.fields:
        if name == SORT_KEY:
            columns.append(export.integer_column(name, starts))
        elif name == "snapshots":
            columns.append(export.integer_column(name, days[name].to_numpy()))
        else:
            values = days[name].to_numpy("float64")
            columns.append(export.number_column(name, values, starts, exact.get(name, {})))
    return Page(
        columns,
        len(days),
        int(starts[-1]) + DAY_SECONDS if more else None,
        int(starts[0]) if len(starts) else None,
        int(starts[-1]) if len(starts) else None,
        _digest(days.assign(**{SORT_KEY: starts}), exact, more),
    )


def _exact_days(
    window: pd.DataFrame, overrides: Overrides, starts: np.ndarray
) -> dict[str, dict[int, str]]:
    """{daily column: {day: stored text}} for the days whose value comes from a stored decimal
    a float cannot reproduce: such a day is aggregated again from the exact texts."""
    exact: dict[str, dict[int, str]] = {}
    stamps = window[SORT_KEY].to_numpy()
    for source in dict.fromkeys(_DAILY_SOURCES.values()):
        stored = _within(overrides.get(source, {}), stamps)
        touched = sorted({ts - ts % DAY_SECONDS for ts in stored} & set(starts.tolist()))
        for day in touched:
            lo, hi = np.searchsorted(stamps, [day, day + DAY_SECONDS], "left")
            texts = export.exact_texts(
                window[source].to_numpy("float64")[lo:hi], stamps[lo:hi], stored
            )
            values = [t for t in texts if t]
            if not values:
                continue
            picked = {
                "open": values[0],
                "high": max(values, key=Decimal),
                "low": min(values, key=Decimal),
                "close": values[-1],
                source: values[-1],
            }
            for column, origin in _DAILY_SOURCES.items():
                if origin == source:
                    exact.setdefault(column, {})[day] = picked[column]
    return exact


def _within(stored: Mapping[int, str], stamps: np.ndarray) -> dict[int, str]:
    """The stored texts of the rows timed `stamps` (sorted)."""
    if not stored or not len(stamps):
        return {}
    first, last = int(stamps[0]), int(stamps[-1])
    return {ts: text for ts, text in stored.items() if first <= ts <= last}


def _digest(rows: pd.DataFrame, texts: Mapping[str, Mapping[int, str]], more: bool) -> str:
    """A fingerprint of what a page is written from: its values (labels by value, not by
    category code), the stored texts used, and whether a next page follows."""
    hasher = hashlib.blake2b(digest_size=16)
    hasher.update(",".join(rows.columns).encode())
    hasher.update(pd.util.hash_pandas_object(rows, index=True).to_numpy().tobytes())
    hasher.update(repr(sorted((c, sorted(t.items())) for c, t in texts.items())).encode())
    hasher.update(b"more" if more else b"last")
    return hasher.hexdigest()
