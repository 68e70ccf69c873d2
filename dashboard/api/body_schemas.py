"""The JSON Schemas of the data API's bodies, the `components/schemas` of its OpenAPI document.

Built from the storage schema's field lists and the daily series' definitions, so a body and
its schema cannot drift apart. Stored decimals are strings matching `DECIMAL` (null where a
value is missing); times are RFC 3339 strings in UTC; `ts`, `fetched_at` and `snapshots` are
integers.
"""

from __future__ import annotations

from typing import Any

from dashboard.analytics.daily import DAILY_LAST_FIELDS
from dashboard.analytics.definitions import DAILY_CANDLE, DAILY_VALUES
from ingest.schema import FETCHED_AT, LABEL_FIELDS, METRIC_FIELDS, SORT_KEY

DECIMAL = r"^-?\d+(\.\d+)?$"
TIME_SCHEMA = {"type": "string", "format": "date-time", "examples": ["2026-11-29T12:00:00Z"]}
_REF = "#/components/schemas/"


def ref(name: str) -> dict[str, str]:
    return {"$ref": _REF + name}


def _decimal(nullable: bool) -> dict[str, Any]:
    kind: Any = ["string", "null"] if nullable else "string"
    return {"type": kind, "pattern": DECIMAL, "description": "the stored decimal, exactly"}


def schemas() -> dict[str, Any]:
    """Every body's schema by name; the document refers to them with `ref`."""
    snapshot_properties: dict[str, Any] = {"time": TIME_SCHEMA, SORT_KEY: {"type": "integer"}}
    snapshot_properties.update({name: _decimal(nullable=True) for name in METRIC_FIELDS})
    snapshot_properties.update({name: {"type": "string"} for name in LABEL_FIELDS})
    snapshot_properties[FETCHED_AT] = {"type": "integer"}
    day_properties: dict[str, Any] = {"time": TIME_SCHEMA, SORT_KEY: {"type": "integer"}}
    day_properties.update({name: _decimal(False) for name in ("open", "high", "low", "close")})
    day_properties.update({name: _decimal(nullable=True) for name in DAILY_LAST_FIELDS})
    day_properties["snapshots"] = {"type": "integer", "minimum": 1}
    page_next = {
        "type": ["string", "null"],
        "description": "path of the next page, null on the last one",
    }
    return {
        "Error": {
            "type": "object",
            "required": ["error"],
            "properties": {"error": {"type": "string"}},
            "additionalProperties": False,
        },
        "Asset": {
            "type": "object",
            "required": ["asset", "name", "symbol", "first", "last", "count"],
            "properties": {
                "asset": {"type": "string"},
                "name": {"type": "string"},
                "symbol": {"type": "string"},
                "first": TIME_SCHEMA,
                "last": TIME_SCHEMA,
                "count": {"type": "integer", "minimum": 1},
            },
            "additionalProperties": False,
        },
        "Snapshot": {
            "type": "object",
            "description": "one stored snapshot; only `time` and the requested fields",
            "required": ["time"],
            "properties": snapshot_properties,
            "additionalProperties": False,
        },
        "Day": {
            "type": "object",
            "description": f"{DAILY_CANDLE} {DAILY_VALUES}",
            "required": ["time"],
            "properties": day_properties,
            "additionalProperties": False,
        },
        "Snapshots": {
            "type": "object",
            "required": ["asset", "snapshots", "next"],
            "properties": {
                "asset": {"type": "string"},
                "snapshots": {"type": "array", "items": ref("Snapshot")},
                "next": page_next,
            },
            "additionalProperties": False,
        },
        "Days": {
            "type": "object",
            "required": ["asset", "interval", "days", "next"],
            "properties": {
                "asset": {"type": "string"},
                "interval": {"const": "1d"},
                "days": {"type": "array", "items": ref("Day")},
                "next": page_next,
            },
            "additionalProperties": False,
        },
    }
