"""Dashboard-only settings, read from the environment in this one place.

Store settings (table, assets, slot length) come from `ingest.config` so the dashboard and
the ingest job can never disagree about where the snapshots live.
"""

from __future__ import annotations

import logging
import math
import os
from dataclasses import dataclass

from ingest import config as store_config

# plotly-resampler's default: more points than a chart has pixels across; zooming re-samples.
DEFAULT_MAX_POINTS = 1000
DEFAULT_WEB_CONCURRENCY = 2
DEFAULT_LOG_LEVEL = "INFO"
# Downsampling keeps the global high and low plus at least three LTTB points.
MIN_MAX_POINTS = 5
# Most rows one data API response (and so one CSV download) holds: ~25 MB of CSV, about a
# second of one core (measured by `make bench`; see README, "Data API").
DEFAULT_API_MAX_ROWS = 100_000
# SVG draws a few thousand points per trace smoothly, and the page's plotly.js bundle has no
# WebGL traces (dashboard/plotlyjs.py); more points than a chart has pixels add nothing.
MAX_MAX_POINTS = 5_000


@dataclass(frozen=True)
class DashboardSettings:
    store: store_config.Settings
    host: str
    port: int
    debug: bool
    cache_ttl_seconds: float
    stale_after_hours: float
    max_points: int = DEFAULT_MAX_POINTS
    web_concurrency: int = DEFAULT_WEB_CONCURRENCY  # gunicorn workers, each with its own cache
    log_level: str = DEFAULT_LOG_LEVEL  # the app's and gunicorn's logs
    api_max_rows: int = DEFAULT_API_MAX_ROWS  # the data API's `limit`: default and maximum


def _number(
    name: str,
    default: float,
    *,
    minimum: float,
    maximum: float = math.inf,
    integer: bool = False,
) -> float:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw) if integer else float(raw)
    except ValueError:
        kind = "a whole number" if integer else "a number"
        raise ValueError(f"{name} must be {kind}, got {raw!r}") from None
    if value != value or value < minimum:  # NaN or too small
        raise ValueError(f"{name} must be at least {minimum:g}, got {raw!r}")
    if value > maximum:
        raise ValueError(f"{name} must be at most {maximum:g}, got {raw!r}")
    return value


def _log_level() -> str:
    raw = os.environ.get("LOG_LEVEL", "").strip().upper() or DEFAULT_LOG_LEVEL
    if raw not in logging.getLevelNamesMapping():
        raise ValueError(f"LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL, got {raw!r}")
    return raw


def load() -> DashboardSettings:
    """Read the environment now (not at import) so tests and each worker see current values."""
    store = store_config.load()
    return DashboardSettings(
        store=store,
        host=os.environ.get("HOST", "").strip() or "127.0.0.1",
        port=int(_number("PORT", 8050, minimum=1, integer=True)),
        debug=os.environ.get("DASH_DEBUG", "").strip() == "1",
        # The page's refresh timer fires once per TTL: 0 would make it fire without pause.
        cache_ttl_seconds=_number("CACHE_TTL_SECONDS", 60.0, minimum=1),
        # Two missed schedule slots mean the ingest job is really failing, not just late.
        stale_after_hours=_number("STALE_AFTER_HOURS", 2 * store.slot_hours, minimum=0),
        max_points=int(
            _number(
                "MAX_CHART_POINTS",
                DEFAULT_MAX_POINTS,
                minimum=MIN_MAX_POINTS,
                maximum=MAX_MAX_POINTS,
                integer=True,
            )
        ),
        web_concurrency=int(
            _number("WEB_CONCURRENCY", DEFAULT_WEB_CONCURRENCY, minimum=1, integer=True)
        ),
        log_level=_log_level(),
        api_max_rows=int(_number("API_MAX_ROWS", DEFAULT_API_MAX_ROWS, minimum=1, integer=True)),
    )
