"""Writes snapshots to the DynamoDB table, idempotently, and nothing else.

Two write paths:

* `put_scheduled` — the 6-hourly run. At most one snapshot per asset per slot, even when the
  same scheduled event is delivered twice or two runs overlap, using only conditional puts
  (dynalite has no transactions):

  1. claim the slot: put {asset: "<slug>#slot", ts: slot_start, snapshot: <item>} if absent;
  2. winner and loser alike read the claim back (consistent read) and put the *claimed*
     snapshot if no item with its `ts` exists.

  A crash between 1 and 2 is repaired by the retry (it finds the claim and writes it), two
  concurrent runs store the same claimed snapshot once, and a redelivered event with a newer
  quote still stores the first claimed one.

* `put_history` — backfill, demo and legacy import: drops points whose slot already holds a
  snapshot (or whose `ts` is already stored) and batch-writes the rest.

Every write records the asset in the asset index item so readers list assets without a Scan.
Throttling and transient errors are retried by botocore's standard retry mode; whatever still
fails raises `StoreError`.
"""

from __future__ import annotations

import enum
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import boto3
from boto3.dynamodb.conditions import Key
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from ingest.errors import StoreError
from ingest.logs import log_event
from ingest.schema import (
    ASSET_INDEX_ATTRIBUTE,
    ASSET_INDEX_KEY,
    PARTITION_KEY,
    SORT_KEY,
    TTL_ATTRIBUTE,
    Snapshot,
    slot_partition,
    table_definition,
)

# Attempts per DynamoDB call (first try included) before a write counts as failed.
MAX_ATTEMPTS = 6
CLAIM_TTL_SECONDS = 7 * 24 * 3600
CLAIM_SNAPSHOT_ATTRIBUTE = "snapshot"


class Outcome(enum.StrEnum):
    STORED = "stored"
    DUPLICATE = "duplicate"


@dataclass(frozen=True)
class HistoryCounts:
    written: int
    skipped: int


