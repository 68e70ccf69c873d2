from decimal import Decimal

import pytest

from ingest.schema import MalformedItem, Snapshot, storable


def _snapshot(**metrics):
    return Snapshot(
        asset="bitcoin",
        ts=1_700_000_000,
        source="cmc",
        name="Bitcoin",
        symbol="BTC",
        fetched_at=1_700_000_042,
        metrics={"price": Decimal("68891.88"), **metrics},
    )


def test_null_metrics_are_left_out_of_the_item():
    item = _snapshot(max_supply=None, circulating_supply=Decimal("19700000")).to_item()
    assert "max_supply" not in item
    assert item["circulating_supply"] == Decimal("19700000")
    assert item["price"] == Decimal("68891.88")


def test_item_round_trips():
    snap = _snapshot(max_supply=Decimal("21000000"), cmc_rank=Decimal(1))
    assert Snapshot.from_item(snap.to_item()) == snap


@pytest.mark.parametrize(
    "broken",
    [{"price": "NaN"}, {"price": "not a number"}, {"ts": None}, {"source": "elsewhere"}],
)
def test_malformed_items_are_refused(broken):
    item = {**_snapshot().to_item(), **broken}
    with pytest.raises(MalformedItem):
        Snapshot.from_item(item)


def test_floats_are_refused_so_money_cannot_drift():
    with pytest.raises(TypeError, match="Decimal"):
        _snapshot(market_cap=1.5)


@pytest.mark.parametrize(
    ("number", "fits"),
    [
        ("68891.88123456789", True),
        ("0", True),
        ("-0.000", True),
        ("1234567890123456789012345678901234567.8", True),  # 38 digits
        ("1234567890123456789012345678901234567.89", False),  # 39 digits
        ("100000000000000000000000000000000000000", False),  # 10**38 written out: 39 digits
        ("1E+38", True),
        ("9.99E+125", True),
        ("1E+126", False),
        ("1E-130", True),
        ("-1E-131", False),
    ],
)
def test_storable_says_what_dynamodb_holds_exactly(number, fits):
    assert storable(Decimal(number)) is fits
