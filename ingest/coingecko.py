"""CoinGecko's free market_chart API, the source of `backfill` history.

`GET /api/v3/coins/{id}/market_chart?vs_currency=usd&days=N` gives [ms, value] series of
prices, market caps and 24 h volumes. CoinGecko chooses the spacing: 5-minute points for
1 day, hourly for 2 to 90 days, daily (00:00 UTC) beyond. The CoinGecko coin id is taken to be
the CoinMarketCap slug, which holds for bitcoin and most large coins.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

import requests

from ingest.config import Settings
from ingest.errors import ApiError, ResponseError
from ingest.http import get, json_body, make_session, parse_json
from ingest.labels import label
from ingest.schema import Snapshot, storable
from ingest.trim import QuoteWindow

SERVICE = "CoinGecko"
SERIES = ("prices", "market_caps", "total_volumes")
SUPPLY_PLACES = Decimal("0.00000001")
# Keyless and demo plans get HTTP 401 with this code for more than 365 days of history.
RANGE_LIMIT_CODE = 10012


class CoinGecko:
    def __init__(self, settings: Settings, session: requests.Session | None = None) -> None:
        self.base = settings.coingecko_api_url
        self._api_key = settings.coingecko_api_key
        self.timeout = settings.http_timeout_seconds
        self.session = session or make_session(
            settings.http_timeout_seconds, settings.http_retry_budget_seconds
        )

    def market_chart(self, coin_id: str, days: int) -> dict[str, Any]:
        headers = {"Accept": "application/json"}
        if self._api_key:
            headers["x-cg-demo-api-key"] = self._api_key
        response = get(
            self.session,
            f"{self.base}/api/v3/coins/{coin_id}/market_chart",
            SERVICE,
            params={"vs_currency": "usd", "days": str(days)},
            headers=headers,
            timeout=self.timeout,
            mask=self._mask,
        )
        if response.status_code != 200:
            raise self._error(response.status_code, response.content, coin_id)
        payload = json_body(SERVICE, response.status_code, response.content)
        if not isinstance(payload, dict) or not all(
            isinstance(payload.get(s), list) for s in SERIES
        ):
            raise ResponseError(f"{SERVICE} answer for {coin_id} lacks {', '.join(SERIES)}")
        return payload

    def _error(self, status: int, body: bytes, coin_id: str) -> ApiError:
        code, detail = _error_detail(body)
        if code == RANGE_LIMIT_CODE:
            return ApiError(
                f"{SERVICE} serves only the past 365 days of history without a paid plan "
                f"(HTTP {status}, error {code}): use --days 365 or less",
                status=status,
                error_code=code,
            )
        causes = {
            401: "rejected the API key",
            404: f"does not know the coin id {coin_id!r}",
            429: "rate limit reached",
        }
        cause = causes.get(status, "had a server error" if status >= 500 else "refused the request")
        transient = status == 429 or status >= 500
        where = f"HTTP {status}, error {code}" if code else f"HTTP {status}"
        tail = f": {self._mask(detail)}" if detail else ""
        if transient:
            tail += " (gave up: retries or time budget spent)"
        return ApiError(
            f"{SERVICE} {cause} ({where}){tail}",
            status=status,
            error_code=code,
            transient=transient,
        )

    def _mask(self, text: str) -> str:
        return text.replace(self._api_key, "[REDACTED]") if self._api_key else text


def _error_detail(body: bytes) -> tuple[int | None, str]:
    """(error_code, message) from any of CoinGecko's error bodies: {"error": "text"},
    {"status": {...}} or {"error": {"status": {...}}}; (None, "") for anything else."""
    try:
        payload = parse_json(body)
    except ValueError:
        return None, ""
    if not isinstance(payload, dict):
        return None, ""
    error = payload.get("error")
    if isinstance(error, str):
        return None, error.strip()
    status = (error if isinstance(error, dict) else payload).get("status")
    if not isinstance(status, dict):
        return None, ""
    code = status.get("error_code")
    message = str(status.get("error_message") or "").strip()
    return (code if isinstance(code, int) and not isinstance(code, bool) else None), message


@dataclass(frozen=True)
class Points:
    """What a market_chart answer gave: the usable snapshots, and how many price points were
    rejected (no positive finite price, a malformed entry, a number DynamoDB cannot hold, or a
    time in the future)."""

    snapshots: list[Snapshot]
    rejected: int


def to_snapshots(
    coin_id: str, payload: dict[str, Any], fetched_at: int, window: QuoteWindow
) -> Points:
    """One snapshot per usable price point; supply derived as market cap / price. A point
    dated beyond `window` ahead of `fetched_at` is rejected; old points are the point here."""
    caps = _by_time(payload["market_caps"])
    volumes = _by_time(payload["total_volumes"])
    name, symbol = label(coin_id)
    snapshots = []
    rejected = 0
    for entry in payload["prices"]:
        ms, price = _point(entry) or (None, None)
        if ms is None or price is None or price <= 0 or window.ahead(ms // 1000, fetched_at):
            rejected += 1
            continue
        metrics: dict[str, Decimal | None] = {"price": price}
        cap = caps.get(ms)
        if cap:
            metrics["market_cap"] = cap
            metrics["circulating_supply"] = _supply(cap, price)
        if volumes.get(ms) is not None:
            metrics["volume_24h"] = volumes[ms]
        snapshots.append(
            Snapshot(
                asset=coin_id,
                ts=ms // 1000,
                source="coingecko",
                name=name,
                symbol=symbol,
                fetched_at=fetched_at,
                metrics=metrics,
            )
        )
    return Points(snapshots, rejected)


def _point(entry: Any) -> tuple[int, Decimal | None] | None:
    """(ms, value) of one [ms, value] entry; value None when it is not a number the table can
    hold; None for an entry that is not a pair with a time since 1970."""
    if not isinstance(entry, list) or len(entry) != 2:
        return None
    ms, value = entry
    if isinstance(ms, bool) or not isinstance(ms, (int, Decimal)):
        return None
    if not Decimal(ms).is_finite() or ms < 0:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        return int(ms), None
    number = Decimal(value)
    return int(ms), number if number.is_finite() and storable(number) else None


def _by_time(series: list[Any]) -> dict[int, Decimal | None]:
    return dict(p for p in map(_point, series) if p is not None)


def _supply(cap: Decimal, price: Decimal) -> Decimal | None:
    """Circulating supply = cap / price to 8 places; None when that many digits do not fit."""
    try:
        supply = (cap / price).quantize(SUPPLY_PLACES)
    except InvalidOperation:
        return None
    return supply if storable(supply) else None
