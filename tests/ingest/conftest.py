"""Fixtures for the ingest tests: a SnapshotStore on moto, fast retries."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from ingest import run
from ingest.store import SnapshotStore
from tests.ingest.fake_api import FakeApi
from tests.ingest.helpers import FETCHED_AT, SLOT


@pytest.fixture
def store(moto_table: Any) -> SnapshotStore:
    return SnapshotStore(moto_table.name, SLOT)


@pytest.fixture(autouse=True)
def fetch_time(monkeypatch: pytest.MonkeyPatch) -> Callable[[float], None]:
    """Every run fetches at FETCHED_AT, 72 s after the quotes fixture's last_updated, so that
    quote is current whatever today's date is. Call the fixture's value to move the clock."""

    def at(ts: float) -> None:
        monkeypatch.setattr(run, "now", lambda: ts)

    at(FETCHED_AT)
    return at


@pytest.fixture(autouse=True)
def no_botocore_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    """botocore's retries still happen, without the jittered sleeps that would slow the suite."""
    monkeypatch.setattr(
        "botocore.retries.standard.ExponentialBackoff.delay_amount", lambda self, ctx: 0
    )


API_KEY = "test-cmc-key-0123456789abcdef"


@pytest.fixture
def fake_cmc(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeApi]:
    """A loopback CoinMarketCap with a short timeout and retry budget so faults stay fast."""
    with FakeApi() as api:
        monkeypatch.setenv("CMC_API_URL", api.url)
        monkeypatch.setenv("CMC_API_KEY", API_KEY)
        monkeypatch.setenv("HTTP_TIMEOUT_SECONDS", "1")
        monkeypatch.setenv("HTTP_RETRY_BUDGET_SECONDS", "2")
        yield api


@pytest.fixture(autouse=True)
def moto_stubber_stays_on() -> Iterator[None]:
    """Throttle switches moto off for single attempts; never let that leak past a test."""
    yield
    from moto.core.models import botocore_stubber

    botocore_stubber.enabled = True


@pytest.fixture(autouse=True, scope="session")
def shared_botocore_loader() -> Iterator[None]:
    """Parse botocore's service JSON once per test session, not once per boto3 session.

    moto and the code under test create many short-lived sessions; re-reading the DynamoDB
    and endpoint models each time was most of this suite's run time.
    """
    import functools

    import botocore.session

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            botocore.session,
            "create_loader",
            functools.lru_cache(maxsize=None)(botocore.session.create_loader),
        )
        yield
