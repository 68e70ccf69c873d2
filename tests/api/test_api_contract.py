"""Issue 11's contract, bullet by bullet, against a hand-picked history (tests/api/conftest.py).

Every expected body, value and message is written out literally and was worked out by hand
from the seeded snapshots, never by the code under test.
"""

from __future__ import annotations

import gzip
import json
from decimal import Decimal

import pytest

from tests.api.conftest import EXACT_MARKET_CAP, SLOT, T0

SNAPSHOTS = "/api/v1/snapshots"
FIRST_SNAPSHOT = {
    "ts": 1767225600,
    "time": "2026-01-01T00:00:00Z",
    "price": "70123.456789",
    "volume_24h": "45234567890.12",
    "volume_change_24h": "-1.2",
    "market_cap": "1363000000000",
    "market_cap_dominance": None,
    "fully_diluted_market_cap": None,
    "percent_change_1h": None,
    "percent_change_24h": None,
    "percent_change_7d": None,
    "percent_change_30d": None,
    "percent_change_60d": None,
    "percent_change_90d": None,
    "circulating_supply": "19700000",
    "total_supply": None,
    "max_supply": None,
    "cmc_rank": None,
    "num_market_pairs": None,
    "name": "Bitcoin",
    "symbol": "BTC",
    "source": "cmc",
    "fetched_at": 1767225630,
}


def get(client, path: str, **headers: str):
    return client.get(path, headers=headers)


def required_headers(client, url: str, method: str, status: int) -> set[str]:
    """The headers the served document says a `status` answer to `method` `url` must carry."""
    document = get(client, "/api/v1/openapi.json").get_json()
    answer = document["paths"][url.split("?")[0]][method]["responses"][str(status)]
    if "$ref" in answer:
        answer = document["components"]["responses"][answer["$ref"].rsplit("/", 1)[1]]
    return {name for name, header in answer.get("headers", {}).items() if header["required"]}


def test_assets_lists_every_stored_asset(client, seeded):
    response = get(client, "/api/v1/assets")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.get_data(as_text=True) == (
        '{"assets": [{"asset": "bitcoin", "name": "Bitcoin", "symbol": "BTC", '
        '"first": "2026-01-01T00:00:00Z", "last": "2026-01-03T18:00:00Z", "count": 12}]}'
    )


def test_snapshots_ascending_with_every_field_and_next_null(client, seeded):
    body = get(client, f"{SNAPSHOTS}?asset=bitcoin").get_json()
    assert list(body) == ["asset", "snapshots", "next"]
    assert body["asset"] == "bitcoin"
    assert body["next"] is None
    assert body["snapshots"][0] == FIRST_SNAPSHOT
    assert list(body["snapshots"][0]) == list(FIRST_SNAPSHOT)
    assert [s["ts"] for s in body["snapshots"]] == [T0 + i * SLOT for i in range(12)]
    assert [s["time"][5:16] for s in body["snapshots"][:5]] == [
        "01-01T00:00",
        "01-01T06:00",
        "01-01T12:00",
        "01-01T18:00",
        "01-02T00:00",
    ]


def test_numbers_are_the_stored_decimals_exactly(client, seeded):
    rows = get(client, f"{SNAPSHOTS}?asset=bitcoin&fields=market_cap").get_json()["snapshots"]
    assert rows[3] == {"time": "2026-01-01T18:00:00Z", "market_cap": EXACT_MARKET_CAP}
    assert rows[3]["market_cap"] == "1363456789012.123456789"  # a float would say …012.1235


def test_from_and_to_are_whole_utc_days_and_to_includes_its_day(client, seeded):
    url = f"{SNAPSHOTS}?asset=bitcoin&from=2026-01-02&to=2026-01-02&fields=price"
    assert get(client, url).get_json()["snapshots"] == [
        {"time": "2026-01-02T00:00:00Z", "price": "70400"},
        {"time": "2026-01-02T06:00:00Z", "price": "71000.125"},
        {"time": "2026-01-02T12:00:00Z", "price": "70800"},
        {"time": "2026-01-02T18:00:00Z", "price": "70950.5"},
    ]


