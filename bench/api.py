"""The data API against the original tracker's `/fetch-data`: `python -m bench.api TABLE`.

The original tracker's one backend route Scanned the whole table and returned every item as
JSON, whatever the client wanted, with no validator and no compression; it is modelled as a
Flask route doing exactly that (`jsonify` of the Scan's items). The project's side is the real
app's `/api/v1/snapshots` on a warm worker, asked as a script would (`Accept-Encoding: gzip`):
the whole history and the last month, as JSON and as CSV, first without a cached copy and then
revalidated with `If-None-Match`. Both go through Flask's test client, so times are server
time without network. The original has no range and no validator: its month and its
revalidation are the same full Scan.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
import tracemalloc
from typing import Any

import flask
import pandas as pd
from flask_compress.flask_compress import _uncompress_data

from bench.baseline import scan
from bench.datasets import ASSET, END_TS
from bench.measure import emit, percentile
from bench.report import kb, ms, ratio

REPEATS = 15
LARGEST = "--largest"  # `python -m bench.api --largest`: the largest export, no store
SLOW_SECONDS = 20.0
GZIP = {"Accept-Encoding": "gzip"}
BROWSER = {"Accept-Encoding": "gzip, deflate, br, zstd"}  # what Chromium offers
ISO = "%Y-%m-%dT%H:%M:%SZ"


def _plain(value: Any) -> Any:
    """What json.dumps cannot write itself: DynamoDB's Decimals, and the asset index's set."""
    return sorted(value) if isinstance(value, set) else str(value)


def fetch_data_app(table_name: str) -> flask.Flask:
    """The original tracker's backend, as far as this route goes."""
    app = flask.Flask("fetch_data")

    @app.route("/fetch-data")
    def fetch_data() -> Any:
        return flask.Response(
            json.dumps(scan(table_name), default=_plain), mimetype="application/json"
        )

    return app


def timed_get(client: Any, path: str, headers: dict[str, str]) -> tuple[float, Any]:
    started = time.perf_counter()
    response = client.get(path, headers=headers)
    response.get_data()  # a streamed body is written while it is read
    return time.perf_counter() - started, response


def measure(client: Any, path: str, headers: dict[str, str], repeats: int) -> dict[str, Any]:
    """p50/p95 latency, status and bytes (as sent, and uncompressed) of GET `path`."""
    runs = [timed_get(client, path, headers) for _ in range(repeats)]
    response = runs[-1][1]
    sent = response.get_data()
    encoding = response.headers.get("Content-Encoding")
    body = _uncompress_data(sent, encoding) if encoding else sent
    seconds = [s for s, _ in runs]
    return {
        "status": response.status_code,
        "p50_ms": percentile(seconds, 50) * 1000,
        "p95_ms": percentile(seconds, 95) * 1000,
        "sent_bytes": len(sent),
        "bytes": len(body),
        "etag": response.headers.get("ETag"),
    }


def baseline_side(table_name: str) -> dict[str, Any]:
    client = fetch_data_app(table_name).test_client()
    loads: list[float] = []
    result: dict[str, Any] = {}
    while len(loads) < 3 and sum(loads) < SLOW_SECONDS:
        result = measure(client, "/fetch-data", GZIP, 1)
        assert result["status"] == 200, result
        loads.append(result["p50_ms"])
    result["p50_ms"] = statistics.median(loads)
    result["p95_ms"] = max(loads)
    return result


def project_side() -> dict[str, Any]:
    from dashboard.app import server

    client = server.test_client()
    whole = f"/api/v1/snapshots?asset={ASSET}"
    first, _ = timed_get(client, whole, GZIP)  # a fresh worker's first request loads
    last = pd.Timestamp(client.get("/api/v1/assets").get_json()["assets"][0]["last"])
    month = f"{whole}&from={last - pd.DateOffset(months=1):{ISO}}"
    cases: dict[str, Any] = {"first_request_ms": first * 1000}
    for name, path in (
        ("whole_json", whole),
        ("month_json", month),
        ("whole_csv", f"{whole}&format=csv"),
        ("month_csv", f"{month}&format=csv"),
    ):
        cold = measure(client, path, GZIP, REPEATS)
        revalidated = measure(client, path, {**GZIP, "If-None-Match": cold["etag"]}, REPEATS)
        cases[name] = {"cold": cold, "revalidated": revalidated}
    return cases


