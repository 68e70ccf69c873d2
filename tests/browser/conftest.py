"""Browser-test setup: headless Debian Chromium (tools/chromium.py) driven by dash_duo, the
app on a free port."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from selenium.webdriver.chrome.options import Options

from ingest.store import SnapshotStore
from tests.browser import pages_seed, seed
from tools import chromium
from tools.dynalite import free_port


def pytest_configure(config: pytest.Config) -> None:
    # dash's plugin reads --headless; CI machines have no display, so always run headless.
    config.option.headless = True


def pytest_setup_options() -> Options:
    return chromium.options(chromium.DESKTOP_WINDOW)


@pytest.fixture
def start_dashboard(dash_duo, monkeypatch: pytest.MonkeyPatch) -> Callable[..., object]:
    """Build a fresh app against the current environment and open it in the browser."""

    def start(query: str = "") -> object:
        from dashboard import data
        from dashboard.app import create_app

        data.reset_repository()
        app = create_app()
        dash_duo.start_server(app, port=free_port())
        if query:
            dash_duo.driver.get(f"{dash_duo.server_url}/{query}")
        return dash_duo

    return start


@pytest.fixture
def seeded_table(dynalite_table):
    seed.write(dynalite_table, seed.history(seed.DAYS))
    return dynalite_table


@pytest.fixture
def two_assets(dynalite_table, monkeypatch):
    """bitcoin's 250 hand-checked days and ethereum's last 10 (pages_seed), both indexed."""
    monkeypatch.setenv("ASSETS", "bitcoin,ethereum")
    monkeypatch.setenv("STALE_AFTER_HOURS", "48")  # the newest snapshot is the last 18:00
    store = SnapshotStore(dynalite_table.name, int(seed.SLOT.total_seconds()))
    store.put_history(pages_seed.bitcoin())
    store.put_history(pages_seed.ethereum())
    return dynalite_table
