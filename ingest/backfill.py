"""`backfill --days N`: CoinGecko history into the table, one snapshot per empty slot.

Idempotent with what is stored: slots that already hold a snapshot (from any source) are
skipped, so re-running, or running after `fetch`, adds nothing twice. A progress bar is drawn
only when stderr is a terminal.
"""

from __future__ import annotations

import sys
import time

from tqdm import tqdm

from ingest.coingecko import CoinGecko, to_snapshots
from ingest.config import Settings
from ingest.errors import IngestError
from ingest.store import SnapshotStore


def run(settings: Settings, days: int, client: CoinGecko | None = None) -> str:
    store = SnapshotStore(settings.table_name, settings.slot_seconds)
    client = client or CoinGecko(settings)
    lines = []
    for asset in settings.assets:
        payload = client.market_chart(asset, days)
        points = to_snapshots(asset, payload, int(time.time()))
        if not points:
            raise IngestError(f"CoinGecko returned no usable price points for {asset}")
        with tqdm(
            total=len(points),
            desc=f"{asset}",
            unit="snapshot",
            disable=not sys.stderr.isatty(),
            file=sys.stderr,
        ) as bar:
            counts = store.put_history(points, progress=bar.update)
            bar.update(counts.skipped)
        lines.append(
            f"{asset}: stored {counts.written} CoinGecko snapshots from {len(points)} points "
            f"({counts.skipped} skipped: one per {settings.slot_hours:g}-hour slot, "
            "filled slots left as they are)"
        )
    return "\n".join(lines)
