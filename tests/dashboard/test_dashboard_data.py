"""Data access: what the dashboard loads from the store, and how often it asks."""

from __future__ import annotations

import logging
import threading
from decimal import Decimal
from typing import Any

import boto3
import pandas as pd
import pytest
from boto3.dynamodb.types import TypeSerializer

from dashboard import data
from ingest.schema import (
    ASSET_INDEX_KEY,
    LABEL_FIELDS,
    METRIC_FIELDS,
    MalformedItem,
    Snapshot,
    table_definition,
)
from tests.dashboard.helpers import SLOT, T0, snapshot, write
from tools.dynalite import free_port

PADDING = "x" * 60_000  # not projected, but DynamoDB counts it toward the 1 MB page


def test_first_load_pages_past_the_1mb_limit_and_keeps_every_item(moto_table, repository, calls):
    items = [
        {**snapshot(T0 + i * SLOT, f"{100 + i}.5").to_item(), "pad": PADDING} for i in range(40)
    ]
    write(moto_table, items)

    result = repository.load("bitcoin")

    assert result.store_error is None
    assert len(calls.queries) >= 2, "40 items of 60 kB must not fit one Query page"
    assert calls.queries[1]["ExclusiveStartKey"]
    frame = result.frame
    assert list(frame["ts"]) == [T0 + i * SLOT for i in range(40)]
    assert frame["price"].tolist() == [100.5 + i for i in range(40)]
    assert "pad" not in frame.columns


def test_the_query_projects_only_the_fields_shown(moto_table, repository, calls):
    write(moto_table, [snapshot(T0).to_item()])
    repository.load("bitcoin")
    (query,) = calls.queries
    projected = {
        query["ExpressionAttributeNames"][p.strip()]
        for p in query["ProjectionExpression"].split(",")
    }
    assert projected == {"ts", "fetched_at", "name", "symbol", "source", *METRIC_FIELDS}


def test_frame_has_a_sorted_utc_index_and_float_columns(moto_table, repository):
    write(
        moto_table,
        [snapshot(T0 + SLOT, "2").to_item(), snapshot(T0, "1", max_supply=21e6).to_item()],
    )
    frame = repository.load("bitcoin").frame
    assert frame.index.name == "time"
    assert str(frame.index.tz) == "UTC"
    assert list(frame.index) == [
        pd.Timestamp(T0, unit="s", tz="UTC"),
        pd.Timestamp(T0 + SLOT, unit="s", tz="UTC"),
    ]
    assert all(frame[name].dtype == "float64" for name in METRIC_FIELDS)
    assert frame["max_supply"].iloc[0] == 21e6
    assert pd.isna(frame["max_supply"].iloc[1])  # absent → NaN, not 0
    assert frame["symbol"].tolist() == ["BTC", "BTC"]
    assert frame["ts"].dtype == "int64"


def test_refresh_after_the_ttl_asks_only_for_newer_items(moto_table, repository, calls, clock):
    write(moto_table, [snapshot(T0 + i * SLOT).to_item() for i in range(3)])
    repository.load("bitcoin")
    write(moto_table, [snapshot(T0 + 3 * SLOT, "103").to_item()])

    clock[0] = 30  # inside the TTL: served from cache
    assert len(repository.load("bitcoin").frame) == 3
    assert len(calls.queries) == 1

    clock[0] = 61
    frame = repository.load("bitcoin").frame
    assert len(frame) == 4
    assert frame["price"].iloc[-1] == 103
    second = calls.queries[1]
    assert " > " in second["KeyConditionExpression"]
    newest = {v["N"] for v in second["ExpressionAttributeValues"].values() if "N" in v}
    assert newest == {str(T0 + 2 * SLOT)}


def test_labels_stay_categorical_when_a_refresh_brings_a_new_source(moto_table, repository, clock):
    write(moto_table, [snapshot(T0 + i * SLOT, source="coingecko").to_item() for i in range(3)])
    assert isinstance(repository.load("bitcoin").frame["source"].dtype, pd.CategoricalDtype)
    write(moto_table, [snapshot(T0 + 3 * SLOT, "103").to_item()])
    clock[0] = 61
    frame = repository.load("bitcoin").frame
    assert frame["source"].tolist() == ["coingecko"] * 3 + ["cmc"]
    assert all(isinstance(frame[name].dtype, pd.CategoricalDtype) for name in LABEL_FIELDS)


