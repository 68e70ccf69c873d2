"""Fixtures for the ingest tests: a SnapshotStore on moto, fast retries."""

from __future__ import annotations

from typing import Any

import boto3
import pytest

from ingest.store import SnapshotStore
from tests.ingest.helpers import SLOT


@pytest.fixture
def store(moto_table: Any) -> SnapshotStore:
    return SnapshotStore(moto_table.name, SLOT, resource=boto3.resource("dynamodb"))


@pytest.fixture(autouse=True)
def no_botocore_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    """botocore's retries still happen, without the jittered sleeps that would slow the suite."""
    monkeypatch.setattr(
        "botocore.retries.standard.ExponentialBackoff.delay_amount", lambda self, ctx: 0
    )
