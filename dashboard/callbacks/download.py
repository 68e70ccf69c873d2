"""The "Download CSV" link: the data API's CSV of the view's window, a plain browser download.

The button is a link to `/api/v1/snapshots?…&format=csv` for exactly the rows the view
shows, so the page's file and the API's answer are the same bytes by construction, streamed
by the server and saved by the browser (no file passes through a callback). A window holding
more rows than one response may carry says so on the button.
"""

from __future__ import annotations

from typing import Any

from dash import Dash, Input, Output

from dashboard import config, ids
from dashboard.api.params import download_path
from dashboard.callbacks.guard import guarded_callback
from dashboard.data import get_repository
from dashboard.timeranges import view_window
from dashboard.windows import between

LABEL = "Download CSV"


def label(rows: int, max_rows: int) -> str:
    return LABEL if rows <= max_rows else f"{LABEL} (first {max_rows:,} of {rows:,} rows)"


def register(app: Dash) -> None:
    max_rows = config.load().api_max_rows

    @guarded_callback(
        app,
        output={
            "href": Output(ids.DOWNLOAD_BUTTON, "href"),
            "label": Output(ids.DOWNLOAD_BUTTON, "children"),
        },
        inputs={"view": Input(ids.VIEW, "data")},
    )
    def download_link(view: dict[str, Any] | None) -> dict[str, Any]:
        if not view or not view.get("start"):
            return {"href": None, "label": LABEL}
        start, end = view_window(view)
        rows = len(between(get_repository().load(view["asset"]).frame, start, end))
        return {"href": download_path(view["asset"], start, end), "label": label(rows, max_rows)}
