"""Warming a worker's cache at start: the first visitor finds the history loaded, and a store
that is down at start neither stops the worker nor raises."""

from __future__ import annotations

import logging
import os
import runpy
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dashboard import data, warmup
from ingest.schema import table_definition
from tests.dashboard.conftest import run_inline
from tests.dashboard.helpers import SLOT, T0, snapshot, write
from tools.dynalite import ROOT, free_port

GUNICORN_CONF = ROOT / "dashboard" / "gunicorn_conf.py"
GUNICORN = Path(sys.executable).parent / "gunicorn"


def test_warm_fills_the_cache_so_the_first_visitor_waits_no_query(moto_table, repository, calls):
    write(moto_table, [snapshot(T0 + i * SLOT, f"{100 + i}").to_item() for i in range(3)])

    warmup.warm(repository)
    assert len(calls.queries) == 1

    first_visit = repository.load("bitcoin")
    assert len(calls.queries) == 1, "the visitor's load must come from the warmed cache"
    assert first_visit.store_error is None
    assert first_visit.frame["price"].tolist() == [100.0, 101.0, 102.0]


def test_warm_loads_every_configured_asset(moto_table, make_repository, calls):
    repository = make_repository(assets=("bitcoin", "ethereum"))
    write(moto_table, [snapshot(T0).to_item(), snapshot(T0, "3000", asset="ethereum").to_item()])

    warmup.warm(repository)

    assert len(calls.queries) == 2
    assert repository.load("ethereum").frame["price"].tolist() == [3000.0]
    assert len(calls.queries) == 2


def test_warm_with_the_store_down_logs_and_returns(table_name, monkeypatch, caplog):
    monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", f"http://127.0.0.1:{free_port()}")
    repository = data.SnapshotRepository(table_name, 60, assets=("bitcoin",))

    with caplog.at_level(logging.WARNING, logger="dashboard.warmup"):
        warmup.warm(repository)  # must not raise

    assert "could not warm the cache for bitcoin" in caplog.text
    assert repository.load("bitcoin").store_error == data.UNREACHABLE


def test_warm_until_ready_keeps_trying_while_the_store_is_down(moto_table, calls, clock):
    """At worker start the store may still be down; the worker must become ready once it
    answers, without any visitor's help."""
    moto_table.meta.client.delete_table(TableName=moto_table.name)
    naps: list[float] = []

    def sleep(seconds: float) -> None:
        naps.append(seconds)
        clock[0] += seconds
        if len(naps) == 2:  # the store comes back while the worker waits
            moto_table.meta.client.create_table(**table_definition(moto_table.name))
            write(moto_table, [snapshot(T0).to_item()])

    repository = data.SnapshotRepository(
        moto_table.name, 60, clock=lambda: clock[0], assets=("bitcoin",), spawn=run_inline
    )
    warmup.warm(repository, until_ready=True, sleep=sleep)

    assert naps == [60, 60]
    assert repository.ready
    assert repository.load("bitcoin").frame["price"].tolist() == [100.0]


def test_the_worker_thread_never_raises_even_when_no_repository_can_be_built(monkeypatch, caplog):
    def broken() -> data.SnapshotRepository:
        raise RuntimeError("bad settings")

    monkeypatch.setattr(warmup, "get_repository", broken)
    with caplog.at_level(logging.ERROR, logger="dashboard.warmup"):
        warmup.run()
    assert "warming the snapshot cache failed" in caplog.text
    assert "bad settings" in caplog.text


def test_an_idle_worker_keeps_following_the_store(moto_table, make_repository, calls, clock):
    """Nobody visits for a while, snapshots keep arriving: the next visitor must get the
    current price at once, not the one from before the quiet spell."""
    write(moto_table, [snapshot(T0).to_item()])
    repository = make_repository()
    warmup.warm(repository)
    naps: list[float] = []

    def sleep(seconds: float) -> None:  # a new snapshot arrives during each pause
        naps.append(seconds)
        clock[0] += seconds
        write(moto_table, [snapshot(T0 + len(naps) * SLOT, f"{100 + len(naps)}").to_item()])

    warmup.keep_fresh(repository, sleep=sleep, rounds=3)

    assert naps == [60, 60, 60]
    assert len(calls.queries) == 4  # the warm-up, then one small refresh per pause
    frame, _ = repository.cached("bitcoin")
    assert frame["price"].tolist() == [100.0, 101.0, 102.0, 103.0]


def test_a_zero_ttl_does_not_make_the_loop_spin(moto_table, calls):
    repository = data.SnapshotRepository(moto_table.name, 0, assets=("bitcoin",))
    naps: list[float] = []
    warmup.keep_fresh(repository, sleep=naps.append, rounds=2)
    assert naps == [1.0, 1.0]


def test_post_worker_init_runs_the_warm_up_thread_as_a_daemon(monkeypatch):
    conf = runpy.run_path(str(GUNICORN_CONF))
    started = threading.Event()
    seen: list[threading.Thread] = []

    def run() -> None:
        seen.append(threading.current_thread())
        started.set()

    monkeypatch.setattr(warmup, "run", run)
    conf["post_worker_init"](object())

    assert started.wait(timeout=5)
    (thread,) = seen
    assert thread is not threading.main_thread()
    assert thread.daemon  # never holds a worker's shutdown


# -- the real serving command -----------------------------------------------------------------


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (loopback)
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.fixture
def serve(table_name: str, tmp_path: Path) -> Iterator[Any]:
    """A function that starts `gunicorn -c dashboard/gunicorn_conf.py` (one worker) with the
    test's environment, waits for a line in its log and returns the base URL; stopped after
    the test."""
    log_path = tmp_path / "gunicorn.log"
    processes: list[subprocess.Popen[bytes]] = []

    def start(wait_for: str, timeout: float = 30) -> str:
        port = free_port()
        env = {**os.environ, "HOST": "127.0.0.1", "PORT": str(port), "WEB_CONCURRENCY": "1"}
        command = [str(GUNICORN), "-c", str(GUNICORN_CONF), "dashboard.app:server"]
        with log_path.open("wb") as log:
            processes.append(subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            output = log_path.read_text(errors="replace")
            if wait_for in output:
                return f"http://127.0.0.1:{port}"
            assert processes[-1].poll() is None, f"gunicorn exited:\n{output}"
            time.sleep(0.2)
        raise AssertionError(f"no {wait_for!r} in gunicorn's log:\n{log_path.read_text()}")

    yield start
    for process in processes:
        process.terminate()
        process.wait(timeout=15)


@pytest.mark.integration
def test_a_started_worker_loads_the_history_before_any_visitor(dynalite_table, serve):
    write(dynalite_table, [snapshot(T0 + i * SLOT).to_item() for i in range(5)])

    base = serve(wait_for="warmed the snapshot cache for [bitcoin]")

    assert _get(f"{base}/readyz") == 200
    assert _get(f"{base}/healthz") == 200


@pytest.mark.integration
def test_a_worker_started_while_the_store_is_down_still_serves(monkeypatch, serve):
    monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", f"http://127.0.0.1:{free_port()}")

    base = serve(wait_for="could not warm the cache for bitcoin")

    assert _get(f"{base}/livez") == 200  # the process serves: ECS must not replace it
    assert _get(f"{base}/readyz") == 503  # no traffic until its cache is loaded
    assert _get(f"{base}/healthz") == 503  # answered: the store is unreachable, not the worker
