"""Snapshots of one asset as a pandas frame, cached per worker and refreshed incrementally.

Reads are DynamoDB Queries on the key (never a Scan), paginated, projected to the fields the
dashboard shows. After the first load a refresh asks only for items newer than the newest
cached one, so an idle refresh is one small Query. Store faults never raise out of `load`:
the caller gets the cached frame plus a plain message for the banner. `warm` loads every
configured asset in the background when a gunicorn worker starts, so visitors after it find
the history loaded.

Why the Query pages skip botocore's parser: walking every AttributeValue through botocore's
shape model and boto3's Decimal deserializer was ~80 % of a cold load (the cost is per
attribute, CPU in the worker, and real DynamoDB does not remove it). A `before-parse` hook,
registered only on this module's clients, json-decodes each 200 Query body, sets its Items
aside and hands botocore the small rest (Count, LastEvaluatedKey…) to parse. The items stay
in DynamoDB's wire form (`{"N": "97123.45"}`) and their "N" strings become float64 columns a
page at a time, so a long history never sits in memory as millions of dicts.

Every item passes the schema's rules: those that are plainly well-formed (numbers, string
labels, known source, a price, whole-second times) are taken as they are; anything else is
deserialized like boto3's resource would and handed to `Snapshot.from_item`, which keeps or
rejects it.
"""

from __future__ import annotations

import json
import logging
import math
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import boto3
import numpy as np
import pandas as pd
from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from dashboard import config
from ingest.schema import (
    ASSET_INDEX_ATTRIBUTE,
    ASSET_INDEX_KEY,
    FETCHED_AT,
    LABEL_FIELDS,
    METRIC_FIELDS,
    PARTITION_KEY,
    SORT_KEY,
    SOURCES,
    MalformedItem,
    Snapshot,
)

log = logging.getLogger(__name__)

FRAME_METRICS: tuple[str, ...] = METRIC_FIELDS
INDEX_NAME = "time"
# Whole-number columns of the frame: the sort key and when the quote was fetched.
INT_COLUMNS: tuple[str, ...] = (SORT_KEY, FETCHED_AT)
# Everything an item holds except the partition key, which the Query already fixes.
PROJECTED_FIELDS: tuple[str, ...] = (SORT_KEY, *METRIC_FIELDS, *LABEL_FIELDS, FETCHED_AT)
FRAME_COLUMNS: tuple[str, ...] = (*METRIC_FIELDS, *LABEL_FIELDS, *INT_COLUMNS)

# A down store must fail a page render in seconds, not hang a gunicorn thread.
CONNECT_TIMEOUT_SECONDS = 2.0
READ_TIMEOUT_SECONDS = 3.0
MAX_ATTEMPTS = 2
BOTO_CONFIG = Config(
    connect_timeout=CONNECT_TIMEOUT_SECONDS,
    read_timeout=READ_TIMEOUT_SECONDS,
    retries={"mode": "standard", "max_attempts": MAX_ATTEMPTS},
)
# /healthz must answer inside the container probe's 4 s timeout even when the store hangs:
# two attempts of at most 1 s to connect or answer (plus one backoff) stay under 3 s.
PROBE_CONFIG = Config(
    connect_timeout=1.0,
    read_timeout=1.0,
    retries={"mode": "standard", "max_attempts": 2},
)
# How often the whole history is re-read (see SnapshotRepository.load); a 2-year history
# takes about a second, once per worker per 6 hours.
FULL_RELOAD_SECONDS = 6 * 3600
# Malformed items are logged one by one up to this many per load, then counted.
MAX_LOGGED_MALFORMED = 5

UNREACHABLE = "The snapshot store is unreachable right now; the dashboard retries shortly."
_SOURCE_SET = frozenset(SOURCES)
NAN = math.nan
# Where the before-parse hook leaves a Query page's items, still in DynamoDB's wire form.
RAW_ITEMS = "_raw_items"
_DESERIALIZER = TypeDeserializer()
_SERIALIZER = TypeSerializer()


