"""End to end on the local stack: `python -m ingest` in a subprocess, a loopback
CoinMarketCap, dynalite; the stored snapshot survives a store restart."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from decimal import Decimal

import boto3
import pytest

from tests.ingest.conftest import API_KEY
from tests.ingest.fake_api import FakeApi
from tests.ingest.helpers import cmc_error, cmc_quotes, snapshots_of
from tools.dynalite import ROOT, LocalStore, client_env

pytestmark = pytest.mark.integration


def ingest(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ingest", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_fetch_on_dynalite_survives_a_restart(tmp_path, monkeypatch):
    with FakeApi() as cmc, LocalStore(path=tmp_path / "db") as store:
        env = {
            **os.environ,
            **client_env(store.port),
            "SNAPSHOT_TABLE": "it-snapshots",
            "CMC_API_URL": cmc.url,
            "CMC_API_KEY": API_KEY,
            "HTTP_TIMEOUT_SECONDS": "2",
            "HTTP_RETRY_BUDGET_SECONDS": "2",
        }
        assert ingest("init-table", env=env).returncode == 0
        # A subprocess reads the real clock: the quote must be current now, or it is refused.
        now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
        cmc.reply(200, cmc_quotes(**{"quote.USD.last_updated": now}))
        fetched = ingest("fetch", env=env)
        assert (fetched.returncode, fetched.stderr) == (0, "")
        assert fetched.stdout.startswith("bitcoin: stored (price 68891.88123456789 USD")

        cmc.replies.clear()
        cmc.reply(401, cmc_error(1001, "This API Key is invalid."))
        refused = ingest("fetch", env=env)
        assert refused.returncode == 1
        assert refused.stderr == (
            "error: CoinMarketCap rejected the API key (HTTP 401, error 1001): "
            "This API Key is invalid.\n"
        )
        assert API_KEY not in refused.stdout + refused.stderr

    with LocalStore(port=store.port, path=tmp_path / "db"):
        monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", store.endpoint)
        [item] = snapshots_of(boto3.resource("dynamodb").Table("it-snapshots"))
    assert item["price"] == Decimal("68891.88123456789")
    assert item["source"] == "cmc"
