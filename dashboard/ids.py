"""Every component id in one place, so layout, callbacks and browser tests cannot drift apart.

The frame (header, navigation, messages, cards, controls and the stores every page reads) is
in the layout on every page; each page's own components live in its content and exist only
while it is shown. A callback's outputs therefore all belong to the frame or all to one page
(Dash refuses a callback whose outputs are only partly on the page), hence one error area
and one set of chart ids per page.
"""

from __future__ import annotations

from dataclasses import dataclass

from dashboard import routes

# The layout's root, and the server-rendered headline that stands in for it until it is drawn.
PAGE = "page"
PAGE_SHELL = "page-shell"
URL = "url"
VIEW = "view-state"
# The part of VIEW that says which data is shown (page, asset or assets, start, end): what
# the panels that do not depend on the chart toggles listen to.
WINDOW = "view-window"
# The query string a link was corrected to; the browser swaps it into the address bar.
CORRECTED_QUERY = "corrected-query"
# Set by the refresh timer while the view has no window yet (empty or unreachable store).
VIEW_RETRY = "view-retry"
THEME_STORE = "theme-applied"
# The overview's zoom stores (see ChartSet below).
ZOOM = "chart-zoom"
ZOOMED_RANGE = "zoomed-range"
REFRESH = "refresh-timer"

# Header
THEME_SWITCH = "theme-switch"
SOURCE_BADGES = "source-badges"
NAV_LINKS: dict[str, str] = {
    routes.OVERVIEW: "nav-overview",
    routes.ANALYSIS: "nav-analysis",
    routes.COMPARE: "nav-compare",
}

# Messages
STORE_BANNER = "store-banner"
STALE_WARNING = "stale-warning"
NOTICE = "notice"
ERROR = "error-message"
EMPTY_STATE = "empty-state"
CONTENT = "content"

# Controls (one card on every page; each page shows the ones it uses)
ASSET_ROW = "asset-row"
ASSET = "asset-select"
COMPARED_ASSETS = "compared-assets"  # the compare page's choice of several
PRESET = "range-preset"
DATE_RANGE = "date-range"
DATE_FROM = "date-from"  # the picker's two text inputs
DATE_TO = "date-to"
LOG_SCALE = "log-scale"
MOVING_AVERAGES = "moving-averages"
CANDLES = "daily-candles"
CYCLES = "cycle-layer"
RATIO_TOP = "ratio-numerator"  # the compare page's ratio pair
RATIO_BOTTOM = "ratio-denominator"
DOWNLOAD_BUTTON = "download-button"

# Headline cards: each value has its own id so tests can read the exact text shown.
CARDS = "headline-cards"
CARD_PRICE = "card-price"
CARD_CHANGE = "card-change-24h"
CARD_MARKET_CAP = "card-market-cap"
CARD_DOMINANCE = "card-dominance"
CARD_VOLUME = "card-volume"
CARD_VOLUME_CHANGE = "card-volume-change"
CARD_SUPPLY = "card-supply"
CARD_SUPPLY_BAR = "card-supply-bar"
CARD_MAX_SUPPLY = "card-max-supply"
CARD_RANK = "card-rank"
CARD_UPDATED = "card-updated"
CARD_UPDATED_AGO = "card-updated-ago"
CARD_NAME = "card-name"
# The value of each headline card, in the order the page shows them.
CARD_VALUES = (
    CARD_PRICE,
    CARD_CHANGE,
    CARD_MARKET_CAP,
    CARD_VOLUME,
    CARD_SUPPLY,
    CARD_MAX_SUPPLY,
    CARD_RANK,
    CARD_UPDATED,
)

# The overview's statistics panel
STATS = "range-stats"

# The overview's charts, in page order; the x-range of one is the x-range of all.
PRICE_CHART = "price-chart"
VOLUME_CHART = "volume-chart"
MARKET_CAP_CHART = "market-cap-chart"
SUPPLY_CHART = "supply-chart"
CHARTS: tuple[str, ...] = (PRICE_CHART, VOLUME_CHART, MARKET_CAP_CHART, SUPPLY_CHART)


@dataclass(frozen=True)
class ChartSet:
    """A page's time charts, zoomed together, with their stores and the page's error area."""

    page: str
    charts: tuple[str, ...]  # the first one leads: a new window there resets the zoom
    zoom: str  # a chart's zoom, pan or reset as the browser reports it
    zoomed: str  # the x-range every chart was last re-sampled for (None: the whole window)
    error: str

    def drawn(self, chart: str) -> str:
        """The store of the view `chart` was last drawn for."""
        return f"{chart}-drawn-view"


@dataclass(frozen=True)
class CyclePanel:
    """The Mayer multiple of the cycle layer: shown while the layer is on."""

    panel: str
    value: str
    chart: str


OVERVIEW_ERROR = "overview-error"
OVERVIEW_MAYER = CyclePanel("overview-mayer", "overview-mayer-value", "overview-mayer-chart")
OVERVIEW_CHARTS = ChartSet(
    routes.OVERVIEW,
    (*CHARTS, OVERVIEW_MAYER.chart),
    ZOOM,
    ZOOMED_RANGE,
    OVERVIEW_ERROR,
)

# The analysis page
ANALYSIS_ERROR = "analysis-error"
ANALYSIS_PRICE_CHART = "analysis-price-chart"
UNDERWATER_CHART = "underwater-chart"
VOLATILITY_CHART = "volatility-chart"
ANALYSIS_MAYER = CyclePanel("analysis-mayer", "analysis-mayer-value", "analysis-mayer-chart")
ANALYSIS_CHARTS = ChartSet(
    routes.ANALYSIS,
    (ANALYSIS_PRICE_CHART, UNDERWATER_CHART, VOLATILITY_CHART, ANALYSIS_MAYER.chart),
    "analysis-zoom",
    "analysis-zoomed-range",
    ANALYSIS_ERROR,
)
ALL_TIME_HIGH = "all-time-high"
DRAWDOWN_TABLE = "drawdown-table"
RISK_PANEL = "risk-panel"
SEASONALITY_CHART = "seasonality-chart"

# The compare page
COMPARE_ERROR = "compare-error"
REBASED_CHART = "rebased-chart"
RATIO_CHART = "ratio-chart"
COMPARE_CHARTS = ChartSet(
    routes.COMPARE,
    (REBASED_CHART, RATIO_CHART),
    "compare-zoom",
    "compare-zoomed-range",
    COMPARE_ERROR,
)
CORRELATION_CHART = "correlation-chart"
