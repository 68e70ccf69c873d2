"""Settings shared by ingest and the dashboard, read from the environment in this one place.

Local defaults point at nothing secret; with `AWS_ENDPOINT_URL_DYNAMODB` set, boto3 itself
routes DynamoDB calls to the local store, so no code here branches on "local or AWS".
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field


def _assets(raw: str) -> tuple[str, ...]:
    slugs = tuple(s.strip().lower() for s in raw.split(",") if s.strip())
    if not slugs:
        raise ValueError("ASSETS must name at least one CoinMarketCap slug, e.g. 'bitcoin'")
    return slugs


def _positive_float(name: str, default: str, minimum: float = 0.0) -> float:
    raw = os.environ.get(name, default)
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"{name} must be a number, got {raw!r}") from None
    if not value > minimum:  # also refuses NaN
        raise ValueError(f"{name} must be greater than {minimum:g}, got {raw!r}")
    return value


@dataclass(frozen=True)
class Settings:
    table_name: str
    assets: tuple[str, ...]
    slot_hours: float
    cmc_api_url: str
    cmc_api_key: str | None = field(repr=False)
    cmc_api_key_secret_arn: str | None
    coingecko_api_url: str
    coingecko_api_key: str | None = field(repr=False)
    http_timeout_seconds: float
    http_retry_budget_seconds: float
    # A live quote whose last_updated lies further than this from the fetch time is refused.
    quote_max_ahead_minutes: float
    quote_max_age_hours: float

    @property
    def slot_seconds(self) -> int:
        return int(self.slot_hours * 3600)


def load() -> Settings:
    """Read the environment now (not at import) so tests and the Lambda see current values."""
    env = os.environ.get
    return Settings(
        table_name=env("SNAPSHOT_TABLE", "bitcoin-snapshots"),
        assets=_assets(env("ASSETS", "bitcoin")),
        # Slots shorter than a minute would make every quote its own slot (or divide by zero).
        slot_hours=_positive_float("SLOT_HOURS", "6", minimum=1 / 60),
        cmc_api_url=env("CMC_API_URL", "https://pro-api.coinmarketcap.com").rstrip("/"),
        cmc_api_key=env("CMC_API_KEY") or None,
        cmc_api_key_secret_arn=env("CMC_API_KEY_SECRET_ARN") or None,
        coingecko_api_url=env("COINGECKO_API_URL", "https://api.coingecko.com").rstrip("/"),
        coingecko_api_key=env("COINGECKO_API_KEY") or None,
        http_timeout_seconds=_positive_float("HTTP_TIMEOUT_SECONDS", "10"),
        http_retry_budget_seconds=_positive_float("HTTP_RETRY_BUDGET_SECONDS", "60"),
        quote_max_ahead_minutes=_positive_float("QUOTE_MAX_AHEAD_MINUTES", "5"),
        quote_max_age_hours=_positive_float("QUOTE_MAX_AGE_HOURS", "24"),
    )
