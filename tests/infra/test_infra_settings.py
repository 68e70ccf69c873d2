"""The environment the templates give the Lambda and the dashboard is one the code reads.

A renamed variable (SNAPSHOT_TABLE -> TABLE_NAME in one place only) would deploy cleanly and
then run against defaults; these tests load the real settings from the templates' values.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

import pytest

from dashboard import config as dashboard_config
from ingest import config as ingest_config
from ingest.handler import scheduled_time
from tests.infra.repo import (
    ROOT,
    dockerfile_instructions,
    env_values,
    final_stage,
    resource,
    template,
)

SOURCES = [*(ROOT / "ingest").glob("*.py"), *(ROOT / "dashboard").rglob("*.py")]


def resolve(value: Any, template_: dict[str, Any]) -> str:
    """A template value as it would be deployed with default parameters."""
    if isinstance(value, str):
        return value
    if "Ref" in value:
        name = value["Ref"]
        if name == "AWS::Region":
            return "us-east-1"
        if name in template_.get("Parameters", {}):
            return str(template_["Parameters"][name]["Default"])
        return f"arn:aws:secretsmanager:us-east-1:123456789012:secret:{name}"
    if "Fn::ImportValue" in value:
        return "bitcoin-snapshots"
    raise AssertionError(f"unexpected intrinsic {value}")


def lambda_environment() -> dict[str, str]:
    ingest = template("ingest.yaml")
    variables = resource(ingest, "IngestFunction")["Properties"]["Environment"]["Variables"]
    return {name: resolve(value, ingest) for name, value in variables.items()}


def dashboard_environment() -> dict[str, str]:
    web = template("web.yaml")
    (container,) = resource(web, "TaskDefinition")["Properties"]["ContainerDefinitions"]
    image_env = env_values(final_stage(dockerfile_instructions()))
    task_env = {e["Name"]: resolve(e["Value"], web) for e in container["Environment"]}
    return {**image_env, **task_env}


def read_by_code(name: str) -> bool:
    pattern = re.compile(rf"[\"']{name}[\"']")
    return any(pattern.search(path.read_text()) for path in SOURCES)


# Set for boto3 and Python themselves, not for the product's code.
READ_BY_THE_RUNTIME = {"AWS_REGION", "PATH", "PYTHONDONTWRITEBYTECODE", "PYTHONUNBUFFERED"}


def product_variables() -> list[str]:
    return sorted({*lambda_environment(), *dashboard_environment()} - READ_BY_THE_RUNTIME)


@pytest.mark.parametrize("name", product_variables())
def test_every_variable_the_templates_set_is_read_by_the_code(name: str) -> None:
    assert read_by_code(name), f"{name} is set in infra/ or the Dockerfile but nothing reads it"


def test_the_runtime_variables_left_out_above_are_all_set() -> None:
    """No stale name in the exclusion: each is one the image or a template sets."""
    assert {*lambda_environment(), *dashboard_environment()} >= READ_BY_THE_RUNTIME


def test_lambda_settings_load_from_the_template(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in lambda_environment().items():
        monkeypatch.setenv(name, value)
    settings = ingest_config.load()
    assert settings.table_name == "bitcoin-snapshots"
    assert settings.assets == ("bitcoin",)
    assert settings.cmc_api_key_secret_arn
    assert settings.cmc_api_key is None  # the key itself is never in the environment


def test_schedule_rate_is_the_slot_length() -> None:
    schedule = resource(template("ingest.yaml"), "IngestSchedule")["Properties"]
    hours = re.fullmatch(r"rate\((\d+) hours\)", schedule["ScheduleExpression"])
    assert hours, schedule["ScheduleExpression"]
    assert float(hours.group(1)) == float(lambda_environment()["SLOT_HOURS"])


def test_scheduler_input_gives_the_handler_its_scheduled_time() -> None:
    target = resource(template("ingest.yaml"), "IngestSchedule")["Properties"]["Target"]
    delivered = target["Input"].replace("<aws.scheduler.scheduled-time>", "2026-11-29T06:00:00Z")
    assert scheduled_time(json.loads(delivered)) == datetime(2026, 11, 29, 6, tzinfo=UTC)


def test_dashboard_settings_load_from_image_and_task(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in dashboard_environment().items():
        monkeypatch.setenv(name, value)
    settings = dashboard_config.load()
    assert (settings.host, settings.port) == ("0.0.0.0", 8050)  # noqa: S104 (container)
    assert settings.store.table_name == "bitcoin-snapshots"
    assert settings.cache_ttl_seconds == 60
    assert not settings.debug
