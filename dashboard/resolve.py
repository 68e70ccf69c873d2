"""What a view shows, resolved from what a link or the controls ask for: the asset (or the
compare page's assets and ratio pair), the concrete time window, the data's bounds for the
date picker and the links to every page, with a plain notice for each correction.

Plain functions, no Dash: the state callback (dashboard/callbacks/state.py) wires them to the
URL and the controls, and publishes `view_data` in the VIEW store every page reads. The
compare page's window spans its assets' data together (presets end at the newest snapshot of
any of them).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

import pandas as pd

from dashboard import ids, routes
from dashboard.asset_choice import (
    choose_asset,
    choose_assets,
    choose_ratio,
    comparing,
    default_comparison,
    unknown_notice,
)
from dashboard.data import LoadResult
from dashboard.timeranges import clean_range, preset_window
from dashboard.urlstate import MAX_COMPARED, ViewState, to_query

# The view a bare URL opens on, and the fallback when a picked range cannot be used.
DEFAULT_PRESET = "1Y"


class Repository(Protocol):
    def assets(self) -> list[str]: ...

    def load(self, asset: str) -> LoadResult: ...


@dataclass(frozen=True)
class Resolved:
    """A view ready to draw: its state (as the link will say it), window, data bounds and
    the corrections made on the way (in the order they apply)."""

    state: ViewState
    start: pd.Timestamp | None  # None: no data yet (empty or unreachable store)
    end: pd.Timestamp | None
    first: pd.Timestamp | None  # the data's first and last snapshot (the picker's limits)
    last: pd.Timestamp | None
    notices: list[str] = field(default_factory=list)  # about the assets asked for
    range_notice: str | None = None  # about the range asked for


def _picked_day(value: str | None) -> pd.Timestamp | None:
    """A date picker value as that day's UTC midnight (clean_range then includes the day)."""
    if not value:
        return None
    try:
        day = pd.Timestamp(value)
    except (TypeError, ValueError):
        return None
    day = day.tz_localize("UTC") if day.tzinfo is None else day.tz_convert("UTC")
    return day.normalize()


def state_from_controls(trigger: str | None, controls: Mapping[str, Any]) -> ViewState:
    """The state the controls show. A picked date range replaces the preset; any other change
    keeps what was chosen. `controls` is keyed like the state callback's inputs."""
    preset = controls.get("preset")
    custom = trigger == ids.DATE_RANGE or not preset
    compared = tuple(dict.fromkeys(controls.get("compared") or ()))
    top, bottom = controls.get("ratio_top"), controls.get("ratio_bottom")
    if top and top == bottom:
        # Picking on one side the asset the other side shows: the other side takes another.
        other = next((asset for asset in compared if asset != top), None)
        if trigger == ids.RATIO_BOTTOM:
            top = other
        else:
            bottom = other
    return ViewState(
        asset=controls["asset"],
        preset=None if custom else preset,
        start=_picked_day(controls.get("start_date")) if custom else None,
        end=_picked_day(controls.get("end_date")) if custom else None,
        log=bool(controls.get("log")),
        ma=tuple(sorted({int(d) for d in controls.get("moving_averages") or ()})),
        cycles=bool(controls.get("cycles")),
        candles=bool(controls.get("candles")),
        assets=compared,
        ratio=(top, bottom) if top and bottom else None,
    )


def resolve_window(
    state: ViewState, first: pd.Timestamp | None, last: pd.Timestamp | None
) -> tuple[ViewState, pd.Timestamp | None, pd.Timestamp | None, str | None]:
    """The concrete window the view shows within data spanning [first, last] (None: no data),
    and a message when the asked range was corrected."""
    if state.preset is None and state.start is None and state.end is None:
        state = replace(state, preset=DEFAULT_PRESET)
    if first is None or last is None:
        return state, None, None, None
    if state.preset is None and (state.start is not None or state.end is not None):
        start, end, message = clean_range(state.start, state.end, first, last)
        if start is not None and end is not None:
            # The days actually shown, so the URL and the picker say what the charts show.
            shown = replace(state, start=start.normalize(), end=end.normalize())
            return shown, start, end, message
        state = replace(state, preset=DEFAULT_PRESET, start=None, end=None)
        start, end = preset_window(DEFAULT_PRESET, first, last)
        return state, start, end, message
    start, end = preset_window(state.preset or DEFAULT_PRESET, first, last)
    return state, start, end, None


