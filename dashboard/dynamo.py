"""The dashboard's reads from DynamoDB: Query requests, timeouts, and faults in plain words.

Reads are Queries on the key (never a Scan), projected to the fields the dashboard shows; an
incremental refresh is bounded in time as well, so a row dated impossibly far ahead is read
(and reported) by full loads only, not fetched again by every refresh. A `before-parse`
hook, registered only on the dashboard's own clients, keeps each Query page's items in
DynamoDB's wire form (`{"N": "97123.45"}`): walking every AttributeValue through botocore's
shape model and boto3's Decimal deserializer was ~80 % of a cold load, and `dashboard.wire`
turns the wire form into columns far faster. Any store fault becomes `StoreUnavailable` with
a message fit to show a visitor; details go to the log.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Mapping, Sequence
from typing import Any

import boto3
import pandas as pd
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from dashboard import decimals
from dashboard.wire import EARLIEST_TS, FrameBuilder, latest_allowed
from ingest.schema import FETCHED_AT, LABEL_FIELDS, METRIC_FIELDS, PARTITION_KEY, SORT_KEY

log = logging.getLogger(__name__)

# Everything an item holds except the partition key, which the Query already fixes.
PROJECTED_FIELDS: tuple[str, ...] = (SORT_KEY, *METRIC_FIELDS, *LABEL_FIELDS, FETCHED_AT)

# A down store must fail a refresh in seconds, not hang a thread for minutes.
CONNECT_TIMEOUT_SECONDS = 2.0
READ_TIMEOUT_SECONDS = 3.0
MAX_ATTEMPTS = 2
BOTO_CONFIG = Config(
    connect_timeout=CONNECT_TIMEOUT_SECONDS,
    read_timeout=READ_TIMEOUT_SECONDS,
    retries={"mode": "standard", "max_attempts": MAX_ATTEMPTS},
)
# /healthz must answer well inside a monitor's timeout even when the store hangs: two
# attempts of at most 1 s to connect or answer (plus one backoff) stay under 3 s.
PROBE_CONFIG = Config(
    connect_timeout=1.0,
    read_timeout=1.0,
    retries={"mode": "standard", "max_attempts": 2},
)

UNREACHABLE = "The snapshot store is unreachable right now; the dashboard retries shortly."
STORE_FAULTS = (ClientError, BotoCoreError)
# The health probe looks at this many newest items for one that is a real snapshot.
PROBE_ITEMS = 10
# Where the before-parse hook leaves a Query page's items, still in DynamoDB's wire form.
RAW_ITEMS = "_raw_items"


class StoreUnavailable(Exception):
    """The store did not answer (or refused); the message is fit to show a visitor."""


def describe(exc: Exception, table_name: str) -> StoreUnavailable:
    """A message a visitor can read; the details go to the log."""
    if isinstance(exc, ClientError):
        code = exc.response.get("Error", {}).get("Code", "")
        if code == "ResourceNotFoundException":
            return StoreUnavailable(
                f"Table {table_name} does not exist — run `python -m ingest init-table`."
            )
        log.warning("snapshot store refused a request on %s: %s", table_name, exc)
        return StoreUnavailable(f"The snapshot store refused the request ({code}).")
    log.warning("snapshot store unreachable (table %s): %s", table_name, exc)
    return StoreUnavailable(UNREACHABLE)


# Placeholders for every name a Query uses: several (e.g. `name`, `source`, `ts`) are DynamoDB
# reserved words.
_PLACEHOLDERS = {name: f"#p{i}" for i, name in enumerate((PARTITION_KEY, *PROJECTED_FIELDS))}


def query_request(
    table_name: str,
    asset: str,
    projected: Sequence[str],
    between: tuple[int, int] | None = None,
) -> dict[str, Any]:
    """Low-level Query arguments: `asset`'s items (only first <= ts <= last when `between`
    is given), `projected` fields only."""
    condition = f"{_PLACEHOLDERS[PARTITION_KEY]} = :asset"
    values: dict[str, Any] = {":asset": {"S": asset}}
    used = (PARTITION_KEY, *projected)
    if between is not None:
        condition += f" AND {_PLACEHOLDERS[SORT_KEY]} BETWEEN :first AND :last"
        values.update({":first": {"N": str(between[0])}, ":last": {"N": str(between[1])}})
        used = (PARTITION_KEY, SORT_KEY, *projected)
    return {
        "TableName": table_name,
        "KeyConditionExpression": condition,
        "ProjectionExpression": ", ".join(_PLACEHOLDERS[name] for name in projected),
        "ExpressionAttributeNames": {_PLACEHOLDERS[name]: name for name in dict.fromkeys(used)},
        "ExpressionAttributeValues": values,
    }


def keep_items_raw(
    response_dict: dict[str, Any], customized_response_dict: dict[str, Any], **_: Any
) -> None:
    """botocore `before-parse.dynamodb.Query` hook: set a page's Items aside unparsed.

    botocore merges `customized_response_dict` into the response it parses from what is left
    of the body, so the Query returns RAW_ITEMS (wire form) plus the parsed Count and
    LastEvaluatedKey. Errors and anything unexpected are left to botocore untouched.
    """
    if response_dict.get("status_code") != 200:
        return
    try:
        body = json.loads(response_dict["body"])
    except (KeyError, TypeError, ValueError):
        return
    if not isinstance(body, dict) or not isinstance(body.get("Items"), list):
        return
    customized_response_dict[RAW_ITEMS] = body.pop("Items")
    response_dict["body"] = json.dumps(body).encode()


def raw_items(response: Mapping[str, Any]) -> list[dict[str, Any]]:
    """A Query page's items in wire form: as the hook left them, or as botocore parsed them
    had the hook not run (the same form, only slower to get)."""
    items = response.get(RAW_ITEMS)
    return items if items is not None else response.get("Items", [])


def read_snapshots(
    client: Any, table_name: str, asset: str, after: int | None, now: float
) -> tuple[pd.DataFrame, decimals.Overrides]:
    """`asset`'s snapshots as a frame (and its inexact decimals): the whole history, or only
    those newer than `after` and not impossibly far ahead of `now`. Follows
    LastEvaluatedKey page by page; raises StoreUnavailable."""
    between = None if after is None else (after + 1, latest_allowed(now))
    request = query_request(table_name, asset, PROJECTED_FIELDS, between)
    builder = FrameBuilder(asset, now=now)
    try:
        while True:
            response = client.query(**request)
            builder.add_page(raw_items(response))
            if "LastEvaluatedKey" not in response:
                break
            request["ExclusiveStartKey"] = response["LastEvaluatedKey"]
    except STORE_FAULTS as exc:
        raise describe(exc, table_name) from exc
    return builder.build()


def newest_real_snapshot(client: Any, table_name: str, asset: str, now: float) -> int | None:
    """The time of `asset`'s newest real snapshot: rows dated more than the tolerated hour
    ahead of `now` (never asked for) or without a numeric price (passed over) do not count.
    One Query, newest first; raises StoreUnavailable."""
    between = (EARLIEST_TS, latest_allowed(now))
    request = query_request(table_name, asset, (SORT_KEY, "price"), between)
    try:
        response = client.query(**request, ScanIndexForward=False, Limit=PROBE_ITEMS)
    except STORE_FAULTS as exc:
        raise describe(exc, table_name) from exc
    for item in raw_items(response):
        try:
            ts, price = int(item[SORT_KEY]["N"]), float(item["price"]["N"])
        except (KeyError, TypeError, ValueError):
            continue
        if math.isfinite(price):
            return ts
    return None


def new_client(boto_config: Config) -> Any:
    # A session per thread: boto3's default session is not safe to share while building.
    return boto3.session.Session().client("dynamodb", config=boto_config)


def with_raw_items(client: Any) -> Any:
    """`client` with the hook that keeps Query items raw registered on it alone."""
    client.meta.events.register("before-parse.dynamodb.Query", keep_items_raw, unique_id=RAW_ITEMS)
    return client
