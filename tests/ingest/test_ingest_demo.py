"""Demo history: deterministic, plausible, labelled, and seeded only when asked."""

from __future__ import annotations

import itertools
import math
import statistics
from decimal import Decimal

from ingest import cli, demo
from tests.ingest.helpers import SLOT, indexed_assets, snapshots_of

END = 1_790_000_000


def test_same_arguments_give_the_same_items():
    one = [s.to_item() for s in demo.generate("bitcoin", 30, END, SLOT)]
    two = [s.to_item() for s in demo.generate("bitcoin", 30, END, SLOT)]
    assert one == two


def test_history_is_slot_spaced_ends_at_the_current_slot_and_is_plausible():
    points = demo.generate("bitcoin", 730, END, SLOT)
    assert len(points) == 730 * 4
    assert points[-1].ts == END // SLOT * SLOT
    assert {b.ts - a.ts for a, b in itertools.pairwise(points)} == {SLOT}
    assert {p.source for p in points} == {"demo"}
    last = points[-1]
    assert (last.name, last.symbol) == ("Bitcoin", "BTC")
    supply = [p.metrics["circulating_supply"] for p in points]
    assert supply == sorted(supply)
    assert Decimal(19_000_000) < supply[0] < supply[-1] < Decimal(21_000_000)
    assert last.metrics["market_cap"] == (last.price * supply[-1]).quantize(Decimal("0.01"))
    day_ago = points[-5].price
    expected = (last.price / day_ago - 1) * 100
    assert abs(last.metrics["percent_change_24h"] - expected) < Decimal("0.01")


def test_the_bitcoin_supply_schedule_matches_the_2024_halving():
    assert demo.bitcoin_supply(demo.ANCHOR_TS) == 19_687_500
    assert demo.bitcoin_supply(4_000_000_000) < 21_000_000


def test_demo_if_empty_seeds_once_and_says_so(moto_table, capsys):
    assert cli.main(["demo", "--days", "3", "--if-empty"]) == 0
    assert "bitcoin: seeded 12 demo snapshots" in capsys.readouterr().out
    assert len(snapshots_of(moto_table)) == 12
    assert indexed_assets(moto_table) == {"bitcoin"}

    assert cli.main(["demo", "--days", "3", "--if-empty"]) == 0
    assert "already stored; demo data not seeded" in capsys.readouterr().out
    assert len(snapshots_of(moto_table)) == 12


def test_demo_for_another_asset(moto_table, capsys):
    assert cli.main(["demo", "--days", "1", "--asset", "ethereum"]) == 0
    items = snapshots_of(moto_table, "ethereum")
    assert len(items) == 4
    assert items[0]["symbol"] == "ETH"


def test_bitcoin_demo_prices_stay_as_they_were():
    """Pinned: the bench's stored datasets were generated from this series."""
    points = demo.generate("bitcoin", 30, END, SLOT)
    assert [points[0].price, points[57].price, points[-1].price] == [
        Decimal("72674.25"),
        Decimal("78494.63"),
        Decimal("68000.00"),
    ]


def test_ethereum_demo_is_uncapped_and_moves_with_bitcoin():
    days = 365
    eth = demo.generate("ethereum", days, END, SLOT)
    btc = demo.generate("bitcoin", days, END, SLOT)
    last = eth[-1]
    assert (last.name, last.symbol, last.price) == ("Ethereum", "ETH", Decimal("3500.00"))
    assert last.metrics["max_supply"] is None
    assert last.metrics["circulating_supply"] == Decimal("120400000")
    assert [p.ts for p in eth] == [p.ts for p in btc]

    def daily_log_returns(points):
        closes = [float(p.price) for p in points[3::4]]  # each day's 18:00 snapshot
        return [math.log(b / a) for a, b in itertools.pairwise(closes)]

    correlation = statistics.correlation(daily_log_returns(eth), daily_log_returns(btc))
    assert 0.7 < correlation < 0.9  # the profile mixes in bitcoin's moves at 0.8
