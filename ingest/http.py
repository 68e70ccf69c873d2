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
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import MaxRetryError, ResponseError
from urllib3.util.retry import Retry

from ingest.errors import ApiError

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
                reason = error or ResponseError(f"retry budget of {self.budget:g}s spent")
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
