"""Run docs/deploying.md's bootstrap against moto's CloudFormation, as an operator would.

`aws cloudformation deploy` is emulated: a new stack is created with the runbook's overrides
(everything else at its default); an existing one is updated with its previous values plus the
overrides, as the CLI keeps every parameter it is not given.

moto (5.2.5) does not implement every resource type. For one it does not know, it logs "No
Moto CloudFormation support", creates nothing and carries on: a Ref to it resolves to nothing
(the property or list item holding it is dropped) and an output built from it is left out.
`skipped_types` records those types so a test can pin them; the templates' tests check those
resources by reading the YAML instead.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any

import boto3

from tests.infra.repo import ROOT
from tests.infra.runbook import StackDeploy, Step, expand, repository_variables, stack_deploys

SKIPPED = re.compile(r"Tried to parse (?P<type>\S+) but it's not supported")


@dataclass
class Rehearsal:
    """One bootstrap in one moto account: the stacks, their outputs, and what moto skipped."""

    region: str
    shell: dict[str, str]
    commands: dict[str, str] = field(default_factory=dict)
    created: list[str] = field(default_factory=list)
    skipped_types: set[str] = field(default_factory=set)
    variables: dict[str, str] = field(default_factory=dict)
    passed: dict[str, dict[str, str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.session = boto3.Session(
            region_name=self.region, aws_access_key_id="testing", aws_secret_access_key="testing"
        )
        self.cloudformation = self.session.client("cloudformation")
        self.shell["AWS_REGION"] = self.region

    def client(self, service: str) -> Any:
        return self.session.client(service)

    def stack(self, name: str) -> dict[str, Any]:
        return self.cloudformation.describe_stacks(StackName=name)["Stacks"][0]

    def outputs(self, name: str) -> dict[str, str]:
        return {o["OutputKey"]: o["OutputValue"] for o in self.stack(name).get("Outputs", [])}

    def out(self, stack: str, key: str) -> str:
        """The runbook's `out STACK OUTPUT`."""
        outputs = self.outputs(stack)
        if key not in outputs:
            raise KeyError(f"{stack} has no output {key} (it has {sorted(outputs)})")
        return outputs[key]

    def expand(self, value: str) -> str:
        return expand(value, self.shell, self.out, self.commands)

    def deploy(self, command: StackDeploy) -> str:
        """`aws cloudformation deploy …` as the runbook writes it; returns the final status.

        An update passes the values given before again (what the CLI's UsePreviousValue
        amounts to; moto mangles list parameters it reports back) and leaves the rest at
        their defaults, which is what they were."""
        parameters = {
            **self.passed.get(command.stack, {}),
            **{k: self.expand(v) for k, v in command.overrides.items()},
        }
        with self._recording_skips():
            if command.stack in self.created:
                self.cloudformation.update_stack(**self._request(command, parameters))
            else:
                self.cloudformation.create_stack(**self._request(command, parameters))
                self.created.append(command.stack)
            status = self.stack(command.stack)["StackStatus"]
            # moto builds some resources and every output lazily; listing them now records
            # what it skips while the warnings are being caught.
            self.cloudformation.list_stack_resources(StackName=command.stack)
        self.passed[command.stack] = parameters
        return status

    def set_repository_variables(self, step: Step) -> None:
        self.variables.update(
            {name: self.expand(value) for name, value in repository_variables(step).items()}
        )

    @staticmethod
    def _request(command: StackDeploy, parameters: dict[str, str]) -> dict[str, Any]:
        return {
            "StackName": command.stack,
            "TemplateBody": (ROOT / command.template).read_text(),
            "Capabilities": list(command.capabilities),
            "Parameters": [
                {"ParameterKey": key, "ParameterValue": value} for key, value in parameters.items()
            ],
        }

    @contextmanager
    def _recording_skips(self) -> Iterator[None]:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            yield
        for warning in caught:
            if match := SKIPPED.search(str(warning.message)):
                self.skipped_types.add(match.group("type"))


def merged_bootstrap_deploys(steps: list[Step]) -> list[StackDeploy]:
    """The stack deploys before the repository variables are set, one per stack in the order
    the runbook first deploys it, with the overrides of its later deploys folded in.

    That is the state `aws cloudformation deploy` leaves (it keeps earlier values); the
    rehearsal creates each stack once in that state because moto's update cannot switch the
    web stack's listeners when HTTPS is added afterwards."""
    merged: dict[str, StackDeploy] = {}
    for step in steps:
        if repository_variables(step):
            break
        for command in stack_deploys(step):
            earlier = merged.get(command.stack, command)
            merged[command.stack] = replace(
                earlier, overrides={**earlier.overrides, **command.overrides}
            )
    return list(merged.values())


def default_network(rehearsal: Rehearsal) -> dict[str, str]:
    """$VPC and $SUBNETS as step 3's commands compute them from the default VPC."""
    ec2 = rehearsal.client("ec2")
    vpc = ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"][0]
    subnets = ec2.describe_subnets(
        Filters=[
            {"Name": "vpc-id", "Values": [vpc["VpcId"]]},
            {"Name": "default-for-az", "Values": ["true"]},
        ]
    )["Subnets"]
    return {"VPC": vpc["VpcId"], "SUBNETS": ",".join(s["SubnetId"] for s in subnets)}
