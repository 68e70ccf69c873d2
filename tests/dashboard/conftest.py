"""Fixtures for the dashboard data-layer tests: a repository on moto that records its calls."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import boto3
import pytest
from botocore.config import Config

from dashboard import data


@dataclass
class Calls:
    """The Query requests a repository sent, as DynamoDB received them."""

    queries: list[dict[str, Any]] = field(default_factory=list)

    def record(self, params: dict[str, Any], **_: Any) -> None:
        body = params.get("body") or b"{}"
        self.queries.append(json.loads(body))


@pytest.fixture
def calls() -> Calls:
    return Calls()


@pytest.fixture
def clock() -> list[float]:
    """A hand-driven monotonic clock: tests move `clock[0]` to pass the cache TTL."""
    return [0.0]


def run_inline(name: str, work: Any) -> None:
    """A `spawn` that runs a background refresh on the caller's thread, so a test sees its
    result as soon as `load` returns."""
    work()


@pytest.fixture
def make_repository(
    moto_table: Any, calls: Calls, clock: list[float]
) -> Callable[..., data.SnapshotRepository]:
    """Repositories on the moto table whose Queries `calls` records, on the hand-driven
    clock, with refreshes run inline (keyword arguments override)."""

    def client(boto_config: Config) -> Any:
        dynamodb = boto3.client("dynamodb", config=boto_config)
        dynamodb.meta.events.register("before-call.dynamodb.Query", calls.record)
        return dynamodb

    def make(**overrides: Any) -> data.SnapshotRepository:
        arguments: dict[str, Any] = {
            "clock": lambda: clock[0],
            "assets": ("bitcoin",),
            "client_factory": client,
            "spawn": run_inline,
        }
        return data.SnapshotRepository(moto_table.name, 60, **{**arguments, **overrides})

    return make


@pytest.fixture
def repository(make_repository: Callable[..., data.SnapshotRepository]) -> data.SnapshotRepository:
    return make_repository()


# Dashboard-only variables the root conftest does not clear.
DASHBOARD_ENV = ("MAX_CHART_POINTS", "STALE_AFTER_HOURS", "WEB_CONCURRENCY", "LOG_LEVEL")


@pytest.fixture(autouse=True)
def dashboard_env_cleared(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in DASHBOARD_ENV:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(autouse=True)
def fresh_repository() -> Any:
    data.reset_repository()
    yield
    data.reset_repository()


@pytest.fixture(autouse=True)
def no_botocore_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    """Retries still happen, without jittered sleeps that would slow the suite."""
    monkeypatch.setattr(
        "botocore.retries.standard.ExponentialBackoff.delay_amount", lambda self, ctx: 0
    )
