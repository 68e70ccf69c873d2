"""SnapshotStore: table creation, idempotent history writes, the asset index."""

from __future__ import annotations

import boto3
import pytest

from ingest.errors import StoreError
from ingest.schema import Snapshot
from ingest.store import SnapshotStore
from tests import factories
from tests.ingest.helpers import SLOT, indexed_assets, snapshots_of


def snap(ts: int, price: str = "100", asset: str = "bitcoin", source: str = "demo") -> Snapshot:
    return factories.snapshot(ts, price, asset=asset, source=source, fetched_at=ts)


def test_ensure_table_creates_once(table_name):
    from moto import mock_aws

    with mock_aws():
        store = SnapshotStore(table_name, SLOT)
        assert store.ensure_table() is True
        assert store.ensure_table() is False
        ttl = store.client.describe_time_to_live(TableName=table_name)
        assert ttl["TimeToLiveDescription"]["AttributeName"] == "expires_at"


def test_history_skips_taken_slots_and_stored_quotes(store, moto_table):
    first = store.put_history([snap(SLOT * 10), snap(SLOT * 11 + 60)])
    assert (first.written, first.skipped) == (2, 0)
    # Same ts again, another point in an already filled slot, and one new slot.
    again = store.put_history([snap(SLOT * 10), snap(SLOT * 11 + 120), snap(SLOT * 12)])
    assert (again.written, again.skipped) == (1, 2)
    assert sorted(int(i["ts"]) for i in snapshots_of(moto_table)) == [
        SLOT * 10,
        SLOT * 11 + 60,
        SLOT * 12,
    ]
    assert indexed_assets(moto_table) == {"bitcoin"}


def test_history_keeps_one_point_per_slot_within_one_batch(store, moto_table):
    counts = store.put_history([snap(SLOT * 3 + 5), snap(SLOT * 3 + 10), snap(SLOT * 4)])
    assert (counts.written, counts.skipped) == (2, 1)
    assert [int(i["ts"]) for i in snapshots_of(moto_table)] == [SLOT * 3 + 5, SLOT * 4]


def test_has_snapshots_ignores_other_assets(store):
    assert not store.has_snapshots("bitcoin")
    store.put_history([snap(SLOT, asset="ethereum")])
    assert not store.has_snapshots("bitcoin")
    assert store.has_snapshots("ethereum")


def test_missing_table_is_a_plain_error(moto_table):
    store = SnapshotStore("no-such-table", SLOT, resource=boto3.resource("dynamodb"))
    with pytest.raises(StoreError, match="table no-such-table does not exist — run `python -m"):
        store.has_snapshots("bitcoin")