@pytest.mark.parametrize(
    ("bounds", "times"),
    [
        ("from=2026-01-01T06:00:00Z&to=2026-01-01T12:00:00Z", ["06:00", "12:00"]),
        ("from=2026-01-01T08:00:00%2B02:00&to=2026-01-01T12:00:00Z", ["06:00", "12:00"]),
        ("from=2026-01-01T06:00:00.5Z&to=2026-01-01T12:00:00.999Z", ["12:00"]),
        ("to=2026-01-01T05:59:59Z", ["00:00"]),
    ],
)
def test_from_and_to_also_take_an_exact_utc_time(client, seeded, bounds, times):
    rows = get(client, f"{SNAPSHOTS}?asset=bitcoin&{bounds}&fields=price").get_json()["snapshots"]
    assert [r["time"][11:16] for r in rows] == times


def test_fields_narrow_the_columns_and_time_stays(client, seeded):
    rows = get(client, f"{SNAPSHOTS}?asset=bitcoin&fields=symbol,price").get_json()["snapshots"]
    assert rows[0] == {"time": "2026-01-01T00:00:00Z", "price": "70123.456789", "symbol": "BTC"}
    assert all(list(row) == ["time", "price", "symbol"] for row in rows)


def test_fields_come_once_each_in_schema_order_whatever_order_or_repeats_given(client, seeded):
    url = f"{SNAPSHOTS}?asset=bitcoin&to=2026-01-01T00:00:00Z&fields=symbol,price,price,symbol"
    response = get(client, url)
    assert response.status_code == 200
    assert response.get_json()["snapshots"] == [
        {"time": "2026-01-01T00:00:00Z", "price": "70123.456789", "symbol": "BTC"}
    ]
    document = get(client, "/api/v1/openapi.json").get_json()
    (fields,) = [
        p for p in document["paths"][SNAPSHOTS]["get"]["parameters"] if p["name"] == "fields"
    ]
    assert "uniqueItems" not in fields["schema"]  # repeats are allowed, not refused


def test_fields_may_name_time_which_every_row_has_anyway(client, seeded):
    early = f"{SNAPSHOTS}?asset=bitcoin&to=2026-01-01T06:00:00Z"
    assert get(client, f"{early}&fields=time").get_json() == {
        "asset": "bitcoin",
        "snapshots": [{"time": "2026-01-01T00:00:00Z"}, {"time": "2026-01-01T06:00:00Z"}],
        "next": None,
    }
    assert get(client, f"{early}&fields=time,price").get_json()["snapshots"] == [
        {"time": "2026-01-01T00:00:00Z", "price": "70123.456789"},
        {"time": "2026-01-01T06:00:00Z", "price": "70500.5"},
    ]
    assert get(client, f"{early}&fields=time&format=csv").get_data(as_text=True) == (
        "time,asset\r\n2026-01-01T00:00:00Z,bitcoin\r\n2026-01-01T06:00:00Z,bitcoin\r\n"
    )
    assert get(client, f"{early}&fields=time&limit=1").get_json()["next"] == (
        "/api/v1/snapshots?asset=bitcoin&from=2026-01-01T00:00:01Z&to=2026-01-01T06:00:00Z"
        "&fields=time&limit=1"
    )
    days = get(client, f"{SNAPSHOTS}?asset=bitcoin&interval=1d&fields=time").get_json()["days"]
    assert days == [
        {"time": "2026-01-01T00:00:00Z"},
        {"time": "2026-01-02T00:00:00Z"},
        {"time": "2026-01-03T00:00:00Z"},
    ]


