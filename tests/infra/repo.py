"""Read the delivery files the way their tools do, so tests can compare them with the code."""

from __future__ import annotations

import importlib.util
import json
import re
import shlex
from pathlib import Path
from types import ModuleType
from typing import Any

from cfnlint.decode import cfn_yaml

ROOT = Path(__file__).resolve().parents[2]
INFRA = ROOT / "infra"
WORKFLOWS = ROOT / ".github" / "workflows"


def template(name: str) -> dict[str, Any]:
    """A CloudFormation template with short-form tags (!Ref …) as their long-form dicts."""
    return cfn_yaml.load(str(INFRA / name))


def resource(template_: dict[str, Any], logical_id: str) -> dict[str, Any]:
    return template_["Resources"][logical_id]


def task_definition_json() -> dict[str, Any]:
    return json.loads((INFRA / "task-definition.json").read_text())


def infra_script(name: str) -> ModuleType:
    """Import infra/<name>.py by path (infra/ is a folder of scripts, not a package)."""
    spec = importlib.util.spec_from_file_location(f"infra_{name}", INFRA / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def dockerfile_instructions(path: Path = ROOT / "Dockerfile") -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined and comments dropped."""
    instructions: list[tuple[str, str]] = []
    pending = ""
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        line = pending + line
        pending = ""
        keyword, _, rest = line.partition(" ")
        instructions.append((keyword.upper(), rest.strip()))
    return instructions


def final_stage(instructions: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The instructions after the last FROM: what the shipped image is made of."""
    last_from = max(i for i, (keyword, _) in enumerate(instructions) if keyword == "FROM")
    return instructions[last_from:]


def exec_form(arguments: str) -> list[str]:
    """The JSON array of an exec-form CMD/ENTRYPOINT; fails on shell form."""
    value = json.loads(arguments)
    assert isinstance(value, list), f"not exec form: {arguments}"
    return value


def healthcheck_command(arguments: str) -> list[str]:
    """`HEALTHCHECK [--options] CMD [...]` -> the exec-form command."""
    options, marker, command = arguments.partition("CMD ")
    assert marker, f"HEALTHCHECK without CMD: {arguments}"
    assert all(part.startswith("--") for part in shlex.split(options))
    return exec_form(command)


def env_values(instructions: list[tuple[str, str]]) -> dict[str, str]:
    """ENV key=value pairs of the given instructions (the modern form only)."""
    values: dict[str, str] = {}
    for keyword, arguments in instructions:
        if keyword == "ENV":
            for pair in shlex.split(arguments):
                key, sep, value = pair.partition("=")
                assert sep, f"use ENV key=value: {arguments}"
                values[key] = value
    return values


def pascal_to_camel(value: Any, *, keep_keys: bool = False) -> Any:
    """CloudFormation's property names as the ECS API (and task-definition.json) spells them.

    Map-valued properties (log options) keep their keys: they are data, not property names.
    """
    if isinstance(value, list):
        return [pascal_to_camel(v) for v in value]
    if isinstance(value, dict):
        if set(value) <= {"Ref"} or any(k.startswith("Fn::") for k in value):
            return dict(value)  # an intrinsic function, compared as is
        return {
            (key if keep_keys else key[0].lower() + key[1:]): pascal_to_camel(
                item, keep_keys=key == "Options"
            )
            for key, item in value.items()
        }
    return value


PLACEHOLDER = re.compile(r"^\$\{([A-Za-z0-9]+)\}$")


def placeholders_as_outputs(value: Any, outputs: dict[str, Any]) -> Any:
    """Replace each whole-string ${Name} with the expression of the template's output Name."""
    if isinstance(value, list):
        return [placeholders_as_outputs(v, outputs) for v in value]
    if isinstance(value, dict):
        return {k: placeholders_as_outputs(v, outputs) for k, v in value.items()}
    if isinstance(value, str) and (match := PLACEHOLDER.match(value)):
        return outputs[match.group(1)]["Value"]
    return value
