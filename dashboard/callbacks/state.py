"""The view state (page, asset or assets, range, chart toggles) and the URL, kept in step.

One callback owns the loop URL ⇄ controls, so it can tell who moved: a new path or query
string (first load, a pasted link, a page link, back/forward) sets the controls; a control
change writes the query string of the page shown (pushing a history entry). Either way it
resolves the view once (dashboard/resolve.py) and publishes it in the VIEW store that every
other callback reads, with the links to every page.

A link that had to be corrected (malformed, reversed dates, unknown assets) is replaced in the
address bar by the corrected one, without a new history entry: a reload or a copied link then
opens the view shown, and the notice is not repeated. A page opened while the store was empty
or unreachable has no window; the refresh timer asks again until data arrives.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import dash_bootstrap_components as dbc
import pandas as pd
from dash import Dash, Input, Output, State, ctx, no_update
from dash.exceptions import PreventUpdate

from dashboard import config, ids, routes
from dashboard.asset_choice import keep_one
from dashboard.callbacks.guard import guarded_callback
from dashboard.data import get_repository
from dashboard.resolve import Resolved, resolve, state_from_controls, view_data, window_data
from dashboard.urlstate import parse_query, to_query

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
CONTROLS = {
    "asset": Input(ids.ASSET, "value"),
    "compared": Input(ids.COMPARED_ASSETS, "value"),
    "preset": Input(ids.PRESET, "value"),
    "start_date": Input(ids.DATE_RANGE, "start_date"),
    "end_date": Input(ids.DATE_RANGE, "end_date"),
    "log": Input(ids.LOG_SCALE, "value"),
    "moving_averages": Input(ids.MOVING_AVERAGES, "value"),
    "candles": Input(ids.CANDLES, "value"),
    "cycles": Input(ids.CYCLES, "value"),
    "ratio_top": Input(ids.RATIO_TOP, "value"),
    "ratio_bottom": Input(ids.RATIO_BOTTOM, "value"),
}


def _notice(text: str) -> dbc.Alert:
    return dbc.Alert(text, color="warning", dismissable=True, class_name="mb-2 py-2")


def _picker_date(ts: pd.Timestamp | None) -> str | None:
    return None if ts is None else ts.strftime("%Y-%m-%d")


def control_values(resolved: Resolved) -> dict[str, Any]:
    """What the controls show for a resolved view, keyed like the callback's outputs."""
    state = resolved.state
    options = [{"label": asset.title(), "value": asset} for asset in state.assets]
    top, bottom = state.ratio or (None, None)
    return {
        "asset": state.asset,
        "compared": list(state.assets),
        "ratio_options_top": options,
        "ratio_options_bottom": options,
        "ratio_top": top,
        "ratio_bottom": bottom,
        "preset": state.preset,
        "start_date": _picker_date(resolved.start),
        "end_date": _picker_date(resolved.end),
        "min_date": _picker_date(resolved.first),
        "max_date": _picker_date(resolved.last),
        "log": state.log,
        "moving_averages": list(state.ma),
        "candles": state.candles,
        "cycles": state.cycles,
    }


def _outputs() -> dict[str, Output]:
    return {
        "search": Output(ids.URL, "search"),
        "asset": Output(ids.ASSET, "value"),
        "compared": Output(ids.COMPARED_ASSETS, "value"),
        "ratio_options_top": Output(ids.RATIO_TOP, "options"),
        "ratio_options_bottom": Output(ids.RATIO_BOTTOM, "options"),
        "ratio_top": Output(ids.RATIO_TOP, "value"),
        "ratio_bottom": Output(ids.RATIO_BOTTOM, "value"),
        "preset": Output(ids.PRESET, "value"),
        "start_date": Output(ids.DATE_RANGE, "start_date"),
        "end_date": Output(ids.DATE_RANGE, "end_date"),
        "min_date": Output(ids.DATE_RANGE, "min_date_allowed"),
        "max_date": Output(ids.DATE_RANGE, "max_date_allowed"),
        "log": Output(ids.LOG_SCALE, "value"),
        "moving_averages": Output(ids.MOVING_AVERAGES, "value"),
        "candles": Output(ids.CANDLES, "value"),
        "cycles": Output(ids.CYCLES, "value"),
        "view": Output(ids.VIEW, "data"),
        "window": Output(ids.WINDOW, "data"),
        "notice": Output(ids.NOTICE, "children"),
        "corrected": Output(ids.CORRECTED_QUERY, "data"),
    }


def register(app: Dash) -> None:
    default_asset = config.load().store.assets[0]

    @guarded_callback(
        app,
        output=_outputs(),
        inputs={
            "pathname": Input(ids.URL, "pathname"),
            "search": Input(ids.URL, "search"),
            **CONTROLS,
            "retry": Input(ids.VIEW_RETRY, "data"),
        },
        state={
            "corrected": State(ids.CORRECTED_QUERY, "data"),
            "window": State(ids.WINDOW, "data"),
        },
    )
    def sync_state(
        pathname: str | None,
        search: str | None,
        retry: int | None,
        corrected: str | None,
        window: dict[str, Any] | None,
        **controls: Any,
    ) -> dict[str, Any]:
        trigger = ctx.triggered_id
        if trigger == ids.URL and corrected and search == corrected:
            # The address bar caught up with a correction: the view already shows it.
            return {"corrected": None}
        page = routes.page_of(pathname)
        retrying = trigger == ids.VIEW_RETRY
        from_url = trigger in (None, ids.URL) or retrying
        notices: list[str] = []
        if from_url:
            asked, url_notice = parse_query(search or "", default_asset)
            if url_notice and not retrying:  # already shown when the page opened
                notices.append(url_notice)
        else:
            controls["asset"] = controls["asset"] or default_asset
            asked = state_from_controls(trigger, controls)
            if page == routes.COMPARE:
                assets, notice = keep_one(asked.assets, (window or {}).get("assets") or ())
                asked = replace(asked, assets=assets)
                notices += [notice] if notice else []
        repository = get_repository()
        resolved = resolve(page, asked, repository, default_asset)
        if retrying and resolved.start is None:
            raise PreventUpdate  # still nothing to lay out; the next tick asks again
        if not retrying:  # already shown when the page opened
            notices += resolved.notices
        if resolved.range_notice:
            notices.append(resolved.range_notice)
        query = to_query(resolved.state, page)
        view = view_data(page, resolved, repository.assets())
        shown = window_data(view)
        return {
            **control_values(resolved),
            "search": no_update if from_url or query == search else query,
            "corrected": query if from_url and notices else no_update,
            "view": view,
            "window": no_update if shown == window else shown,
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
