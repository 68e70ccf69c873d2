"""Rebased prices, the ratio of two assets and the correlation of their daily returns."""

from __future__ import annotations

import math
import statistics

import numpy as np
import pandas as pd
import pytest
from hypothesis import given

from dashboard.analytics.compare import ratio, rebased, return_correlation
from dashboard.data import empty_frame
from tests.analytics.snapshots import PROPERTIES, daily_prices, histories, snapshots


def ts(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz="UTC")


def test_rebased_to_100_at_each_assets_first_snapshot_in_the_window():
    frames = {
        "bitcoin": daily_prices([50.0, 75.0, 25.0]),
        "ethereum": daily_prices([4.0, 2.0, 3.0, 5.0], start="2025-12-31"),
    }
    result = rebased(frames, ts("2026-01-01"), None)
    assert result["bitcoin"].tolist() == pytest.approx([100.0, 150.0, 50.0])  # 75/50, 25/50
    assert result["ethereum"].tolist() == pytest.approx([100.0, 150.0, 250.0])  # from 2: 3/2, 5/2
    later = rebased(frames, ts("2026-01-02"), None)["bitcoin"]
    assert later.tolist() == pytest.approx([100.0, 100 / 3])  # 25 / 75


def test_rebased_without_data_in_the_window():
    result = rebased({"bitcoin": daily_prices([1.0]), "none": empty_frame()}, ts("2027-01-01"))
    assert result["bitcoin"].empty
    assert result["none"].empty
    assert rebased({}) == {}


@PROPERTIES
@given(histories(min_size=1))
def test_rebased_starts_at_exactly_100(frame: pd.DataFrame):
    series = rebased({"a": frame})["a"]
    assert series.iloc[0] == 100.0
    assert series.index.equals(frame.index)
    assert ratio(frame, frame).tolist() == pytest.approx([1.0] * len(frame))


def _pair() -> tuple[pd.DataFrame, pd.DataFrame]:
    bitcoin = snapshots(
        ["2026-01-01 00:00", "2026-01-01 06:00", "2026-01-01 12:00", "2026-01-01 18:00"],
        [100.0, 120.0, 150.0, 160.0],
    )
    ethereum = snapshots(
        # 30 s after; 1 min before (and 30 min after) 06:00; 90 min after 12:00
        ["2026-01-01 00:00:30", "2026-01-01 05:59", "2026-01-01 06:30", "2026-01-01 13:30"],
        [10.0, 12.0, 11.0, 15.0],
    )
    return bitcoin, ethereum


def test_ratio_pairs_the_nearest_snapshot_within_an_hour():
    bitcoin, ethereum = _pair()
    result = ratio(bitcoin, ethereum)
    # 00:00 with 00:00:30 -> 100 / 10; 06:00 with 05:59 (nearer than 06:30) -> 120 / 12;
    # 12:00 and 18:00 have no ethereum snapshot within an hour: left out.
    assert result.tolist() == [10.0, 10.0]
    assert result.index.tolist() == [ts("2026-01-01 00:00"), ts("2026-01-01 06:00")]


def test_ratio_in_a_window_may_pair_just_outside_it():
    bitcoin, ethereum = _pair()
    result = ratio(bitcoin, ethereum, ts("2026-01-01 06:00"), ts("2026-01-01 12:00"))
    assert result.to_dict() == {ts("2026-01-01 06:00"): 10.0}  # with 05:59's 12


def test_ratio_across_time_units_and_without_data():
    bitcoin, ethereum = _pair()
    ethereum.index = ethereum.index.as_unit("ns")
    assert ratio(bitcoin, ethereum).tolist() == [10.0, 10.0]
    assert ratio(bitcoin, empty_frame()).empty
    assert ratio(empty_frame(), ethereum).empty
    assert ratio(bitcoin, ethereum, ts("2027-01-01"), None).empty


def test_correlation_of_daily_log_returns_on_common_days():
    a = [100.0, 110.0, 99.0, 108.9, 98.01]  # returns ln 1.1, ln 0.9, ln 1.1, ln 0.9
    frames = {
        "a": daily_prices(a),
        "twice": daily_prices([p * p / 100 for p in a]),  # returns 2r: correlation 1
        "inverse": daily_prices([1e4 / p for p in a]),  # returns -r: correlation -1
        # Jan 1, 2, 3 and 5 (no Jan 4): returns on Jan 2, 3 and Jan 5 (over the gap).
        "gappy": snapshots(
            ["2026-01-01 12:00", "2026-01-02 12:00", "2026-01-03 12:00", "2026-01-05 12:00"],
            [100.0, 110.0, 99.0, 98.01],
        ),
        "short": daily_prices([1.0, 2.0, 3.0]),  # two returns: too few for any correlation
    }
    matrix = return_correlation(frames)
    assert matrix.index.tolist() == matrix.columns.tolist() == list(frames)
    assert matrix.loc["a", "twice"] == pytest.approx(1.0)
    assert matrix.loc["a", "inverse"] == pytest.approx(-1.0)
    # Common days with "a": Jan 2, 3, 5 -> a's ln 1.1, ln 0.9, ln 0.9 against
    # gappy's ln 1.1, ln 0.9, ln(98.01 / 99).
    expected = statistics.correlation(
        [math.log(1.1), math.log(0.9), math.log(0.9)],
        [math.log(1.1), math.log(0.9), math.log(98.01 / 99)],
    )
    assert matrix.loc["a", "gappy"] == pytest.approx(expected)
    assert matrix.loc["gappy", "a"] == pytest.approx(expected)
    assert matrix.loc["short"].isna().all()
    assert np.diag(matrix.drop(index="short", columns="short")).tolist() == pytest.approx([1.0] * 4)


def test_correlation_in_a_window_and_without_data():
    frames = {"a": daily_prices([1.0, 2.0, 3.0, 5.0, 4.0]), "b": daily_prices([1.0, 3.0, 2.0])}
    # From Jan 2 on: a has returns Jan 3, 4, 5; b only Jan 3 -> no pair
    matrix = return_correlation(frames, ts("2026-01-02"), None)
    assert np.isnan(matrix.loc["a", "b"])
    assert matrix.loc["a", "a"] == 1.0
    assert return_correlation({}).empty
    assert return_correlation({"a": empty_frame()}).isna().all().all()
