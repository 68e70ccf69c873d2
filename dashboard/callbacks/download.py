"""CSV export of the selected range: every stored snapshot in it, not the downsampled points."""

from __future__ import annotations

from typing import Any

import pandas as pd
from dash import Dash, Input, Output, State
from dash.exceptions import PreventUpdate

from dashboard import ids
from dashboard.callbacks.guard import guarded_callback
from dashboard.data import get_repository
from dashboard.timeranges import view_window
from dashboard.windows import between
from ingest.schema import ITEM_FIELDS, PARTITION_KEY

TIME_COLUMN = "time"
ISO_UTC = "%Y-%m-%dT%H:%M:%SZ"


def _whole_numbers_as_int(column: pd.Series) -> pd.Series:
    """Write 1 rather than 1.0 for ranks, pair counts and other whole-number fields."""
    if pd.api.types.is_float_dtype(column):
        values = column.dropna()
        if not values.empty and (values % 1 == 0).all():
            return column.astype("Int64")
    return column


def range_csv(frame: pd.DataFrame, asset: str, start: pd.Timestamp, end: pd.Timestamp) -> str:
    """One row per snapshot in [start, end]: UTC ISO time, then the stored fields in schema
    order (those the dashboard reads)."""
    window = between(frame, start, end).copy()
    window[PARTITION_KEY] = asset
    columns = [name for name in ITEM_FIELDS if name in window.columns]
    table = window[columns].apply(_whole_numbers_as_int)
    table.insert(0, TIME_COLUMN, window.index.tz_convert("UTC").strftime(ISO_UTC))
    return table.to_csv(index=False)


def filename(asset: str, start: pd.Timestamp, end: pd.Timestamp) -> str:
    return f"{asset}_{start:%Y-%m-%d}_{end:%Y-%m-%d}.csv"


def register(app: Dash) -> None:
    @guarded_callback(
        app,
        output={"file": Output(ids.DOWNLOAD, "data")},
        inputs={"clicks": Input(ids.DOWNLOAD_BUTTON, "n_clicks")},
        state={"view": State(ids.VIEW, "data")},
        prevent_initial_call=True,
    )
    def download_csv(clicks: int | None, view: dict[str, Any] | None) -> dict[str, Any]:
        if not clicks or not view or not view.get("start"):
            raise PreventUpdate
        start, end = view_window(view)
        frame = get_repository().load(view["asset"]).frame
        content = range_csv(frame, view["asset"], start, end)
        name = filename(view["asset"], start, end)
        return {"file": {"content": content, "filename": name, "type": "text/csv"}}