def slot_start(ts: float, slot_seconds: int) -> int:
    """Start of the slot holding `ts` (epoch seconds), e.g. 00:00/06:00/12:00/18:00 UTC."""
    return int(ts // slot_seconds) * slot_seconds


def boto_config(max_attempts: int = MAX_ATTEMPTS) -> Config:
    return Config(retries={"mode": "standard", "total_max_attempts": max_attempts})


def _describe(exc: Exception, action: str, table: str) -> StoreError:
    """One readable line for a failed DynamoDB call (boto's own text can be long)."""
    if isinstance(exc, ClientError):
        code = exc.response.get("Error", {}).get("Code", "")
        message = exc.response.get("Error", {}).get("Message", "")
        if code == "ResourceNotFoundException":
            return StoreError(f"table {table} does not exist — run `python -m ingest init-table`")
        return StoreError(f"DynamoDB {action} on table {table} failed: {code}: {message}")
    return StoreError(f"DynamoDB {action} on table {table} failed: {exc}")


class SnapshotStore:
    """The snapshot table, seen by the writers."""

    def __init__(
        self,
        table_name: str,
        slot_seconds: int,
        *,
        resource: Any = None,
        max_attempts: int = MAX_ATTEMPTS,
    ) -> None:
        self.table_name = table_name
        self.slot_seconds = slot_seconds
        try:
            self.resource = resource or boto3.resource("dynamodb", config=boto_config(max_attempts))
        except BotoCoreError as exc:  # e.g. no region configured
            raise StoreError(f"cannot use DynamoDB: {exc}") from exc
        self.table = self.resource.Table(table_name)
        self.client = self.resource.meta.client

    # -- table -----------------------------------------------------------------------------

    def ensure_table(self) -> bool:
        """Create the table if missing (local stores; infra makes production's). True if created.

        TTL on the bookkeeping items is switched on where supported; dynalite does not
        implement UpdateTimeToLive, which is harmless locally (claims just stay).
        """
        created = False
        try:
            self.client.describe_table(TableName=self.table_name)
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "ResourceNotFoundException":
                raise _describe(exc, "DescribeTable", self.table_name) from exc
            try:
                self.client.create_table(**table_definition(self.table_name))
                self.client.get_waiter("table_exists").wait(
                    TableName=self.table_name, WaiterConfig={"Delay": 1, "MaxAttempts": 60}
                )
            except (ClientError, BotoCoreError) as exc2:
                raise _describe(exc2, "CreateTable", self.table_name) from exc2
            created = True
        except BotoCoreError as exc:
            raise _describe(exc, "DescribeTable", self.table_name) from exc
        self._enable_ttl()
        return created

    def _enable_ttl(self) -> None:
        try:
            ttl = self.client.describe_time_to_live(TableName=self.table_name)
            if ttl["TimeToLiveDescription"].get("TimeToLiveStatus") in ("ENABLED", "ENABLING"):
                return
            self.client.update_time_to_live(
                TableName=self.table_name,
                TimeToLiveSpecification={"Enabled": True, "AttributeName": TTL_ATTRIBUTE},
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "UnknownOperationException":  # dynalite
                raise _describe(exc, "UpdateTimeToLive", self.table_name) from exc
        except BotoCoreError as exc:
            raise _describe(exc, "UpdateTimeToLive", self.table_name) from exc

    # -- reads -----------------------------------------------------------------------------

    def has_snapshots(self, asset: str) -> bool:
        try:
            response = self.table.query(
                KeyConditionExpression=Key(PARTITION_KEY).eq(asset),
                ProjectionExpression="#ts",
                ExpressionAttributeNames={"#ts": SORT_KEY},
                Limit=1,
            )
        except (ClientError, BotoCoreError) as exc:
            raise _describe(exc, "Query", self.table_name) from exc
        return bool(response["Items"])

    def stored_timestamps(self, asset: str, first: int, last: int) -> set[int]:
        """Every stored `ts` of `asset` in [first, last]; projected to the key, paginated."""
        in_range = Key(PARTITION_KEY).eq(asset) & Key(SORT_KEY).between(first, last)
        kwargs: dict[str, Any] = {
            "KeyConditionExpression": in_range,
            "ProjectionExpression": "#ts",
            "ExpressionAttributeNames": {"#ts": SORT_KEY},
        }
        found: set[int] = set()
        try:
            while True:
                response = self.table.query(**kwargs)
                found.update(int(item[SORT_KEY]) for item in response["Items"])
                if "LastEvaluatedKey" not in response:
                    return found
                kwargs["ExclusiveStartKey"] = response["LastEvaluatedKey"]
        except (ClientError, BotoCoreError) as exc:
            raise _describe(exc, "Query", self.table_name) from exc

    # -- writes ----------------------------------------------------------------------------

    def put_scheduled(self, snapshot: Snapshot, slot: int) -> Outcome:
        """Store `snapshot` as the slot's one snapshot unless the slot is already taken.

        STORED when this call won the slot's claim and its quote is stored; DUPLICATE when
        the slot was claimed before (an earlier run, a redelivered event, a concurrent run)
        or this very quote is already stored. Either way the claimed snapshot is written if
        it is not yet, which repairs a run that crashed between claim and write.
        """
        claim_key = {PARTITION_KEY: slot_partition(snapshot.asset), SORT_KEY: slot}
        try:
            won = self._put_if_absent(
                {
                    **claim_key,
                    TTL_ATTRIBUTE: slot + CLAIM_TTL_SECONDS,
                    CLAIM_SNAPSHOT_ATTRIBUTE: snapshot.to_item(),
                }
            )
            claim = self.table.get_item(Key=claim_key, ConsistentRead=True)["Item"]
            claimed = claim[CLAIM_SNAPSHOT_ATTRIBUTE]
            written = self._put_if_absent(claimed)
            if written and not won:
                log_event("ingest.claim_repaired", asset=snapshot.asset, slot=slot)
            if won and not written:
                # Our claim, but the item exists: the same quote stored by an earlier slot's
                # run (stale quote), or ours written by a concurrent run repairing the claim.
                key = {PARTITION_KEY: snapshot.asset, SORT_KEY: snapshot.ts}
                existing = self.table.get_item(Key=key, ConsistentRead=True).get("Item")
                written = existing == snapshot.to_item()
            self._index({snapshot.asset})
        except (ClientError, BotoCoreError) as exc:
            raise _describe(exc, "write", self.table_name) from exc
        return Outcome.STORED if won and written else Outcome.DUPLICATE

    def _put_if_absent(self, item: dict[str, Any]) -> bool:
        """Put `item` unless its key exists; False when it did."""
        try:
            self.table.put_item(
                Item=item,
                ConditionExpression="attribute_not_exists(#ts)",
                ExpressionAttributeNames={"#ts": SORT_KEY},
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def put_history(
        self,
        snapshots: Iterable[Snapshot],
        *,
        one_per_slot: bool = True,
        progress: Callable[[int], object] | None = None,
    ) -> HistoryCounts:
        """Write the points not stored yet; idempotent, so safe to re-run.

        A point is skipped when its `ts` is already stored or, with `one_per_slot` (backfill,
        demo), when its slot already holds a snapshot; within the input the earliest point
        of a slot wins. `progress(n)` is called as items are written (for a progress bar).
        """
        by_asset: dict[str, list[Snapshot]] = defaultdict(list)
        for snapshot in snapshots:
            by_asset[snapshot.asset].append(snapshot)
        written = skipped = 0
        for asset, points in by_asset.items():
            fresh = list(self._fresh(asset, points, one_per_slot))
            skipped += len(points) - len(fresh)
            if not fresh:
                continue
            try:
                with self.table.batch_writer() as batch:
                    for snapshot in fresh:
                        batch.put_item(Item=snapshot.to_item())
                        if progress is not None:
                            progress(1)
                self._index({asset})
            except (ClientError, BotoCoreError) as exc:
                raise _describe(exc, "BatchWriteItem", self.table_name) from exc
            written += len(fresh)
        return HistoryCounts(written=written, skipped=skipped)

    def _fresh(self, asset: str, points: list[Snapshot], one_per_slot: bool) -> Iterator[Snapshot]:
        points = sorted(points, key=lambda s: s.ts)
        first = slot_start(points[0].ts, self.slot_seconds)
        last = slot_start(points[-1].ts, self.slot_seconds) + self.slot_seconds - 1
        stored = self.stored_timestamps(asset, first, last)
        taken = {slot_start(ts, self.slot_seconds) for ts in stored} if one_per_slot else set()
        for snapshot in points:
            slot = slot_start(snapshot.ts, self.slot_seconds)
            if snapshot.ts in stored or slot in taken:
                continue
            stored.add(snapshot.ts)
            if one_per_slot:
                taken.add(slot)
            yield snapshot

    def _index(self, assets: set[str]) -> None:
        self.table.update_item(
            Key=ASSET_INDEX_KEY,
            UpdateExpression="ADD #assets :assets",
            ExpressionAttributeNames={"#assets": ASSET_INDEX_ATTRIBUTE},
            ExpressionAttributeValues={":assets": assets},
        )
