"""Reading Query items: exact values, the schema's verdict on odd items, rows dated where no
snapshot can be, and the stored decimals a float cannot hold — one bad row never costs the
good ones."""

from __future__ import annotations

import logging
import time
from decimal import Decimal
from typing import Any

import boto3
import pandas as pd
import pytest
from boto3.dynamodb.types import TypeSerializer

from dashboard import data, dynamo
from ingest.schema import METRIC_FIELDS, MalformedItem, Snapshot
from tests.dashboard.helpers import SLOT, T0, snapshot, write


@pytest.mark.parametrize(
    "broken",
    [
        {"price": None},
        {"price": "not a number"},
        {"price": {Decimal(1)}},
        {"volume_24h": [Decimal(1)]},
        {"source": "elsewhere"},
        {"name": None, "symbol": None, "source": None},
        {"market_cap": True},
        {"market_cap": {"1", "2"}},
        {"ts_extra": 1, "fetched_at": "soon"},
    ],
)
def test_malformed_items_are_skipped_and_logged(moto_table, repository, caplog, broken):
    good = [snapshot(T0 + i * SLOT).to_item() for i in (0, 2)]
    bad = snapshot(T0 + SLOT).to_item()
    for key, value in broken.items():
        if value is None:
            bad.pop(key, None)
        else:
            bad[key] = value
    write(moto_table, [*good, bad])

    with caplog.at_level(logging.WARNING, logger="dashboard.wire"):
        frame = repository.load("bitcoin").frame

    assert list(frame["ts"]) == [T0, T0 + 2 * SLOT]
    assert "malformed" in caplog.text


def test_unusual_but_valid_items_are_kept(moto_table, repository):
    """A number stored as a string still passes the schema, so it is shown."""
    item = snapshot(T0).to_item()
    item["market_cap"] = "1234.5"
    write(moto_table, [item])
    frame = repository.load("bitcoin").frame
    assert frame["market_cap"].tolist() == [1234.5]


# -- items read raw (the before-parse hook): values exact, odd items judged as before ----------

# Numbers DynamoDB holds that a hand-rolled parse could get wrong: 38 significant digits, its
# smallest and largest magnitudes, negatives, zero, and decimals with no exact binary form.
EXACT_NUMBERS = (
    "97123.45",
    "12345678901234567890123456789012345678",
    "-3.75",
    "0",
    "1E-130",
    "9.9999999999999999999999999999999999999E+125",
    "-1E+125",
    "-0.000012345678901234567890123456789012345678",
    "0.1",
    "0.30000000000000004",
    "2.2250738585072014E-100",
    "123456789.123456789",
    "19876543.21",
    "21000000",
    "-99.999999999999999999",
    "1",
    "1023",
)


def _raw(item: dict[str, Any]) -> dict[str, Any]:
    return {name: TypeSerializer().serialize(value) for name, value in item.items()}


@pytest.fixture(params=["moto", pytest.param("dynalite", marks=pytest.mark.integration)])
def store(request: pytest.FixtureRequest) -> tuple[Any, data.SnapshotRepository]:
    """(low-level client, repository) on a moto table, then on a dynalite one."""
    table = request.getfixturevalue(f"{request.param}_table")
    client = boto3.client("dynamodb")  # not the resource's: that one serializes Items again
    return client, data.SnapshotRepository(table.name, 60, assets=("bitcoin",))


def test_every_number_comes_back_as_exactly_its_float(store):
    client, repository = store
    assert len(EXACT_NUMBERS) == len(METRIC_FIELDS)
    stored = dict(zip(METRIC_FIELDS, EXACT_NUMBERS, strict=True))
    item = snapshot(T0, **{n: v for n, v in stored.items() if n != "price"}).to_item()
    item["price"] = Decimal(stored["price"])
    client.put_item(TableName=repository.table_name, Item=_raw(item))

    frame = repository.load("bitcoin").frame

    assert {name: frame[name].iloc[0] for name in METRIC_FIELDS} == {
        name: float(Decimal(value)) for name, value in stored.items()
    }
    assert (frame["ts"].iloc[0], frame["fetched_at"].iloc[0]) == (T0, T0 + 30)
    assert frame[["name", "symbol", "source"]].iloc[0].tolist() == ["Bitcoin", "BTC", "cmc"]


