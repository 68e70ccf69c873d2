"""The Dash application and its WSGI entry point, `dashboard.app:server`.

Everything the page loads comes from this server: Dash's own bundles (serve_locally), a
partial plotly.js bundle (dashboard/plotlyjs.py) and Bootstrap's CSS from the
XStatic-Bootstrap package, so no visitor request goes to a CDN. The pages are Dash Pages
(dashboard/pages) inside one frame (dashboard/layout.py); the HTML of a page being opened
carries its title and headline (dashboard/shell.py).
Run it with `gunicorn -c dashboard/gunicorn_conf.py dashboard.app:server`.
"""

from __future__ import annotations

import logging
from typing import Any

import dash
import flask
from dash import State
from dash.dash import _ID_STORE
from xstatic.pkg import bootstrap as xstatic_bootstrap

from dashboard import api, callbacks, config, health, layout, pages, plotlyjs, routes, shell

TITLE = routes.SITE_TITLE
BOOTSTRAP_ROUTE = "/vendor/bootstrap"
BOOTSTRAP_CSS = f"{BOOTSTRAP_ROUTE}/css/bootstrap.min.css"
VENDOR_MAX_AGE_SECONDS = 24 * 3600
# Everything comes from this origin, and the browser enforces it: a stray CDN link would be
# blocked, not silently loaded. Dash renders inline scripts, hence 'unsafe-inline' for
# scripts; nothing on the page needs eval() or Function() (the plotly.js bundle has no WebGL).
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "Referrer-Policy": "strict-origin-when-cross-origin",
}
# flask-compress's own defaults leave out CSV, and gzip for streamed bodies: the data API
# streams its JSON and CSV, and most scripts (curl --compressed, requests) offer gzip.
COMPRESSED_TYPES = [
    "text/html",
    "text/css",
    "text/plain",
    "text/javascript",
    "text/csv",
    "application/javascript",
    "application/json",
    "image/svg+xml",
]
COMPRESS_SETTINGS = {
    "COMPRESS_MIMETYPES": COMPRESSED_TYPES,
    "COMPRESS_ALGORITHM_STREAMING": ["zstd", "br", "gzip", "deflate"],
}
META_TAGS = [
    {"name": "viewport", "content": "width=device-width, initial-scale=1"},
    {
        "name": "description",
        "content": (
            "Crypto price, volume, market cap and supply from CoinMarketCap snapshots every "
            "6 hours: charts, risk and cycle analysis, asset comparison, CSV and a data API."
        ),
    },
]


class Dashboard(dash.Dash):
    """Dash, with the page's title and headline drawn into its HTML ahead of Dash's own entry
    point, the plotly.js bundle asked for from the page's head, and a 404 status for a path
    with no page (its friendly page all the same), so crawlers and link checkers see it."""

    def index(self, *args: Any, **kwargs: Any) -> str | flask.Response:
        page = super().index(*args, **kwargs)
        if routes.page_of(flask.request.path) in routes.NAMES:
            return page
        return flask.Response(page, status=404, mimetype="text/html")

    def interpolate_index(self, **kwargs: str) -> str:
        path = routes.page_of(flask.request.path)
        search = flask.request.query_string.decode("utf-8", "replace")
        kwargs["title"] = routes.title(path)
        kwargs["app_entry"] = shell.page_shell(path, search) + kwargs.get("app_entry", "")
        preload = plotlyjs.preload_link(self.config.requests_pathname_prefix)
        kwargs["css"] = f"{kwargs.get('css', '')}\n{preload}"
        return super().interpolate_index(**kwargs)


def _serve_bootstrap(server: flask.Flask) -> None:
    """Bootstrap's files from the installed XStatic package (pinned in requirements.txt)."""

    @server.route(f"{BOOTSTRAP_ROUTE}/<path:filename>")
    def bootstrap_file(filename: str) -> flask.Response:
        return flask.send_from_directory(
            xstatic_bootstrap.BASE_DIR, filename, max_age=VENDOR_MAX_AGE_SECONDS
        )


def _add_security_headers(server: flask.Flask) -> None:
    @server.after_request
    def secure(response: flask.Response) -> flask.Response:
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response


def create_app() -> dash.Dash:
    settings = config.load()
    logging.basicConfig(level=settings.log_level)
    server = flask.Flask(__name__)
    server.config.update(COMPRESS_SETTINGS)  # read when Dash attaches flask-compress
    app = Dashboard(
        __name__,
        server=server,
        title=TITLE,
        update_title=None,
        serve_locally=True,
        external_stylesheets=[BOOTSTRAP_CSS],
        meta_tags=META_TAGS,
        # The ALB passes bodies through as they are; figures' JSON compresses to a third or
        # less (flask-compress, for clients that send Accept-Encoding).
        compress=True,
        # Pages are registered below, not imported from a folder; the router tells Dash the
        # page shown, so asking for it again (Back within a page) changes nothing.
        use_pages=True,
        pages_folder="",
        routing_callback_inputs={pages.SHOWN: State(_ID_STORE, "data")},
        # The layout holds one page at a time, so callbacks name components it may not hold
        # now; without this, Dash would also send every page's layout with each page's HTML
        # to check them against.
        suppress_callback_exceptions=True,
        # META_TAGS describe the site; per-page social tags would repeat the description.
        include_pages_meta=False,
    )
    pages.register()
    _serve_bootstrap(app.server)
    plotlyjs.register(app.server, app.config.routes_pathname_prefix)
    _add_security_headers(app.server)
    health.register(app.server)
    api.register(app.server, settings)
    app.layout = layout.build
    callbacks.register(app)
    if settings.debug:
        # Dev tools (callback graph, in-page tracebacks) only when DASH_DEBUG=1.
        app.enable_dev_tools(debug=True, dev_tools_hot_reload=False)
    _finish_setup(app)
    return app


def _finish_setup(app: dash.Dash) -> None:
    """Let Dash finish setting itself up now, before any visitor. It does so on a worker's
    first request and marks that done before it is: the other requests of a browser asking a
    new worker for the page's scripts all at once found none registered and failed (500), and
    the page never started. One request to a cheap route here runs the setup to its end."""
    app.server.test_client().get(f"{app.config.routes_pathname_prefix}_dash-dependencies")


app = create_app()
server = app.server

if __name__ == "__main__":
    _settings = config.load()
    app.run(host=_settings.host, port=_settings.port, debug=_settings.debug)
