"""Property-based tests for what users type or paste: any link and any picked range.

A link is whatever someone pastes (truncated, re-encoded, hand-edited, hostile); a picked
range is whatever the date picker or a link hands over. Whatever they hold, the page gets a
valid view and, when something had to change, a plain sentence saying so: never an error.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

import pandas as pd
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from dashboard.routes import ANALYSIS, COMPARE, OVERVIEW
from dashboard.timeranges import clean_range
from dashboard.urlstate import ViewState, parse_query, to_query
from tests.dashboard.links import day_text, queries

# Written out here rather than imported, so a change to the product's rules shows up as a
# failing property, not as a silently widened expectation.
SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")
PRESET_NAMES = {"24H", "7D", "1M", "3M", "1Y", "YTD", "ALL"}
AVERAGE_DAYS = {7, 30}
MAX_COMPARED = 6
NOTICE_START = "Part of the link could not be used, so defaults apply: "
REFUSAL = "The date range could not be read; pick dates like 2026-01-31."
PROPERTY_SETTINGS = settings(max_examples=100, deadline=None)


def _is_utc_midnight(value: object) -> bool:
    return (
        isinstance(value, pd.Timestamp)
        and str(value.tz) == "UTC"
        and (value.hour, value.minute, value.second, value.microsecond, value.nanosecond)
        == (0, 0, 0, 0, 0)
    )


def _assert_valid_state(state: ViewState) -> None:
    assert isinstance(state, ViewState)
    assert isinstance(state.asset, str)
    assert SLUG.fullmatch(state.asset), state.asset
    assert state.preset is None or state.preset in PRESET_NAMES
    for bound in (state.start, state.end):
        assert bound is None or _is_utc_midnight(bound), bound
    if state.start is not None or state.end is not None:
        assert state.preset is None  # picked days win over a preset
    assert isinstance(state.log, bool)
    assert isinstance(state.ma, tuple)
    assert list(state.ma) == sorted(set(state.ma))
    assert set(state.ma) <= AVERAGE_DAYS
    assert isinstance(state.cycles, bool)
    assert isinstance(state.candles, bool)
    assert len(state.assets) <= MAX_COMPARED
    assert len(set(state.assets)) == len(state.assets)
    assert all(SLUG.fullmatch(asset) for asset in state.assets)
    if state.ratio is not None:
        top, bottom = state.ratio
        assert top != bottom
        assert SLUG.fullmatch(top)
        assert SLUG.fullmatch(bottom)


@PROPERTY_SETTINGS
@given(st.text(max_size=200) | queries())
def test_any_link_opens_a_valid_view(search):
    state, notice = parse_query(search, "bitcoin")
    _assert_valid_state(state)
    if notice is not None:
        assert notice.startswith(NOTICE_START), notice
        assert notice.endswith(".")
        assert len(notice) < 1000  # whatever was pasted, the notice stays a few lines


def _page_part(state: ViewState, page: str) -> ViewState:
    """The part of `state` a page's link holds (the rest at its default)."""
    if page == COMPARE:
        return replace(state, asset="bitcoin", ma=(), cycles=False, candles=False)
    return replace(state, assets=(), ratio=None)


@PROPERTY_SETTINGS
@given(queries(), st.sampled_from([OVERVIEW, ANALYSIS, COMPARE]))
def test_the_corrected_link_opens_the_same_view_quietly(search, page):
    """What a page writes back into the address bar is read back as the view shown."""
    state, _ = parse_query(search, "bitcoin")
    assert parse_query(to_query(state, page), "bitcoin") == (_page_part(state, page), None)


slugs = st.from_regex(SLUG, fullmatch=True)
midnights = st.dates().map(lambda day: pd.Timestamp(day_text(day), tz="UTC"))
averages = st.sampled_from([(), (7,), (30,), (7, 30)])
compared = st.lists(slugs, unique=True, max_size=MAX_COMPARED).map(tuple)
pairs = st.none() | st.lists(slugs, unique=True, min_size=2, max_size=2).map(tuple)
toggles = {
    "log": st.booleans(),
    "ma": averages,
    "cycles": st.booleans(),
    "candles": st.booleans(),
    "assets": compared,
    "ratio": pairs,
}
states = st.builds(
    ViewState,
    asset=slugs,
    preset=st.sampled_from(sorted(PRESET_NAMES)),
    start=st.none(),
    end=st.none(),
    **toggles,
) | st.builds(
    ViewState,
    asset=slugs,
    preset=st.none(),
    start=st.none() | midnights,
    end=st.none() | midnights,
    **toggles,
)


@PROPERTY_SETTINGS
@given(states, st.sampled_from([OVERVIEW, ANALYSIS, COMPARE]))
def test_every_view_round_trips_through_its_link(state, page):
    assert parse_query(to_query(state, page), "bitcoin") == (_page_part(state, page), None)


# Bounds as the date picker, a link or a stray caller might hand them over.
offsets = st.integers(-14 * 60, 14 * 60).map(lambda m: dt.timezone(dt.timedelta(minutes=m)))
bounds = st.one_of(
    st.none(),
    st.datetimes(),  # naive: taken as UTC
    st.datetimes(timezones=offsets),
    st.dates().map(day_text),
    st.datetimes(timezones=offsets).map(dt.datetime.isoformat),
    # Nanosecond timestamps over pandas' whole range, both ends included.
    st.integers(pd.Timestamp.min.value, pd.Timestamp.max.value).map(pd.Timestamp),
    st.sampled_from([pd.Timestamp.min, pd.Timestamp.max, pd.NaT, float("nan")]),
    st.sampled_from([pd.Timestamp.max.normalize(), pd.Timestamp.min.ceil("D")]),
    st.text(max_size=30),
    st.integers(),
    st.floats(),
    st.builds(object),
)
data_times = st.datetimes(dt.datetime(2009, 1, 3), dt.datetime(2100, 1, 1)).map(
    lambda t: pd.Timestamp(t, tz="UTC")
)


def _is_time_or_open(bound: object) -> bool:
    return bound is None or (isinstance(bound, dt.datetime) and not pd.isna(bound))


@PROPERTY_SETTINGS
@given(bounds, bounds, data_times, data_times)
def test_any_picked_range_gives_a_window_inside_the_data_or_a_refusal(start, end, t1, t2):
    first, last = min(t1, t2), max(t1, t2)
    lo, hi, message = clean_range(start, end, first, last)
    if lo is None:
        # Only what cannot be read as a time is refused, and with the one plain sentence.
        assert not (_is_time_or_open(start) and _is_time_or_open(end))
        assert (hi, message) == (None, REFUSAL)
    else:
        for bound in (lo, hi):
            assert isinstance(bound, pd.Timestamp)
            assert str(bound.tz) == "UTC"
        assert first <= lo <= hi <= last
        assert message is None or (isinstance(message, str) and message.endswith("."))


@PROPERTY_SETTINGS
@given(data_times, st.integers(0, 10**9), st.integers(1, 10**9), st.integers(0, 10**9))
def test_a_range_inside_the_data_is_kept_as_asked(first, lead, span, tail):
    """Bounds inside the data, the end not a bare day, come back unchanged and unremarked;
    given the wrong way round they are swapped with one plain sentence."""
    start = first + pd.Timedelta(seconds=lead)
    end = start + pd.Timedelta(seconds=span)
    last = end + pd.Timedelta(seconds=tail)
    assume(end != end.normalize())  # a bare day as the end means that whole day
    assert clean_range(start, end, first, last) == (start, end, None)
    assert clean_range(end, start, first, last) == (
        start,
        end,
        "The start date was after the end date, so the two were swapped.",
    )
