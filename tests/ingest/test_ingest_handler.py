"""The Lambda entry point: Secrets Manager key (cached), slot from the event, loud failures,
and structured logs that never contain the key."""

from __future__ import annotations

import json

import boto3
import pytest

from ingest import handler, secrets
from ingest.errors import ConfigError
from tests.ingest.conftest import API_KEY
from tests.ingest.helpers import cmc_error, cmc_quotes, snapshots_of

EVENT = {"scheduled_time": "2026-11-29T06:00:00Z"}


@pytest.fixture(autouse=True)
def fresh_caches():
    secrets.clear_cache()
    handler._store.cache_clear()
    yield
    secrets.clear_cache()
    handler._store.cache_clear()


@pytest.fixture
def secret_arn(moto_table, monkeypatch, fake_cmc):
    monkeypatch.delenv("CMC_API_KEY")
    arn = boto3.client("secretsmanager").create_secret(Name="cmc-key", SecretString=API_KEY)["ARN"]
    monkeypatch.setenv("CMC_API_KEY_SECRET_ARN", arn)
    return arn


class SecretsCalls:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, **kwargs) -> None:
        self.count += 1


def test_lambda_stores_with_the_key_from_secrets_manager_and_caches_it(
    secret_arn, fake_cmc, moto_table, capsys, monkeypatch
):
    fake_cmc.reply(200, cmc_quotes())
    calls = SecretsCalls()
    real_client = boto3.client

    def counting_client(name, *args, **kwargs):
        client = real_client(name, *args, **kwargs)
        if name == "secretsmanager":
            client.meta.events.register("before-call.secrets-manager.GetSecretValue", calls)
        return client

    monkeypatch.setattr(boto3, "client", counting_client)
    first = handler.lambda_handler(EVENT, None)
    second = handler.lambda_handler(EVENT, None)
    assert calls.count == 1
    assert [a["outcome"] for a in first["assets"] + second["assets"]] == ["stored", "duplicate"]
    assert first["ok"]
    assert second["ok"]
    assert len(snapshots_of(moto_table)) == 1
    assert fake_cmc.seen[0].headers["X-CMC_PRO_API_KEY"] == API_KEY

    logged = capsys.readouterr().err
    assert API_KEY not in logged
    events = [json.loads(line) for line in logged.splitlines()]
    assert [e["event"] for e in events] == ["ingest.run_ok", "ingest.run_ok"]  # one per run
    [stored] = events[0]["assets"]
    assert (stored["asset"], stored["outcome"], stored["slot"]) == ("bitcoin", "stored", 1795932000)


def test_secret_may_be_json(moto_table, monkeypatch):
    arn = boto3.client("secretsmanager").create_secret(
        Name="cmc-json", SecretString=json.dumps({"CMC_API_KEY": API_KEY})
    )["ARN"]
    monkeypatch.setenv("CMC_API_KEY_SECRET_ARN", arn)
    from ingest import config

    assert secrets.api_key(config.load()) == API_KEY


def test_missing_secret_is_a_plain_error(moto_table, monkeypatch):
    from ingest import config

    monkeypatch.setenv(
        "CMC_API_KEY_SECRET_ARN", "arn:aws:secretsmanager:us-east-1:123456789012:secret:nope"
    )
    with pytest.raises(ConfigError, match="could not read the CoinMarketCap key from secret arn:"):
        secrets.api_key(config.load())


def test_lambda_raises_on_failure_with_the_cause(secret_arn, fake_cmc, moto_table, capsys):
    fake_cmc.reply(401, cmc_error(1001, "This API Key is invalid."))
    with pytest.raises(handler.RunFailed) as failure:
        handler.lambda_handler(EVENT, None)
    assert str(failure.value) == (
        "CoinMarketCap rejected the API key (HTTP 401, error 1001): This API Key is invalid."
    )
    assert snapshots_of(moto_table) == []
    logged = capsys.readouterr().err
    assert API_KEY not in logged
    assert any(json.loads(line)["event"] == "ingest.run_failed" for line in logged.splitlines())


def test_lambda_without_scheduled_time_uses_the_current_slot(fake_cmc, moto_table):
    """A manual test invocation has no scheduled_time: the slot is now's, not the quote's."""
    import time

    from ingest.store import slot_start

    fake_cmc.reply(200, cmc_quotes())
    before = slot_start(time.time(), 6 * 3600)
    report = handler.lambda_handler({}, None)
    after = slot_start(time.time(), 6 * 3600)
    assert report["ok"]
    [asset] = report["assets"]
    assert asset["outcome"] == "stored"
    assert asset["slot"] in {before, after}
    assert asset["ts"] == 1795932000  # the quote keeps its own time


def test_bad_scheduled_time_is_reported(fake_cmc, moto_table):
    with pytest.raises(ConfigError, match="scheduled_time 'yesterday' is not an ISO 8601 time"):
        handler.lambda_handler({"scheduled_time": "yesterday"}, None)


def test_redaction_filter_masks_a_registered_secret(capsys):
    from ingest import logs

    logs.configure()
    logs.register_secret("s3cr3t-value")
    logs.log_event("test.event", detail="key s3cr3t-value leaked", count=2)
    line = json.loads(capsys.readouterr().err.splitlines()[-1])
    assert line["event"] == "test.event"
    assert line["detail"] == "key [REDACTED] leaked"
    assert line["count"] == 2


def test_the_lambda_imports_only_what_its_zip_carries():
    """ingest/requirements.txt (boto3, requests, urllib3) is all the Lambda zip holds."""
    import subprocess
    import sys

    from tools.dynalite import ROOT

    blocked = ["tqdm", "pandas", "numpy", "dash", "plotly", "moto", "responses"]
    code = f"import sys\nfor name in {blocked!r}: sys.modules[name] = None\nimport ingest.handler"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
