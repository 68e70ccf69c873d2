"""When the headline and each chart reach the screen, recorded inside the page itself.

`install(driver)` asks Chromium (DevTools `Page.addScriptToEvaluateOnNewDocument`) to run a
small watcher in every page it opens from then on, before any of the page's own scripts.
The watcher checks once per animation frame, i.e. when the browser is about to paint: the
first frame in which a price card on screen shows a price (not the "—" placeholder): the
page's own, or the copy its HTML carries (dashboard/shell.py); and, per chart,
the first frame in which plotly has data points for it. Times are `performance.now()`
milliseconds, measured from the navigation's start, and are also left as Performance API
marks (`price-on-screen`, `<chart id>-drawn`) for anyone looking at a trace. `read(driver)`
returns them. Used by `make bench` (time to price / all charts) and the browser tests
(the cards come before any chart).
"""

from __future__ import annotations

import json
from typing import Any

from dashboard import ids
from dashboard.formatting import MISSING
from dashboard.shell import ID_PREFIX as SHELL_ID_PREFIX

PRICE = "price"
WATCHER = """
(() => {
    const marks = {};
    const charts = CHART_IDS;
    const priceIds = PRICE_IDS;
    const missing = MISSING_TEXT;
    window.__paintMarks = marks;
    function shows(id) {
        const plot = document.querySelector('#' + id + ' .js-plotly-plot');
        // Traces with points, calculated (WebGL traces keep one calcdata entry per trace).
        return !!(plot && plot.calcdata && plot._fullData &&
            plot._fullData.some(trace => trace.visible === true && trace._length > 1));
    }
    function note(name, now) {
        marks[name] = now;
        performance.mark(name === 'price' ? 'price-on-screen' : name + '-drawn');
    }
    function frame(now) {
        if (marks.price === undefined) {
            const shown = priceIds.map(id => document.getElementById(id)).some(price =>
                price && price.checkVisibility() && price.textContent.trim() &&
                price.textContent.trim() !== missing);
            if (shown) note('price', now);
        }
        for (const id of charts) {
            if (marks[id] === undefined && shows(id)) note(id, now);
        }
        if (marks.price === undefined || charts.some(id => marks[id] === undefined)) {
            requestAnimationFrame(frame);
        }
    }
    requestAnimationFrame(frame);
})();
"""
READ = "return window.__paintMarks ? JSON.stringify(window.__paintMarks) : null;"
# Resource and navigation timing, for the bench's account of where the time went.
TIMING = """
const nav = performance.getEntriesByType('navigation')[0];
const resources = performance.getEntriesByType('resource').map(entry => ({
    name: entry.name, start: entry.startTime, end: entry.responseEnd,
    bytes: entry.transferSize, body: entry.decodedBodySize,
}));
return JSON.stringify({
    response_end: nav.responseEnd, dom_content_loaded: nav.domContentLoadedEventEnd,
    load: nav.loadEventEnd, resources: resources,
});
"""


def watcher_source() -> str:
    return (
        WATCHER.replace("CHART_IDS", json.dumps(list(ids.CHARTS)))
        .replace("PRICE_IDS", json.dumps([ids.CARD_PRICE, SHELL_ID_PREFIX + ids.CARD_PRICE]))
        .replace("MISSING_TEXT", json.dumps(MISSING))
    )


def install(driver: Any) -> None:
    """Watch every page `driver` opens from now on (Chromium only)."""
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": watcher_source()})


def read(driver: Any) -> dict[str, float]:
    """The marks so far: "price" and each chart id that reached the screen, in ms."""
    raw = driver.execute_script(READ)
    return json.loads(raw) if raw else {}


def timing(driver: Any) -> dict[str, Any]:
    return json.loads(driver.execute_script(TIMING))


def complete(marks: dict[str, float]) -> bool:
    return PRICE in marks and all(chart in marks for chart in ids.CHARTS)
