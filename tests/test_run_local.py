"""`make run` end to end: store, table, demo data, dashboard; data kept; nothing left running."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request

import pytest

from tools.dynalite import ROOT, free_port, is_serving

pytestmark = pytest.mark.integration


def _wait_for_health(url: str, process: subprocess.Popen, timeout: float = 90) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, "make run's launcher exited early"
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (loopback)
                return json.load(response)
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"{url} did not answer within {timeout}s")


def _run_until_healthy(tmp_path, store_port: int, web_port: int) -> tuple[str, dict]:
    env = {**os.environ, "DYNALITE_PORT": str(store_port), "PORT": str(web_port)}
    process = subprocess.Popen(
        [sys.executable, "-m", "tools.run_local", "--data-dir", str(tmp_path / "store")],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        health = _wait_for_health(f"http://127.0.0.1:{web_port}/healthz", process)
    finally:
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=60)
    assert process.returncode == 0, output
    return output, health


def test_make_run_seeds_demo_data_once_and_stops_cleanly(tmp_path):
    store_port, web_port = free_port(), free_port()

    first, health = _run_until_healthy(tmp_path, store_port, web_port)
    # 2,500 days of four snapshots, for each of the two assets a local run shows.
    assert "bitcoin: seeded 10000 demo snapshots" in first
    assert "ethereum: seeded 10000 demo snapshots" in first
    assert health["status"] == "ok"
    # The newest demo snapshot opens the slot current at seeding time: at most one 6-hour slot
    # old, plus however long seeding and start-up took (a run across a slot boundary).
    assert health["newest_snapshot_age_seconds"] < 6 * 3600 + 600
    assert not is_serving(store_port), "the store outlived make run"
    assert not is_serving(web_port), "gunicorn outlived make run"

    second, _ = _run_until_healthy(tmp_path, store_port, web_port)
    assert "bitcoin: snapshots already stored; demo data not seeded" in second
    assert "ethereum: snapshots already stored; demo data not seeded" in second
