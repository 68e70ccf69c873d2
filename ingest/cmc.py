"""CoinMarketCap client: one GET of v2 quotes/latest for every slug, errors told plainly.

CoinMarketCap reports failures twice: the HTTP status and `status.error_code` in the JSON body,
which can be non-zero even on HTTP 200, so both are checked. Codes that no retry can fix
(bad or missing key, plan limits, allowance spent, bad parameter) are final; minute/IP rate
limits and server errors are transient and retried by `ingest.http` within the time budget.

The key travels only in the request header: it is never logged and is masked out of any text
CoinMarketCap sends back before that text reaches an exception.
"""

from __future__ import annotations

from typing import Any

import requests

from ingest.config import Settings
from ingest.errors import ApiError, ResponseError
from ingest.http import get, json_body, make_session

QUOTES_PATH = "/v2/cryptocurrency/quotes/latest"
SERVICE = "CoinMarketCap"

# error_code → (cause, final?). Codes follow CoinMarketCap's API documentation.
ERROR_CODES: dict[int, tuple[str, bool]] = {
    1001: ("rejected the API key", True),
    1002: ("got no API key", True),
    1003: ("requires payment for this key's plan", True),
    1004: ("says this key's plan payment has expired", True),
    1005: ("requires an API key", True),
    1006: ("says this key's plan does not include this endpoint", True),
    1007: ("says this API key is disabled", True),
    1008: ("rate limit per minute reached", False),
    1009: ("daily credit allowance is spent", True),
    1010: ("monthly credit allowance is spent", True),
    1011: ("rate limit for this IP address reached", False),
}
STATUS_CAUSES: dict[int, str] = {
    400: "rejected the request",
    401: "rejected the API key",
    402: "requires payment for this key's plan",
    403: "refused access for this key",
    429: "rate limit reached",
}


class CoinMarketCap:
    def __init__(self, settings: Settings, api_key: str, session: requests.Session | None = None):
        self.url = settings.cmc_api_url + QUOTES_PATH
        self._api_key = api_key
        self.timeout = settings.http_timeout_seconds
        self.session = session or make_session(
            settings.http_timeout_seconds,
            settings.http_retry_budget_seconds,
            explain_429=lambda body: self._error_from(429, body),
        )

    def __repr__(self) -> str:  # never show the key
        return f"CoinMarketCap({self.url!r})"

    def quotes(self, slugs: tuple[str, ...]) -> dict[str, Any]:
        """The parsed quotes/latest response for `slugs` (status.error_code == 0 checked)."""
        response = get(
            self.session,
            self.url,
            SERVICE,
            params={"slug": ",".join(slugs), "convert": "USD"},
            headers={"X-CMC_PRO_API_KEY": self._api_key, "Accept": "application/json"},
            timeout=self.timeout,
            mask=self._mask,
        )
        return self._payload(response.status_code, response.content)

    def _payload(self, status: int, body: bytes) -> dict[str, Any]:
        if status != 200:
            raise self._error_from(status, body)
        payload = self._parse(status, body)
        code = _error_code(payload)
        if code:
            raise self._error_from(status, body)
        if not isinstance(payload.get("data"), dict):
            raise ResponseError(f"{SERVICE} answered without a `data` object")
        return payload

    def _parse(self, status: int, body: bytes) -> dict[str, Any]:
        payload = json_body(SERVICE, status, body)
        if not isinstance(payload, dict) or not isinstance(payload.get("status"), dict):
            raise ResponseError(f"{SERVICE} answered HTTP {status} without a `status` object")
        return payload

    def _error_from(self, status: int, body: bytes) -> ApiError:
        """The ApiError an error response means; its body is read when it is JSON."""
        try:
            payload = self._parse(status, body)
        except ResponseError:
            payload = {}
        code = _error_code(payload)
        message = str((payload.get("status") or {}).get("error_message") or "").strip()
        if code in ERROR_CODES:
            cause, final = ERROR_CODES[code]
        elif status >= 500:
            cause, final = "had a server error", False
        else:
            cause, final = STATUS_CAUSES.get(status, "refused the request"), status != 429
        where = f"HTTP {status}, error {code}" if code else f"HTTP {status}"
        tail = f": {self._mask(message)}" if message else ""
        if not final:
            tail += " (gave up: retries or time budget spent)"
        return ApiError(
            f"{SERVICE} {cause} ({where}){tail}",
            status=status,
            error_code=code,
            transient=not final,
        )

    def _mask(self, text: str) -> str:
        return text.replace(self._api_key, "[REDACTED]") if self._api_key else text


def _error_code(payload: dict[str, Any]) -> int | None:
    code = (payload.get("status") or {}).get("error_code") if payload else None
    try:
        return int(code) if code is not None else None
    except (TypeError, ValueError):
        return None
