"""One HTTP session recipe for the CoinMarketCap and CoinGecko clients: timeouts and bounded
retries from urllib3's `Retry`, not a hand-written loop.

* Every request gets a connect and a read timeout (HTTP_TIMEOUT_SECONDS).
* GETs answered 429/500/502/503/504, or failing to connect/read, are retried with exponential
  backoff, honouring `Retry-After`.
* Retrying stops once HTTP_RETRY_BUDGET_SECONDS would be exceeded: a retry is only started if
  its wait plus one more timeout fits in the budget, which starts at the first failure. So a
  run's HTTP phase takes at most one timeout + the budget; the Lambda timeout must exceed that.
* A 429 is not always worth retrying: CoinMarketCap's 1009/1010 mean the daily/monthly
  allowance is spent. `Retry` only sees status codes, so a client may pass `explain_429`,
  which reads a 429's body and returns the error it means; a non-transient one is raised at
  once (no retry) and a transient one is raised when retrying stops. Without `explain_429`
  (CoinGecko) the last response is handed back as usual.

`get` and `json_body` turn what can go wrong on the wire (timeouts, refused connections, an
HTML error page, broken JSON) into the same plain errors for both clients.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import (
    ConnectTimeoutError,
    MaxRetryError,
    NewConnectionError,
    ReadTimeoutError,
)
from urllib3.exceptions import ResponseError as RetryGaveUp
from urllib3.util.retry import Retry

from ingest.errors import ApiError, ResponseError

RETRY_STATUSES = (429, 500, 502, 503, 504)
MAX_RETRIES = 4
Explain429 = Callable[[bytes], ApiError]


class BudgetRetry(Retry):
    """`Retry` bounded by a time budget, able to refuse retrying a 429 after reading its body."""

    def __init__(
        self,
        *args: Any,
        budget: float = 60.0,
        attempt_seconds: float = 10.0,
        deadline: float | None = None,
        explain_429: Explain429 | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.budget = budget
        self.attempt_seconds = attempt_seconds
        self.deadline = deadline
        self.explain_429 = explain_429

    def new(self, **kw: Any) -> BudgetRetry:
        for name in ("budget", "attempt_seconds", "deadline", "explain_429"):
            kw.setdefault(name, getattr(self, name))
        return super().new(**kw)

    def increment(  # type: ignore[override]
        self,
        method: str | None = None,
        url: str | None = None,
        response: Any = None,
        error: Exception | None = None,
        _pool: Any = None,
        _stacktrace: Any = None,
    ) -> BudgetRetry:
        rate_limited: ApiError | None = None
        if response is not None and response.status == 429 and self.explain_429 is not None:
            rate_limited = self.explain_429(response.data or b"")
            if not rate_limited.transient:
                raise rate_limited
        try:
            new = super().increment(method, url, response, error, _pool, _stacktrace)
            new.deadline = self.deadline or time.monotonic() + self.budget
            wait = (response is not None and new.get_retry_after(response)) or 0.0
            wait = max(wait, new.get_backoff_time())
            if time.monotonic() + wait + self.attempt_seconds > new.deadline:
                reason = error or RetryGaveUp(f"retry budget of {self.budget:g}s spent")
                raise MaxRetryError(_pool, url or "", reason) from error
        except MaxRetryError:
            if rate_limited is not None:
                raise rate_limited from None
            raise
        return new


def make_retry(timeout: float, budget: float, explain_429: Explain429 | None = None) -> BudgetRetry:
    # Backoff grows 0, 2f, 4f, 8f… and scales with the budget so short test budgets stay fast.
    factor = min(1.0, budget / 40)
    return BudgetRetry(
        total=MAX_RETRIES,
        allowed_methods=frozenset({"GET"}),
        status_forcelist=RETRY_STATUSES,
        backoff_factor=factor,
        backoff_max=budget / 4,
        respect_retry_after_header=True,
        retry_after_max=int(budget),
        raise_on_status=False,  # the client classifies the final response itself
        budget=budget,
        attempt_seconds=timeout,
        explain_429=explain_429,
    )


class TimeoutSession(requests.Session):
    """A Session whose every request carries (connect, read) timeouts unless given others."""

    def __init__(self, timeout: float) -> None:
        super().__init__()
        self.timeout = timeout

    def request(self, *args: Any, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        kwargs.setdefault("timeout", (self.timeout, self.timeout))
        return super().request(*args, **kwargs)


def make_session(
    timeout: float, budget: float, explain_429: Explain429 | None = None
) -> requests.Session:
    session = TimeoutSession(timeout)
    adapter = HTTPAdapter(max_retries=make_retry(timeout, budget, explain_429))
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return session


def get(
    session: requests.Session,
    url: str,
    service: str,
    *,
    params: Mapping[str, str],
    headers: Mapping[str, str],
    timeout: float,
    mask: Callable[[str], str] = str,
) -> requests.Response:
    """`session.get` with every transport failure raised as an ApiError naming `service`.

    `mask` scrubs secrets from text that may echo the request. A body that stops arriving
    surfaces from requests as a ConnectionError wrapping urllib3's ReadTimeoutError, so it is
    told as a timeout too.
    """
    try:
        return session.get(url, params=params, headers=headers)
    except requests.Timeout as exc:
        raise _timed_out(service, timeout) from exc
    except requests.ConnectionError as exc:
        cause = exc.args[0] if exc.args else None
        reason = getattr(cause, "reason", cause)  # MaxRetryError wraps; a body read doesn't
        timed_out = isinstance(reason, (ReadTimeoutError, ConnectTimeoutError))
        if timed_out and not isinstance(reason, NewConnectionError):  # a subclass, sadly
            raise _timed_out(service, timeout) from exc
        raise ApiError(
            f"could not reach {service} at {url}: {mask(str(reason or exc))}", transient=True
        ) from exc
    except requests.RequestException as exc:  # e.g. a base URL without http(s)://
        raise ApiError(f"could not ask {service} at {url}: {mask(str(exc))}") from exc


def _timed_out(service: str, timeout: float) -> ApiError:
    return ApiError(
        f"{service} did not answer within {timeout:g}s (timed out, retries included)",
        transient=True,
    )


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number")


def parse_json(body: bytes) -> Any:
    """JSON with every non-integer number as Decimal (DynamoDB rejects floats, and money must
    not pick up binary rounding); NaN and Infinity are refused."""
    return json.loads(body, parse_float=Decimal, parse_constant=_reject_constant)


def json_body(service: str, status: int, body: bytes) -> Any:
    """The parsed body, or a ResponseError saying what came instead of JSON."""
    if body.lstrip()[:1] == b"<":
        raise ResponseError(
            f"{service} answered HTTP {status} with an HTML page instead of JSON "
            "(an outage or a proxy error page)"
        )
    try:
        return parse_json(body)
    except ValueError as exc:
        raise ResponseError(
            f"{service} answered HTTP {status} with malformed JSON: {exc}"
        ) from None
