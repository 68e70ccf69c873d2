"""`import-legacy --source-table NAME`: migrate the original tracker's table.

The original tracker stored, per run, the whole CoinMarketCap v2 quotes response under
partition key `timestamp` (N, epoch seconds of the fetch). Items hold the response as a
DynamoDB map (top-level `status`/`data`, or one attribute holding it); some hold it as a
JSON string; both are read. Every coin in `data` is converted with the same trimming rules as
`fetch` and written with `put_history(one_per_slot=False)`: every distinct quote is kept,
a quote already stored (same asset and `ts`) is skipped, so the import can be re-run.

Scanning is right here: it is a one-off read of a whole foreign table, not a reader path.
"""

from __future__ import annotations

import logging
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
from ingest.trim import InvalidQuote, coins, to_snapshot

LEGACY_KEY = "timestamp"


@dataclass(frozen=True)
class ImportCounts:
    imported: int
    duplicates: int
    rejected: int

    def summary(self, source: str, target: str) -> str:
        return (
            f"imported {self.imported} snapshots from {source} into {target}; "
            f"{self.duplicates} skipped as duplicates, {self.rejected} rejected as malformed"
        )


def run(settings: Settings, source_table: str) -> str:
    store = SnapshotStore(settings.table_name, settings.slot_seconds)
    return import_table(store, source_table).summary(source_table, settings.table_name)


def import_table(store: SnapshotStore, source_table: str, resource: Any = None) -> ImportCounts:
    resource = resource or boto3.resource("dynamodb", config=boto_config())
    snapshots: list[Snapshot] = []
    rejected = 0
    for item in _scan(resource.Table(source_table), source_table):
        try:
            snapshots.extend(convert(item))
        except InvalidQuote as exc:
            rejected += 1
            log_event(
                "ingest.legacy_rejected",
                logging.WARNING,
                timestamp=str(item.get(LEGACY_KEY)),
                reason=str(exc),
            )
    counts = store.put_history(snapshots, one_per_slot=False) if snapshots else None
    return ImportCounts(
        imported=counts.written if counts else 0,
        duplicates=counts.skipped if counts else 0,
        rejected=rejected,
    )


def convert(item: Mapping[str, Any]) -> list[Snapshot]:
    """Snapshots of every coin in one legacy item; InvalidQuote if any coin is unusable."""
    fetched = item.get(LEGACY_KEY)
    if fetched is None:
        raise InvalidQuote(f"item has no {LEGACY_KEY}")
    payload = _payload(item)
    if payload is None:
        raise InvalidQuote("item holds no CoinMarketCap response with `data`")
    data = payload["data"]
    found = list(coins(data)) if isinstance(data, Mapping) else []
    if not found:
        raise InvalidQuote("`data` lists no coin")
    return [to_snapshot(coin, int(fetched)) for coin in found]


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
