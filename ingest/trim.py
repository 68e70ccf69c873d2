"""Validate a CoinMarketCap v2 quotes response and trim it to one `Snapshot` per asset.

Each requested slug gets its own result, so a run with one malformed asset reports exactly
which one failed while the others are still stored. A coin is rejected whole (nothing of it
is stored) when it lacks a numeric `quote.USD.price` or a `last_updated`, carries a
non-numeric value where a metric belongs or a number DynamoDB cannot hold exactly, or — for
a live quote — when its `last_updated` is impossible next to the fetch time (`QuoteWindow`).
Tags, platform and other bulk are dropped; a null metric such as an uncapped `max_supply`
stays absent from the item. Whatever the payload holds, the answer is a snapshot or a
one-line reason, never an exception.
"""

from __future__ import annotations

import math
import reprlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from ingest.schema import METRIC_FIELDS, Snapshot, storable

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
SECOND = timedelta(seconds=1)
SHOWN_CHARS = 80  # longest echo of a bad value in a reason


class InvalidQuote(ValueError):
    """One asset's entry in the response is unusable."""


@dataclass(frozen=True)
class AssetResult:
    asset: str
    snapshot: Snapshot | None = None
    error: str | None = None


@dataclass(frozen=True)
class QuoteWindow:
    """How far a quote's `last_updated` may lie from the moment it was fetched.

    A quote dated after its own fetch is a clock or upstream fault and would become "the
    newest" snapshot; one much older than the fetch means CoinMarketCap served a frozen quote,
    and storing it would fill the slot with old news. Both are refused.
    """

    max_ahead_minutes: float
    max_age_hours: float = math.inf

    def ahead(self, ts: int, fetched_at: int) -> bool:
        return ts - fetched_at > self.max_ahead_minutes * 60

    def stale(self, ts: int, fetched_at: int) -> bool:
        return fetched_at - ts > self.max_age_hours * 3600

    def check(self, ts: int, fetched_at: int, fetch: str = "the fetch") -> None:
        """Raise InvalidQuote naming both times when `ts` lies outside the window."""
        if self.ahead(ts, fetched_at):
            raise InvalidQuote(
                f"refused a quote from the future: last_updated {iso_utc(ts)} is more than "
                f"{self.max_ahead_minutes:g} minutes after {fetch} at {iso_utc(fetched_at)} "
                "(limit: QUOTE_MAX_AHEAD_MINUTES)"
            )
        if self.stale(ts, fetched_at):
            raise InvalidQuote(
                f"refused a stale quote: last_updated {iso_utc(ts)} is more than "
                f"{self.max_age_hours:g} hours before {fetch} at {iso_utc(fetched_at)} "
                "(limit: QUOTE_MAX_AGE_HOURS)"
            )


def trim(
    payload: Mapping[str, Any],
    slugs: tuple[str, ...],
    fetched_at: int,
    window: QuoteWindow,
    source: str = "cmc",
) -> list[AssetResult]:
    """One result per slug in `slugs`, in order: a snapshot, or the reason there is none."""
    data = payload.get("data") if isinstance(payload, Mapping) else None
    by_slug = {c["slug"]: c for c in coins(data) if isinstance(c.get("slug"), str)}
    results = []
    for slug in slugs:
        coin = by_slug.get(slug)
        if coin is None:
            results.append(AssetResult(slug, error=f"{slug}: not in CoinMarketCap's answer"))
            continue
        try:
            snapshot = to_snapshot(coin, fetched_at, source)
            window.check(snapshot.ts, fetched_at)
        except InvalidQuote as exc:
            results.append(AssetResult(slug, error=f"{slug}: {exc}"))
        else:
            results.append(AssetResult(slug, snapshot=snapshot))
    return results


