"""Dashboard-only settings, read from the environment in this one place.

Store settings (table, assets, slot length) come from `ingest.config` so the dashboard and
the ingest job can never disagree about where the snapshots live.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from ingest import config as store_config

DEFAULT_MAX_POINTS = 2000
# Downsampling keeps the global high and low plus at least three LTTB points.
MIN_MAX_POINTS = 5


@dataclass(frozen=True)
class DashboardSettings:
    store: store_config.Settings
    host: str
    port: int
    debug: bool
    cache_ttl_seconds: float
    stale_after_hours: float
    max_points: int = DEFAULT_MAX_POINTS


def _number(name: str, default: float, *, minimum: float, integer: bool = False) -> float:
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
    return value


def load() -> DashboardSettings:
    """Read the environment now (not at import) so tests and each worker see current values."""
    store = store_config.load()
    return DashboardSettings(
        store=store,
        host=os.environ.get("HOST", "").strip() or "127.0.0.1",
        port=int(_number("PORT", 8050, minimum=1, integer=True)),
        debug=os.environ.get("DASH_DEBUG", "").strip() == "1",
        cache_ttl_seconds=_number("CACHE_TTL_SECONDS", 60.0, minimum=0),
        # Two missed schedule slots mean the ingest job is really failing, not just late.
        stale_after_hours=_number("STALE_AFTER_HOURS", 2 * store.slot_hours, minimum=0),
        max_points=int(
            _number("MAX_CHART_POINTS", DEFAULT_MAX_POINTS, minimum=MIN_MAX_POINTS, integer=True)
        ),
    )
