"""Time windows: range presets and picked ranges.

Presets are anchored at the newest snapshot, not at the wall clock: when ingest pauses the
charts still open on data (a "24H" view of a store last written yesterday would be empty),
and every worker and browser test computes the same window from the same data.
Windows are closed intervals [start, end] in UTC. The link that carries a view is read and
written by dashboard/urlstate.py.
"""

from __future__ import annotations

import pandas as pd

PRESETS: tuple[str, ...] = ("24H", "7D", "1M", "3M", "1Y", "YTD", "ALL")
MOVING_AVERAGE_DAYS: tuple[int, ...] = (7, 30)
DATE_FORMAT = "%Y-%m-%d"

_OFFSETS: dict[str, pd.DateOffset | pd.Timedelta] = {
    "24H": pd.Timedelta(hours=24),
    "7D": pd.Timedelta(days=7),
    # Calendar months and years, as an analyst counts them (Mar 31 - 1M = Feb 28/29).
    "1M": pd.DateOffset(months=1),
    "3M": pd.DateOffset(months=3),
    "1Y": pd.DateOffset(years=1),
}
_DAY = pd.Timedelta(days=1)


def utc(ts: pd.Timestamp | str) -> pd.Timestamp:
    """`ts` in UTC; a naive time is taken as UTC already."""
    ts = pd.Timestamp(ts)
    return ts.tz_localize("UTC") if ts.tzinfo is None else ts.tz_convert("UTC")


def view_window(view: dict) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The [start, end] a published view (the VIEW store's dict) selects."""
    return pd.Timestamp(view["start"]), pd.Timestamp(view["end"])


def preset_window(
    preset: str, first: pd.Timestamp, last: pd.Timestamp
) -> tuple[pd.Timestamp, pd.Timestamp]:
    """[start, last] for `preset`, start clipped to the first snapshot."""
    first, last = utc(first), utc(last)
    if preset == "ALL":
        start = first
    elif preset == "YTD":
        start = pd.Timestamp(year=last.year, month=1, day=1, tz="UTC")
    elif preset in _OFFSETS:
        start = last - _OFFSETS[preset]
    else:
        raise ValueError(f"unknown range preset {preset!r}; expected one of {PRESETS}")
    return max(start, first), last


def _parse_bound(value: object) -> pd.Timestamp | None:
    if value is None or value is pd.NaT:
        return None
    stamp = pd.Timestamp(value)  # raises on garbage; the caller turns that into a message
    if pd.isna(stamp):
        raise ValueError(f"not a time: {value!r}")
    # Microseconds reach ±290,000 years: a picked day's end (+1 day) and its midnight stay
    # representable where nanoseconds overflow (2262-04-11, 1677-09-21).
    return utc(stamp).as_unit("us")


def clean_range(
    start: object, end: object, first: pd.Timestamp, last: pd.Timestamp
) -> tuple[pd.Timestamp | None, pd.Timestamp | None, str | None]:
    """A window inside the data for a picked range, and a message when it had to change.

    A missing bound means "from the first" / "to the last" snapshot. An end at midnight is a
    picked day and includes that whole day. Reversed bounds are swapped; bounds outside the
    data are clamped to it; unparsable bounds are refused with (None, None, message).
    """
    first, last = utc(first), utc(last)
    try:
        lo, hi = _parse_bound(start), _parse_bound(end)
    except (TypeError, ValueError, OverflowError):
        return None, None, "The date range could not be read; pick dates like 2026-01-31."
    messages: list[str] = []
    if lo is not None and hi is not None and lo > hi:
        lo, hi = hi, lo
        messages.append("The start date was after the end date, so the two were swapped.")
    lo = first if lo is None else lo
    hi = last if hi is None else hi
    if hi == hi.normalize():
        hi = hi + _DAY - pd.Timedelta(microseconds=1)
    span = f"{first.strftime(DATE_FORMAT)} to {last.strftime(DATE_FORMAT)}"
    if hi < first or lo > last:
        messages.append(f"No snapshots in the chosen dates; showing all data ({span}).")
        return first, last, " ".join(messages)
    if lo.normalize() < first.normalize() or hi.normalize() > last.normalize():
        messages.append(f"The data covers {span}; the range was trimmed to it.")
    return max(lo, first), min(hi, last), " ".join(messages) or None
