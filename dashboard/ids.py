"""Every component id in one place, so layout, callbacks and browser tests cannot drift apart."""

from __future__ import annotations

# The layout's root, and the server-rendered headline that stands in for it until it is drawn.
PAGE = "page"
PAGE_SHELL = "page-shell"
URL = "url"
VIEW = "view-state"
RENDERED_VIEW = "rendered-view"  # the view the charts were last drawn for
# The query string a link was corrected to; the browser swaps it into the address bar.
CORRECTED_QUERY = "corrected-query"
# Set by the refresh timer while the view has no window yet (empty or unreachable store).
VIEW_RETRY = "view-retry"
THEME_STORE = "theme-applied"
# A chart's zoom, pan or reset, as the browser reports it (other relayout events are dropped).
ZOOM = "chart-zoom"
# The x-range every chart was last re-sampled for inside the window (None: the whole window).
ZOOMED_RANGE = "zoomed-range"
REFRESH = "refresh-timer"
DOWNLOAD = "csv-download"

# Header
THEME_SWITCH = "theme-switch"
SOURCE_BADGES = "source-badges"

# Messages
STORE_BANNER = "store-banner"
STALE_WARNING = "stale-warning"
NOTICE = "notice"
ERROR = "error-message"
EMPTY_STATE = "empty-state"
CONTENT = "content"

# Controls
ASSET_ROW = "asset-row"
ASSET = "asset-select"
PRESET = "range-preset"
DATE_RANGE = "date-range"
DATE_FROM = "date-from"  # the picker's two text inputs
DATE_TO = "date-to"
LOG_SCALE = "log-scale"
MOVING_AVERAGES = "moving-averages"
DOWNLOAD_BUTTON = "download-button"

# Headline cards: each value has its own id so tests can read the exact text shown.
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

# Statistics panel
STATS = "range-stats"

# Charts, in page order; the x-range of one is the x-range of all.
PRICE_CHART = "price-chart"
VOLUME_CHART = "volume-chart"
MARKET_CAP_CHART = "market-cap-chart"
SUPPLY_CHART = "supply-chart"
CHARTS: tuple[str, ...] = (PRICE_CHART, VOLUME_CHART, MARKET_CAP_CHART, SUPPLY_CHART)
