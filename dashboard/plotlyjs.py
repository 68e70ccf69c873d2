"""Which plotly.js the page runs: a bundle with only the trace types the dashboard draws.

dcc.Graph (dash 4.4.1) loads plotly.js itself when the first chart mounts, from
DASH_PLOTLY_URL, where Dash serves the full bundle that the plotly package ships: 4.8 MB
(1.47 MB gzip), ~1.3 s to compile and run on the bench machine before any chart can draw.
This module serves `vendor/plotly-custom.min.js` at that URL instead: plotly.js at the
version the plotly package targets, built by `make plotly-bundle` (tools/plotly-bundle, with
pinned npm packages, reproducible to the byte) with the trace types in TRACE_TYPES only:
1.29 MB, 0.42 MB gzip. No published partial bundle has both candlestick (the daily candles)
and heatmap (seasonality); the smallest that has either, "finance" and "cartesian", each lack
the other. The page's head also asks for it at once (`<link rel=preload>`), so it downloads
alongside Dash's own scripts rather than after them. Dash still loads it lazily, once, and
only where a chart is drawn.

The bundle has no WebGL traces (figures are SVG, MAX_CHART_POINTS stays within what SVG
draws smoothly) and none of the `Function()` code that WebGL shaders need, so the CSP has no
'unsafe-eval'. A figure of another trace type needs the bundle rebuilt with it (a browser test
checks every type the figures use is registered). Upgrading plotly means rebuilding this file
(a test compares its version with the plotly package's).
"""

from __future__ import annotations

from pathlib import Path

import flask

VENDOR_DIR = Path(__file__).resolve().parent / "vendor"
BUNDLE = "plotly-custom.min.js"
TRACE_TYPES = ("scatter", "bar", "candlestick", "heatmap")
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
