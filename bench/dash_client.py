"""Just enough of Dash's browser renderer to replay page loads and clicks without a browser.

It reads the app's callback map (/_dash-dependencies) and initial layout (/_dash-layout), keeps
every component property the way the renderer does, and POSTs to /_dash-update-component the
same body the renderer sends (output, outputs, inputs and state with current values,
changedPropIds), applying each response so the next callback sees what the page would show.
Works with a Flask test client (bench, in-process timing) and with Locust's HTTP client.
"""

from __future__ import annotations

import gzip
import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

UPDATE_PATH = "/_dash-update-component"
# Short names for reports: a callback is known by the control it listens to; those that
# follow the view are told apart by what they draw (charts, the page's cards and panels, or
# the small things that follow it: the CSV link, the navigation, the Mayer multiple).
CALLBACK_NAMES = (
    ("range-preset", "sync_state"),
    ("chart-zoom", "sync_zoom"),
    ("refresh-timer", "timer"),
    ("view-window", "render"),
    ("view-state", "follow_view"),
)
CHART_CALLBACK = "charts"

# (name, path, body or None for GET, headers) -> (status, response body, bytes as sent)
Transport = Callable[[str, str, bytes | None, dict[str, str]], tuple[int, bytes, int]]
# What a browser's requests say; the app compresses for clients that accept it.
ACCEPT_ENCODING = {"Accept-Encoding": "gzip"}


@dataclass(frozen=True)
class Call:
    """One HTTP exchange of a page: what was asked, how long the server took, how big."""

    name: str
    seconds: float
    bytes: int  # the response body (uncompressed JSON or HTML)
    sent_bytes: int  # what went over the wire (gzip, as the app compresses it)
    status: int


def flask_transport(client: Any) -> Transport:
    """A Transport over a Flask test client (in-process, so timing is server time, including
    the compression a browser's Accept-Encoding asks for)."""

    def send(
        name: str, path: str, body: bytes | None, headers: dict[str, str]
    ) -> tuple[int, bytes, int]:
        headers = {**headers, **ACCEPT_ENCODING}
        if body is None:
            response = client.get(path, headers=headers)
        else:
            response = client.post(
                path, data=body, content_type="application/json", headers=headers
            )
        sent = response.get_data()
        if response.headers.get("Content-Encoding") == "gzip":
            return response.status_code, gzip.decompress(sent), len(sent)
        return response.status_code, sent, len(sent)

    return send


def _outputs(spec: str) -> list[tuple[str, str]]:
    """("id", "property") pairs of a callback's output string ("..a.b...c.d.." or "a.b")."""
    parts = spec[2:-2].split("...") if spec.startswith("..") else [spec]
    pairs = [part.rsplit(".", 1) for part in parts]
    # "figure@<hash>" marks an allow_duplicate output; the property is "figure".
    return [(component, prop.split("@")[0]) for component, prop in pairs]


def _walk(node: Any, props: dict[tuple[str, str], Any]) -> None:
    if isinstance(node, list):
        for child in node:
            _walk(child, props)
    elif isinstance(node, dict) and "props" in node:
        component_id = node["props"].get("id")
        for name, value in node["props"].items():
            if isinstance(component_id, str):
                props[(component_id, name)] = value
            _walk(value, props)


