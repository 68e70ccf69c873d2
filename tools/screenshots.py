"""Regenerate docs/screenshot.png (light) and docs/screenshot-dark.png from a real browser.

Runs the product exactly as `make run` does — a throwaway dynalite, `python -m ingest
init-table` and `demo`, then the gunicorn serving command — and photographs the page with
headless Debian Chromium:  .venv/bin/python -m tools.screenshots
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
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.remote.remote_connection import RemoteConnection

from dashboard import ids
from ingest.demo import SUGGESTED_DAYS
from tools.dynalite import ROOT, LocalStore, client_env, free_port

DOCS = ROOT / "docs"
SHOTS = {"light": DOCS / "screenshot.png", "dark": DOCS / "screenshot-dark.png"}
WIDTH, HEIGHT = 1400, 1000
MAX_HEIGHT = 2600
DEMO_DAYS = str(SUGGESTED_DAYS)
# True once the cards and the price chart hold data (arguments: their ids).
READY_SCRIPT = """
const price = document.getElementById(arguments[0]);
const chart = document.getElementById(arguments[1]);
const plot = chart && chart.querySelector('.js-plotly-plot');
return !!(price && price.textContent !== '—' && plot && plot.data && plot.data.length);
"""


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
    RemoteConnection.set_timeout(60)  # selenium 3.141 vs urllib3 2, see tests/browser/conftest.py
    options = webdriver.ChromeOptions()
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--hide-scrollbars",
        f"--window-size={WIDTH},{HEIGHT}",
    ):
        options.add_argument(argument)
    return webdriver.Chrome(options=options)


def _photograph(driver: webdriver.Chrome, url: str, dark: bool, path: Path) -> None:
    driver.get(url)
    deadline = time.monotonic() + 30
    while not driver.execute_script(READY_SCRIPT, ids.CARD_PRICE, ids.PRICE_CHART):
        if time.monotonic() > deadline:
            raise RuntimeError("the dashboard did not render its charts within 30 s")
        time.sleep(0.2)
    if dark:
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
    driver.save_screenshot(str(path))
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    print(f"wrote {path.relative_to(ROOT)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.screenshots", description=__doc__)
    parser.add_argument("--query", default="?range=1Y&ma=30", help="view to photograph")
    args = parser.parse_args(argv)
    port = free_port()
    with tempfile.TemporaryDirectory() as data, LocalStore(path=Path(data)) as store:
        env = {
            **os.environ,
            **client_env(store.port),
            "HOST": "127.0.0.1",
            "PORT": str(port),
            "SNAPSHOT_TABLE": "bitcoin-snapshots",
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
                for theme, path in SHOTS.items():
                    _photograph(driver, f"{base}/{args.query}", theme == "dark", path)
            finally:
                driver.quit()
        finally:
            server.terminate()
            server.wait(timeout=15)
    return 0


if __name__ == "__main__":
    sys.exit(main())
