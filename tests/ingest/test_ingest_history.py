"""backfill (CoinGecko) and import-legacy: idempotent history, counts the user can trust."""

from __future__ import annotations

import json
from decimal import Decimal

import boto3
import pytest

from ingest import cli, demo
from tests.ingest.fake_api import FakeApi
from tests.ingest.helpers import DROP, SLOT, cmc_quotes, fixture_json, indexed_assets, snapshots_of

CHART = "coingecko_market_chart_bitcoin_3d.json"


@pytest.fixture
def fake_gecko(monkeypatch):
    with FakeApi() as api:
        monkeypatch.setenv("COINGECKO_API_URL", api.url)
        monkeypatch.setenv("HTTP_TIMEOUT_SECONDS", "1")
        monkeypatch.setenv("HTTP_RETRY_BUDGET_SECONDS", "2")
        yield api


def test_backfill_stores_one_snapshot_per_slot_and_is_idempotent(fake_gecko, moto_table, capsys):
    fake_gecko.reply(200, fixture_json(CHART))
    assert cli.main(["backfill", "--days", "3"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("bitcoin: stored 13 CoinGecko snapshots from 73 points (60 skipped")
    items = sorted(snapshots_of(moto_table), key=lambda i: i["ts"])
    assert len(items) == 13
    assert {i["ts"] % (6 * 3600) for i in items} == {0}  # hourly points: each slot's first
    first = items[0]
    assert first["source"] == "coingecko"
    assert (first["name"], first["symbol"]) == ("Bitcoin", "BTC")
    assert first["price"] == Decimal(68000)
    assert first["volume_24h"] == Decimal("3.2E+10")
    assert first["circulating_supply"] == Decimal("19787000.00000000")
    assert fake_gecko.seen[0].path == "/api/v3/coins/bitcoin/market_chart"
    assert fake_gecko.seen[0].query == {"vs_currency": ["usd"], "days": ["3"]}
    assert "x-cg-demo-api-key" not in {k.lower() for k in fake_gecko.seen[0].headers}

    assert cli.main(["backfill", "--days", "3"]) == 0
    assert "stored 0 CoinGecko snapshots from 73 points (73 skipped" in capsys.readouterr().out
    assert len(snapshots_of(moto_table)) == 13


def test_backfill_counts_the_points_it_rejects(fake_gecko, moto_table, capsys):
    """Unusable price points are rejected and counted, never silently dropped; the good
    points around them are stored as before."""
    chart = fixture_json(CHART)
    chart["prices"] += [
        [1_795_845_600_001, None],  # no price
        [1_795_845_600_002, -5],  # not positive
        [1_795_845_600_003, "68000"],  # text, not a number
        ["1795845600004", 68000],  # time as text
        [1_795_845_600_005, 68000, 1],  # not a pair
        [4_951_584_000_000, 68000],  # 2126-11-29: dated in the future
        [1_795_845_600_006, 1e300],  # more than DynamoDB can hold
    ]
    fake_gecko.reply(200, chart)
    assert cli.main(["backfill", "--days", "3"]) == 0
    assert capsys.readouterr().out == (
        "bitcoin: stored 13 CoinGecko snapshots from 80 points (60 skipped: one per 6-hour "
        "slot, filled slots left as they are; 7 rejected as unusable: no positive price, "
        "malformed or dated in the future)\n"
    )
    items = sorted(snapshots_of(moto_table), key=lambda i: i["ts"])
    assert [int(i["ts"]) for i in items] == [1_795_845_600 + n * SLOT for n in range(13)]
    assert items[0]["price"] == Decimal(68000)


def test_backfill_with_no_usable_point_says_how_many_it_rejected(fake_gecko, moto_table, capsys):
    fake_gecko.reply(
        200, {"prices": [[1_795_845_600_000, None], [1]], "market_caps": [], "total_volumes": []}
    )
    assert cli.main(["backfill", "--days", "3"]) == 1
    assert capsys.readouterr().err == (
        "error: CoinGecko returned no usable price points for bitcoin (2 rejected as unusable)\n"
    )
    assert snapshots_of(moto_table) == []


def test_backfill_sends_the_demo_key_and_reports_unknown_coins(
    fake_gecko, moto_table, capsys, monkeypatch
):
    monkeypatch.setenv("COINGECKO_API_KEY", "cg-demo-key")
    monkeypatch.setenv("ASSETS", "bitcoinz")
    fake_gecko.reply(404, {"error": "coin not found"})
    assert cli.main(["backfill", "--days", "3"]) == 1
    assert capsys.readouterr().err == (
        "error: CoinGecko does not know the coin id 'bitcoinz' (HTTP 404): coin not found\n"
    )
    assert fake_gecko.seen[0].headers["x-cg-demo-api-key"] == "cg-demo-key"
    assert snapshots_of(moto_table, "bitcoinz") == []


def test_backfill_html_answer_is_an_error(fake_gecko, moto_table, capsys):
    fake_gecko.reply(200, "<html><body>Just a moment...</body></html>")
    assert cli.main(["backfill", "--days", "3"]) == 1
    assert capsys.readouterr().err.startswith("error: CoinGecko answered HTTP 200 with an HTML")


def test_backfill_leaves_slots_with_snapshots_alone(fake_gecko, store, moto_table, capsys):
    # Demo history for 4 of the 13 slots the CoinGecko fixture covers (fixed times, so the
    # overlap does not depend on today's date).
    seeded = demo.generate("bitcoin", 1, 1_795_932_000, SLOT)  # up to 2026-11-29 06:00
    assert store.put_history(seeded).written == 4
    fake_gecko.reply(200, fixture_json(CHART))
    assert cli.main(["backfill", "--days", "3"]) == 0
    assert "stored 9 CoinGecko snapshots from 73 points (64 skipped" in capsys.readouterr().out
    items = snapshots_of(moto_table)
    slots = [int(i["ts"]) // SLOT for i in items]
    assert len(items) == 13
    assert len(slots) == len(set(slots))
    demo_items = {int(i["ts"]): i for i in items if i["source"] == "demo"}
    assert demo_items == {s.ts: s.to_item() for s in seeded}


def legacy_table(name: str):
    table = boto3.resource("dynamodb").create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "timestamp", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "timestamp", "AttributeType": "N"}],
        BillingMode="PAY_PER_REQUEST",
    )
    return table


