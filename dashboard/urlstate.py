"""The URL state of a view: what a page's link asks for, read leniently, written canonically.

Each malformed part of a link falls back to its default and is named in one plain notice, so
any pasted link opens a valid view; `to_query` writes the link `parse_query` reads back
exactly. Windows themselves (presets, picked ranges) are dashboard/timeranges.py's.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode

import pandas as pd

from dashboard.routes import COMPARE, OVERVIEW
from dashboard.timeranges import MOVING_AVERAGE_DAYS, PRESETS, utc

# The compare page draws each asset's line and loads each asset's history: a few suffice.
MAX_COMPARED = 6
_SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_QUOTED_CHARS = 40
_AVERAGE_NAMES = {str(days): days for days in MOVING_AVERAGE_DAYS}


@dataclass(frozen=True)
class ViewState:
    """What a view shows; `start`/`end` are UTC midnights of the picked days (preset None).

    `asset` is the one asset of the overview and analysis pages, `assets` the compare page's
    selection and `ratio` its (numerator, denominator) pair; `cycles` and `candles` switch the
    price chart's cycle layer and daily candles. Each page's link holds only its own keys
    (`to_query`)."""

    asset: str
    preset: str | None
    start: pd.Timestamp | None
    end: pd.Timestamp | None
    log: bool
    ma: tuple[int, ...]
    cycles: bool = False
    candles: bool = False
    assets: tuple[str, ...] = ()
    ratio: tuple[str, str] | None = None


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

    def flag(key: str) -> bool:
        raw = one(key)
        if raw not in (None, "0", "1"):
            problems.append(f"{key} {_quoted(raw)} should be 1 or 0")
        return raw == "1"

    log = flag("log")

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

    cycles, candles = flag("cycles"), flag("candles")
    assets = _assets(one("assets"), problems)
    ratio = _ratio(one("ratio"), problems)
    state = ViewState(
        asset=asset,
        preset=preset,
        start=start,
        end=end,
        log=log,
        ma=ma,
        cycles=cycles,
        candles=candles,
        assets=assets,
        ratio=ratio,
    )
    if not problems:
        return state, None
    return state, "Part of the link could not be used, so defaults apply: " + "; ".join(
        problems
    ) + "."


def _day_text(ts: pd.Timestamp) -> str:
    """2026-01-31; isoformat, as strftime writes year 999 as "999", which no link reads."""
    return utc(ts).date().isoformat()


def _assets(raw: str | None, problems: list[str]) -> tuple[str, ...]:
    """The compare page's `assets=bitcoin,ethereum`: slugs in the order given, once each."""
    if not raw:
        return ()
    parts = [part.strip().lower() for part in raw.split(",") if part.strip()]
    if not all(_SLUG.fullmatch(part) for part in parts):
        problems.append(f"assets {_quoted(raw)} should list asset names separated by commas")
        return ()
    chosen = tuple(dict.fromkeys(parts))
    if len(chosen) > MAX_COMPARED:
        problems.append(f"assets lists {len(chosen)} assets; the first {MAX_COMPARED} are compared")
    return chosen[:MAX_COMPARED]


def _ratio(raw: str | None, problems: list[str]) -> tuple[str, str] | None:
    """The compare page's `ratio=ethereum,bitcoin`: numerator, then denominator."""
    if not raw:
        return None
    parts = [part.strip().lower() for part in raw.split(",")]
    if len(parts) == 2 and all(_SLUG.fullmatch(p) for p in parts) and parts[0] != parts[1]:
        return parts[0], parts[1]
    problems.append(f"ratio {_quoted(raw)} should name two different assets, like ethereum,bitcoin")
    return None


def to_query(state: ViewState, page: str = OVERVIEW) -> str:
    """The query string of `page`'s link that `parse_query` reads back into `state` (starts
    with "?"). The compare page's link holds its assets, range, log scale and ratio; the
    other pages' their asset, range and the price chart's toggles."""
    compare = page == COMPARE
    params: list[tuple[str, str]] = []
    if not compare:
        params.append(("asset", state.asset))
    elif state.assets:
        params.append(("assets", ",".join(state.assets)))
    if state.preset is not None:
        params.append(("range", state.preset))
    else:
        if state.start is not None:
            params.append(("from", _day_text(state.start)))
        if state.end is not None:
            params.append(("to", _day_text(state.end)))
    if state.log:
        params.append(("log", "1"))
    if compare:
        if state.ratio:
            params.append(("ratio", ",".join(state.ratio)))
    else:
        if state.ma:
            params.append(("ma", ",".join(str(d) for d in state.ma)))
        params += [(key, "1") for key in ("cycles", "candles") if getattr(state, key)]
    return "?" + urlencode(params, safe=",")
