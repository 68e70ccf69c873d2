"""AWS Lambda entry point, invoked every 6 hours by EventBridge Scheduler.

The target Input is {"scheduled_time": "<aws.scheduler.scheduled-time>"}; the run's slot is
derived from it, so the retries of the same event land in the same slot. Without it (a manual
test invocation) the current time is used. A failed run raises, so Lambda's retries and the
on-failure destination see it; a successful one returns the report.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from ingest import config, logs, run, secrets
from ingest.errors import ConfigError, IngestError
from ingest.store import SnapshotStore


class RunFailed(IngestError):
    """At least one asset was not stored; the message says which and why."""


@lru_cache(maxsize=4)
def _store(table_name: str, slot_seconds: int) -> SnapshotStore:
    """One boto3 resource per container, reused by warm invocations."""
    return SnapshotStore(table_name, slot_seconds)


def scheduled_time(event: Any) -> datetime:
    raw = event.get("scheduled_time") if isinstance(event, dict) else None
    if not raw:
        return datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(str(raw).replace("Z", "+00:00"))
    except ValueError:
        raise ConfigError(f"scheduled_time {raw!r} is not an ISO 8601 time") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def lambda_handler(event: Any, context: Any) -> dict[str, Any]:
    logs.configure()
    settings = config.load()
    when = scheduled_time(event)
    report = run.run_once(
        settings,
        when,
        secrets.api_key(settings),
        store=_store(settings.table_name, settings.slot_seconds),
    )
    result = report.to_dict()
    if not report.ok:
        logs.log_event("ingest.run_failed", logging.ERROR, **result)
        raise RunFailed(report.failure_summary())
    logs.log_event("ingest.run_ok", **result)
    return result
