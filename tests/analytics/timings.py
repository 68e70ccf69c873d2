"""How long each analytic takes on 10 years at 6-hour steps (14,600 snapshots) and on 1,000,000
one-minute snapshots: a measurement to read, not a test (pytest does not collect it).

    .venv/bin/python -m tests.analytics.timings

Prices are a seeded geometric random walk (so drawdown episodes are as many as in real data);
each figure is the median of several calls on the whole history, in milliseconds, as wall
clock and as the process's CPU time (steadier when other work shares the cores).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from functools import partial

import numpy as np
import pandas as pd

from dashboard.analytics import compare, cycles, daily, drawdowns, risk, seasonality
from ingest.schema import METRIC_FIELDS

SIZES = ((14_600, "6h"), (1_000_000, "1min"))
ANNUAL_VOLATILITY = 0.6


def walk(points: int, freq: str, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    index = pd.date_range("2016-01-01", periods=points, freq=freq, tz="UTC", name="time")
    steps_per_year = 365 * (pd.Timedelta(days=1) / pd.Timedelta(freq))
    steps = rng.normal(0.0, ANNUAL_VOLATILITY / np.sqrt(steps_per_year), points)
    data = {name: np.full(points, np.nan) for name in METRIC_FIELDS}
    data["price"] = 10_000 * np.exp(np.cumsum(steps))
    data["volume_24h"] = rng.uniform(1e10, 5e10, points)
    data["market_cap"] = data["price"] * 19.6e6
    data["circulating_supply"] = np.full(points, 19.6e6)
    frame = pd.DataFrame(data, index=index.as_unit("us"))
    for name, value in (("name", "Bitcoin"), ("symbol", "BTC"), ("source", "demo")):
        frame[name] = pd.Categorical([value] * points)
    frame["ts"] = index.asi8 // 10**9
    frame["fetched_at"] = frame["ts"] + 30
    return frame


def analytics(btc: pd.DataFrame, eth: pd.DataFrame) -> dict[str, Callable[[], object]]:
    pair = {"bitcoin": btc, "ethereum": eth}
    return {
        "daily.daily": partial(daily.daily, btc),
        "daily.daily_closes": partial(daily.daily_closes, btc),
        "drawdowns.drawdown": partial(drawdowns.drawdown, btc),
        "drawdowns.all_time_high": partial(drawdowns.all_time_high, btc),
        "drawdowns.deepest_drawdowns": partial(drawdowns.deepest_drawdowns, btc),
        "risk.risk_summary": partial(risk.risk_summary, btc),
        "risk.rolling_volatility": partial(risk.rolling_volatility, btc),
        "seasonality.monthly_returns": partial(seasonality.monthly_returns, btc),
        "cycles.moving_average 200d": partial(cycles.moving_average, btc, 200),
        "cycles.moving_average 200w": partial(cycles.moving_average, btc, 1400),
        "cycles.mayer_multiple": partial(cycles.mayer_multiple, btc),
        "cycles.latest_mayer_multiple": partial(cycles.latest_mayer_multiple, btc),
        "cycles.events_for": partial(cycles.events_for, "bitcoin"),
        "compare.rebased (2 assets)": partial(compare.rebased, pair),
        "compare.ratio": partial(compare.ratio, eth, btc),
        "compare.return_correlation (2)": partial(compare.return_correlation, pair),
    }


def median_ms(call: Callable[[], object], repeat: int) -> tuple[float, float]:
    """(wall, CPU) medians in ms; on a shared machine the CPU time is the steadier figure."""
    call()
    wall, cpu = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        call()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def main() -> None:
    for points, freq in SIZES:
        calls = analytics(walk(points, freq, 1), walk(points, freq, 2))
        repeat = 20 if points < 100_000 else 5
        print(f"\n{points:,} snapshots ({freq} steps), median of {repeat} calls: wall, CPU ms")
        for name, call in calls.items():
            wall, cpu = median_ms(call, repeat)
            print(f"  {name:<34} {wall:8.2f} {cpu:8.2f}")


if __name__ == "__main__":
    main()
