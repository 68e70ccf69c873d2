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

from typing import Any

import flask

from dashboard.data import StoreUnavailable, get_repository

LIVE_PATH = "/livez"
READY_PATH = "/readyz"
HEALTH_PATH = "/healthz"
PATH = HEALTH_PATH


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
        body = {"status": "ready" if ready else "warming", "cache": repository.cache_status()}
        return _json(body, 200 if ready else 503)

    @server.get(HEALTH_PATH)
    def healthz() -> flask.Response:
        repository = get_repository()
        body: dict[str, Any] = {"ready": repository.ready, "cache": repository.cache_status()}
        try:
            age = repository.check()
        except StoreUnavailable as exc:
            body.update(status="unavailable", store="unreachable", error=str(exc))
            return _json(body, 503)
        age_seconds = None if age is None else round(age, 1)
        body.update(status="ok", store="reachable", newest_snapshot_age_seconds=age_seconds)
        return _json(body)
