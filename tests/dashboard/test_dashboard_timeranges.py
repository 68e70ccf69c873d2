"""Range presets, picked ranges and the URL that carries a view."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

from dashboard.timeranges import PRESETS, clean_range, preset_window
from dashboard.urlstate import ViewState, parse_query, to_query

FIRST = pd.Timestamp("2024-06-15 00:00", tz="UTC")
LAST = pd.Timestamp("2026-03-31 18:00", tz="UTC")


def ts(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz="UTC")


@pytest.mark.parametrize(
    ("preset", "start"),
    [
        ("24H", "2026-03-30 18:00"),
        ("7D", "2026-03-24 18:00"),
        ("1M", "2026-02-28 18:00"),  # calendar month: Mar 31 → Feb 28
        ("3M", "2025-12-31 18:00"),
        ("1Y", "2025-03-31 18:00"),
        ("YTD", "2026-01-01 00:00"),
        ("ALL", "2024-06-15 00:00"),
    ],
)
def test_each_preset_ends_at_the_newest_snapshot(preset, start):
    assert preset_window(preset, FIRST, LAST) == (ts(start), LAST)


def test_presets_never_start_before_the_data():
    first = ts("2026-03-20 00:00")
    for preset in PRESETS:
        start, end = preset_window(preset, first, LAST)
        assert start >= first
        assert end == LAST
    assert preset_window("1Y", first, LAST)[0] == first


def test_unknown_preset_is_an_error():
    with pytest.raises(ValueError, match="unknown range preset"):
        preset_window("5Y", FIRST, LAST)


STATES = [
    ViewState("bitcoin", None, None, None, False, ()),
    ViewState("bitcoin", "7D", None, None, True, (7, 30)),
    ViewState("ethereum", "YTD", None, None, False, (30,)),
    ViewState("bitcoin", None, ts("2025-01-01"), ts("2025-06-30"), True, (7,)),
    ViewState("bitcoin", None, ts("2025-01-01"), None, False, ()),
]


@pytest.mark.parametrize("state", STATES)
def test_query_round_trips(state):
    query = to_query(state)
    assert query.startswith("?")
    assert parse_query(query, "bitcoin") == (state, None)


def test_query_reads_as_a_person_would_write_it():
    state = ViewState("bitcoin", None, ts("2025-01-01"), ts("2025-06-30"), True, (7, 30))
    assert to_query(state) == "?asset=bitcoin&from=2025-01-01&to=2025-06-30&log=1&ma=7,30"


DEFAULTS = ViewState("bitcoin", None, None, None, False, ())


def test_early_years_are_written_with_four_digits():
    state = ViewState("bitcoin", None, ts("0999-01-01"), None, False, ())
    assert to_query(state) == "?asset=bitcoin&from=0999-01-01"


def test_empty_query_means_defaults():
    assert parse_query("", "bitcoin") == (DEFAULTS, None)


def test_lenient_spellings_are_understood():
    state, notice = parse_query("?asset=Bitcoin&range=7d&ma=30,7,7&utm_source=x", "bitcoin")
    assert notice is None
    assert state == ViewState("bitcoin", "7D", None, None, False, (7, 30))


DEFAULTS_APPLY = "Part of the link could not be used, so defaults apply: "


@pytest.mark.parametrize(
    ("query", "problem"),
    [
        ("?range=5Y", "range '5Y' is not one of 24H, 7D, 1M, 3M, 1Y, YTD, ALL"),
        ("?from=yesterday", "from 'yesterday' is not a date like 2026-01-31"),
        ("?to=2025-02-30", "to '2025-02-30' is not a date like 2026-01-31"),
        ("?log=yes", "log 'yes' should be 1 or 0"),
        ("?ma=7,abc", "ma '7,abc' should list moving-average days among 7, 30"),
        ("?ma=365", "ma '365' should list moving-average days among 7, 30"),
        ("?asset=<script>", "asset '<script>' is not an asset name"),
        ("?range=7D&range=1M", "range was given 2 times"),
    ],
)
def test_malformed_parts_fall_back_with_a_notice(query, problem):
    assert parse_query(query, "bitcoin") == (DEFAULTS, f"{DEFAULTS_APPLY}{problem}.")


def test_one_bad_part_keeps_the_good_ones():
    assert parse_query("?range=1M&log=1&ma=bogus", "bitcoin") == (
        ViewState("bitcoin", "1M", None, None, True, ()),
        f"{DEFAULTS_APPLY}ma 'bogus' should list moving-average days among 7, 30.",
    )


def test_garbage_query_string_names_the_parts_it_could_not_use():
    # Stray separators, a bad escape and an unknown key are ignored; a key with no value is
    # named, as the person who wrote it meant something by it.
    assert parse_query("?%%%&&==&asset&from=&x=%ZZ", "bitcoin") == (
        DEFAULTS,
        f"{DEFAULTS_APPLY}asset '' is not an asset name; from '' is not a date like 2026-01-31.",
    )


ARABIC_INDIC_DAY = "\u0662\u0660\u0662\u0665-\u0660\u0661-\u0660\u0661"  # 2025-01-01


def test_a_day_no_calendar_has_is_refused_by_name():
    # pandas reads year 0 as a time, but no date (so no link) can be written for it: writing
    # the view back into the address bar raised, and the page showed an error, not a chart.
    assert parse_query(f"?from=0000-01-01&to={ARABIC_INDIC_DAY}", "bitcoin") == (
        DEFAULTS,
        f"{DEFAULTS_APPLY}from '0000-01-01' is not a date like 2026-01-31; "
        f"to '{ARABIC_INDIC_DAY}' is not a date like 2026-01-31.",
    )


def test_moving_averages_that_are_not_plain_numbers_are_refused_by_name():
    # int() raised on both ("²" passes str.isdigit; 5,000 digits pass Python's limit), and
    # the page showed an error instead of a chart.
    huge = "9" * 5000  # quoted cut short: a wall of digits would not even wrap on a phone
    assert parse_query("?ma=7,²", "bitcoin") == (
        DEFAULTS,
        f"{DEFAULTS_APPLY}ma '7,²' should list moving-average days among 7, 30.",
    )
    state, notice = parse_query(f"?ma={huge}", "bitcoin")
    assert (state, notice) == (
        DEFAULTS,
        f"{DEFAULTS_APPLY}ma '9999999999999999999999999999999999999999…' "
        "should list moving-average days among 7, 30.",
    )
    assert parse_query("?ma=07,030", "bitcoin") == (replace(DEFAULTS, ma=(7, 30)), None)


def test_picked_dates_win_over_a_preset():
    state, notice = parse_query("?range=7D&from=2025-01-01", "bitcoin")
    assert notice is None
    assert (state.preset, state.start) == (None, ts("2025-01-01"))


END_OF = pd.Timedelta(days=1) - pd.Timedelta(microseconds=1)


def test_a_picked_range_includes_its_last_day():
    start, end, message = clean_range(ts("2025-01-01"), ts("2025-01-31"), FIRST, LAST)
    assert (start, end, message) == (ts("2025-01-01"), ts("2025-01-31") + END_OF, None)


SWAPPED = "The start date was after the end date, so the two were swapped."
TRIMMED = "The data covers 2024-06-15 to 2026-03-31; the range was trimmed to it."


def test_reversed_range_is_swapped_with_a_message():
    assert clean_range(ts("2025-01-31"), ts("2025-01-01"), FIRST, LAST) == (
        ts("2025-01-01"),
        ts("2025-01-31") + END_OF,
        SWAPPED,
    )


def test_range_reaching_past_the_data_is_clamped_with_a_message():
    assert clean_range(ts("2020-01-01"), ts("2030-01-01"), FIRST, LAST) == (FIRST, LAST, TRIMMED)


def test_a_reversed_range_past_the_data_says_both():
    assert clean_range(ts("2030-01-01"), ts("2025-01-01"), FIRST, LAST) == (
        ts("2025-01-01"),
        LAST,
        f"{SWAPPED} {TRIMMED}",
    )


def test_a_range_ending_on_the_newest_day_is_not_a_correction():
    start, end, message = clean_range(ts("2026-03-01"), ts("2026-03-31"), FIRST, LAST)
    assert (start, end, message) == (ts("2026-03-01"), LAST, None)


def test_range_entirely_outside_the_data_shows_everything():
    assert clean_range(ts("2010-01-01"), ts("2010-02-01"), FIRST, LAST) == (
        FIRST,
        LAST,
        "No snapshots in the chosen dates; showing all data (2024-06-15 to 2026-03-31).",
    )


def test_open_ended_ranges_run_to_the_data_edges():
    assert clean_range(None, ts("2025-01-01"), FIRST, LAST) == (
        FIRST,
        ts("2025-01-01") + END_OF,
        None,
    )
    assert clean_range(ts("2025-01-01"), None, FIRST, LAST) == (ts("2025-01-01"), LAST, None)


def test_bounds_at_the_edges_of_pandas_time_are_trimmed_not_an_error():
    # In nanoseconds, the last day's end (+1 day) and the first bound's midnight overflowed.
    last_day = pd.Timestamp("2262-04-11 00:00", tz="UTC").as_unit("ns")
    trimmed = (FIRST, LAST, TRIMMED)
    assert clean_range(None, last_day, FIRST, LAST) == trimmed
    assert clean_range(pd.Timestamp.min, None, FIRST, LAST) == trimmed
    assert clean_range(pd.Timestamp.min, pd.Timestamp.max, FIRST, LAST) == trimmed


@pytest.mark.parametrize("garbage", ["not a date", "2025-13-45", "", object(), float("nan")])
def test_unparsable_range_is_refused(garbage):
    assert clean_range(garbage, ts("2025-01-01"), FIRST, LAST) == (
        None,
        None,
        "The date range could not be read; pick dates like 2026-01-31.",
    )
