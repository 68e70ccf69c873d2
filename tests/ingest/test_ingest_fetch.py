"""The fault matrix of issue 2: for each fault, what is stored and what the user is told.

`python -m ingest fetch` (through `cli.main`) against a loopback CoinMarketCap and moto.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from ingest import cli
from tests.ingest.conftest import API_KEY
from tests.ingest.helpers import DROP, QUOTE_TS, cmc_error, cmc_quotes, fixture_text, snapshots_of


def fetch(capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = cli.main(["fetch"])
    captured = capsys.readouterr()
    assert API_KEY not in captured.out + captured.err
    return code, captured.out, captured.err


def one_error_line(err: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("error: ")
    return lines[0]


def test_success_stores_the_trimmed_snapshot(fake_cmc, moto_table, capsys):
    fake_cmc.reply(200, cmc_quotes())
    code, out, err = fetch(capsys)
    assert (code, err) == (0, "")
    assert out == "bitcoin: stored (price 68891.88123456789 USD, quote of 2026-11-29 06:00 UTC)\n"
    [item] = snapshots_of(moto_table)
    assert item["ts"] == QUOTE_TS
    assert item["price"] == Decimal("68891.88123456789")
    assert item["market_cap_dominance"] == Decimal("54.1234")
    assert item["max_supply"] == 21_000_000
    assert (item["name"], item["symbol"], item["source"]) == ("Bitcoin", "BTC", "cmc")
    assert not {"tags", "platform", "tvl", "quote", "id"} & set(item)
    seen = fake_cmc.seen[0]
    assert seen.path == "/v2/cryptocurrency/quotes/latest"
    assert seen.query == {"slug": ["bitcoin"], "convert": ["USD"]}
    assert seen.headers["X-CMC_PRO_API_KEY"] == API_KEY
    assert seen.headers["Accept"] == "application/json"


def test_duplicate_run_is_success_and_stores_nothing_new(fake_cmc, moto_table, capsys):
    fake_cmc.reply(200, cmc_quotes())
    assert fetch(capsys)[0] == 0
    code, out, err = fetch(capsys)
    assert (code, err) == (0, "")
    assert out.startswith("bitcoin: duplicate, slot already filled")
    assert len(snapshots_of(moto_table)) == 1


def test_a_stale_quote_in_the_next_slot_is_not_stored_twice(
    fake_cmc, moto_table, capsys, fetch_time
):
    """CoinMarketCap returning the same last_updated six hours later (within the 24-hour age
    limit): same quote, one item."""
    from datetime import UTC, datetime

    from ingest import config, run

    fake_cmc.reply(200, cmc_quotes())
    settings = config.load()
    fetch_time(QUOTE_TS + 60)
    first = run.run_once(settings, datetime.fromtimestamp(QUOTE_TS, UTC), API_KEY)
    fetch_time(QUOTE_TS + 6 * 3600 + 60)
    later = datetime.fromtimestamp(QUOTE_TS + 6 * 3600, UTC)
    second = run.run_once(settings, later, API_KEY)
    assert [o.outcome for o in first.outcomes + second.outcomes] == ["stored", "duplicate"]
    assert second.ok
    assert len(snapshots_of(moto_table)) == 1


@pytest.mark.parametrize(
    ("status", "code", "message", "told"),
    [
        (
            401,
            1001,
            "This API Key is invalid.",
            "CoinMarketCap rejected the API key (HTTP 401, error 1001): This API Key is invalid.",
        ),
        (
            401,
            1002,
            "API key missing.",
            "CoinMarketCap got no API key (HTTP 401, error 1002): API key missing.",
        ),
        (
            402,
            1003,
            "Your API Key must be activated.",
            "CoinMarketCap requires payment for this key's plan (HTTP 402, error 1003): "
            "Your API Key must be activated.",
        ),
        (
            403,
            1006,
            "Your API Key subscription plan doesn't support this endpoint.",
            "CoinMarketCap says this key's plan does not include this endpoint "
            "(HTTP 403, error 1006): Your API Key subscription plan doesn't support this endpoint.",
        ),
        (
            400,
            400,
            'Invalid value for "slug": "bitcoinz"',
            'CoinMarketCap rejected the request (HTTP 400, error 400): Invalid value for "slug": '
            '"bitcoinz"',
        ),
        (
            429,
            1009,
            "You've exceeded your API Key's daily rate limit.",
            "CoinMarketCap daily credit allowance is spent (HTTP 429, error 1009): "
            "You've exceeded your API Key's daily rate limit.",
        ),
        (
            429,
            1010,
            "You've exceeded your API Key's monthly credit limit.",
            "CoinMarketCap monthly credit allowance is spent (HTTP 429, error 1010): "
            "You've exceeded your API Key's monthly credit limit.",
        ),
    ],
)
def test_final_api_errors_are_not_retried(
    fake_cmc, moto_table, capsys, monkeypatch, status, code, message, told
):
    if code == 400:
        monkeypatch.setenv("ASSETS", "bitcoinz")
    fake_cmc.reply(status, cmc_error(code, message), Retry_After="0")
    exit_code, out, err = fetch(capsys)
    assert exit_code == 1
    assert out == ""
    assert one_error_line(err) == f"error: {told}"
    assert fake_cmc.calls == 1
    assert snapshots_of(moto_table) == []


def test_the_key_is_masked_if_the_api_echoes_it(fake_cmc, moto_table, capsys):
    fake_cmc.reply(401, cmc_error(1001, f"The key {API_KEY} is invalid."))
    _code, _, err = fetch(capsys)  # fetch() itself asserts the key is nowhere in the output
    assert "The key [REDACTED] is invalid." in err


def test_rate_limit_per_minute_is_retried_then_succeeds(fake_cmc, moto_table, capsys):
    fake_cmc.reply(
        429,
        cmc_error(1008, "You've exceeded your API Key's HTTP request rate limit."),
        Retry_After="0",
    )
    fake_cmc.reply(200, cmc_quotes())
    code, out, err = fetch(capsys)
    assert (code, err) == (0, "")
    assert out.startswith("bitcoin: stored")
    assert fake_cmc.calls == 2
    assert len(snapshots_of(moto_table)) == 1


def test_retry_after_is_waited_for(fake_cmc, moto_table, capsys, monkeypatch):
    import time

    monkeypatch.setenv("HTTP_RETRY_BUDGET_SECONDS", "5")
    fake_cmc.reply(429, cmc_error(1008, "Slow down."), Retry_After="1")
    fake_cmc.reply(200, cmc_quotes())
    started = time.monotonic()
    assert fetch(capsys)[0] == 0
    assert time.monotonic() - started >= 1.0
    assert fake_cmc.calls == 2


def test_retry_after_beyond_the_budget_gives_up_at_once(fake_cmc, moto_table, capsys):
    """Waiting 30 s would overrun a 2 s budget (the Lambda's timeout): report, don't sleep."""
    import time

    fake_cmc.reply(429, cmc_error(1008, "Slow down."), Retry_After="30")
    started = time.monotonic()
    code, _, err = fetch(capsys)
    assert time.monotonic() - started < 1.5
    assert code == 1
    assert one_error_line(err) == (
        "error: CoinMarketCap rate limit per minute reached (HTTP 429, error 1008): Slow down. "
        "(gave up: retries or time budget spent)"
    )
    assert fake_cmc.calls == 1


def test_rate_limit_that_persists_gives_up_within_the_budget(fake_cmc, moto_table, capsys):
    fake_cmc.reply(429, cmc_error(1011, "IP rate limit reached."), Retry_After="0")
    code, _, err = fetch(capsys)
    assert code == 1
    assert one_error_line(err) == (
        "error: CoinMarketCap rate limit for this IP address reached (HTTP 429, error 1011): "
        "IP rate limit reached. (gave up: retries or time budget spent)"
    )
    assert fake_cmc.calls == 5  # first try + 4 retries
    assert snapshots_of(moto_table) == []


def test_server_errors_are_retried_then_reported(fake_cmc, moto_table, capsys):
    fake_cmc.reply(500, cmc_error(500, "An internal server error occurred."))
    code, _, err = fetch(capsys)
    assert code == 1
    assert one_error_line(err) == (
        "error: CoinMarketCap had a server error (HTTP 500, error 500): "
        "An internal server error occurred. (gave up: retries or time budget spent)"
    )
    assert fake_cmc.calls == 5
    assert snapshots_of(moto_table) == []


def test_server_error_then_success(fake_cmc, moto_table, capsys):
    fake_cmc.reply(503, fixture_text("cloudflare_502.html"))
    fake_cmc.reply(200, cmc_quotes())
    assert fetch(capsys)[0] == 0
    assert fake_cmc.calls == 2
    assert len(snapshots_of(moto_table)) == 1


def test_timeout_is_retried_within_the_budget_then_reported(
    fake_cmc, moto_table, capsys, monkeypatch
):
    monkeypatch.setenv("HTTP_TIMEOUT_SECONDS", "0.2")
    monkeypatch.setenv("HTTP_RETRY_BUDGET_SECONDS", "0.5")
    fake_cmc.reply(200, cmc_quotes(), delay=1.0)
    code, _, err = fetch(capsys)
    assert code == 1
    assert one_error_line(err) == (
        "error: CoinMarketCap did not answer within 0.2s (timed out, retries included)"
    )
    assert 1 < fake_cmc.calls <= 3
    assert snapshots_of(moto_table) == []


def test_unreachable_api_is_reported(moto_table, capsys, monkeypatch):
    from tools.dynalite import free_port

    monkeypatch.setenv("CMC_API_URL", f"http://127.0.0.1:{free_port()}")
    monkeypatch.setenv("CMC_API_KEY", API_KEY)
    monkeypatch.setenv("HTTP_RETRY_BUDGET_SECONDS", "0.5")
    monkeypatch.setenv("HTTP_TIMEOUT_SECONDS", "0.2")
    code, _, err = fetch(capsys)
    assert code == 1
    assert one_error_line(err).startswith(
        "error: could not reach CoinMarketCap at http://127.0.0.1:"
    )


@pytest.mark.parametrize(
    ("body", "told"),
    [
        (
            b'{"status": {"error_code": 0}, "data": {"1": {',
            "CoinMarketCap answered HTTP 200 with malformed JSON",
        ),
        (
            fixture_text("cloudflare_502.html").encode(),
            "CoinMarketCap answered HTTP 200 with an HTML page instead of JSON",
        ),
        (b'{"data": {}}', "CoinMarketCap answered HTTP 200 without a `status` object"),
        (b'{"status": {"error_code": 0}}', "CoinMarketCap answered without a `data` object"),
    ],
    ids=["malformed-json", "html-body", "no-status", "no-data"],
)
def test_unusable_bodies_store_nothing(fake_cmc, moto_table, capsys, body, told):
    fake_cmc.reply(200, body)
    code, _, err = fetch(capsys)
    assert code == 1
    assert one_error_line(err).startswith(f"error: {told}")
    assert snapshots_of(moto_table) == []


def test_error_code_on_http_200_is_an_error(fake_cmc, moto_table, capsys):
    fake_cmc.reply(200, cmc_error(1002, "API key missing."))
    code, _, err = fetch(capsys)
    assert code == 1
    assert one_error_line(err) == (
        "error: CoinMarketCap got no API key (HTTP 200, error 1002): API key missing."
    )
    assert snapshots_of(moto_table) == []


@pytest.mark.parametrize(
    ("change", "told"),
    [
        ({"quote.USD.price": None}, "bitcoin: quote.USD.price is missing or null"),
        ({"quote.USD.price": DROP}, "bitcoin: quote.USD.price is missing or null"),
        ({"quote.USD.price": "68891.88"}, "bitcoin: quote.USD.price is not a number: '68891.88'"),
        (
            {"quote.USD.last_updated": DROP, "last_updated": DROP},
            "bitcoin: last_updated is missing",
        ),
        ({"quote": DROP}, "bitcoin: no quote.USD in CoinMarketCap's answer"),
    ],
    ids=["null-price", "missing-price", "string-price", "missing-last-updated", "no-quote"],
)
def test_a_coin_without_price_or_time_is_rejected(fake_cmc, moto_table, capsys, change, told):
    fake_cmc.reply(200, cmc_quotes(**change))
    code, _out, err = fetch(capsys)
    assert code == 1
    assert one_error_line(err) == f"error: {told}"
    assert snapshots_of(moto_table) == []


def test_null_max_supply_is_stored_without_it(fake_cmc, moto_table, capsys):
    fake_cmc.reply(200, cmc_quotes(max_supply=None))
    assert fetch(capsys)[0] == 0
    [item] = snapshots_of(moto_table)
    assert "max_supply" not in item
    assert item["circulating_supply"] == 19_787_456


def test_two_assets_with_one_malformed_stores_the_good_one_and_names_the_bad(
    fake_cmc, moto_table, capsys, monkeypatch
):
    monkeypatch.setenv("ASSETS", "bitcoin,ethereum")
    payload = cmc_quotes()
    payload["data"]["1027"]["quote"]["USD"]["price"] = None
    fake_cmc.reply(200, payload)
    code, _out, err = fetch(capsys)
    assert code == 1
    assert one_error_line(err) == (
        "error: 1 of 2 assets failed: ethereum: quote.USD.price is missing or null (bitcoin stored)"
    )
    assert len(snapshots_of(moto_table, "bitcoin")) == 1
    assert snapshots_of(moto_table, "ethereum") == []
    assert fake_cmc.seen[0].query["slug"] == ["bitcoin,ethereum"]


def test_two_assets_both_good(fake_cmc, moto_table, capsys, monkeypatch):
    monkeypatch.setenv("ASSETS", "bitcoin,ethereum")
    fake_cmc.reply(200, cmc_quotes())
    code, out, _ = fetch(capsys)
    assert code == 0
    assert out.count(": stored") == 2
    [eth] = snapshots_of(moto_table, "ethereum")
    assert "max_supply" not in eth
    assert eth["symbol"] == "ETH"


def test_an_asset_missing_from_the_answer_is_named(fake_cmc, moto_table, capsys, monkeypatch):
    monkeypatch.setenv("ASSETS", "bitcoin,dogecoin")
    fake_cmc.reply(200, cmc_quotes())
    code, _, err = fetch(capsys)
    assert code == 1
    assert "dogecoin: not in CoinMarketCap's answer" in one_error_line(err)
    assert len(snapshots_of(moto_table, "bitcoin")) == 1


def test_no_key_at_all_is_a_plain_error(moto_table, capsys):
    code, _, err = fetch(capsys)
    assert code == 1
    assert one_error_line(err).startswith("error: no CoinMarketCap API key: set CMC_API_KEY")


def test_a_base_url_without_scheme_is_a_plain_error(moto_table, capsys, monkeypatch):
    monkeypatch.setenv("CMC_API_URL", "pro-api.coinmarketcap.com")
    monkeypatch.setenv("CMC_API_KEY", API_KEY)
    code, _, err = fetch(capsys)
    assert code == 1
    assert one_error_line(err).startswith(
        "error: could not ask CoinMarketCap at pro-api.coinmarketcap.com/v2/cryptocurrency/"
        "quotes/latest: Invalid URL"
    )


def test_a_number_dynamodb_cannot_hold_fails_only_its_asset(
    fake_cmc, moto_table, capsys, monkeypatch
):
    """boto3 raises a bare decimal.Overflow for 1e300; that used to end the whole run before
    the next asset was written. Now the coin is refused with a reason and the other stored."""
    monkeypatch.setenv("ASSETS", "bitcoin,ethereum")
    fake_cmc.reply(200, cmc_quotes(**{"quote.USD.market_cap": 1e300}))
    code, _out, err = fetch(capsys)
    assert code == 1
    assert one_error_line(err) == (
        "error: 1 of 2 assets failed: bitcoin: market_cap Decimal('1E+300') has more digits or "
        "a larger magnitude than DynamoDB stores exactly (38 significant digits, 1E-130 to "
        "9.99E+125) (ethereum stored)"
    )
    assert snapshots_of(moto_table, "bitcoin") == []
    assert len(snapshots_of(moto_table, "ethereum")) == 1