def data_bounds(frames: Sequence[pd.DataFrame]) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    """The first and last snapshot over all `frames` (None, None when all are empty)."""
    held = [frame.index for frame in frames if not frame.empty]
    if not held:
        return None, None
    return min(index[0] for index in held), max(index[-1] for index in held)


def resolve(page: str, asked: ViewState, repository: Repository, default_asset: str) -> Resolved:
    """The view `page` shows for `asked`: unknown assets replaced (named in a notice), the
    compare page's selection and ratio checked, the window laid out on the data."""
    known = repository.assets()
    asset, asset_notice = choose_asset(asked.asset, known, default_asset)
    notices = [asset_notice] if asset_notice else []
    if page == routes.COMPARE:
        default = default_comparison(asset, known, MAX_COMPARED)
        assets, notice = choose_assets(asked.assets, known, default)
        if asset_notice:  # this page shows no single asset: say what it compares instead
            notices = [unknown_notice([asked.asset], comparing(assets))]
        notices += [notice] if notice else []
        ratio, notice = choose_ratio(asked.ratio, assets)
        notices += [notice] if notice else []
        state = replace(asked, asset=assets[0], assets=assets, ratio=ratio)
    else:
        # Kept for the compare page's link, quietly: this page does not show them.
        assets = tuple(a for a in asked.assets if a in known)
        ratio = asked.ratio if asked.ratio and set(asked.ratio) <= set(assets) else None
        state = replace(asked, asset=asset, assets=assets, ratio=ratio)
    shown = state.assets if page == routes.COMPARE else (state.asset,)
    first, last = data_bounds([repository.load(a).frame for a in shown])
    state, start, end, range_notice = resolve_window(state, first, last)
    return Resolved(state, start, end, first, last, notices, range_notice)


def page_links(state: ViewState, known: Sequence[str]) -> dict[str, str]:
    """The link (path and query) to each page for `state`, carrying its asset and range: the
    compare page gets the current selection when it holds the current asset, otherwise the
    current asset first and the other known assets after it."""
    compared = state.assets
    if state.asset not in compared:
        compared = default_comparison(state.asset, known, MAX_COMPARED)
    ratio = state.ratio if state.ratio and set(state.ratio) <= set(compared) else None
    for_compare = replace(state, assets=compared, ratio=ratio)
    return {
        path: path + to_query(for_compare if path == routes.COMPARE else state, path)
        for path in routes.PATHS
    }


def _iso(ts: pd.Timestamp | None) -> str | None:
    return None if ts is None else pd.Timestamp(ts).isoformat()


WINDOW_KEYS = ("page", "asset", "assets", "start", "end")


def window_data(view: Mapping[str, Any]) -> dict[str, Any]:
    """The WINDOW store's value: which data `view` shows, without its chart toggles."""
    return {key: view[key] for key in WINDOW_KEYS}


def view_data(page: str, resolved: Resolved, known: Sequence[str]) -> dict[str, Any]:
    """The VIEW store's value: everything a page's callbacks need to draw it."""
    state = resolved.state
    return {
        "page": page,
        "asset": state.asset,
        "assets": list(state.assets),
        "ratio": list(state.ratio) if state.ratio else None,
        "preset": state.preset,
        "start": _iso(resolved.start),
        "end": _iso(resolved.end),
        "log": state.log,
        "ma": list(state.ma),
        "cycles": state.cycles,
        "candles": state.candles,
        "links": page_links(state, known),
    }
