"""Properties of `trim` and `parse_time` over arbitrary input (issue 9, item 6).

Whatever CoinMarketCap (or anything in its place) sends, trimming never raises: each asset
gets either a snapshot whose numbers are exactly the ones sent (a float as the Decimal of its
shortest repr, an int or Decimal digit for digit) and that DynamoDB can store, or a one-line
reason. Expected values come from the generated input, not from the code under test.
"""

from __future__ import annotations

import calendar
import time
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
from boto3.dynamodb.types import TypeSerializer
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ingest.schema import METRIC_FIELDS
from ingest.trim import InvalidQuote, QuoteWindow, parse_time, trim

FETCHED_AT = 1_795_932_072  # 2026-11-29T06:01:12Z
WINDOW = QuoteWindow(max_ahead_minutes=5, max_age_hours=24)
SLUGS = ("bitcoin", "ethereum")
PROPERTIES = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# -- strategies ------------------------------------------------------------------------------

# Hypothesis itself cannot print an int past Python's 4,300-digit limit: that one is a unit test.
huge_ints = st.sampled_from([10**38, -(10**38) - 1, 10**126, 10**400, -(10**4000)])
numbers = st.one_of(
    st.integers(),
    huge_ints,
    st.floats(),  # NaN and ±inf included
    st.decimals(),  # sNaN, NaN and ±Infinity included
    st.sampled_from([1e300, 5e-324, -0.0, 1e-200, Decimal("1E-131"), Decimal("9.99E+125")]),
)
scalars = st.one_of(st.none(), st.booleans(), numbers, st.text(max_size=12))
json_like = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=25,
)
offsets = st.timedeltas(
    min_value=timedelta(hours=-23, minutes=-59), max_value=timedelta(hours=23, minutes=59)
).map(lambda d: timezone(timedelta(minutes=d // timedelta(minutes=1))))
aware_times = st.datetimes(timezones=offsets)


@st.composite
def iso_text(draw: st.DrawFn, moments: st.SearchStrategy[datetime] = aware_times) -> str:
    """An aware datetime written the ways ISO 8601 allows (CoinMarketCap uses the Z form)."""
    moment = draw(moments)
    text = moment.isoformat(timespec=draw(st.sampled_from(["seconds", "milliseconds", "auto"])))
    if moment.utcoffset() == timedelta(0) and draw(st.booleans()):
        text = text.replace("+00:00", "Z")
    return text


times = st.one_of(iso_text(), st.datetimes().map(datetime.isoformat), scalars)


@st.composite
def coins(draw: st.DrawFn, metric_values: st.SearchStrategy[Any], updated: st.SearchStrategy[Any]):
    """A coin shaped like CoinMarketCap's, any metric taking any of `metric_values`."""
    usd = draw(st.dictionaries(st.sampled_from(METRIC_FIELDS), metric_values))
    usd["last_updated"] = draw(updated)
    coin = {
        "id": 1,
        "slug": "bitcoin",
        "name": draw(st.one_of(st.just("Bitcoin"), scalars)),
        "symbol": "BTC",
        "quote": {"USD": usd},
        "tags": draw(json_like),
    }
    for name in draw(st.lists(st.sampled_from(METRIC_FIELDS), max_size=3)):
        coin[name] = draw(metric_values)  # top-level fields (supplies, rank) may be anything
    return coin


def sent(value: Any) -> Decimal:
    """The number as CoinMarketCap wrote it: a float's shortest repr, an int digit for digit."""
    return Decimal(str(value)) if isinstance(value, float) else Decimal(value)


def readable(reason: str | None, slug: str) -> bool:
    return (
        isinstance(reason, str)
        and reason.startswith(f"{slug}: ")
        and "\n" not in reason
        and len(reason) < 400
        and "Traceback" not in reason
    )


def assert_exact(snapshot: Any, coin: dict[str, Any]) -> None:
    """Every metric equals, digit for digit, the value the coin carries (USD wins)."""
    usd = coin["quote"]["USD"]
    for name in METRIC_FIELDS:
        given_here = name in usd or name in coin
        assert (name in snapshot.metrics) == given_here
        if given_here:
            value = usd[name] if name in usd else coin[name]
            got = snapshot.metrics[name]
            assert got is None if value is None else str(got) == str(sent(value))
    TypeSerializer().serialize(snapshot.to_item())  # DynamoDB takes it as it is


# -- properties ------------------------------------------------------------------------------


payloads = st.one_of(
    json_like,
    json_like.map(lambda data: {"data": data}),
    st.dictionaries(st.text(max_size=4), json_like).map(lambda data: {"data": data}),
    coins(json_like, times).map(lambda coin: {"data": {"1": coin}}),
)


@PROPERTIES
@given(payload=payloads, fetched_at=st.integers(0, 2**40))
@example(payload={"data": {"1": {"slug": ["unhashable"]}}}, fetched_at=FETCHED_AT)
@example(payload={"data": {"1": {"slug": "bitcoin", "quote": [1]}}}, fetched_at=FETCHED_AT)
def test_any_payload_gives_one_result_per_asset(payload: Any, fetched_at: int) -> None:
    results = trim(payload, SLUGS, fetched_at, WINDOW)
    assert [r.asset for r in results] == list(SLUGS)
    for result in results:
        assert (result.snapshot is None) != (result.error is None)
        if result.error is not None:
            assert readable(result.error, result.asset)


@PROPERTIES
@given(coin=coins(st.one_of(scalars, json_like), times), fetched_at=st.integers(0, 2**40))
@example(
    coin={"slug": "bitcoin", "name": "B", "symbol": "B", "quote": {"USD": {"price": 10**400}}},
    fetched_at=FETCHED_AT,
)
def test_any_coin_is_an_exact_snapshot_or_a_readable_refusal(coin, fetched_at) -> None:
    [result] = trim({"data": {"1": coin}}, ("bitcoin",), fetched_at, WINDOW)
    if result.snapshot is None:
        assert readable(result.error, "bitcoin")
    else:
        assert_exact(result.snapshot, coin)


finite_numbers = st.one_of(
    st.integers(-(10**37), 10**37),
    st.floats(allow_nan=False, allow_infinity=False).filter(
        lambda f: f == 0 or 1e-120 < abs(f) < 1e120
    ),
    st.decimals(allow_nan=False, allow_infinity=False, places=8).filter(lambda d: abs(d) < 10**29),
)
positive_prices = finite_numbers.filter(lambda n: n > 0)
near_fetch = st.integers(-2 * 86_400, 2 * 86_400)


@PROPERTIES
@given(
    usd=st.dictionaries(st.sampled_from(METRIC_FIELDS), st.one_of(st.none(), finite_numbers)),
    price=positive_prices,
    offset_seconds=near_fetch,
    zone=offsets,
)
def test_a_good_coin_is_stored_exactly_unless_its_time_is_impossible(
    usd, price, offset_seconds, zone
) -> None:
    quote_ts = FETCHED_AT + offset_seconds
    updated = datetime.fromtimestamp(quote_ts, UTC).astimezone(zone).isoformat()
    coin = {
        "slug": "bitcoin",
        "name": "Bitcoin",
        "symbol": "BTC",
        "quote": {"USD": {**usd, "price": price, "last_updated": updated}},
    }
    [result] = trim({"data": {"1": [coin]}}, ("bitcoin",), FETCHED_AT, WINDOW)
    if offset_seconds > 300 or offset_seconds < -86_400:
        shown = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(quote_ts))
        assert result.snapshot is None
        assert readable(result.error, "bitcoin")
        assert f"last_updated {shown} " in result.error
        assert "2026-11-29T06:01:12Z" in result.error
    else:
        assert result.error is None
        assert result.snapshot.ts == quote_ts
        assert_exact(result.snapshot, coin)


def test_an_int_too_long_to_print_is_refused_readably() -> None:
    usd = {"price": 10**5000, "last_updated": "2026-11-29T06:00:00Z"}
    coin = {"slug": "bitcoin", "name": "Bitcoin", "symbol": "BTC", "quote": {"USD": usd}}
    [result] = trim({"data": {"1": coin}}, ("bitcoin",), FETCHED_AT, WINDOW)
    assert result.error == (
        "bitcoin: quote.USD.price <a 16610-bit integer> has more digits or a larger magnitude "
        "than DynamoDB stores exactly (38 significant digits, 1E-130 to 9.99E+125)"
    )


@PROPERTIES
@given(value=st.one_of(times, st.text()))
@example(value="0001-01-01T00:00:00+23:59")  # before year 1 in UTC
@example(value="9999-12-31T23:59:59-23:59")  # after year 9999 in UTC
def test_parse_time_gives_epoch_seconds_or_a_reason(value: Any) -> None:
    try:
        ts = parse_time(value)
    except InvalidQuote as exc:
        reason = str(exc)
    else:
        assert isinstance(ts, int)
        return
    assert readable(f"x: {reason}", "x")


@PROPERTIES
@given(moment=aware_times, text=st.data())
def test_parse_time_is_exact_for_every_aware_iso_time(
    moment: datetime, text: st.DataObject
) -> None:
    written = text.draw(iso_text(st.just(moment)))
    try:
        utc = moment.astimezone(UTC)
    except OverflowError:  # the offset pushes it outside years 1-9999: refused, not raised
        with pytest.raises(InvalidQuote, match="is outside the calendar"):
            parse_time(written)
        return
    assert parse_time(written) == calendar.timegm(utc.timetuple())  # floors the fraction
