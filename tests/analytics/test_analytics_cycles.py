"""The events file, the 200-day/200-week moving averages and the Mayer multiple."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from dashboard.analytics.cycles import (
    MA_200_DAY_CLOSES,
    MA_200_WEEK_CLOSES,
    EventsFileError,
    events_for,
    latest_mayer_multiple,
    load_events,
    mayer_multiple,
    moving_average,
)
from dashboard.data import empty_frame
from tests.analytics.snapshots import daily_prices, snapshots


def ts(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz="UTC")


def test_the_bitcoin_halvings_with_their_block_heights():
    halvings = events_for("bitcoin")
    assert [e.date for e in halvings] == [
        ts("2012-11-28"),
        ts("2016-07-09"),
        ts("2020-05-11"),
        ts("2024-04-20"),
    ]
    heights = ["210,000", "420,000", "630,000", "840,000"]
    assert all(height in e.source for height, e in zip(heights, halvings, strict=True))
    assert all(e.label for e in halvings)
    assert events_for("ethereum") == []


def test_events_in_a_range_by_their_day():
    # 2020-05-11 is kept from any start on that day; 2024-04-20 from its midnight on.
    chosen = events_for("bitcoin", ts("2020-05-11 18:00"), ts("2024-04-20 00:00"))
    assert [e.date.year for e in chosen] == [2020, 2024]
    assert events_for("bitcoin", ts("2024-04-21"), None) == []


def _write(tmp_path: Path, document: object) -> Path:
    path = tmp_path / "events.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


GOOD = {"date": "2022-09-15", "label": "The Merge", "asset": "ethereum", "source": "a source"}


def test_another_events_file_is_read_and_sorted(tmp_path: Path):
    later = {**GOOD, "date": "2023-04-12", "label": "Shapella"}
    path = _write(tmp_path, {"events": [later, GOOD]})
    events = load_events(path)
    assert [e.label for e in events] == ["The Merge", "Shapella"]
    assert events_for("ethereum", events=events)[0].date == ts("2022-09-15")


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ([GOOD], 'an object with an "events" list'),
        ({"events": [GOOD, {**GOOD, "date": "2022-02-30"}]}, "event 2: date '2022-02-30'"),
        ({"events": [{**GOOD, "date": "15/09/2022"}]}, "event 1: date '15/09/2022'"),
        ({"events": [{**GOOD, "asset": "Ethereum"}]}, "event 1: asset 'Ethereum'"),
        ({"events": [{**GOOD, "label": " "}]}, "event 1: every value must be a non-empty"),
        ({"events": [{k: v for k, v in GOOD.items() if k != "source"}]}, "event 1: expected"),
        ({"events": [{**GOOD, "colour": "red"}]}, "event 1: expected exactly the keys"),
    ],
)
def test_a_defective_events_file_names_the_entry(tmp_path: Path, document, message):
    with pytest.raises(EventsFileError, match=message):
        load_events(_write(tmp_path, document))


def test_an_unreadable_events_file_says_so(tmp_path: Path):
    path = tmp_path / "events.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(EventsFileError, match="cannot read"):
        load_events(path)
    with pytest.raises(EventsFileError, match="cannot read"):
        load_events(tmp_path / "missing.json")


def test_a_moving_average_of_the_last_closes_once_the_window_is_full():
    # Closes 1, 2, 3, 4, 5 on Jan 1-5: the 3-close means are 2 (Jan 3), 3, 4.
    series = moving_average(daily_prices([1.0, 2.0, 3.0, 4.0, 5.0]), 3)
    assert series.tolist() == [2.0, 3.0, 4.0]
    assert series.index.tolist() == [ts("2026-01-03"), ts("2026-01-04"), ts("2026-01-05")]


def test_200_day_and_200_week_averages():
    frame = daily_prices([float(day) for day in range(1, 1402)])  # closes 1 … 1401
    day = moving_average(frame, MA_200_DAY_CLOSES)
    assert day.iloc[0] == 100.5  # mean(1 … 200), on the 200th day
    assert day.index[0] == ts("2026-01-01") + pd.Timedelta(days=199)
    week = moving_average(frame, MA_200_WEEK_CLOSES)
    assert week.tolist() == [700.5, 701.5]  # mean(1 … 1400), mean(2 … 1401)
    assert moving_average(daily_prices([1.0] * 199), MA_200_DAY_CLOSES).empty


def test_the_window_counts_closes_not_calendar_days_and_reaches_before_the_range():
    # Jan 1, Jan 2, (no Jan 3-9), Jan 10, Jan 11: a gap does not break the 3-close window.
    frame = snapshots(
        ["2026-01-01 12:00", "2026-01-02 12:00", "2026-01-10 12:00", "2026-01-11 12:00"],
        [3.0, 6.0, 9.0, 12.0],
    )
    assert moving_average(frame, 3).tolist() == [6.0, 9.0]  # (3+6+9)/3, (6+9+12)/3
    ranged = moving_average(frame, 3, ts("2026-01-11"), None)
    assert ranged.tolist() == [9.0]
    assert moving_average(frame, 3, None, ts("2026-01-10 23:00")).tolist() == [6.0]
    assert moving_average(frame, 3, ts("2026-02-01"), None).empty
    assert moving_average(empty_frame(), 3).empty


def test_mayer_multiple():
    # 200 days at 100, then a day that closes at 150 after an intraday 120.
    frame = daily_prices([100.0] * 200)
    frame = pd.concat([frame, snapshots(["2026-07-20 06:00", "2026-07-20 18:00"], [120.0, 150.0])])
    series = mayer_multiple(frame)
    # Day 200: 100 / 100. Day 201: 150 / mean(199 x 100 + 150) = 150 / 100.25.
    assert series.tolist() == pytest.approx([1.0, 150 / 100.25])
    assert latest_mayer_multiple(frame) == pytest.approx(150 / 100.25)
    # As of the intraday 120, the day's close so far is 120: 120 / 100.1.
    assert latest_mayer_multiple(frame, ts("2026-07-20 12:00")) == pytest.approx(120 / 100.1)
    assert latest_mayer_multiple(frame.iloc[:199]) is None
    assert latest_mayer_multiple(empty_frame()) is None
