"""infra/ingest.yaml deploys in a new account, runs the code the deploy ships, and alarms when
the runs stop, not only when they fail."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

from tests.infra.repo import infra_script, resource, template

PLACEHOLDER_MESSAGE = "ingest code not deployed yet: run the deploy workflow"
# CloudFormation writes a Python function's inline ZipFile to this file.
INLINE_SOURCE_FILE = "index.py"


@pytest.fixture(scope="module")
def ingest() -> dict[str, Any]:
    return template("ingest.yaml")


def handler(ingest: dict[str, Any]) -> tuple[str, str]:
    module, function = resource(ingest, "IngestFunction")["Properties"]["Handler"].rsplit(".", 1)
    return module, function


def test_nothing_is_reserved_by_default_and_one_is_an_option(ingest: dict[str, Any]) -> None:
    parameter = ingest["Parameters"]["ReservedConcurrency"]
    assert parameter["Default"] == 0
    assert (parameter["MinValue"], parameter["MaxValue"]) == (0, 1)
    reserved = resource(ingest, "IngestFunction")["Properties"]["ReservedConcurrentExecutions"]
    assert reserved == {
        "Fn::If": ["ReservesConcurrency", {"Ref": "ReservedConcurrency"}, {"Ref": "AWS::NoValue"}]
    }
    assert ingest["Conditions"]["ReservesConcurrency"] == {
        "Fn::Not": [{"Fn::Equals": [{"Ref": "ReservedConcurrency"}, 0]}]
    }


def test_placeholder_fails_with_the_plain_message_under_the_configured_handler(
    ingest: dict[str, Any], tmp_path: Path
) -> None:
    """What a scheduled run before the first deploy executes: the handler CloudFormation's
    inline file provides, which raises the intended message (not an import error)."""
    module, function = handler(ingest)
    assert f"{module}.py" == INLINE_SOURCE_FILE
    code = resource(ingest, "IngestFunction")["Properties"]["Code"]["ZipFile"]
    (tmp_path / INLINE_SOURCE_FILE).write_text(code)
    spec = importlib.util.spec_from_file_location(module, tmp_path / INLINE_SOURCE_FILE)
    assert spec is not None
    assert spec.loader is not None
    placeholder = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(placeholder)
    with pytest.raises(RuntimeError, match=f"^{re.escape(PLACEHOLDER_MESSAGE)}$"):
        getattr(placeholder, function)({"scheduled_time": "2026-12-01T06:00:00Z"}, None)


def test_deployed_zip_answers_the_same_handler_with_the_real_code(
    ingest: dict[str, Any], tmp_path: Path
) -> None:
    module, function = handler(ingest)
    archive = infra_script("package_ingest").build(tmp_path / "ingest.zip", with_dependencies=False)
    unpacked = tmp_path / "task"
    with zipfile.ZipFile(archive) as zipped:
        names = set(zipped.namelist())
        zipped.extractall(unpacked)
    assert {f"{module}.py", "ingest/handler.py", "ingest/schema.py"} <= names
    assert not {n for n in names if "__pycache__" in n or n.endswith("requirements.txt")}
    # Import as the Lambda runtime does, from the unpacked zip (dependencies from this venv).
    probe = (
        f"import {module}, ingest, ingest.handler, pathlib; "
        f"assert {module}.{function} is ingest.handler.lambda_handler; "
        "print(pathlib.Path(ingest.__file__).parent.parent)"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=unpacked,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert Path(result.stdout.strip()) == unpacked


def test_a_stopped_schedule_alarms(ingest: dict[str, Any]) -> None:
    """Silence is the failure: no invocation for longer than one schedule interval."""
    props = resource(ingest, "IngestStoppedAlarm")["Properties"]
    schedule = resource(ingest, "IngestSchedule")["Properties"]["ScheduleExpression"]
    hours = re.fullmatch(r"rate\((\d+) hours\)", schedule)
    assert hours, schedule
    interval = int(hours.group(1)) * 3600
    assert (props["Namespace"], props["MetricName"]) == ("AWS/Lambda", "Invocations")
    assert props["Dimensions"] == [{"Name": "FunctionName", "Value": {"Ref": "IngestFunction"}}]
    assert (props["ComparisonOperator"], props["Threshold"]) == ("LessThanThreshold", 1)
    assert props["TreatMissingData"] == "breaching"
    window = props["Period"] * props["EvaluationPeriods"]
    assert props["DatapointsToAlarm"] == props["EvaluationPeriods"]
    # Longer than one interval (a healthy schedule always shows up in the window), shorter
    # than two (one missed run is enough to alarm).
    assert interval < window < 2 * interval
    assert props["AlarmActions"] == props["OKActions"] == [{"Ref": "AlarmTopic"}]
