"""Cross-origin reads of the data API: the data is public and read-only, so any origin may read.

Every /api response allows any origin and exposes the headers a client reads (ETag, Link,
X-Data-Warning, Content-Disposition, Retry-After). Before a request that sets a header of its
own, such as If-None-Match for a conditional GET, a browser sends a CORS preflight (OPTIONS
with Origin and Access-Control-Request-Method); it gets 204 allowing GET and HEAD with
If-None-Match, which the browser may keep for a day (browsers cap that lower). Any other
OPTIONS is refused (405) like every method but GET and HEAD. The browser, not the server,
enforces what is allowed, so a preflight asking for another method or header gets the same
answer and goes no further.
"""

from __future__ import annotations

from collections.abc import Mapping

ALLOWED_METHODS = ("GET", "HEAD")
ALLOWED_HEADERS = ("If-None-Match",)
PREFLIGHT_MAX_AGE = 86_400
RESPONSE_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "ETag, Link, X-Data-Warning, Content-Disposition, Retry-After",
}
PREFLIGHT_HEADERS = {
    "Access-Control-Allow-Methods": ", ".join(ALLOWED_METHODS),
    "Access-Control-Allow-Headers": ", ".join(ALLOWED_HEADERS),
    "Access-Control-Max-Age": str(PREFLIGHT_MAX_AGE),
}
# A request is a preflight when it carries both, whatever their values.
PREFLIGHT_REQUEST_HEADERS = ("Origin", "Access-Control-Request-Method")


def is_preflight(method: str, headers: Mapping[str, str]) -> bool:
    return method == "OPTIONS" and all(name in headers for name in PREFLIGHT_REQUEST_HEADERS)