def largest_export() -> dict[str, Any]:
    """The biggest answer the API gives: API_MAX_ROWS snapshots, every field, as CSV, from a
    warm worker holding minute-level demo history (built in memory; no store needed)."""
    from boto3.dynamodb.types import TypeSerializer

    from dashboard import config, data
    from dashboard.app import server
    from dashboard.wire import FrameBuilder
    from ingest import demo

    rows = config.load().api_max_rows
    serializer = TypeSerializer()
    builder = FrameBuilder(ASSET, now=END_TS + 3600)
    snapshots = demo.generate(ASSET, -(-rows * 60 // 86_400), END_TS, 60)[-rows:]
    builder.add_page(
        [{k: serializer.serialize(v) for k, v in s.to_item().items()} for s in snapshots]
    )
    frame, overrides = builder.build()

    class Cached:
        configured_assets = (ASSET,)

        def assets(self) -> list[str]:
            return [ASSET]

        def load(self, asset: str) -> data.LoadResult:
            return data.LoadResult(frame, None, overrides)

    data._repository = Cached()  # type: ignore[assignment]
    client = server.test_client()
    path = f"/api/v1/snapshots?asset={ASSET}&format=csv"
    result = {"rows": rows}
    for name, headers in (("plain", {}), ("gzip", GZIP), ("browser", BROWSER)):
        result[name] = measure(client, path, headers, 3)
    # Memory on its own run (tracemalloc slows it down), the body read and dropped chunk by
    # chunk as a socket would, so only what the server holds is counted.
    tracemalloc.start()
    for _ in client.get(path, headers=GZIP, buffered=False).iter_encoded():
        pass
    result["peak_traced_mb"] = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    return result


def main(table_name: str) -> None:
    if table_name == LARGEST:
        emit(largest_export())
        return
    result: dict[str, Any] = {"side": "api", "table": table_name}
    result["project"] = project_side()
    result["baseline"] = baseline_side(table_name)
    emit(result)


ROW_LABELS: tuple[tuple[str, str], ...] = (
    ("whole_json", "whole history, JSON"),
    ("month_json", "one month, JSON"),
    ("whole_csv", "whole history, CSV"),
    ("month_csv", "one month, CSV"),
)


def largest_line(result: dict[str, Any]) -> str:
    """What one maximal export costs, for the report."""
    plain, packed, browser = result["plain"], result["gzip"], result["browser"]
    return (
        f"Largest export ({result['rows']:,} snapshots, every field, CSV; API_MAX_ROWS): "
        f"{kb(plain['bytes'])} in {ms(plain['p50_ms'])} uncompressed; "
        f"{kb(packed['sent_bytes'])} in {ms(packed['p50_ms'])} with gzip (scripts); "
        f"{kb(browser['sent_bytes'])} in {ms(browser['p50_ms'])} as a browser gets it "
        f"(zstd); p50 of 3, server time. Peak Python memory while streaming it: "
        f"{result['peak_traced_mb']:.1f} MB (tracemalloc), beside the cached history."
    )


def rows_for(result: dict[str, Any]) -> list[list[str]]:
    """Report rows: per case, latency and bytes cold and revalidated, beside /fetch-data."""
    base, project = result["baseline"], result["project"]
    rows = [
        [
            "GET /fetch-data (every case)",
            f"{ms(base['p50_ms'])}, {kb(base['sent_bytes'])}",
            "",
            "",
        ]
    ]
    for key, label in ROW_LABELS:
        cold, again = project[key]["cold"], project[key]["revalidated"]
        rows += [
            [
                f"{label}: p50 / p95",
                ms(base["p50_ms"]),
                f"{ms(cold['p50_ms'])} / {ms(cold['p95_ms'])}",
                ratio(base["p50_ms"], cold["p50_ms"]),
            ],
            [
                "  bytes as sent (uncompressed)",
                kb(base["sent_bytes"]),
                f"{kb(cold['sent_bytes'])} ({kb(cold['bytes'])})",
                ratio(base["sent_bytes"], cold["sent_bytes"]),
            ],
            [
                "  revalidated (If-None-Match): p50, status, bytes",
                f"{ms(base['p50_ms'])}, 200, {kb(base['sent_bytes'])}",
                f"{ms(again['p50_ms'])}, {again['status']}, {again['sent_bytes']} B",
                ratio(base["p50_ms"], again["p50_ms"]),
            ],
        ]
    rows.append(
        [
            "first request on a fresh worker (loads the history)",
            "= every request",
            ms(project["first_request_ms"]),
            "",
        ]
    )
    return rows


if __name__ == "__main__":
    main(sys.argv[1])
