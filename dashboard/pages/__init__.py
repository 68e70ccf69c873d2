"""The dashboard's pages as Dash Pages, one module each: the overview (`/`), one asset in
depth (`/analysis`), several side by side (`/compare`), and the page for any other path.

`register()` adds them to Dash's page registry once the app exists (Dash requires that order).
The frame around them (dashboard/layout.py) is the same on every page, so a page holds only
its own content. Dash's router calls a page's `layout` with the link's query and the title of
the page shown; a page asked for while it is already shown (Back or Forward within it, a
corrected link) answers PreventUpdate, so its charts stay and only the view changes
(dashboard/callbacks/state.py follows the URL).
"""

from __future__ import annotations

from typing import Any

import dash
from dash.development.base_component import Component
from dash.exceptions import PreventUpdate

from dashboard import routes

# The router passes the shown page's title under this name (routing_callback_inputs).
SHOWN = "shown"


def ask(path: str, shown: Any) -> None:
    """Raise PreventUpdate when the router asks for the page already shown."""
    if isinstance(shown, dict) and shown.get("title") == routes.title(path):
        raise PreventUpdate


def _modules() -> tuple[Any, ...]:
    from dashboard.pages import analysis, compare, not_found_404, overview

    return overview, analysis, compare, not_found_404


def register() -> None:
    """Put every page in Dash's registry (the navigation order is routes.PATHS)."""
    for order, module in enumerate(_modules()):
        dash.register_page(
            module.__name__,
            path=module.PATH,
            name=routes.NAMES.get(module.PATH, "Not found"),
            title=routes.title(module.PATH),
            description=module.DESCRIPTION,
            order=order,
            layout=module.layout,
        )


def content(path: str) -> Component:
    """The content of the page at `path` (the not-found page for any other path)."""
    for module in _modules():
        if path == module.PATH:
            return module.content()
    return _modules()[-1].content()
