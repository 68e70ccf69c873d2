"""Display name and ticker for a slug when the source (CoinGecko charts, demo) has none.

CoinMarketCap gives both; CoinGecko's market_chart and the demo generator do not, so a small
map covers the usual assets and anything else gets a readable fallback ("usd-coin" →
"Usd Coin", "USD").
"""

from __future__ import annotations

KNOWN: dict[str, tuple[str, str]] = {
    "bitcoin": ("Bitcoin", "BTC"),
    "ethereum": ("Ethereum", "ETH"),
    "tether": ("Tether USDt", "USDT"),
    "solana": ("Solana", "SOL"),
    "litecoin": ("Litecoin", "LTC"),
}


def label(slug: str) -> tuple[str, str]:
    """(name, symbol) for `slug`."""
    if slug in KNOWN:
        return KNOWN[slug]
    words = [w for w in slug.replace("_", "-").split("-") if w]
    return " ".join(w.title() for w in words) or slug, (words[0][:4] if words else slug).upper()
