"""The health endpoints as ECS, the load balancer and a monitor see them: liveness never
depends on the store, readiness follows the cache, /healthz reports the store."""

from __future__ import annotations

import threading
import time

import flask
import pytest

from dashboard import data, health
from tests.dashboard.helpers import snapshot, write
from tools.dynalite import free_port


@pytest.fixture
def client() -> flask.testing.FlaskClient:
    server = flask.Flask(__name__)
    health.register(server)
    return server.test_client()


def test_healthy_store_reports_the_newest_snapshot_age(moto_table, client):
    now = int(time.time())
    write(moto_table, [snapshot(now - 7200).to_item(), snapshot(now - 3 * 3600).to_item()])

    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok"
    assert 7200 <= body["newest_snapshot_age_seconds"] < 7200 + 60
    assert response.headers["Cache-Control"] == "no-store"


def test_empty_store_is_healthy_with_no_age(moto_table, client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert (body["status"], body["store"], body["newest_snapshot_age_seconds"]) == (
        "ok",
        "reachable",
        None,
    )
    assert body["ready"] is False  # nothing loaded into this worker's cache yet


def test_unreachable_store_is_503_promptly(client, monkeypatch, table_name):
    monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", f"http://127.0.0.1:{free_port()}")
    started = time.monotonic()
    response = client.get("/healthz")
    assert time.monotonic() - started < 10
    assert response.status_code == 503
    body = response.get_json()
    assert (body["status"], body["store"]) == ("unavailable", "unreachable")
    assert body["error"].startswith("The snapshot store is unreachable")


def test_missing_table_is_503_with_the_fix(moto_table, client):
    moto_table.delete()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert "init-table" in response.get_json()["error"]


def test_liveness_never_asks_the_store(client, monkeypatch, table_name):
    monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", f"http://127.0.0.1:{free_port()}")
    started = time.monotonic()
    response = client.get("/livez")
    assert time.monotonic() - started < 0.5
    assert response.status_code == 200
    assert response.get_json() == {"status": "alive"}
    assert response.headers["Cache-Control"] == "no-store"


def test_readiness_waits_for_the_cache_then_holds_through_an_outage(
    moto_table, client, monkeypatch
):
    now = int(time.time())
    write(moto_table, [snapshot(now - 600).to_item()])
    assert client.get("/readyz").status_code == 503
    assert client.get("/readyz").get_json()["status"] == "warming"

    data.get_repository().load("bitcoin")
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.get_json()["cache"]["bitcoin"]["snapshots"] == 1

    monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", f"http://127.0.0.1:{free_port()}")
    data.get_repository()._local = threading.local()  # the next clients use the dead endpoint
    assert client.get("/healthz").status_code == 503
    assert client.get("/readyz").status_code == 200
