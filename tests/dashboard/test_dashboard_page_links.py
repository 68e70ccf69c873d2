"""Every page's link: the compare page's assets and ratio, the price chart's toggles, what
each page's link holds, and the view a link resolves to (unknown assets named, the compare
page's window over all its assets, the links carried between pages)."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard import routes
from dashboard.asset_choice import choose_assets, choose_ratio, default_comparison, keep_one
from dashboard.data import LoadResult
from dashboard.resolve import page_links, resolve
from dashboard.urlstate import MAX_COMPARED, ViewState, parse_query, to_query
from tests.dashboard_ui.frames import frame


def test_the_compare_link_is_read_in_the_order_given():
    state, notice = parse_query(
        "?assets=Ethereum,bitcoin,ethereum&range=1y&ratio=bitcoin,ethereum", "bitcoin"
    )
    assert notice is None
    assert (state.assets, state.preset, state.ratio) == (
        ("ethereum", "bitcoin"),
        "1Y",
        ("bitcoin", "ethereum"),
    )


@pytest.mark.parametrize(
    ("query", "problem"),
    [
        ("?assets=bitcoin,<script>", "assets 'bitcoin,<script>' should list asset names"),
        ("?ratio=bitcoin", "ratio 'bitcoin' should name two different assets"),
        ("?ratio=bitcoin,bitcoin", "ratio 'bitcoin,bitcoin' should name two different assets"),
        ("?cycles=yes", "cycles 'yes' should be 1 or 0"),
        ("?candles=2", "candles '2' should be 1 or 0"),
    ],
)
def test_malformed_page_keys_fall_back_with_a_notice(query, problem):
    state, notice = parse_query(query, "bitcoin")
    assert problem in notice
    assert (state.assets, state.ratio, state.cycles, state.candles) == ((), None, False, False)


def test_more_assets_than_the_page_compares_keep_the_first_ones():
    names = [f"coin-{n}" for n in range(MAX_COMPARED + 2)]
    state, notice = parse_query("?assets=" + ",".join(names), "bitcoin")
    assert state.assets == tuple(names[:MAX_COMPARED])
    assert notice.endswith(f"assets lists 8 assets; the first {MAX_COMPARED} are compared.")


FULL = ViewState(
    "ethereum",
    "3M",
    None,
    None,
    True,
    (7,),
    cycles=True,
    candles=True,
    assets=("ethereum", "bitcoin"),
    ratio=("bitcoin", "ethereum"),
)


def test_each_page_link_holds_its_own_keys():
    assert (
        to_query(FULL, routes.OVERVIEW) == "?asset=ethereum&range=3M&log=1&ma=7&cycles=1&candles=1"
    )
    assert to_query(FULL, routes.ANALYSIS) == to_query(FULL, routes.OVERVIEW)
    assert to_query(FULL, routes.COMPARE) == (
        "?assets=ethereum,bitcoin&range=3M&log=1&ratio=bitcoin,ethereum"
    )


def test_each_page_link_reads_back_as_its_part_of_the_view():
    overview, _ = parse_query(to_query(FULL, routes.OVERVIEW), "bitcoin")
    assert overview == ViewState(
        "ethereum", "3M", None, None, True, (7,), cycles=True, candles=True
    )
    compare, _ = parse_query(to_query(FULL, routes.COMPARE), "bitcoin")
    assert compare == ViewState(
        "bitcoin", "3M", None, None, True, (), assets=FULL.assets, ratio=FULL.ratio
    )


KNOWN = ["bitcoin", "ethereum", "solana"]


def test_without_a_choice_the_current_asset_is_compared_with_the_others():
    assert default_comparison("ethereum", KNOWN, 6) == ("ethereum", "bitcoin", "solana")
    assert default_comparison("ethereum", KNOWN, 2) == ("ethereum", "bitcoin")


def test_unknown_assets_are_left_out_of_a_comparison_by_name():
    default = ("bitcoin", "ethereum")
    assert choose_assets(("solana", "nosuchcoin"), KNOWN, default) == (
        ("solana",),
        "Unknown asset nosuchcoin — comparing solana.",
    )
    assert choose_assets(("x", "y"), KNOWN, default) == (
        default,
        "Unknown assets x, y — comparing bitcoin, ethereum.",
    )
    assert choose_assets((), KNOWN, default) == (default, None)


def test_unticking_the_last_compared_asset_is_refused_and_said():
    assert keep_one((), ("ethereum",)) == (
        ("ethereum",),
        "The compare page needs at least one asset — still comparing ethereum.",
    )
    # Unticking any other keeps the rest in the order they were ticked.
    assert keep_one(("ethereum",), ("bitcoin", "ethereum")) == (("ethereum",), None)
    assert keep_one(("solana", "bitcoin"), ("solana",)) == (("solana", "bitcoin"), None)


def test_the_ratio_is_the_second_asset_over_the_first_unless_two_others_are_asked():
    assets = ("bitcoin", "ethereum", "solana")
    assert choose_ratio(None, assets) == (("ethereum", "bitcoin"), None)
    assert choose_ratio(("solana", "ethereum"), assets) == (("solana", "ethereum"), None)
    assert choose_ratio(("dogecoin", "bitcoin"), assets) == (
        ("ethereum", "bitcoin"),
        "The ratio dogecoin/bitcoin needs two different compared assets — showing "
        "ethereum/bitcoin.",
    )
    assert choose_ratio(None, ("bitcoin",)) == (None, None)


class Repository:
    def __init__(self, frames: dict[str, pd.DataFrame]) -> None:
        self.frames = frames

    def assets(self) -> list[str]:
        return list(self.frames)

    def load(self, asset: str) -> LoadResult:
        return LoadResult(self.frames[asset], None)


# bitcoin: 2026-01-01 00:00 to 2026-01-10 18:00; ethereum: 2026-01-05 00:00 to 2026-01-12 18:00
REPOSITORY = Repository(
    {"bitcoin": frame(40), "ethereum": frame(32, start="2026-01-05"), "solana": frame(0)}
)


def test_the_compare_page_spans_all_its_assets_and_names_the_unknown():
    asked, _ = parse_query("?assets=nosuchcoin,ethereum,bitcoin&range=ALL", "bitcoin")
    resolved = resolve(routes.COMPARE, asked, REPOSITORY, "bitcoin")
    assert resolved.state.assets == ("ethereum", "bitcoin")
    assert resolved.state.asset == "ethereum"  # what the other pages' links carry
    assert resolved.state.ratio == ("bitcoin", "ethereum")
    assert resolved.notices == ["Unknown asset nosuchcoin — comparing ethereum, bitcoin."]
    assert (resolved.start, resolved.end) == (
        pd.Timestamp("2026-01-01 00:00", tz="UTC"),
        pd.Timestamp("2026-01-12 18:00", tz="UTC"),
    )


def test_an_unknown_asset_on_the_compare_page_is_named_with_what_it_compares():
    asked, _ = parse_query("?asset=nosuchcoin&range=ALL", "bitcoin")
    resolved = resolve(routes.COMPARE, asked, REPOSITORY, "bitcoin")
    assert resolved.notices == ["Unknown asset nosuchcoin — comparing bitcoin, ethereum, solana."]
    resolved = resolve(routes.OVERVIEW, asked, REPOSITORY, "bitcoin")
    assert resolved.notices == ["Unknown asset nosuchcoin — showing bitcoin."]


def test_a_single_asset_page_keeps_the_comparison_quietly_for_its_link():
    asked = ViewState("bitcoin", "7D", None, None, False, (), assets=("ethereum", "nosuchcoin"))
    resolved = resolve(routes.ANALYSIS, asked, REPOSITORY, "bitcoin")
    assert resolved.notices == []
    assert resolved.state.assets == ("ethereum",)
    assert (resolved.start, resolved.end) == (
        pd.Timestamp("2026-01-03 18:00", tz="UTC"),
        pd.Timestamp("2026-01-10 18:00", tz="UTC"),
    )


def test_page_links_carry_the_asset_range_and_a_comparison_holding_the_asset():
    state = ViewState("ethereum", "1M", None, None, False, (30,), cycles=True)
    assert page_links(state, KNOWN) == {
        "/": "/?asset=ethereum&range=1M&ma=30&cycles=1",
        "/analysis": "/analysis?asset=ethereum&range=1M&ma=30&cycles=1",
        "/compare": "/compare?assets=ethereum,bitcoin,solana&range=1M",
    }
    chosen = ViewState(
        "solana",
        "1M",
        None,
        None,
        True,
        (),
        assets=("bitcoin", "solana"),
        ratio=("solana", "bitcoin"),
    )
    assert page_links(chosen, KNOWN)["/compare"] == (
        "/compare?assets=bitcoin,solana&range=1M&log=1&ratio=solana,bitcoin"
    )
