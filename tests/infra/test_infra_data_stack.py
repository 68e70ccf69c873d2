"""infra/data.yaml and the code that uses its table cannot drift apart.

moto deploys the template through CloudFormation; the ingest store then writes snapshots
into the table it created and the dashboard's repository reads them back. The IAM policies
of the ingest and web stacks are checked against the DynamoDB calls those same code paths
actually made.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from dashboard.data import SnapshotRepository
from ingest.schema import TTL_ATTRIBUTE, Snapshot, table_definition
from ingest.store import Outcome, SnapshotStore, slot_start
from tests import factories
from tests.infra.repo import INFRA, resource, template

# moto has no CloudFormation support for AWS Backup and skips those resources with a warning
# (test_infra_rehearsal.py pins the list); the backup plan is checked by reading the template.
pytestmark = pytest.mark.filterwarnings("ignore:Tried to parse AWS.{2}Backup.{2}:UserWarning")

SLOT_SECONDS = 6 * 3600
ASSET = "bitcoin"


@pytest.fixture
def data_template() -> dict[str, Any]:
    return template("data.yaml")


@pytest.fixture
def deployed_table(table_name: str) -> Iterator[str]:
    """The table as `aws cloudformation create-stack` makes it from infra/data.yaml."""
    with mock_aws():
        cloudformation = boto3.client("cloudformation")
        cloudformation.create_stack(
            StackName="bitcoin-tracker-data",
            TemplateBody=(INFRA / "data.yaml").read_text(),
            Parameters=[{"ParameterKey": "TableName", "ParameterValue": table_name}],
        )
        stack = cloudformation.describe_stacks(StackName="bitcoin-tracker-data")["Stacks"][0]
        assert stack["StackStatus"] == "CREATE_COMPLETE"
        outputs = {o["OutputKey"]: o["OutputValue"] for o in stack["Outputs"]}
        assert outputs["TableName"] == table_name
        yield table_name


class DynamoCalls:
    """Records the DynamoDB operations a boto3 resource or client makes (to compare with IAM)."""

    def __init__(self) -> None:
        self.operations: set[str] = set()

    def attach(self, dynamodb: Any) -> Any:
        client = getattr(dynamodb.meta, "client", dynamodb)  # a resource's, or the client
        client.meta.events.register("before-call.dynamodb", self._record)
        return dynamodb

    def _record(self, model: Any, **_: Any) -> None:
        self.operations.add(model.name)

    def as_iam_actions(self) -> set[str]:
        return {f"dynamodb:{operation}" for operation in self.operations}


def snapshot(ts: int, price: str) -> Snapshot:
    return factories.snapshot(ts, price, asset=ASSET, market_cap="1.9e12")


def policy_actions(template_name: str, role: str, service: str) -> set[str]:
    """Every `service:*` action the role's inline policies allow."""
    actions: set[str] = set()
    for policy in resource(template(template_name), role)["Properties"]["Policies"]:
        for statement in policy["PolicyDocument"]["Statement"]:
            listed = statement["Action"]
            for action in [listed] if isinstance(listed, str) else listed:
                if action.startswith(f"{service}:"):
                    actions.add(action)
    return actions


def test_template_declares_the_schema_key_and_billing(data_template: dict[str, Any]) -> None:
    props = resource(data_template, "SnapshotTable")["Properties"]
    expected = table_definition("ignored")
    assert props["KeySchema"] == expected["KeySchema"]
    assert props["AttributeDefinitions"] == expected["AttributeDefinitions"]
    assert props["BillingMode"] == expected["BillingMode"]


def test_template_expires_bookkeeping_items_on_the_schema_ttl_attribute(
    data_template: dict[str, Any],
) -> None:
    ttl = resource(data_template, "SnapshotTable")["Properties"]["TimeToLiveSpecification"]
    assert ttl == {"AttributeName": TTL_ATTRIBUTE, "Enabled": True}