def test_refresh_with_nothing_new_is_exactly_one_query(moto_table, repository, calls, clock):
    write(moto_table, [snapshot(T0 + i * SLOT).to_item() for i in range(3)])
    first = repository.load("bitcoin").frame
    clock[0] = 61
    again = repository.load("bitcoin").frame
    assert len(calls.queries) == 2
    assert again is first  # nothing rebuilt


def test_concurrent_callers_share_one_query(moto_table, repository, calls):
    write(moto_table, [snapshot(T0 + i * SLOT).to_item() for i in range(5)])
    results: list[int] = []
    start = threading.Barrier(8)

    def worker() -> None:
        start.wait()
        results.append(len(repository.load("bitcoin").frame))

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [5] * 8
    assert len(calls.queries) == 1


def test_empty_table_is_an_empty_frame_without_error(moto_table, repository):
    result = repository.load("bitcoin")
    assert result.store_error is None
    assert result.frame.empty
    assert list(result.frame.columns) == list(data.empty_frame().columns)


def test_store_down_keeps_the_cache_and_says_so(moto_table, repository, clock, monkeypatch):
    write(moto_table, [snapshot(T0 + i * SLOT).to_item() for i in range(3)])
    assert len(repository.load("bitcoin").frame) == 3

    monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", f"http://127.0.0.1:{free_port()}")
    monkeypatch.setattr(repository, "_local", threading.local())  # fresh client, new endpoint
    clock[0] = 61
    result = repository.load("bitcoin")

    assert result.store_error is not None
    assert result.store_error.startswith("The snapshot store is unreachable")
    assert len(result.frame) == 3


def test_missing_table_names_the_fix(moto_table, repository):
    moto_table.delete()
    result = repository.load("bitcoin")
    assert result.frame.empty
    assert result.store_error == (
        f"Table {moto_table.name} does not exist — run `python -m ingest init-table`."
    )


def test_store_error_clears_once_the_store_answers_again(moto_table, repository, clock):
    moto_table.meta.client.delete_table(TableName=moto_table.name)
    assert repository.load("bitcoin").store_error
    moto_table.meta.client.create_table(**table_definition(moto_table.name))
    write(moto_table, [snapshot(T0).to_item()])
    clock[0] = 61
    result = repository.load("bitcoin")
    assert result.store_error is None
    assert len(result.frame) == 1


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

    with caplog.at_level(logging.WARNING, logger="dashboard.data"):
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


def test_other_assets_and_bookkeeping_items_stay_out(moto_table, repository):
    write(
        moto_table,
        [
            snapshot(T0).to_item(),
            snapshot(T0, asset="ethereum").to_item(),
            {"asset": "bitcoin#slot", "ts": T0, "snapshot": snapshot(T0, "999").to_item()},
        ],
    )
    frame = repository.load("bitcoin").frame
    assert frame["price"].tolist() == [100.0]


def test_assets_lists_configured_then_indexed(moto_table, repository, clock):
    assert repository.assets() == ["bitcoin"]
    moto_table.put_item(Item={**ASSET_INDEX_KEY, "assets": {"ethereum", "bitcoin", "cardano"}})
    clock[0] = 61
    assert repository.assets() == ["bitcoin", "cardano", "ethereum"]


def test_assets_fall_back_to_the_last_known_list_when_the_store_is_down(
    moto_table, repository, clock
):
    moto_table.put_item(Item={**ASSET_INDEX_KEY, "assets": {"ethereum", "bitcoin"}})
    assert repository.assets() == ["bitcoin", "ethereum"]
    moto_table.delete()
    clock[0] = 61
    assert repository.assets() == ["bitcoin", "ethereum"]


def test_check_reports_the_newest_snapshot_age(moto_table, repository, calls, monkeypatch):
    assert repository.check() is None
    write(moto_table, [snapshot(T0).to_item(), snapshot(T0 + SLOT).to_item()])
    monkeypatch.setattr("dashboard.data.time.time", lambda: T0 + SLOT + 90)
    assert repository.check() == 90
    last: dict[str, Any] = calls.queries[-1]
    assert last["Limit"] == 1
    assert last["ScanIndexForward"] is False


def test_check_raises_when_the_store_is_down(repository, monkeypatch):
    monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", f"http://127.0.0.1:{free_port()}")
    with pytest.raises(data.StoreUnavailable, match="unreachable"):
        repository.check()


