"""`make bench` rows for the analysis and compare pages: a first visit and range changes,
replayed through the real Dash app like the overview's rows (bench/project.py), on each
dataset. `python -m bench.pages TABLE` measures one dataset in a process of its own.

The compare page needs a second asset: each set's table gets an ethereum companion from the
ingest demo generator (same span; for the minute-level set, at 6-hour steps, as a second
asset with a sparser history), written once like the sets themselves.
"""

from __future__ import annotations

import gc
import os
import sys
from typing import Any

from bench import report
from bench.dash_client import DashPage, flask_transport
from bench.datasets import DATA_DIR, DAY, END_TS, SIX_HOURS, Dataset
from bench.measure import emit, run_child
from bench.project import CLICK_ROUNDS, PRESET_IDS, clicks, total
from ingest import demo
from ingest.store import SnapshotStore
from tools.dynalite import client_env

COMPANION = "ethereum"
ASSETS = f"bitcoin,{COMPANION}"
PAGES = {
    "analysis": "/analysis?asset=bitcoin",
    "compare": f"/compare?assets=bitcoin,{COMPANION}",
}
RANGE_MS, RANGE_BYTES = 150.0, 150_000


def visit(client: Any, page: str) -> DashPage:
    """A visit to `page` ("/analysis?asset=…") through the Flask test client."""
    path, _, query = page.partition("?")
    return DashPage(flask_transport(client), f"?{query}", path)


def companion(dataset: Dataset) -> None:
    """Write the set's ethereum companion once (a stamp file marks it done)."""
    stamp = DATA_DIR / f"{dataset.table}-{COMPANION}.done"
    if stamp.exists():
        return
    slot = max(dataset.slot_seconds, SIX_HOURS)
    days = -(-dataset.count * dataset.slot_seconds // DAY)
    points = demo.generate(COMPANION, days, END_TS, slot)[-(days * DAY // slot) :]
    counts = SnapshotStore(dataset.table, slot).put_history(points)
    print(f"  {dataset.table}: {COMPANION} companion, {counts.written:,} snapshots", flush=True)
    stamp.write_text(f"{counts.written} items\n")


def measure(page: str) -> dict[str, Any]:
    from dashboard.app import server
    from dashboard.timeranges import PRESETS

    client = server.test_client()
    visit(client, page).load()  # the worker's first visitor loads the histories
    page_visit = visit(client, page)
    page_visit.load()
    warm = total(page_visit.calls)
    presets = clicks(page_visit, [{PRESET_IDS: p} for _ in range(CLICK_ROUNDS) for p in PRESETS])
    return {"page_warm": warm, "preset": presets}


def rows_for(result: dict[str, Any]) -> list[list[str]]:
    rows = []
    for name in PAGES:
        warm, preset = result[name]["page_warm"], result[name]["preset"]
        rows += [
            [f"{name}: first visit, warm worker", report.ms(warm["ms"])],
            ["  bytes as sent (uncompressed)", _bytes(warm)],
            [f"{name}: preset click p50", report.ms(preset["action"]["p50_ms"])],
            [f"{name}: preset click p95", report.ms(preset["action"]["p95_ms"])],
            ["  slowest callback p95", report.ms(preset["callback"]["p95_ms"])],
            ["  bytes as sent, largest (uncompressed)", _bytes(preset["action"])],
        ]
    return rows


def _bytes(figures: dict[str, Any]) -> str:
    return f"{report.kb(figures['sent_bytes'])} ({report.kb(figures['bytes'])})"


def targets(results: dict[int, dict[str, Any]]) -> list[str]:
    """The overview's range-change targets, for each page at 10 years (the largest set run)."""
    size = 14_600 if 14_600 in results else max(results)
    lines = []
    for name in PAGES:
        preset = results[size][name]["preset"]
        for label, value, limit, unit in (
            ("slowest callback p95", preset["callback"]["p95_ms"], RANGE_MS, "ms"),
            ("whole click p95", preset["action"]["p95_ms"], RANGE_MS, "ms"),
            ("bytes as sent", preset["action"]["sent_bytes"] / 1000, RANGE_BYTES / 1000, "KB"),
        ):
            lines.append(report.verdict(f"{name} at {size:,}, {label}", value, limit, unit))
    return lines


def run(datasets: tuple[Dataset, ...], store_port: int) -> list[str]:
    """Measure every set (the store running on `store_port`) and return the section's
    Markdown lines; the tables are printed as they come."""
    results: dict[int, dict[str, Any]] = {}
    lines = ["", "### Analysis and compare pages", ""]
    for dataset in datasets:
        companion(dataset)
        print(f"bench: {dataset.table} — analysis and compare pages…", flush=True)
        child_env = {
            **client_env(store_port),
            "SNAPSHOT_TABLE": dataset.table,
            "ASSETS": ASSETS,
            "LOG_LEVEL": "WARNING",
        }
        results[dataset.count] = run_child("bench.pages", dataset.table, child_env)
        rows = rows_for(results[dataset.count])
        title = f"{dataset.count:,} snapshots ({dataset.label})"
        print(f"\n{title}\n{report.plain_table(['', 'project'], rows)}", flush=True)
        lines += [f"{title}:", "", report.markdown_table(["", "project"], rows), ""]
    checks = targets(results)
    print("\n".join(checks), flush=True)
    return [*lines, *[f"- {line}" for line in checks]]


def main(table: str) -> None:
    result: dict[str, Any] = {"side": "pages", "table": table}
    for name, page in PAGES.items():
        gc.collect()
        result[name] = measure(page)
    emit(result)


if __name__ == "__main__":
    os.environ.setdefault("ASSETS", ASSETS)
    main(sys.argv[1])
