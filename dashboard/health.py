"""Health endpoints, split so that a store outage never makes ECS replace a healthy task.

- `GET /livez` (container and ECS health checks): the process serves. Never touches the
  store, so a DynamoDB blip cannot get a task killed and its warm cache thrown away.
- `GET /readyz` (the load balancer's target health): 200 once this worker has loaded every
  configured asset, 503 before. A new task gets traffic only when its cache is warm, and it
  stays ready through a store outage, serving the cached history under a banner.
- `GET /healthz` (people and uptime monitors, never used to replace tasks): asks the store
  now, bounded to a few seconds; 503 when it does not answer. The body says whether the
  store is reachable, the newest real snapshot's age, and what this worker's cache holds.
"""

from __future__ import annotations

import time
from typing import Any

import flask

from dashboard.data import SnapshotRepository, StoreUnavailable, get_repository
from ingest.schema import SORT_KEY

LIVE_PATH = "/livez"
READY_PATH = "/readyz"
HEALTH_PATH = "/healthz"


def cache_status(repository: SnapshotRepository) -> dict[str, Any]:
    """What this worker serves, without asking the store: per configured asset, the
    snapshots held, the newest one's age and the last refresh's error."""
    now = time.time()
    status = {}
    for asset in repository.configured_assets:
        frame, error = repository.cached(asset)
        newest = None if frame is None or frame.empty else int(frame[SORT_KEY].iloc[-1])
        status[asset] = {
            "snapshots": None if frame is None else len(frame),
            "newest_snapshot_age_seconds": None if newest is None else round(now - newest, 1),
            "error": error,
        }
    return status


def _json(body: dict[str, Any], status: int = 200) -> flask.Response:
    response = flask.jsonify(body)
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response


def register(server: flask.Flask) -> None:
    @server.get(LIVE_PATH)
    def livez() -> flask.Response:
        return _json({"status": "alive"})

    @server.get(READY_PATH)
    def readyz() -> flask.Response:
        repository = get_repository()
        ready = repository.ready
        body = {"status": "ready" if ready else "warming", "cache": cache_status(repository)}
        return _json(body, 200 if ready else 503)

    @server.get(HEALTH_PATH)
    def healthz() -> flask.Response:
        repository = get_repository()
        body: dict[str, Any] = {"ready": repository.ready, "cache": cache_status(repository)}
        try:
            age = repository.check()
        except StoreUnavailable as exc:
            body.update(status="unavailable", store="unreachable", error=str(exc))
            return _json(body, 503)
        age_seconds = None if age is None else round(age, 1)
        body.update(status="ok", store="reachable", newest_snapshot_age_seconds=age_seconds)
        return _json(body)