def test_csv_has_a_header_exact_decimals_and_formula_safe_cells(client, seeded):
    url = f"{SNAPSHOTS}?asset=bitcoin&to=2026-01-02T06:00:00Z&fields=price,market_cap,name"
    response = get(client, url + "&format=csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="bitcoin_2026-01-01_2026-01-02.csv"'
    )
    assert response.get_data(as_text=True) == (
        "time,asset,price,market_cap,name\r\n"
        "2026-01-01T00:00:00Z,bitcoin,70123.456789,1363000000000,Bitcoin\r\n"
        "2026-01-01T06:00:00Z,bitcoin,70500.5,1363000000001,Bitcoin\r\n"
        "2026-01-01T12:00:00Z,bitcoin,69900.25,1363000000002,Bitcoin\r\n"
        "2026-01-01T18:00:00Z,bitcoin,70321.75,1363456789012.123456789,Bitcoin\r\n"
        "2026-01-02T00:00:00Z,bitcoin,70400,1363000000004,Bitcoin\r\n"
        '2026-01-02T06:00:00Z,bitcoin,71000.125,1363000000005,"\'=HYPERLINK(""http://evil'
        '.example"",""click"")"\r\n'
    )


def test_csv_keeps_negative_numbers_numbers(client, seeded):
    url = f"{SNAPSHOTS}?asset=bitcoin&to=2026-01-01T00:00:00Z&fields=volume_change_24h"
    body = get(client, url + "&format=csv").get_data(as_text=True)
    assert body == "time,asset,volume_change_24h\r\n2026-01-01T00:00:00Z,bitcoin,-1.2\r\n"


def test_the_full_csv_header_is_time_asset_then_the_schema_order(client, seeded):
    body = get(client, f"{SNAPSHOTS}?asset=bitcoin&format=csv").get_data(as_text=True)
    lines = body.split("\r\n")
    assert lines[0] == (
        "time,asset,ts,price,volume_24h,volume_change_24h,market_cap,market_cap_dominance,"
        "fully_diluted_market_cap,percent_change_1h,percent_change_24h,percent_change_7d,"
        "percent_change_30d,percent_change_60d,percent_change_90d,circulating_supply,"
        "total_supply,max_supply,cmc_rank,num_market_pairs,name,symbol,source,fetched_at"
    )
    assert lines[1] == (
        "2026-01-01T00:00:00Z,bitcoin,1767225600,70123.456789,45234567890.12,-1.2,"
        "1363000000000,,,,,,,,,19700000,,,,,Bitcoin,BTC,cmc,1767225630"
    )
    assert len(lines) == 1 + 12 + 1  # header, rows, and the final line ending


def test_limit_pages_and_next_links_the_rest(client, seeded):
    body = get(client, f"{SNAPSHOTS}?asset=bitcoin&fields=price&limit=5").get_json()
    assert [r["price"] for r in body["snapshots"]] == [
        "70123.456789",
        "70500.5",
        "69900.25",
        "70321.75",
        "70400",
    ]
    assert body["next"] == (
        "/api/v1/snapshots?asset=bitcoin&from=2026-01-02T00:00:01Z&fields=price&limit=5"
    )


def test_following_next_yields_every_snapshot_once_in_order(client, seeded):
    url, seen, pages = f"{SNAPSHOTS}?asset=bitcoin&limit=5&fields=ts", [], 0
    while url is not None:
        body = get(client, url).get_json()
        seen += [row["ts"] for row in body["snapshots"]]
        url, pages = body["next"], pages + 1
    assert seen == [T0 + i * SLOT for i in range(12)]
    assert pages == 3


def test_csv_pages_link_the_next_page_in_a_header(client, seeded):
    response = get(client, f"{SNAPSHOTS}?asset=bitcoin&format=csv&limit=12")
    assert "Link" not in response.headers
    response = get(client, f"{SNAPSHOTS}?asset=bitcoin&format=csv&limit=11&to=2026-01-03")
    assert response.headers["Link"] == (
        "</api/v1/snapshots?asset=bitcoin&from=2026-01-03T12:00:01Z&to=2026-01-03"
        '&format=csv&limit=11>; rel="next"'
    )


