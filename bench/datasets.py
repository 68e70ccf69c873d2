"""The three benchmark histories, generated once into a dynalite store under .data/bench/.

Each set is its own table of realistic full items (the ingest demo generator's snapshots, every
metric filled), so the project and the baseline read exactly what production stores. A set is
written once and reused by later runs: a stamp file marks a table whose writing finished.
Writing a million items into dynalite takes minutes, so it is spread over a few threads (each
with its own boto3 session: resources are not thread-safe) and reports progress.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import boto3
from botocore.exceptions import ClientError

from ingest import demo
from ingest.schema import Snapshot
from ingest.store import SnapshotStore, boto_config
from tools.dynalite import ROOT, LocalStore, client_env

ASSET = "bitcoin"
DATA_DIR = ROOT / ".data" / "bench"
# A fixed newest slot, so a regenerated set holds exactly the same items.
END_TS = int(datetime(2026, 11, 29, tzinfo=UTC).timestamp())
WRITER_THREADS = 4
SIX_HOURS, MINUTE, DAY = 6 * 3600, 60, 86_400


@dataclass(frozen=True)
class Dataset:
    label: str
    count: int
    slot_seconds: int

    @property
    def table(self) -> str:
        return f"bench-{self.count}"

    @property
    def stamp(self) -> Path:
        return DATA_DIR / f"{self.table}.done"

    def snapshots(self) -> list[Snapshot]:
        days = -(-self.count * self.slot_seconds // DAY)  # ceil: demo takes whole days
        return demo.generate(ASSET, days, END_TS, self.slot_seconds)[-self.count :]


DATASETS = (
    Dataset("1 year, 6 h", 1_460, SIX_HOURS),
    Dataset("10 years, 6 h", 14_600, SIX_HOURS),
    Dataset("1M, 1 min", 1_000_000, MINUTE),
)


def selected(raw: str | None = None) -> tuple[Dataset, ...]:
    """The sets named by BENCH_SIZES (comma-separated counts), all three by default."""
    raw = raw if raw is not None else os.environ.get("BENCH_SIZES", "")
    if not raw.strip():
        return DATASETS
    wanted = {int(part) for part in raw.split(",") if part.strip()}
    unknown = wanted - {d.count for d in DATASETS}
    if unknown:
        raise SystemExit(f"BENCH_SIZES: unknown sizes {sorted(unknown)}; use 1460,14600,1000000")
    return tuple(d for d in DATASETS if d.count in wanted)


@contextmanager
def local_store() -> Iterator[LocalStore]:
    """dynalite on a free loopback port over .data/bench/, with boto3 pointed at it."""
    with LocalStore(path=DATA_DIR / "dynalite") as store:
        saved = {k: os.environ.get(k) for k in client_env(store.port)}
        os.environ.update(client_env(store.port))
        try:
            yield store
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value


def ensure(datasets: Sequence[Dataset]) -> None:
    """Write every set that is not already complete in the store (needs `local_store()`)."""
    for dataset in datasets:
        if dataset.stamp.exists() and _table_exists(dataset.table):
            print(f"  {dataset.table}: reusing {dataset.count:,} stored snapshots", flush=True)
            continue
        _write(dataset)


def _table_exists(table: str) -> bool:
    try:
        boto3.client("dynamodb").describe_table(TableName=table)
    except ClientError:
        return False
    return True


def _write(dataset: Dataset) -> None:
    started = time.perf_counter()
    print(f"  {dataset.table}: generating {dataset.count:,} snapshots…", flush=True)
    store = SnapshotStore(dataset.table, dataset.slot_seconds)
    store.ensure_table()
    items = [s.to_item() for s in dataset.snapshots()]
    *bulk, newest = items
    progress = _Progress(dataset.table, len(items))
    chunks = [bulk[i::WRITER_THREADS] for i in range(WRITER_THREADS)]
    with ThreadPoolExecutor(WRITER_THREADS) as pool:
        list(pool.map(lambda chunk: _put_all(dataset.table, chunk, progress), chunks))
    # The newest goes through the ingest writer, which also records the asset index item.
    store.put_history([Snapshot.from_item(newest)])
    seconds = time.perf_counter() - started
    print(
        f"  {dataset.table}: wrote {len(items):,} items in {seconds:.0f} s "
        f"({len(items) / seconds:,.0f} items/s)",
        flush=True,
    )
    dataset.stamp.write_text(f"{len(items)} items in {seconds:.1f} s\n")


def _put_all(table: str, items: list[dict], progress: _Progress) -> None:
    resource = boto3.session.Session().resource("dynamodb", config=boto_config())
    with resource.Table(table).batch_writer() as batch:
        for n, item in enumerate(items, 1):
            batch.put_item(Item=item)
            if n % 1000 == 0:
                progress.add(1000)


class _Progress:
    """Prints a line every ~10% of a long write."""

    def __init__(self, table: str, total: int) -> None:
        self.table, self.total, self.done, self.next = table, total, 0, total // 10
        self.started = time.perf_counter()
        self.lock = threading.Lock()

    def add(self, n: int) -> None:
        with self.lock:
            self.done += n
            if self.total >= 50_000 and self.done >= self.next:
                self.next += self.total // 10
                rate = self.done / (time.perf_counter() - self.started)
                print(
                    f"    {self.table}: {self.done:,}/{self.total:,} ({rate:,.0f} items/s)",
                    file=sys.stderr,
                    flush=True,
                )


if __name__ == "__main__":
    # `python -m bench.datasets` fills the store ahead of `make bench` (BENCH_SIZES applies).
    with local_store():
        ensure(selected())
