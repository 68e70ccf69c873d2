"""Helpers shared by the ingest tests: fixture files and what the table holds."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

from boto3.dynamodb.conditions import Key

from ingest.schema import ASSET_INDEX_ATTRIBUTE, ASSET_INDEX_KEY, PARTITION_KEY

FIXTURES = Path(__file__).parent / "fixtures"
SLOT = 6 * 3600
QUOTE_TS = 1_795_932_000  # 2026-11-29T06:00:00Z, the quotes fixture's last_updated
FETCHED_AT = 1_795_932_072  # 2026-11-29T06:01:12Z, the fixture's status.timestamp (second)


def fixture_text(name: str) -> str:
    return (FIXTURES / name).read_text()


def fixture_json(name: str) -> Any:
    return json.loads(fixture_text(name))


def snapshots_of(table: Any, asset: str = "bitcoin") -> list[dict[str, Any]]:
    """Every stored snapshot item of `asset` (bookkeeping partitions excluded)."""
    items: list[dict[str, Any]] = []
    kwargs: dict[str, Any] = {"KeyConditionExpression": Key(PARTITION_KEY).eq(asset)}
    while True:
        page = table.query(**kwargs)
        items += page["Items"]
        if "LastEvaluatedKey" not in page:
            return items
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def indexed_assets(table: Any) -> set[str]:
    item = table.get_item(Key=ASSET_INDEX_KEY).get("Item", {})
    return set(item.get(ASSET_INDEX_ATTRIBUTE, set()))


DROP = object()  # in cmc_quotes(): remove the field instead of setting it


def cmc_quotes(**changes: Any) -> dict[str, Any]:
    """The quotes fixture, with `changes` applied to bitcoin's entry (dotted keys reach into
    quote.USD, e.g. {"quote.USD.price": None}); the value DROP removes the field."""
    payload = fixture_json("cmc_quotes_latest.json")
    coin = payload["data"]["1"]
    for dotted, value in changes.items():
        *path, last = dotted.replace("__", ".").split(".")
        target = coin
        for part in path:
            target = target[part]
        if value is DROP:
            target.pop(last, None)
        else:
            target[last] = value
    return payload


def cmc_error(code: int, message: str) -> dict[str, Any]:
    """CoinMarketCap's documented error body: a `status` object and no `data`."""
    return {
        "status": {
            "timestamp": "2026-11-29T06:01:12.345Z",
            "error_code": code,
            "error_message": message,
            "elapsed": 0,
            "credit_count": 0,
        }
    }


class Throttle:
    """Answer the first `times` calls of one DynamoDB operation with
    ProvisionedThroughputExceededException, through botocore's real retry loop.

    moto cannot throttle, and botocore calls *every* `before-send` handler, so returning a
    response first is not enough: moto would still apply the write. While throttling, this
    hook switches moto's stubber off for that one attempt; `needs-retry` (emitted after
    every attempt) switches it back on.
    """

    BODY: ClassVar[dict[str, str]] = {
        "__type": "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException",
        "message": "The level of configured provisioned throughput for the table was exceeded.",
    }

    def __init__(self, times: float, only: Callable[[bytes], bool] = lambda body: True) -> None:
        self.left = times
        self.only = only
        self.calls = 0

    def __call__(self, request: Any, **kwargs: Any) -> Any:
        from botocore.awsrequest import AWSResponse
        from moto.core.botocore_stubber import MockRawResponse
        from moto.core.models import botocore_stubber

        body = request.body if isinstance(request.body, bytes) else str(request.body).encode()
        if not self.only(body):
            return None
        self.calls += 1
        if self.left <= 0:
            return None
        self.left -= 1
        botocore_stubber.enabled = False
        headers = {"Content-Type": "application/x-amz-json-1.0", "x-amzn-RequestId": "t"}
        return AWSResponse(request.url, 400, headers, MockRawResponse(json.dumps(self.BODY)))

    @staticmethod
    def _moto_back_on(**kwargs: Any) -> None:
        from moto.core.models import botocore_stubber

        botocore_stubber.enabled = True

    def attach(self, client: Any, operation: str) -> Throttle:
        client.meta.events.register_first(f"before-send.dynamodb.{operation}", self)
        client.meta.events.register_first(f"needs-retry.dynamodb.{operation}", self._moto_back_on)
        return self
