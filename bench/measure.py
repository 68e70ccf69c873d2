"""Shared measuring helpers: timers, percentiles, the result record and the worker protocol.

Each side (project, baseline) is measured per dataset in a child process of its own, so its
peak resident memory is one worker's and no cache leaks from one run into the next. The child
prints one JSON line; `run_child` returns it as a dict.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

from tools.dynalite import ROOT

RESULT_PREFIX = "BENCH-RESULT "


def timed(func: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    value = func()
    return time.perf_counter() - started, value


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile (no interpolation: with 28 samples p95 is the 27th)."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * pct // 100))
    return ordered[int(rank) - 1]


def summary(seconds: list[float], sizes: list[int]) -> dict[str, Any]:
    return {
        "n": len(seconds),
        "p50_ms": percentile(seconds, 50) * 1000,
        "p95_ms": percentile(seconds, 95) * 1000,
        "bytes": max(sizes),
    }


def peak_rss_mb() -> float:
    """Peak resident set of this process (Linux reports ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def emit(result: dict[str, Any]) -> None:
    result["peak_rss_mb"] = peak_rss_mb()
    print(RESULT_PREFIX + json.dumps(result), flush=True)


def run_child(module: str, table: str, env: dict[str, str]) -> dict[str, Any]:
    """Run `python -m module table` and return its result line; its stderr passes through."""
    process = subprocess.run(
        [sys.executable, "-m", module, table],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        text=True,
        check=False,
    )
    lines = [line for line in process.stdout.splitlines() if line.startswith(RESULT_PREFIX)]
    if process.returncode != 0 or not lines:
        raise SystemExit(f"{module} {table} failed (exit {process.returncode})")
    return json.loads(lines[-1][len(RESULT_PREFIX) :])