def test_limit_default_and_maximum_is_documented_and_enforced(client, seeded):
    document = get(client, "/api/v1/openapi.json").get_json()
    (limit,) = [
        p for p in document["paths"][SNAPSHOTS]["get"]["parameters"] if p["name"] == "limit"
    ]
    assert limit["schema"]["maximum"] == 100_000
    assert "default and maximum 100000" in limit["description"]
    assert get(client, f"{SNAPSHOTS}?asset=bitcoin&limit=100000").status_code == 200
    assert get(client, f"{SNAPSHOTS}?asset=bitcoin&limit=100001").status_code == 400


def test_interval_1d_gives_one_row_per_utc_day(client, seeded):
    body = get(client, f"{SNAPSHOTS}?asset=bitcoin&interval=1d").get_json()
    assert body == {
        "asset": "bitcoin",
        "interval": "1d",
        "days": [
            {
                "ts": 1767225600,
                "time": "2026-01-01T00:00:00Z",
                "open": "70123.456789",
                "high": "70500.5",
                "low": "69900.25",
                "close": "70321.75",
                "volume_24h": "45234567893.12",
                "market_cap": "1363456789012.123456789",
                "circulating_supply": "19700003",
                "snapshots": 4,
            },
            {
                "ts": 1767312000,
                "time": "2026-01-02T00:00:00Z",
                "open": "70400",
                "high": "71000.125",
                "low": "70400",
                "close": "70950.5",
                "volume_24h": "45234567897.12",
                "market_cap": "1363000000007",
                "circulating_supply": "19700007",
                "snapshots": 4,
            },
            {
                "ts": 1767398400,
                "time": "2026-01-03T00:00:00Z",
                "open": "71100",
                "high": "71250.5",
                "low": "70900.75",
                "close": "71200.25",
                "volume_24h": "45234567901.12",
                "market_cap": "1363000000011",
                "circulating_supply": "19700011",
                "snapshots": 4,
            },
        ],
        "next": None,
    }


def test_interval_1d_pages_by_day_and_honours_fields_and_csv(client, seeded):
    body = get(client, f"{SNAPSHOTS}?asset=bitcoin&interval=1d&limit=2&fields=close").get_json()
    assert body["days"] == [
        {"time": "2026-01-01T00:00:00Z", "close": "70321.75"},
        {"time": "2026-01-02T00:00:00Z", "close": "70950.5"},
    ]
    assert body["next"] == (
        "/api/v1/snapshots?asset=bitcoin&from=2026-01-03&fields=close&limit=2&interval=1d"
    )
    assert get(client, body["next"]).get_json()["days"] == [
        {"time": "2026-01-03T00:00:00Z", "close": "71200.25"}
    ]
    csv = get(client, f"{SNAPSHOTS}?asset=bitcoin&interval=1d&fields=high,low&format=csv")
    assert csv.get_data(as_text=True) == (
        "time,asset,high,low\r\n"
        "2026-01-01T00:00:00Z,bitcoin,70500.5,69900.25\r\n"
        "2026-01-02T00:00:00Z,bitcoin,71000.125,70400\r\n"
        "2026-01-03T00:00:00Z,bitcoin,71250.5,70900.75\r\n"
    )


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            "asset=bitcoin&from=2026-13-45",
            "from '2026-13-45' is not a date like 2026-01-31 or a UTC time like "
            "2026-01-31T12:00:00Z (no such day).",
        ),
        (
            "asset=bitcoin&fields=bogus",
            "fields: 'bogus' is not a field of snapshots; use time, ts, price, volume_24h, "
            "volume_change_24h, market_cap, market_cap_dominance, fully_diluted_market_cap, "
            "percent_change_1h, percent_change_24h, percent_change_7d, percent_change_30d, "
            "percent_change_60d, percent_change_90d, circulating_supply, total_supply, "
            "max_supply, cmc_rank, num_market_pairs, name, symbol, source, fetched_at.",
        ),
        ("asset=bitcoin&format=xml", "format 'xml' is not allowed; use json or csv."),
        (
            "asset=bitcoin&limit=-4",
            "limit '-4' is not allowed; use a whole number from 1 to 100000.",
        ),
        (
            "asset=bitcoin&interval=1h",
            "interval '1h' is not allowed; use 1d (one row per UTC day) or leave it out "
            "(every snapshot).",
        ),
        (
            "asset=bitcoin&from=2026-01-03&to=2026-01-02",
            "from 2026-01-03 is after to 2026-01-02; give from <= to.",
        ),
        ("asset=bitcoin&asset=ethereum", "asset was given 2 times; give it once."),
        (
            "asset=bitcoin&form=2026-01-01",
            "'form' is not a parameter here; use asset, from, to, fields, format, limit, interval.",
        ),
        ("", "asset is required, e.g. asset=bitcoin (GET /api/v1/assets lists them)."),
    ],
)
def test_a_bad_parameter_is_a_400_naming_it(client, seeded, query, message):
    response = get(client, f"{SNAPSHOTS}?{query}")
    assert response.status_code == 400
    assert response.mimetype == "application/json"
    assert response.get_json() == {"error": message}


