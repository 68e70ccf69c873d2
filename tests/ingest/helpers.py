"""Helpers shared by the ingest tests: fixture files and what the table holds."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from boto3.dynamodb.conditions import Key

from ingest.schema import ASSET_INDEX_ATTRIBUTE, ASSET_INDEX_KEY, PARTITION_KEY

FIXTURES = Path(__file__).parent / "fixtures"
SLOT = 6 * 3600


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


def cmc_quotes(**changes: Any) -> dict[str, Any]:
    """The quotes fixture, with `changes` applied to bitcoin's entry (dotted keys reach into
    quote.USD, e.g. {"quote.USD.price": None}); a None-valued "drop" key removes a field."""
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


DROP = object()


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
