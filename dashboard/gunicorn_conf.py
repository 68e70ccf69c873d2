"""gunicorn settings: the one way the dashboard is served (container, ECS task, `make run`).

    gunicorn -c dashboard/gunicorn_conf.py dashboard.app:server

Threads let one worker answer health checks while another request waits on DynamoDB; each
worker keeps its own snapshot cache, so a few workers with several threads beat many workers.
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path
from typing import Any

# gunicorn executes this file by path; make the project importable for `dashboard.config`.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dashboard import config as _config

_settings = _config.load()

bind = f"{_settings.host}:{_settings.port}"
workers = _settings.web_concurrency
worker_class = "gthread"
threads = 4
timeout = 30
# Keep idle connections longer than the ALB idle timeout (60 s) and users' think time:
# gunicorn's 2 s default closed connections that clients were about to reuse, which showed
# up as connection resets under `make load` (and as 502s behind the ALB).
keepalive = 75
preload_app = False
accesslog = "-"
errorlog = "-"
loglevel = _settings.log_level.lower()
# gunicorn's runtime-control socket would go under $HOME, which the container's non-root
# user lacks (and the root filesystem is read-only); nothing here needs runtime control.
control_socket_disable = True


def post_worker_init(worker: Any) -> None:
    """Warm this worker's snapshot cache in the background as soon as it has loaded the app,
    so its first visitor does not wait a cold load (at a million snapshots longer than the
    ALB's 60 s idle timeout), then keep it following the store while nobody visits. A daemon
    thread: the worker serves at once (/livez answers, /readyz says 503 until the cache is
    loaded); see dashboard.warmup."""
    from dashboard import warmup  # the worker's copy, imported with the app

    threading.Thread(target=warmup.run, name="warm-snapshot-cache", daemon=True).start()
