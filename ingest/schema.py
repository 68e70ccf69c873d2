"""The snapshot table's shape, defined once for ingest, the dashboard, tests and infra checks.

One item per asset per quote: partition key `asset` (CoinMarketCap slug), sort key `ts`
(epoch seconds of the quote's `last_updated`). Readers Query on the key and never Scan.
Numbers are Decimal end to end because DynamoDB rejects floats and money must not drift.

Two kinds of bookkeeping item share the table under partition keys no slug can take
(slugs never contain '#'): the per-slot claims that make a scheduled run idempotent, and
the index of stored assets that lets the dashboard list assets without a Scan.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, DecimalException
from typing import Any

from boto3.dynamodb.types import DYNAMODB_CONTEXT

PARTITION_KEY = "asset"
SORT_KEY = "ts"

# Everything the product shows, in the order the CSV export writes it.
METRIC_FIELDS: tuple[str, ...] = (
    "price",
    "volume_24h",
    "volume_change_24h",
    "market_cap",
    "market_cap_dominance",
    "fully_diluted_market_cap",
    "percent_change_1h",
    "percent_change_24h",
    "percent_change_7d",
    "percent_change_30d",
    "percent_change_60d",
    "percent_change_90d",
    "circulating_supply",
    "total_supply",
    "max_supply",
    "cmc_rank",
    "num_market_pairs",
)
LABEL_FIELDS: tuple[str, ...] = ("name", "symbol", "source")
FETCHED_AT = "fetched_at"

SOURCES: tuple[str, ...] = ("cmc", "coingecko", "demo")

# DynamoDB TTL attribute; only bookkeeping items carry it, snapshots live forever.
TTL_ATTRIBUTE = "expires_at"

# The item listing every asset that has snapshots:
# {asset: ASSET_INDEX_PARTITION, ts: 0, assets: {slug, …}}.
ASSET_INDEX_PARTITION = "#assets"
ASSET_INDEX_ATTRIBUTE = "assets"
ASSET_INDEX_KEY: dict[str, Any] = {PARTITION_KEY: ASSET_INDEX_PARTITION, SORT_KEY: 0}


def slot_partition(asset: str) -> str:
    """Partition of the per-slot claims for `asset`; never read by the dashboard's Query."""
    return f"{asset}#slot"


def table_definition(table_name: str) -> dict[str, Any]:
    """Keyword arguments for `create_table`; infra/data.yaml must declare the same keys."""
    return {
        "TableName": table_name,
        "KeySchema": [
            {"AttributeName": PARTITION_KEY, "KeyType": "HASH"},
            {"AttributeName": SORT_KEY, "KeyType": "RANGE"},
        ],
        "AttributeDefinitions": [
            {"AttributeName": PARTITION_KEY, "AttributeType": "S"},
            {"AttributeName": SORT_KEY, "AttributeType": "N"},
        ],
        "BillingMode": "PAY_PER_REQUEST",
    }


def storable(number: Decimal) -> bool:
    """True when DynamoDB holds `number` exactly: at most 38 significant digits, zero or a
    magnitude from 1E-130 to under 1E+126. For more digits boto3 raises a bare decimal
    exception (not a ClientError) that would end a whole run, so writers check first and
    refuse the value with a reason instead."""
    try:
        DYNAMODB_CONTEXT.create_decimal(number)
    except DecimalException:
        return False
    return number.is_zero() or -130 <= number.adjusted() <= 125


class MalformedItem(ValueError):
    """A stored item that does not have the shape above."""


@dataclass(frozen=True)
class Snapshot:
    """One trimmed quote of one asset, as stored."""

    asset: str
    ts: int
    source: str
    name: str
    symbol: str
    fetched_at: int
    metrics: Mapping[str, Decimal | None] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.source not in SOURCES:
            raise ValueError(f"unknown source {self.source!r}; expected one of {SOURCES}")
        unknown = set(self.metrics) - set(METRIC_FIELDS)
        if unknown:
            raise ValueError(f"unknown metric fields {sorted(unknown)}")
        for name, value in self.metrics.items():
            if value is not None and not isinstance(value, Decimal):
                raise TypeError(f"{name} must be Decimal or None, got {type(value).__name__}")
        if self.metrics.get("price") is None:
            raise ValueError("a snapshot needs a price")

    @property
    def price(self) -> Decimal:
        return self.metrics["price"]  # type: ignore[return-value]

    def to_item(self) -> dict[str, Any]:
        """The DynamoDB item; null metrics (e.g. an uncapped max_supply) are left out."""
        item: dict[str, Any] = {
            PARTITION_KEY: self.asset,
            SORT_KEY: self.ts,
            "source": self.source,
            "name": self.name,
            "symbol": self.symbol,
            FETCHED_AT: self.fetched_at,
        }
        item.update({k: v for k, v in self.metrics.items() if v is not None})
        return item

    @classmethod
    def from_item(cls, item: Mapping[str, Any]) -> Snapshot:
        try:
            return cls(
                asset=str(item[PARTITION_KEY]),
                ts=int(item[SORT_KEY]),
                source=str(item["source"]),
                name=str(item["name"]),
                symbol=str(item["symbol"]),
                fetched_at=int(item[FETCHED_AT]),
                metrics={k: _decimal(item.get(k)) for k in METRIC_FIELDS if k in item},
            )
        except (KeyError, TypeError, ValueError, ArithmeticError) as exc:
            raise MalformedItem(f"malformed snapshot item {dict(item)!r}: {exc}") from exc


def _decimal(value: Any) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (Decimal, int, str)):
        raise TypeError(f"not a number: {value!r}")
    result = Decimal(value)
    if not result.is_finite():
        raise ValueError(f"not a finite number: {value!r}")
    return result
