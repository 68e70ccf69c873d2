"""The navigation bar follows the view: each page's link carries the asset and range shown
(VIEW's "links", written by dashboard/resolve.py), and the page shown is marked active; the
layout's root gets the page's class, which shows each page its controls. All in the browser:
nothing here needs the server."""

from __future__ import annotations

import json

from dash import Dash, Input, Output

from dashboard import ids, layout, routes

FOLLOW_VIEW = """
function (view, pathname) {
    const paths = PATHS;
    const names = NAMES;
    const current = paths.find(path => path === pathname || path + '/' === pathname);
    const links = (view && view.links) || {};
    const hrefs = paths.map(path => links[path] || path);
    const classes = paths.map(path => 'NAV_LINK' + (path === current ? ' active' : ''));
    const slug = current ? names[current].toLowerCase() : 'other';
    return [...hrefs, ...classes, 'page-' + slug];
}
"""


def follow_view_js() -> str:
    return (
        FOLLOW_VIEW.replace("PATHS", json.dumps(list(routes.PATHS)))
        .replace("NAMES", json.dumps(routes.NAMES))
        .replace("NAV_LINK", layout.NAV_LINK)
    )


def register(app: Dash) -> None:
    app.clientside_callback(
        follow_view_js(),
        [Output(ids.NAV_LINKS[path], "href") for path in routes.PATHS]
        + [Output(ids.NAV_LINKS[path], "className") for path in routes.PATHS]
        + [Output(ids.PAGE, "className")],
        Input(ids.VIEW, "data"),
        Input(ids.URL, "pathname"),
    )
