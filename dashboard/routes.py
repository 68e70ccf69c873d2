"""The dashboard's pages: their paths, names and titles, in one place for the navigation bar,
the links between pages, the page titles and the URL state (which keys a page's link holds).
No Dash here, so the URL rules (dashboard/timeranges.py) can use it.
"""

from __future__ import annotations

OVERVIEW = "/"
ANALYSIS = "/analysis"
COMPARE = "/compare"
PATHS: tuple[str, ...] = (OVERVIEW, ANALYSIS, COMPARE)
NAMES: dict[str, str] = {OVERVIEW: "Overview", ANALYSIS: "Analysis", COMPARE: "Compare"}
SITE_TITLE = "Bitcoin tracker"
# The pages that show one asset's headline cards and price chart (with its toggles); the
# compare page shows several assets instead.
SINGLE_ASSET: frozenset[str] = frozenset({OVERVIEW, ANALYSIS})


def title(path: str) -> str:
    """The browser tab's title for the page at `path`; each page's is its own (Dash's router
    tells pages apart by it, see dashboard/pages)."""
    if path == OVERVIEW:
        return SITE_TITLE
    return f"{NAMES.get(path, 'Page not found')} · {SITE_TITLE}"


def page_of(pathname: str | None) -> str:
    """The page path for a browser pathname ("/analysis/" → "/analysis"); unknown paths come
    back as they are, so the caller can tell them apart."""
    if not pathname:
        return OVERVIEW
    trimmed = "/" + pathname.strip("/")
    return trimmed if trimmed in NAMES else pathname
