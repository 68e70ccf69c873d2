"""Issue 9, item 1: a quote whose last_updated is impossible next to the fetch time is refused.

Every run here fetches at 2026-11-29T06:01:12Z (the `fetch_time` fixture). Limits: more than
5 minutes ahead of the fetch, or more than 24 hours before it, unless the environment says
otherwise. Expected lines are written out by hand.
"""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from ingest import cli, handler, secrets
from ingest.schema import slot_partition
from tests.ingest.conftest import API_KEY
from tests.ingest.helpers import cmc_quotes, snapshots_of

FUTURE = (
    "bitcoin: refused a quote from the future: last_updated {quote} is more than 5 minutes "
    "after the fetch at 2026-11-29T06:01:12Z (limit: QUOTE_MAX_AHEAD_MINUTES)"
)
STALE = (
    "bitcoin: refused a stale quote: last_updated {quote} is more than 24 hours before the "
    "fetch at 2026-11-29T06:01:12Z (limit: QUOTE_MAX_AGE_HOURS)"
)


def quoted_at(when: str) -> dict:
    """The quotes fixture with bitcoin's quote dated `when` (both places CMC puts it)."""
    return cmc_quotes(**{"quote.USD.last_updated": when, "last_updated": when})


def assert_nothing_stored(table, asset: str = "bitcoin") -> None:
    assert snapshots_of(table, asset) == []
    assert snapshots_of(table, slot_partition(asset)) == []  # no slot claimed either


