"""`?asset=` must name an asset the dashboard knows; anything else shows the default with a
notice that names what was asked."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from dashboard.asset_choice import choose_asset

KNOWN = ("bitcoin", "ethereum")


def test_a_known_asset_is_shown_without_a_notice():
    assert choose_asset("ethereum", KNOWN, "bitcoin") == ("ethereum", None)


def test_an_unknown_asset_shows_the_default_and_says_so():
    assert choose_asset("nosuchcoin", KNOWN, "bitcoin") == (
        "bitcoin",
        "Unknown asset nosuchcoin — showing bitcoin.",
    )


def test_a_hostile_name_is_cut_short_in_the_notice():
    asset, notice = choose_asset("x" * 5000, KNOWN, "bitcoin")
    assert asset == "bitcoin"
    assert notice == "Unknown asset " + "x" * 40 + "… — showing bitcoin."


@given(st.text(max_size=300))
def test_whatever_is_asked_the_view_shows_a_known_asset(requested):
    asset, notice = choose_asset(requested, KNOWN, "bitcoin")
    assert asset in KNOWN
    assert (notice is None) == (requested in KNOWN)
    if notice is not None:
        assert len(notice) < 100