def test_table_survives_mistakes(data_template: dict[str, Any]) -> None:
    table = resource(data_template, "SnapshotTable")
    props = table["Properties"]
    assert table["DeletionPolicy"] == "Retain"
    assert table["UpdateReplacePolicy"] == "Retain"
    assert props["DeletionProtectionEnabled"] is True
    assert props["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    assert props["SSESpecification"]["SSEEnabled"] is True


def test_table_is_backed_up_daily_beyond_point_in_time_recovery(
    data_template: dict[str, Any],
) -> None:
    selection = resource(data_template, "BackupSelection")["Properties"]
    assert selection["BackupPlanId"] == {"Ref": "BackupPlan"}
    assert selection["BackupSelection"]["Resources"] == [{"Fn::GetAtt": ["SnapshotTable", "Arn"]}]
    (rule,) = resource(data_template, "BackupPlan")["Properties"]["BackupPlan"]["BackupPlanRule"]
    day_fields = rule["ScheduleExpression"].removeprefix("cron(").removesuffix(")").split()[2:]
    assert day_fields == ["*", "*", "?", "*"]  # every day of every month, any weekday, every year
    assert rule["TargetBackupVault"] == {"Ref": "BackupVault"}
    assert rule["Lifecycle"] == {"DeleteAfterDays": {"Ref": "BackupRetentionDays"}}
    # Longer than the 35 days point-in-time recovery already covers.
    assert data_template["Parameters"]["BackupRetentionDays"]["Default"] > 35
    vault = resource(data_template, "BackupVault")
    assert (vault["DeletionPolicy"], vault["UpdateReplacePolicy"]) == ("Retain", "Retain")
    role = resource(data_template, "BackupRole")["Properties"]
    (trust,) = role["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Principal"] == {"Service": "backup.amazonaws.com"}
    assert {arn["Fn::Sub"].rsplit("/", 1)[1] for arn in role["ManagedPolicyArns"]} == {
        "AWSBackupServiceRolePolicyForBackup",
        "AWSBackupServiceRolePolicyForRestores",
    }
    assert selection["BackupSelection"]["IamRoleArn"] == {"Fn::GetAtt": ["BackupRole", "Arn"]}


def test_deployed_table_has_the_key_schema_the_code_creates_locally(deployed_table: str) -> None:
    table = boto3.client("dynamodb").describe_table(TableName=deployed_table)["Table"]
    expected = table_definition(deployed_table)
    assert table["KeySchema"] == expected["KeySchema"]
    assert sorted(table["AttributeDefinitions"], key=lambda a: a["AttributeName"]) == sorted(
        expected["AttributeDefinitions"], key=lambda a: a["AttributeName"]
    )
    assert table["BillingModeSummary"]["BillingMode"] == expected["BillingMode"]


def test_ingest_writes_and_dashboard_reads_in_the_deployed_table(deployed_table: str) -> None:
    now = int(time.time())
    slot = slot_start(now, SLOT_SECONDS)
    writer_calls, reader_calls = DynamoCalls(), DynamoCalls()

    store = SnapshotStore(
        deployed_table, SLOT_SECONDS, resource=writer_calls.attach(boto3.resource("dynamodb"))
    )
    assert store.put_scheduled(snapshot(slot + 60, "97123.45"), slot) is Outcome.STORED
    # The same scheduled event delivered again stores nothing new.
    assert store.put_scheduled(snapshot(slot + 90, "97200.00"), slot) is Outcome.DUPLICATE
    lambda_calls = set(writer_calls.as_iam_actions())
    history = [snapshot(slot - k * SLOT_SECONDS, f"{90000 + k}.5") for k in (3, 2, 1)]
    assert store.put_history(history).written == 3

    repository = SnapshotRepository(
        deployed_table,
        ttl_seconds=0,
        assets=(ASSET,),
        client_factory=lambda config: reader_calls.attach(boto3.client("dynamodb", config=config)),
    )
    result = repository.load(ASSET)
    assert result.store_error is None
    assert list(result.frame["price"]) == [90003.5, 90002.5, 90001.5, 97123.45]
    assert repository.assets() == [ASSET]
    age = repository.check()
    assert age is not None
    assert age < 3 * SLOT_SECONDS

    # The roles in the templates allow what the code just did (and the Lambda only writes
    # through put_scheduled; backfill and demo run from a maintainer's shell).
    assert lambda_calls <= policy_actions("ingest.yaml", "IngestRole", "dynamodb")
    assert reader_calls.as_iam_actions() <= policy_actions("web.yaml", "TaskRole", "dynamodb")


def test_dashboard_role_cannot_write() -> None:
    allowed = policy_actions("web.yaml", "TaskRole", "dynamodb")
    assert allowed == {"dynamodb:Query", "dynamodb:GetItem"}