class StoreUnavailable(Exception):
    """The store did not answer (or refused); the message is fit to show a visitor."""


@dataclass(frozen=True)
class LoadResult:
    frame: pd.DataFrame
    store_error: str | None


def empty_frame() -> pd.DataFrame:
    """A frame with no rows but every column and dtype a loaded one has."""
    dtypes = {name: "float64" for name in METRIC_FIELDS}
    dtypes.update({name: "category" for name in LABEL_FIELDS})
    dtypes.update({name: "int64" for name in INT_COLUMNS})
    index = pd.DatetimeIndex([], dtype="datetime64[us, UTC]", name=INDEX_NAME)
    return pd.DataFrame(index=index, columns=list(FRAME_COLUMNS)).astype(dtypes)


# -- items → columns --------------------------------------------------------------------------


class _Columns:
    """Column lists for one load. Labels become categorical columns: a million rows of "Bitcoin"
    cost one string and a byte each, and the sources in a window are read from the codes.
    While loading they are interned, so the lists hold one string, not a million copies."""

    def __init__(self) -> None:
        self.values: dict[str, list[np.ndarray]] = {name: [] for name in FRAME_COLUMNS}
        self.labels: dict[str, list[str]] = {name: [] for name in LABEL_FIELDS}
        self._shared: dict[str, str] = {}
        self.malformed = 0

    def add_page(self, items: Sequence[Mapping[str, Any]], asset: str) -> None:
        """Add one Query page of raw items (`{"price": {"N": "97123.45"}, …}`)."""
        count = len(items)
        if not count:
            return
        judge = np.zeros(count, dtype=bool)  # rows the schema itself must rule on
        numbers: dict[str, np.ndarray] = {}
        for name in METRIC_FIELDS:
            numbers[name], odd = _number_column([item.get(name) for item in items])
            judge |= odd
        judge |= np.isnan(numbers["price"])
        for name in INT_COLUMNS:
            floats, odd = _number_column([item.get(name) for item in items])
            judge |= odd | np.isnan(floats) | (floats != np.floor(floats))
            numbers[name] = np.where(judge, 0, floats).astype("int64")
        labels: dict[str, list[Any]] = {}
        for name in LABEL_FIELDS:
            labels[name], odd = _string_column([item.get(name) for item in items])
            judge |= odd
        if not set(labels["source"]) <= _SOURCE_SET:
            judge |= np.fromiter((v not in _SOURCE_SET for v in labels["source"]), bool, count)

        keep = np.ones(count, dtype=bool)
        for row in np.flatnonzero(judge):
            snapshot = self._judge(items[row], asset)
            if snapshot is None:
                keep[row] = False
                continue
            for name in METRIC_FIELDS:
                value = snapshot.metrics.get(name)
                numbers[name][row] = math.nan if value is None else float(value)
            numbers[SORT_KEY][row] = snapshot.ts
            numbers[FETCHED_AT][row] = snapshot.fetched_at
            for name in LABEL_FIELDS:
                labels[name][row] = getattr(snapshot, name)

        dropped = not keep.all()
        for name, column in numbers.items():
            self.values[name].append(column[keep] if dropped else column)
        shared = self._shared
        for name, values in labels.items():
            kept = [v for v, k in zip(values, keep, strict=True) if k] if dropped else values
            self.labels[name].extend([shared.setdefault(v, v) for v in kept])

    def _judge(self, raw: Mapping[str, Any], asset: str) -> Snapshot | None:
        """The schema's verdict on one odd raw item, deserialized as boto3's resource would
        (a binary, still base64 text here, fails to deserialize: rejected, as the schema
        would have rejected its bytes)."""
        try:
            item = {name: _DESERIALIZER.deserialize(v) for name, v in raw.items()}
            return Snapshot.from_item({PARTITION_KEY: asset, **item})
        except (MalformedItem, TypeError, ValueError, ArithmeticError, AttributeError) as exc:
            self.malformed += 1
            if self.malformed <= MAX_LOGGED_MALFORMED:
                log.warning("skipping a malformed snapshot of %s: %s", asset, exc)
            return None

    def frame(self, asset: str) -> pd.DataFrame:
        if self.malformed > MAX_LOGGED_MALFORMED:
            log.warning("skipped %d malformed snapshots of %s in all", self.malformed, asset)
        if not self.values[SORT_KEY]:
            return empty_frame()
        data: dict[str, Any] = {
            name: np.concatenate(parts) for name, parts in self.values.items() if parts
        }
        data.update({name: pd.Categorical(values) for name, values in self.labels.items()})
        seconds = data[SORT_KEY]
        index = pd.DatetimeIndex(pd.to_datetime(seconds, unit="s", utc=True), name=INDEX_NAME)
        frame = pd.DataFrame(data, index=index, columns=list(FRAME_COLUMNS))
        return _tidy(frame)


