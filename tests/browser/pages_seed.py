"""A history for the analysis and compare pages whose numbers can be worked out by hand.

Bitcoin: 250 days, four snapshots a day (00, 06, 12, 18 UTC) all at the day's price b(d):
  d 0-100    100 + d            (rises to 200 on day 100)
  d 101-150  200 - 2 (d - 100)  (falls to 100 on day 150: -50 %)
  d 151-199  100 + 4 (d - 150)  (back at 200 on day 175, 296 on day 199)
  d 200      300                (the all-time high)
  d 201-249  300 - (d - 200)    (251 on day 249, the newest)
Ethereum: the last 10 days (240-249), twenty times bitcoin's price with a daily swing: 0.99x
at 00:00 (open), 1.02x at 06:00 (high), 0.97x at 12:00 (low), 1.00x at 18:00 (close). So its
daily closes are exactly 20x bitcoin's (correlation 1, ETH/BTC ratio 20 at every close).

The last day is the latest UTC day whose 18:00 has passed, so every day is whole.
"""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from ingest.schema import Snapshot

DAYS = 250
ETH_DAYS = 10
SLOTS = (0, 6, 12, 18)  # hours
ETH_SWING = (Decimal("0.99"), Decimal("1.02"), Decimal("0.97"), Decimal("1.00"))
BTC_SUPPLY = Decimal(19_700_000)
ETH_SUPPLY = Decimal(120_000_000)


def last_day() -> pd.Timestamp:
    """UTC midnight of the newest day, the latest whose 18:00 snapshot is in the past."""
    return (pd.Timestamp.now(tz="UTC") - pd.Timedelta(hours=18)).floor("D")


def day(d: int) -> pd.Timestamp:
    """UTC midnight of day `d` (0 = the first of bitcoin's 250)."""
    return last_day() - pd.Timedelta(days=DAYS - 1 - d)


def btc_price(d: int) -> int:
    if d <= 100:
        return 100 + d
    if d <= 150:
        return 200 - 2 * (d - 100)
    if d <= 199:
        return 100 + 4 * (d - 150)
    return 300 - (d - 200)


def _snapshot(asset: str, when: pd.Timestamp, price: Decimal, supply: Decimal) -> Snapshot:
    name, symbol = ("Bitcoin", "BTC") if asset == "bitcoin" else ("Ethereum", "ETH")
    ts = int(when.timestamp())
    metrics = {
        "price": price,
        "volume_24h": Decimal(1_000_000) * price,
        "market_cap": price * supply,
        "circulating_supply": supply,
        "max_supply": Decimal(21_000_000) if asset == "bitcoin" else None,
        "percent_change_24h": Decimal("0.1"),
        "cmc_rank": Decimal(1 if asset == "bitcoin" else 2),
    }
    return Snapshot(
        asset=asset, ts=ts, source="cmc", name=name, symbol=symbol, fetched_at=ts, metrics=metrics
    )


def bitcoin() -> list[Snapshot]:
    return [
        _snapshot("bitcoin", day(d) + pd.Timedelta(hours=h), Decimal(btc_price(d)), BTC_SUPPLY)
        for d in range(DAYS)
        for h in SLOTS
    ]


def ethereum() -> list[Snapshot]:
    return [
        _snapshot(
            "ethereum",
            day(d) + pd.Timedelta(hours=h),
            20 * btc_price(d) * swing,
            ETH_SUPPLY,
        )
        for d in range(DAYS - ETH_DAYS, DAYS)
        for h, swing in zip(SLOTS, ETH_SWING, strict=True)
    ]
