"""infra/web.yaml, read as CloudFormation reads it: which health check decides what."""

from __future__ import annotations

from typing import Any

import pytest

from tests.infra.repo import resource, task_definition_json, template

READINESS_PATH = "/readyz"
LIVENESS_PATH = "/livez"
STORE_REPORT_PATH = "/healthz"


@pytest.fixture(scope="module")
def web() -> dict[str, Any]:
    return template("web.yaml")


def props(web: dict[str, Any], logical_id: str) -> dict[str, Any]:
    return resource(web, logical_id)["Properties"]


def test_the_load_balancer_asks_readiness_and_nothing_replaces_tasks_on_the_store_report(
    web: dict[str, Any],
) -> None:
    assert props(web, "TargetGroup")["HealthCheckPath"] == READINESS_PATH
    (container,) = props(web, "TaskDefinition")["ContainerDefinitions"]
    for probe in (container["HealthCheck"]["Command"][-1], str(task_definition_json())):
        assert LIVENESS_PATH in probe
        assert STORE_REPORT_PATH not in probe


def test_a_warming_task_gets_time_and_then_traffic_quickly(web: dict[str, Any]) -> None:
    group = props(web, "TargetGroup")
    grace = props(web, "Service")["HealthCheckGracePeriodSeconds"]
    assert grace == {"Ref": "ReadinessGraceSeconds"}
    # docs/performance.md: a worker's warm-up took 80 s at 1,000,000 snapshots.
    assert web["Parameters"]["ReadinessGraceSeconds"]["Default"] >= 3 * 80
    # Once warm, a task is in service within half a minute.
    assert group["HealthCheckIntervalSeconds"] * group["HealthyThresholdCount"] <= 30
    assert group["HealthCheckTimeoutSeconds"] < group["HealthCheckIntervalSeconds"]
    (container,) = props(web, "TaskDefinition")["ContainerDefinitions"]
    assert container["HealthCheck"]["StartPeriod"] >= 60


def test_the_template_task_definition_runs_the_image_tag_it_is_given(web: dict[str, Any]) -> None:
    (container,) = props(web, "TaskDefinition")["ContainerDefinitions"]
    assert container["Image"] == {"Fn::Sub": "${Repository.RepositoryUri}:${ImageTag}"}
