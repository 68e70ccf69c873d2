"""`python -m ingest`: the maintainer's commands, each a thin shell over the library.

Exit 0 on success (a duplicate snapshot is success); otherwise exit 1 (2 for a usage error)
with exactly one line `error: …` on stderr and no traceback. Logs stay quiet (LOG_LEVEL,
default ERROR here) so stdout carries a short human summary and stderr the one error line.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import NoReturn

from ingest import config, logs
from ingest.errors import IngestError
from ingest.store import SnapshotStore

Command = Callable[[argparse.Namespace, config.Settings], str]


def _when(ts: int) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%d %H:%M UTC")


def _store(settings: config.Settings) -> SnapshotStore:
    return SnapshotStore(settings.table_name, settings.slot_seconds)


def cmd_init_table(args: argparse.Namespace, settings: config.Settings) -> str:
    created = _store(settings).ensure_table()
    verb = "created" if created else "already exists"
    return f"table {settings.table_name} {verb}"


def cmd_demo(args: argparse.Namespace, settings: config.Settings) -> str:
    from ingest import demo

    store = _store(settings)
    lines = []
    for asset in [args.asset] if args.asset else settings.assets:
        if args.if_empty and store.has_snapshots(asset):
            lines.append(f"{asset}: snapshots already stored; demo data not seeded")
            continue
        points = demo.generate(asset, args.days, time.time(), settings.slot_seconds)
        counts = store.put_history(points)
        lines.append(
            f"{asset}: seeded {counts.written} demo snapshots "
            f"({_when(points[0].ts)} to {_when(points[-1].ts)}; "
            f"{counts.skipped} slots already had data) — labelled as demo data"
        )
    return "\n".join(lines)


def cmd_fetch(args: argparse.Namespace, settings: config.Settings) -> str:
    from ingest import run, secrets

    report = run.run_once(settings, None, secrets.api_key(settings))
    if not report.ok:
        raise IngestError(report.failure_summary())
    return report.summary()


def cmd_backfill(args: argparse.Namespace, settings: config.Settings) -> str:
    from ingest import backfill

    return backfill.run(settings, args.days)


def cmd_import_legacy(args: argparse.Namespace, settings: config.Settings) -> str:
    from ingest import legacy

    return legacy.run(settings, args.source_table)


def _positive_int(raw: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{raw!r} is not a whole number of days") from None
    if value <= 0:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


class _Parser(argparse.ArgumentParser):
    """Usage errors as one `error: …` line like every other failure (exit 2, argparse's code);
    the usage text is one `--help` away. Subcommand parsers inherit this class."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"error: {message} (see `{self.prog} --help`)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="python -m ingest",
        description="Collect Bitcoin snapshots into the DynamoDB table named by SNAPSHOT_TABLE.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser(
        "fetch",
        help="fetch the latest quotes from CoinMarketCap and store one snapshot per asset",
        description="One run, the same code path as the Lambda: fetch ASSETS from "
        "CoinMarketCap (key from CMC_API_KEY or CMC_API_KEY_SECRET_ARN) and store one "
        "snapshot per asset for the current slot. A slot already filled is reported as a "
        "duplicate and is not an error.",
    )
    p.set_defaults(func=cmd_fetch)

    p = sub.add_parser(
        "init-table",
        help="create the snapshot table if it is missing (local stores)",
        description="Create SNAPSHOT_TABLE with the schema in ingest/schema.py if it does not "
        "exist. Production tables come from infra/.",
    )
    p.set_defaults(func=cmd_init_table)

    p = sub.add_parser(
        "backfill",
        help="store N days of history from CoinGecko (source=coingecko)",
        description="Fetch N days of price, market cap and volume from CoinGecko's free "
        "market_chart API (optional key in COINGECKO_API_KEY) and store one snapshot per "
        "slot that has none yet. Safe to re-run.",
    )
    p.add_argument("--days", type=_positive_int, required=True, metavar="N", help="days of history")
    p.set_defaults(func=cmd_backfill)

    p = sub.add_parser(
        "demo",
        help="store N days of deterministic simulated history (source=demo)",
        description="Store a deterministic simulated history, one snapshot per slot ending at "
        "the current slot, labelled source=demo. Slots that already hold data are skipped.",
    )
    p.add_argument("--days", type=_positive_int, required=True, metavar="N", help="days of history")
    p.add_argument(
        "--if-empty",
        action="store_true",
        help="only seed assets that have no snapshots at all (what `make run` uses)",
    )
    p.add_argument("--asset", help="one slug instead of every slug in ASSETS")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser(
        "import-legacy",
        help="migrate the original tracker's table into the snapshot table",
        description="Copy every item of the original tracker's table (partition key "
        "`timestamp`, each item a full CoinMarketCap v2 response) into SNAPSHOT_TABLE, "
        "reporting how many were imported, skipped as duplicates and rejected. Each coin of an "
        "item is judged on its own; one dated after the import's clock (beyond "
        "QUOTE_MAX_AHEAD_MINUTES) is rejected.",
    )
    p.add_argument("--source-table", required=True, metavar="NAME", help="legacy table name")
    p.set_defaults(func=cmd_import_legacy)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logs.configure(default_level="ERROR")
    try:
        settings = config.load()
        output = args.func(args, settings)
    except (IngestError, ValueError) as exc:
        print(f"error: {_one_line(exc)}", file=sys.stderr)
        return 1
    except Exception as exc:  # a bug: still one line, but say what kind
        print(f"error: unexpected {type(exc).__name__}: {_one_line(exc)}", file=sys.stderr)
        return 1
    if output:
        print(output)
    return 0


def _one_line(exc: BaseException) -> str:
    return logs.redact(" ".join(str(exc).split())) or type(exc).__name__
