"""Which plotly.js the page runs: a partial bundle with the trace types the dashboard draws.

dcc.Graph (dash 4.4.1) loads plotly.js itself when the first chart mounts, from
DASH_PLOTLY_URL, where Dash serves the full bundle that the plotly package ships: 4.8 MB
(1.47 MB gzip), ~1.3 s to compile and run on the bench machine before any chart can draw.
This module serves `vendor/plotly-basic.min.js` at that URL instead: the npm package
plotly.js-basic-dist-min at the plotly.js version the plotly package targets (trace types
scatter, bar and pie; 1.19 MB, 395 KB gzip, ~0.35 s). The page's head also asks for it at
once (`<link rel=preload>`), so it downloads alongside Dash's own scripts rather than after
them. Dash still loads it lazily, once, and only where a chart is drawn.

The bundle has no WebGL traces (figures are SVG, MAX_CHART_POINTS stays within what SVG
draws smoothly) and none of the `Function()` code that WebGL shaders need. A page that needs
another trace type (candlestick, heatmap: issue 12) needs a bundle with it: see "plotly.js
bundle" in docs/performance.md. Upgrading plotly means refreshing this file (a test compares
its version with the plotly package's).
"""

from __future__ import annotations

from pathlib import Path

import flask

VENDOR_DIR = Path(__file__).resolve().parent / "vendor"
BUNDLE = "plotly-basic.min.js"
TRACE_TYPES = ("scatter", "bar", "pie")
# Where dash-renderer tells dcc.Graph to load plotly.js from when Dash serves its own files.
DASH_PLOTLY_URL = "_dash-component-suites/plotly/package_data/plotly.min.js"


def url(prefix: str) -> str:
    """The bundle's URL under the app's `requests_pathname_prefix`."""
    return f"{prefix}{DASH_PLOTLY_URL}"


def preload_link(prefix: str) -> str:
    return f'<link rel="preload" as="script" href="{url(prefix)}">'


def register(server: flask.Flask, routes_prefix: str) -> None:
    """Serve the bundle at Dash's plotly.js URL (a rule without variables, so it wins over
    Dash's own component-suites rule). Revalidated on every visit (ETag), because the URL
    stays the same when the bundle changes."""

    @server.route(url(routes_prefix))
    def plotly_bundle() -> flask.Response:
        return flask.send_from_directory(VENDOR_DIR, BUNDLE, max_age=0)