def test_the_asset_slug_is_found_in_any_case_as_in_the_page_links(client, seeded):
    lower = get(client, f"{SNAPSHOTS}?asset=bitcoin&fields=price&limit=1")
    upper = get(client, f"{SNAPSHOTS}?asset=BITCOIN&fields=price&limit=1")
    assert upper.status_code == 200
    assert upper.get_json() == {
        "asset": "bitcoin",
        "snapshots": [{"time": "2026-01-01T00:00:00Z", "price": "70123.456789"}],
        "next": "/api/v1/snapshots?asset=bitcoin&from=2026-01-01T00:00:01Z&fields=price&limit=1",
    }
    assert upper.headers["ETag"] == lower.headers["ETag"]  # the same bytes
    csv = get(client, f"{SNAPSHOTS}?asset=Bitcoin&to=2026-01-01T00:00:00Z&fields=ts&format=csv")
    assert csv.headers["Content-Disposition"] == (
        'attachment; filename="bitcoin_2026-01-01_2026-01-01.csv"'
    )
    assert (
        csv.get_data(as_text=True) == "time,asset,ts\r\n2026-01-01T00:00:00Z,bitcoin,1767225600\r\n"
    )


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            "/api/v1/assets?asset=bitcoin",
            "'asset' is not a parameter here; /api/v1/assets takes none.",
        ),
        ("/api/v1/assets?limit", "'limit' is not a parameter here; /api/v1/assets takes none."),
        (
            "/api/v1/openapi.json?v=2",
            "'v' is not a parameter here; /api/v1/openapi.json takes none.",
        ),
    ],
)
def test_a_path_without_parameters_refuses_any_like_snapshots_refuses_unknown_ones(
    client, seeded, query, message
):
    response = get(client, query)
    assert response.status_code == 400
    assert response.headers["Cache-Control"] == "no-store"
    assert response.get_json() == {"error": message}


def test_format_and_interval_are_read_in_any_case_as_the_document_says(client, seeded):
    url = f"{SNAPSHOTS}?asset=bitcoin&format=CSV&interval=1D&fields=close&to=2026-01-02"
    assert get(client, url).get_data(as_text=True) == (
        "time,asset,close\r\n"
        "2026-01-01T00:00:00Z,bitcoin,70321.75\r\n"
        "2026-01-02T00:00:00Z,bitcoin,70950.5\r\n"
    )
    document = get(client, "/api/v1/openapi.json").get_json()
    schemas = {p["name"]: p["schema"] for p in document["paths"][SNAPSHOTS]["get"]["parameters"]}
    assert schemas["format"]["pattern"] == "^(?:[jJ][sS][oO][nN]|[cC][sS][vV])$"
    assert schemas["interval"]["pattern"] == "^(?:1[dD])$"


