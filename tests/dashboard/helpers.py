"""Snapshots and writes shared by the dashboard data-layer tests."""

from __future__ import annotations

from typing import Any

from tests import factories

T0 = 1_767_225_600  # 2026-01-01 00:00 UTC
SLOT = 6 * 3600


snapshot = factories.snapshot


def write(table: Any, items: list[dict[str, Any]]) -> None:
    with table.batch_writer() as batch:
        for item in items:
            batch.put_item(Item=item)