ODD_VALUES = [
    # (attribute, raw AttributeValue or None to leave it out, kept?, price/market_cap shown)
    ("market_cap", {"S": "not a number"}, False),
    ("market_cap", {"S": "1234.5"}, True),
    ("market_cap", {"NULL": True}, True),
    ("market_cap", {"BOOL": True}, False),
    ("market_cap", {"NS": ["1", "2"]}, False),
    ("market_cap", {"L": [{"N": "1"}]}, False),
    ("market_cap", {"B": "AAEC"}, False),
    ("price", {"NULL": True}, False),
    ("price", None, False),
    ("price", {"S": "98000.5"}, True),
    ("source", {"S": "elsewhere"}, False),
    ("symbol", {"N": "5"}, True),
    ("fetched_at", {"S": "soon"}, False),
    ("fetched_at", {"N": "1767225630.5"}, True),
]


@pytest.mark.parametrize(("attribute", "value", "kept"), ODD_VALUES)
def test_odd_items_are_judged_by_the_schema_as_the_resource_would(
    store, caplog, attribute, value, kept
):
    client, repository = store
    good = [_raw(snapshot(T0 + i * SLOT, "1000").to_item()) for i in (0, 2)]
    odd = _raw(snapshot(T0 + SLOT, "2000", market_cap="3000").to_item())
    if value is None:
        del odd[attribute]
    else:
        odd[attribute] = value
    for item in [*good, odd]:
        client.put_item(TableName=repository.table_name, Item=item)
    # What the code before the raw read did: boto3's resource deserialized, the schema judged.
    key = {"asset": "bitcoin", "ts": T0 + SLOT}
    as_the_resource_reads = (
        boto3.resource("dynamodb").Table(repository.table_name).get_item(Key=key)["Item"]
    )
    try:
        verdict: Snapshot | None = Snapshot.from_item(as_the_resource_reads)
    except MalformedItem:
        verdict = None
    assert (verdict is not None) is kept

    with caplog.at_level(logging.WARNING, logger="dashboard.wire"):
        frame = repository.load("bitcoin").frame

    if verdict is None:
        assert list(frame["ts"]) == [T0, T0 + 2 * SLOT]
        assert "malformed" in caplog.text
        return
    assert list(frame["ts"]) == [T0, T0 + SLOT, T0 + 2 * SLOT]
    row = frame.iloc[1]
    shown = {name: row[name] for name in METRIC_FIELDS if not pd.isna(row[name])}
    assert shown == {name: float(v) for name, v in verdict.metrics.items() if v is not None}
    assert [row["name"], row["symbol"], row["source"], row["fetched_at"]] == [
        verdict.name,
        verdict.symbol,
        verdict.source,
        verdict.fetched_at,
    ]
    assert "malformed" not in caplog.text


def test_query_items_skip_botocores_parser_on_the_repositorys_clients_only(moto_table):
    """The hook's contract with botocore: the parsed Query response carries the items raw
    under RAW_ITEMS and no parsed Items. If a botocore upgrade stops emitting before-parse
    or merging customized_response_dict, loads stay correct (Items is the same wire form)
    but lose the speed-up, and this test says so."""
    write(moto_table, [snapshot(T0 + i * SLOT).to_item() for i in range(3)])
    parsed: list[dict[str, Any]] = []

    def client(boto_config: Any) -> Any:
        dynamodb = boto3.client("dynamodb", config=boto_config)
        dynamodb.meta.events.register(
            "after-call.dynamodb.Query", lambda **kwargs: parsed.append(kwargs["parsed"])
        )
        return dynamodb

    repository = data.SnapshotRepository(
        moto_table.name, 60, assets=("bitcoin",), client_factory=client
    )
    assert len(repository.load("bitcoin").frame) == 3

    (response,) = parsed
    assert "Items" not in response
    assert response["Count"] == 3
    assert [item["ts"] for item in response[dynamo.RAW_ITEMS]] == [
        {"N": str(T0 + i * SLOT)} for i in range(3)
    ]
    # Any other client in the process still gets botocore's parse.
    plain = boto3.client("dynamodb").query(
        TableName=moto_table.name,
        KeyConditionExpression="asset = :a",
        ExpressionAttributeValues={":a": {"S": "bitcoin"}},
    )
    assert dynamo.RAW_ITEMS not in plain
    assert len(plain["Items"]) == 3