def test_get_repository_is_one_instance_built_from_the_environment(monkeypatch, table_name):
    monkeypatch.setenv("CACHE_TTL_SECONDS", "5")
    repo = data.get_repository()
    assert repo is data.get_repository()
    assert (repo.table_name, repo.ttl_seconds) == (table_name, 5)
    data.reset_repository()
    assert data.get_repository() is not repo


def test_a_failing_store_is_retried_once_per_ttl_not_per_caller(
    moto_table, repository, calls, clock
):
    moto_table.delete()
    for _ in range(5):
        assert repository.load("bitcoin").store_error
    assert len(calls.queries) == 1
    clock[0] = 61
    assert repository.load("bitcoin").store_error
    assert len(calls.queries) == 2


def test_history_written_behind_the_newest_appears_after_a_full_reload(
    moto_table, repository, calls, clock
):
    write(moto_table, [snapshot(T0 + 10 * SLOT).to_item()])
    repository.load("bitcoin")
    write(moto_table, [snapshot(T0 + i * SLOT).to_item() for i in range(3)])  # a backfill

    clock[0] = 61
    assert len(repository.load("bitcoin").frame) == 1  # incremental: only newer items

    clock[0] = data.FULL_RELOAD_SECONDS + 1
    frame = repository.load("bitcoin").frame
    assert list(frame["ts"]) == [T0, T0 + SLOT, T0 + 2 * SLOT, T0 + 10 * SLOT]
    assert " > " not in calls.queries[-1]["KeyConditionExpression"]


def test_full_reload_does_not_hold_up_other_callers(moto_table, repository, clock, monkeypatch):
    """While one caller re-reads the whole history, the others keep the cached frame (and
    its incremental refreshes); the re-read is swapped in without losing what they added."""
    write(moto_table, [snapshot(T0 + 10 * SLOT).to_item()])
    repository.load("bitcoin")
    write(moto_table, [snapshot(T0 + i * SLOT).to_item() for i in range(3)])  # a backfill

    read_done, may_finish = threading.Event(), threading.Event()
    query_frame = repository._query_frame

    def slow_full_read(asset: str, after: int | None) -> pd.DataFrame:
        frame = query_frame(asset, after)
        if after is None:  # the re-read: hold it until the other caller has been served
            read_done.set()
            assert may_finish.wait(timeout=10)
        return frame

    monkeypatch.setattr(repository, "_query_frame", slow_full_read)
    clock[0] = data.FULL_RELOAD_SECONDS + 1
    reloaded: list[pd.DataFrame] = []
    reloader = threading.Thread(target=lambda: reloaded.append(repository.load("bitcoin").frame))
    reloader.start()
    assert read_done.wait(timeout=10)

    write(moto_table, [snapshot(T0 + 11 * SLOT, "111").to_item()])  # after the re-read's Query
    clock[0] += 61
    meanwhile = repository.load("bitcoin").frame  # returns while the re-read is still out
    assert list(meanwhile["ts"]) == [T0 + 10 * SLOT, T0 + 11 * SLOT]

    may_finish.set()
    reloader.join(timeout=10)
    expected = [T0, T0 + SLOT, T0 + 2 * SLOT, T0 + 10 * SLOT, T0 + 11 * SLOT]
    assert list(reloaded[0]["ts"]) == expected
    assert list(repository.load("bitcoin").frame["ts"]) == expected


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

    with caplog.at_level(logging.WARNING, logger="dashboard.data"):
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

    repository = data.SnapshotRepository(moto_table.name, 60, client_factory=client)
    assert len(repository.load("bitcoin").frame) == 3

    (response,) = parsed
    assert "Items" not in response
    assert response["Count"] == 3
    assert [item["ts"] for item in response[data.RAW_ITEMS]] == [
        {"N": str(T0 + i * SLOT)} for i in range(3)
    ]
    # Any other client in the process still gets botocore's parse.
    plain = boto3.client("dynamodb").query(
        TableName=moto_table.name,
        KeyConditionExpression="asset = :a",
        ExpressionAttributeValues={":a": {"S": "bitcoin"}},
    )
    assert data.RAW_ITEMS not in plain
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

    repository = data.SnapshotRepository(dynalite_table.name, 60, client_factory=client)
    assert len(repository.load("bitcoin").frame) == 3
    assert len(checksums) == 1
    assert len(sent) == 1