def test_an_unknown_asset_is_a_404_naming_it_and_costs_no_query(client, seeded, calls):
    response = get(client, f"{SNAPSHOTS}?asset=nosuchcoin")
    assert response.status_code == 404
    assert response.get_json() == {"error": "asset 'nosuchcoin' is unknown; known assets: bitcoin."}
    assert calls.queries == []


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE", "TRACE"])
@pytest.mark.parametrize("path", ["/api/v1/assets", SNAPSHOTS, "/api/v1/openapi.json"])
def test_any_method_but_get_and_head_is_a_405(client, seeded, method, path):
    response = client.open(f"{path}?asset=bitcoin", method=method)
    assert response.status_code == 405
    assert response.headers["Allow"] == "GET, HEAD"
    assert response.get_json() == {
        "error": f"method {method} is not allowed; the API is read-only: use GET, HEAD."
    }


PREFLIGHT = {
    "Origin": "https://notebook.example",
    "Access-Control-Request-Method": "GET",
    "Access-Control-Request-Headers": "if-none-match",
}


@pytest.mark.parametrize("path", ["/api/v1/assets", SNAPSHOTS, "/api/v1/openapi.json", "/api/x"])
def test_a_cors_preflight_is_a_204_allowing_get_and_head_with_if_none_match(client, seeded, path):
    response = client.options(path, headers=PREFLIGHT)
    assert response.status_code == 204
    assert response.get_data() == b""
    assert "Content-Type" not in response.headers
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["Access-Control-Allow-Methods"] == "GET, HEAD"
    assert response.headers["Access-Control-Allow-Headers"] == "If-None-Match"
    assert response.headers["Access-Control-Max-Age"] == "86400"
    assert "Allow" not in response.headers


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Origin": "https://notebook.example"},
        {"Access-Control-Request-Method": "GET"},
    ],
)
@pytest.mark.parametrize("path", ["/api/v1/assets", SNAPSHOTS, "/api/v1/openapi.json"])
def test_an_options_that_is_no_cors_preflight_stays_a_405(client, seeded, path, headers):
    response = client.options(path, headers=headers)
    assert response.status_code == 405
    assert response.headers["Allow"] == "GET, HEAD"
    assert "Access-Control-Allow-Methods" not in response.headers
    assert response.get_json() == {
        "error": "method OPTIONS is not allowed; the API is read-only: use GET, HEAD (a CORS "
        "preflight, with Origin and Access-Control-Request-Method, gets 204)."
    }


def test_the_document_gives_every_path_its_preflight_and_its_405(client, seeded):
    document = get(client, "/api/v1/openapi.json").get_json()
    for path, item in document["paths"].items():
        assert set(item) == {"get", "options"}, path
        responses = item["options"]["responses"]
        assert set(responses) == {"204", "405"}
        assert responses["405"] == {"$ref": "#/components/responses/MethodNotAllowed"}
        assert set(responses["204"]["headers"]) == {
            "Access-Control-Allow-Origin",
            "Access-Control-Allow-Methods",
            "Access-Control-Allow-Headers",
            "Access-Control-Max-Age",
        }
    refused = document["components"]["responses"]["MethodNotAllowed"]
    assert refused["headers"]["Allow"]["description"] == "GET, HEAD"
    assert "POST, PUT, PATCH, DELETE, TRACE" in refused["description"]


