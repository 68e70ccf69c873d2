"""The number formats visitors read on cards, statistics and in hover labels."""

from __future__ import annotations

import math
from decimal import Decimal

import pandas as pd
import pytest

from dashboard import formatting as fmt

MINUS = "\N{MINUS SIGN}"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (68891.88, "$68,891.88"),
        (Decimal("68891.88"), "$68,891.88"),
        (1234567.891, "$1,234,567.89"),
        (0.5, "$0.50"),
        (0.0001234, "$0.0001234"),
        (-42.1, f"{MINUS}$42.10"),
    ],
)
def test_usd(value, text):
    assert fmt.usd(value) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1_363_456_789_012.5, "$1.36T"),
        (45_234_567_890.12, "$45.2B"),
        (512_345_678, "$512.3M"),
        (999_960_000_000, "$1.00T"),  # rounds up into the next unit, never "$1000.0B"
        (12_500, "$12.5K"),
        (950, "$950.00"),
    ],
)
def test_usd_compact(value, text):
    assert fmt.usd_compact(value) == text


@pytest.mark.parametrize(
    ("value", "symbol", "text"),
    [
        (19_700_000, "BTC", "19.7M BTC"),
        (21_000_000, "BTC", "21M BTC"),
        (120_000_000_000, "ETH", "120B ETH"),
        (512_345, "XYZ", "512,345 XYZ"),
    ],
)
def test_supply(value, symbol, text):
    assert fmt.supply(value, symbol) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [(2.3149, "+2.31%"), (-1.2, f"{MINUS}1.20%"), (0, "0.00%"), (-0.001, "0.00%")],
)
def test_percent(value, text):
    assert fmt.percent(value) == text


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "just now"),
        (-5, "just now"),  # a clock a little ahead of the store
        (59, "just now"),
        (12 * 60 + 30, "12 min ago"),
        (3 * 3600 + 59 * 60, "3 h ago"),
        (2 * 86400 + 3600, "2 d ago"),
    ],
)
def test_relative_age(seconds, text):
    assert fmt.relative_age(seconds) == text


def test_utc():
    assert fmt.utc(pd.Timestamp("2026-11-29 06:00", tz="UTC")) == "2026-11-29 06:00 UTC"
    assert fmt.utc(pd.Timestamp("2026-11-29 07:00", tz="Europe/Berlin")) == "2026-11-29 06:00 UTC"
    # Under a label that already says UTC ("Snapshot (UTC)").
    assert fmt.utc(pd.Timestamp("2026-11-29 07:00", tz="Europe/Berlin"), zone=False) == (
        "2026-11-29 06:00"
    )


@pytest.mark.parametrize("missing", [None, math.nan, float("inf"), pd.NA])
def test_missing_values_show_a_dash(missing):
    assert fmt.usd(missing) == "—"
    assert fmt.usd_compact(missing) == "—"
    assert fmt.supply(missing, "BTC") == "—"
    assert fmt.percent(missing) == "—"
    assert fmt.relative_age(missing) == "—"


@pytest.mark.parametrize("missing", [None, pd.NaT])
def test_missing_times_show_a_dash(missing):
    assert fmt.utc(missing) == "—"
