"""Tables, target checks and docs/performance.md sections for `make bench` and `make load`.

docs/performance.md keeps hand-written analysis around generated sections delimited by
`<!-- NAME:start -->` / `<!-- NAME:end -->`; each command rewrites only its own section.
"""

from __future__ import annotations

import os
import platform
import re
from datetime import UTC, datetime
from pathlib import Path

from tools.dynalite import ROOT

DOC = ROOT / "docs" / "performance.md"


def machine() -> str:
    cpu = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        found = re.search(r"^model name\s*:\s*(.+)$", cpuinfo.read_text(), re.MULTILINE)
        cpu = found.group(1).strip() if found else cpu
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        found = re.search(r"^MemTotal:\s*(\d+) kB", meminfo.read_text(), re.MULTILINE)
        memory = f", {int(found.group(1)) / 1024**2:.1f} GiB memory" if found else ""
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return (
        f"{os.cpu_count()} cores ({cpu}){memory}, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}; taken {when}"
    )


def markdown_table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def plain_table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    line = "  ".join("{:<%d}" % w for w in widths)  # noqa: UP031 (widths vary per column)
    return "\n".join(line.format(*row) for row in [header, *rows])


def kb(size: float) -> str:
    return f"{size / 1000:,.1f} KB" if size < 1e6 else f"{size / 1e6:,.1f} MB"


def ms(value: float) -> str:
    return f"{value:,.1f} ms" if value < 10_000 else f"{value / 1000:,.1f} s"


def ratio(baseline: float, project: float) -> str:
    if not project:
        return "—"
    value = baseline / project
    return f"{value:,.0f}x" if value >= 10 else f"{value:,.1f}x"


def verdict(name: str, value: float, limit: float, unit: str) -> str:
    """PASS/MISS with the margin, e.g. 'PASS  render p95 92.0 ms < 150 ms (39% under)'."""
    ok = value < limit
    margin = abs(limit - value) / limit * 100
    word = "under" if ok else "over"
    return (
        f"{'PASS' if ok else 'MISS'}  {name}: {value:,.1f} {unit} vs {limit:g} {unit} "
        f"({margin:.0f}% {word})"
    )


def write_section(name: str, body: str) -> None:
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    text = DOC.read_text() if DOC.exists() else "# Performance\n"
    block = f"{start}\n{body.strip()}\n{end}"
    pattern = re.compile(re.escape(start) + ".*?" + re.escape(end), re.DOTALL)
    text = pattern.sub(lambda _: block, text) if pattern.search(text) else f"{text}\n{block}\n"
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text(text)
