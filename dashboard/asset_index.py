"""The list of stored assets a worker offers: the configured ones first, then any other the
table's asset index item lists (written by ingest), read with one GetItem, never a Scan.

The first caller reads it on its own thread (concurrent first callers share that one read);
after that it is re-read in the background once per TTL, like the snapshots, so a visitor
never waits on the store for it. When the store does not answer, the last known list (or
the configured one) stays in use.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Sequence
from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer

from ingest.schema import ASSET_INDEX_ATTRIBUTE, ASSET_INDEX_KEY

_DESERIALIZER = TypeDeserializer()
_SERIALIZER = TypeSerializer()


class AssetIndex:
    def __init__(
        self,
        table_name: str,
        ttl_seconds: float,
        configured: Sequence[str],
        *,
        clock: Callable[[], float],
        client: Callable[[], Any],
        background: Callable[[str, Callable[[], None]], None],
        on_fault: Callable[[Exception], object],
    ) -> None:
        self.table_name = table_name
        self.ttl_seconds = ttl_seconds
        self.configured = tuple(configured)
        self._clock = clock
        self._client = client
        self._background = background
        self._on_fault = on_fault
        self._lock = threading.Lock()
        self._first_read = threading.Lock()
        self._indexed: list[str] | None = None
        self._checked_at = -math.inf
        self._refreshing = False

    def assets(self) -> list[str]:
        with self._lock:
            first = self._checked_at == -math.inf
            due = self._clock() - self._checked_at >= self.ttl_seconds
            refresh = due and not first and not self._refreshing
            if refresh:
                self._refreshing = True
        if first:
            with self._first_read:
                if self._checked_at == -math.inf:
                    self._read()
        elif refresh:
            self._background("refresh-asset-index", self._read)
        with self._lock:
            stored = [a for a in self._indexed or () if a not in self.configured]
            return [*self.configured, *stored]

    def _read(self) -> None:
        listed: list[str] | None = None
        try:
            response = self._client().get_item(
                TableName=self.table_name,
                Key={name: _SERIALIZER.serialize(v) for name, v in ASSET_INDEX_KEY.items()},
                ProjectionExpression="#a",
                ExpressionAttributeNames={"#a": ASSET_INDEX_ATTRIBUTE},
            )
            raw = response.get("Item", {}).get(ASSET_INDEX_ATTRIBUTE)
            listed = sorted(str(a) for a in _DESERIALIZER.deserialize(raw)) if raw else []
        except Exception as exc:  # the last known list stays in use
            self._on_fault(exc)
        with self._lock:
            if listed is not None:
                self._indexed = listed
            self._checked_at = self._clock()
            self._refreshing = False
