"""Headless Debian Chromium as the browser tests, the browser bench and the screenshots start
it: one list of switches, so a measured page and a tested page run in the same browser.

selenium 3.141 (what dash[testing] pins) predates urllib3 2: its HTTP connection needs an
explicit timeout or every driver command fails with "Timeout value connect was <object…>".
"""

from __future__ import annotations

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.remote.remote_connection import RemoteConnection

HEADLESS_ARGS: tuple[str, ...] = (
    "--headless=new",
    "--no-sandbox",  # root in a container
    "--disable-gpu",
    "--disable-dev-shm-usage",  # a small /dev/shm in CI containers
    "--disable-background-networking",  # nothing may reach the internet
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)
DESKTOP_WINDOW = "--window-size=1400,1000"

RemoteConnection.set_timeout(60)


def options(*extra: str) -> Options:
    """The shared switches, then the caller's (a window size, a profile directory)."""
    chosen = Options()
    for argument in (*HEADLESS_ARGS, *extra):
        chosen.add_argument(argument)
    return chosen


def start(*extra: str) -> webdriver.Chrome:
    return webdriver.Chrome(options=options(*extra))
