"""The one serving command, run for real: gunicorn with dashboard/gunicorn_conf.py."""

from __future__ import annotations

import json
import os
import runpy
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.browser import seed
from tools.dynalite import ROOT, free_port

pytestmark = pytest.mark.integration

GUNICORN = Path(sys.executable).parent / "gunicorn"
COMMAND = [str(GUNICORN), "-c", "dashboard/gunicorn_conf.py", "dashboard.app:server"]


def _get(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (loopback)
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.fixture
def served(dynalite_table):
    seed.write(dynalite_table, seed.history(2))
    port = free_port()
    env = {**os.environ, "HOST": "127.0.0.1", "PORT": str(port), "WEB_CONCURRENCY": "1"}
    process = subprocess.Popen(
        COMMAND, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    try:
        while True:
            try:
                _get(f"{base}/healthz")
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    output = process.stdout.read().decode() if process.stdout else ""
                    pytest.fail(f"gunicorn did not come up:\n{output}")
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=15)


def test_gunicorn_serves_the_page_and_health(served):
    status, headers, body = _get(f"{served}/")
    assert status == 200
    assert b"Bitcoin tracker" in body
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"

    status, _, body = _get(f"{served}/healthz")
    assert status == 200
    health = json.loads(body)
    assert health["status"] == "ok"
    # The seed's newest snapshot opens the current 6-hour slot: at most six hours old.
    assert 0 <= health["newest_snapshot_age_seconds"] < 6 * 3600 + 60
    assert _get(f"{served}/livez")[0] == 200


def test_gunicorn_settings_follow_the_environment(monkeypatch):
    monkeypatch.setenv("HOST", "0.0.0.0")  # noqa: S104 (what the container sets)
    monkeypatch.setenv("PORT", "9123")
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    settings = runpy.run_path(str(ROOT / "dashboard" / "gunicorn_conf.py"))
    assert settings["bind"] == "0.0.0.0:9123"
    assert settings["workers"] == 3
    assert settings["worker_class"] == "gthread"
    assert settings["threads"] == 4
    assert settings["timeout"] == 30
    # Above the ALB's 60 s idle timeout, so the target never closes a connection first.
    assert settings["keepalive"] == 75
    assert settings["accesslog"] == "-"
    assert settings["preload_app"] is False
    # The container's user has no home and a read-only root: no control socket to create.
    assert settings["control_socket_disable"] is True
