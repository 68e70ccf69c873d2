"""The headline: the newest snapshot's cards and the messages above them, from one cache read.

`current(result)` is what the cards and the freshness and store messages show for a loaded
history, keyed by `PROPS` (component id and property): the callbacks send it as outputs, and
`first_paint(search)` reads it for the page a visitor is opening, so the layout and the HTML
shell (dashboard/shell.py) carry the price before any script or callback has run. The asset
is the one the page's query string asks for, read by `timeranges.parse_query` exactly as the
state callback reads it. A worker still making its first load of a long history (seconds to
minutes) does not hold the page up: after FIRST_PAINT_WAIT_SECONDS it is drawn without the
headline, and the callbacks fill it in as before.
"""

from __future__ import annotations

import logging
import math
import queue
import threading
from typing import Any

import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

from dashboard import config, formatting, ids
from dashboard.data import LoadResult, get_repository
from dashboard.urlstate import parse_query

log = logging.getLogger(__name__)

HIDDEN = {"display": "none"}
# Ample for a warm worker's cache (an incremental refresh is one small Query) even on a busy
# machine; a worker's first load of a long history (up to minutes) must not hold the page.
FIRST_PAINT_WAIT_SECONDS = 1.0
# What each key of `current` sets on the page: (component id, property).
CARD_PROPS: dict[str, tuple[str, str]] = {
    "price": (ids.CARD_PRICE, "children"),
    "name": (ids.CARD_NAME, "children"),
    "change": (ids.CARD_CHANGE, "children"),
    "change_class": (ids.CARD_CHANGE, "className"),
    "market_cap": (ids.CARD_MARKET_CAP, "children"),
    "dominance": (ids.CARD_DOMINANCE, "children"),
    "volume": (ids.CARD_VOLUME, "children"),
    "volume_change": (ids.CARD_VOLUME_CHANGE, "children"),
    "volume_change_class": (ids.CARD_VOLUME_CHANGE, "className"),
    "supply": (ids.CARD_SUPPLY, "children"),
    "supply_bar": (ids.CARD_SUPPLY_BAR, "value"),
    "supply_bar_label": (ids.CARD_SUPPLY_BAR, "label"),
    "supply_bar_style": (ids.CARD_SUPPLY_BAR, "style"),
    "max_supply": (ids.CARD_MAX_SUPPLY, "children"),
    "rank": (ids.CARD_RANK, "children"),
    "updated": (ids.CARD_UPDATED, "children"),
    "updated_ago": (ids.CARD_UPDATED_AGO, "children"),
}
PROPS: dict[str, tuple[str, str]] = {
    "store_banner": (ids.STORE_BANNER, "children"),
    "stale": (ids.STALE_WARNING, "children"),
    **CARD_PROPS,
}


def _number(value: Any) -> float | None:
    if value is None:
        return None
    value = float(value)
    return None if math.isnan(value) else value


def direction(value: float | None) -> tuple[str, str]:
    """Arrow and colour class for a change, so the sign never rests on colour alone
    (none for a change that shows as 0.00%)."""
    if value is None or round(value, 2) == 0:
        return "", "text-body-secondary"
    return ("▲", "text-success") if value > 0 else ("▼", "text-danger")


def change_text(value: float | None) -> str:
    arrow, _ = direction(value)
    text = formatting.percent(value)
    return f"{arrow} {text}" if arrow else text


def updated_text(taken: pd.Timestamp) -> list[html.Span]:
    """2026-12-01 18:00 (the card's label says UTC): on a narrow card the time goes below the
    day rather than the day breaking at a hyphen."""
    day, time = formatting.utc(taken, zone=False).split(" ")
    return [html.Span(day, className="text-nowrap"), " ", html.Span(time)]