def _number_column(values: list[Any]) -> tuple[np.ndarray, np.ndarray]:
    """(float64 values, rows to judge) from raw AttributeValues: absent → NaN; anything but a
    finite {"N": …} is odd.

    A page normally takes the first branch: one list comprehension and numpy's C-level
    string-to-float parse (correctly rounded, the same float as float(Decimal(s)));
    gaps and odd values go value by value.
    """
    try:
        floats = np.array([value["N"] for value in values], dtype="float64")
    except (KeyError, TypeError, ValueError):
        pass
    else:
        return floats, ~np.isfinite(floats)
    count = len(values)
    floats = np.full(count, NAN)
    odd = np.zeros(count, dtype=bool)
    for row, value in enumerate(values):
        if value is None:
            continue
        try:
            floats[row] = float(value["N"])
        except (KeyError, TypeError, ValueError):
            odd[row] = True
            continue
        odd[row] = not math.isfinite(floats[row])  # a stored NaN/Infinity, not a gap
    return floats, odd


def _string_column(values: list[Any]) -> tuple[list[Any], np.ndarray]:
    """(strings, rows to judge) from raw AttributeValues: anything but {"S": …} is odd
    (and left as None for the schema to rule on)."""
    count = len(values)
    try:
        strings = [value["S"] for value in values]
    except (KeyError, TypeError):
        pass
    else:
        if set(map(type, strings)) <= {str}:
            return strings, np.zeros(count, dtype=bool)
    strings = [_string(value) for value in values]
    return strings, np.fromiter((s is None for s in strings), bool, count)


def _string(value: Any) -> str | None:
    inner = value.get("S") if isinstance(value, dict) else None
    return inner if type(inner) is str else None


