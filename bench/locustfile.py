"""Locust users for `make load`: visitors who open the dashboard, click presets and zoom.

Each simulated user replays what a browser sends on the overview (bench.dash_client): a page
load is the HTML, layout and callback map plus the initial callbacks of the page's own
components; a preset click or a date-range zoom is the state callback, then the cards and
statistics (`render`), one callback per chart (`charts`) and those that follow the view (the
CSV link, the navigation: `follow_view`); a chart zoom is the zoom callback, which re-samples
every chart; the page's refresh timer re-renders the cards. Think time between actions is
1-3 s, an analyst clicking through ranges.
"""

from __future__ import annotations

import random

import pandas as pd
from locust import HttpUser, between, task
from locust.exception import RescheduleTask

from bench.dash_client import DashPage

PRESETS = ("24H", "7D", "1M", "3M", "1Y", "YTD", "ALL")


class Visitor(HttpUser):
    wait_time = between(1, 3)

    def send(
        self, name: str, path: str, body: bytes | None, headers: dict[str, str]
    ) -> tuple[int, bytes, int]:
        if body is None:
            response = self.client.get(path, name=name, headers=headers)
        else:
            headers = {**headers, "Content-Type": "application/json"}
            response = self.client.post(path, data=body, headers=headers, name=name)
        if response.content is None or response.status_code >= 400:
            raise RescheduleTask  # Locust has counted the failure; this user's action ends
        # requests asks for gzip and decodes it; Content-Length is the compressed size.
        sent = int(response.headers.get("Content-Length") or len(response.content))
        return response.status_code, response.content, sent

    def on_start(self) -> None:
        self.open_page()

    @task(2)
    def open_page(self) -> None:
        self.page = DashPage(self.send)
        self.page.load()
        self.last = pd.Timestamp(self.page.props[("date-range", "max_date_allowed")])

    @task(8)
    def click_preset(self) -> None:
        self.page.set({("range-preset", "value"): random.choice(PRESETS)})

    @task(4)
    def pick_week(self) -> None:
        end = self.last - pd.Timedelta(days=random.randint(7, 3000))
        start = end - pd.Timedelta(days=7)
        self.page.set(
            {
                ("date-range", "start_date"): f"{start:%Y-%m-%d}",
                ("date-range", "end_date"): f"{end:%Y-%m-%d}",
            }
        )

    @task(4)
    def zoom_chart(self) -> None:
        end = self.last - pd.Timedelta(days=random.randint(7, 3000))
        start = end - pd.Timedelta(days=7)
        # What the page's clientside callback stores for a zoom (dashboard/callbacks/zoom.py).
        self.page.set({("chart-zoom", "data"): {"range": [f"{start:%Y-%m-%d}", f"{end:%Y-%m-%d}"]}})

    @task(1)
    def timer_tick(self) -> None:
        """The page's refresh timer (CACHE_TTL_SECONDS, 60 s): about one tick per 20 actions."""
        ticks = self.page.props.get(("refresh-timer", "n_intervals")) or 0
        self.page.set({("refresh-timer", "n_intervals"): ticks + 1})
