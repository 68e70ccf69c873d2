"""The API's parameters: bounds, the page's download link, and hostile query strings."""

from __future__ import annotations

import math
from urllib.parse import parse_qs, urlencode, urlsplit

import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from dashboard.api import params

MAX_ROWS = 100_000


def parsed(query: str) -> params.SnapshotQuery:
    return params.parse_snapshots(parse_qs(query, keep_blank_values=True), MAX_ROWS)


@pytest.mark.parametrize(
    ("name", "raw", "seconds", "text"),
    [
        ("from", "2026-01-31", 1_769_817_600, "2026-01-31"),
        ("to", "2026-01-31", 1_769_903_999, "2026-01-31"),
        ("from", "2026-01-31T12:00:00Z", 1_769_860_800, "2026-01-31T12:00:00Z"),
        ("from", "2026-01-31T14:00:00+02:00", 1_769_860_800, "2026-01-31T12:00:00Z"),
        ("from", "2026-01-31T10:00:00-02:00", 1_769_860_800, "2026-01-31T12:00:00Z"),
        ("from", "2026-01-31t12:00:00z", 1_769_860_800, "2026-01-31T12:00:00Z"),
        ("from", "2026-01-31T11:59:60Z", 1_769_860_800, "2026-01-31T12:00:00Z"),
        ("to", "2026-01-31T11:59:60Z", 1_769_860_799, "2026-01-31T11:59:59Z"),
        ("from", "2026-01-31T12:00:00.25Z", 1_769_860_801, "2026-01-31T12:00:01Z"),
        ("to", "2026-01-31T12:00:00.75Z", 1_769_860_800, "2026-01-31T12:00:00Z"),
        ("from", "2026-01-31T00:00:00Z", 1_769_817_600, "2026-01-31"),
        ("to", "2026-01-31T23:59:59Z", 1_769_903_999, "2026-01-31"),
        ("from", "1969-12-31", -86_400, "1969-12-31"),
        ("to", "9999-12-31", 253_402_300_799, "9999-12-31"),
    ],
)
def test_a_bound_is_a_whole_day_or_an_instant(name, raw, seconds, text):
    assert params.parse_bound(name, raw) == params.Bound(seconds, text)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (
            "2026-02-30",
            "from '2026-02-30' is not a date like 2026-01-31 or a UTC time like "
            "2026-01-31T12:00:00Z (no such day).",
        ),
        (
            "2026-01-31T24:00:00Z",
            "from '2026-01-31T24:00:00Z' is not a date like 2026-01-31 "
            "or a UTC time like 2026-01-31T12:00:00Z (no such time).",
        ),
        (
            "2026-01-31T12:00:00 02:00",
            "from '2026-01-31T12:00:00 02:00' is not a date like "
            "2026-01-31 or a UTC time like 2026-01-31T12:00:00Z (write + in an offset as %2B, "
            "or use Z).",
        ),
        (
            "yesterday",
            "from 'yesterday' is not a date like 2026-01-31 or a UTC time like "
            "2026-01-31T12:00:00Z.",
        ),
        (
            "0000-01-01",
            "from '0000-01-01' is not a date like 2026-01-31 or a UTC time like "
            "2026-01-31T12:00:00Z (no such day).",
        ),
    ],
)
def test_a_bound_that_is_no_day_or_time_is_refused_with_the_forms_allowed(raw, message):
    with pytest.raises(params.BadParameter) as refused:
        params.parse_bound("from", raw)
    assert str(refused.value) == message


rfc3339 = st.builds(
    "{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}{}{}".format,
    st.integers(0, 9999),
    st.integers(0, 13),
    st.integers(0, 32),
    st.integers(0, 24),
    st.integers(0, 60),
    st.integers(0, 61),
    st.sampled_from(["", ".5", ".000000001", ".999", ".0000000000001"]),
    st.sampled_from(["", "Z", "+23:59", "-23:59", "+00:00", "+24:00", "-00:60"]),
)


@settings(deadline=None)  # shared cores: timing is noise, not a finding
@given(st.sampled_from(["from", "to"]), rfc3339)
def test_any_rfc3339_looking_bound_is_an_instant_or_a_refusal(name, raw):
    try:
        bound = params.parse_bound(name, raw)
    except params.BadParameter as refusal:
        bound, reason = None, str(refusal)
    if bound is None:
        assert reason.startswith(f"{name} '{raw}' is not a date like")
    else:
        assert params.parse_bound(name, bound.text) == bound  # what links carry reads back


