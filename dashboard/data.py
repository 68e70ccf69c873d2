"""Each worker's cache of snapshot frames, refreshed in the background so no visitor waits.

A worker loads an asset's whole history once (gunicorn's `post_worker_init` does it for the
configured assets before the task reports ready), then serves it from memory. When the cache
is older than its TTL, the next caller still gets the cached frame at once and a background
thread asks the store for what is new — one refresh at a time per asset, so a slow or hung
store costs visitors nothing but the banner (stale-while-revalidate). Every few hours the
refresh re-reads the whole history instead, so rows written behind the newest one (a backfill)
appear too. Any failed attempt, for any reason, still sets the retry time: a broken store or
table costs one Query per TTL, never one per callback. Only assets the dashboard knows (the
configured ones and those listed in the asset index) get a cache entry or a Query.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from botocore.config import Config

from dashboard import config, decimals, dynamo
from dashboard.asset_index import AssetIndex
from dashboard.dynamo import STORE_FAULTS, UNREACHABLE, StoreUnavailable
from dashboard.frames import concat, empty_frame
from ingest.schema import SORT_KEY

__all__ = ["UNREACHABLE", "LoadResult", "SnapshotRepository", "StoreUnavailable", "empty_frame"]

log = logging.getLogger(__name__)

# How often the whole history is re-read; a 10-year history takes about a second, in the
# background, once per worker per 6 hours.
FULL_RELOAD_SECONDS = 6 * 3600
# What a visitor reads when a load failed for a reason other than the store (a bug, a row
# no rule foresaw); the traceback is in the log.
READ_FAILED = (
    "The snapshots could not be read just now; the problem has been logged and the "
    "dashboard retries shortly."
)


@dataclass(frozen=True)
class LoadResult:
    frame: pd.DataFrame
    store_error: str | None
    # column → {ts: exact text} for stored decimals the frame's floats cannot reproduce.
    decimals: Mapping[str, Mapping[int, str]] = field(default_factory=dict)


@dataclass
class _Cached:
    lock: threading.Lock = field(default_factory=threading.Lock)
    frame: pd.DataFrame | None = None  # None until a load succeeded
    overrides: decimals.Overrides = field(default_factory=dict)
    checked_at: float = -math.inf  # clock() when the last attempt ended, successful or not
    full_at: float = -math.inf  # clock() when the whole history was last read
    error: str | None = None
    refreshing: bool = False  # a background refresh is out


def start_daemon(name: str, work: Callable[[], None]) -> None:
    threading.Thread(target=work, name=name, daemon=True).start()


class SnapshotRepository:
    """One worker's view of the snapshot table: a cached frame per known asset.

    Thread-safe for gunicorn's gthread workers. A first load holds the asset's lock, so
    callers arriving meanwhile wait and share its result instead of repeating the Query;
    after that, callers never wait on the store. Each thread builds its own low-level
    clients (boto3 sessions are not thread-safe to build from); `client_factory` lets tests
    point them elsewhere or record their calls, and `spawn` lets them run refreshes inline.
    """

    def __init__(
        self,
        table_name: str,
        ttl_seconds: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
        assets: Sequence[str] = (),
        client_factory: Callable[[Config], Any] | None = None,
        full_reload_seconds: float = FULL_RELOAD_SECONDS,
        spawn: Callable[[str, Callable[[], None]], None] = start_daemon,
    ) -> None:
        self.table_name = table_name
        self.ttl_seconds = ttl_seconds
        self.full_reload_seconds = full_reload_seconds
        self.configured_assets = tuple(assets)
        self._clock = clock
        self._wall_clock = wall_clock
        self._client_factory = client_factory or dynamo.new_client
        self._spawn = spawn
        self._local = threading.local()
        self._cache: dict[str, _Cached] = {}
        self._cache_lock = threading.Lock()
        self._index = AssetIndex(
            table_name,
            ttl_seconds,
            self.configured_assets,
            clock=clock,
            client=self._client,
            background=self._background,
            on_fault=lambda exc: _message(exc, "the asset index", table_name),
        )

    # -- store access ------------------------------------------------------------------------

    def _client(self, boto_config: Config = dynamo.BOTO_CONFIG) -> Any:
        """This thread's DynamoDB client for `boto_config` (one per config, built on first use)."""
        clients: dict[int, Any] = self._local.__dict__.setdefault("clients", {})
        client = clients.get(id(boto_config))
        if client is None:
            client = dynamo.with_raw_items(self._client_factory(boto_config))
            clients[id(boto_config)] = client
        return client

    def _query_frame(
        self, asset: str, after: int | None
    ) -> tuple[pd.DataFrame, decimals.Overrides]:
        return dynamo.read_snapshots(
            self._client(), self.table_name, asset, after, self._wall_clock()
        )

    # -- snapshots ---------------------------------------------------------------------------

    def _entry(self, asset: str) -> _Cached:
        with self._cache_lock:
            return self._cache.setdefault(asset, _Cached())

    def load(self, asset: str) -> LoadResult:
        """The asset's snapshots as cached now; a refresh starts in the background when the
        cache is older than the TTL. Only a worker's very first load of an asset waits for
        the store. An asset the dashboard does not know gets an empty frame, no Query."""
        if asset not in self.assets():
            log.info("not loading unknown asset %r", asset[:100])
            return LoadResult(empty_frame(), None)
        entry = self._entry(asset)
        with entry.lock:
            due = self._clock() - entry.checked_at >= self.ttl_seconds
            if entry.frame is None:
                if due:
                    self._first_load(entry, asset)
                return self._result(entry)
            refresh = due and not entry.refreshing
            if not refresh:
                return self._result(entry)
            entry.refreshing = True
        self._background(f"refresh-{asset}", lambda: self._refresh(entry, asset))
        with entry.lock:
            return self._result(entry)

    def _background(self, name: str, work: Callable[[], None]) -> None:
        """Start `work`; if no thread can be started, run it here rather than never again."""
        try:
            self._spawn(name, work)
        except RuntimeError:
            log.warning("could not start %s in the background; running it inline", name)
            work()

    def _first_load(self, entry: _Cached, asset: str) -> None:
        """The whole history, read while the caller holds entry.lock."""
        started = self._clock()
        try:
            frame, overrides = self._query_frame(asset, after=None)
        except Exception as exc:  # any failure must still set the retry time
            entry.error = _message(exc, asset, self.table_name)
        else:
            entry.frame, entry.overrides = frame, overrides
            entry.full_at, entry.error = started, None
            seconds = self._clock() - started
            log.info("%s: loaded %d snapshots in %.2f s", asset, len(frame), seconds)
        entry.checked_at = self._clock()

    def _refresh(self, entry: _Cached, asset: str) -> None:
        """Ask for what is new (or, when due, the whole history again) without holding the
        lock, then swap the result in. Runs in the background, one per asset at a time."""
        started = self._clock()
        error = None
        try:
            with entry.lock:
                cached = entry.frame if entry.frame is not None else empty_frame()
                full = cached.empty or started - entry.full_at >= self.full_reload_seconds
            after = None if full else int(cached[SORT_KEY].iloc[-1])
            fresh, overrides = self._query_frame(asset, after=after)
            with entry.lock:
                if full:
                    entry.frame, entry.overrides, entry.full_at = fresh, overrides, started
                elif not fresh.empty:
                    entry.frame = concat([cached, fresh])
                    entry.overrides = decimals.merge(entry.overrides, overrides)
            if full:
                log.info("%s: re-read %d snapshots", asset, len(fresh))
            elif not fresh.empty:
                log.info("%s: %d new snapshots", asset, len(fresh))
        except Exception as exc:  # any failure must still set the retry time
            error = _message(exc, asset, self.table_name)
        finally:
            with entry.lock:
                entry.error = error
                entry.checked_at = self._clock()
                entry.refreshing = False

    @staticmethod
    def _result(entry: _Cached) -> LoadResult:
        frame = entry.frame if entry.frame is not None else empty_frame()
        return LoadResult(frame=frame, store_error=entry.error, decimals=entry.overrides)

    def assets(self) -> list[str]:
        """Assets to offer: the configured ones first, then any other the asset index lists
        (`dashboard.asset_index`; never waits on the store once read)."""
        return self._index.assets()

    # -- health ------------------------------------------------------------------------------

    def cached(self, asset: str) -> tuple[pd.DataFrame | None, str | None]:
        """(the frame held for `asset`, or None before its first load; the last error),
        without loading or refreshing anything."""
        with self._cache_lock:
            entry = self._cache.get(asset)
        return (None, None) if entry is None else (entry.frame, entry.error)

    @property
    def ready(self) -> bool:
        """True once every configured asset has been loaded (an empty table counts)."""
        return all(self.cached(asset)[0] is not None for asset in self.configured_assets)

    def check(self) -> float | None:
        """Age in seconds of the newest real snapshot of the first configured asset (None:
        none), asking the store now, bounded by the probe's short timeouts; raises
        StoreUnavailable."""
        asset = self.configured_assets[0] if self.configured_assets else "bitcoin"
        now = self._wall_clock()
        client = self._client(dynamo.PROBE_CONFIG)
        newest = dynamo.newest_real_snapshot(client, self.table_name, asset, now)
        return None if newest is None else max(0.0, now - newest)


def _message(exc: Exception, what: str, table_name: str) -> str:
    """What a visitor reads about a failed read; unexpected failures are logged in full."""
    if isinstance(exc, StoreUnavailable):
        return str(exc)
    if isinstance(exc, STORE_FAULTS):
        return str(dynamo.describe(exc, table_name))
    log.exception("reading %s failed", what)
    return READ_FAILED


_repository: SnapshotRepository | None = None
_repository_lock = threading.Lock()


def get_repository() -> SnapshotRepository:
    """The worker's repository, built on first use from the environment."""
    global _repository
    with _repository_lock:
        if _repository is None:
            settings = config.load()
            _repository = SnapshotRepository(
                settings.store.table_name,
                settings.cache_ttl_seconds,
                assets=settings.store.assets,
            )
        return _repository


def reset_repository() -> None:
    """Forget the worker's repository (tests, or after the environment changed)."""
    global _repository
    with _repository_lock:
        _repository = None