def as_dynamo(payload):
    """What boto3 would store for the response: numbers as Decimal."""
    return json.loads(json.dumps(payload), parse_float=Decimal)


def test_import_legacy_counts_imported_duplicates_and_malformed(moto_table, capsys, monkeypatch):
    monkeypatch.setenv("LOG_LEVEL", "WARNING")  # to see each rejection's log line
    table = legacy_table("old-tracker")
    for hour in range(3):
        payload = cmc_quotes(**{"quote.USD.last_updated": f"2026-11-29T0{hour}:00:00Z"})
        del payload["data"]["1027"]
        table.put_item(Item={"timestamp": 1_795_910_400 + hour * 3600, **as_dynamo(payload)})
    # The same quote fetched twice, stored as a JSON string under another attribute.
    again = cmc_quotes(**{"quote.USD.last_updated": "2026-11-29T00:00:00Z"})
    del again["data"]["1027"]
    table.put_item(Item={"timestamp": 1_795_910_460, "response": json.dumps(again)})
    # Bitcoin without a price next to a good Ethereum quote: only bitcoin is rejected.
    broken = cmc_quotes(**{"quote.USD.price": None})
    table.put_item(Item={"timestamp": 1_795_920_000, **as_dynamo(broken)})
    # Bitcoin dated a century ahead of the import next to a good Ethereum quote.
    ahead = cmc_quotes(**{"quote.USD.last_updated": "2126-11-29T00:00:00Z"})
    ahead["data"]["1027"]["quote"]["USD"]["last_updated"] = "2026-11-29T05:00:00Z"
    table.put_item(Item={"timestamp": 1_795_928_400, **as_dynamo(ahead)})
    # No slug (it would become the partition key); no response at all.
    nameless = cmc_quotes(slug=DROP)
    del nameless["data"]["1027"]
    table.put_item(Item={"timestamp": 1_795_920_002, **as_dynamo(nameless)})
    table.put_item(Item={"timestamp": 1_795_920_001, "note": "nothing here"})

    assert cli.main(["import-legacy", "--source-table", "old-tracker"]) == 0
    captured = capsys.readouterr()
    assert captured.out == (
        f"imported 5 snapshots from old-tracker into {moto_table.name}; "
        "1 skipped as duplicates, 4 rejected as malformed or dated in the future\n"
    )
    rejections = sorted(
        (e["timestamp"], e["asset"], e["reason"])
        for e in map(json.loads, captured.err.splitlines())
        if e["event"] == "ingest.legacy_rejected"
    )
    assert rejections[:3] == [
        ("1795920000", "bitcoin", "quote.USD.price is missing or null"),
        ("1795920001", "(whole item)", "item holds no CoinMarketCap response with `data`"),
        ("1795920002", "1", "slug is missing"),
    ]
    stamp, asset, reason = rejections[3]
    assert (stamp, asset) == ("1795928400", "bitcoin")
    assert reason.startswith(
        "refused a quote from the future: last_updated 2126-11-29T00:00:00Z is more than "
        "5 minutes after this import at 20"
    )
    assert indexed_assets(moto_table) == {"bitcoin", "ethereum"}
    items = snapshots_of(moto_table)
    assert len(items) == 3  # hourly legacy quotes are all kept, not one per slot
    assert {i["source"] for i in items} == {"cmc"}
    assert items[0]["fetched_at"] == 1_795_910_400
    assert "tags" not in items[0]
    ethereum = snapshots_of(moto_table, "ethereum")
    assert sorted((int(i["ts"]), str(i["price"])) for i in ethereum) == [
        (1_795_928_400, "3456.789012"),  # 05:00, from the item whose bitcoin was refused
        (1_795_932_000, "3456.789012"),  # 06:00, from the item whose bitcoin had no price
    ]

    assert cli.main(["import-legacy", "--source-table", "old-tracker"]) == 0
    assert capsys.readouterr().out.startswith("imported 0 snapshots from old-tracker")
    assert len(snapshots_of(moto_table)) == 3


