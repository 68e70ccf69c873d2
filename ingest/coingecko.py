"""CoinGecko's free market_chart API, the source of `backfill` history.

`GET /api/v3/coins/{id}/market_chart?vs_currency=usd&days=N` gives [ms, value] series of
prices, market caps and 24 h volumes. CoinGecko chooses the spacing: 5-minute points for
1 day, hourly for 2 to 90 days, daily (00:00 UTC) beyond. The CoinGecko coin id is taken to be
the CoinMarketCap slug, which holds for bitcoin and most large coins.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import requests

from ingest.cmc import parse_json
from ingest.config import Settings
from ingest.errors import ApiError, ResponseError
from ingest.http import make_session
from ingest.labels import label
from ingest.schema import Snapshot

SERVICE = "CoinGecko"
SERIES = ("prices", "market_caps", "total_volumes")
SUPPLY_PLACES = Decimal("0.00000001")


class CoinGecko:
    def __init__(self, settings: Settings, session: requests.Session | None = None) -> None:
        self.base = settings.coingecko_api_url
        self._api_key = settings.coingecko_api_key
        self.timeout = settings.http_timeout_seconds
        self.session = session or make_session(
            settings.http_timeout_seconds, settings.http_retry_budget_seconds
        )

    def market_chart(self, coin_id: str, days: int) -> dict[str, Any]:
        url = f"{self.base}/api/v3/coins/{coin_id}/market_chart"
        headers = {"Accept": "application/json"}
        if self._api_key:
            headers["x-cg-demo-api-key"] = self._api_key
        try:
            response = self.session.get(
                url, params={"vs_currency": "usd", "days": str(days)}, headers=headers
            )
        except requests.RequestException as exc:
            raise ApiError(
                f"could not get {coin_id} history from {SERVICE}: {type(exc).__name__}",
                transient=True,
            ) from exc
        body = response.content
        try:
            payload = parse_json(body)
        except ValueError as exc:
            payload, problem = None, str(exc)
        if response.status_code != 200:
            raise self._error(response.status_code, payload, coin_id)
        if payload is None:
            if body.lstrip()[:1] == b"<":
                raise ResponseError(
                    f"{SERVICE} answered HTTP 200 with an HTML page instead of JSON"
                )
            raise ResponseError(f"{SERVICE} answered with malformed JSON: {problem}")
        if not isinstance(payload, dict) or not all(
            isinstance(payload.get(s), list) for s in SERIES
        ):
            raise ResponseError(f"{SERVICE} answer for {coin_id} lacks {', '.join(SERIES)}")
        return payload

    def _error(self, status: int, payload: Any, coin_id: str) -> ApiError:
        detail = ""
        if isinstance(payload, dict):
            raw = payload.get("error") or payload.get("status", {})
            detail = raw.get("error_message", "") if isinstance(raw, dict) else str(raw)
        detail = detail.replace(self._api_key, "[REDACTED]") if self._api_key else detail
        causes = {
            401: "rejected the API key",
            404: f"does not know the coin id {coin_id!r}",
            429: "rate limit reached",
        }
        cause = causes.get(status, "had a server error" if status >= 500 else "refused the request")
        transient = status == 429 or status >= 500
        tail = f": {detail}" if detail else ""
        if transient:
            tail += " (gave up: retries or time budget spent)"
        return ApiError(
            f"{SERVICE} {cause} (HTTP {status}){tail}",
            status=status,
            transient=transient,
        )


def to_snapshots(coin_id: str, payload: dict[str, Any], fetched_at: int) -> list[Snapshot]:
    """One snapshot per price point; supply derived as market cap / price."""
    caps = _by_time(payload["market_caps"])
    volumes = _by_time(payload["total_volumes"])
    name, symbol = label(coin_id)
    snapshots = []
    for ms, price in _points(payload["prices"]):
        if price is None or price <= 0:
            continue
        metrics: dict[str, Decimal | None] = {"price": price}
        cap = caps.get(ms)
        if cap:
            metrics["market_cap"] = cap
            metrics["circulating_supply"] = (cap / price).quantize(SUPPLY_PLACES)
        if volumes.get(ms) is not None:
            metrics["volume_24h"] = volumes[ms]
        snapshots.append(
            Snapshot(
                asset=coin_id,
                ts=int(ms // 1000),
                source="coingecko",
                name=name,
                symbol=symbol,
                fetched_at=fetched_at,
                metrics=metrics,
            )
        )
    return snapshots


def _points(series: list[Any]) -> list[tuple[int, Decimal | None]]:
    points = []
    for entry in series:
        if not isinstance(entry, list) or len(entry) != 2:
            continue
        ms, value = entry
        if isinstance(ms, bool) or not isinstance(ms, (int, Decimal)):
            continue
        number = Decimal(value) if isinstance(value, (int, Decimal)) else None
        points.append((int(ms), number if number is None or number.is_finite() else None))
    return points


def _by_time(series: list[Any]) -> dict[int, Decimal | None]:
    return dict(_points(series))
