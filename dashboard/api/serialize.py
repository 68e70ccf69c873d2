"""A page of rows as the bytes the API sends: streamed JSON or CSV, never a whole body at once.

Both read the same export columns (`dashboard.export`), so JSON and CSV carry the same exact
decimals. In JSON a stored number is a string holding its exact decimal digits ("70123.45"):
a JSON number would be read back as a binary float by most clients, which is precisely the
rounding this API avoids; `ts`, `fetched_at` and `snapshots` are whole numbers and stay JSON
integers; a missing value is null. CSV adds the asset as a column (a CSV row stands alone)
and is written by `export.csv_chunks`, the page's "Download CSV" included.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime

from dashboard import export
from dashboard.api.tables import ASSET, Page
from ingest.schema import SORT_KEY

JSON_TYPE = "application/json"
CSV_TYPE = "text/csv"  # Flask adds "; charset=utf-8" to text types
ROWS_KEY = {None: "snapshots", "1d": "days"}


def csv_body(page: Page, asset: str) -> Iterator[bytes]:
    columns = [page.columns[0], export.text_column(ASSET, asset), *page.columns[1:]]
    return export.csv_chunks(columns, page.rows)


def json_body(
    page: Page, asset: str, interval: str | None, next_path: str | None
) -> Iterator[bytes]:
    """`{"asset": …, ["interval": "1d",] "snapshots"|"days": [{…}, …], "next": …}`, a few
    thousand rows per chunk; each row's keys in column order, `ts` first."""
    head = {"asset": asset, **({"interval": interval} if interval else {})}
    yield (json.dumps(head)[:-1] + f', "{ROWS_KEY[interval]}": [').encode()
    columns = sorted(page.columns, key=lambda c: c.name != SORT_KEY)
    for start in range(0, page.rows, export.CHUNK_ROWS):
        stop = min(page.rows, start + export.CHUNK_ROWS)
        fragments = [_fragments(column, column.texts(start, stop)) for column in columns]
        rows = ",".join("{" + ",".join(row) + "}" for row in zip(*fragments, strict=True))
        yield ("," if start else "").encode() + rows.encode()
    yield f'], "next": {json.dumps(next_path)}}}'.encode()


def _fragments(column: export.Column, texts: list[str]) -> list[str]:
    """`"name":value` for each text: numbers as exact decimal strings (null when missing),
    integers bare, times and labels as JSON strings."""
    key = json.dumps(column.name) + ":"
    if column.kind == "integer":
        return [key + text for text in texts]
    if column.kind == "number":
        return [f'{key}"{text}"' if text else key + "null" for text in texts]
    if column.kind == "time":
        return [f'{key}"{text}"' for text in texts]
    encoded = {text: key + json.dumps(text) for text in set(texts)}  # labels repeat
    return [encoded[text] for text in texts]


def filename(asset: str, first: int | None, last: int | None) -> str:
    """`bitcoin_2026-01-02_2026-01-04.csv`: the asset and the range's first and last day."""
    if first is None or last is None:
        return f"{asset}.csv"
    days = (datetime.fromtimestamp(s, UTC).strftime("%Y-%m-%d") for s in (first, last))
    return f"{asset}_{'_'.join(days)}.csv"
