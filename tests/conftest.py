"""Shared fixtures: an AWS-free environment, a moto table, and a dynalite store.

Every test starts with fake credentials and no endpoint override, so nothing can reach a
real AWS account; tests that want a store ask for `moto_table` or `dynalite_table`.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator

import boto3
import pytest
from moto import mock_aws

from ingest.schema import table_definition
from tools.dynalite import LOCAL_AWS_ENV, LocalStore

# Variables the product reads; cleared so a developer's shell cannot leak into a test.
PRODUCT_ENV_PREFIXES = ("AWS_", "CMC_", "COINGECKO_", "SNAPSHOT_", "DASH_", "CACHE_", "QUOTE_")
PRODUCT_ENV_NAMES = {"ASSETS", "SLOT_HOURS", "PORT", "HOST", "DYNALITE_PORT", "API_MAX_ROWS"}
_table_names = itertools.count()


@pytest.fixture(autouse=True)
def isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    for name in list(os.environ):
        if name.startswith(PRODUCT_ENV_PREFIXES) or name in PRODUCT_ENV_NAMES:
            monkeypatch.delenv(name)
    for name, value in LOCAL_AWS_ENV.items():
        monkeypatch.setenv(name, value)
    nowhere = tmp_path_factory.getbasetemp() / "no-aws-config"
    monkeypatch.setenv("AWS_CONFIG_FILE", str(nowhere))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(nowhere))


@pytest.fixture
def table_name(monkeypatch: pytest.MonkeyPatch) -> str:
    name = f"snapshots-test-{next(_table_names)}"
    monkeypatch.setenv("SNAPSHOT_TABLE", name)
    return name


@pytest.fixture
def moto_table(table_name: str) -> Iterator:
    """A fresh snapshots table in moto's in-memory DynamoDB (unit level)."""
    with mock_aws():
        yield boto3.resource("dynamodb").create_table(**table_definition(table_name))


@pytest.fixture(scope="session")
def dynalite(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStore]:
    """One dynalite process for the session, persisting under a temporary directory."""
    with LocalStore(path=tmp_path_factory.mktemp("dynalite")) as store:
        yield store


@pytest.fixture
def dynalite_env(dynalite: LocalStore, monkeypatch: pytest.MonkeyPatch) -> LocalStore:
    """Point boto3 at the session's dynalite, as `make run` does."""
    monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", dynalite.endpoint)
    return dynalite


@pytest.fixture
def dynalite_table(dynalite_env: LocalStore, table_name: str) -> Iterator:
    """A fresh snapshots table in dynalite (integration level), dropped afterwards."""
    table = boto3.resource("dynamodb").create_table(**table_definition(table_name))
    table.wait_until_exists()
    yield table
    table.delete()
