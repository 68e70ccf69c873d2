"""The view state (asset, range, log scale, moving averages) and the URL, kept in step.

One callback owns the loop URL ⇄ controls, so it can tell who moved: a new query string
(first load, a pasted link, back/forward) sets the controls; a control change writes the
query string (pushing a history entry). Either way it resolves the concrete time window
once and publishes it in the VIEW store that every other callback reads.

A link that had to be corrected (malformed, reversed dates) is replaced in the address bar
by the corrected one, without a new history entry: a reload or a copied link then opens the
view shown, and the notice is not repeated. A page opened while the store was empty or
unreachable has no window; the refresh timer asks again until data arrives.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import dash_bootstrap_components as dbc
import pandas as pd
from dash import Dash, Input, Output, State, ctx, no_update
from dash.exceptions import PreventUpdate

from dashboard import config, ids
from dashboard.asset_choice import choose_asset
from dashboard.callbacks.guard import guarded_callback
from dashboard.data import get_repository
from dashboard.timeranges import ViewState, clean_range, parse_query, preset_window, to_query

# The view a bare URL opens on, and the fallback when a picked range cannot be used.
DEFAULT_PRESET = "1Y"

# replaceState, not Location's pushState: the corrected link takes the faulty one's place
# in the history, so Back does not lead to it (and straight back to the correction). The
# popstate event tells dcc.Location, which would otherwise push its stale href back later.
REPLACE_QUERY = """
function (query) {
    if (query && query !== window.location.search) {
        window.history.replaceState(window.history.state, '', query + window.location.hash);
        window.dispatchEvent(new PopStateEvent('popstate', {state: window.history.state}));
    }
}
"""
# A timer tick asks the server for a window only while the view has none (no data yet).
RETRY_WITHOUT_WINDOW = """
function (ticks, view) {
    return view && view.start ? window.dash_clientside.no_update : ticks;
}
"""


def _notice(text: str) -> dbc.Alert:
    return dbc.Alert(text, color="warning", dismissable=True, class_name="mb-2 py-2")


def _picker_date(ts: pd.Timestamp | None) -> str | None:
    return None if ts is None else ts.strftime("%Y-%m-%d")


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


def _iso(ts: pd.Timestamp | None) -> str | None:
    return None if ts is None else pd.Timestamp(ts).isoformat()


def state_from_controls(
    trigger: str | None,
    asset: str,
    preset: str | None,
    start_date: str | None,
    end_date: str | None,
    log: bool | None,
    moving_averages: list[int] | None,
) -> ViewState:
    """A picked date range replaces the preset; any other change keeps what was chosen."""
    custom = trigger == ids.DATE_RANGE or not preset
    start = _picked_day(start_date) if custom else None
    end = _picked_day(end_date) if custom else None
    return ViewState(
        asset=asset,
        preset=None if custom else preset,
        start=start,
        end=end,
        log=bool(log),
        ma=tuple(sorted({int(d) for d in moving_averages or ()})),
    )


def resolve_window(
    state: ViewState, frame: pd.DataFrame
) -> tuple[ViewState, pd.Timestamp | None, pd.Timestamp | None, str | None]:
    """The concrete window the view shows, and a message when the asked range was corrected."""
    if state.preset is None and state.start is None and state.end is None:
        state = replace(state, preset=DEFAULT_PRESET)
    if frame.empty:
        return state, None, None, None
    first, last = frame.index[0], frame.index[-1]
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


def register(app: Dash) -> None:
    default_asset = config.load().store.assets[0]

    @guarded_callback(
        app,
        output={
            "search": Output(ids.URL, "search"),
            "asset": Output(ids.ASSET, "value"),
            "preset": Output(ids.PRESET, "value"),
            "start_date": Output(ids.DATE_RANGE, "start_date"),
            "end_date": Output(ids.DATE_RANGE, "end_date"),
            "min_date": Output(ids.DATE_RANGE, "min_date_allowed"),
            "max_date": Output(ids.DATE_RANGE, "max_date_allowed"),
            "log": Output(ids.LOG_SCALE, "value"),
            "moving_averages": Output(ids.MOVING_AVERAGES, "value"),
            "view": Output(ids.VIEW, "data"),
            "notice": Output(ids.NOTICE, "children"),
            "corrected": Output(ids.CORRECTED_QUERY, "data"),
        },
        inputs={
            "search": Input(ids.URL, "search"),
            "asset": Input(ids.ASSET, "value"),
            "preset": Input(ids.PRESET, "value"),
            "start_date": Input(ids.DATE_RANGE, "start_date"),
            "end_date": Input(ids.DATE_RANGE, "end_date"),
            "log": Input(ids.LOG_SCALE, "value"),
            "moving_averages": Input(ids.MOVING_AVERAGES, "value"),
            "retry": Input(ids.VIEW_RETRY, "data"),
        },
        state={"corrected": State(ids.CORRECTED_QUERY, "data")},
    )
    def sync_state(
        search: str | None,
        asset: str | None,
        preset: str | None,
        start_date: str | None,
        end_date: str | None,
        log: bool | None,
        moving_averages: list[int] | None,
        retry: int | None,
        corrected: str | None,
    ) -> dict[str, Any]:
        trigger = ctx.triggered_id
        if trigger == ids.URL and corrected and search == corrected:
            # The address bar caught up with a correction: the view already shows it.
            return {"corrected": None}
        retrying = trigger == ids.VIEW_RETRY
        from_url = trigger in (None, ids.URL) or retrying
        notices: list[str] = []
        if from_url:
            state, url_notice = parse_query(search or "", default_asset)
            if url_notice and not retrying:  # already shown when the page opened
                notices.append(url_notice)
        else:
            state = state_from_controls(
                trigger, asset or default_asset, preset, start_date, end_date, log, moving_averages
            )
        repository = get_repository()
        asset, asset_notice = choose_asset(state.asset, repository.assets(), default_asset)
        if asset_notice:
            state = replace(state, asset=asset)
            if not retrying:
                notices.append(asset_notice)
        frame = repository.load(state.asset).frame
        if retrying and frame.empty:
            raise PreventUpdate  # still nothing to lay out; the next tick asks again
        state, start, end, range_notice = resolve_window(state, frame)
        if range_notice:
            notices.append(range_notice)

        query = to_query(state)
        return {
            "search": no_update if from_url or query == search else query,
            "corrected": query if from_url and notices else no_update,
            "asset": state.asset,
            "preset": state.preset,
            "start_date": _picker_date(start),
            "end_date": _picker_date(end),
            "min_date": _picker_date(frame.index[0]) if not frame.empty else None,
            "max_date": _picker_date(frame.index[-1]) if not frame.empty else None,
            "log": state.log,
            "moving_averages": list(state.ma),
            "view": {
                "asset": state.asset,
                "preset": state.preset,
                "start": _iso(start),
                "end": _iso(end),
                "log": state.log,
                "ma": list(state.ma),
            },
            "notice": [_notice(text) for text in notices] or (no_update if retrying else None),
        }

    app.clientside_callback(REPLACE_QUERY, Input(ids.CORRECTED_QUERY, "data"))
    app.clientside_callback(
        RETRY_WITHOUT_WINDOW,
        Output(ids.VIEW_RETRY, "data"),
        Input(ids.REFRESH, "n_intervals"),
        State(ids.VIEW, "data"),
        prevent_initial_call=True,
    )
