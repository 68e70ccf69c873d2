"""`import-legacy --source-table NAME`: migrate the original tracker's table.

The original tracker stored, per run, the whole CoinMarketCap v2 quotes response under
partition key `timestamp` (N, epoch seconds of the fetch). Items hold the response as a
DynamoDB map (top-level `status`/`data`, or one attribute holding it); some hold it as a
JSON string; both are read. Every coin in `data` is converted with the same trimming rules as
`fetch`, each on its own (a bad coin is rejected without taking the good ones of the same item
with it), and written with `put_history(one_per_slot=False)`: every distinct quote is kept,
a quote already stored (same asset and `ts`) is skipped, so the import can be re-run.

Old quotes are the point of an import, so there is no staleness limit; a quote dated more than
QUOTE_MAX_AHEAD_MINUTES after the import's own clock cannot be real and is rejected.

Scanning is right here: it is a one-off read of a whole foreign table, not a reader path.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from ingest.config import Settings
from ingest.errors import StoreError
from ingest.http import parse_json
from ingest.logs import log_event
from ingest.schema import Snapshot
from ingest.store import SnapshotStore, boto_config
from ingest.trim import AssetResult, InvalidQuote, QuoteWindow, coins, to_snapshot

LEGACY_KEY = "timestamp"


@dataclass(frozen=True)
class ImportCounts:
    imported: int
    duplicates: int
    rejected: int

    def summary(self, source: str, target: str) -> str:
        return (
            f"imported {self.imported} snapshots from {source} into {target}; "
            f"{self.duplicates} skipped as duplicates, "
            f"{self.rejected} rejected as malformed or dated in the future"
        )


def run(settings: Settings, source_table: str) -> str:
    store = SnapshotStore(settings.table_name, settings.slot_seconds)
    window = QuoteWindow(settings.quote_max_ahead_minutes)
    counts = import_table(store, source_table, window)
    return counts.summary(source_table, settings.table_name)


def import_table(
    store: SnapshotStore,
    source_table: str,
    window: QuoteWindow,
    resource: Any = None,
) -> ImportCounts:
    """Import every usable quote; each unusable coin (or item without any) counts as one
    rejection and is logged as `ingest.legacy_rejected` with its reason."""
    resource = resource or boto3.resource("dynamodb", config=boto_config())
    imported_at = int(time.time())
    snapshots: list[Snapshot] = []
    rejected = 0
    for item in _scan(resource.Table(source_table), source_table):
        try:
            results = convert(item, imported_at, window)
        except InvalidQuote as exc:
            results = [AssetResult("(whole item)", error=str(exc))]
        for result in results:
            if result.snapshot is not None:
                snapshots.append(result.snapshot)
                continue
            rejected += 1
            log_event(
                "ingest.legacy_rejected",
                logging.WARNING,
                timestamp=str(item.get(LEGACY_KEY)),
                asset=result.asset,
                reason=result.error,
            )
    counts = store.put_history(snapshots, one_per_slot=False) if snapshots else None
    return ImportCounts(
        imported=counts.written if counts else 0,
        duplicates=counts.skipped if counts else 0,
        rejected=rejected,
    )


def convert(item: Mapping[str, Any], imported_at: int, window: QuoteWindow) -> list[AssetResult]:
    """One result per coin of a legacy item, each judged on its own; InvalidQuote when the
    item holds no coin at all."""
    fetched = item.get(LEGACY_KEY)
    if fetched is None:
        raise InvalidQuote(f"item has no {LEGACY_KEY}")
    payload = _payload(item)
    if payload is None:
        raise InvalidQuote("item holds no CoinMarketCap response with `data`")
    found = list(coins(payload["data"]))
    if not found:
        raise InvalidQuote("`data` lists no coin")
    results = []
    for coin in found:
        try:
            snapshot = to_snapshot(coin, int(fetched))
            window.check(snapshot.ts, imported_at, "this import")
        except InvalidQuote as exc:
            results.append(AssetResult(str(coin.get("slug") or coin.get("id")), error=str(exc)))
        else:
            results.append(AssetResult(snapshot.asset, snapshot=snapshot))
    return results


def _payload(item: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The CoinMarketCap response in `item`: the item itself, or a map/JSON attribute."""
    candidates = [item, *item.values()]
    for candidate in candidates:
        if isinstance(candidate, str) and candidate.lstrip().startswith("{"):
            try:
                candidate = parse_json(candidate.encode())
            except ValueError:
                continue
        if isinstance(candidate, Mapping) and "data" in candidate:
            data = candidate["data"]
            if isinstance(data, str):
                try:
                    data = parse_json(data.encode())
                except ValueError:
                    return None
            return {**candidate, "data": data}
    return None


def _scan(table: Any, name: str) -> Iterator[Mapping[str, Any]]:
    kwargs: dict[str, Any] = {}
    try:
        while True:
            page = table.scan(**kwargs)
            yield from page["Items"]
            if "LastEvaluatedKey" not in page:
                return
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
    except (ClientError, BotoCoreError) as exc:
        code = exc.response["Error"]["Code"] if isinstance(exc, ClientError) else ""
        if code == "ResourceNotFoundException":
            raise StoreError(f"source table {name} does not exist") from exc
        raise StoreError(f"could not read source table {name}: {exc}") from exc
