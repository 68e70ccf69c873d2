"""The CLI's contract: --help everywhere, exit codes, and exactly one error line."""

from __future__ import annotations

import subprocess
import sys

import pytest

from ingest import cli
from tools.dynalite import ROOT

COMMANDS = ["fetch", "init-table", "backfill", "demo", "import-legacy"]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_subcommand_has_help(command, capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main([command, "--help"])
    assert exit_info.value.code == 0
    assert "usage: python -m ingest " + command in capsys.readouterr().out


def test_init_table_creates_then_reports_existing(table_name, capsys):
    from moto import mock_aws

    with mock_aws():
        assert cli.main(["init-table"]) == 0
        assert capsys.readouterr().out == f"table {table_name} created\n"
        assert cli.main(["init-table"]) == 0
        assert capsys.readouterr().out == f"table {table_name} already exists\n"


def test_missing_table_is_one_error_line(table_name, capsys):
    from moto import mock_aws

    with mock_aws():
        assert cli.main(["demo", "--days", "1"]) == 1
    captured = capsys.readouterr()
    assert captured.err == (
        f"error: table {table_name} does not exist — run `python -m ingest init-table`\n"
    )
    assert captured.out == ""


def test_bad_setting_is_one_error_line(moto_table, monkeypatch, capsys):
    monkeypatch.setenv("SLOT_HOURS", "soon")
    assert cli.main(["demo", "--days", "1"]) == 1
    assert capsys.readouterr().err == "error: SLOT_HOURS must be a number, got 'soon'\n"


@pytest.mark.integration
def test_init_table_and_demo_on_dynalite(dynalite_env, table_name, capsys):
    """What `make run` does before serving: init-table, then demo --if-empty, twice."""
    import boto3

    assert cli.main(["init-table"]) == 0
    assert cli.main(["init-table"]) == 0
    assert capsys.readouterr().out == (
        f"table {table_name} created\ntable {table_name} already exists\n"
    )
    assert cli.main(["demo", "--days", "2", "--if-empty"]) == 0
    assert "bitcoin: seeded 8 demo snapshots" in capsys.readouterr().out
    assert cli.main(["demo", "--days", "2", "--if-empty"]) == 0
    assert "demo data not seeded" in capsys.readouterr().out
    boto3.resource("dynamodb").Table(table_name).delete()


def test_usage_errors_exit_2_with_one_error_line():
    bad = subprocess.run(
        [sys.executable, "-m", "ingest", "demo", "--days", "0"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert bad.returncode == 2
    assert bad.stderr == (
        "error: argument --days: must be at least 1 (see `python -m ingest demo --help`)\n"
    )
    assert bad.stdout == ""


@pytest.mark.parametrize(
    ("argv", "told"),
    [
        ([], "the following arguments are required: COMMAND (see `python -m ingest --help`)"),
        (["backfill"], "the following arguments are required: --days"),
        (["demo", "--days", "two"], "argument --days: 'two' is not a whole number of days"),
        (["fetch", "--now"], "unrecognized arguments: --now"),
    ],
)
def test_every_usage_error_is_one_line(argv, told, capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(argv)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1
    assert err.startswith(f"error: {told}")
