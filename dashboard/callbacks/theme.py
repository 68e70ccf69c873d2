"""Light and dark mode: Bootstrap's colour mode on <html>, and the figures' template.

Bootstrap 5.3 switches every component through the `data-bs-theme` attribute, which only
the browser can set (a clientside callback). The figures follow through a Patch that swaps
their template and leaves the data where it is; each page registers one for its figures.
"""

from __future__ import annotations

from typing import Any

from dash import Dash, Input, Output, Patch

from dashboard import ids, plotting
from dashboard.callbacks.guard import arg_name, guarded_callback

SET_COLOR_MODE = """
function (dark) {
    document.documentElement.setAttribute('data-bs-theme', dark ? 'dark' : 'light');
    return dark ? 'dark' : 'light';
}
"""


def register(app: Dash) -> None:
    app.clientside_callback(
        SET_COLOR_MODE,
        Output(ids.THEME_STORE, "data"),
        Input(ids.THEME_SWITCH, "value"),
    )


def register_figures(app: Dash, figures: tuple[str, ...], error_id: str) -> None:
    """The theme switch re-templates `figures` (one page's) in place."""

    @guarded_callback(
        app,
        output={
            arg_name(chart): Output(chart, "figure", allow_duplicate=True) for chart in figures
        },
        inputs={"dark": Input(ids.THEME_SWITCH, "value")},
        error_id=error_id,
        prevent_initial_call=True,
    )
    def follow_theme(dark: bool | None) -> dict[str, Any]:
        template = plotting.template(bool(dark))
        patches = {}
        for chart in figures:
            patch = Patch()
            patch["layout"]["template"] = template
            patches[arg_name(chart)] = patch
        return patches
