"""Why a run failed, as exceptions whose message is the one line a user is shown.

Every message names the cause in plain words and never contains the API key: callers print
`str(exc)` as-is (CLI: `error: <message>`; Lambda: the raised exception).
"""

from __future__ import annotations


class IngestError(Exception):
    """Base of every failure the ingest code reports on purpose."""


class ConfigError(IngestError):
    """A setting or secret is missing or unusable."""


class ApiError(IngestError):
    """An upstream API refused or failed the request.

    `transient` says whether trying again later may help (rate limit, 5xx, timeout) or not
    (bad key, plan limits, unknown slug, allowance spent).
    """

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        error_code: int | None = None,
        transient: bool = False,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.error_code = error_code
        self.transient = transient


class ResponseError(IngestError):
    """The API answered, but not with what its documentation promises (HTML, bad JSON, fields
    missing)."""


class StoreError(IngestError):
    """DynamoDB refused or failed a read or write even after botocore's retries."""