def coins(data: Any) -> Iterator[Mapping[str, Any]]:
    """Entries of `data`, keyed by id (objects) or, defensively, by symbol (lists); none when
    `data` is not an object."""
    if not isinstance(data, Mapping):
        return
    for value in data.values():
        for coin in value if isinstance(value, list) else [value]:
            if isinstance(coin, Mapping):
                yield coin


def to_snapshot(coin: Mapping[str, Any], fetched_at: int, source: str = "cmc") -> Snapshot:
    quote = coin.get("quote")
    usd = quote.get("USD") if isinstance(quote, Mapping) else None
    if not isinstance(usd, Mapping):
        raise InvalidQuote("no quote.USD in CoinMarketCap's answer")
    if _number(usd.get("price"), "quote.USD.price") is None:
        raise InvalidQuote("quote.USD.price is missing or null")
    updated = usd.get("last_updated") or coin.get("last_updated")
    if not updated:
        raise InvalidQuote("last_updated is missing")
    metrics = {
        name: _number(usd[name] if name in usd else coin.get(name), name)
        for name in METRIC_FIELDS
        if name in usd or name in coin
    }
    slug, name, symbol = coin.get("slug"), coin.get("name"), coin.get("symbol")
    if not slug or not isinstance(slug, str):
        # The slug is the partition key: without it the quote would land under "None".
        raise InvalidQuote("slug is missing")
    if "#" in slug:
        # '#' marks the table's bookkeeping partitions (ingest/schema.py); no slug has one.
        raise InvalidQuote(f"slug {_show(slug)} is not a CoinMarketCap slug")
    if not isinstance(name, str) or not isinstance(symbol, str):
        raise InvalidQuote("name or symbol is missing")
    return Snapshot(
        asset=slug,
        ts=parse_time(updated),
        source=source,
        name=name,
        symbol=symbol,
        fetched_at=fetched_at,
        metrics=metrics,
    )


def parse_time(value: Any) -> int:
    """Epoch seconds (floored) of an ISO 8601 time such as "2024-06-01T12:34:56.000Z"."""
    if not isinstance(value, str):
        raise InvalidQuote(f"last_updated {_show(value)} is not a time")
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidQuote(f"last_updated {_show(value)} is not an ISO 8601 time") from None
    if moment.tzinfo is None:
        raise InvalidQuote(f"last_updated {_show(value)} has no time zone")
    try:
        moment = moment.astimezone(UTC)
    except OverflowError:
        raise InvalidQuote(f"last_updated {_show(value)} is outside the calendar") from None
    return (moment - EPOCH) // SECOND


def iso_utc(ts: int) -> str:
    """`ts` as an ISO 8601 UTC time to the second, e.g. "2026-11-29T06:00:00Z"."""
    return (EPOCH + ts * SECOND).strftime("%Y-%m-%dT%H:%M:%SZ")


def _number(value: Any, field: str) -> Decimal | None:
    """`value` as the exact Decimal CoinMarketCap sent (a float's shortest repr, an int's own
    digits), or InvalidQuote saying why it is not a number the table can hold."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, Decimal, float)):
        raise InvalidQuote(f"{field} is not a number: {_show(value)}")
    try:
        number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    except InvalidOperation:
        raise InvalidQuote(f"{field} is not a number: {_show(value)}") from None
    if not number.is_finite():
        raise InvalidQuote(f"{field} is not a finite number: {_show(value)}")
    if not storable(number):
        raise InvalidQuote(
            f"{field} {_show(value)} has more digits or a larger magnitude than DynamoDB "
            "stores exactly (38 significant digits, 1E-130 to 9.99E+125)"
        )
    return number


def _show(value: Any) -> str:
    """A short repr for an error line: a payload may put a megabyte where a number belongs."""
    try:
        shown = reprlib.repr(value)
    except ValueError:  # an int beyond Python's 4,300-digit str() limit
        return f"<a {value.bit_length()}-bit integer>" if isinstance(value, int) else "<value>"
    return shown if len(shown) <= SHOWN_CHARS else shown[: SHOWN_CHARS - 3] + "..."