@pytest.mark.integration
def test_rewriting_the_body_does_not_trip_the_crc32_check(dynalite_table):
    """dynalite, like DynamoDB, signs each answer with x-amz-crc32; botocore checks it on the
    bytes received, not on the body the hook rewrites, so no Query is ever retried for it."""
    write(dynalite_table, [snapshot(T0 + i * SLOT).to_item() for i in range(3)])
    sent, checksums = [], []

    def client(boto_config: Any) -> Any:
        dynamodb = boto3.client("dynamodb", config=boto_config)
        dynamodb.meta.events.register("before-send.dynamodb.Query", lambda **_: sent.append(1))
        dynamodb.meta.events.register(
            "after-call.dynamodb.Query",
            lambda http_response, **_: checksums.append(http_response.headers["x-amz-crc32"]),
        )
        return dynamodb

    repository = data.SnapshotRepository(
        dynalite_table.name, 60, assets=("bitcoin",), client_factory=client
    )
    assert len(repository.load("bitcoin").frame) == 3
    assert len(checksums) == 1
    assert len(sent) == 1


# -- rows dated where no snapshot can be --------------------------------------------------------


def test_impossible_times_are_skipped_counted_and_logged_once_with_a_sample(
    moto_table, repository, caplog
):
    """The rows a faulty import or a hand edit leaves: beyond any calendar (10**13 s), ten
    years ahead, before Bitcoin's genesis block (2009-01-03). The good rows stay."""
    ten_years_ahead = int(time.time()) + 10 * 365 * 86400
    bad_times = [10**13, ten_years_ahead, 1_230_940_799]  # the last: 2009-01-02 23:59:59
    write(moto_table, [snapshot(T0 + i * SLOT).to_item() for i in range(2)])
    write(moto_table, [snapshot(ts, "999999").to_item() for ts in bad_times])

    with caplog.at_level(logging.WARNING, logger="dashboard.wire"):
        frame = repository.load("bitcoin").frame

    assert list(frame["ts"]) == [T0, T0 + SLOT]
    assert frame["price"].max() == 100.0
    (record,) = [r for r in caplog.records if r.name == "dashboard.wire"]
    assert record.getMessage().startswith(
        "skipped 3 malformed or impossibly dated snapshot(s) of bitcoin, e.g. ts 1230940799 "
        "(2009-01-02T23:59:59Z) lies outside 2009-01-03T00:00:00Z …"
    )
    assert "ts 10000000000000 (" in record.getMessage()


def test_a_row_within_the_hour_of_clock_skew_is_kept(moto_table, table_name):
    now = T0 + 10 * SLOT
    repository = data.SnapshotRepository(
        table_name, 60, assets=("bitcoin",), wall_clock=lambda: now
    )
    write(moto_table, [snapshot(now + 3600).to_item(), snapshot(now + 3601).to_item()])
    assert list(repository.load("bitcoin").frame["ts"]) == [now + 3600]


# -- stored decimals a float cannot hold ---------------------------------------------------------


def test_decimals_a_float_cannot_hold_are_kept_as_text(store):
    """`1363456789012.123456789` reads as the float 1363456789012.1235 for the charts; the
    stored digits are kept beside it for exports. Ordinary numbers cost nothing extra."""
    client, repository = store
    item = snapshot(T0, "97123.45", market_cap="1363456789012.123456789").to_item()
    client.put_item(TableName=repository.table_name, Item=_raw(item))
    plain = snapshot(T0 + SLOT, "0.30000000000000004", volume_24h="12000000000000000").to_item()
    client.put_item(TableName=repository.table_name, Item=_raw(plain))

    result = repository.load("bitcoin")

    assert result.frame["market_cap"].iloc[0] == 1363456789012.1235
    assert result.decimals == {"market_cap": {T0: "1363456789012.123456789"}}


def test_an_odd_item_keeps_its_exact_decimals_too(store):
    """A number stored as a string goes through the schema's judgement, and keeps its digits."""
    client, repository = store
    odd = _raw(snapshot(T0).to_item())
    odd["market_cap"] = {"S": "98765432109876.54321"}
    client.put_item(TableName=repository.table_name, Item=odd)
    result = repository.load("bitcoin")
    assert result.decimals == {"market_cap": {T0: "98765432109876.54321"}}