@pytest.mark.parametrize(
    ("last_updated", "told"),
    [
        # 301 s ahead: one second past the limit.
        ("2026-11-29T06:06:13.000Z", FUTURE.format(quote="2026-11-29T06:06:13Z")),
        # The example: two days ahead.
        ("2026-12-01T06:00:00.000Z", FUTURE.format(quote="2026-12-01T06:00:00Z")),
        # An offset other than Z is read as the moment it names: 07:06:13+01:00 is 06:06:13Z.
        ("2026-11-29T07:06:13+01:00", FUTURE.format(quote="2026-11-29T06:06:13Z")),
        # 24 h and 1 s old.
        ("2026-11-28T06:01:11.000Z", STALE.format(quote="2026-11-28T06:01:11Z")),
        # The example: ten days stale.
        ("2026-11-19T06:00:00.000Z", STALE.format(quote="2026-11-19T06:00:00Z")),
    ],
    ids=["301s-ahead", "2-days-ahead", "ahead-with-offset", "24h1s-old", "10-days-old"],
)
def test_cli_refuses_an_impossible_quote_time(fake_cmc, moto_table, capsys, last_updated, told):
    fake_cmc.reply(200, quoted_at(last_updated))
    assert cli.main(["fetch"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == f"error: {told}\n"  # exactly one line, naming both times
    assert_nothing_stored(moto_table)


@pytest.mark.parametrize(
    ("last_updated", "ts"),
    [
        ("2026-11-29T06:06:12.000Z", 1_795_932_372),  # exactly 5 minutes ahead
        ("2026-11-29T06:00:00.000Z", 1_795_932_000),  # 72 s old, the usual case
        ("2026-11-28T06:01:12.000Z", 1_795_845_672),  # exactly 24 hours old
    ],
    ids=["5min-ahead", "72s-old", "24h-old"],
)
def test_cli_stores_a_quote_within_the_limits(fake_cmc, moto_table, capsys, last_updated, ts):
    fake_cmc.reply(200, quoted_at(last_updated))
    assert cli.main(["fetch"]) == 0
    assert capsys.readouterr().err == ""
    [item] = snapshots_of(moto_table)
    assert (item["ts"], item["price"]) == (ts, Decimal("68891.88123456789"))


def test_a_refused_asset_does_not_stop_the_others(fake_cmc, moto_table, capsys, monkeypatch):
    monkeypatch.setenv("ASSETS", "bitcoin,ethereum")
    fake_cmc.reply(200, quoted_at("2026-12-01T06:00:00.000Z"))
    assert cli.main(["fetch"]) == 1
    assert capsys.readouterr().err == (
        "error: 1 of 2 assets failed: "
        + FUTURE.format(quote="2026-12-01T06:00:00Z")
        + " (ethereum stored)\n"
    )
    assert_nothing_stored(moto_table)
    [eth] = snapshots_of(moto_table, "ethereum")
    assert eth["ts"] == 1_795_932_000


def test_the_limits_are_tuned_by_environment(fake_cmc, moto_table, capsys, monkeypatch):
    monkeypatch.setenv("QUOTE_MAX_AHEAD_MINUTES", "0.5")
    monkeypatch.setenv("QUOTE_MAX_AGE_HOURS", "72")
    fake_cmc.reply(200, quoted_at("2026-11-29T06:01:43Z"))  # 31 s ahead
    assert cli.main(["fetch"]) == 1
    assert capsys.readouterr().err == (
        "error: bitcoin: refused a quote from the future: last_updated 2026-11-29T06:01:43Z is "
        "more than 0.5 minutes after the fetch at 2026-11-29T06:01:12Z "
        "(limit: QUOTE_MAX_AHEAD_MINUTES)\n"
    )
    fake_cmc.replies.clear()
    fake_cmc.reply(200, quoted_at("2026-11-27T06:00:00Z"))  # 2 days old: within 72 hours
    assert cli.main(["fetch"]) == 0
    assert capsys.readouterr().out == (
        "bitcoin: stored (price 68891.88123456789 USD, quote of 2026-11-27 06:00 UTC)\n"
    )


@pytest.mark.parametrize(
    ("name", "value", "told"),
    [
        ("QUOTE_MAX_AHEAD_MINUTES", "soon", "QUOTE_MAX_AHEAD_MINUTES must be a number, got 'soon'"),
        ("QUOTE_MAX_AGE_HOURS", "0", "QUOTE_MAX_AGE_HOURS must be greater than 0, got '0'"),
    ],
)
def test_a_bad_limit_is_one_error_line(
    fake_cmc, moto_table, capsys, monkeypatch, name, value, told
):
    monkeypatch.setenv(name, value)
    fake_cmc.reply(200, cmc_quotes())
    assert cli.main(["fetch"]) == 1
    assert capsys.readouterr().err == f"error: {told}\n"
    assert fake_cmc.calls == 0


# -- the Lambda ------------------------------------------------------------------------------

EVENT = {"scheduled_time": "2026-11-29T06:00:00Z"}


@pytest.fixture
def lambda_env(fake_cmc, moto_table):
    secrets.clear_cache()
    handler._store.cache_clear()
    yield
    handler._store.cache_clear()


def log_lines(err: str) -> list[dict]:
    return [json.loads(line) for line in err.splitlines()]


@pytest.mark.parametrize(
    ("last_updated", "told"),
    [
        ("2026-12-01T06:00:00.000Z", FUTURE.format(quote="2026-12-01T06:00:00Z")),
        ("2026-11-19T06:00:00.000Z", STALE.format(quote="2026-11-19T06:00:00Z")),
    ],
    ids=["2-days-ahead", "10-days-old"],
)
def test_lambda_fails_on_an_impossible_quote_time_with_one_log_line(
    lambda_env, fake_cmc, moto_table, capsys, last_updated, told
):
    fake_cmc.reply(200, quoted_at(last_updated))
    with pytest.raises(handler.RunFailed) as failure:
        handler.lambda_handler(EVENT, None)
    assert str(failure.value) == told
    assert_nothing_stored(moto_table)
    lines = capsys.readouterr().err.splitlines()
    quote_time = told.split("last_updated ")[1].split(" ")[0]
    naming = [
        line
        for line in lines
        if "bitcoin" in line and quote_time in line and "2026-11-29T06:01:12Z" in line
    ]
    assert len(naming) == 1, lines
    [event] = log_lines(naming[0])
    assert event["event"] == "ingest.run_failed"
    assert event["level"] == "ERROR"
    assert event["assets"] == [
        {
            "asset": "bitcoin",
            "outcome": "failed",
            "reason": told,
            "ts": None,
            "slot": None,
            "price": None,
        }
    ]


def test_lambda_stores_a_current_quote(lambda_env, fake_cmc, moto_table, capsys):
    fake_cmc.reply(200, quoted_at("2026-11-29T05:55:00.000Z"))  # 6 min 12 s old
    result = handler.lambda_handler(EVENT, None)
    assert result["ok"]
    [item] = snapshots_of(moto_table)
    assert item["ts"] == 1_795_931_700
    [event] = log_lines(capsys.readouterr().err)
    assert event["event"] == "ingest.run_ok"
    assert API_KEY not in json.dumps(event)
