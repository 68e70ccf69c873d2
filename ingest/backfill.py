"""`backfill --days N`: CoinGecko history into the table, one snapshot per empty slot.

Idempotent with what is stored: slots that already hold a snapshot (from any source) are
skipped, so re-running, or running after `fetch`, adds nothing twice. Points without a
positive price, malformed, or dated more than QUOTE_MAX_AHEAD_MINUTES after now are rejected
and counted in the summary line. A progress bar is drawn only when stderr is a terminal.
"""

from __future__ import annotations

import sys
import time

from tqdm import tqdm

from ingest.coingecko import CoinGecko, Points, to_snapshots
from ingest.config import Settings
from ingest.errors import IngestError
from ingest.store import HistoryCounts, SnapshotStore
from ingest.trim import QuoteWindow


def run(settings: Settings, days: int, client: CoinGecko | None = None) -> str:
    """Backfill every asset in ASSETS. One asset failing (unknown id, rate limit) does not
    stop the others; the error then names each failed asset and what the others stored."""
    store = SnapshotStore(settings.table_name, settings.slot_seconds)
    client = client or CoinGecko(settings)
    window = QuoteWindow(settings.quote_max_ahead_minutes)
    lines: list[str] = []
    stored: list[str] = []
    failures: dict[str, str] = {}
    for asset in settings.assets:
        try:
            points, counts = _backfill(store, client, asset, days, window)
        except IngestError as exc:
            failures[asset] = str(exc)
            continue
        stored.append(f"{asset} stored {counts.written}")
        received = len(points.snapshots) + points.rejected
        lines.append(
            f"{asset}: stored {counts.written} CoinGecko snapshots from {received} points "
            f"({counts.skipped} skipped: one per {settings.slot_hours:g}-hour slot, "
            f"filled slots left as they are; {points.rejected} rejected as unusable: "
            "no positive price, malformed or dated in the future)"
        )
    if not failures:
        return "\n".join(lines)
    if len(settings.assets) == 1:
        raise IngestError(*failures.values())
    reasons = "; ".join(f"{asset}: {reason}" for asset, reason in failures.items())
    done = f" ({', '.join(stored)})" if stored else ""
    raise IngestError(f"{len(failures)} of {len(settings.assets)} assets failed: {reasons}{done}")


def _backfill(
    store: SnapshotStore, client: CoinGecko, asset: str, days: int, window: QuoteWindow
) -> tuple[Points, HistoryCounts]:
    """(points fetched, what was written) for one asset."""
    points = to_snapshots(asset, client.market_chart(asset, days), int(time.time()), window)
    if not points.snapshots:
        raise IngestError(
            f"CoinGecko returned no usable price points for {asset} "
            f"({points.rejected} rejected as unusable)"
        )
    with tqdm(
        total=len(points.snapshots),
        desc=asset,
        unit="snapshot",
        disable=not sys.stderr.isatty(),
        file=sys.stderr,
    ) as bar:
        counts = store.put_history(points.snapshots, progress=bar.update)
        bar.update(counts.skipped)
    return points, counts
