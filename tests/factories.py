"""The one way tests build a `Snapshot` with only the fields a test cares about."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ingest.schema import Snapshot


def snapshot(
    ts: int,
    price: str = "100",
    *,
    asset: str = "bitcoin",
    source: str = "cmc",
    fetched_at: int | None = None,
    **metrics: Any,
) -> Snapshot:
    """A Bitcoin-labelled snapshot at `ts`; extra metrics are given as numbers or None."""
    return Snapshot(
        asset=asset,
        ts=ts,
        source=source,
        name="Bitcoin",
        symbol="BTC",
        fetched_at=ts + 30 if fetched_at is None else fetched_at,
        metrics={
            "price": Decimal(price),
            **{k: None if v is None else Decimal(str(v)) for k, v in metrics.items()},
        },
    )
