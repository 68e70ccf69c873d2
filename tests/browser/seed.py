"""Known snapshots for the browser tests: a smooth, predictable history ending "now"."""

from __future__ import annotations

import math
from decimal import Decimal

import pandas as pd

from ingest.schema import Snapshot

SLOT = pd.Timedelta(hours=6)
MAX_SUPPLY = Decimal(21_000_000)
DAYS = 120  # of history the standard fixture seeds

# The newest snapshot's values, which the headline cards must show exactly.
NEWEST = {
    "price": Decimal("68891.88"),
    "percent_change_24h": Decimal("2.3149"),
    "market_cap": Decimal("1363456789012.5"),
    "market_cap_dominance": Decimal("54.3210"),
    "volume_24h": Decimal("45234567890.12"),
    "volume_change_24h": Decimal("-1.2"),
    "circulating_supply": Decimal("19700000"),
    "max_supply": MAX_SUPPLY,
    "cmc_rank": Decimal(1),
}


def newest_time() -> pd.Timestamp:
    """The latest 6-hour slot boundary, so the data is always fresh when a test runs."""
    return pd.Timestamp.now(tz="UTC").floor("6h")


def history(days: int, asset: str = "bitcoin", source: str = "cmc") -> list[Snapshot]:
    """One snapshot per 6-hour slot for `days` days; the last one carries NEWEST."""
    last = newest_time()
    count = days * 4
    snapshots = []
    for i in range(count):
        ts = last - SLOT * (count - 1 - i)
        price = 50_000 + 10_000 * math.sin(i / 40) + 20 * i
        metrics = {
            "price": Decimal(f"{price:.2f}"),
            "percent_change_24h": Decimal("0.5"),
            "market_cap": Decimal(f"{price * 19_600_000:.2f}"),
            "market_cap_dominance": Decimal("52.1"),
            "volume_24h": Decimal(f"{30e9 + 1e8 * (i % 17):.2f}"),
            "volume_change_24h": Decimal("1.0"),
            "circulating_supply": Decimal(19_600_000 + i * 50),
            "max_supply": MAX_SUPPLY,
            "cmc_rank": Decimal(1),
        }
        if i == count - 1:
            metrics = dict(NEWEST)
        snapshots.append(
            Snapshot(
                asset=asset,
                ts=int(ts.timestamp()),
                source=source,
                name="Bitcoin",
                symbol="BTC",
                fetched_at=int(ts.timestamp()) + 30,
                metrics=metrics,
            )
        )
    return snapshots


def write(table, snapshots: list[Snapshot]) -> None:
    with table.batch_writer() as batch:
        for snapshot in snapshots:
            batch.put_item(Item=snapshot.to_item())
