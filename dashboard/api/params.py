"""The data API's query parameters: read, checked and put back into links.

Every parameter is checked before the store is asked anything, and each problem is one sentence
naming the parameter and what it allows (`BadParameter`, answered with 400); a parameter a path
does not take is refused too, on every path, never ignored. Values are taken as given,
untrimmed, as the OpenAPI document describes them: `asset` (as the page's links take it),
`format` and `interval` in any case, field names exactly. `from` and `to` take a date
(`2026-01-31`: whole UTC days, `to` including its whole day, as the page's links mean) or an
RFC 3339 time (`2026-01-31T12:00:00Z`: that instant, inclusive; an offset is converted to UTC).
Snapshot times are whole seconds, so a fraction only rounds the bound inwards. The parsed query
writes itself back as a link (`path`), which is how `next` and the page's "Download CSV" link
are made.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

from dashboard.analytics.daily import DAILY_COLUMNS
from ingest.schema import FETCHED_AT, LABEL_FIELDS, METRIC_FIELDS, SORT_KEY

BASE = "/api/v1"
SNAPSHOTS_PATH = f"{BASE}/snapshots"
PARAMETERS = ("asset", "from", "to", "fields", "format", "limit", "interval")
FORMATS = ("json", "csv")
INTERVALS = ("1d",)
# Every row has it, so `fields` may name it and it changes nothing.
TIME = "time"
# What `fields` may name besides `time`, in the order responses give them.
SNAPSHOT_FIELDS: tuple[str, ...] = (SORT_KEY, *METRIC_FIELDS, *LABEL_FIELDS, FETCHED_AT)
DAILY_FIELDS: tuple[str, ...] = (SORT_KEY, *DAILY_COLUMNS)
DAY_SECONDS = 86_400
# Long enough for any real value; a hostile one is cut short in the message.
SHOWN = 40

# ASCII digits only: \d alone would take other scripts' digits, which no link should carry.
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})", re.ASCII)
_TIME = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?([Zz]|[+-]\d{2}:\d{2})",
    re.ASCII,
)
_LIMIT = re.compile(r"\d{1,9}", re.ASCII)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# The instants a link can write: 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z.
_FIRST_SECOND = -62_135_596_800
_LAST_SECOND = 253_402_300_799
_BOUND_HELP = "a date like 2026-01-31 or a UTC time like 2026-01-31T12:00:00Z"


class BadParameter(ValueError):
    """A parameter the API cannot use (400); the message is the whole answer."""


def refuse_unknown(args: Collection[str], allowed: Sequence[str], path: str) -> None:
    """BadParameter for the first parameter `path` does not take: a misspelt parameter is
    refused, never silently ignored."""
    for name in args:
        if name not in allowed:
            use = f"use {', '.join(allowed)}" if allowed else f"{path} takes none"
            raise BadParameter(f"{shown(name)} is not a parameter here; {use}.")


def unknown_asset(asset: str, known: Collection[str]) -> str:
    """The 404 message for an asset the dashboard does not know."""
    return f"asset {shown(asset)} is unknown; known assets: {', '.join(known) or 'none yet'}."


@dataclass(frozen=True)
class Bound:
    """A parsed `from`/`to`: epoch seconds (inclusive) and the text that links carry."""

    seconds: int
    text: str


@dataclass(frozen=True)
class SnapshotQuery:
    asset: str
    start: Bound | None
    end: Bound | None
    fields: tuple[str, ...]  # in response order; all of them unless narrowed
    narrowed: bool  # `fields` was given
    format: str
    limit: int | None  # None: the default (the maximum)
    interval: str | None

    def path(self) -> str:
        """This query as a link, parameters in a fixed order (also the ETag's input)."""
        params: list[tuple[str, str]] = [("asset", self.asset)]
        if self.start is not None:
            params.append(("from", self.start.text))
        if self.end is not None:
            params.append(("to", self.end.text))
        if self.narrowed:
            params.append(("fields", ",".join(self.fields) or TIME))
        if self.format != "json":
            params.append(("format", self.format))
        if self.limit is not None:
            params.append(("limit", str(self.limit)))
        if self.interval is not None:
            params.append(("interval", self.interval))
        return f"{SNAPSHOTS_PATH}?{urlencode(params, safe=',:')}"

    def starting_at(self, seconds: int) -> SnapshotQuery:
        """The same query from `seconds` on (the next page)."""
        return replace(self, start=Bound(seconds, bound_text(seconds, "from")))


def shown(value: str) -> str:
    return repr(value if len(value) <= SHOWN else value[:SHOWN] + "…")


def time_text(seconds: int) -> str:
    """2026-01-31T12:00:00Z (isoformat: strftime drops a small year's leading zeros)."""
    return (_EPOCH + timedelta(seconds=seconds)).isoformat().replace("+00:00", "Z")


def bound_text(seconds: int, name: str) -> str:
    """How a link writes a bound: the date when it is a whole day's first (`from`) or last
    (`to`) second, otherwise the UTC time."""
    offset = 0 if name == "from" else DAY_SECONDS - 1
    if seconds % DAY_SECONDS == offset:
        return (_EPOCH + timedelta(seconds=seconds - offset)).date().isoformat()
    return time_text(seconds)


def _seconds(moment: datetime) -> int:
    return (moment - _EPOCH) // timedelta(seconds=1)


def parse_bound(name: str, raw: str) -> Bound:
    """`from` (first second in) or `to` (last second in) from a date or an RFC 3339 time."""
    problem = f"{name} {shown(raw)} is not {_BOUND_HELP}"
    day = _DATE.fullmatch(raw)
    if day:
        try:
            midnight = datetime(*map(int, day.groups()), tzinfo=UTC)
        except ValueError:
            raise BadParameter(problem + " (no such day).") from None
        first = _seconds(midnight)
        seconds = first if name == "from" else first + DAY_SECONDS - 1
        return Bound(seconds, bound_text(seconds, name))
    moment = _TIME.fullmatch(raw)
    if not moment:
        hint = ""
        if " " in raw:
            hint = " (write + in an offset as %2B, or use Z)"
        elif _TIME.fullmatch(raw + "Z"):
            hint = " (end it with Z for UTC)"
        raise BadParameter(f"{problem}{hint}.")
    year, month, dom, hour, minute, second, fraction, offset = moment.groups()
    inside = bool(fraction and int(fraction))  # past the whole second
    if second == "60":  # a leap second: after :59, before the next minute
        second, inside = "59", True
    try:
        local = datetime(*map(int, (year, month, dom, hour, minute, second)), tzinfo=UTC)
        shift = timedelta()
        if offset not in "Zz":
            hours, minutes = int(offset[1:3]), int(offset[4:6])
            if hours > 23 or minutes > 59:
                raise ValueError(offset)
            shift = timedelta(hours=hours, minutes=minutes) * (1 if offset[0] == "+" else -1)
    except ValueError:
        raise BadParameter(problem + " (no such time).") from None
    seconds = _seconds(local) - int(shift.total_seconds())
    if inside and name == "from":
        seconds += 1  # snapshots are whole seconds: the first one in is the next whole second
    if not _FIRST_SECOND <= seconds <= _LAST_SECOND:
        raise BadParameter(problem + " (beyond the years 1 to 9999 in UTC).")
    return Bound(seconds, bound_text(seconds, name))


def _fields(raw: str, allowed: Sequence[str], interval: str | None) -> tuple[str, ...]:
    """The fields named, in response order, once each; `time`, in every row anyway, is
    accepted and left out (`fields=time` asks for the times alone)."""
    names = raw.split(",")
    kind = "daily rows (interval=1d)" if interval else "snapshots"
    listing = ", ".join((TIME, *allowed))
    if not any(names) or not all(names):
        raise BadParameter(f"fields must list one or more of {listing}, comma-separated.")
    for name in names:
        if name != TIME and name not in allowed:
            raise BadParameter(f"fields: {shown(name)} is not a field of {kind}; use {listing}.")
    return tuple(name for name in allowed if name in names)


def parse_snapshots(args: Mapping[str, Sequence[str]], max_rows: int) -> SnapshotQuery:
    """The query `args` (each parameter's list of values) asks for; raises BadParameter for
    the first malformed parameter. Whether the asset is known is the caller's question."""
    refuse_unknown(args, PARAMETERS, SNAPSHOTS_PATH)
    values: dict[str, str] = {}
    for name, given in args.items():
        if len(given) > 1:
            raise BadParameter(f"{name} was given {len(given)} times; give it once.")
        values[name] = given[0]  # as given: the document allows no padding
    # Slugs are lowercase; any case finds one, as in the page's links (dashboard/urlstate.py).
    asset = values.get("asset", "").lower()
    if not asset:
        raise BadParameter("asset is required, e.g. asset=bitcoin (GET /api/v1/assets lists them).")

    interval = values.get("interval")
    if interval is not None:
        interval = interval.lower()
        if interval not in INTERVALS:
            raise BadParameter(
                f"interval {shown(values['interval'])} is not allowed; use 1d (one row per "
                "UTC day) or leave it out (every snapshot)."
            )
    start = parse_bound("from", values["from"]) if "from" in values else None
    end = parse_bound("to", values["to"]) if "to" in values else None
    if start is not None and end is not None and start.seconds > end.seconds:
        raise BadParameter(f"from {start.text} is after to {end.text}; give from <= to.")

    allowed = DAILY_FIELDS if interval else SNAPSHOT_FIELDS
    narrowed = "fields" in values
    fields = _fields(values["fields"], allowed, interval) if narrowed else allowed

    fmt = values.get("format", "json").lower()
    if fmt not in FORMATS:
        raise BadParameter(f"format {shown(values['format'])} is not allowed; use json or csv.")

    limit = None
    if "limit" in values:
        raw = values["limit"]
        limit = int(raw) if _LIMIT.fullmatch(raw) else 0
        if not 1 <= limit <= max_rows:
            raise BadParameter(
                f"limit {shown(raw)} is not allowed; use a whole number from 1 to {max_rows}."
            )
    return SnapshotQuery(asset, start, end, fields, narrowed, fmt, limit, interval)


def download_path(asset: str, start: datetime, end: datetime) -> str:
    """The CSV link of the page's window [start, end]: whole days as dates, any other bound as
    the whole second it comes to (snapshots are whole seconds, so the rows are the same)."""

    def bound(name: str, moment: datetime) -> Bound:
        seconds = _seconds(moment.astimezone(UTC))
        if name == "from" and moment.microsecond:
            seconds += 1
        return Bound(seconds, bound_text(seconds, name))

    query = SnapshotQuery(
        asset, bound("from", start), bound("to", end), SNAPSHOT_FIELDS, False, "csv", None, None
    )
    return query.path()
