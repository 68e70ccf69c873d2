"""The container is described four times: Dockerfile, infra/web.yaml's task definition,
infra/task-definition.json (what the deploy registers) and dashboard/gunicorn_conf.py.
These tests fail as soon as one of them disagrees about the command, the port or the
liveness probe, and they run the probe itself against a loopback server."""

from __future__ import annotations

import http.server
import re
import runpy
import shlex
import subprocess
import sys
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from tests.infra.repo import (
    ROOT,
    dockerfile_instructions,
    env_values,
    exec_form,
    final_stage,
    healthcheck_command,
    infra_script,
    pascal_to_camel,
    placeholders_as_outputs,
    resource,
    task_definition_json,
    template,
)

# The serving command every issue agrees on (Dockerfile CMD, task definition, make run).
SERVING_COMMAND = ["gunicorn", "-c", "dashboard/gunicorn_conf.py", "dashboard.app:server"]
CONTAINER = "dashboard"
# Answers while the process serves and never asks the store (the lead's dashboard/health.py).
LIVENESS_PATH = "/livez"


@pytest.fixture(scope="module")
def web() -> dict[str, Any]:
    return template("web.yaml")


@pytest.fixture(scope="module")
def image() -> list[tuple[str, str]]:
    return final_stage(dockerfile_instructions())


@pytest.fixture(scope="module")
def container() -> dict[str, Any]:
    (only,) = task_definition_json()["containerDefinitions"]
    return only


def instruction(image: list[tuple[str, str]], keyword: str) -> str:
    (arguments,) = [args for kw, args in image if kw == keyword]
    return arguments


def test_json_task_definition_is_the_template_one(web: dict[str, Any]) -> None:
    """Same definition, field by field, once placeholders stand for the template's outputs;
    only the image differs (the render step sets it to the pushed SHA)."""
    from_template = pascal_to_camel(resource(web, "TaskDefinition")["Properties"])
    from_json = placeholders_as_outputs(task_definition_json(), web["Outputs"])
    for definition in (from_template, from_json):
        for item in definition["containerDefinitions"]:
            item.pop("image")
    assert from_json == from_template


def test_every_placeholder_is_filled_from_a_web_stack_output(web: dict[str, Any]) -> None:
    fill = infra_script("fill_task_definition")
    outputs = {name: f"<{name}>" for name in web["Outputs"]}
    filled = fill.fill(task_definition_json(), outputs)
    assert not fill.placeholders(filled)
    assert filled["taskRoleArn"] == "<TaskRoleArn>"
    with pytest.raises(fill.MissingOutput, match="TaskRoleArn"):
        fill.fill(task_definition_json(), {k: v for k, v in outputs.items() if k != "TaskRoleArn"})


def test_command_is_the_agreed_gunicorn_command(
    image: list[tuple[str, str]], container: dict[str, Any]
) -> None:
    assert exec_form(instruction(image, "CMD")) == SERVING_COMMAND
    assert container["command"] == SERVING_COMMAND
    assert "ENTRYPOINT" not in {keyword for keyword, _ in image}


def test_port_agrees_everywhere(
    web: dict[str, Any],
    image: list[tuple[str, str]],
    container: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    env = env_values(image)
    port = int(env["PORT"])
    assert env["HOST"] == "0.0.0.0"  # noqa: S104 (the container must listen beyond loopback)
    assert instruction(image, "EXPOSE") in (str(port), f"{port}/tcp")
    assert container["portMappings"] == [{"containerPort": port, "protocol": "tcp"}]

    # gunicorn binds where the image's environment says.
    for name in ("HOST", "PORT"):
        monkeypatch.setenv(name, env[name])
    conf = runpy.run_path(str(ROOT / "dashboard" / "gunicorn_conf.py"))
    assert conf["bind"] == f"0.0.0.0:{port}"

    # The load balancer and the security group send traffic to that port.
    assert resource(web, "TargetGroup")["Properties"]["Port"] == port
    (target,) = resource(web, "Service")["Properties"]["LoadBalancers"]
    assert (target["ContainerName"], target["ContainerPort"]) == (CONTAINER, port)
    opening = resource(web, "ServiceFromLoadBalancer")["Properties"]
    assert (opening["FromPort"], opening["ToPort"]) == (port, port)


def healthcheck_options(arguments: str) -> dict[str, int]:
    """`--interval=30s --retries=3 …` -> {"interval": 30, "retries": 3, …} in seconds."""
    options = shlex.split(arguments.partition("CMD ")[0])
    parsed = {}
    for option in options:
        name, _, value = option.removeprefix("--").partition("=")
        parsed[name] = int(value.removesuffix("s"))
    return parsed


def test_liveness_probe_is_one_probe_of_livez(
    image: list[tuple[str, str]], container: dict[str, Any]
) -> None:
    arguments = instruction(image, "HEALTHCHECK")
    probe = healthcheck_command(arguments)
    check = container["healthCheck"]
    assert check["command"] == ["CMD", *probe]
    (url,) = re.findall(r"'(/[a-z]+)'", probe[-1])
    assert url == LIVENESS_PATH
    assert healthcheck_options(arguments) == {
        "interval": check["interval"],
        "timeout": check["timeout"],
        "start-period": check["startPeriod"],
        "retries": check["retries"],
    }


def test_image_runs_as_a_non_root_user(image: list[tuple[str, str]]) -> None:
    user = instruction(image, "USER").split(":")[0]
    assert user not in ("", "0", "root")


def test_writable_mounts_of_the_read_only_container_are_image_volumes(
    image: list[tuple[str, str]], container: dict[str, Any]
) -> None:
    """Fargate gives a bind mount the permissions of the image's VOLUME at that path;
    without the VOLUME it is root-only and the non-root user could not write there."""
    assert container["readonlyRootFilesystem"] is True
    volumes = {path for kw, args in image if kw == "VOLUME" for path in exec_form(args)}
    writable = {m["containerPath"] for m in container["mountPoints"] if not m["readOnly"]}
    assert writable
    assert writable <= volumes


class _Health(http.server.BaseHTTPRequestHandler):
    status = 200

    def do_GET(self) -> None:
        code = self.status if self.path == LIVENESS_PATH else 404
        self.send_response(code)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def health_server() -> Iterator[http.server.HTTPServer]:
    server = http.server.HTTPServer(("127.0.0.1", 0), _Health)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(("status", "healthy"), [(200, True), (503, False)])
def test_probe_passes_on_200_and_fails_on_503(
    health_server: http.server.HTTPServer,
    image: list[tuple[str, str]],
    monkeypatch: pytest.MonkeyPatch,
    status: int,
    healthy: bool,
) -> None:
    monkeypatch.setattr(_Health, "status", status)
    python, *args = healthcheck_command(instruction(image, "HEALTHCHECK"))
    assert python == "python"
    port = str(health_server.server_address[1])
    result = subprocess.run(
        [sys.executable, *args],
        env={"PORT": port},
        capture_output=True,
        timeout=30,
        check=False,
    )
    assert (result.returncode == 0) is healthy, result.stderr


def test_deploy_renders_the_container_the_service_runs() -> None:
    deploy = (ROOT / ".github" / "workflows" / "deploy.yml").read_text()
    assert f"container-name: {CONTAINER}" in deploy
