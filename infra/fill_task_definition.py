"""Fill infra/task-definition.json's ${Name} placeholders from the web stack's outputs.

    aws cloudformation describe-stacks --stack-name "$WEB_STACK" \
        --query 'Stacks[0].Outputs' --output json > outputs.json
    python infra/fill_task_definition.py outputs.json > task-definition.json

Account-specific values (role ARNs, log group, table) live in the stack, not in the repo, so
the deploy workflow reads them here; the render step then sets the image. Standard library
only: it runs on the bare runner.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

TEMPLATE = Path(__file__).resolve().parent / "task-definition.json"
PLACEHOLDER = re.compile(r"\$\{([A-Za-z0-9]+)\}")


class MissingOutput(KeyError):
    """The task definition names an output the stack does not have."""


def placeholders(value: Any) -> set[str]:
    """Every ${Name} used anywhere in a JSON value."""
    if isinstance(value, str):
        return set(PLACEHOLDER.findall(value))
    if isinstance(value, list):
        return set().union(*(placeholders(v) for v in value)) if value else set()
    if isinstance(value, dict):
        return set().union(*(placeholders(v) for v in value.values())) if value else set()
    return set()


def fill(value: Any, outputs: dict[str, str]) -> Any:
    missing = placeholders(value) - set(outputs)
    if missing:
        raise MissingOutput(f"web stack has no output(s) {sorted(missing)}")
    if isinstance(value, str):
        return PLACEHOLDER.sub(lambda m: outputs[m.group(1)], value)
    if isinstance(value, list):
        return [fill(v, outputs) for v in value]
    if isinstance(value, dict):
        return {k: fill(v, outputs) for k, v in value.items()}
    return value


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outputs", type=Path, help="JSON list of {OutputKey, OutputValue}")
    parser.add_argument("--template", type=Path, default=TEMPLATE)
    args = parser.parse_args(argv)
    outputs = {o["OutputKey"]: o["OutputValue"] for o in json.loads(args.outputs.read_text())}
    task_definition = json.loads(args.template.read_text())
    try:
        filled = fill(task_definition, outputs)
    except MissingOutput as exc:
        sys.exit(f"fill_task_definition: {exc.args[0]}")
    json.dump(filled, sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