class DashPage:
    """One visitor's page (`path`, opened with query string `search`): its component state
    and the calls made so far."""

    def __init__(self, send: Transport, search: str = "", path: str = "/") -> None:
        self.send = send
        self.calls: list[Call] = []
        self.props: dict[tuple[str, str], Any] = {}
        self.callbacks: list[dict[str, Any]] = []
        self.search = search
        self.path = path

    def _request(self, name: str, path: str, body: bytes | None = None) -> bytes:
        # What a browser sends: the page itself as the referrer of its own requests (the
        # layout draws the page opened from it).
        page = f"{self.path}{self.search}"
        headers = {} if path == page else {"Referer": f"http://localhost{page}"}
        started = time.perf_counter()
        status, data, sent = self.send(name, path, body, headers)
        seconds = time.perf_counter() - started
        self.calls.append(Call(name, seconds, len(data), sent, status))
        if status not in (200, 204):
            raise RuntimeError(f"{name}: HTTP {status} from {path}")
        return data

    def load(self) -> None:
        """GET the page, its layout and callback map, then run the initial callbacks: only
        those whose outputs the page holds, as a browser does (the other pages' callbacks
        are in the map too)."""
        self._request(f"GET {self.path}", f"{self.path}{self.search}")
        _walk(json.loads(self._request("GET /_dash-layout", "/_dash-layout")), self.props)
        shown = {component for component, _ in self.props}
        callbacks = json.loads(self._request("GET /_dash-dependencies", "/_dash-dependencies"))
        self.callbacks = [
            cb
            for cb in callbacks
            if not cb.get("clientside_function")  # not replayed: they run in the browser
            and all(c in shown for c, _ in _outputs(cb["output"]))
        ]
        self.props[("url", "search")] = self.search
        self.props[("url", "pathname")] = self.path
        first = [cb for cb in self.callbacks if self._fires_initially(cb)]
        self.fire_chain(first, changed=())

    @staticmethod
    def _server_initial(callback: dict[str, Any]) -> bool:
        prevented = callback["prevent_initial_call"] is True
        return not callback.get("clientside_function") and not prevented

    def _fires_initially(self, callback: dict[str, Any]) -> bool:
        """Server callbacks not prevented, except those waiting for another one's output
        (the renderer runs those after it). Clientside callbacks are not replayed."""
        if not self._server_initial(callback):
            return False
        produced = {
            o
            for cb in self.callbacks
            if cb is not callback and self._server_initial(cb)
            for o in _outputs(cb["output"])
        }
        return not any((i["id"], i["property"]) in produced for i in callback["inputs"])

    def set(self, changes: dict[tuple[str, str], Any]) -> None:
        """A user action: set properties and run every callback they trigger, in order."""
        self.props.update(changes)
        triggered = [cb for cb in self.callbacks if self._listens(cb, changes)]
        self.fire_chain(triggered, changed=tuple(changes))

    def _listens(self, callback: dict[str, Any], changed: Iterable[tuple[str, str]]) -> bool:
        if callback.get("clientside_function"):
            return False
        inputs = {(i["id"], i["property"]) for i in callback["inputs"]}
        return bool(inputs & set(changed))

    def fire_chain(
        self, callbacks: list[dict[str, Any]], changed: Iterable[tuple[str, str]]
    ) -> None:
        for callback in callbacks:
            updated = self._fire(callback, changed)
            # A callback's outputs trigger the callbacks that listen to them (not itself).
            followers = [
                cb for cb in self.callbacks if cb is not callback and self._listens(cb, updated)
            ]
            if followers:
                self.fire_chain(followers, changed=updated)

    def _fire(
        self, callback: dict[str, Any], changed: Iterable[tuple[str, str]]
    ) -> list[tuple[str, str]]:
        def values(deps: list[dict[str, str]]) -> list[dict[str, Any]]:
            return [{**d, "value": self.props.get((d["id"], d["property"]))} for d in deps]

        outputs = [{"id": i, "property": p} for i, p in _outputs(callback["output"])]
        body = {
            "output": callback["output"],
            "outputs": outputs if callback["output"].startswith("..") else outputs[0],
            "inputs": values(callback["inputs"]),
            "state": values(callback["state"]),
            "changedPropIds": [f"{i}.{p}" for i, p in changed],
        }
        inputs = {i["id"] for i in callback["inputs"]}
        short = next((n for i, n in CALLBACK_NAMES if i in inputs), "+".join(sorted(inputs)))
        if ".figure" in callback["output"] and short in ("render", "follow_view"):
            short = CHART_CALLBACK
        name = f"POST {UPDATE_PATH} ({short})"
        data = self._request(name, UPDATE_PATH, json.dumps(body).encode())
        if not data:
            return []  # 204: PreventUpdate
        updated = []
        for component_id, props in json.loads(data).get("response", {}).items():
            for prop, value in props.items():
                self.props[(component_id, prop.split("@")[0])] = value
                updated.append((component_id, prop.split("@")[0]))
        return updated
