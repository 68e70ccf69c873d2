"""A store that hangs after warm-up (dynalite stopped with SIGSTOP, as a network black hole
would leave it), with a 2-second cache TTL: nothing that decides whether a task is replaced
notices, and a new visitor still reads the cached price at once, under the outage banner."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest

from dashboard import ids
from ingest.schema import table_definition
from tests.browser import seed
from tools.dynalite import ROOT, LocalStore, client_env, free_port

pytestmark = [pytest.mark.browser, pytest.mark.integration]

GUNICORN = Path(sys.executable).parent / "gunicorn"
TABLE = "outage-snapshots"
# What ECS and the ALB allow a check before counting it failed (infra/task-definition.json:
# 5 s; infra/web.yaml's target group: 5 s).
CHECK_TIMEOUT_SECONDS = 5


def _get(url: str, timeout: float = CHECK_TIMEOUT_SECONDS) -> tuple[int, dict, float]:
    started = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 (loopback)
            status, body = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, body = error.code, error.read()
    return status, json.loads(body), time.monotonic() - started


@pytest.fixture
def hung_store_server(tmp_path: Path) -> Iterator[tuple[str, LocalStore]]:
    """gunicorn (one worker, TTL 2 s) on a store of its own, warmed; the store is then
    frozen with SIGSTOP and thawed after the test."""
    store = LocalStore(path=tmp_path / "store").start()
    env = {
        **os.environ,
        **client_env(store.port),
        "SNAPSHOT_TABLE": TABLE,
        "CACHE_TTL_SECONDS": "2",
        "HOST": "127.0.0.1",
        "PORT": str(free_port()),
        "WEB_CONCURRENCY": "1",
    }
    dynamodb = boto3.resource("dynamodb", endpoint_url=store.endpoint)
    table = dynamodb.create_table(**table_definition(TABLE))
    seed.write(table, seed.history(10))
    command = [str(GUNICORN), "-c", "dashboard/gunicorn_conf.py", "dashboard.app:server"]
    log = (tmp_path / "gunicorn.log").open("wb")
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)
    base = f"http://127.0.0.1:{env['PORT']}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if _get(f"{base}/readyz", timeout=2)[0] == 200:
                    break
            except OSError:
                pass
            assert server.poll() is None, (tmp_path / "gunicorn.log").read_text()
            assert time.monotonic() < deadline, "the worker never became ready"
            time.sleep(0.2)
        os.kill(store.process.pid, signal.SIGSTOP)
        yield base, store
    finally:
        os.kill(store.process.pid, signal.SIGCONT)
        server.terminate()
        server.wait(timeout=30)
        store.stop()
        log.close()


def test_a_hung_store_kills_no_task_and_visitors_keep_the_cached_price(hung_store_server, dash_duo):
    base, _ = hung_store_server
    time.sleep(3)  # past the TTL: the next read starts a refresh that will hang

    # The first visitor after the hang starts the refresh; the price is there at once.
    dash_duo.driver.get(base)
    dash_duo.wait_for_text_to_equal(f"#{ids.CARD_PRICE}", "$68,891.88", timeout=5)

    # Liveness (ECS) and readiness (ALB) keep answering 200, promptly, all through the hang.
    for _ in range(4):
        for path in ("/livez", "/readyz"):
            status, _, seconds = _get(base + path)
            assert (path, status) == (path, 200)
            assert seconds < 1, f"{path} took {seconds:.1f} s"
        time.sleep(2)

    # The refresh has timed out by now: the health body says so, within a monitor's timeout.
    status, body, seconds = _get(f"{base}/healthz")
    assert (status, body["status"], body["store"]) == (503, "unavailable", "unreachable")
    assert body["error"].startswith("The snapshot store is unreachable")
    assert seconds < CHECK_TIMEOUT_SECONDS

    # A new visitor: the cached price within a few seconds, under the banner.
    began = time.monotonic()
    dash_duo.driver.get(base)
    dash_duo.wait_for_text_to_equal(f"#{ids.CARD_PRICE}", "$68,891.88", timeout=5)
    dash_duo.wait_for_contains_text(
        f"#{ids.STORE_BANNER}", "The snapshot store is unreachable right now", timeout=5
    )
    assert time.monotonic() - began < 5
    assert (
        "Showing the data loaded before the outage"
        in dash_duo.find_element(f"#{ids.STORE_BANNER}").text
    )
