"""`GET /healthz` for the load balancer and ECS: is the store answering, and how old is the
newest snapshot? One small Query per probe; the page cache is not consulted, so a probe sees
the store as it is now."""

from __future__ import annotations

import flask

from dashboard.data import StoreUnavailable, get_repository

PATH = "/healthz"


def register(server: flask.Flask) -> None:
    @server.get(PATH)
    def healthz() -> flask.Response:
        try:
            age = get_repository().check()
        except StoreUnavailable as exc:
            response = flask.jsonify(status="unavailable", error=str(exc))
            response.status_code = 503
        else:
            age_seconds = None if age is None else round(age, 1)
            response = flask.jsonify(status="ok", newest_snapshot_age_seconds=age_seconds)
        response.headers["Cache-Control"] = "no-store"
        return response
