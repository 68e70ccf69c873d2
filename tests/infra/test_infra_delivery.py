"""The workflows, Dependabot and the Python version do what docs/deploying.md promises."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.infra.repo import (
    ROOT,
    WORKFLOWS,
    dockerfile_instructions,
    infra_script,
    resource,
    template,
)

PINNED = re.compile(r"^[\w.-]+/[\w.-]+(/[\w./-]+)?@[0-9a-f]{40}$")
DEPENDABOT = ROOT / ".github" / "dependabot.yml"


def workflow(name: str) -> dict[str, Any]:
    # PyYAML reads a bare `on:` key as True (YAML 1.1); give it its name back.
    loaded = yaml.safe_load((WORKFLOWS / name).read_text())
    loaded["on"] = loaded.pop(True)
    return loaded


def steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    return job["steps"]


def all_steps() -> list[tuple[str, dict[str, Any]]]:
    return [
        (path.name, step)
        for path in sorted(WORKFLOWS.glob("*.yml"))
        for job in workflow(path.name)["jobs"].values()
        for step in steps(job)
    ]


def action_steps() -> list[tuple[str, dict[str, Any]]]:
    return [(name, step) for name, step in all_steps() if "uses" in step]


def script_steps() -> list[tuple[str, dict[str, Any]]]:
    return [(name, step) for name, step in all_steps() if "run" in step]


def checkout_steps() -> list[tuple[str, dict[str, Any]]]:
    return [
        (name, step)
        for name, step in action_steps()
        if step["uses"].startswith("actions/checkout@")
    ]


def requirement_pins(path: Path) -> dict[str, str]:
    pins: dict[str, str] = {}
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if "==" in line:
            name, version = line.split("==")
            pins[name.strip().lower()] = version.strip()
    return pins


@pytest.mark.parametrize(("name", "step"), action_steps())
def test_every_action_is_pinned_to_a_commit_with_its_tag(name: str, step: dict[str, Any]) -> None:
    assert PINNED.match(step["uses"]), f"{name}: {step['uses']} is not pinned to a commit SHA"
    line = next(
        line for line in (WORKFLOWS / name).read_text().splitlines() if step["uses"] in line
    )
    assert re.search(r"# v\d+(\.\d+)*$", line), f"{name}: no tag comment on {line.strip()}"


@pytest.mark.parametrize(("name", "step"), script_steps())
def test_no_expression_is_pasted_into_a_shell_script(name: str, step: dict[str, Any]) -> None:
    """Values reach scripts through env vars (no template injection)."""
    assert "${{" not in step["run"]


@pytest.mark.parametrize(("name", "step"), checkout_steps())
def test_checkout_does_not_keep_the_token(name: str, step: dict[str, Any]) -> None:
    assert step["with"]["persist-credentials"] is False


def test_the_step_lists_hold_what_the_checks_need() -> None:
    """The parametrised checks above see every step of its kind (none is filtered away)."""
    every = all_steps()
    assert len(action_steps()) == sum("uses" in step for _, step in every) > 0
    assert len(script_steps()) == sum("run" in step for _, step in every) > 0
    assert {name for name, _ in checkout_steps()} == {"ci.yml", "deploy.yml"}


def test_ci_runs_make_test_on_every_pull_request_and_push() -> None:
    ci = workflow("ci.yml")
    assert {"pull_request", "push"} <= set(ci["on"])
    assert ci["permissions"] == {"contents": "read"}
    assert [s["run"] for s in steps(ci["jobs"]["test"]) if "run" in s] == ["make test"]


def test_deploy_runs_after_tests_one_at_a_time_with_least_permissions() -> None:
    deploy = workflow("deploy.yml")
    assert deploy["on"] == {"push": {"branches": ["master"]}}
    assert deploy["permissions"] == {}
    assert deploy["concurrency"] == {"group": "deploy", "cancel-in-progress": False}
    assert [s["run"] for s in steps(deploy["jobs"]["test"]) if "run" in s] == ["make test"]
    job = deploy["jobs"]["deploy"]
    assert job["needs"] == "test"
    assert job["permissions"] == {"contents": "read", "id-token": "write"}


def test_deploy_job_ships_both_halves_in_order() -> None:
    job = workflow("deploy.yml")["jobs"]["deploy"]
    actions = [s["uses"].split("@")[0] for s in steps(job) if "uses" in s]
    assert actions == [
        "actions/checkout",
        "actions/setup-python",
        "aws-actions/configure-aws-credentials",
        "aws-actions/amazon-ecr-login",
        "aws-actions/amazon-ecs-render-task-definition",
        "aws-actions/amazon-ecs-deploy-task-definition",
    ]
    deploy_step = next(s for s in steps(job) if "amazon-ecs-deploy" in s.get("uses", ""))
    assert deploy_step["with"]["wait-for-service-stability"] is True
    # The rollout check runs right after, on the revision the deploy step registered.
    check = steps(job)[steps(job).index(deploy_step) + 1]
    expression = "${{ steps." + deploy_step["id"] + ".outputs.task-definition-arn }}"
    assert check["env"] == {"TASK_DEFINITION": expression}
    assert "rolloutState" in check["run"]
    assert "PRIMARY*COMPLETED)" in check["run"]
    scripts = "\n".join(s.get("run", "") for s in steps(job))
    for expected in (
        'docker push "$image"',
        "python infra/package_ingest.py",
        "aws lambda update-function-code",
        "aws lambda wait function-updated-v2",
        '"${DASHBOARD_URL%/}/healthz"',
    ):
        assert expected in scripts


def test_every_repository_variable_is_documented() -> None:
    used = set(re.findall(r"vars\.([A-Z_]+)", (WORKFLOWS / "deploy.yml").read_text()))
    docs = (ROOT / "docs" / "deploying.md").read_text()
    assert used
    assert {name for name in used if f"`{name}`" not in docs} == set()


def test_lambda_requirements_are_pinned_as_the_app_requirements() -> None:
    lambda_pins = requirement_pins(ROOT / "ingest" / "requirements.txt")
    app_pins = requirement_pins(ROOT / "requirements.txt")
    assert lambda_pins
    assert {name: app_pins.get(name) for name in lambda_pins} == lambda_pins


def python_versions() -> list[tuple[str, str]]:
    """(where, version) for each place CI, the image and the Lambda name their Python."""
    found = [
        (f"{name} setup-python", step["with"]["python-version"])
        for name, step in action_steps()
        if step["uses"].startswith("actions/setup-python@")
    ]
    for keyword, arguments in dockerfile_instructions():
        if keyword == "FROM":
            image = re.fullmatch(r"python:(\d+\.\d+)-slim(@sha256:[0-9a-f]+)?( AS \w+)?", arguments)
            assert image, arguments
            found.append(("Dockerfile FROM", image.group(1)))
    runtime = resource(template("ingest.yaml"), "IngestFunction")["Properties"]["Runtime"]
    found.append(("infra/ingest.yaml Runtime", runtime.removeprefix("python")))
    found.append(("infra/package_ingest.py", infra_script("package_ingest").TARGET_PYTHON[1]))
    return found


def test_ci_the_image_and_the_lambda_run_one_python() -> None:
    versions = python_versions()
    places = [place for place, _ in versions]
    # ci's job, deploy's test and deploy jobs; both Dockerfile stages.
    assert places.count("ci.yml setup-python") == 1
    assert places.count("deploy.yml setup-python") == 2
    assert places.count("Dockerfile FROM") == 2
    assert len({version for _, version in versions}) == 1, versions


def test_dependabot_proposes_grouped_weekly_updates_of_every_pin() -> None:
    config = yaml.safe_load(DEPENDABOT.read_text())
    updates = {update["package-ecosystem"]: update for update in config["updates"]}
    assert set(updates) == {"pip", "npm", "docker", "github-actions"}
    for ecosystem, update in updates.items():
        assert update["schedule"]["interval"] == "weekly", ecosystem
        assert [group["patterns"] for group in update["groups"].values()] == [["*"]], ecosystem
        assert update["cooldown"]["default-days"] >= 7, ecosystem
    # Every directory that holds pins of that ecosystem is watched.
    assert set(updates["pip"]["directories"]) == {
        "/" + path.parent.relative_to(ROOT).as_posix().removeprefix(".")
        for path in ROOT.glob("**/requirements*.txt")
        if not {".venv", ".venv-checkov", "node_modules"} & set(path.relative_to(ROOT).parts)
    }
    assert (ROOT / updates["npm"]["directory"].lstrip("/") / "package.json").is_file()
    assert (ROOT / updates["docker"]["directory"].lstrip("/") / "Dockerfile").is_file()
    # The Python minor version moves by hand, everywhere at once (see the test above).
    assert updates["docker"]["ignore"] == [
        {
            "dependency-name": "python",
            "update-types": ["version-update:semver-major", "version-update:semver-minor"],
        }
    ]