def _concat(frames: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """Frames one after the other, labels kept categorical: pandas falls back to plain strings
    when the parts' categories differ (a first snapshot from a new source)."""
    merged = pd.concat(frames)
    for name in LABEL_FIELDS:
        if not isinstance(merged[name].dtype, pd.CategoricalDtype):
            merged[name] = merged[name].astype("category")
    return _tidy(merged)


def _tidy(frame: pd.DataFrame) -> pd.DataFrame:
    """Ascending, unique index (a Query is already sorted; a merge of refreshes may not be)."""
    if not frame.index.is_monotonic_increasing:
        frame = frame.sort_index(kind="stable")
    if frame.index.has_duplicates:
        frame = frame[~frame.index.duplicated(keep="last")]
    return frame


# -- the repository ---------------------------------------------------------------------------


@dataclass
class _Cached:
    lock: threading.Lock = field(default_factory=threading.Lock)
    frame: pd.DataFrame | None = None  # None until a load succeeded
    checked_at: float = -math.inf  # clock() of the last attempt, successful or not
    full_at: float = -math.inf  # clock() when the whole history was last read
    error: str | None = None
    reloading: bool = False  # a caller is re-reading the whole history outside the lock


def _describe(exc: Exception, table_name: str) -> StoreUnavailable:
    """A message a visitor can read; the details go to the log."""
    if isinstance(exc, ClientError):
        code = exc.response.get("Error", {}).get("Code", "")
        if code == "ResourceNotFoundException":
            return StoreUnavailable(
                f"Table {table_name} does not exist — run `python -m ingest init-table`."
            )
        log.warning("snapshot store refused a request on %s: %s", table_name, exc)
        return StoreUnavailable(f"The snapshot store refused the request ({code}).")
    log.warning("snapshot store unreachable (table %s): %s", table_name, exc)
    return StoreUnavailable(UNREACHABLE)


# Placeholders for every name a Query uses: several (e.g. `name`, `source`, `ts`) are DynamoDB
# reserved words.
_PLACEHOLDERS = {name: f"#p{i}" for i, name in enumerate((PARTITION_KEY, *PROJECTED_FIELDS))}


def _query_request(
    table_name: str, asset: str, after: int | None, projected: Sequence[str]
) -> dict[str, Any]:
    """Low-level Query arguments: `asset`'s items (only ts > `after` when given), `projected`
    fields only."""
    used = (PARTITION_KEY, *projected) if after is None else (PARTITION_KEY, SORT_KEY, *projected)
    condition = f"{_PLACEHOLDERS[PARTITION_KEY]} = :asset"
    values: dict[str, Any] = {":asset": {"S": asset}}
    if after is not None:
        condition += f" AND {_PLACEHOLDERS[SORT_KEY]} > :after"
        values[":after"] = {"N": str(after)}
    return {
        "TableName": table_name,
        "KeyConditionExpression": condition,
        "ProjectionExpression": ", ".join(_PLACEHOLDERS[name] for name in projected),
        "ExpressionAttributeNames": {_PLACEHOLDERS[name]: name for name in used},
        "ExpressionAttributeValues": values,
    }


def _keep_items_raw(
    response_dict: dict[str, Any], customized_response_dict: dict[str, Any], **_: Any
) -> None:
    """botocore `before-parse.dynamodb.Query` hook: set a page's Items aside unparsed.

    botocore merges `customized_response_dict` into the response it parses from what is left
    of the body, so the Query returns RAW_ITEMS (wire form) plus the parsed Count and
    LastEvaluatedKey. Errors and anything unexpected are left to botocore untouched.
    """
    if response_dict.get("status_code") != 200:
        return
    try:
        body = json.loads(response_dict["body"])
    except (KeyError, TypeError, ValueError):
        return
    if not isinstance(body, dict) or not isinstance(body.get("Items"), list):
        return
    customized_response_dict[RAW_ITEMS] = body.pop("Items")
    response_dict["body"] = json.dumps(body).encode()


def _raw_items(response: Mapping[str, Any]) -> list[dict[str, Any]]:
    """A Query page's items in wire form: as the hook left them, or as botocore parsed them
    had the hook not run (the same form, only slower to get)."""
    items = response.get(RAW_ITEMS)
    return items if items is not None else response.get("Items", [])


class SnapshotRepository:
    """One worker's view of the snapshot table: a cached frame per asset.

    Thread-safe for gunicorn's gthread workers: one lock per asset, held across a first load
    and an incremental refresh, so callers arriving mid-refresh wait and then share its result
    instead of repeating the Query. The periodic full re-read runs outside the lock (it takes
    as long as a cold load) while everyone else keeps the cached frame, then is swapped in.
    Each thread builds its own low-level clients (boto3 sessions are not thread-safe to
    build from); `client_factory` lets tests point them elsewhere or record their calls.
    """

    def __init__(
        self,
        table_name: str,
        ttl_seconds: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        assets: Sequence[str] = (),
        client_factory: Callable[[Config], Any] | None = None,
        full_reload_seconds: float = FULL_RELOAD_SECONDS,
    ) -> None:
        self.table_name = table_name
        self.ttl_seconds = ttl_seconds
        self.full_reload_seconds = full_reload_seconds
        self.configured_assets = tuple(assets)
        self._clock = clock
        self._client_factory = client_factory or _new_client
        self._local = threading.local()
        self._cache: dict[str, _Cached] = {}
        self._cache_lock = threading.Lock()
        self._assets_lock = threading.Lock()
        self._assets: tuple[list[str], float] | None = None

    # -- store access ------------------------------------------------------------------------

    def _client(self, boto_config: Config = BOTO_CONFIG) -> Any:
        """This thread's DynamoDB client for `boto_config` (one per config, built on first use),
        with the hook that keeps Query items raw registered on it alone (never globally)."""
        clients: dict[int, Any] = self._local.__dict__.setdefault("clients", {})
        client = clients.get(id(boto_config))
        if client is None:
            client = self._client_factory(boto_config)
            client.meta.events.register(
                "before-parse.dynamodb.Query", _keep_items_raw, unique_id=RAW_ITEMS
            )
            clients[id(boto_config)] = client
        return client

    def _pages(self, asset: str, after: int | None) -> Iterator[list[dict[str, Any]]]:
        """Raw Query pages of `asset` (only ts > `after` when given), following
        LastEvaluatedKey."""
        request = _query_request(self.table_name, asset, after, PROJECTED_FIELDS)
        client = self._client()
        while True:
            response = client.query(**request)
            yield _raw_items(response)
            if "LastEvaluatedKey" not in response:
                return
            request["ExclusiveStartKey"] = response["LastEvaluatedKey"]

    def _query_frame(self, asset: str, after: int | None) -> pd.DataFrame:
        columns = _Columns()
        try:
            for page in self._pages(asset, after):
                columns.add_page(page, asset)
        except (ClientError, BotoCoreError) as exc:
            raise _describe(exc, self.table_name) from exc
        return columns.frame(asset)

    # -- public ------------------------------------------------------------------------------

    def _entry(self, asset: str) -> _Cached:
        with self._cache_lock:
            return self._cache.setdefault(asset, _Cached())

    def load(self, asset: str) -> LoadResult:
        """The asset's snapshots, refreshed when the cache is older than the TTL.

        Refreshes ask only for snapshots newer than the newest cached one; every
        `full_reload_seconds` the whole history is read again, so history written behind
        the newest snapshot (a backfill or legacy import while the dashboard runs) appears
        too. A failed attempt also waits a TTL before the next one, so a down store costs one
        timeout per interval instead of one per callback.
        """
        entry = self._entry(asset)
        with entry.lock:
            if self._clock() - entry.checked_at < self.ttl_seconds:
                return self._result(entry)
            started = self._clock()
            cached = entry.frame
            reload_due = started - entry.full_at >= self.full_reload_seconds
            if cached is None or cached.empty or not reload_due or entry.reloading:
                self._refresh(entry, asset, started)
                return self._result(entry)
            entry.reloading = True  # this caller re-reads; the others keep the cached frame
        return self._reload(entry, asset, started)

    def _refresh(self, entry: _Cached, asset: str, started: float) -> None:
        """First load (whole history) or incremental refresh; the caller holds entry.lock."""
        cached = entry.frame
        newest = int(cached[SORT_KEY].iloc[-1]) if cached is not None and len(cached) else None
        try:
            fresh = self._query_frame(asset, after=newest)
        except StoreUnavailable as exc:
            entry.error = str(exc)
        else:
            entry.error = None
            if cached is None or cached.empty:
                entry.frame = fresh
                entry.full_at = started
                seconds = self._clock() - started
                log.info("%s: loaded %d snapshots in %.2f s", asset, len(fresh), seconds)
            elif not fresh.empty:
                entry.frame = _concat([cached, fresh])
                log.info("%s: %d new snapshots", asset, len(fresh))
        entry.checked_at = self._clock()

    def _reload(self, entry: _Cached, asset: str, started: float) -> LoadResult:
        """Re-read the whole history without holding entry.lock, then swap it in, keeping any
        newer snapshots that incremental refreshes added to the cache meanwhile."""
        try:
            fresh = self._query_frame(asset, after=None)
        except StoreUnavailable as exc:
            with entry.lock:
                entry.reloading = False
                entry.error = str(exc)
                entry.checked_at = self._clock()
                return self._result(entry)
        except BaseException:
            with entry.lock:
                entry.reloading = False
            raise
        with entry.lock:
            current = entry.frame if entry.frame is not None else empty_frame()
            if len(fresh) and len(current):
                newer = current[current[SORT_KEY] > int(fresh[SORT_KEY].iloc[-1])]
                entry.frame = _concat([fresh, newer]) if len(newer) else fresh
            else:
                entry.frame = fresh
            entry.full_at = started
            entry.error = None
            entry.checked_at = self._clock()
            entry.reloading = False
            seconds = self._clock() - started
            log.info("%s: re-read %d snapshots in %.2f s", asset, len(fresh), seconds)
            return self._result(entry)

    @staticmethod
    def _result(entry: _Cached) -> LoadResult:
        frame = entry.frame if entry.frame is not None else empty_frame()
        return LoadResult(frame=frame, store_error=entry.error)

    def assets(self) -> list[str]:
        """Assets to offer: the configured ones first, then any other the asset index lists.

        Read with one GetItem (never a Scan) and cached like the frames; when the store
        does not answer, the last known list (or the configured one) is used.
        """
        with self._assets_lock:
            if self._assets is not None and self._clock() - self._assets[1] < self.ttl_seconds:
                return list(self._assets[0])
            stored: set[str] = set()
            try:
                response = self._client().get_item(
                    TableName=self.table_name,
                    Key={name: _SERIALIZER.serialize(v) for name, v in ASSET_INDEX_KEY.items()},
                    ProjectionExpression="#a",
                    ExpressionAttributeNames={"#a": ASSET_INDEX_ATTRIBUTE},
                )
                listed = response.get("Item", {}).get(ASSET_INDEX_ATTRIBUTE)
                stored = set(_DESERIALIZER.deserialize(listed)) if listed else set()
            except (ClientError, BotoCoreError) as exc:
                _describe(exc, self.table_name)  # logs it
                if self._assets is not None:
                    return list(self._assets[0])
            listed = [*self.configured_assets, *sorted(stored - set(self.configured_assets))]
            self._assets = (listed, self._clock())
            return list(listed)

    def check(self) -> float | None:
        """Age in seconds of the newest snapshot of the first configured asset (None: none).

        One Query of one key, newest first, for /healthz; raises StoreUnavailable.
        """
        asset = self.configured_assets[0] if self.configured_assets else "bitcoin"
        try:
            response = self._client(PROBE_CONFIG).query(
                **_query_request(self.table_name, asset, None, (SORT_KEY,)),
                ScanIndexForward=False,
                Limit=1,
            )
        except (ClientError, BotoCoreError) as exc:
            raise _describe(exc, self.table_name) from exc
        items = _raw_items(response)
        if not items:
            return None
        return max(0.0, time.time() - float(items[0][SORT_KEY]["N"]))


def _new_client(boto_config: Config) -> Any:
    # A session per thread: boto3's default session is not safe to share while building.
    return boto3.session.Session().client("dynamodb", config=boto_config)


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


def warm(repository: SnapshotRepository | None = None) -> None:
    """Load every configured asset into the cache (gunicorn's post_worker_init runs this in a
    thread), so a fresh worker's first visitor does not wait a cold load — at a million
    snapshots that wait outlasts the load balancer's idle timeout. Never raises: a store that
    is down at start is logged and left to the usual per-TTL retries."""
    started = time.perf_counter()
    try:
        repository = repository or get_repository()
        warmed = []
        for asset in repository.configured_assets:
            error = repository.load(asset).store_error
            if error:
                log.warning("could not warm the cache for %s: %s", asset, error)
            else:
                warmed.append(asset)
    except Exception:
        log.exception("warming the snapshot cache failed")
        return
    if warmed:
        seconds = time.perf_counter() - started
        log.info("warmed the snapshot cache for [%s] in %.2f s", ", ".join(warmed), seconds)
