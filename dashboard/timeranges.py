"""Time windows and the URL state of a view.

Presets are anchored at the newest snapshot, not at the wall clock: when ingest pauses the
charts still open on data (a "24H" view of a store last written yesterday would be empty),
and every worker and browser test computes the same window from the same data.
Windows are closed intervals [start, end] in UTC.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode

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
_SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DAY = pd.Timedelta(days=1)
_QUOTED_CHARS = 40
_AVERAGE_NAMES = {str(days): days for days in MOVING_AVERAGE_DAYS}


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


@dataclass(frozen=True)
class ViewState:
    """What a view shows; `start`/`end` are UTC midnights of the picked days (preset None)."""

    asset: str
    preset: str | None
    start: pd.Timestamp | None
    end: pd.Timestamp | None
    log: bool
    ma: tuple[int, ...]


def _date(raw: str) -> pd.Timestamp | None:
    """UTC midnight of a YYYY-MM-DD day of years 1-9999. pandas alone would also take year 0,
    which no date (and so no link) can be written for."""
    if not _DATE.fullmatch(raw):
        return None
    try:
        return pd.Timestamp(dt.date.fromisoformat(raw)).tz_localize("UTC")
    except ValueError:
        return None


def _quoted(raw: str) -> str:
    """`raw` as a notice quotes it: cut short, so a pasted wall of text stays a sentence."""
    return repr(raw if len(raw) <= _QUOTED_CHARS else raw[:_QUOTED_CHARS] + "…")


def parse_query(search: str, default_asset: str) -> tuple[ViewState, str | None]:
    """The view a query string asks for; each malformed part falls back to its default and
    is named in the notice (None when everything was understood). Unknown keys are ignored,
    so links carrying tracking parameters still open."""
    query = parse_qs((search or "").removeprefix("?"), keep_blank_values=True)
    problems: list[str] = []

    def one(key: str) -> str | None:
        values = query.get(key)
        if not values:
            return None
        if len(values) > 1:
            problems.append(f"{key} was given {len(values)} times")
            return None
        return values[0].strip()

    asset = one("asset")
    if asset is not None and not _SLUG.fullmatch(asset.lower()):
        problems.append(f"asset {_quoted(asset)} is not an asset name")
        asset = None
    asset = asset.lower() if asset else default_asset

    preset = one("range")
    if preset is not None and preset.upper() not in PRESETS:
        problems.append(f"range {_quoted(preset)} is not one of {', '.join(PRESETS)}")
        preset = None
    preset = preset.upper() if preset else None

    dates: dict[str, pd.Timestamp | None] = {}
    for key in ("from", "to"):
        raw = one(key)
        dates[key] = None if raw is None else _date(raw)
        if raw is not None and dates[key] is None:
            problems.append(f"{key} {_quoted(raw)} is not a date like 2026-01-31")
    start, end = dates["from"], dates["to"]
    if start is not None or end is not None:
        preset = None  # a picked range is more specific than a preset

    log_raw = one("log")
    if log_raw not in (None, "0", "1"):
        problems.append(f"log {_quoted(log_raw)} should be 1 or 0")
    log = log_raw == "1"

    ma: tuple[int, ...] = ()
    ma_raw = one("ma")
    if ma_raw:
        # Compared as text: int() raises on "²" (a digit to isdigit) and on 5,000 digits.
        parts = [p.strip().lstrip("0") for p in ma_raw.split(",") if p.strip()]
        if all(p in _AVERAGE_NAMES for p in parts):
            ma = tuple(sorted({_AVERAGE_NAMES[p] for p in parts}))
        else:
            days = ", ".join(str(d) for d in MOVING_AVERAGE_DAYS)
            problems.append(f"ma {_quoted(ma_raw)} should list moving-average days among {days}")

    state = ViewState(asset=asset, preset=preset, start=start, end=end, log=log, ma=ma)
    if not problems:
        return state, None
    return state, "Part of the link could not be used, so defaults apply: " + "; ".join(
        problems
    ) + "."


def _day_text(ts: pd.Timestamp) -> str:
    """2026-01-31; isoformat, as strftime writes year 999 as "999", which no link reads."""
    return utc(ts).date().isoformat()


def to_query(state: ViewState) -> str:
    """The query string that `parse_query` reads back into `state` (starts with "?")."""
    params: list[tuple[str, str]] = [("asset", state.asset)]
    if state.preset is not None:
        params.append(("range", state.preset))
    else:
        if state.start is not None:
            params.append(("from", _day_text(state.start)))
        if state.end is not None:
            params.append(("to", _day_text(state.end)))
    if state.log:
        params.append(("log", "1"))
    if state.ma:
        params.append(("ma", ",".join(str(d) for d in state.ma)))
    return "?" + urlencode(params, safe=",")


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
