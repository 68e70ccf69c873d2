"""One ingest run — fetch, trim, store — the single code path behind the Lambda and `fetch`.

The run's slot is the scheduled time's slot when there is one (so a redelivered event maps to
the same slot), else the slot of the quote's own `last_updated`. Each asset ends up stored,
duplicate (its slot was already filled: success) or failed with a reason; the run is `ok`
only if none failed. A good asset is stored even when another asset of the same run fails:
the failed one is reported by name and the run still fails (CLI exit 1, Lambda raises). A
quote whose `last_updated` is impossible next to the fetch time fails its asset the same way
(`QuoteWindow`, tuned by QUOTE_MAX_AHEAD_MINUTES and QUOTE_MAX_AGE_HOURS).

The run itself logs nothing per asset: the entry point reports it once (the CLI's summary or
`error:` line, the Lambda's `ingest.run_ok` / `ingest.run_failed` line), so each failure is
told in exactly one line.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

from ingest.cmc import CoinMarketCap
from ingest.config import Settings
from ingest.errors import IngestError
from ingest.store import Outcome, SnapshotStore, slot_start
from ingest.trim import AssetResult, QuoteWindow, trim

FAILED = "failed"


@dataclass(frozen=True)
class AssetOutcome:
    asset: str
    outcome: str  # "stored", "duplicate" or "failed"
    reason: str | None = None
    ts: int | None = None
    slot: int | None = None
    price: str | None = None


@dataclass
class RunReport:
    outcomes: list[AssetOutcome] = field(default_factory=list)
    scheduled_time: str | None = None

    @property
    def ok(self) -> bool:
        return bool(self.outcomes) and all(o.outcome != FAILED for o in self.outcomes)

    @property
    def failed(self) -> list[AssetOutcome]:
        return [o for o in self.outcomes if o.outcome == FAILED]

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "scheduled_time": self.scheduled_time,
            "assets": [asdict(o) for o in self.outcomes],
        }

    def summary(self) -> str:
        """Human lines for stdout, one per asset."""
        lines = []
        for o in self.outcomes:
            if o.outcome == FAILED:
                lines.append(f"{o.asset}: failed: {o.reason}")
            else:
                when = datetime.fromtimestamp(o.ts or 0, UTC).strftime("%Y-%m-%d %H:%M UTC")
                what = "stored" if o.outcome == Outcome.STORED else "duplicate, slot already filled"
                lines.append(f"{o.asset}: {what} (price {o.price} USD, quote of {when})")
        return "\n".join(lines)

    def failure_summary(self) -> str:
        """One line naming what failed; the shared cause once when every asset failed alike."""
        failed = self.failed
        reasons = {o.reason for o in failed}
        if len(failed) == len(self.outcomes) and len(reasons) == 1:
            return str(failed[0].reason)
        done = [f"{o.asset} {o.outcome}" for o in self.outcomes if o.outcome != FAILED]
        text = f"{len(failed)} of {len(self.outcomes)} assets failed: "
        text += "; ".join(str(o.reason) for o in failed)
        return text + (f" ({', '.join(done)})" if done else "")


def run_once(
    settings: Settings,
    scheduled_time: datetime | None,
    api_key: str,
    *,
    store: SnapshotStore | None = None,
    client: CoinMarketCap | None = None,
) -> RunReport:
    """Fetch every asset in ASSETS once and store what is valid.

    API, validation and write failures end up in the report, per asset, rather than raised;
    only building the default DynamoDB resource (e.g. no region configured) can raise. The
    fetch time is `now()`, read when CoinMarketCap has answered.
    """
    report = RunReport(scheduled_time=scheduled_time.isoformat() if scheduled_time else None)
    store = store or SnapshotStore(settings.table_name, settings.slot_seconds)
    client = client or CoinMarketCap(settings, api_key)
    try:
        payload = client.quotes(settings.assets)
    except IngestError as exc:
        report.outcomes = [AssetOutcome(a, FAILED, str(exc)) for a in settings.assets]
        return report
    fetched_at = int(now())
    window = QuoteWindow(settings.quote_max_ahead_minutes, settings.quote_max_age_hours)
    for result in trim(payload, settings.assets, fetched_at, window):
        report.outcomes.append(_store(store, result, scheduled_time, settings.slot_seconds))
    return report


def now() -> float:
    """The wall clock a run's fetch time is read from (one seam, so tests can pin it)."""
    return time.time()


def _store(
    store: SnapshotStore, result: AssetResult, scheduled: datetime | None, slot_seconds: int
) -> AssetOutcome:
    if result.snapshot is None:
        return AssetOutcome(result.asset, FAILED, result.error)
    snapshot = result.snapshot
    slot_ts = slot_start(scheduled.timestamp() if scheduled else snapshot.ts, slot_seconds)
    try:
        outcome = store.put_scheduled(snapshot, slot_ts)
    except IngestError as exc:
        return AssetOutcome(result.asset, FAILED, f"{result.asset}: {exc}", snapshot.ts, slot_ts)
    return AssetOutcome(
        result.asset, outcome.value, None, snapshot.ts, slot_ts, str(snapshot.price)
    )
