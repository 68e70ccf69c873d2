"""put_scheduled: one snapshot per asset per slot whatever the delivery, and loud failures."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import boto3
import pytest

from ingest import config, run
from ingest.errors import StoreError
from ingest.schema import Snapshot, slot_partition
from ingest.store import Outcome, SnapshotStore
from tests import factories
from tests.ingest.conftest import API_KEY
from tests.ingest.helpers import SLOT, Throttle, cmc_quotes, indexed_assets, snapshots_of

SLOT_START = 1_795_932_000  # 2026-11-29T06:00Z
SCHEDULED = datetime.fromtimestamp(SLOT_START + 3, UTC)


def quote(ts: int, price: str) -> Snapshot:
    return factories.snapshot(ts, price, max_supply=None)


def other_store(moto_table) -> SnapshotStore:
    """A second writer with its own boto3 resource, as a concurrent Lambda would have."""
    return SnapshotStore(moto_table.name, SLOT)


def test_event_redelivered_with_a_newer_quote_keeps_one_snapshot(fake_cmc, moto_table, fetch_time):
    """Lambda retries the same scheduled event minutes later; CoinMarketCap has moved on."""
    settings = config.load()
    fake_cmc.reply(200, cmc_quotes())
    first = run.run_once(settings, SCHEDULED, API_KEY)
    fake_cmc.reply(
        200,
        cmc_quotes(**{"quote.USD.price": 70000, "quote.USD.last_updated": "2026-11-29T06:05:00Z"}),
    )
    fake_cmc.replies.popleft()
    fetch_time(SLOT_START + 6 * 60)
    again = run.run_once(settings, SCHEDULED, API_KEY)
    assert [o.outcome for o in first.outcomes + again.outcomes] == ["stored", "duplicate"]
    assert again.ok
    [item] = snapshots_of(moto_table)
    assert item["price"] == Decimal("68891.88123456789")
    assert again.outcomes[0].slot == SLOT_START


def test_concurrent_runs_store_one_snapshot(store, moto_table):
    """Run B starts and finishes while run A sits between its claim and its write."""
    b = other_store(moto_table)
    outcomes: list[Outcome] = []

    def run_b_now(**kwargs):
        if not outcomes:
            outcomes.append(b.put_scheduled(quote(SLOT_START + 120, "2"), SLOT_START))

    store.client.meta.events.register("after-call.dynamodb.PutItem", run_b_now)
    outcomes.insert(0, store.put_scheduled(quote(SLOT_START + 60, "1"), SLOT_START))
    assert outcomes == [Outcome.STORED, Outcome.DUPLICATE]
    [item] = snapshots_of(moto_table)
    assert (item["ts"], item["price"]) == (SLOT_START + 60, Decimal("1"))


def test_concurrent_runs_with_threads(moto_table):
    import threading

    stores = [other_store(moto_table) for _ in range(4)]
    results: list[Outcome] = []
    barrier = threading.Barrier(len(stores))

    def write(i: int) -> None:
        barrier.wait()
        results.append(stores[i].put_scheduled(quote(SLOT_START + i, str(i + 1)), SLOT_START))

    threads = [threading.Thread(target=write, args=(i,)) for i in range(len(stores))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [Outcome.DUPLICATE] * 3 + [Outcome.STORED]
    assert len(snapshots_of(moto_table)) == 1


def test_a_crash_between_claim_and_write_is_repaired_by_the_retry(store, moto_table):
    class Crash(Exception):
        pass

    puts = []

    def crash_on_second_put(**kwargs):
        puts.append(1)
        if len(puts) == 2:
            raise Crash

    store.client.meta.events.register("before-call.dynamodb.PutItem", crash_on_second_put)
    with pytest.raises(Crash):
        store.put_scheduled(quote(SLOT_START + 60, "1"), SLOT_START)
    assert snapshots_of(moto_table) == []
    assert len(snapshots_of(moto_table, slot_partition("bitcoin"))) == 1

    retry = other_store(moto_table)
    assert retry.put_scheduled(quote(SLOT_START + 300, "2"), SLOT_START) == Outcome.DUPLICATE
    [item] = snapshots_of(moto_table)
    assert (item["ts"], item["price"]) == (SLOT_START + 60, Decimal("1"))


def test_claims_expire_and_snapshots_do_not(store, moto_table):
    store.put_scheduled(quote(SLOT_START + 60, "1"), SLOT_START)
    [claim] = snapshots_of(moto_table, slot_partition("bitcoin"))
    assert claim["expires_at"] == SLOT_START + 7 * 24 * 3600
    [item] = snapshots_of(moto_table)
    assert "expires_at" not in item
    assert "max_supply" not in item
    assert indexed_assets(moto_table) == {"bitcoin"}


def test_throttling_is_retried_by_botocore(store, moto_table):
    throttle = Throttle(times=3).attach(store.client, "PutItem")
    assert store.put_scheduled(quote(SLOT_START + 60, "1"), SLOT_START) == Outcome.STORED
    assert throttle.calls == 3 + 2  # three throttled tries, then the claim and the item
    assert len(snapshots_of(moto_table)) == 1


def test_throttling_that_never_ends_fails_loudly_and_writes_nothing(fake_cmc, store, moto_table):
    throttle = Throttle(times=float("inf")).attach(store.client, "PutItem")
    fake_cmc.reply(200, cmc_quotes())
    report = run.run_once(config.load(), SCHEDULED, API_KEY, store=store)
    assert not report.ok
    assert report.failure_summary() == (
        f"bitcoin: DynamoDB write on table {moto_table.name} failed: "
        "ProvisionedThroughputExceededException: The level of configured provisioned "
        "throughput for the table was exceeded."
    )
    assert throttle.calls == 6  # botocore's standard mode, MAX_ATTEMPTS
    assert snapshots_of(moto_table) == []
    assert snapshots_of(moto_table, slot_partition("bitcoin")) == []


def test_a_write_failing_after_the_claim_is_repaired_by_the_next_run(fake_cmc, store, moto_table):
    """Throttled on the item put only: the run fails, the next delivery completes it."""
    fake_cmc.reply(200, cmc_quotes())
    Throttle(times=6, only=lambda body: b"#slot" not in body).attach(store.client, "PutItem")
    report = run.run_once(config.load(), SCHEDULED, API_KEY, store=store)
    assert not report.ok
    assert "ProvisionedThroughputExceededException" in report.failure_summary()
    assert snapshots_of(moto_table) == []
    again = run.run_once(config.load(), SCHEDULED, API_KEY, store=other_store(moto_table))
    assert again.ok
    assert [o.outcome for o in again.outcomes] == ["duplicate"]
    assert len(snapshots_of(moto_table)) == 1


def test_store_errors_are_store_errors(moto_table):
    store = SnapshotStore("missing", SLOT, resource=boto3.resource("dynamodb"))
    with pytest.raises(StoreError, match="table missing does not exist"):
        store.put_scheduled(quote(SLOT_START, "1"), SLOT_START)
