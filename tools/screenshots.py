"""Regenerate the README's screenshots from a real browser: the overview (light and dark),
the analysis page and the compare page (docs/screenshot*.png).

Runs the product exactly as `make run` does — a throwaway dynalite, `python -m ingest
init-table` and `demo` for bitcoin and ethereum, then the gunicorn serving command — and
photographs each page with headless Debian Chromium:  .venv/bin/python -m tools.screenshots
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from selenium import webdriver

from dashboard import ids
from ingest.demo import SUGGESTED_DAYS
from tools import chromium
from tools.dynalite import ROOT, LocalStore, client_env, free_port
from tools.run_local import LOCAL_ASSETS

DOCS = ROOT / "docs"
OVERVIEW_QUERY = "?range=1Y&ma=30"
WIDTH, HEIGHT = 1400, 1000
MAX_HEIGHT = 3400
DEMO_DAYS = str(SUGGESTED_DAYS)
# True once the page's last chart to be drawn holds data (argument: its id).
READY_SCRIPT = """
const chart = document.getElementById(arguments[0]);
const plot = chart && chart.querySelector('.js-plotly-plot');
return !!(plot && plot.data && plot.data.length);
"""
# The theme switch is remembered across pages (local storage): read what the page shows.
DARK_SCRIPT = "return document.documentElement.getAttribute('data-bs-theme');"


@dataclass(frozen=True)
class Shot:
    path: Path
    page: str  # path and query
    ready: str  # the chart whose figure means the page is drawn
    dark: bool = False


def shots(overview_query: str) -> tuple[Shot, ...]:
    return (
        Shot(DOCS / "screenshot.png", f"/{overview_query}", ids.SUPPLY_CHART),
        Shot(DOCS / "screenshot-dark.png", f"/{overview_query}", ids.SUPPLY_CHART, dark=True),
        Shot(
            DOCS / "screenshot-analysis.png",
            "/analysis?asset=bitcoin&range=ALL&cycles=1",
            ids.SEASONALITY_CHART,
        ),
        Shot(
            DOCS / "screenshot-compare.png",
            "/compare?assets=bitcoin,ethereum&range=1Y",
            ids.CORRELATION_CHART,
        ),
    )


def _wait_http(url: str, server: subprocess.Popen, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and server.poll() is None:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 (loopback http)
                return
        except (urllib.error.URLError, OSError):
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer (server exit code {server.poll()})")


def _browser() -> webdriver.Chrome:
    return chromium.start("--hide-scrollbars", f"--window-size={WIDTH},{HEIGHT}")


def _photograph(driver: webdriver.Chrome, base: str, shot: Shot) -> None:
    driver.get(base + shot.page)
    deadline = time.monotonic() + 30
    while not driver.execute_script(READY_SCRIPT, shot.ready):
        if time.monotonic() > deadline:
            raise RuntimeError(f"{shot.page} did not render its charts within 30 s")
        time.sleep(0.2)
    if shot.dark != (driver.execute_script(DARK_SCRIPT) == "dark"):
        driver.find_element_by_css_selector(f"label[for='{ids.THEME_SWITCH}']").click()
        time.sleep(1.5)
    time.sleep(1.0)  # let plotly finish its resize after the last layout change
    # Emulate a viewport as tall as the page (the window cannot outgrow the virtual screen);
    # charts resize as it grows, so repeat until the height is stable.
    height = 0
    for _ in range(4):
        page = int(driver.execute_script("return document.documentElement.scrollHeight"))
        if page == height:
            break
        height = min(max(page, HEIGHT), MAX_HEIGHT)
        metrics = {"width": WIDTH, "height": height, "deviceScaleFactor": 1, "mobile": False}
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
        time.sleep(1.0)
    driver.save_screenshot(str(shot.path))
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    print(f"wrote {shot.path.relative_to(ROOT)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.screenshots", description=__doc__)
    parser.add_argument("--query", default=OVERVIEW_QUERY, help="the overview's view")
    args = parser.parse_args(argv)
    port = free_port()
    with tempfile.TemporaryDirectory() as data, LocalStore(path=Path(data)) as store:
        env = {
            **os.environ,
            **client_env(store.port),
            "HOST": "127.0.0.1",
            "PORT": str(port),
            "SNAPSHOT_TABLE": "bitcoin-snapshots",
            "ASSETS": LOCAL_ASSETS,
            "WEB_CONCURRENCY": "1",
        }
        for step in (["init-table"], ["demo", "--days", DEMO_DAYS]):
            subprocess.run([sys.executable, "-m", "ingest", *step], env=env, cwd=ROOT, check=True)
        command = ["-m", "gunicorn", "-c", "dashboard/gunicorn_conf.py", "dashboard.app:server"]
        server = subprocess.Popen([sys.executable, *command], env=env, cwd=ROOT)
        try:
            base = f"http://127.0.0.1:{port}"
            _wait_http(f"{base}/readyz", server)
            driver = _browser()
            try:
                for shot in shots(args.query):
                    _photograph(driver, base, shot)
            finally:
                driver.quit()
        finally:
            server.terminate()
            server.wait(timeout=15)
    return 0


if __name__ == "__main__":
    sys.exit(main())
