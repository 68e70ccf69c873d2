"""Query pages in DynamoDB's wire form → one asset's snapshots as typed frame columns.

The reader is defensive: one bad row must never blank the page. Every item passes the
schema's rules: those that are plainly well-formed (numbers, string labels, known source, a
price, whole-second times) are taken as they are; anything else is deserialized as boto3's
resource would and handed to `Snapshot.from_item`, which keeps or rejects it. Rows dated
before Bitcoin's genesis block or more than an hour after the reader's clock are skipped
too, so a far-future row can never become "the newest snapshot" that cards, presets and
refreshes anchor on. Skipped rows are counted and logged once per load, with a sample.
Metric values become float64 columns; the few stored decimals a float cannot reproduce are
kept as text (`dashboard.decimals`), so exports stay exact.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pandas as pd
from boto3.dynamodb.types import TypeDeserializer

from dashboard import decimals
from dashboard.frames import FRAME_COLUMNS, INDEX_NAME, INT_COLUMNS, empty_frame, tidy
from ingest.schema import (
    FETCHED_AT,
    LABEL_FIELDS,
    METRIC_FIELDS,
    PARTITION_KEY,
    SORT_KEY,
    SOURCES,
    MalformedItem,
    Snapshot,
)

log = logging.getLogger(__name__)

# Bitcoin's genesis block (2009-01-03 UTC): no crypto quote can be older.
EARLIEST_TS = 1230940800
# How far ahead of the reader's clock a snapshot may be dated (clock skew, not time travel).
FUTURE_TOLERANCE_SECONDS = 3600
# Reasons quoted in the one log line a load writes about the rows it skipped.
LOG_SAMPLE = 3

_SOURCE_SET = frozenset(SOURCES)
_DESERIALIZER = TypeDeserializer()


def latest_allowed(now: float) -> int:
    """The newest snapshot time a reader whose clock says `now` accepts."""
    return int(now) + FUTURE_TOLERANCE_SECONDS


def _iso(ts: float) -> str:
    try:
        return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    except (OverflowError, OSError, ValueError):
        return f"{ts:g} s"


class FrameBuilder:
    """One load of one asset: add raw Query pages, then take the frame and its overrides.

    Labels become categorical columns: a million rows of "Bitcoin" cost one string and a byte
    each. While loading they are interned, so the lists hold one string, not a million copies.
    """

    def __init__(self, asset: str, now: float) -> None:
        self.asset = asset
        self.latest = latest_allowed(now)
        self.values: dict[str, list[np.ndarray]] = {name: [] for name in FRAME_COLUMNS}
        self.labels: dict[str, list[str]] = {name: [] for name in LABEL_FIELDS}
        self.overrides: decimals.Overrides = {}
        self._shared: dict[str, str] = {}
        self.skipped = 0
        self.reasons: list[str] = []

    def add_page(self, items: Sequence[Mapping[str, Any]]) -> None:
        """Add one Query page of raw items (`{"price": {"N": "97123.45"}, …}`)."""
        count = len(items)
        if not count:
            return
        judge = np.zeros(count, dtype=bool)  # rows the schema itself must rule on
        numbers: dict[str, np.ndarray] = {}
        texts: dict[str, list[str] | None] = {}
        for name in METRIC_FIELDS:
            numbers[name], odd, texts[name] = _number_column([item.get(name) for item in items])
            judge |= odd
        judge |= np.isnan(numbers["price"])
        for name in INT_COLUMNS:
            floats, odd, _ = _number_column([item.get(name) for item in items])
            bad = odd | ~np.isfinite(floats) | (floats != np.floor(floats))
            bad |= np.abs(np.nan_to_num(floats)) > 2**62  # beyond int64: judged, then refused
            judge |= bad
            numbers[name] = np.where(bad, 0, floats).astype("int64")
        labels: dict[str, list[Any]] = {}
        for name in LABEL_FIELDS:
            labels[name], odd = _string_column([item.get(name) for item in items])
            judge |= odd
        if not set(labels["source"]) <= _SOURCE_SET:
            judge |= np.fromiter((v not in _SOURCE_SET for v in labels["source"]), bool, count)

        keep = np.ones(count, dtype=bool)
        exact: dict[str, dict[int, str]] = {}
        for row in np.flatnonzero(judge).tolist():
            snapshot = self._judge(items[row])
            if snapshot is None:
                keep[row] = False
                continue
            self._take(snapshot, row, numbers, labels, exact)
        keep &= self._in_time(numbers[SORT_KEY], keep)

        stamps = numbers[SORT_KEY]
        for name, column_texts in texts.items():
            if column_texts is None:
                continue
            for row, text in decimals.inexact_rows(column_texts, numbers[name]).items():
                if keep[row] and not judge[row]:
                    exact.setdefault(name, {})[row] = text
        for name, rows in exact.items():
            kept = {int(stamps[row]): text for row, text in rows.items() if keep[row]}
            if kept:
                self.overrides.setdefault(name, {}).update(kept)

        dropped = not keep.all()
        for name, column in numbers.items():
            self.values[name].append(column[keep] if dropped else column)
        shared = self._shared
        for name, values in labels.items():
            kept_labels = [v for v, k in zip(values, keep, strict=True) if k] if dropped else values
            self.labels[name].extend([shared.setdefault(v, v) for v in kept_labels])

    def _take(
        self,
        snapshot: Snapshot,
        row: int,
        numbers: dict[str, np.ndarray],
        labels: dict[str, list[Any]],
        exact: dict[str, dict[int, str]],
    ) -> None:
        """Write a judged snapshot into the page's columns (and its inexact decimals)."""
        for name in METRIC_FIELDS:
            number = snapshot.metrics.get(name)
            value = math.nan if number is None else float(number)
            numbers[name][row] = value
            if number is not None and not decimals.is_exact(number, value):
                exact.setdefault(name, {})[row] = decimals.plain(str(number))
        numbers[SORT_KEY][row] = snapshot.ts
        numbers[FETCHED_AT][row] = snapshot.fetched_at
        for name in LABEL_FIELDS:
            labels[name][row] = getattr(snapshot, name)

    def _in_time(self, stamps: np.ndarray, keep: np.ndarray) -> np.ndarray:
        """Rows dated between the genesis block and the reader's clock + tolerance; kept rows
        outside it are counted as skipped."""
        inside = (stamps >= EARLIEST_TS) & (stamps <= self.latest)
        for row in np.flatnonzero(keep & ~inside).tolist():
            when = int(stamps[row])
            self._skip(
                f"ts {when} ({_iso(when)}) lies outside {_iso(EARLIEST_TS)} … {_iso(self.latest)}"
            )
        return inside

    def _judge(self, raw: Mapping[str, Any]) -> Snapshot | None:
        """The schema's verdict on one odd raw item, deserialized as boto3's resource would
        (a binary, still base64 text here, fails to deserialize: rejected, as the schema
        would have rejected its bytes)."""
        try:
            item = {name: _DESERIALIZER.deserialize(v) for name, v in raw.items()}
            snapshot = Snapshot.from_item({PARTITION_KEY: self.asset, **item})
        except (MalformedItem, TypeError, ValueError, ArithmeticError, AttributeError) as exc:
            ts = raw.get(SORT_KEY, {}).get("N", "?") if isinstance(raw, Mapping) else "?"
            self._skip(f"ts {ts} is malformed: {str(exc)[-200:]}")
            return None
        if abs(snapshot.ts) > 2**62 or abs(snapshot.fetched_at) > 2**62:
            self._skip(f"ts {snapshot.ts} is malformed: a time beyond any calendar")
            return None
        return snapshot

    def _skip(self, reason: str) -> None:
        self.skipped += 1
        if len(self.reasons) < LOG_SAMPLE:
            self.reasons.append(reason)

    def build(self) -> tuple[pd.DataFrame, decimals.Overrides]:
        """The frame (ascending unique time index) and its inexact decimals; logs the skipped
        rows once."""
        if self.skipped:
            log.warning(
                "skipped %d malformed or impossibly dated snapshot(s) of %s, e.g. %s",
                self.skipped,
                self.asset,
                "; ".join(self.reasons),
            )
        if not self.values[SORT_KEY]:
            return empty_frame(), {}
        data: dict[str, Any] = {
            name: np.concatenate(parts) for name, parts in self.values.items() if parts
        }
        data.update({name: pd.Categorical(values) for name, values in self.labels.items()})
        seconds = data[SORT_KEY]
        index = pd.DatetimeIndex(pd.to_datetime(seconds, unit="s", utc=True), name=INDEX_NAME)
        frame = pd.DataFrame(data, index=index, columns=list(FRAME_COLUMNS))
        return tidy(frame), self.overrides


