"""The read-only data API under /api/v1, a Flask blueprint on the dashboard's own server.

Every answer reads the worker's snapshot cache (`dashboard.data`), the same one the page
reads: a warm worker never asks the store per request, and an asset the dashboard does not
know is refused before anything is loaded. Errors are JSON `{"error": "…"}` (400 bad
parameter, 404 unknown asset or path, 405 any method but GET/HEAD, 503 store down with
nothing cached); when the cache could not be refreshed the cached rows are still served and
`X-Data-Warning` says why they may be stale. Every /api response allows any origin (public,
read-only data; a CORS preflight gets 204, see `cors`) and carries a CSP that allows nothing,
since none of it is a page.
"""

from __future__ import annotations

import json
import time
from typing import Any

import flask
from werkzeug.exceptions import HTTPException

from dashboard import config, data
from dashboard.api import caching, cors, openapi, params, serialize, tables
from ingest.schema import SORT_KEY

PREFIX = "/api"
ANY_METHOD = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
API_HEADERS = {
    **cors.RESPONSE_HEADERS,
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
}
WARNING_HEADER = "X-Data-Warning"

blueprint = flask.Blueprint("api", __name__, url_prefix=PREFIX)


def _get(rule: str) -> Any:
    """A GET (and HEAD) route; OPTIONS is left to `_read_only` like every other method."""
    return blueprint.route(rule, methods=["GET"], provide_automatic_options=False)


def error(status: int, message: str, **headers: str) -> flask.Response:
    response = flask.Response(
        json.dumps({"error": message}), status=status, mimetype=serialize.JSON_TYPE
    )
    response.headers.update({"Cache-Control": caching.NO_STORE, **headers})
    return response


def _settings() -> config.DashboardSettings:
    return flask.current_app.config["DASHBOARD_SETTINGS"]


def _freshness(newest: int | None, range_end: int | None, warning: str | None) -> dict[str, str]:
    settings = _settings()
    seconds = caching.max_age(
        newest,
        range_end,
        stale=warning is not None,
        slot_seconds=settings.store.slot_hours * 3600,
        ttl_seconds=settings.cache_ttl_seconds,
        now=time.time(),
    )
    headers = {"Cache-Control": caching.cache_control(seconds)}
    if warning:
        # Header values are Latin-1; the store's messages may hold a dash or two.
        headers[WARNING_HEADER] = warning.replace("—", "-").encode("ascii", "replace").decode()
    return headers


def _answer(body: Any, mimetype: str, tag: str, headers: dict[str, str]) -> flask.Response:
    """200 with `body`, or 304 without it when the client holds this ETag already."""
    held = caching.matched(flask.request.if_none_match, tag)
    if held is not None:
        response = flask.Response(status=304, headers=headers)
        response.set_etag(held)
        return response
    response = flask.Response(body, mimetype=mimetype, headers=headers)
    response.set_etag(tag)
    return response


def _takes_no_parameters() -> flask.Response | None:
    """The 400 for a query parameter on a path that takes none (as /snapshots refuses one it
    does not know), or None."""
    try:
        params.refuse_unknown(flask.request.args, (), flask.request.path)
    except params.BadParameter as exc:
        return error(400, str(exc))
    return None


@_get("/v1/assets")
def assets() -> flask.Response:
    if refused := _takes_no_parameters():
        return refused
    repository = data.get_repository()
    entries, warnings, newest = [], [], None
    for asset in repository.assets():
        result = repository.load(asset)
        if result.store_error:
            warnings.append(result.store_error)
        frame = result.frame
        if frame.empty:
            continue
        stamps = frame[SORT_KEY]
        newest = max(newest or 0, int(stamps.iloc[-1]))
        entries.append(
            {
                "asset": asset,
                "name": str(frame["name"].iloc[-1]),
                "symbol": str(frame["symbol"].iloc[-1]),
                "first": params.time_text(int(stamps.iloc[0])),
                "last": params.time_text(int(stamps.iloc[-1])),
                "count": len(frame),
            }
        )
    warning = warnings[0] if warnings else None
    if not entries and warning:
        return error(503, warning, **{"Retry-After": _retry_after()})
    body = json.dumps({"assets": entries}).encode()
    headers = _freshness(newest, None, warning)
    return _answer(body, serialize.JSON_TYPE, caching.etag(body.decode()), headers)