def test_head_answers_the_headers_of_get_without_a_body(client, seeded):
    url = f"{SNAPSHOTS}?asset=bitcoin&format=csv"
    got, head = get(client, url), client.head(url)
    assert head.status_code == 200
    assert head.get_data() == b""
    assert head.headers["ETag"] == got.headers["ETag"]
    assert head.headers["Content-Type"] == "text/csv; charset=utf-8"


def test_an_unknown_path_under_the_api_is_a_json_404(client, seeded):
    response = get(client, "/api/v2/snapshots")
    assert response.status_code == 404
    assert response.get_json() == {
        "error": "there is nothing at /api/v2/snapshots; the API's paths are in "
        "/api/v1/openapi.json."
    }


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_a_strong_etag_answers_if_none_match_with_an_empty_304(client, seeded, fmt):
    url = f"{SNAPSHOTS}?asset=bitcoin&format={fmt}"
    first = get(client, url)
    tag = first.headers["ETag"]
    assert tag.startswith('"')  # strong: no W/ prefix
    again = get(client, url, **{"If-None-Match": tag})
    assert again.status_code == 304
    assert again.get_data() == b""
    assert again.headers["ETag"] == tag
    assert again.headers["Cache-Control"] == first.headers["Cache-Control"]
    assert again.headers["Access-Control-Allow-Origin"] == "*"
    assert required_headers(client, url, "get", 304) == {"ETag", "Cache-Control"}


def test_the_etag_changes_with_the_query_and_with_the_data(client, seeded, clock):
    base = f"{SNAPSHOTS}?asset=bitcoin"
    tags = {get(client, url).headers["ETag"] for url in (base, base + "&format=csv")}
    tags.add(get(client, base + "&fields=price").headers["ETag"])
    assert len(tags) == 3
    before = get(client, base + "&to=2026-01-01").headers["ETag"]
    assert get(client, base + "&to=2026-01-01").headers["ETag"] == before
    seeded.update_item(
        Key={"asset": "bitcoin", "ts": T0},
        UpdateExpression="SET price = :p",
        ExpressionAttributeValues={":p": Decimal("70123.456788")},
    )
    clock[0] = 6 * 3600 + 1  # past the 6-hourly full re-read, which sees the edit
    assert get(client, base + "&to=2026-01-01").headers["ETag"] != before


def test_gzip_like_the_page_with_an_etag_per_encoding(client, seeded):
    url = f"{SNAPSHOTS}?asset=bitcoin&format=csv"
    plain = get(client, url)
    packed = get(client, url, **{"Accept-Encoding": "gzip"})
    assert packed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.get_data()) == plain.get_data()
    assert packed.headers["ETag"] == plain.headers["ETag"][:-1] + ':gzip"'
    again = get(client, url, **{"Accept-Encoding": "gzip", "If-None-Match": packed.headers["ETag"]})
    assert again.status_code == 304
    for path in ("/api/v1/assets", f"{SNAPSHOTS}?asset=bitcoin"):
        assert get(client, path, **{"Accept-Encoding": "gzip"}).headers["Vary"] == (
            "Accept-Encoding"
        )


def test_cache_control_follows_the_data(client, seeded):
    # The newest snapshot is months old, so what reaches it may change at any moment: one TTL.
    assert get(client, f"{SNAPSHOTS}?asset=bitcoin").headers["Cache-Control"] == (
        "public, max-age=60"
    )
    # A range that ends before the newest snapshot is history: a day.
    assert get(client, f"{SNAPSHOTS}?asset=bitcoin&to=2026-01-02").headers["Cache-Control"] == (
        "public, max-age=86400"
    )
    assert get(client, "/api/v1/openapi.json").headers["Cache-Control"] == "public, max-age=3600"
    assert get(client, f"{SNAPSHOTS}?asset=x").headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    "path", ["/api/v1/assets", f"{SNAPSHOTS}?asset=bitcoin", f"{SNAPSHOTS}?asset=x", "/api/x"]
)
def test_every_api_response_allows_any_origin_and_keeps_the_security_headers(client, seeded, path):
    response = get(client, path)
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    # A cross-origin script may read these (Retry-After included, for the 503).
    assert response.headers["Access-Control-Expose-Headers"] == (
        "ETag, Link, X-Data-Warning, Content-Disposition, Retry-After"
    )
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Content-Security-Policy"] == (
        "default-src 'none'; frame-ancestors 'none'"
    )
    # The page keeps its own policy.
    assert "default-src 'self'" in get(client, "/").headers["Content-Security-Policy"]