def _number_column(values: list[Any]) -> tuple[np.ndarray, np.ndarray, list[str] | None]:
    """(float64 values, rows to judge, the numbers' texts) from raw AttributeValues: absent →
    NaN; anything but a finite {"N": …} is odd.

    A page normally takes the first branch: one list comprehension and numpy's C-level
    string-to-float parse (correctly rounded, the same float as float(Decimal(s)));
    gaps and odd values go value by value (their texts are then left unchecked: odd rows
    are judged, and a gap has no text).
    """
    try:
        texts = [value["N"] for value in values]
        floats = np.array(texts, dtype="float64")
    except (KeyError, TypeError, ValueError):
        pass
    else:
        return floats, ~np.isfinite(floats), texts
    count = len(values)
    floats = np.full(count, math.nan)
    odd = np.zeros(count, dtype=bool)
    texts = [""] * count
    for row, value in enumerate(values):
        if value is None:
            continue
        try:
            texts[row] = value["N"]
            floats[row] = float(texts[row])
        except (KeyError, TypeError, ValueError):
            odd[row] = True
            texts[row] = ""
            continue
        odd[row] = not math.isfinite(floats[row])  # a stored NaN/Infinity, not a gap
    return floats, odd, texts


def _string_column(values: list[Any]) -> tuple[list[Any], np.ndarray]:
    """(strings, rows to judge) from raw AttributeValues: anything but {"S": …} is odd
    (and left as None for the schema to rule on)."""
    count = len(values)
    try:
        strings = [value["S"] for value in values]
    except (KeyError, TypeError):
        pass
    else:
        if set(map(type, strings)) <= {str}:
            return strings, np.zeros(count, dtype=bool)
    strings = [_string(value) for value in values]
    return strings, np.fromiter((s is None for s in strings), bool, count)


def _string(value: Any) -> str | None:
    inner = value.get("S") if isinstance(value, dict) else None
    return inner if type(inner) is str else None
