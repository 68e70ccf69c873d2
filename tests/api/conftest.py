"""The data API against a moto table: a seeded history with hand-picked values, the real app
(`create_app`) and a worker repository that records every Query it sends."""

from __future__ import annotations

from dataclasses import replace

import pytest

from dashboard import data
from dashboard.app import create_app
from ingest.schema import Snapshot
from tests.dashboard.conftest import calls, clock, make_repository  # noqa: F401 (fixtures)
from tests.factories import snapshot

T0 = 1_767_225_600  # 2026-01-01T00:00:00Z
SLOT = 6 * 3600
# Four snapshots a day for three days; each day's high and low are not its open or close.
PRICES = (
    ("70123.456789", "70500.5", "69900.25", "70321.75"),
    ("70400", "71000.125", "70800", "70950.5"),
    ("71100", "70900.75", "71250.5", "71200.25"),
)
EXACT_MARKET_CAP = "1363456789012.123456789"  # no float64 holds it: must be kept as text
FORMULA_NAME = '=HYPERLINK("http://evil.example","click")'


def history() -> list[Snapshot]:
    snapshots = []
    for i, price in enumerate(p for day in PRICES for p in day):
        market_cap = EXACT_MARKET_CAP if i == 3 else 1_363_000_000_000 + i
        item = snapshot(
            T0 + i * SLOT,
            price,
            market_cap=market_cap,
            volume_24h=f"{45_234_567_890 + i}.12",
            circulating_supply=19_700_000 + i,
            volume_change_24h="-1.2",
        )
        if i == 5:
            item = replace(item, name=FORMULA_NAME)
        snapshots.append(item)
    return snapshots


@pytest.fixture
def repository(make_repository, monkeypatch) -> data.SnapshotRepository:  # noqa: F811
    """The worker's repository, on moto, recording its Queries; refreshes run inline."""
    repo = make_repository()
    monkeypatch.setattr(data, "_repository", repo)
    return repo


@pytest.fixture
def seeded(moto_table, repository):
    with moto_table.batch_writer() as batch:
        for item in history():
            batch.put_item(Item=item.to_item())
    return moto_table


@pytest.fixture
def server(repository):
    """The dashboard's WSGI app, API included, reading `repository`."""
    return create_app().server


@pytest.fixture
def client(server):
    return server.test_client()
