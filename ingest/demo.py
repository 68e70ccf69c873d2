"""Deterministic simulated history (`source=demo`) so the product is explorable offline.

A geometric random walk at one-hour resolution, scaled so it ends at a plausible price, sampled
at slot steps ending at the given slot. An asset may follow another (ethereum follows bitcoin):
its hourly moves mix the leader's with its own, so the two correlate as real crypto assets do
(about 0.8) when both are generated over the same span, as `make run` does. Bitcoin's supply
follows the block-reward schedule (anchored at the April 2024 halving, one block per 10
minutes), so circulating supply creeps toward 21M with halvings; market cap, fully diluted
cap, volume change and every percent change are computed from the simulated series itself.
Same arguments → same items.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from decimal import Decimal

from ingest.labels import label
from ingest.schema import Snapshot
from ingest.store import slot_start

HOUR = 3600
DAY = 24 * HOUR
# What `make run` seeds: ~6.8 years, so the 200-week average (1,400 daily closes) has three
# years of line and the 2024 halving (and, until early 2027, the 2020 one) falls inside;
# two assets of it take ~10 s to store locally.
SUGGESTED_DAYS = 2500
WARM_UP_DAYS = 90  # history simulated before the first point, for the 90-day percent change
PERCENT_WINDOWS = {"1h": 1, "24h": 24, "7d": 7 * 24, "30d": 30 * 24, "60d": 60 * 24, "90d": 90 * 24}

# Bitcoin's issuance: 50 BTC per block, halved every 210,000 blocks; 840,000th block at the
# fourth halving on 2024-04-20.
HALVING_INTERVAL = 210_000
ANCHOR_HEIGHT, ANCHOR_TS = 840_000, 1_713_571_767
BLOCK_SECONDS = 600


@dataclass(frozen=True)
class Profile:
    end_price: float
    annual_volatility: float
    volume: float
    dominance: float
    rank: int
    market_pairs: int
    fixed_supply: float | None  # None: bitcoin's issuance schedule
    max_supply: float | None
    follows: str | None = None  # the asset whose moves this one's partly are
    correlation: float = 0.0  # of its moves with the leader's


PROFILES = {
    "bitcoin": Profile(68_000.0, 0.55, 30e9, 54.0, 1, 11_500, None, 21_000_000.0),
    # Ether has no supply cap; ~120.4M ETH circulate and the number barely moves.
    "ethereum": Profile(3_500.0, 0.75, 15e9, 17.0, 2, 9_500, 120_400_000.0, None, "bitcoin", 0.8),
}
GENERIC = Profile(100.0, 0.8, 500e6, 1.0, 50, 500, 100_000_000.0, None)


def bitcoin_supply(ts: float) -> float:
    """Coins issued by time `ts` under the reward schedule (≈19.69M at the 2024 halving)."""
    height = max(0.0, ANCHOR_HEIGHT + (ts - ANCHOR_TS) / BLOCK_SECONDS)
    supply, reward, done = 0.0, 50.0, 0.0
    while height > done and reward > 1e-8:
        blocks = min(HALVING_INTERVAL, height - done)
        supply += blocks * reward
        done += blocks
        reward /= 2
    return supply


def _shocks(asset: str, steps: int) -> tuple[list[float], list[float]]:
    """The asset's standard normal price and volume moves for `steps` - 1 steps, drawn
    alternately from one generator seeded by the asset's name (the same for the same steps)."""
    rng = random.Random(f"bitcoin-tracker demo {asset}")  # noqa: S311 (simulation, not crypto)
    prices, volumes = [], []
    for _ in range(steps - 1):
        prices.append(rng.gauss(0.0, 1.0))
        volumes.append(rng.gauss(0.0, 1.0))
    return prices, volumes


def _dec(value: float, places: int) -> Decimal:
    return Decimal(f"{value:.{places}f}")


def generate(asset: str, days: int, end_ts: float, slot_seconds: int) -> list[Snapshot]:
    """`days` of slot-spaced demo snapshots, the last one at the slot holding `end_ts`."""
    if days <= 0:
        raise ValueError("--days must be a positive number of days")
    profile = PROFILES.get(asset, GENERIC)
    name, symbol = label(asset)
    step = math.gcd(HOUR, slot_seconds)
    end = slot_start(end_ts, slot_seconds)
    count = max(1, days * DAY // slot_seconds)
    first = end - (count - 1) * slot_seconds
    start = first - WARM_UP_DAYS * DAY
    steps = (end - start) // step + 1
    per_hour = HOUR // step

    sigma = profile.annual_volatility * math.sqrt(step / (365 * DAY))
    moves, volume_moves = _shocks(asset, steps)
    if profile.follows:
        leader, _ = _shocks(profile.follows, steps)
        own = math.sqrt(1 - profile.correlation**2)
        moves = [profile.correlation * a + own * b for a, b in zip(leader, moves, strict=True)]
    log_price, log_volume = [0.0], [0.0]
    for move, volume_move in zip(moves, volume_moves, strict=True):
        log_price.append(log_price[-1] + sigma * move)
        log_volume.append(0.98 * log_volume[-1] + 0.05 * volume_move)
    shift = math.log(profile.end_price) - log_price[-1]
    prices = [math.exp(p + shift) for p in log_price]
    day = 24 * per_hour
    volumes = [
        profile.volume * math.exp(v) * (1 + 10 * abs(prices[i] / prices[max(0, i - day)] - 1))
        for i, v in enumerate(log_volume)
    ]

    snapshots = []
    for i in range((first - start) // step, steps, slot_seconds // step):
        ts = start + i * step
        price = prices[i]
        supply = bitcoin_supply(ts) if profile.fixed_supply is None else profile.fixed_supply
        dominance = profile.dominance * (1 + 0.06 * math.sin(2 * math.pi * ts / (365 * DAY)))
        metrics = {
            "price": _dec(price, 2),
            "volume_24h": _dec(volumes[i], 2),
            "volume_change_24h": _dec((volumes[i] / volumes[i - day] - 1) * 100, 4),
            "market_cap": _dec(price * supply, 2),
            "market_cap_dominance": _dec(dominance, 4),
            "fully_diluted_market_cap": _dec(price * (profile.max_supply or supply), 2),
            "circulating_supply": _dec(supply, 8),
            "total_supply": _dec(supply, 8),
            "max_supply": None if profile.max_supply is None else _dec(profile.max_supply, 0),
            "cmc_rank": Decimal(profile.rank),
            "num_market_pairs": Decimal(profile.market_pairs + (ts - start) // (7 * DAY)),
        }
        for window, hours in PERCENT_WINDOWS.items():
            before = prices[i - hours * per_hour]
            metrics[f"percent_change_{window}"] = _dec((price / before - 1) * 100, 6)
        snapshots.append(
            Snapshot(
                asset=asset,
                ts=ts,
                source="demo",
                name=name,
                symbol=symbol,
                fetched_at=ts,
                metrics=metrics,
            )
        )
    return snapshots