def test_the_openapi_document_is_openapi_3_1_and_describes_everything(client, seeded):
    response = get(client, "/api/v1/openapi.json")
    assert response.status_code == 200
    document = json.loads(response.get_data())
    assert document["openapi"] == "3.1.0"
    assert set(document["paths"]) == {
        "/api/v1/assets",
        "/api/v1/snapshots",
        "/api/v1/openapi.json",
    }
    operation = document["paths"][SNAPSHOTS]["get"]
    assert [p["name"] for p in operation["parameters"]] == [
        "asset",
        "from",
        "to",
        "fields",
        "format",
        "limit",
        "interval",
    ]
    assert set(operation["responses"]) == {"200", "304", "400", "404", "503"}
    assert set(operation["responses"]["200"]["content"]) == {"application/json", "text/csv"}


def test_a_warm_worker_sends_no_query_per_request(client, seeded, calls):
    get(client, "/api/v1/assets")
    queries = len(calls.queries)
    assert queries == 1  # the first load of the asset
    for path in ("/api/v1/assets", f"{SNAPSHOTS}?asset=bitcoin", f"{SNAPSHOTS}?asset=bitcoin"):
        assert get(client, path).status_code == 200
    assert len(calls.queries) == queries
    assert not any("Scan" in str(q) for q in calls.queries)


def test_a_store_down_with_nothing_cached_is_a_json_503(client, moto_table):
    moto_table.delete()
    for path in ("/api/v1/assets", f"{SNAPSHOTS}?asset=bitcoin"):
        response = get(client, path)
        assert response.status_code == 503
        assert response.headers["Retry-After"] == "60"
        assert required_headers(client, path, "get", 503) == {"Retry-After"}
        assert response.get_json() == {
            "error": f"Table {moto_table.name} does not exist — run `python -m ingest init-table`."
        }


def test_a_store_down_with_a_cache_serves_it_and_says_it_may_be_stale(client, seeded, clock):
    fresh = get(client, f"{SNAPSHOTS}?asset=bitcoin")
    assert "X-Data-Warning" not in fresh.headers
    seeded.delete()
    clock[0] = 61
    stale = get(client, f"{SNAPSHOTS}?asset=bitcoin")
    assert stale.status_code == 200
    assert stale.get_data() == fresh.get_data()
    assert stale.headers["X-Data-Warning"] == (
        f"Table {seeded.name} does not exist - run `python -m ingest init-table`."
    )
    assert stale.headers["Cache-Control"] == "public, max-age=60"
    assert "X-Data-Warning" in get(client, "/api/v1/assets").headers


def test_an_empty_store_lists_no_assets_and_no_snapshots(client, moto_table):
    assert get(client, "/api/v1/assets").get_json() == {"assets": []}
    body = get(client, f"{SNAPSHOTS}?asset=bitcoin").get_json()
    assert body == {"asset": "bitcoin", "snapshots": [], "next": None}


def test_a_failure_inside_the_api_is_a_json_500_without_internals(
    client, seeded, monkeypatch, caplog
):
    def broken(*_: object) -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr("dashboard.api.tables.page", broken)
    response = get(client, f"{SNAPSHOTS}?asset=bitcoin")
    assert response.status_code == 500
    assert response.get_json() == {
        "error": "The request failed on the server; the problem has been logged."
    }
    assert "secret internals" in caplog.text
