"""The per-worker cache: what the dashboard loads from the store, how often it asks, and that
visitors never wait on a slow store once a history is cached."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

import pandas as pd
import pytest

from dashboard import data, wire
from ingest.schema import ASSET_INDEX_KEY, LABEL_FIELDS, METRIC_FIELDS, table_definition
from tests.dashboard.conftest import run_inline
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
    assert second["KeyConditionExpression"].endswith("BETWEEN :first AND :last")
    assert second["ExpressionAttributeValues"][":first"] == {"N": str(T0 + 2 * SLOT + 1)}


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


def test_check_reports_the_newest_real_snapshot_age(moto_table, calls):
    """Rows dated ahead of the clock or without a numeric price are not "the newest"."""
    now = T0 + SLOT + 90
    repository = data.SnapshotRepository(
        moto_table.name, 60, assets=("bitcoin",), wall_clock=lambda: now
    )
    assert repository.check() is None
    future = snapshot(T0 + 400 * 86400).to_item()
    text_price = {**snapshot(T0 + SLOT + 60).to_item(), "price": "lots"}
    write(moto_table, [snapshot(T0).to_item(), snapshot(T0 + SLOT).to_item(), future, text_price])
    assert repository.check() == 90


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
    assert "BETWEEN" not in calls.queries[-1]["KeyConditionExpression"]


def test_a_refresh_runs_in_the_background_and_callers_never_wait(moto_table, calls, clock):
    """Stale-while-revalidate: past the TTL a caller gets the cached frame at once and starts
    one refresh; callers meanwhile start no other; its result is served once it is in."""
    write(moto_table, [snapshot(T0 + i * SLOT).to_item() for i in range(3)])
    started: list[Callable[[], None]] = []
    repository = data.SnapshotRepository(
        moto_table.name,
        60,
        clock=lambda: clock[0],
        assets=("bitcoin",),
        spawn=lambda name, work: started.append(work) if name == "refresh-bitcoin" else work(),
    )
    assert len(repository.load("bitcoin").frame) == 3  # the first load waits, once
    write(moto_table, [snapshot(T0 + 3 * SLOT, "103").to_item()])

    clock[0] = 61
    for _ in range(5):
        assert len(repository.load("bitcoin").frame) == 3
    assert len(started) == 1  # one refresh out, not one per caller

    started[0]()  # the background refresh runs and finishes
    frame = repository.load("bitcoin").frame
    assert frame["price"].tolist() == [100.0, 100.0, 100.0, 103.0]


@pytest.mark.timeout(60)
def test_a_hung_store_costs_a_warm_cache_nothing(moto_table, clock):
    """A refresh stuck on the store (here: a Query that blocks until released) leaves every
    caller served from the cache in well under a second."""
    write(moto_table, [snapshot(T0 + i * SLOT).to_item() for i in range(3)])
    repository = data.SnapshotRepository(
        moto_table.name, 60, clock=lambda: clock[0], assets=("bitcoin",)
    )
    assert len(repository.load("bitcoin").frame) == 3
    release = threading.Event()
    real_query_frame = repository._query_frame

    def hung(asset: str, after: int | None) -> Any:
        assert release.wait(timeout=30)
        return real_query_frame(asset, after)

    repository._query_frame = hung  # type: ignore[method-assign]
    clock[0] = 61
    began = time.monotonic()
    for _ in range(20):
        assert len(repository.load("bitcoin").frame) == 3
    assert time.monotonic() - began < 1
    release.set()


def test_a_load_that_fails_for_any_reason_is_retried_once_per_ttl(
    moto_table, repository, calls, clock, monkeypatch, caplog
):
    write(moto_table, [snapshot(T0).to_item()])

    def broken(self: Any, items: Any) -> None:
        raise RuntimeError("a row no rule foresaw")

    monkeypatch.setattr(wire.FrameBuilder, "add_page", broken)
    with caplog.at_level(logging.ERROR, logger="dashboard.data"):
        for _ in range(5):
            result = repository.load("bitcoin")
            assert result.store_error == data.READ_FAILED
            assert result.frame.empty
    assert len(calls.queries) == 1
    assert "a row no rule foresaw" in caplog.text  # the traceback is in the log

    monkeypatch.undo()
    clock[0] = 61
    assert repository.load("bitcoin").frame["price"].tolist() == [100.0]


def test_an_unknown_asset_gets_no_query_and_no_cache_entry(moto_table, repository, calls):
    write(moto_table, [snapshot(T0, asset="nosuchcoin").to_item()])
    result = repository.load("nosuchcoin")
    assert result.frame.empty
    assert result.store_error is None
    assert calls.queries == []
    assert "nosuchcoin" not in repository._cache


def test_an_indexed_asset_is_known(moto_table, repository, calls):
    moto_table.put_item(Item={**ASSET_INDEX_KEY, "assets": {"bitcoin", "ethereum"}})
    write(moto_table, [snapshot(T0, "3000", asset="ethereum").to_item()])
    assert repository.load("ethereum").frame["price"].tolist() == [3000.0]


def test_rows_dated_far_ahead_are_never_the_anchor_of_a_refresh(
    moto_table, repository, calls, clock
):
    """A row ten years ahead is skipped; the incremental refresh asks for what follows the
    real newest snapshot, and a new real snapshot appears at once."""
    ten_years = 10 * 365 * 86400
    write(moto_table, [snapshot(T0).to_item(), snapshot(int(time.time()) + ten_years).to_item()])
    frame = repository.load("bitcoin").frame
    assert list(frame["ts"]) == [T0]

    write(moto_table, [snapshot(T0 + SLOT, "101").to_item()])
    clock[0] = 61
    assert repository.load("bitcoin").frame["price"].tolist() == [100.0, 101.0]
    refresh = calls.queries[-1]["ExpressionAttributeValues"]
    assert refresh[":first"] == {"N": str(T0 + 1)}
    assert int(refresh[":last"]["N"]) < time.time() + 2 * 3600  # the future row is not read


def test_ready_once_every_configured_asset_is_loaded(moto_table):
    repository = data.SnapshotRepository(
        moto_table.name, 60, assets=("bitcoin", "ethereum"), spawn=run_inline
    )
    assert not repository.ready
    repository.load("bitcoin")
    assert not repository.ready
    repository.load("ethereum")  # an empty history is loaded too
    assert repository.ready
    frame, error = repository.cached("ethereum")
    assert (len(frame), error) == (0, None)


def test_a_full_reload_brings_history_written_behind_the_newest_in_the_background(
    moto_table, clock
):
    write(moto_table, [snapshot(T0 + 10 * SLOT).to_item()])
    started: list[Callable[[], None]] = []
    repository = data.SnapshotRepository(
        moto_table.name,
        60,
        clock=lambda: clock[0],
        assets=("bitcoin",),
        spawn=lambda name, work: started.append(work) if name == "refresh-bitcoin" else work(),
    )
    repository.load("bitcoin")
    write(moto_table, [snapshot(T0 + i * SLOT).to_item() for i in range(3)])  # a backfill

    clock[0] = data.FULL_RELOAD_SECONDS + 1
    assert list(repository.load("bitcoin").frame["ts"]) == [T0 + 10 * SLOT]  # not waited for
    (reload,) = started
    reload()
    assert list(repository.load("bitcoin").frame["ts"]) == [
        T0,
        T0 + SLOT,
        T0 + 2 * SLOT,
        T0 + 10 * SLOT,
    ]


def test_a_refresh_that_cannot_get_a_thread_runs_inline_rather_than_never(moto_table, clock):
    """A worker out of threads must not be left with a refresh marked as running forever."""
    write(moto_table, [snapshot(T0).to_item()])

    def no_threads(name: str, work: Callable[[], None]) -> None:
        raise RuntimeError("can't start new thread")

    repository = data.SnapshotRepository(
        moto_table.name, 60, clock=lambda: clock[0], assets=("bitcoin",), spawn=no_threads
    )
    repository.load("bitcoin")
    write(moto_table, [snapshot(T0 + SLOT, "101").to_item()])
    clock[0] = 61
    assert repository.load("bitcoin").frame["price"].tolist() == [100.0, 101.0]
