"""A gunicorn worker's background thread: load the history before visitors come, then keep
the cache following the store while nobody visits.

`warm` loads every configured asset (and the asset index) so a fresh worker's first visitor
does not wait a cold load; with `until_ready` it keeps trying once per TTL while the store is
down, because the task reports ready (`/readyz`) only once its cache is loaded. Refreshes are
otherwise started by visitors (stale-while-revalidate), so a worker nobody asked for an hour
would answer its next visitor with an hour-old "latest" price: `keep_fresh` asks once per TTL
instead, and the next visitor finds the cache current. Neither ever raises.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from dashboard.data import SnapshotRepository, get_repository

log = logging.getLogger(__name__)

# A cache TTL of 0 would make the keep-fresh loop spin.
MIN_PAUSE_SECONDS = 1.0

Sleep = Callable[[float], None]


def _pause(repository: SnapshotRepository) -> float:
    return max(repository.ttl_seconds, MIN_PAUSE_SECONDS)


def warm(
    repository: SnapshotRepository | None = None,
    *,
    until_ready: bool = False,
    sleep: Sleep = time.sleep,
) -> None:
    """Load every configured asset into the cache (see the module's docstring)."""
    started = time.perf_counter()
    try:
        repository = repository or get_repository()
        while True:
            repository.assets()
            errors = {a: repository.load(a).store_error for a in repository.configured_assets}
            if repository.ready:
                break
            for asset, error in errors.items():
                if error:
                    log.warning("could not warm the cache for %s: %s", asset, error)
            if not until_ready:
                return
            sleep(_pause(repository))
    except Exception:
        log.exception("warming the snapshot cache failed")
        return
    seconds = time.perf_counter() - started
    warmed = ", ".join(repository.configured_assets)
    log.info("warmed the snapshot cache for [%s] in %.2f s", warmed, seconds)


def keep_fresh(
    repository: SnapshotRepository, *, sleep: Sleep = time.sleep, rounds: int | None = None
) -> None:
    """Once per TTL, ask for every configured asset and the asset index, which starts their
    background refreshes when due (forever, or `rounds` times)."""
    done = 0
    while rounds is None or done < rounds:
        sleep(_pause(repository))
        try:
            repository.assets()
            for asset in repository.configured_assets:
                repository.load(asset)
        except Exception:
            log.exception("keeping the snapshot cache fresh failed; trying again")
        done += 1


def run(sleep: Sleep = time.sleep) -> None:
    """What gunicorn's post_worker_init starts in a daemon thread: warm until ready, then keep
    the cache fresh for the worker's life."""
    try:
        repository = get_repository()
    except Exception:
        log.exception("warming the snapshot cache failed")
        return
    warm(repository, until_ready=True, sleep=sleep)
    keep_fresh(repository, sleep=sleep)
