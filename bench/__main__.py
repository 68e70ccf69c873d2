"""`make bench`: the project against the naive baseline on 1,460 / 14,600 / 1,000,000 snapshots.

Starts dynalite over .data/bench/ (generating missing datasets first; BENCH_SIZES picks some),
measures each side per dataset in a process of its own (the project's server side, the
baseline, and the project in headless Chromium), prints a table with ratios and the issues'
targets as PASS/MISS, and rewrites the `bench` section of docs/performance.md; the analysis
and compare pages get rows of their own. The data API is measured beside the original
`/fetch-data` on the 1- and 10-year sets (a full Scan of the million-item set takes minutes
per request); its `api` section is rewritten whenever both of those ran.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any

from bench import api, datasets, pages, report
from bench.measure import run_child
from tools.dynalite import client_env

RESULTS = report.ROOT / "bench" / "results" / "bench.json"  # raw figures, not committed
RANGE_MS, RANGE_BYTES, IDLE_SHARE, PAGE_DRIFT = 150.0, 150_000, 0.05, 0.10
API_SIZES = (1_460, 14_600)
PRICE_MS, CHARTS_MS = 1000.0, 2000.0  # cold browser cache (issue 10)
PRICE_BEFORE_BASELINE_AT, CHARTS_AT = 1_460, 14_600


def shell_bytes(project: dict[str, Any]) -> int:
    """HTML, layout and callback map: the page around the charts, served alike by both."""
    return sum(size for name, _, size in project["page_warm"]["calls"] if name.startswith("GET"))


def browser_rows(browser: dict[str, Any], baseline: dict[str, Any]) -> list[list[str]]:
    """What a visitor waits for, next to what the original tracker needed just to fetch its
    data (its Scan and DataFrame, before any figure or any byte reached a browser)."""
    fetch_ms = baseline["cold_s"] * 1000
    fetch = f"{report.ms(fetch_ms)} (fetch alone)"
    rows = []
    for key, label in (
        ("price_ms", "time to price on screen"),
        ("charts_ms", "time to all charts drawn"),
    ):
        for cache in ("cold", "warm"):
            value = browser[cache][key]
            rows.append(
                [
                    f"{label}, {cache} browser cache",
                    fetch,
                    report.ms(value),
                    report.ratio(fetch_ms, value),
                ]
            )
    return rows


def rows_for(
    project: dict[str, Any], baseline: dict[str, Any], browser: dict[str, Any]
) -> list[list[str]]:
    p, b = project, baseline
    b_page_bytes = b["page_warm"]["bytes"] + shell_bytes(p)

    def action(side: dict[str, Any], key: str) -> dict[str, Any]:
        return side[key]["action"]

    rows = [
        [
            "cold load (store → pandas)",
            f"{b['cold_s']:.2f} s",
            f"{p['cold_s']:.2f} s",
            report.ratio(b["cold_s"], p["cold_s"]),
        ],
        ["  items/s", f"{b['cold_items_per_s']:,.0f}", f"{p['cold_items_per_s']:,.0f}", ""],
        [
            "refresh, nothing new",
            report.ms(b["refresh_none_ms"]),
            report.ms(p["refresh_none_ms"]),
            report.ratio(b["refresh_none_ms"], p["refresh_none_ms"]),
        ],
        [
            "refresh, one new snapshot",
            report.ms(b["refresh_one_ms"]),
            report.ms(p["refresh_one_ms"]),
            report.ratio(b["refresh_one_ms"], p["refresh_one_ms"]),
        ],
        [
            "first page load, warm worker",
            report.ms(b["page_warm"]["ms"]),
            report.ms(p["page_warm"]["ms"]),
            report.ratio(b["page_warm"]["ms"], p["page_warm"]["ms"]),
        ],
        [
            "  bytes as sent (uncompressed)",
            report.kb(b_page_bytes),
            f"{report.kb(p['page_warm']['sent_bytes'])} ({report.kb(p['page_warm']['bytes'])})",
            report.ratio(b_page_bytes, p["page_warm"]["sent_bytes"]),
        ],
        ["first page load, cold worker", "= warm", report.ms(p["page_cold"]["ms"]), ""],
        *browser_rows(browser, baseline),
    ]
    for key, label in (("preset", "preset click"), ("week", "zoom to one week (picker)")):
        pa, ba = action(p, key), action(b, key)
        rows += [
            [
                f"{label} p50",
                report.ms(ba["p50_ms"]),
                report.ms(pa["p50_ms"]),
                report.ratio(ba["p50_ms"], pa["p50_ms"]),
            ],
            [
                f"{label} p95",
                report.ms(ba["p95_ms"]),
                report.ms(pa["p95_ms"]),
                report.ratio(ba["p95_ms"], pa["p95_ms"]),
            ],
            ["  slowest callback p95", "", report.ms(p[key]["callback"]["p95_ms"]), ""],
            [
                "  bytes as sent, largest (uncompressed)",
                report.kb(ba["bytes"]),
                f"{report.kb(pa['sent_bytes'])} ({report.kb(pa['bytes'])})",
                report.ratio(ba["bytes"], pa["sent_bytes"]),
            ],
        ]
    zoom = action(p, "zoom")
    zoom_text = f"{report.ms(zoom['p50_ms'])} / {report.ms(zoom['p95_ms'])}"
    rows += [
        [
            "zoom a chart into a week (re-sampled) p50/p95",
            "none (every point already sent)",
            f"{zoom_text}, {report.kb(zoom['sent_bytes'])}",
            "",
        ],
        [
            "peak memory per worker (RSS)",
            f"{b['peak_rss_mb']:,.0f} MB",
            f"{p['peak_rss_mb']:,.0f} MB",
            report.ratio(b["peak_rss_mb"], p["peak_rss_mb"]),
        ],
    ]
    return rows


def browser_targets(results: dict[int, dict[str, Any]]) -> list[str]:
    """Issue 10, on a cold browser cache: the price in under a second at every size and before
    the original tracker has fetched its data at 1 year; all charts in under 2 s at 10 years."""
    lines = ["Targets in headless Chromium, cold browser cache:"]
    for count, result in sorted(results.items()):
        price = result["browser"]["cold"]["price_ms"]
        lines.append(report.verdict(f"price on screen at {count:,}", price, PRICE_MS, "ms"))
    if PRICE_BEFORE_BASELINE_AT in results:
        result = results[PRICE_BEFORE_BASELINE_AT]
        lines.append(
            report.verdict(
                f"price on screen at {PRICE_BEFORE_BASELINE_AT:,} vs the original tracker's fetch",
                result["browser"]["cold"]["price_ms"],
                result["baseline"]["cold_s"] * 1000,
                "ms",
            )
        )
    if CHARTS_AT in results:
        charts = results[CHARTS_AT]["browser"]["cold"]["charts_ms"]
        lines.append(report.verdict(f"all charts drawn at {CHARTS_AT:,}", charts, CHARTS_MS, "ms"))
    return lines


def targets(results: dict[int, dict[str, Any]]) -> list[str]:
    largest = max(results)
    p = results[largest]["project"]
    where = "" if largest == 1_000_000 else f" (at {largest:,}: the 1,000,000 set was not run)"
    lines = [f"Targets at {largest:,} stored snapshots{where}:"]
    for key, label in (("preset", "preset click"), ("week", "one-week zoom")):
        lines.append(
            report.verdict(
                f"{label}, slowest callback p95", p[key]["callback"]["p95_ms"], RANGE_MS, "ms"
            )
        )
        lines.append(
            report.verdict(f"{label}, whole click p95", p[key]["action"]["p95_ms"], RANGE_MS, "ms")
        )
        lines.append(
            report.verdict(
                f"{label}, response bytes as sent (gzip)",
                p[key]["action"]["sent_bytes"] / 1000,
                RANGE_BYTES / 1000,
                "KB",
            )
        )
    idle = p["refresh_none_ms"] / (p["cold_s"] * 1000) * 100
    lines.append(
        report.verdict("refresh with nothing new, share of cold load", idle, IDLE_SHARE * 100, "%")
    )
    smallest = min(results)
    if smallest != largest:
        small, big = results[smallest]["project"]["page_warm"], p["page_warm"]

        def drift(key: str) -> float:
            return abs(big[key] - small[key]) / small[key] * 100

        # Judged on what the page holds: gzip's ratio depends on the data's regularity (6-hour
        # times compress better than minute ones), not on how much history is stored.
        lines.append(
            report.verdict(
                f"initial page bytes (uncompressed) drift {smallest:,} → {largest:,}",
                drift("bytes"),
                PAGE_DRIFT * 100,
                "%",
            )
        )
        lines.append(f"INFO  the same as sent (gzip): {drift('sent_bytes'):.1f} % drift")
    return lines


def api_tables(
    chosen: tuple[datasets.Dataset, ...], results: dict[int, dict[str, Any]], machine: str
) -> tuple[list[str], list[str]]:
    """The data API beside /fetch-data, per dataset that has it: printed and for the doc."""
    header = ["", "original /fetch-data", "project /api/v1", "original / project"]
    printed: list[str] = []
    documented = [f"Machine: {machine}. Store: dynalite on loopback (LevelDB on local disk)."]
    for dataset in chosen:
        if "api" not in results[dataset.count]:
            continue
        rows = api.rows_for(results[dataset.count]["api"])
        title = f"data API, {dataset.count:,} snapshots ({dataset.label})"
        printed += ["", title, report.plain_table(header, rows)]
        documented += ["", f"### {title}", "", report.markdown_table(header, rows)]
    return printed, documented


def main() -> int:
    chosen = datasets.selected()
    results: dict[int, dict[str, Any]] = {}
    load_at_start = os.getloadavg()[0]
    with datasets.local_store() as store:
        print(f"bench: dynalite on {store.endpoint}, data in .data/bench/", flush=True)
        datasets.ensure(chosen)
        for dataset in chosen:
            env = {
                **client_env(store.port),
                "SNAPSHOT_TABLE": dataset.table,
                "BENCH_SLOT_SECONDS": str(dataset.slot_seconds),
                "LOG_LEVEL": "WARNING",
            }
            print(f"bench: {dataset.table} — project…", flush=True)
            project = run_child("bench.project", dataset.table, env)
            print(f"bench: {dataset.table} — baseline (full Scan)…", flush=True)
            baseline = run_child("bench.baseline", dataset.table, env)
            print(f"bench: {dataset.table} — headless Chromium against gunicorn…", flush=True)
            browser = run_child("bench.browser", dataset.table, env)
            results[dataset.count] = {"project": project, "baseline": baseline, "browser": browser}
            if dataset.count in API_SIZES:
                print(f"bench: {dataset.table} — data API and /fetch-data…", flush=True)
                results[dataset.count]["api"] = run_child("bench.api", dataset.table, env)
        page_lines = pages.run(chosen, store.port)  # the analysis and compare pages

    header = ["", "baseline", "project", "baseline / project"]
    # Other work on the machine slows every figure, the browser's most: say how busy it was.
    busy = f"load average {load_at_start:.1f} at the start, {os.getloadavg()[0]:.1f} at the end"
    machine = f"{report.machine()}; {busy}"
    printed, documented = (
        [f"Machine: {machine}"],
        [f"Machine: {machine}. Store: dynalite on loopback (LevelDB on local disk)."],
    )
    for dataset in chosen:
        result = results[dataset.count]
        rows = rows_for(result["project"], result["baseline"], result["browser"])
        title = f"{dataset.count:,} snapshots ({dataset.label})"
        printed += ["", title, report.plain_table(header, rows)]
        documented += ["", f"### {title}", "", report.markdown_table(header, rows)]
    checks = targets(results)
    painted = browser_targets(results)
    printed += ["", *checks, "", *painted]
    documented += ["", "### Targets", "", checks[0], "", *[f"- {line}" for line in checks[1:]]]
    documented += ["", painted[0], "", *[f"- {line}" for line in painted[1:]]]
    documented += page_lines
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=1))
    print("\n".join(printed))
    doc = report.DOC.relative_to(report.ROOT)
    api_printed, api_documented = api_tables(chosen, results, machine)
    print("bench: the largest export…", flush=True)
    largest = api.largest_line(run_child("bench.api", api.LARGEST, {"LOG_LEVEL": "WARNING"}))
    api_printed += ["", largest]
    api_documented += ["", largest]
    print("\n".join(api_printed))
    if {d.count for d in chosen} >= set(API_SIZES):
        report.write_section("api", "\n".join(api_documented))
        print(f"\ndata API rows written to {doc}")
    if chosen != datasets.DATASETS:
        # The document's tables and targets compare all three sizes measured in one run.
        print(f"\nthe bench section of {doc} left as it is: only a run of all three sets writes it")
        return 0
    report.write_section("bench", "\n".join(documented))
    print(f"\nwritten to {doc}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
