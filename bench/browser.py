"""What a visitor waits for, in headless Chromium: `python -m bench.browser TABLE`.

Serves the dashboard as production does (gunicorn, dashboard/gunicorn_conf.py, workers
warmed) on loopback against the dataset's table, opens `/` in headless Debian Chromium and
reads the page's own paint marks (tools/paint_marks.py): the frame in which the price card
first shows a price, and the frame in which the last of the four charts first holds data.

Cold browser cache: each run is a new Chromium with an empty profile (nothing cached, no
compiled scripts). Warm: one Chromium opens the page once, then again for each run (HTTP
cache and V8's code cache filled, as for a returning visitor). Medians of the runs, with
every run kept in the raw results.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from typing import Any

from selenium import webdriver

from bench.datasets import DATA_DIR
from bench.measure import emit
from bench.serve import serving
from dashboard import ids
from tools import chromium, paint_marks
from tools.dynalite import free_port

RUNS = int(os.environ.get("BENCH_BROWSER_RUNS", "5"))
PAGE_TIMEOUT = 120.0
WARM_UP_TIMEOUT = 900.0  # two workers reading a million snapshots at once on 2 cores


def browser(profile: str) -> webdriver.Chrome:
    driver = chromium.start(chromium.DESKTOP_WINDOW, f"--user-data-dir={profile}")
    paint_marks.install(driver)
    return driver


def open_page(driver: webdriver.Chrome, url: str) -> dict[str, Any]:
    """Navigate and wait until the price and every chart are on screen; the marks in ms."""
    driver.get("about:blank")
    driver.get(url)
    deadline = time.monotonic() + PAGE_TIMEOUT
    while not paint_marks.complete(marks := paint_marks.read(driver)):
        if time.monotonic() > deadline:
            raise SystemExit(f"the page did not draw everything in {PAGE_TIMEOUT:.0f} s: {marks}")
        time.sleep(0.05)
    return {
        "price_ms": marks[paint_marks.PRICE],
        "charts_ms": max(marks[chart] for chart in ids.CHARTS),
        "first_chart_ms": min(marks[chart] for chart in ids.CHARTS),
        "marks": marks,
        "timing": paint_marks.timing(driver),
    }


def cold_run(url: str) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="bench-chromium-") as profile:
        driver = browser(profile)
        try:
            return open_page(driver, url)
        finally:
            driver.quit()


def warm_runs(url: str, runs: int) -> list[dict[str, Any]]:
    with tempfile.TemporaryDirectory(prefix="bench-chromium-") as profile:
        driver = browser(profile)
        try:
            open_page(driver, url)  # the first visit fills the cache
            return [open_page(driver, url) for _ in range(runs)]
        finally:
            driver.quit()


def medians(runs: list[dict[str, Any]]) -> dict[str, Any]:
    keys = ("price_ms", "first_chart_ms", "charts_ms")
    return {**{key: statistics.median(r[key] for r in runs) for key in keys}, "runs": runs}


def main(table_name: str) -> None:
    env = {**os.environ, "PORT": str(free_port()), "LOG_LEVEL": "INFO"}
    log_path = DATA_DIR / f"gunicorn-browser-{table_name}.log"
    with serving(env, log_path, warm_timeout=WARM_UP_TIMEOUT) as base:
        url = f"{base}/"
        cold = [cold_run(url) for _ in range(RUNS)]
        warm = warm_runs(url, RUNS)
    emit({"side": "browser", "table": table_name, "cold": medians(cold), "warm": medians(warm)})


if __name__ == "__main__":
    main(sys.argv[1])
