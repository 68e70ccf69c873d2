"""The data API's OpenAPI 3.1 document, served at /api/v1/openapi.json.

Built from the same constants the API checks parameters against (field names, formats,
the row limit), so the document cannot drift from what is enforced; schemathesis fuzzes the
API from this document in `make test`. The bodies' schemas are in `body_schemas`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from functools import cache
from typing import Any

from dashboard.analytics.definitions import DAILY_CANDLE, DAILY_VALUES
from dashboard.api import cors, params
from dashboard.api.body_schemas import ref, schemas

VERSION = "1.0.0"


def _any_case(words: Sequence[str]) -> dict[str, Any]:
    """One of `words` in any case (csv, CSV, Csv), as the API reads them: JSON Schema has no
    case-insensitive enum, so a pattern says it and `examples` gives the usual spelling."""
    either = "|".join(
        "".join(f"[{c}{c.upper()}]" if c.isalpha() else re.escape(c) for c in word)
        for word in words
    )
    return {"type": "string", "pattern": f"^(?:{either})$", "examples": list(words)}


def _header(description: str, required: bool = False) -> dict[str, Any]:
    return {"description": description, "required": required, "schema": {"type": "string"}}


CACHE_HEADERS = {
    "ETag": _header("strong validator; send it back in If-None-Match", required=True),
    "Cache-Control": _header("public, max-age=<seconds>", required=True),
    "Access-Control-Allow-Origin": _header("*", required=True),
    "X-Data-Warning": _header(
        "present when the store did not answer the last refresh: the rows may be stale"
    ),
}


def _error(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": ref("Error")}},
    }


NOT_MODIFIED = {
    "description": "the client's copy (If-None-Match) is current; no body",
    "headers": {name: CACHE_HEADERS[name] for name in ("ETag", "Cache-Control")},
}
METHODS = ", ".join(cors.ALLOWED_METHODS)
METHOD_NOT_ALLOWED = {
    **_error(
        "the API is read-only: an OPTIONS that is not a CORS preflight gets this, as does any "
        f"method but {' and '.join(cors.ALLOWED_METHODS)} (POST, PUT, PATCH, DELETE, TRACE, …) "
        "on every path"
    ),
    "headers": {"Allow": _header(METHODS, required=True)},
}
NO_PARAMETERS = _error(
    "a query parameter was given, and this path takes none; the message names it"
)
UNAVAILABLE = {
    **_error("the store is unreachable and this worker holds nothing cached yet"),
    "headers": {"Retry-After": _header("seconds until this worker asks again", required=True)},
}


def _parameters(max_rows: int) -> list[dict[str, Any]]:
    bound = {
        "type": "string",
        "anyOf": [{"format": "date"}, {"format": "date-time"}],
    }
    daily_only = [name for name in params.DAILY_FIELDS if name not in params.SNAPSHOT_FIELDS]

    def query(name: str, schema: dict[str, Any], description: str, **extra: Any) -> dict:
        return {"name": name, "in": "query", "schema": schema, "description": description, **extra}

    return [
        query(
            "asset",
            {"type": "string", "minLength": 1},
            "the asset's slug, as GET /api/v1/assets lists it, in any case (BITCOIN is "
            "bitcoin; answers and links use the listed slug)",
            required=True,
            example="bitcoin",
        ),
        query(
            "from",
            bound,
            "first day (YYYY-MM-DD, UTC) or first instant (RFC 3339, e.g. "
            "2026-01-31T12:00:00Z; write the + of an offset as %2B), inclusive; years 0001 "
            "to 9999 in UTC",
        ),
        query(
            "to",
            bound,
            "last day (YYYY-MM-DD, the whole UTC day included) or last instant (RFC 3339), "
            "inclusive; years 0001 to 9999 in UTC; from must not be after to",
        ),
        query(
            "fields",
            {
                "type": "array",
                "items": {"enum": [params.TIME, *params.SNAPSHOT_FIELDS, *daily_only]},
                "minItems": 1,
            },
            "the columns to return, each once and in the order listed under the response "
            "schemas whatever the order or repeats given; "
            f"snapshots: {', '.join(params.SNAPSHOT_FIELDS)}; daily rows: "
            f"{', '.join(params.DAILY_FIELDS)}. Every row has time, so naming it changes "
            "nothing (fields=time gives the times alone). Default: all",
            style="form",
            explode=False,
        ),
        query(
            "format",
            _any_case(params.FORMATS),
            "json (default) or csv, in any case (text/csv with a header row: time, asset, then "
            "the fields; formula-like text cells are prefixed with a single quote)",
        ),
        query(
            "limit",
            {"type": "integer", "minimum": 1, "maximum": max_rows},
            f"most rows in this response; default and maximum {max_rows}. Follow `next` (JSON) "
            'or the Link rel="next" header (CSV) for the rest',
        ),
        query(
            "interval",
            _any_case(params.INTERVALS),
            f"1d (in any case): one row per UTC day instead of every snapshot. {DAILY_CANDLE} "
            f"{DAILY_VALUES}",
        ),
    ]


def _preflight(name: str) -> dict[str, Any]:
    """OPTIONS on every path: a browser's CORS preflight before a GET that sets
    If-None-Match; any other OPTIONS is refused like every method but GET and HEAD."""

    def header(header_name: str, description: str, required: bool) -> dict[str, Any]:
        return {"name": header_name, "in": "header", **_header(description, required)}

    headers = {
        "Access-Control-Allow-Origin": _header("*", required=True),
        **{
            header_name: _header(value, required=True)
            for header_name, value in cors.PREFLIGHT_HEADERS.items()
        },
    }
    return {
        "operationId": f"preflight{name}",
        "summary": "CORS preflight (sent by browsers); any other OPTIONS gets 405",
        "parameters": [
            header("Origin", "the origin of the page asking", required=True),
            header(
                "Access-Control-Request-Method",
                f"the method the page means to send ({METHODS})",
                required=True,
            ),
            header(
                "Access-Control-Request-Headers",
                f"the headers the page means to set ({', '.join(cors.ALLOWED_HEADERS)})",
                required=False,
            ),
        ],
        "responses": {
            "204": {
                "description": f"any origin may send {METHODS} with "
                f"{', '.join(cors.ALLOWED_HEADERS)}; the browser enforces it",
                "headers": headers,
            },
            "405": {"$ref": "#/components/responses/MethodNotAllowed"},
        },
    }


def document(max_rows: int) -> dict[str, Any]:
    ok_snapshots = {
        "description": "the rows, ascending in time",
        "headers": {
            **CACHE_HEADERS,
            "Link": _header('<next page>; rel="next", when there is one'),
            "Content-Disposition": _header(
                'CSV only: attachment; filename="<asset>_<first day>_<last day>.csv"'
            ),
        },
        "content": {
            "application/json": {"schema": {"oneOf": [ref("Snapshots"), ref("Days")]}},
            "text/csv": {"schema": {"type": "string"}},
        },
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "bitcoin-tracker data API",
            "version": VERSION,
            "description": (
                "Read-only access to the stored CoinMarketCap snapshots, UTC throughout. "
                "Stored decimals are JSON strings holding them exactly. Any method other "
                "than GET or HEAD gets 405 (see each path's OPTIONS), except a CORS preflight, "
                "which gets 204."
            ),
        },
        "servers": [{"url": "/"}],
        "paths": {
            f"{params.BASE}/assets": {
                "get": {
                    "operationId": "listAssets",
                    "summary": "every stored asset with its first and last snapshot",
                    "responses": {
                        "200": {
                            "description": "the assets",
                            "headers": CACHE_HEADERS,
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "required": ["assets"],
                                        "properties": {
                                            "assets": {"type": "array", "items": ref("Asset")}
                                        },
                                        "additionalProperties": False,
                                    }
                                }
                            },
                        },
                        "304": NOT_MODIFIED,
                        "400": NO_PARAMETERS,
                        "503": UNAVAILABLE,
                    },
                },
                "options": _preflight("Assets"),
            },
            params.SNAPSHOTS_PATH: {
                "get": {
                    "operationId": "getSnapshots",
                    "summary": "an asset's snapshots (or daily rows) in a time range",
                    "parameters": _parameters(max_rows),
                    "responses": {
                        "200": ok_snapshots,
                        "304": NOT_MODIFIED,
                        "400": _error(
                            "a parameter is malformed or not one of these; the message names it"
                        ),
                        "404": _error("the asset is unknown; the message names it"),
                        "503": UNAVAILABLE,
                    },
                },
                "options": _preflight("Snapshots"),
            },
            f"{params.BASE}/openapi.json": {
                "get": {
                    "operationId": "getOpenApi",
                    "summary": "this document",
                    "responses": {
                        "200": {
                            "description": "OpenAPI 3.1",
                            "headers": CACHE_HEADERS,
                            "content": {"application/json": {"schema": {"type": "object"}}},
                        },
                        "304": NOT_MODIFIED,
                        "400": NO_PARAMETERS,
                    },
                },
                "options": _preflight("OpenApi"),
            },
        },
        "components": {
            "schemas": schemas(),
            "responses": {"MethodNotAllowed": METHOD_NOT_ALLOWED},
        },
    }


@cache
def document_bytes(max_rows: int) -> bytes:
    return json.dumps(document(max_rows), indent=1).encode()