def headline(frame: pd.DataFrame, now: pd.Timestamp) -> dict[str, Any]:
    """Card contents for the newest snapshot, keyed like CARD_PROPS."""
    row = frame.iloc[-1]
    symbol = str(row.get("symbol") or "")
    circulating = _number(row.get("circulating_supply"))
    max_supply = _number(row.get("max_supply"))
    change = _number(row.get("percent_change_24h"))
    volume_change = _number(row.get("volume_change_24h"))
    dominance = _number(row.get("market_cap_dominance"))
    rank = _number(row.get("cmc_rank"))
    taken = frame.index[-1]
    share = circulating / max_supply * 100 if circulating and max_supply else None
    return {
        "price": formatting.usd(_number(row.get("price"))),
        "name": f"{row.get('name', '')} ({symbol})" if symbol else str(row.get("name", "")),
        "change": change_text(change),
        "change_class": f"fs-4 fw-semibold {direction(change)[1]}",
        "market_cap": formatting.usd_compact(_number(row.get("market_cap"))),
        "dominance": f"{dominance:.2f}% dominance" if dominance is not None else "",
        "volume": formatting.usd_compact(_number(row.get("volume_24h"))),
        "volume_change": f"{change_text(volume_change)} vs previous 24h"
        if volume_change is not None
        else "",
        "volume_change_class": f"small {direction(volume_change)[1]}",
        "supply": formatting.supply(circulating, symbol),
        "supply_bar": share or 0,
        "supply_bar_label": f"{share:.1f}% of max" if share is not None else "",
        "supply_bar_style": {"height": "1.1rem"} if share is not None else HIDDEN,
        "max_supply": formatting.supply(max_supply, symbol) if max_supply else "No cap",
        "rank": f"#{int(rank)}" if rank is not None else formatting.MISSING,
        "updated": updated_text(taken),
        "updated_ago": formatting.relative_age((now - taken).total_seconds()),
    }


def stale_warning(age_seconds: float, stale_after_hours: float) -> dbc.Alert | None:
    if age_seconds <= stale_after_hours * 3600:
        return None
    return dbc.Alert(
        [
            html.Strong("Data may be out of date. "),
            f"The newest snapshot is from {formatting.relative_age(age_seconds)} "
            f"(more than {stale_after_hours:g} h ago); the scheduled ingest may have stopped.",
        ],
        color="warning",
        class_name="mb-2 py-2",
    )


def store_banner(error: str, has_cached: bool) -> dbc.Alert:
    """The store's fault in the data layer's plain words, then what this page does about it."""
    keeps = (
        "Showing the data loaded before the outage; it will refresh when the store answers."
        if has_cached
        else "No data could be loaded yet; this page fills in once the store answers."
    )
    return dbc.Alert(
        [html.Strong(error), " ", keeps],
        color="danger",
        class_name="mb-2 py-2",
    )


def current(
    result: LoadResult, settings: config.DashboardSettings, now: pd.Timestamp
) -> dict[str, Any]:
    """The store message, and for a history that has snapshots the freshness warning and the
    cards, keyed like PROPS."""
    frame = result.frame
    banner = store_banner(result.store_error, not frame.empty) if result.store_error else None
    if frame.empty:
        return {"store_banner": banner}
    age = (now - frame.index[-1]).total_seconds()
    return {
        "store_banner": banner,
        "stale": stale_warning(age, settings.stale_after_hours),
        **headline(frame, now),
    }


def requested_asset(search: str, settings: config.DashboardSettings) -> str:
    """The asset a page's query string asks for, read as the state callback reads it."""
    state, _ = parse_query(search, settings.store.assets[0])
    return state.asset


def _load_within(asset: str, seconds: float) -> LoadResult | None:
    """The asset's history if the cache hands it over within `seconds`, else None. The load
    runs in a thread of its own, which finishes it (warming the cache) whatever happens here;
    on a warm worker it returns at once."""
    outcome: queue.SimpleQueue[LoadResult | Exception] = queue.SimpleQueue()

    def load() -> None:
        try:
            outcome.put(get_repository().load(asset))
        except Exception as exc:  # handed to the page, which opens all the same
            outcome.put(exc)

    threading.Thread(target=load, name="first-paint", daemon=True).start()
    try:
        result = outcome.get(timeout=seconds)
    except queue.Empty:
        return None
    if isinstance(result, Exception):
        log.error("reading the headline for the first paint failed", exc_info=result)
        return None
    return result


def first_paint(search: str) -> dict[str, Any] | None:
    """The headline for a page opened with query string `search`, keyed like PROPS; None when
    there is nothing to show yet (an empty store, or a cache not loaded within the wait)."""
    settings = config.load()
    result = _load_within(requested_asset(search, settings), FIRST_PAINT_WAIT_SECONDS)
    if result is None or result.frame.empty:
        return None
    return current(result, settings, pd.Timestamp.now(tz="UTC"))