@_get("/v1/snapshots")
def snapshots() -> flask.Response:
    max_rows = _settings().api_max_rows
    try:
        query = params.parse_snapshots(flask.request.args.to_dict(flat=False), max_rows)
    except params.BadParameter as exc:
        return error(400, str(exc))
    repository = data.get_repository()
    known = repository.assets()
    if query.asset not in known:
        return error(404, params.unknown_asset(query.asset, known))
    result = repository.load(query.asset)
    if result.frame.empty and result.store_error:
        return error(503, result.store_error, **{"Retry-After": _retry_after()})
    page = tables.page(result.frame, result.decimals, query, max_rows)
    next_path = None if page.next_start is None else query.starting_at(page.next_start).path()
    newest = int(result.frame[SORT_KEY].iloc[-1]) if not result.frame.empty else None
    end = None if query.end is None else query.end.seconds
    headers = _freshness(newest, end, result.store_error)
    if next_path is not None:
        headers["Link"] = f'<{next_path}>; rel="next"'
    tag = caching.etag(page.digest, query.path())
    if query.format == "csv":
        first = page.first if query.start is None else query.start.seconds
        last = page.last if query.end is None else query.end.seconds
        name = serialize.filename(query.asset, first, last)
        headers["Content-Disposition"] = f'attachment; filename="{name}"'
        return _answer(serialize.csv_body(page, query.asset), serialize.CSV_TYPE, tag, headers)
    body = serialize.json_body(page, query.asset, query.interval, next_path)
    return _answer(body, serialize.JSON_TYPE, tag, headers)


@_get("/v1/openapi.json")
def openapi_document() -> flask.Response:
    if refused := _takes_no_parameters():
        return refused
    body = openapi.document_bytes(_settings().api_max_rows)
    headers = {"Cache-Control": caching.cache_control(caching.DOCUMENT_MAX_AGE)}
    return _answer(body, serialize.JSON_TYPE, caching.etag(body.decode()), headers)


@blueprint.route("/", methods=list(ANY_METHOD), provide_automatic_options=False)
@blueprint.route("/<path:rest>", methods=list(ANY_METHOD), provide_automatic_options=False)
def not_found(rest: str = "") -> flask.Response:
    """Anything else under /api: a method other than GET/HEAD is `_read_only`'s (on any path,
    so no other route of the server answers it), otherwise 404."""
    if flask.request.method not in cors.ALLOWED_METHODS:
        return _read_only()
    return error(
        404,
        f"there is nothing at {flask.request.path[:80]}; the API's paths are in "
        f"{params.BASE}/openapi.json.",
    )


def _retry_after() -> str:
    return str(max(1, int(_settings().cache_ttl_seconds)))


@blueprint.errorhandler(500)
def internal_error(exc: HTTPException) -> flask.Response:
    return error(500, "The request failed on the server; the problem has been logged.")


def _read_only(exc: HTTPException | None = None) -> Any:
    """Any method but GET/HEAD under /api (also those no route lists, e.g. TRACE): 204 for a
    CORS preflight, otherwise 405."""
    if not flask.request.path.startswith(PREFIX + "/"):
        return exc
    method = flask.request.method
    if cors.is_preflight(method, flask.request.headers):
        response = flask.Response(status=204, headers=cors.PREFLIGHT_HEADERS)
        del response.headers["Content-Type"]  # there is no content to type
        return response
    methods = ", ".join(cors.ALLOWED_METHODS)
    hint = ""
    if method == "OPTIONS":
        hint = f" (a CORS preflight, with {' and '.join(cors.PREFLIGHT_REQUEST_HEADERS)}, gets 204)"
    return error(
        405,
        f"method {method[:20]} is not allowed; the API is read-only: use {methods}{hint}.",
        Allow=methods,
    )


def _api_headers(response: flask.Response) -> flask.Response:
    if flask.request.path.startswith(PREFIX + "/"):
        for name, value in API_HEADERS.items():
            response.headers[name] = value
    return response


def register(server: flask.Flask, settings: config.DashboardSettings) -> None:
    """Serve the API on `server` (its CORS and CSP headers replace the page's on /api)."""
    server.config["DASHBOARD_SETTINGS"] = settings
    server.register_blueprint(blueprint)
    server.register_error_handler(405, _read_only)
    server.after_request(_api_headers)
