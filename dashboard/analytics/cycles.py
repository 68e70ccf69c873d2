"""The cycle layer: dated events (Bitcoin's halvings, open to others) from one data file, the
200-day and 200-week moving averages of daily closes, and the Mayer multiple.

Events live in `events.json` beside this module, each with its date, label, the asset it applies
to and a source line; the file is validated when first read and any defect names the entry.
200-day moving average = simple mean of the last 200 daily closes; 200-week = simple mean of the
last 1,400 daily closes (200 weeks of 7 days; weekly bars would jump once a week). A value exists
only once the full window of closes exists. Days without snapshots are skipped, not filled, so a
gap in the history stretches the window over more calendar days. Mayer multiple = daily close /
200-day moving average on the same day (the latest one reads the latest price, which is today's
close so far).
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from dashboard.analytics.daily import daily_closes, from_range_start

EVENTS_FILE = Path(__file__).with_name("events.json")
MA_200_DAY_CLOSES = 200
MA_200_WEEK_CLOSES = 200 * 7
MAYER_REFERENCE_LEVELS: tuple[float, ...] = (1.0, 2.4)  # below 1: under the 200-day mean

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")
_EVENT_KEYS = frozenset({"date", "label", "asset", "source"})


@dataclass(frozen=True)
class Event:
    date: pd.Timestamp  # UTC midnight of the event's day
    label: str
    asset: str
    source: str


class EventsFileError(ValueError):
    """The events file is not what `load_events` documents; the message names the entry."""


@functools.cache
def load_events(path: Path = EVENTS_FILE) -> tuple[Event, ...]:
    """Every event in the file, by date, validated."""
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise EventsFileError(f"{path}: cannot read the events file: {exc}") from exc
    entries = document.get("events") if isinstance(document, dict) else None
    if not isinstance(entries, list):
        raise EventsFileError(f'{path}: expected an object with an "events" list')
    events = [_event(entry, number, path) for number, entry in enumerate(entries, start=1)]
    return tuple(sorted(events, key=lambda event: (event.date, event.label)))


def events_for(
    asset: str,
    start: pd.Timestamp | None = None,
    end: pd.Timestamp | None = None,
    events: tuple[Event, ...] | None = None,
) -> list[Event]:
    """The events of `asset` whose day overlaps [start, end] (None bound = open)."""
    chosen = load_events() if events is None else events
    first_day = None if start is None else start.floor("D")
    return [
        event
        for event in chosen
        if event.asset == asset
        and (first_day is None or event.date >= first_day)
        and (end is None or event.date <= end)
    ]


def moving_average(
    frame: pd.DataFrame,
    closes: int,
    start: pd.Timestamp | None = None,
    end: pd.Timestamp | None = None,
) -> pd.Series:
    """Simple mean of the last `closes` daily closes, at each day with data from the range's
    first day to `end` (earlier history fills the window); days before a full window have no
    value. MA_200_DAY_CLOSES and MA_200_WEEK_CLOSES give the two the cycle layer draws."""
    history = daily_closes(frame, None, end)
    means = history.rolling(closes).mean().rename(f"ma_{closes}")
    return from_range_start(means, frame, start, end)


def mayer_multiple(
    frame: pd.DataFrame, start: pd.Timestamp | None = None, end: pd.Timestamp | None = None
) -> pd.Series:
    """Daily close / 200-day moving average, at each day with data in the range that has one."""
    history = daily_closes(frame, None, end)
    multiple = history / history.rolling(MA_200_DAY_CLOSES).mean()
    return from_range_start(multiple.rename("mayer_multiple"), frame, start, end)


def latest_mayer_multiple(frame: pd.DataFrame, end: pd.Timestamp | None = None) -> float | None:
    """The Mayer multiple of the latest price up to `end`; None before 200 daily closes."""
    multiple = mayer_multiple(frame, None, end)
    return float(multiple.iloc[-1]) if len(multiple) else None


def _event(entry: Any, number: int, path: Path) -> Event:
    where = f"{path}: event {number}"
    if not isinstance(entry, dict) or set(entry) != _EVENT_KEYS:
        raise EventsFileError(f"{where}: expected exactly the keys {sorted(_EVENT_KEYS)}")
    if not all(isinstance(entry[key], str) and entry[key].strip() for key in _EVENT_KEYS):
        raise EventsFileError(f"{where}: every value must be a non-empty string")
    if not _SLUG.fullmatch(entry["asset"]):
        raise EventsFileError(f"{where}: asset {entry['asset']!r} is not a CoinMarketCap slug")
    try:
        if not _DATE.fullmatch(entry["date"]):
            raise ValueError("not YYYY-MM-DD")
        date = pd.Timestamp(entry["date"], tz="UTC")
    except ValueError as exc:
        raise EventsFileError(f"{where}: date {entry['date']!r}: {exc}") from exc
    return Event(date=date, label=entry["label"], asset=entry["asset"], source=entry["source"])
