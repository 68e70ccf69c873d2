"""gunicorn with the production config on a loopback port, for `make load` and the browser bench.

`serving(env, log)` starts `gunicorn -c dashboard/gunicorn_conf.py dashboard.app:server`, waits
for /livez (the process serves) and, when asked, for every worker to have warmed its snapshot
cache (the line `dashboard.warmup.warm` logs), so the figures are those of a server that has
been up a while.
"""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from tools.dynalite import HOST, ROOT

COMMAND = ("-m", "gunicorn", "-c", "dashboard/gunicorn_conf.py", "dashboard.app:server")
WARMED = "warmed the snapshot cache"


def start_server(env: dict[str, str], log: IO[bytes]) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [sys.executable, *COMMAND], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    url = f"http://{HOST}:{env['PORT']}/livez"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return server
        except OSError:
            if server.poll() is not None:
                break
            time.sleep(0.5)
    server.terminate()
    raise SystemExit(f"gunicorn did not answer {url}; see {log.name}")


def wait_warm(log_path: Path, workers: int, timeout: float) -> None:
    """Until `workers` warm-up lines are in the log (needs LOG_LEVEL=INFO)."""
    deadline = time.monotonic() + timeout
    while log_path.read_text(errors="replace").count(WARMED) < workers:
        if time.monotonic() > deadline:
            raise SystemExit(f"gunicorn workers did not warm their caches in {timeout:.0f} s")
        time.sleep(0.5)


@contextmanager
def serving(
    env: dict[str, str], log_path: Path, *, warm_timeout: float | None = None
) -> Iterator[str]:
    """The server's base URL while it runs; stopped afterwards."""
    with open(log_path, "wb") as log:
        server = start_server(env, log)
        try:
            if warm_timeout is not None:
                wait_warm(log_path, int(env.get("WEB_CONCURRENCY", "2")), warm_timeout)
            yield f"http://{HOST}:{env['PORT']}"
        finally:
            server.terminate()
            server.wait(timeout=30)