def test_fields_come_back_in_response_order_once_each():
    assert parsed("asset=bitcoin&fields=source,price,price,ts").fields == (
        "ts",
        "price",
        "source",
    )


def test_values_are_taken_as_given_without_trimming():
    with pytest.raises(params.BadParameter, match="' price' is not a field"):
        parsed("asset=bitcoin&fields=ts,%20price")
    assert parsed("asset=%0C").asset == "\x0c"  # an unknown asset (404), not a missing one


def test_a_query_writes_itself_back_as_a_link():
    query = parsed("interval=1D&limit=10&format=CSV&fields=close&to=2026-02-01&asset=bitcoin")
    assert query.path() == (
        "/api/v1/snapshots?asset=bitcoin&to=2026-02-01&fields=close&format=csv&limit=10&interval=1d"
    )
    assert parsed(urlsplit(query.path()).query) == query


@pytest.mark.parametrize(
    ("start", "end", "link"),
    [
        # a 7D preset: both ends at snapshot times
        (
            "2026-11-22T12:00:00Z",
            "2026-11-29T12:00:00Z",
            "from=2026-11-22T12:00:00Z&to=2026-11-29T12:00:00Z",
        ),
        # picked days: midnight to the day's last microsecond
        ("2026-11-01T00:00:00Z", "2026-11-29T23:59:59.999999Z", "from=2026-11-01&to=2026-11-29"),
        # a start between two seconds begins at the next whole second
        (
            "2026-11-01T00:00:00.5Z",
            "2026-11-02T06:00:00Z",
            "from=2026-11-01T00:00:01Z&to=2026-11-02T06:00:00Z",
        ),
    ],
)
def test_the_page_window_becomes_a_csv_link_with_the_same_rows(start, end, link):
    path = params.download_path("bitcoin", pd.Timestamp(start), pd.Timestamp(end))
    assert path == f"/api/v1/snapshots?asset=bitcoin&{link}&format=csv"


moments = st.datetimes(
    min_value=pd.Timestamp("2009-01-03").to_pydatetime(),
    max_value=pd.Timestamp("2100-01-01").to_pydatetime(),
)


@settings(deadline=None)  # shared cores: timing is noise, not a finding
@given(moments, moments)
def test_a_download_link_selects_exactly_the_whole_seconds_of_the_window(a, b):
    start, end = sorted((pd.Timestamp(a, tz="UTC"), pd.Timestamp(b, tz="UTC")))
    assume(start.ceil("s") <= end)  # a window holding a whole second (each snapshot is one)
    query = parsed(urlsplit(params.download_path("bitcoin", start, end)).query)
    assert query.start.seconds == math.ceil(start.value / 1e9 - 1e-12)
    assert query.end.seconds == end.value // 10**9
    assert query.format == "csv"


values = st.text(max_size=30)
queries = st.dictionaries(
    st.sampled_from([*params.PARAMETERS, "x", ""]), st.lists(values, min_size=1, max_size=2)
)


@settings(deadline=None)  # shared cores: timing is noise, not a finding
@given(queries)
def test_any_parameters_give_a_query_or_a_refusal_with_a_reason(args):
    try:
        query = params.parse_snapshots(args, MAX_ROWS)
    except params.BadParameter as refusal:
        reason = str(refusal)
    else:
        reason = None
    if reason is not None:
        assert reason.endswith(".")
        assert reason.split()[0].strip("':") in (*params.PARAMETERS, *args), reason
        return
    assert query.asset
    assert set(query.fields) <= set(
        params.DAILY_FIELDS if query.interval else params.SNAPSHOT_FIELDS
    )
    assert query.limit is None or 1 <= query.limit <= MAX_ROWS
    if query.start and query.end:
        assert query.start.seconds <= query.end.seconds


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(
            st.sampled_from([*params.PARAMETERS, "x"]),
            st.one_of(
                st.text(max_size=20),
                st.sampled_from(["bitcoin", "2026-01-02", "2026-01-01T06:00:00Z", "1d", "csv"]),
            ),
        ),
        max_size=5,
    )
)
def test_no_query_string_makes_the_server_fail(client, seeded, pairs):
    response = client.get(f"/api/v1/snapshots?{urlencode(pairs)}")
    assert response.status_code in (200, 400, 404)
    assert response.mimetype in ("application/json", "text/csv")
    if response.status_code != 200:
        assert set(response.get_json()) == {"error"}
