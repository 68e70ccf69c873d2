"""Snapshots and writes shared by the dashboard data-layer tests."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ingest.schema import Snapshot

T0 = 1_767_225_600  # 2026-01-01 00:00 UTC
SLOT = 6 * 3600


def snapshot(ts: int, price: str = "100", asset: str = "bitcoin", **metrics: Any) -> Snapshot:
    return Snapshot(
        asset=asset,
        ts=ts,
        source="cmc",
        name="Bitcoin",
        symbol="BTC",
        fetched_at=ts + 30,
        metrics={"price": Decimal(price), **{k: Decimal(str(v)) for k, v in metrics.items()}},
    )


def write(table: Any, items: list[dict[str, Any]]) -> None:
    with table.batch_writer() as batch:
        for item in items:
            batch.put_item(Item=item)