def test_import_legacy_refuses_a_slug_that_would_overwrite_the_asset_index(moto_table, capsys):
    """Slug '#assets' at ts 0 is the asset index's own key: it must never be written."""
    table = legacy_table("old-tracker")
    payload = cmc_quotes(slug="#assets", **{"quote.USD.last_updated": "1970-01-01T00:00:00Z"})
    table.put_item(Item={"timestamp": 1_795_932_060, **as_dynamo(payload)})
    assert cli.main(["import-legacy", "--source-table", "old-tracker"]) == 0
    assert capsys.readouterr().out == (
        f"imported 1 snapshots from old-tracker into {moto_table.name}; "
        "0 skipped as duplicates, 1 rejected as malformed or dated in the future\n"
    )
    assert indexed_assets(moto_table) == {"ethereum"}


def test_import_legacy_from_a_missing_table(moto_table, capsys):
    assert cli.main(["import-legacy", "--source-table", "nope"]) == 1
    assert capsys.readouterr().err == "error: source table nope does not exist\n"


def test_backfill_server_error_with_a_text_body(fake_gecko, moto_table, capsys):
    fake_gecko.reply(503, "Service Unavailable")
    assert cli.main(["backfill", "--days", "3"]) == 1
    assert capsys.readouterr().err == (
        "error: CoinGecko had a server error (HTTP 503) (gave up: retries or time budget spent)\n"
    )
    assert fake_gecko.calls > 1


def test_backfill_beyond_the_free_range_says_how_to_fix_it(fake_gecko, moto_table, capsys):
    """CoinGecko answers a keyless `days=730` with HTTP 401 and a nested error body."""
    fake_gecko.reply(
        401,
        {
            "error": {
                "status": {
                    "timestamp": "2026-11-29T07:00:00.000+00:00",
                    "error_code": 10012,
                    "error_message": "Your request exceeds the allowed time range. Public API "
                    "users are limited to querying historical data within the past 365 days.",
                }
            }
        },
    )
    assert cli.main(["backfill", "--days", "730"]) == 1
    assert capsys.readouterr().err == (
        "error: CoinGecko serves only the past 365 days of history without a paid plan "
        "(HTTP 401, error 10012): use --days 365 or less\n"
    )
    assert fake_gecko.calls == 1
    assert snapshots_of(moto_table) == []


def test_backfill_with_coingecko_unreachable(moto_table, capsys, monkeypatch):
    from tools.dynalite import free_port

    monkeypatch.setenv("COINGECKO_API_URL", f"http://127.0.0.1:{free_port()}")
    monkeypatch.setenv("HTTP_TIMEOUT_SECONDS", "0.2")
    monkeypatch.setenv("HTTP_RETRY_BUDGET_SECONDS", "0.5")
    assert cli.main(["backfill", "--days", "3"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: could not reach CoinGecko at http://127.0.0.1:")
    assert "Connection refused" in err
    assert len(err.splitlines()) == 1


def test_backfill_of_two_assets_with_one_unknown_stores_the_other(
    fake_gecko, moto_table, capsys, monkeypatch
):
    monkeypatch.setenv("ASSETS", "bitcoinz,bitcoin")
    fake_gecko.reply(404, {"error": "coin not found"})
    fake_gecko.reply(200, fixture_json(CHART))
    assert cli.main(["backfill", "--days", "3"]) == 1
    assert capsys.readouterr().err == (
        "error: 1 of 2 assets failed: bitcoinz: CoinGecko does not know the coin id "
        "'bitcoinz' (HTTP 404): coin not found (bitcoin stored 13)\n"
    )
    assert len(snapshots_of(moto_table)) == 13
